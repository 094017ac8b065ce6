/* ep-imap-worker.h — IMAP jobs in a GTask worker thread: the inbox, the Sent copy
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-imap.h"
#include "ep-imap-unsaved.h"
#include "ep-sasl.h"
#include "ep-send-result.h"
#include "ep-transcript.h"
#include "ep-types.h"

G_BEGIN_DECLS

#define EP_TYPE_IMAP_WORKER (ep_imap_worker_get_type ())
G_DECLARE_FINAL_TYPE (EpImapWorker, ep_imap_worker, EP, IMAP_WORKER, GObject)

EpImapWorker *ep_imap_worker_new                 (const char           *host,
                                                  guint16               port,
                                                  EpSecurity            security);
void          ep_imap_worker_set_credentials     (EpImapWorker         *self,
                                                  const char           *user,
                                                  const char           *secret,
                                                  EpSaslMechanism       mechanism);
void          ep_imap_worker_set_trust           (EpImapWorker         *self,
                                                  const char           *ca_file,
                                                  const char           *pin);
void          ep_imap_worker_set_timeout         (EpImapWorker         *self,
                                                  guint                 seconds);
void          ep_imap_worker_set_allow_plaintext_auth (EpImapWorker   *self,
                                                  gboolean              allow);
EpTranscript *ep_imap_worker_get_transcript      (EpImapWorker         *self);

void          ep_imap_worker_fetch_async         (EpImapWorker         *self,
                                                  const char           *mailbox,
                                                  guint                 limit,
                                                  EpImapFetchItems      items,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
void          ep_imap_worker_fetch_older_async   (EpImapWorker         *self,
                                                  const char           *mailbox,
                                                  guint32               uidvalidity,
                                                  guint32               before_uid,
                                                  guint                 limit,
                                                  EpImapFetchItems      items,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray    *ep_imap_worker_fetch_finish        (EpImapWorker         *self,
                                                  GAsyncResult         *result,
                                                  guint32              *uidvalidity,
                                                  GError              **error);

void          ep_imap_worker_save_sent_async     (EpImapWorker         *self,
                                                  EpSendResult         *send_result,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
void          ep_imap_worker_save_sent_file_async (EpImapWorker        *self,
                                                  const char           *path,
                                                  const char           *message_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      ep_imap_worker_save_sent_finish    (EpImapWorker         *self,
                                                  GAsyncResult         *result,
                                                  char                **saved_in,
                                                  gboolean             *already_there,
                                                  GError              **error);

void          ep_imap_worker_retry_unsaved_async (EpImapWorker        *self,
                                                  const char           *from_address,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
EpImapUnsavedReport *ep_imap_worker_retry_unsaved_finish (EpImapWorker *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* ep-imap-worker-message.c: one message by UID, its \Seen flag, the mailbox list */
void           ep_imap_worker_fetch_message_async   (EpImapWorker        *self,
                                                     const char          *mailbox,
                                                     guint32              uidvalidity,
                                                     guint32              uid,
                                                     gboolean             mark_seen,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
EpImapMessage *ep_imap_worker_fetch_message_finish  (EpImapWorker        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void           ep_imap_worker_set_seen_async        (EpImapWorker        *self,
                                                     const char          *mailbox,
                                                     guint32              uidvalidity,
                                                     guint32              uid,
                                                     gboolean             seen,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean       ep_imap_worker_set_seen_finish       (EpImapWorker        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void           ep_imap_worker_list_mailboxes_async  (EpImapWorker        *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray     *ep_imap_worker_list_mailboxes_finish (EpImapWorker        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* ep-imap-worker-check.c: the sign-in page's check of the IMAP settings */
void           ep_imap_worker_check_async           (EpImapWorker        *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean       ep_imap_worker_check_finish          (EpImapWorker        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
