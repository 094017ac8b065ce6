/* ep-imap.c — EpImapClient: the connection, commands and responses, CAPABILITY, ID, STARTTLS, LOGOUT
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function is one step of the RFC 3501 dialogue and reads top to
 * bottom like it. Nothing here touches a socket or GnuTLS: EpTransport
 * does, with the same TLS rules, pins and deadlines as SMTP. The server's
 * bytes go through EpImapParser, which bounds what one response may hold.
 */
#include "ep-imap.h"
#include "ep-imap-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-imap-utf7.h"
#include "ep-server-text.h"
#include "ep-tls.h"

#define IN_BUFFER (64 * 1024)

G_DEFINE_FINAL_TYPE (EpImapClient, ep_imap_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (ep-imap-error-quark, ep_imap_error)

struct _EpImapCommand
{
  EpImapClient *client;     /* borrowed */
  char *tag;
  char *verb;               /* for messages: “LIST”, “UID FETCH” */
  GPtrArray *parts;         /* GBytes: text, then literal, text, … text */
  GString *line;            /* the text part being built */
  gboolean literal_plus;
};

static void
ep_imap_client_finalize (GObject *object)
{
  EpImapClient *self = EP_IMAP_CLIENT (object);

  g_clear_object (&self->transport);
  g_clear_object (&self->transcript);
  g_clear_pointer (&self->parser, ep_imap_parser_free);
  g_clear_pointer (&self->capabilities, g_hash_table_unref);
  g_free (self->in_buffer);
  g_free (self->bye);

  G_OBJECT_CLASS (ep_imap_client_parent_class)->finalize (object);
}

static void
ep_imap_client_class_init (EpImapClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_imap_client_finalize;
}

static void
ep_imap_client_init (EpImapClient *self)
{
  self->capabilities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->parser = ep_imap_parser_new ();
  self->in_buffer = g_malloc (IN_BUFFER);
  self->max_response = EP_IMAP_PARSER_MAX_RESPONSE;
}

/**
 * ep_imap_client_new:
 * @transcript: (nullable): where the dialogue is logged
 * @timeout: seconds for the connection and for each response; 0 for 60
 */
EpImapClient *
ep_imap_client_new (EpTranscript *transcript,
                    guint         timeout)
{
  EpImapClient *self = g_object_new (EP_TYPE_IMAP_CLIENT, NULL);

  if (transcript != NULL)
    self->transcript = g_object_ref (transcript);
  self->timeout = timeout > 0 ? timeout : 60;
  return self;
}

/* The most one response may hold (a BODY[] literal included); 64 MiB by default. */
void
ep_imap_client_set_max_response (EpImapClient *self,
                                 gsize         max_response)
{
  g_return_if_fail (EP_IS_IMAP_CLIENT (self));
  g_return_if_fail (max_response >= 4096);

  self->max_response = max_response;
  ep_imap_parser_set_limits (self->parser, max_response, MIN (max_response, EP_IMAP_PARSER_MAX_LINE),
                             EP_IMAP_PARSER_MAX_VALUES);
}

void
ep_imap_client_set_allow_plaintext_auth (EpImapClient *self,
                                         gboolean      allow)
{
  g_return_if_fail (EP_IS_IMAP_CLIENT (self));
  self->allow_plaintext_auth = allow;
}

/* Free functions of the plain structures */

void
ep_imap_mailbox_free (EpImapMailbox *mailbox)
{
  if (mailbox == NULL)
    return;
  g_free (mailbox->name);
  g_free (mailbox->encoded);
  g_strfreev (mailbox->flags);
  g_free (mailbox);
}

gboolean
ep_imap_mailbox_has_flag (const EpImapMailbox *mailbox,
                          const char          *flag)
{
  g_return_val_if_fail (mailbox != NULL && flag != NULL, FALSE);

  for (guint i = 0; mailbox->flags != NULL && mailbox->flags[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (mailbox->flags[i], flag) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * ep_imap_mailbox_dup_path:
 *
 * The mailbox's place in the hierarchy, split at the delimiter LIST gave
 * (“Archive/2025” with “/” → “Archive”, “2025”), each level decoded as the
 * name is. Empty levels (a leading, doubled or trailing delimiter) are
 * skipped; a server without hierarchy gives the whole name.
 *
 * Returns: (transfer full): one string per level, at least one
 */
char **
ep_imap_mailbox_dup_path (const EpImapMailbox *mailbox)
{
  g_autoptr(GStrvBuilder) path = g_strv_builder_new ();
  char delimiter[2] = { 0 };
  g_auto(GStrv) levels = NULL;
  guint n = 0;

  g_return_val_if_fail (mailbox != NULL && mailbox->name != NULL, NULL);

  delimiter[0] = mailbox->delimiter;
  /* A delimiter outside ASCII could split a UTF-8 character of the decoded name. */
  if (mailbox->delimiter == '\0' || (guchar) mailbox->delimiter >= 0x80)
    return g_strdupv ((char *[]) { mailbox->name, NULL });
  levels = g_strsplit (mailbox->name, delimiter, -1);
  for (guint i = 0; levels[i] != NULL; i++)
    {
      if (*levels[i] == '\0')
        continue;
      g_strv_builder_add (path, levels[i]);
      n++;
    }
  if (n == 0)
    g_strv_builder_add (path, mailbox->name);
  return g_strv_builder_end (path);
}

/* Commands */

EpImapCommand *
ep_imap_command_new (EpImapClient *self,
                     const char   *verb)
{
  EpImapCommand *command = g_new0 (EpImapCommand, 1);

  command->client = self;
  command->tag = g_strdup_printf ("E%u", ++self->next_tag);
  command->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  command->line = g_string_new (command->tag);
  command->verb = g_strndup (verb, strcspn (verb, " ("));
  if (g_str_has_prefix (verb, "UID "))
    {
      g_free (command->verb);
      command->verb = g_strndup (verb, 4 + strcspn (verb + 4, " ("));
    }
  command->literal_plus = ep_imap_client_has_capability (self, "LITERAL+");
  g_string_append_printf (command->line, " %s", verb);
  return command;
}

void
ep_imap_command_free (EpImapCommand *command)
{
  if (command == NULL)
    return;
  g_free (command->tag);
  g_free (command->verb);
  g_ptr_array_unref (command->parts);
  g_string_free (command->line, TRUE);
  g_free (command);
}

const char *
ep_imap_command_get_tag (EpImapCommand *command)
{
  return command->tag;
}

/* Appends @text as it is: atoms, spaces, parentheses. */
void
ep_imap_command_add_text (EpImapCommand *command,
                          const char    *text)
{
  g_string_append (command->line, text);
}

/* Appends a space and @value as an IMAP string: quoted when it can be, else a literal. */
void
ep_imap_command_add_string (EpImapCommand *command,
                            const char    *value)
{
  gsize len = strlen (value);
  gboolean quotable = len < 1024;

  for (const char *p = value; quotable && *p != '\0'; p++)
    quotable = (guchar) *p >= 0x20 && (guchar) *p < 0x7f;
  if (quotable)
    {
      g_string_append (command->line, " \"");
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (command->line, '\\');
          g_string_append_c (command->line, *p);
        }
      g_string_append_c (command->line, '"');
      return;
    }
  g_string_append_printf (command->line, " {%" G_GSIZE_FORMAT "%s}", len, command->literal_plus ? "+" : "");
  g_ptr_array_add (command->parts, g_bytes_new (command->line->str, command->line->len));
  g_ptr_array_add (command->parts, g_bytes_new (value, len));
  g_string_truncate (command->line, 0);
}

/* A mailbox name in UTF-8, written in modified UTF-7. */
void
ep_imap_command_add_mailbox (EpImapCommand *command,
                             const char    *mailbox)
{
  g_autofree char *encoded = ep_imap_utf7_encode (mailbox);

  ep_imap_command_add_string (command, encoded != NULL ? encoded : mailbox);
}

/* Reading */

static void
log_response (EpImapClient         *self,
              const EpImapResponse *response)
{
  if (self->transcript == NULL)
    return;
  for (guint i = 0; i < ep_imap_response_get_n_lines (response); i++)
    {
      gsize literal = 0;
      const char *line = ep_imap_response_get_line (response, i, &literal);

      if (line != NULL)
        {
          g_autofree char *shown = ep_server_text_to_display (line, -1);
          ep_transcript_server (self->transcript, shown);
        }
      else
        ep_transcript_note (self->transcript, "(%" G_GSIZE_FORMAT " bytes of literal data)", literal);
    }
}

static void
set_capabilities (EpImapClient      *self,
                  const EpImapValue *list,
                  guint              first)
{
  g_hash_table_remove_all (self->capabilities);
  for (guint i = first; i < ep_imap_value_get_n_items (list); i++)
    {
      const EpImapValue *item = ep_imap_value_get_item (list, i);

      if (item->type == EP_IMAP_VALUE_ATOM)
        g_hash_table_add (self->capabilities, g_ascii_strup (item->data, -1));
    }
}

/* What every response may carry, whatever command it answers. */
static void
note_response (EpImapClient         *self,
               const EpImapResponse *response)
{
  if (ep_imap_value_is_atom (ep_imap_value_get_item (response->code, 0), "CAPABILITY"))
    set_capabilities (self, response->code, 1);
  if (ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 0), "CAPABILITY"))
    set_capabilities (self, response->data, 1);
  if (response->kind == EP_IMAP_RESPONSE_UNTAGGED && response->status == EP_IMAP_STATUS_BYE)
    {
      g_free (self->bye);
      self->bye = ep_imap_response_dup_text (response);
    }
}

/* The response's text, safe to show. */
char *
ep_imap_response_dup_text (const EpImapResponse *response)
{
  return ep_server_text_to_display (response->text, -1);
}

/**
 * ep_imap_client_read:
 *
 * The next response, within the timeout for one response.
 */
EpImapResponse *
ep_imap_client_read (EpImapClient  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  ep_transport_set_deadline (self->transport, self->timeout);
  for (;;)
    {
      gssize n;

      while (self->in_pos < self->in_len)
        {
          EpImapResponse *response = NULL;
          gsize consumed = 0;

          if (!ep_imap_parser_feed (self->parser, self->in_buffer + self->in_pos,
                                    self->in_len - self->in_pos, &consumed, &response, error))
            {
              self->broken = TRUE;
              g_prefix_error (error, "%s: ", ep_transport_get_host (self->transport));
              return NULL;
            }
          self->in_pos += consumed;
          if (response != NULL)
            {
              log_response (self, response);
              note_response (self, response);
              return response;
            }
        }
      n = ep_transport_read (self->transport, self->in_buffer, IN_BUFFER, cancellable, error);
      if (n < 0)
        {
          self->broken = TRUE;
          if (self->bye != NULL && error != NULL && *error != NULL &&
              (*error)->domain == EP_TRANSPORT_ERROR)
            {
              g_clear_error (error);
              g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_BYE,
                           _("The server ended the session: %s"), self->bye);
            }
          return NULL;
        }
      self->in_pos = 0;
      self->in_len = n;
    }
}

/* Writing */

static gboolean
write_part (EpImapClient  *self,
            GBytes        *part,
            gboolean       literal,
            gboolean       secret,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (part, &len);

  if (self->transcript != NULL)
    {
      if (literal && secret)
        ep_transcript_client_redacted (self->transcript);
      else if (literal)
        ep_transcript_note (self->transcript, "(%" G_GSIZE_FORMAT " bytes of literal data)", len);
      else
        {
          g_autofree char *text = g_strndup (data, len);
          ep_transcript_client (self->transcript, text);
        }
    }
  if (ep_transport_write (self->transport, data, len, cancellable, error))
    return TRUE;
  self->broken = TRUE;
  return FALSE;
}

gboolean
ep_imap_client_flush (EpImapClient  *self,
       GCancellable  *cancellable,
       GError       **error)
{
  if (ep_transport_flush (self->transport, cancellable, error))
    return TRUE;
  self->broken = TRUE;
  return FALSE;
}

/* Waits for the server's go-ahead for a literal: “+”, or the command's refusal. */
gboolean
ep_imap_client_wait_continuation (EpImapClient  *self,
                                  const char    *tag,
                                  const char    *what,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(EpImapResponse) response = ep_imap_client_wait_tagged (self, tag, NULL, NULL, TRUE,
                                                                    cancellable, error);

  if (response == NULL)
    return FALSE;
  if (response->kind == EP_IMAP_RESPONSE_CONTINUATION)
    return TRUE;
  if (!ep_imap_client_check_tagged (self, response, what, error))
    return FALSE;
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
               _("The server ended %s before its data was sent"), what);
  return FALSE;
}

static gboolean
send_command (EpImapClient   *self,
              EpImapCommand  *command,
              gboolean        secret,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GBytes) last = NULL;

  g_string_append (command->line, "\r\n");
  last = g_bytes_new (command->line->str, command->line->len);
  for (guint i = 0; i < command->parts->len; i += 2)
    {
      GBytes *text = g_ptr_array_index (command->parts, i);
      GBytes *literal = g_ptr_array_index (command->parts, i + 1);

      if (!write_part (self, text, FALSE, FALSE, cancellable, error) ||
          !ep_transport_write (self->transport, "\r\n", 2, cancellable, error))
        return FALSE;
      if (!command->literal_plus &&
          (!ep_imap_client_flush (self, cancellable, error) ||
           !ep_imap_client_wait_continuation (self, command->tag, command->verb, cancellable, error)))
        return FALSE;
      if (!write_part (self, literal, TRUE, secret, cancellable, error))
        return FALSE;
    }
  /* The last text part, logged without its CR LF. */
  if (self->transcript != NULL && command->line->len > 2)
    {
      g_autofree char *text = g_strndup (command->line->str, command->line->len - 2);
      ep_transcript_client (self->transcript, text);
    }
  if (!ep_transport_write (self->transport, command->line->str, command->line->len, cancellable, error))
    {
      self->broken = TRUE;
      return FALSE;
    }
  return ep_imap_client_flush (self, cancellable, error);
}

gboolean
ep_imap_client_send (EpImapClient   *self,
                     EpImapCommand  *command,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return send_command (self, command, FALSE, cancellable, error);
}

/* One line of a SASL exchange; @secret lines are logged as redacted. */
gboolean
ep_imap_client_send_line (EpImapClient  *self,
                          const char    *line,
                          gboolean       secret,
                          GCancellable  *cancellable,
                          GError       **error)
{
  if (self->transcript != NULL)
    {
      if (secret)
        ep_transcript_client_redacted (self->transcript);
      else
        ep_transcript_client (self->transcript, line);
    }
  if (ep_transport_write (self->transport, line, strlen (line), cancellable, error) &&
      ep_transport_write (self->transport, "\r\n", 2, cancellable, error))
    return ep_imap_client_flush (self, cancellable, error);
  self->broken = TRUE;
  return FALSE;
}

/**
 * ep_imap_client_wait_tagged:
 * @continuation: also stop at a continuation request
 *
 * Reads untagged responses, handing each to @func, until the tagged
 * response for @tag (or a continuation).
 */
EpImapResponse *
ep_imap_client_wait_tagged (EpImapClient        *self,
                            const char          *tag,
                            EpImapUntaggedFunc   func,
                            gpointer             user_data,
                            gboolean             continuation,
                            GCancellable        *cancellable,
                            GError             **error)
{
  for (;;)
    {
      g_autoptr(EpImapResponse) response = ep_imap_client_read (self, cancellable, error);

      if (response == NULL)
        return NULL;
      switch (response->kind)
        {
        case EP_IMAP_RESPONSE_TAGGED:
          if (g_strcmp0 (response->tag, tag) != 0)
            {
              self->broken = TRUE;
              g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
                           _("The server answered a command Epistle did not send"));
              return NULL;
            }
          return g_steal_pointer (&response);
        case EP_IMAP_RESPONSE_CONTINUATION:
          if (continuation)
            return g_steal_pointer (&response);
          self->broken = TRUE;
          g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
                       _("The server asked for data Epistle had not offered"));
          return NULL;
        case EP_IMAP_RESPONSE_UNTAGGED:
        default:
          if (func != NULL && !func (self, response, user_data, error))
            {
              self->broken = TRUE;
              return NULL;
            }
          break;
        }
    }
}

/* Turns a tagged NO or BAD into an error that names @what and quotes the server. */
gboolean
ep_imap_client_check_tagged (EpImapClient          *self,
                             const EpImapResponse  *tagged,
                             const char            *what,
                             GError               **error)
{
  g_autofree char *said = ep_imap_response_dup_text (tagged);

  switch (tagged->status)
    {
    case EP_IMAP_STATUS_OK:
      return TRUE;
    case EP_IMAP_STATUS_NO:
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_REFUSED,
                   /* Translators: %1 is a step such as “LIST”, %2 the server's words */
                   _("The server refused %s: %s"), what, said);
      return FALSE;
    case EP_IMAP_STATUS_BAD:
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_BAD,
                   _("The server did not understand %s: %s"), what, said);
      return FALSE;
    default:
      self->broken = TRUE;
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
                   _("The server answered %s unexpectedly: %s"), what, said);
      return FALSE;
    }
}

/**
 * ep_imap_client_run:
 * @tagged: (out) (optional): the tagged response, for its response code
 *
 * Sends @command, hands untagged responses to @func, and fails on NO or BAD.
 */
gboolean
ep_imap_client_run (EpImapClient        *self,
                    EpImapCommand       *command,
                    EpImapUntaggedFunc   func,
                    gpointer             user_data,
                    EpImapResponse     **tagged,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(EpImapResponse) response = NULL;

  if (!send_command (self, command, FALSE, cancellable, error))
    return FALSE;
  response = ep_imap_client_wait_tagged (self, command->tag, func, user_data, FALSE, cancellable, error);
  if (response == NULL)
    return FALSE;
  if (!ep_imap_client_check_tagged (self, response, command->verb, error))
    return FALSE;
  if (tagged != NULL)
    *tagged = g_steal_pointer (&response);
  return TRUE;
}

/* Connecting */

static gboolean
start_tls (EpImapClient  *self,
           const char    *ca_file,
           const char    *pin,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local = NULL;

  /* Bytes read before the handshake came in clear text (CVE-2011-0411). */
  if (self->in_pos < self->in_len)
    {
      self->broken = TRUE;
      g_set_error (error, EP_TRANSPORT_ERROR, EP_TRANSPORT_ERROR_STARTTLS,
                   _("%s sent data before the encrypted connection began; "
                     "the connection may have been tampered with"),
                   ep_transport_get_host (self->transport));
      return FALSE;
    }
  if (ep_transport_start_tls (self->transport, ca_file, pin, cancellable, &local))
    return TRUE;
  self->broken = TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
ep_imap_client_capability (EpImapClient  *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);

  command = ep_imap_command_new (self, "CAPABILITY");
  return ep_imap_client_run (self, command, NULL, NULL, NULL, cancellable, error);
}

static gboolean
starttls (EpImapClient  *self,
          const char    *ca_file,
          const char    *pin,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  if (!ep_imap_client_has_capability (self, "STARTTLS"))
    {
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_INSECURE,
                   _("%s does not offer STARTTLS, so the connection cannot be encrypted and "
                     "Epistle will not go on in clear text. Use implicit TLS (usually port 993) "
                     "if the server offers it."), ep_transport_get_host (self->transport));
      return FALSE;
    }
  command = ep_imap_command_new (self, "STARTTLS");
  if (!ep_imap_client_run (self, command, NULL, NULL, NULL, cancellable, error) ||
      !start_tls (self, ca_file, pin, cancellable, error))
    return FALSE;
  /* RFC 3501 §6.2.1: what the server said before TLS no longer counts. */
  g_hash_table_remove_all (self->capabilities);
  return ep_imap_client_capability (self, cancellable, error);
}

/**
 * ep_imap_client_connect:
 *
 * Connects, reads the greeting and the capabilities, and with STARTTLS
 * encrypts the connection before anything else, never falling back.
 */
gboolean
ep_imap_client_connect (EpImapClient  *self,
                        const char    *host,
                        guint16        port,
                        EpSecurity     security,
                        const char    *ca_file,
                        const char    *pin,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(EpImapResponse) greeting = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport == NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  self->security = security;
  self->transport = ep_transport_connect (host, port, self->timeout, self->transcript, cancellable, error);
  if (self->transport == NULL)
    return FALSE;
  if (security == EP_SECURITY_TLS && !start_tls (self, ca_file, pin, cancellable, error))
    return FALSE;

  greeting = ep_imap_client_read (self, cancellable, error);
  if (greeting == NULL)
    return FALSE;
  if (greeting->kind != EP_IMAP_RESPONSE_UNTAGGED ||
      (greeting->status != EP_IMAP_STATUS_OK && greeting->status != EP_IMAP_STATUS_PREAUTH))
    {
      g_autofree char *said = ep_imap_response_dup_text (greeting);

      self->broken = TRUE;
      g_set_error (error, EP_IMAP_ERROR,
                   greeting->status == EP_IMAP_STATUS_BYE ? EP_IMAP_ERROR_BYE : EP_IMAP_ERROR_PROTOCOL,
                   _("%s did not greet as an IMAP server: %s"), host, said);
      return FALSE;
    }
  if (greeting->status == EP_IMAP_STATUS_PREAUTH && security == EP_SECURITY_STARTTLS)
    {
      /* Signed in already in clear text: STARTTLS is impossible (RFC 3501 §7.1.4). */
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_INSECURE,
                   _("%s signed the connection in before it was encrypted, so STARTTLS is "
                     "impossible; Epistle will not go on in clear text"), host);
      return FALSE;
    }
  self->authenticated = greeting->status == EP_IMAP_STATUS_PREAUTH;

  if (g_hash_table_size (self->capabilities) == 0 &&
      !ep_imap_client_capability (self, cancellable, error))
    return FALSE;
  if (security == EP_SECURITY_STARTTLS)
    return starttls (self, ca_file, pin, cancellable, error);
  return TRUE;
}

gboolean
ep_imap_client_has_capability (EpImapClient *self,
                               const char   *capability)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (capability != NULL, FALSE);

  upper = g_ascii_strup (capability, -1);
  return g_hash_table_contains (self->capabilities, upper);
}

gboolean
ep_imap_client_is_authenticated (EpImapClient *self)
{
  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  return self->authenticated;
}

/**
 * ep_imap_client_id:
 *
 * RFC 2971: tells the server who the client is. 163.com and 126.com refuse
 * SELECT (“Unsafe Login”) until it has; others ignore it. Sent only when
 * the server offers ID.
 */
gboolean
ep_imap_client_id (EpImapClient  *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);

  if (!ep_imap_client_has_capability (self, "ID"))
    return TRUE;
  command = ep_imap_command_new (self, "ID (");
  ep_imap_command_add_text (command, "\"name\" \"Epistle\" \"version\" \"" PACKAGE_VERSION "\" "
                                     "\"vendor\" \"Epistle\" \"support-url\" "
                                     "\"https://github.com/epistle/epistle\")");
  return ep_imap_client_run (self, command, NULL, NULL, NULL, cancellable, error);
}

/**
 * ep_imap_client_logout:
 *
 * Says LOGOUT, waiting briefly, and closes; never fails. After a failure
 * that left the dialogue out of step it only closes.
 */
void
ep_imap_client_logout (EpImapClient *self)
{
  g_return_if_fail (EP_IS_IMAP_CLIENT (self));

  if (self->transport == NULL)
    return;
  if (self->broken)
    ep_transport_abort (self->transport);
  else
    {
      g_autoptr(EpImapCommand) command = ep_imap_command_new (self, "LOGOUT");
      g_autoptr(GError) ignored = NULL;

      self->timeout = MIN (self->timeout, 5);
      ep_imap_client_run (self, command, NULL, NULL, NULL, NULL, &ignored);
      ep_transport_close (self->transport);
    }
  g_clear_object (&self->transport);
}
