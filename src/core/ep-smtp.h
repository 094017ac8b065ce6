/* ep-smtp.h — EpSmtpClient: blocking EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA/BDAT, RSET, QUIT
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-address.h"
#include "ep-gmime.h"
#include "ep-sasl.h"
#include "ep-server-info.h"
#include "ep-send-result.h"
#include "ep-transcript.h"
#include "ep-types.h"
#include "ep-wire-stream.h"

G_BEGIN_DECLS

#define EP_SMTP_ERROR (ep_smtp_error_quark ())

typedef enum {
  EP_SMTP_ERROR_PROTOCOL,     /* the server said something it should not have */
  EP_SMTP_ERROR_AUTH,         /* sign-in refused or impossible */
  EP_SMTP_ERROR_INSECURE,     /* encryption was asked for and cannot be had */
  EP_SMTP_ERROR_REJECTED,     /* a permanent (5xx) refusal */
  EP_SMTP_ERROR_TEMPORARY,    /* a transient (4xx) refusal */
  EP_SMTP_ERROR_RECIPIENTS,   /* one or more recipients refused; see EpSendResult */
  EP_SMTP_ERROR_TOO_BIG,      /* larger than the server's SIZE limit */
  EP_SMTP_ERROR_SMTPUTF8,     /* an address needs SMTPUTF8 and the server lacks it */
} EpSmtpError;

/* Seconds per protocol step, RFC 5321 §4.5.3.2. */
typedef struct
{
  guint connect;
  guint greeting;
  guint command;
  guint data_start;
  guint data_block;
  guint data_end;
} EpSmtpTimeouts;

typedef void (*EpSmtpStageFunc) (EpSendStage stage,
                                 gpointer    user_data);

#define EP_TYPE_SMTP_CLIENT (ep_smtp_client_get_type ())
G_DECLARE_FINAL_TYPE (EpSmtpClient, ep_smtp_client, EP, SMTP_CLIENT, GObject)

GQuark        ep_smtp_error_quark              (void);
void          ep_smtp_timeouts_init            (EpSmtpTimeouts   *timeouts,
                                                guint             uniform);

EpSmtpClient *ep_smtp_client_new               (EpTranscript     *transcript,
                                                const EpSmtpTimeouts *timeouts);
void          ep_smtp_client_set_stage_func    (EpSmtpClient     *self,
                                                EpSmtpStageFunc   func,
                                                gpointer          user_data);
void          ep_smtp_client_set_use_chunking  (EpSmtpClient     *self,
                                                gboolean          use_chunking);
gboolean      ep_smtp_client_connect           (EpSmtpClient     *self,
                                                const char       *host,
                                                guint16           port,
                                                EpSecurity        security,
                                                const char       *ca_file,
                                                const char       *pin,
                                                GCancellable     *cancellable,
                                                GError          **error);
gboolean      ep_smtp_client_has_extension     (EpSmtpClient     *self,
                                                const char       *keyword);
void          ep_smtp_client_set_allow_plaintext_auth (EpSmtpClient *self,
                                                gboolean          allow);
gboolean      ep_smtp_client_authenticate      (EpSmtpClient     *self,
                                                const char       *user,
                                                const char       *secret,
                                                EpSaslMechanism   forced,
                                                GCancellable     *cancellable,
                                                GError          **error);
gboolean      ep_smtp_client_send              (EpSmtpClient     *self,
                                                const EpAddress  *from,
                                                const EpAddressList *recipients,
                                                GMimeMessage     *mime,
                                                guint64           size,
                                                gboolean          partial,
                                                EpWireProgressFunc progress,
                                                gpointer          progress_data,
                                                EpSendResult     *result,
                                                GCancellable     *cancellable,
                                                GError          **error);
gboolean      ep_smtp_client_send_stream       (EpSmtpClient     *self,
                                                const EpAddress  *from,
                                                const EpAddressList *recipients,
                                                GMimeStream      *stream,
                                                guint64           size,
                                                gboolean          partial,
                                                EpWireProgressFunc progress,
                                                gpointer          progress_data,
                                                EpSendResult     *result,
                                                GCancellable     *cancellable,
                                                GError          **error);
const char   *ep_smtp_client_get_greeting      (EpSmtpClient     *self);
guint64       ep_smtp_client_get_size_limit    (EpSmtpClient     *self);
EpServerInfo *ep_smtp_client_dup_server_info   (EpSmtpClient     *self);
void          ep_smtp_client_quit              (EpSmtpClient     *self);

G_END_DECLS
