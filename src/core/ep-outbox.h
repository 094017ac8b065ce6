/* ep-outbox.h — messages that could not be sent yet, tried again with back-off, sent once
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-imap-worker.h"
#include "ep-outbox-entry.h"
#include "ep-send-result.h"
#include "ep-sender.h"

G_BEGIN_DECLS

#define EP_TYPE_OUTBOX (ep_outbox_get_type ())
G_DECLARE_FINAL_TYPE (EpOutbox, ep_outbox, EP, OUTBOX, GObject)

char          *ep_outbox_default_dir        (void);
gboolean       ep_outbox_error_is_temporary (const GError   *error,
                                             EpSendResult   *result);

EpOutbox      *ep_outbox_new                (const char     *dir);
const char    *ep_outbox_get_dir            (EpOutbox       *self);
void           ep_outbox_set_backoff        (EpOutbox       *self,
                                             guint           first_seconds,
                                             guint           max_seconds);
void           ep_outbox_set_network_monitor (EpOutbox        *self,
                                              GNetworkMonitor *monitor);
gboolean       ep_outbox_get_network_available (EpOutbox      *self);
guint          ep_outbox_get_backoff        (EpOutbox       *self,
                                             guint           attempts);
gboolean       ep_outbox_load               (EpOutbox       *self,
                                             GError        **error);
void           ep_outbox_set_account        (EpOutbox       *self,
                                             const char     *account,
                                             EpSender       *sender,
                                             EpImapWorker   *sent_worker);
gboolean       ep_outbox_has_account        (EpOutbox       *self,
                                             const char     *account);
EpOutboxEntry *ep_outbox_add                (EpOutbox       *self,
                                             const char     *account,
                                             EpMessage      *draft,
                                             GMimeMessage   *mime,
                                             const char * const *declined,
                                             const char     *last_error,
                                             GError        **error);
gboolean       ep_outbox_retry_now          (EpOutbox       *self,
                                             EpOutboxEntry  *entry,
                                             GError        **error);
gboolean       ep_outbox_remove             (EpOutbox       *self,
                                             EpOutboxEntry  *entry,
                                             GError        **error);
EpMessage     *ep_outbox_dup_draft          (EpOutbox       *self,
                                             EpOutboxEntry  *entry,
                                             GError        **error);
EpMessage     *ep_outbox_take_draft         (EpOutbox       *self,
                                             EpOutboxEntry  *entry,
                                             GError        **error);
guint          ep_outbox_get_n_attention    (EpOutbox       *self);
guint          ep_outbox_get_n_busy         (EpOutbox       *self);
void           ep_outbox_stop               (EpOutbox       *self);

G_END_DECLS
