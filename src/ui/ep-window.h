/* ep-window.h — the compose window: account, recipients, subject, body, attachments, send
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ep-account.h"
#include "ep-application.h"
#include "ep-mailto.h"
#include "ep-outbox.h"

G_BEGIN_DECLS

#define EP_TYPE_WINDOW (ep_window_get_type ())
G_DECLARE_FINAL_TYPE (EpWindow, ep_window, EP, WINDOW, AdwApplicationWindow)

EpWindow   *ep_window_new             (EpApplication *app,
                                       gboolean       demo);
void        ep_window_use_account     (EpWindow      *self,
                                       EpAccount     *account,
                                       const char    *secret,
                                       guint64        size_limit);
const char *ep_window_get_page        (EpWindow      *self);
const char *ep_window_get_banner      (EpWindow      *self);
gboolean    ep_window_is_sending      (EpWindow      *self);
const char *ep_window_get_sent_copy_note (EpWindow   *self);
void        ep_window_set_outbox      (EpWindow      *self,
                                       EpOutbox      *outbox);
EpOutbox   *ep_window_get_outbox      (EpWindow      *self);

/* ep-window-prefill.c */
void        ep_window_prefill         (EpWindow       *self,
                                       const EpMailto *mailto,
                                       GList          *files);
void        ep_window_add_toast       (EpWindow       *self,
                                       const char     *text);
gboolean    ep_window_is_signed_in    (EpWindow       *self);
void        ep_window_share_account   (EpWindow       *self,
                                       EpWindow       *signed_in);

G_END_DECLS
