/* ep-smtp.c — EpSmtpClient: blocking EHLO, STARTTLS, AUTH, MAIL, RCPT, RSET, QUIT
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function is one step of the RFC 5321 dialogue and reads top to
 * bottom like it; the message itself (DATA or BDAT) is ep-smtp-transfer.c's,
 * AUTH is ep-smtp-auth.c's. Nothing here touches a socket or GnuTLS:
 * EpTransport does.
 */
#include "ep-smtp.h"
#include "ep-smtp-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-mime.h"
#include "ep-smtp-hint.h"
#include "ep-smtp-reply.h"
#include "ep-transport.h"

G_DEFINE_FINAL_TYPE (EpSmtpClient, ep_smtp_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (ep-smtp-error-quark, ep_smtp_error)

static void
ep_smtp_client_finalize (GObject *object)
{
  EpSmtpClient *self = EP_SMTP_CLIENT (object);

  g_clear_object (&self->transport);
  g_clear_object (&self->transcript);
  g_clear_pointer (&self->extensions, g_hash_table_unref);
  g_free (self->greeting);

  G_OBJECT_CLASS (ep_smtp_client_parent_class)->finalize (object);
}

static void
ep_smtp_client_class_init (EpSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_smtp_client_finalize;
}

static void
ep_smtp_client_init (EpSmtpClient *self)
{
  self->use_chunking = TRUE;
  self->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * ep_smtp_timeouts_init:
 * @uniform: seconds for every step, or 0 for RFC 5321's recommendations
 */
void
ep_smtp_timeouts_init (EpSmtpTimeouts *timeouts,
                       guint           uniform)
{
  g_return_if_fail (timeouts != NULL);

  if (uniform > 0)
    {
      *timeouts = (EpSmtpTimeouts) { uniform, uniform, uniform, uniform, uniform, uniform };
      return;
    }
  *timeouts = (EpSmtpTimeouts) {
    .connect = 30,
    .greeting = 5 * 60,
    .command = 5 * 60,
    .data_start = 2 * 60,
    .data_block = 3 * 60,
    .data_end = 10 * 60,
  };
}

/**
 * ep_smtp_client_new:
 * @transcript: (nullable): where the dialogue is logged
 * @timeouts: (nullable): per-step timeouts; %NULL for RFC 5321's
 */
EpSmtpClient *
ep_smtp_client_new (EpTranscript         *transcript,
                    const EpSmtpTimeouts *timeouts)
{
  EpSmtpClient *self = g_object_new (EP_TYPE_SMTP_CLIENT, NULL);

  if (transcript != NULL)
    self->transcript = g_object_ref (transcript);
  if (timeouts != NULL)
    self->timeouts = *timeouts;
  else
    ep_smtp_timeouts_init (&self->timeouts, 0);
  return self;
}

void
ep_smtp_client_set_stage_func (EpSmtpClient    *self,
                               EpSmtpStageFunc  func,
                               gpointer         user_data)
{
  g_return_if_fail (EP_IS_SMTP_CLIENT (self));

  self->stage_func = func;
  self->stage_data = user_data;
}

/* Whether BDAT is used when the server offers CHUNKING (the default). */
void
ep_smtp_client_set_use_chunking (EpSmtpClient *self,
                                 gboolean      use_chunking)
{
  g_return_if_fail (EP_IS_SMTP_CLIENT (self));
  self->use_chunking = use_chunking;
}

void
ep_smtp_client_set_stage (EpSmtpClient *self,
                          EpSendStage   stage)
{
  if (self->stage_func != NULL)
    self->stage_func (stage, self->stage_data);
}

/* One reply, whole, within @timeout seconds. */
EpSmtpReply *
ep_smtp_client_read_reply (EpSmtpClient  *self,
                           guint          timeout,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(EpSmtpReply) reply = ep_smtp_reply_new ();
  gboolean complete = FALSE;

  ep_transport_set_deadline (self->transport, timeout);
  while (!complete)
    {
      g_autofree char *line = ep_transport_read_line (self->transport, cancellable, error);

      if (line == NULL || !ep_smtp_reply_add_line (reply, line, &complete, error))
        {
          self->broken = TRUE;
          return NULL;
        }
    }
  return g_steal_pointer (&reply);
}

/* Queues a command line, and sends what is queued when @flush is set. */
static gboolean
send_command (EpSmtpClient  *self,
              const char    *line,
              gboolean       flush,
              GCancellable  *cancellable,
              GError       **error)
{
  if (ep_transport_write_line (self->transport, line, cancellable, error) &&
      (!flush || ep_transport_flush (self->transport, cancellable, error)))
    return TRUE;
  self->broken = TRUE;
  return FALSE;
}

EpSmtpReply *
ep_smtp_client_command (EpSmtpClient  *self,
                        const char    *line,
                        guint          timeout,
                        GCancellable  *cancellable,
                        GError       **error)
{
  if (!send_command (self, line, TRUE, cancellable, error))
    return NULL;
  return ep_smtp_client_read_reply (self, timeout, cancellable, error);
}

/* Sets @error from a refusal: 4xx is temporary, 5xx permanent. */
gboolean
ep_smtp_client_refused (const EpSmtpReply  *reply,
                        const char         *what,
                        GError            **error)
{
  g_autofree char *said = ep_smtp_reply_to_string (reply);

  g_set_error (error, EP_SMTP_ERROR,
               ep_smtp_reply_is_transient (reply) ? EP_SMTP_ERROR_TEMPORARY : EP_SMTP_ERROR_REJECTED,
               /* Translators: %1 is a step such as “the greeting”, %2 the server's reply */
               _("The server refused %s: %s"), what, said);
  return FALSE;
}

gboolean
ep_smtp_client_unexpected (const EpSmtpReply  *reply,
                           const char         *what,
                           GError            **error)
{
  g_autofree char *said = ep_smtp_reply_to_string (reply);

  g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_PROTOCOL,
               _("The server answered %s unexpectedly: %s"), what, said);
  return FALSE;
}

/* A host name with a dot, or the address literal of our end of the connection. */
static char *
helo_name (void)
{
  const char *host = g_get_host_name ();

  if (strchr (host, '.') != NULL && g_hostname_is_ascii_encoded (host))
    return g_strdup (host);
  return g_strdup ("[127.0.0.1]");
}

static gboolean
ehlo (EpSmtpClient  *self,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autofree char *name = helo_name ();
  g_autofree char *line = g_strdup_printf ("EHLO %s", name);
  g_autoptr(EpSmtpReply) reply = ep_smtp_client_command (self, line, self->timeouts.command, cancellable, error);

  if (reply == NULL)
    return FALSE;

  g_hash_table_remove_all (self->extensions);
  if (ep_smtp_reply_get_code (reply) == 250)
    {
      g_clear_pointer (&self->extensions, g_hash_table_unref);
      self->extensions = ep_smtp_reply_parse_ehlo (reply);
      return TRUE;
    }
  if (ep_smtp_reply_get_code (reply) < 500)
    return ep_smtp_client_refused (reply, "EHLO", error);

  /* An RFC 821 server: HELO, and no extensions. */
  g_clear_pointer (&reply, ep_smtp_reply_free);
  g_free (line);
  line = g_strdup_printf ("HELO %s", name);
  reply = ep_smtp_client_command (self, line, self->timeouts.command, cancellable, error);
  if (reply == NULL)
    return FALSE;
  return ep_smtp_reply_get_code (reply) == 250 || ep_smtp_client_refused (reply, "HELO", error);
}

/* A handshake that failed half-way leaves nothing to say QUIT to (and a
 * clear-text QUIT would wait for an answer that never comes, delaying a
 * cancel by the command timeout). Only data seen before the handshake
 * leaves the dialogue intact. */
static gboolean
start_tls (EpSmtpClient  *self,
           const char    *ca_file,
           const char    *pin,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local = NULL;

  if (ep_transport_start_tls (self->transport, ca_file, pin, cancellable, &local))
    return TRUE;
  if (!g_error_matches (local, EP_TRANSPORT_ERROR, EP_TRANSPORT_ERROR_STARTTLS))
    self->broken = TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gboolean
starttls (EpSmtpClient  *self,
          const char    *ca_file,
          const char    *pin,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(EpSmtpReply) reply = NULL;

  if (!ep_smtp_client_has_extension (self, "STARTTLS"))
    {
      g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_INSECURE,
                   _("%s does not offer STARTTLS, so the connection cannot be encrypted and "
                     "Epistle will not go on in clear text. Use implicit TLS (usually port 465) "
                     "if the server offers it."), ep_transport_get_host (self->transport));
      return FALSE;
    }

  ep_smtp_client_set_stage (self, EP_SEND_STAGE_TLS);
  reply = ep_smtp_client_command (self, "STARTTLS", self->timeouts.command, cancellable, error);
  if (reply == NULL)
    return FALSE;
  if (ep_smtp_reply_get_code (reply) != 220)
    {
      g_autofree char *said = ep_smtp_reply_to_string (reply);
      g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_INSECURE,
                   _("The server refused to start encryption: %s"), said);
      return FALSE;
    }
  return start_tls (self, ca_file, pin, cancellable, error) && ehlo (self, cancellable, error);
}

/**
 * ep_smtp_client_connect:
 * @ca_file: (nullable): a PEM file of extra CAs to trust
 * @pin: (nullable): a SHA-256 fingerprint to accept even if not trusted
 *
 * Connects, reads the greeting, says EHLO and, as @security asks, encrypts.
 */
gboolean
ep_smtp_client_connect (EpSmtpClient  *self,
                        const char    *host,
                        guint16        port,
                        EpSecurity     security,
                        const char    *ca_file,
                        const char    *pin,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(EpSmtpReply) greeting = NULL;

  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport == NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  ep_smtp_client_set_stage (self, EP_SEND_STAGE_CONNECTING);
  self->security = security;
  self->transport = ep_transport_connect (host, port, self->timeouts.connect, self->transcript,
                                          cancellable, error);
  if (self->transport == NULL)
    return FALSE;

  if (security == EP_SECURITY_TLS)
    {
      ep_smtp_client_set_stage (self, EP_SEND_STAGE_TLS);
      if (!start_tls (self, ca_file, pin, cancellable, error))
        return FALSE;
    }

  greeting = ep_smtp_client_read_reply (self, self->timeouts.greeting, cancellable, error);
  if (greeting == NULL)
    return FALSE;
  if (ep_smtp_reply_get_code (greeting) != 220)
    return ep_smtp_client_refused (greeting, _("the connection"), error);
  self->greeting = ep_smtp_reply_to_string (greeting);

  if (!ehlo (self, cancellable, error))
    return FALSE;
  if (security == EP_SECURITY_STARTTLS)
    return starttls (self, ca_file, pin, cancellable, error);
  return TRUE;
}

gboolean
ep_smtp_client_has_extension (EpSmtpClient *self,
                              const char   *keyword)
{
  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (keyword != NULL, FALSE);
  return g_hash_table_contains (self->extensions, keyword);
}

/* The server's 220 greeting as one line, or %NULL before it arrived. */
const char *
ep_smtp_client_get_greeting (EpSmtpClient *self)
{
  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), NULL);
  return self->greeting;
}

/* The SIZE the server announced in EHLO, or 0 for none. */
guint64
ep_smtp_client_get_size_limit (EpSmtpClient *self)
{
  const char *limit_text;

  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), 0);

  limit_text = g_hash_table_lookup (self->extensions, "SIZE");
  if (limit_text == NULL || *limit_text == '\0')
    return 0;
  return g_ascii_strtoull (limit_text, NULL, 10);
}

/**
 * ep_smtp_client_dup_server_info:
 *
 * Returns: (transfer full) (nullable): what the server announced, or %NULL
 *   before the connection was made
 */
EpServerInfo *
ep_smtp_client_dup_server_info (EpSmtpClient *self)
{
  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), NULL);

  if (self->transport == NULL)
    return NULL;
  return ep_server_info_new (ep_transport_get_host (self->transport), self->greeting,
                             self->extensions);
}

/* The envelope form of @address: A-labels unless SMTPUTF8 is in use. */
static const char *
envelope_address (const EpAddress *address,
                  gboolean         utf8)
{
  const char *ascii = ep_address_get_ascii (address);

  return (utf8 || ascii == NULL) ? ep_address_get_addr_spec (address) : ascii;
}

static gboolean
check_smtputf8 (EpSmtpClient         *self,
                const EpAddress      *from,
                const EpAddressList  *recipients,
                gboolean             *needed,
                GError              **error)
{
  const EpAddress *needs = ep_address_needs_smtputf8 (from) ? from : NULL;

  for (guint i = 0; needs == NULL && i < ep_address_list_get_length (recipients); i++)
    {
      if (ep_address_needs_smtputf8 (ep_address_list_get (recipients, i)))
        needs = ep_address_list_get (recipients, i);
    }
  *needed = needs != NULL;
  if (needs != NULL && !ep_smtp_client_has_extension (self, "SMTPUTF8"))
    {
      g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_SMTPUTF8,
                   _("“%s” has non-ASCII characters before the “@”, and this server cannot "
                     "deliver to such addresses (it does not offer SMTPUTF8)"),
                   ep_address_get_addr_spec (needs));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_size (EpSmtpClient  *self,
            guint64        size,
            GError       **error)
{
  const char *limit_text = g_hash_table_lookup (self->extensions, "SIZE");
  guint64 limit;

  if (limit_text == NULL || *limit_text == '\0')
    return TRUE;
  limit = g_ascii_strtoull (limit_text, NULL, 10);
  if (limit == 0 || size <= limit)
    return TRUE;

  {
    g_autofree char *have = g_format_size (size);
    g_autofree char *max = g_format_size (limit);

    g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_TOO_BIG,
                 _("The message is %s (%llu bytes), but %s accepts at most %s (%llu bytes); "
                   "nothing was sent. Remove or shrink attachments, or share large files by link."),
                 have, (unsigned long long) size, ep_transport_get_host (self->transport), max,
                 (unsigned long long) limit);
  }
  return FALSE;
}

static void
rset (EpSmtpClient *self,
      GCancellable *cancellable)
{
  g_autoptr(EpSmtpReply) reply = NULL;

  if (self->broken)
    return;
  reply = ep_smtp_client_command (self, "RSET", self->timeouts.command, cancellable, NULL);
}

/* Builds the error for refused recipients, naming each with the server's words. */
static void
set_recipients_error (EpSendResult  *result,
                      guint          n_rejected,
                      gboolean       all_transient,
                      GError       **error)
{
  GString *list = g_string_new (NULL);
  guint total = ep_send_result_get_n_recipients (result);

  for (guint i = 0; i < total; i++)
    {
      gboolean accepted;
      const char *reply;
      const char *address = ep_send_result_get_recipient (result, i, &accepted, &reply);

      if (!accepted)
        g_string_append_printf (list, "%s%s (%s)", list->len ? "; " : "", address, reply);
    }
  g_set_error (error, EP_SMTP_ERROR,
               all_transient ? EP_SMTP_ERROR_TEMPORARY : EP_SMTP_ERROR_RECIPIENTS,
               ngettext ("The server refused %u of %u recipients, so nothing was sent: %s",
                         "The server refused %u of %u recipients, so nothing was sent: %s",
                         n_rejected),
               n_rejected, total, list->str);
  g_string_free (list, TRUE);
}

static GString *
mail_command (EpSmtpClient    *self,
              const EpAddress *from,
              guint64          size,
              gboolean         utf8)
{
  GString *mail = g_string_new (NULL);

  g_string_printf (mail, "MAIL FROM:<%s>", envelope_address (from, utf8));
  if (ep_smtp_client_has_extension (self, "SIZE"))
    g_string_append_printf (mail, " SIZE=%" G_GUINT64_FORMAT, size);
  if (utf8)
    g_string_append (mail, " SMTPUTF8");
  if (utf8 && ep_smtp_client_has_extension (self, "8BITMIME"))
    g_string_append (mail, " BODY=8BITMIME");
  return mail;
}

typedef struct
{
  guint rejected;
  guint transient;
} Tally;

/* Reads one RCPT reply and records it against @address. */
static gboolean
read_rcpt_reply (EpSmtpClient     *self,
                 const EpAddress  *address,
                 EpSendResult     *result,
                 Tally            *tally,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(EpSmtpReply) reply = ep_smtp_client_read_reply (self, self->timeouts.command, cancellable,
                                                            error);
  g_autofree char *said = NULL;

  if (reply == NULL)
    return FALSE;
  said = ep_smtp_reply_to_string (reply);
  ep_send_result_add_recipient (result, ep_address_get_addr_spec (address),
                                ep_smtp_reply_is_positive (reply), said);
  tally->rejected += !ep_smtp_reply_is_positive (reply);
  tally->transient += ep_smtp_reply_is_transient (reply);
  return TRUE;
}

/* Ends the transaction after the server refused the message (at MAIL or after the data). */
static gboolean
message_refused (EpSmtpClient       *self,
              const EpSmtpReply  *reply,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autofree char *hint = ep_smtp_hint_rejection (ep_transport_get_host (self->transport), reply);

  rset (self, cancellable);
  g_set_error_literal (error, EP_SMTP_ERROR,
                       ep_smtp_reply_is_transient (reply) ? EP_SMTP_ERROR_TEMPORARY
                                                          : EP_SMTP_ERROR_REJECTED,
                       hint);
  return FALSE;
}

/* MAIL FROM and every RCPT TO: one at a time, or all at once with PIPELINING. */
static gboolean
envelope (EpSmtpClient         *self,
          const EpAddress      *from,
          const EpAddressList  *recipients,
          guint64               size,
          gboolean              utf8,
          gboolean              partial,
          EpSendResult         *result,
          GCancellable         *cancellable,
          GError              **error)
{
  gboolean pipelining = ep_smtp_client_has_extension (self, "PIPELINING");
  guint n = ep_address_list_get_length (recipients);
  g_autoptr(GString) mail = mail_command (self, from, size, utf8);
  g_autoptr(EpSmtpReply) mail_reply = NULL;
  Tally tally = { 0, 0 };

  if (!send_command (self, mail->str, !pipelining || n == 0, cancellable, error))
    return FALSE;
  if (!pipelining)
    {
      mail_reply = ep_smtp_client_read_reply (self, self->timeouts.command, cancellable, error);
      if (mail_reply == NULL)
        return FALSE;
      if (!ep_smtp_reply_is_positive (mail_reply))
        return message_refused (self, mail_reply, cancellable, error);
    }

  for (guint i = 0; i < n; i++)
    {
      const EpAddress *address = ep_address_list_get (recipients, i);
      g_autofree char *rcpt = g_strdup_printf ("RCPT TO:<%s>", envelope_address (address, utf8));

      if (!send_command (self, rcpt, !pipelining || i + 1 == n, cancellable, error))
        return FALSE;
      if (!pipelining && !read_rcpt_reply (self, address, result, &tally, cancellable, error))
        return FALSE;
    }

  if (pipelining)
    {
      mail_reply = ep_smtp_client_read_reply (self, self->timeouts.command, cancellable, error);
      if (mail_reply == NULL)
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          if (!read_rcpt_reply (self, ep_address_list_get (recipients, i), result, &tally,
                                cancellable, error))
            return FALSE;
        }
      if (!ep_smtp_reply_is_positive (mail_reply))
        return message_refused (self, mail_reply, cancellable, error);
    }

  if (tally.rejected > 0 && (!partial || tally.rejected == n))
    {
      rset (self, cancellable);
      set_recipients_error (result, tally.rejected, tally.transient == tally.rejected, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
send_source (EpSmtpClient         *self,
             const EpAddress      *from,
             const EpAddressList  *recipients,
             const EpSmtpSource   *source,
             guint64               size,
             gboolean              partial,
             EpWireProgressFunc    progress,
             gpointer              progress_data,
             EpSendResult         *result,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(EpSmtpReply) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *said = NULL;
  gboolean utf8 = FALSE;
  gboolean unconfirmed = FALSE;

  if (!check_smtputf8 (self, from, recipients, &utf8, error) || !check_size (self, size, error))
    return FALSE;

  ep_smtp_client_set_stage (self, EP_SEND_STAGE_ENVELOPE);
  if (!envelope (self, from, recipients, size, utf8, partial, result, cancellable, error))
    return FALSE;

  ep_smtp_client_set_stage (self, EP_SEND_STAGE_SENDING);
  reply = ep_smtp_client_transfer (self, source, size, &unconfirmed, progress, progress_data, cancellable,
                                   &local_error);
  if (reply == NULL)
    {
      /* Cancelled once DATA/BDAT began: the server may have the message, so it is never resent by itself. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        unconfirmed = TRUE;
      ep_send_result_set_unconfirmed (result, unconfirmed);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  said = ep_smtp_reply_to_string (reply);
  ep_send_result_set_final_reply (result, said);
  if (ep_smtp_reply_get_code (reply) != 250)
    return message_refused (self, reply, cancellable, error);

  ep_send_result_set_delivered (result, TRUE);
  ep_smtp_client_set_stage (self, EP_SEND_STAGE_DONE);
  return TRUE;
}

/**
 * ep_smtp_client_send:
 * @size: the message's exact size from ep_mime_measure ()
 * @partial: send to the accepted recipients even if some are refused
 * @result: filled in with each recipient's outcome and the final reply
 *
 * One mail transaction. On failure with the connection still usable the
 * transaction is reset (RSET), so the client may send again.
 */
gboolean
ep_smtp_client_send (EpSmtpClient         *self,
                     const EpAddress      *from,
                     const EpAddressList  *recipients,
                     GMimeMessage         *mime,
                     guint64               size,
                     gboolean              partial,
                     EpWireProgressFunc    progress,
                     gpointer              progress_data,
                     EpSendResult         *result,
                     GCancellable         *cancellable,
                     GError              **error)
{
  EpSmtpSource source = { mime, NULL };

  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (from != NULL && recipients != NULL, FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);
  g_return_val_if_fail (EP_IS_SEND_RESULT (result), FALSE);

  return send_source (self, from, recipients, &source, size, partial, progress, progress_data, result,
                      cancellable, error);
}

/**
 * ep_smtp_client_send_stream:
 * @stream: a message already in wire form (CRLF line ends, as ep_mime_write ()
 *   writes it), sent byte for byte from its start (dot-stuffed for DATA)
 * @size: the length of @stream
 * @partial: send to the accepted recipients even if others are refused
 *
 * As ep_smtp_client_send (), for a message built before: every try of an
 * outbox message sends the same bytes, Message-ID included.
 */
gboolean
ep_smtp_client_send_stream (EpSmtpClient         *self,
                            const EpAddress      *from,
                            const EpAddressList  *recipients,
                            GMimeStream          *stream,
                            guint64               size,
                            gboolean              partial,
                            EpWireProgressFunc    progress,
                            gpointer              progress_data,
                            EpSendResult         *result,
                            GCancellable         *cancellable,
                            GError              **error)
{
  EpSmtpSource source = { NULL, stream };

  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (from != NULL && recipients != NULL, FALSE);
  g_return_val_if_fail (GMIME_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (EP_IS_SEND_RESULT (result), FALSE);

  return send_source (self, from, recipients, &source, size, partial, progress, progress_data, result,
                      cancellable, error);
}

/* Says QUIT politely, waiting briefly, and closes; never fails. After an
 * I/O failure (a cancel mid-DATA included) it only closes: a QUIT then
 * could land inside the message body. */
void
ep_smtp_client_quit (EpSmtpClient *self)
{
  g_autoptr(EpSmtpReply) reply = NULL;

  g_return_if_fail (EP_IS_SMTP_CLIENT (self));

  if (self->transport == NULL)
    return;
  self->timeouts.command = MIN (self->timeouts.command, 5);
  if (self->broken)
    ep_transport_abort (self->transport);
  else
    {
      reply = ep_smtp_client_command (self, "QUIT", self->timeouts.command, NULL, NULL);
      ep_transport_close (self->transport);
    }
  g_clear_object (&self->transport);
}
