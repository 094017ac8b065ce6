/* ep-send-status.h — where a send is, in words and a progress bar, with Cancel
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ep-types.h"

G_BEGIN_DECLS

#define EP_TYPE_SEND_STATUS (ep_send_status_get_type ())
G_DECLARE_FINAL_TYPE (EpSendStatus, ep_send_status, EP, SEND_STATUS, GtkWidget)

GtkWidget  *ep_send_status_new      (void);
void        ep_send_status_begin    (EpSendStatus *self,
                                     const char   *host);
void        ep_send_status_countdown (EpSendStatus *self,
                                     const char   *text);
void        ep_send_status_progress (EpSendStatus *self,
                                     EpSendStage   stage,
                                     guint64       done,
                                     guint64       total);
char       *ep_send_status_explain  (const GError *error,
                                     const char   *host,
                                     guint16       port);
void        ep_send_status_finish   (EpSendStatus *self,
                                     const char   *outcome);
void        ep_send_status_hide     (EpSendStatus *self);
const char *ep_send_status_get_text (EpSendStatus *self);
double      ep_send_status_get_fraction (EpSendStatus *self);
char       *ep_send_status_describe (EpSendStage   stage,
                                     const char   *host,
                                     guint64       done,
                                     guint64       total);

G_END_DECLS
