/* ep-smtp-reply.h — multi-line SMTP replies and enhanced status codes; no I/O
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EP_SMTP_REPLY_ERROR (ep_smtp_reply_error_quark ())

typedef enum {
  EP_SMTP_REPLY_ERROR_MALFORMED,
  EP_SMTP_REPLY_ERROR_TOO_LONG,   /* more lines or bytes than one reply may hold */
} EpSmtpReplyError;

/* RFC 5321 §4.5.3.1.5 puts a reply line at 512 octets; these leave generous room. */
#define EP_SMTP_REPLY_MAX_LINES 1000
#define EP_SMTP_REPLY_MAX_SIZE  (64 * 1024)   /* bytes, each line's CR LF included */

typedef struct _EpSmtpReply EpSmtpReply;

GQuark       ep_smtp_reply_error_quark   (void);

EpSmtpReply *ep_smtp_reply_new           (void);
void         ep_smtp_reply_free          (EpSmtpReply  *self);
gboolean     ep_smtp_reply_add_line      (EpSmtpReply  *self,
                                          const char   *line,
                                          gboolean     *complete,
                                          GError      **error);
guint        ep_smtp_reply_get_code      (const EpSmtpReply *self);
const char  *ep_smtp_reply_get_enhanced  (const EpSmtpReply *self);
guint        ep_smtp_reply_get_n_lines   (const EpSmtpReply *self);
const char  *ep_smtp_reply_get_line      (const EpSmtpReply *self,
                                          guint         index);
char        *ep_smtp_reply_to_string     (const EpSmtpReply *self);
gboolean     ep_smtp_reply_is_positive   (const EpSmtpReply *self);
gboolean     ep_smtp_reply_is_transient  (const EpSmtpReply *self);

GHashTable  *ep_smtp_reply_parse_ehlo    (const EpSmtpReply *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpSmtpReply, ep_smtp_reply_free)

G_END_DECLS
