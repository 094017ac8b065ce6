/* ep-smtp-private.h — what ep-smtp.c shares with ep-smtp-auth.c and ep-smtp-transfer.c
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-smtp.h"
#include "ep-smtp-reply.h"
#include "ep-transport.h"

G_BEGIN_DECLS

struct _EpSmtpClient
{
  GObject parent_instance;

  /* Owned */
  EpTranscript *transcript;
  EpTransport *transport;
  GHashTable *extensions;
  char *greeting;         /* the server's 220 reply, as one line */

  /* Borrowed */
  EpSmtpStageFunc stage_func;
  gpointer stage_data;

  EpSmtpTimeouts timeouts;
  EpSecurity security;
  gboolean use_chunking;
  gboolean allow_plaintext_auth;   /* the user accepted AUTH over security none */
  gboolean broken;        /* an I/O failure left the dialogue in an unknown state */
};

/* What goes after DATA or in BDAT chunks: a message GMime writes, or the bytes of one already written. */
typedef struct
{
  GMimeMessage *mime;   /* or */
  GMimeStream *raw;     /* wire form (CRLF), read from its start */
} EpSmtpSource;

EpSmtpReply *ep_smtp_client_read_reply (EpSmtpClient       *self,
                                        guint               timeout,
                                        GCancellable       *cancellable,
                                        GError            **error);
EpSmtpReply *ep_smtp_client_command    (EpSmtpClient       *self,
                                        const char         *line,
                                        guint               timeout,
                                        GCancellable       *cancellable,
                                        GError            **error);
void         ep_smtp_client_set_stage  (EpSmtpClient       *self,
                                        EpSendStage         stage);
gboolean     ep_smtp_client_refused    (const EpSmtpReply  *reply,
                                        const char         *what,
                                        GError            **error);
gboolean     ep_smtp_client_unexpected (const EpSmtpReply  *reply,
                                        const char         *what,
                                        GError            **error);
EpSmtpReply *ep_smtp_client_transfer   (EpSmtpClient       *self,
                                        const EpSmtpSource *source,
                                        guint64             size,
                                        gboolean           *unconfirmed,
                                        EpWireProgressFunc  progress,
                                        gpointer            progress_data,
                                        GCancellable       *cancellable,
                                        GError            **error);

G_END_DECLS
