/* ep-send-result.h — what happened to each recipient, and the server's last word
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ep-gmime.h"

G_BEGIN_DECLS

#define EP_TYPE_SEND_RESULT (ep_send_result_get_type ())
G_DECLARE_FINAL_TYPE (EpSendResult, ep_send_result, EP, SEND_RESULT, GObject)

EpSendResult *ep_send_result_new               (void);
void          ep_send_result_add_recipient     (EpSendResult  *self,
                                                const char    *address,
                                                gboolean       accepted,
                                                const char    *reply);
guint         ep_send_result_get_n_recipients  (EpSendResult  *self);
const char   *ep_send_result_get_recipient     (EpSendResult  *self,
                                                guint          index,
                                                gboolean      *accepted,
                                                const char   **reply);
guint         ep_send_result_get_n_accepted    (EpSendResult  *self);
void          ep_send_result_set_final_reply   (EpSendResult  *self,
                                                const char    *reply);
const char   *ep_send_result_get_final_reply   (EpSendResult  *self);
void          ep_send_result_set_delivered     (EpSendResult  *self,
                                                gboolean       delivered);
gboolean      ep_send_result_get_delivered     (EpSendResult  *self);
void          ep_send_result_set_unconfirmed   (EpSendResult  *self,
                                                gboolean       unconfirmed);
gboolean      ep_send_result_get_unconfirmed   (EpSendResult  *self);
void          ep_send_result_set_message_id    (EpSendResult  *self,
                                                const char    *message_id);
const char   *ep_send_result_get_message_id    (EpSendResult  *self);
void          ep_send_result_set_size          (EpSendResult  *self,
                                                guint64        size);
guint64       ep_send_result_get_size          (EpSendResult  *self);
void          ep_send_result_set_message       (EpSendResult  *self,
                                                GMimeMessage  *message);
GMimeMessage *ep_send_result_get_message       (EpSendResult  *self);

G_END_DECLS
