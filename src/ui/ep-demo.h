/* ep-demo.h — `epistle --demo`: local Postfix + Dovecot, signed in as alice@example.test
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-account.h"

G_BEGIN_DECLS

#define EP_TYPE_DEMO (ep_demo_get_type ())
G_DECLARE_FINAL_TYPE (EpDemo, ep_demo, EP, DEMO, GObject)

EpDemo    *ep_demo_new            (void);
void       ep_demo_start_async    (EpDemo              *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
EpAccount *ep_demo_start_finish   (EpDemo              *self,
                                   GAsyncResult        *result,
                                   char               **secret,
                                   GError             **error);
guint64    ep_demo_get_size_limit (EpDemo              *self);
gboolean   ep_demo_has_user       (EpDemo              *self,
                                   const char          *address);
guint      ep_demo_count_inbox    (EpDemo              *self,
                                   const char          *address);
void       ep_demo_stop           (EpDemo              *self);
void       ep_demo_stop_async     (EpDemo              *self,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean   ep_demo_stop_finish    (EpDemo              *self,
                                   GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
