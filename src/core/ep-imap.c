/* ep-imap.c — EpImapClient: the connection, commands, LIST, SELECT, SEARCH, APPEND, LOGOUT
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
#include "ep-mime.h"
#include "ep-server-text.h"
#include "ep-tls.h"
#include "ep-wire-stream.h"

#define IN_BUFFER (64 * 1024)
#define APPEND_CHUNK (64 * 1024)

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

static gboolean
flush (EpImapClient  *self,
       GCancellable  *cancellable,
       GError       **error)
{
  if (ep_transport_flush (self->transport, cancellable, error))
    return TRUE;
  self->broken = TRUE;
  return FALSE;
}

/* Waits for the server's go-ahead for a literal: “+”, or the command's refusal. */
static gboolean
wait_continuation (EpImapClient  *self,
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
          (!flush (self, cancellable, error) ||
           !wait_continuation (self, command->tag, command->verb, cancellable, error)))
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
  return flush (self, cancellable, error);
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
    return flush (self, cancellable, error);
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

/* LIST */

static gboolean
on_list (EpImapClient          *self,
         const EpImapResponse  *response,
         gpointer               user_data,
         GError               **error)
{
  GPtrArray *mailboxes = user_data;
  const EpImapValue *data = response->data;
  const EpImapValue *flags = ep_imap_value_get_item (data, 1);
  const EpImapValue *delimiter = ep_imap_value_get_item (data, 2);
  const EpImapValue *name = ep_imap_value_get_item (data, 3);
  g_autoptr(GPtrArray) flag_list = g_ptr_array_new ();
  g_autoptr(EpImapMailbox) mailbox = NULL;
  g_autoptr(GError) local = NULL;

  if (!ep_imap_value_is_atom (ep_imap_value_get_item (data, 0), "LIST"))
    return TRUE;
  if (flags == NULL || flags->type != EP_IMAP_VALUE_LIST || delimiter == NULL ||
      (delimiter->type != EP_IMAP_VALUE_NIL && (delimiter->type != EP_IMAP_VALUE_STRING || delimiter->len != 1)) ||
      name == NULL || (name->type != EP_IMAP_VALUE_STRING && name->type != EP_IMAP_VALUE_ATOM) ||
      memchr (name->data, '\0', name->len) != NULL)
    {
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL, _("The server sent a malformed LIST response"));
      return FALSE;
    }

  mailbox = g_new0 (EpImapMailbox, 1);
  mailbox->encoded = g_strndup (name->data, name->len);
  mailbox->delimiter = delimiter->type == EP_IMAP_VALUE_NIL ? '\0' : delimiter->data[0];
  /* Modified UTF-7, or (UTF8=ACCEPT, or a careless server) the raw bytes made displayable. */
  mailbox->name = ep_imap_utf7_decode (mailbox->encoded, &local);
  if (mailbox->name == NULL)
    mailbox->name = ep_server_text_to_display (mailbox->encoded, -1);
  for (guint i = 0; i < ep_imap_value_get_n_items (flags); i++)
    {
      const EpImapValue *flag = ep_imap_value_get_item (flags, i);

      if (flag->type == EP_IMAP_VALUE_ATOM)
        g_ptr_array_add (flag_list, g_strdup (flag->data));
    }
  g_ptr_array_add (flag_list, NULL);
  mailbox->flags = (char **) g_ptr_array_steal (flag_list, NULL);
  g_ptr_array_add (mailboxes, g_steal_pointer (&mailbox));
  return TRUE;
}

/**
 * ep_imap_client_list:
 * @pattern: a LIST pattern in UTF-8, such as “*”
 *
 * Returns: (transfer full) (element-type EpImapMailbox): the mailboxes, with
 *   their special-use flags (RFC 6154) when the server has them
 */
GPtrArray *
ep_imap_client_list (EpImapClient  *self,
                     const char    *pattern,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (pattern != NULL, NULL);

  mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_mailbox_free);
  command = ep_imap_command_new (self, "LIST");
  ep_imap_command_add_string (command, "");
  ep_imap_command_add_mailbox (command, pattern);
  if (ep_imap_client_has_capability (self, "SPECIAL-USE") &&
      ep_imap_client_has_capability (self, "LIST-EXTENDED"))
    ep_imap_command_add_text (command, " RETURN (SPECIAL-USE)");
  if (!ep_imap_client_run (self, command, on_list, mailboxes, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&mailboxes);
}

/**
 * ep_imap_client_find_sent:
 *
 * The Sent folder: the one marked \Sent (RFC 6154), else the first of the
 * names providers commonly use.
 *
 * Returns: (transfer full): its name in UTF-8, or %NULL with
 *   %EP_IMAP_ERROR_NOT_FOUND (or another error)
 */
char *
ep_imap_client_find_sent (EpImapClient  *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  static const char * const common[] = {
    "Sent", "Sent Messages", "Sent Items", "已发送", "已发送邮件", "INBOX.Sent", "INBOX/Sent",
  };
  g_autoptr(GPtrArray) mailboxes = ep_imap_client_list (self, "*", cancellable, error);

  if (mailboxes == NULL)
    return NULL;
  for (guint i = 0; i < mailboxes->len; i++)
    {
      EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      if (ep_imap_mailbox_has_flag (mailbox, "\\Sent") && !ep_imap_mailbox_has_flag (mailbox, "\\Noselect"))
        return g_strdup (mailbox->name);
    }
  for (guint j = 0; j < G_N_ELEMENTS (common); j++)
    {
      for (guint i = 0; i < mailboxes->len; i++)
        {
          EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

          if (g_strcmp0 (mailbox->name, common[j]) == 0 && !ep_imap_mailbox_has_flag (mailbox, "\\Noselect"))
            return g_strdup (mailbox->name);
        }
    }
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_NOT_FOUND,
               _("The server has no Sent folder (none is marked \\Sent, and none has a usual name)"));
  return NULL;
}

gboolean
ep_imap_client_create (EpImapClient  *self,
                       const char    *mailbox,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  command = ep_imap_command_new (self, "CREATE");
  ep_imap_command_add_mailbox (command, mailbox);
  return ep_imap_client_run (self, command, NULL, NULL, NULL, cancellable, error);
}

/* SELECT and EXAMINE */

static guint32
code_number (const EpImapValue *code)
{
  guint64 n = 0;

  return ep_imap_value_get_number (ep_imap_value_get_item (code, 1), G_MAXUINT32, &n) ? (guint32) n : 0;
}

static gboolean
on_select (EpImapClient          *self,
           const EpImapResponse  *response,
           gpointer               user_data,
           GError               **error)
{
  EpImapSelected *selected = user_data;
  const EpImapValue *first = ep_imap_value_get_item (response->code, 0);
  guint64 n = 0;

  if (ep_imap_value_is_atom (first, "UIDVALIDITY"))
    selected->uidvalidity = code_number (response->code);
  else if (ep_imap_value_is_atom (first, "UIDNEXT"))
    selected->uidnext = code_number (response->code);
  else if (ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 1), "EXISTS") &&
           ep_imap_value_get_number (ep_imap_value_get_item (response->data, 0), G_MAXUINT32, &n))
    selected->exists = (guint32) n;
  return TRUE;
}

/**
 * ep_imap_client_select:
 * @mailbox: the name in UTF-8
 * @read_only: EXAMINE instead of SELECT: nothing is marked read
 * @selected: (out) (optional): what the server said about the mailbox
 */
gboolean
ep_imap_client_select (EpImapClient    *self,
                       const char      *mailbox,
                       gboolean         read_only,
                       EpImapSelected  *selected,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(EpImapCommand) command = NULL;
  g_autoptr(EpImapResponse) tagged = NULL;
  EpImapSelected local = { 0 };

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  command = ep_imap_command_new (self, read_only ? "EXAMINE" : "SELECT");
  ep_imap_command_add_mailbox (command, mailbox);
  if (!ep_imap_client_run (self, command, on_select, &local, &tagged, cancellable, error))
    {
      if (error != NULL && g_error_matches (*error, EP_IMAP_ERROR, EP_IMAP_ERROR_REFUSED))
        {
          (*error)->code = EP_IMAP_ERROR_NOT_FOUND;
          g_prefix_error (error, _("Could not open the mailbox “%s”: "), mailbox);
        }
      return FALSE;
    }
  local.read_only = ep_imap_value_is_atom (ep_imap_value_get_item (tagged->code, 0), "READ-ONLY");
  if (selected != NULL)
    *selected = local;
  return TRUE;
}

/* UID SEARCH */

static gboolean
on_search (EpImapClient          *self,
           const EpImapResponse  *response,
           gpointer               user_data,
           GError               **error)
{
  GArray *uids = user_data;

  if (!ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 0), "SEARCH"))
    return TRUE;
  for (guint i = 1; i < ep_imap_value_get_n_items (response->data); i++)
    {
      guint64 n = 0;
      guint32 uid;

      if (!ep_imap_value_get_number (ep_imap_value_get_item (response->data, i), G_MAXUINT32, &n) || n == 0)
        {
          g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
                       _("The server sent a malformed SEARCH response"));
          return FALSE;
        }
      uid = (guint32) n;
      g_array_append_val (uids, uid);
    }
  return TRUE;
}

static GArray *
run_search (EpImapClient   *self,
            EpImapCommand  *command,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (!ep_imap_client_run (self, command, on_search, uids, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&uids);
}

/**
 * ep_imap_client_uid_search:
 * @criteria: search keys in IMAP syntax, such as “ALL” or “SINCE 1-Feb-2026”
 *
 * Returns: (transfer full) (element-type guint32): the matching UIDs
 */
GArray *
ep_imap_client_uid_search (EpImapClient  *self,
                           const char    *criteria,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (criteria != NULL && strpbrk (criteria, "\r\n") == NULL, NULL);

  command = ep_imap_command_new (self, "UID SEARCH ");
  ep_imap_command_add_text (command, criteria);
  return run_search (self, command, cancellable, error);
}

/* UID SEARCH HEADER @header @value, with @value sent as a string (a literal if need be). */
GArray *
ep_imap_client_uid_search_header (EpImapClient  *self,
                                  const char    *header,
                                  const char    *value,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;
  gboolean ascii = TRUE;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (header != NULL && value != NULL, NULL);

  for (const char *p = value; *p != '\0'; p++)
    ascii = ascii && (guchar) *p < 0x80;
  command = ep_imap_command_new (self, ascii ? "UID SEARCH HEADER" : "UID SEARCH CHARSET UTF-8 HEADER");
  ep_imap_command_add_string (command, header);
  ep_imap_command_add_string (command, value);
  return run_search (self, command, cancellable, error);
}

/* “1:3,7” from sorted or unsorted UIDs; a caller keeps sets to a sensible length. */
char *
ep_imap_uid_set (const guint32 *uids,
                 guint          n)
{
  GString *set = g_string_new (NULL);

  g_return_val_if_fail (uids != NULL || n == 0, NULL);

  for (guint i = 0; i < n; i++)
    {
      guint j = i;

      while (j + 1 < n && uids[j + 1] == uids[j] + 1)
        j++;
      g_string_append_printf (set, "%s%u", set->len ? "," : "", uids[i]);
      if (j > i)
        g_string_append_printf (set, ":%u", uids[j]);
      i = j;
    }
  return g_string_free (set, FALSE);
}

/* UID FETCH */

static gboolean
on_fetch (EpImapClient          *self,
          const EpImapResponse  *response,
          gpointer               user_data,
          GError               **error)
{
  GPtrArray *messages = user_data;
  EpImapMessage *message = NULL;

  if (!ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 1), "FETCH"))
    return TRUE;
  if (!ep_imap_parse_fetch (response, &message, error))
    return FALSE;
  /* An unsolicited FETCH (a flag changed elsewhere) has no UID: not ours. */
  if (message != NULL)
    g_ptr_array_add (messages, message);
  return TRUE;
}

/**
 * ep_imap_client_uid_fetch:
 * @uid_set: such as “1:*” or “4,7:9”
 * @header_fields: (nullable): for %EP_IMAP_FETCH_HEADERS, such as “FROM SUBJECT”
 *
 * Returns: (transfer full) (element-type EpImapMessage): the messages, in the server's order
 */
GPtrArray *
ep_imap_client_uid_fetch (EpImapClient      *self,
                          const char        *uid_set,
                          EpImapFetchItems   items,
                          const char        *header_fields,
                          GCancellable      *cancellable,
                          GError           **error)
{
  static const struct { EpImapFetchItems item; const char *name; } names[] = {
    { EP_IMAP_FETCH_FLAGS, " FLAGS" },
    { EP_IMAP_FETCH_INTERNALDATE, " INTERNALDATE" },
    { EP_IMAP_FETCH_SIZE, " RFC822.SIZE" },
    { EP_IMAP_FETCH_ENVELOPE, " ENVELOPE" },
    { EP_IMAP_FETCH_BODYSTRUCTURE, " BODYSTRUCTURE" },
    { EP_IMAP_FETCH_BODY, " BODY.PEEK[]" },
    { EP_IMAP_FETCH_HEADER, " BODY.PEEK[HEADER]" },
  };
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (uid_set != NULL && strspn (uid_set, "0123456789:,*") == strlen (uid_set), NULL);
  g_return_val_if_fail (!(items & EP_IMAP_FETCH_HEADERS) ||
                        (header_fields != NULL && strpbrk (header_fields, "()\r\n\"") == NULL), NULL);

  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_message_free);
  command = ep_imap_command_new (self, "UID FETCH ");
  ep_imap_command_add_text (command, uid_set);
  ep_imap_command_add_text (command, " (UID");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (items & names[i].item)
        ep_imap_command_add_text (command, names[i].name);
    }
  if (items & EP_IMAP_FETCH_HEADERS)
    {
      ep_imap_command_add_text (command, " BODY.PEEK[HEADER.FIELDS (");
      ep_imap_command_add_text (command, header_fields);
      ep_imap_command_add_text (command, ")]");
    }
  ep_imap_command_add_text (command, ")");
  if (!ep_imap_client_run (self, command, on_fetch, messages, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&messages);
}

/* APPEND */

typedef struct
{
  EpImapClient *self;
  GCancellable *cancellable;
} AppendSink;

static gboolean
append_sink (const char  *data,
             gsize        len,
             gboolean     last,
             gpointer     user_data,
             GError     **error)
{
  AppendSink *sink = user_data;

  if (len == 0 || ep_transport_write (sink->self->transport, data, len, sink->cancellable, error))
    return TRUE;
  sink->self->broken = TRUE;
  return FALSE;
}

typedef gboolean (*WriteBody) (EpImapClient  *self,
                               gpointer       source,
                               guint64        size,
                               GCancellable  *cancellable,
                               GError       **error);

static gboolean
size_mismatch (EpImapClient  *self,
               guint64        written,
               guint64        size,
               GError       **error)
{
  /* The literal's size is promised: the connection cannot be used after a short one. */
  self->broken = TRUE;
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
               _("The message was %" G_GUINT64_FORMAT " bytes, not the %" G_GUINT64_FORMAT
                 " announced; the copy was not saved"), written, size);
  return FALSE;
}

static gboolean
write_mime (EpImapClient  *self,
            gpointer       source,
            guint64        size,
            GCancellable  *cancellable,
            GError       **error)
{
  AppendSink sink = { self, cancellable };
  g_autoptr(GMimeStream) wire = ep_wire_stream_new (APPEND_CHUNK, append_sink, &sink, cancellable);
  g_autoptr(GError) local = NULL;

  if (!ep_mime_write (GMIME_MESSAGE (source), wire, &local) ||
      !ep_wire_stream_finish (EP_WIRE_STREAM (wire), &local))
    {
      self->broken = TRUE;
      if (!ep_wire_stream_propagate_error (EP_WIRE_STREAM (wire), error))
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (ep_wire_stream_get_written (EP_WIRE_STREAM (wire)) != size)
    return size_mismatch (self, ep_wire_stream_get_written (EP_WIRE_STREAM (wire)), size, error);
  return TRUE;
}

static gboolean
write_input (EpImapClient  *self,
             gpointer       source,
             guint64        size,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *buffer = g_malloc (APPEND_CHUNK);
  guint64 written = 0;

  while (written < size)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (source), buffer,
                                      (gsize) MIN ((guint64) APPEND_CHUNK, size - written),
                                      cancellable, error);
      if (n < 0)
        {
          self->broken = TRUE;
          return FALSE;
        }
      if (n == 0)
        return size_mismatch (self, written, size, error);
      if (!ep_transport_write (self->transport, buffer, n, cancellable, error))
        {
          self->broken = TRUE;
          return FALSE;
        }
      written += n;
    }
  return TRUE;
}

static gboolean
on_append (EpImapClient          *self,
           const EpImapResponse  *response,
           gpointer               user_data,
           GError               **error)
{
  return TRUE;
}

static gboolean
append (EpImapClient  *self,
        const char    *mailbox,
        const char    *flags,
        WriteBody      write_body,
        gpointer       source,
        guint64        size,
        guint32       *uid,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(EpImapCommand) command = ep_imap_command_new (self, "APPEND");
  g_autoptr(EpImapResponse) tagged = NULL;
  g_autofree char *literal = NULL;
  gboolean plus = ep_imap_client_has_capability (self, "LITERAL+") ||
                  (ep_imap_client_has_capability (self, "LITERAL-") && size <= 4096);
  const EpImapValue *code;

  ep_imap_command_add_mailbox (command, mailbox);
  if (flags != NULL)
    {
      ep_imap_command_add_text (command, " (");
      ep_imap_command_add_text (command, flags);
      ep_imap_command_add_text (command, ")");
    }
  literal = g_strdup_printf (" {%" G_GUINT64_FORMAT "%s}", size, plus ? "+" : "");
  ep_imap_command_add_text (command, literal);
  /* The command line goes out as it is; the message follows as its literal. */
  if (!send_command (self, command, FALSE, cancellable, error))
    return FALSE;
  if (!plus && !wait_continuation (self, command->tag, "APPEND", cancellable, error))
    return FALSE;
  if (self->transcript != NULL)
    ep_transcript_note (self->transcript, "(the message, %" G_GUINT64_FORMAT " bytes)", size);
  ep_transport_set_timeout (self->transport, self->timeout);
  if (!write_body (self, source, size, cancellable, error) ||
      !ep_transport_write (self->transport, "\r\n", 2, cancellable, error) ||
      !flush (self, cancellable, error))
    {
      self->broken = TRUE;
      return FALSE;
    }
  tagged = ep_imap_client_wait_tagged (self, command->tag, on_append, NULL, FALSE, cancellable, error);
  if (tagged == NULL || !ep_imap_client_check_tagged (self, tagged, "APPEND", error))
    return FALSE;
  code = tagged->code;
  if (uid != NULL)
    {
      guint64 n = 0;

      /* RFC 4315: [APPENDUID uidvalidity uid] */
      *uid = 0;
      if (ep_imap_value_is_atom (ep_imap_value_get_item (code, 0), "APPENDUID") &&
          ep_imap_value_get_number (ep_imap_value_get_item (code, 2), G_MAXUINT32, &n))
        *uid = (guint32) n;
    }
  return TRUE;
}

/**
 * ep_imap_client_append_stream:
 * @flags: (nullable): such as “\\Seen”
 * @size: the exact number of bytes @stream will give, CR LF line ends
 * @uid: (out) (optional): the new message's UID if the server says (UIDPLUS), else 0
 *
 * Streams the message into the APPEND literal; never holds it in memory.
 */
gboolean
ep_imap_client_append_stream (EpImapClient  *self,
                              const char    *mailbox,
                              const char    *flags,
                              GInputStream  *stream,
                              guint64        size,
                              guint32       *uid,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);
  g_return_val_if_fail (flags == NULL || strpbrk (flags, "()\r\n{") == NULL, FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  return append (self, mailbox, flags, write_input, stream, size, uid, cancellable, error);
}

/**
 * ep_imap_client_append_message:
 * @size: the message's exact size from ep_mime_measure ()
 *
 * Writes @mime into the APPEND literal as ep_mime_write () writes it for
 * SMTP: the same bytes the recipients received.
 */
gboolean
ep_imap_client_append_message (EpImapClient  *self,
                               const char    *mailbox,
                               const char    *flags,
                               GMimeMessage  *mime,
                               guint64        size,
                               guint32       *uid,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);
  g_return_val_if_fail (flags == NULL || strpbrk (flags, "()\r\n{") == NULL, FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);

  return append (self, mailbox, flags, write_mime, mime, size, uid, cancellable, error);
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
