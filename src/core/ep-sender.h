/* ep-sender.h — the whole send in a GTask worker thread, with progress
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-message.h"
#include "ep-sasl.h"
#include "ep-send-result.h"
#include "ep-server-info.h"
#include "ep-smtp.h"
#include "ep-transcript.h"
#include "ep-types.h"

G_BEGIN_DECLS

#define EP_TYPE_SENDER (ep_sender_get_type ())
G_DECLARE_FINAL_TYPE (EpSender, ep_sender, EP, SENDER, GObject)

EpSender     *ep_sender_new                (const char           *host,
                                            guint16               port,
                                            EpSecurity            security);
void          ep_sender_set_credentials    (EpSender             *self,
                                            const char           *user,
                                            const char           *secret,
                                            EpSaslMechanism       mechanism);
void          ep_sender_set_trust          (EpSender             *self,
                                            const char           *ca_file,
                                            const char           *pin);
void          ep_sender_set_timeouts       (EpSender             *self,
                                            const EpSmtpTimeouts *timeouts);
void          ep_sender_set_partial        (EpSender             *self,
                                            gboolean              partial);
gboolean      ep_sender_get_partial        (EpSender             *self);
void          ep_sender_set_use_chunking   (EpSender             *self,
                                            gboolean              use_chunking);
void          ep_sender_set_allow_plaintext_auth (EpSender       *self,
                                            gboolean              allow);
EpTranscript *ep_sender_get_transcript     (EpSender             *self);
const char   *ep_sender_get_host           (EpSender             *self);
guint16       ep_sender_get_port           (EpSender             *self);
EpSecurity    ep_sender_get_security       (EpSender             *self);
const char   *ep_sender_get_user           (EpSender             *self);

void          ep_sender_send_async         (EpSender             *self,
                                            EpMessage            *message,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
void          ep_sender_send_file_async    (EpSender             *self,
                                            const EpAddress      *from,
                                            const EpAddressList  *recipients,
                                            const char           *path,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      ep_sender_send_finish        (EpSender             *self,
                                            GAsyncResult         *result,
                                            EpSendResult        **send_result,
                                            GError              **error);

void          ep_sender_check_async        (EpSender             *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
EpServerInfo *ep_sender_check_finish       (EpSender             *self,
                                            GAsyncResult         *result,
                                            GError              **error);
EpServerInfo *ep_sender_dup_server_info    (EpSender             *self);

G_END_DECLS
