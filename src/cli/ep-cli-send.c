/* ep-cli-send.c — `epistle send`: one message from the command line
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills an EpMessage from the options and hands it to EpSender, the same
 * asynchronous engine the window uses, on a main loop of its own.
 */
#include "ep-cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ep-cli-exit.h"
#include "ep-mime.h"
#include "ep-sender.h"
#include "ep-server-text.h"
#include "ep-tls.h"
#include "ep-wire-stream.h"

typedef struct
{
  char *server;
  char *security;
  char *user;
  char *password_file;
  char *auth;
  char *from;
  char *from_name;
  char *to;
  char *cc;
  char *bcc;
  char *subject;
  char *body;
  char *body_file;
  char *html_file;
  char **attach;
  char **inline_images;
  char *ca_file;
  char *pin;
  char *transcript;
  char *output;
  char *imap;
  char *imap_security;
  char *account;
  gboolean partial;
  gboolean progress;
  gboolean no_chunking;
  gboolean allow_plaintext_auth;
  int timeout;
} Options;

typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  EpSendResult *result;
  GError *error;
  gboolean show_bar;
  EpSendStage last_stage;
} Run;

static void
options_clear (Options *o)
{
  g_free (o->server);
  g_free (o->security);
  g_free (o->user);
  g_free (o->password_file);
  g_free (o->auth);
  g_free (o->from);
  g_free (o->from_name);
  g_free (o->to);
  g_free (o->cc);
  g_free (o->bcc);
  g_free (o->subject);
  g_free (o->body);
  g_free (o->body_file);
  g_free (o->html_file);
  g_strfreev (o->attach);
  g_strfreev (o->inline_images);
  g_free (o->ca_file);
  g_free (o->pin);
  g_free (o->transcript);
  g_free (o->output);
  g_free (o->imap);
  g_free (o->imap_security);
  g_free (o->account);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
parse_options (Options   *o,
               int       *argc,
               char    ***argv,
               GError   **error)
{
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &o->account, N_("Use the saved account ADDR: its server, security, user, sender, pin and CA file (each option given wins), and its password from the keyring"), N_("ADDR") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &o->server, N_("SMTP server, with an optional port"), N_("HOST[:PORT]") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &o->security, N_("tls, starttls (default) or none"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_("User name to sign in with"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &o->password_file, N_("Read the password or authorization code from FILE (else EPISTLE_PASSWORD, else asked)"), N_("FILE") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &o->auth, N_("Sign-in method: plain, login, scram-sha-1, scram-sha-256, xoauth2 (the password is then the token)"), N_("MECH") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o->from, N_("Sender address"), N_("ADDR") },
    { "from-name", 0, 0, G_OPTION_ARG_STRING, &o->from_name, N_("Sender display name"), N_("NAME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o->to, N_("Recipients, separated by , or ;"), N_("LIST") },
    { "cc", 0, 0, G_OPTION_ARG_STRING, &o->cc, N_("Copy recipients"), N_("LIST") },
    { "bcc", 0, 0, G_OPTION_ARG_STRING, &o->bcc, N_("Blind copy recipients (never in the headers)"), N_("LIST") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &o->subject, N_("Subject"), N_("TEXT") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &o->body, N_("Plain-text body"), N_("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &o->body_file, N_("Read the plain-text body from FILE (UTF-8)"), N_("FILE") },
    { "html-file", 0, 0, G_OPTION_ARG_FILENAME, &o->html_file, N_("Read an HTML body from FILE (UTF-8)"), N_("FILE") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->attach, N_("Attach FILE (repeatable)"), N_("FILE") },
    { "inline", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->inline_images, N_("Inline image the HTML shows as src=\"cid:BASENAME\" (repeatable)"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file, N_("Also trust the CA certificates in PEM FILE"), N_("FILE") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &o->pin, N_("Accept the server certificate with this SHA-256 fingerprint"), N_("SHA256") },
    { "partial", 0, 0, G_OPTION_ARG_NONE, &o->partial, N_("Send to the accepted recipients even if some are refused"), NULL },
    { "transcript", 0, 0, G_OPTION_ARG_FILENAME, &o->transcript, N_("Write the protocol dialogue (passwords redacted) to FILE"), N_("FILE") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &o->output, N_("Write the message to FILE.eml and send nothing"), N_("FILE") },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &o->progress, N_("Show a progress bar on the terminal"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout, N_("Seconds to wait for each step (default: RFC 5321's, 2 to 10 minutes)"), N_("SECONDS") },
    { "no-chunking", 0, 0, G_OPTION_ARG_NONE, &o->no_chunking, N_("Use DATA even when the server offers BDAT"), NULL },
    { "allow-plaintext-auth", 0, 0, G_OPTION_ARG_NONE, &o->allow_plaintext_auth, N_("With --security none, sign in anyway: the password crosses the network unencrypted"), NULL },
    { "imap", 0, 0, G_OPTION_ARG_STRING, &o->imap, N_("After sending, save a copy in the Sent folder on this IMAP server (same user, password and TLS options)"), N_("HOST[:PORT]") },
    { "imap-security", 0, 0, G_OPTION_ARG_STRING, &o->imap_security, N_("tls (default), starttls or none, for --imap"), N_("MODE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) local_error = NULL;

  g_set_prgname ("epistle send");
  g_option_context_set_summary (context, _("Send a message through an SMTP server."));
  g_option_context_set_description (context,
    _("Exit status: 0 sent, 64 usage, 65 bad input (nothing sent), 68 unknown host,\n"
      "69 refused, 73 or 74 --output could not be created or written,\n"
      "75 temporary failure, 76 protocol error, 77 sign-in failed,\n"
      "78 TLS, certificate or clear-text sign-in problem."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &local_error))
    return ep_cli_usage_error (error, local_error->message);
  if (o->account != NULL)
    {
      EpCliAccountFields fields = { &o->server, &o->security, &o->user, &o->ca_file, &o->pin,
                                    &o->allow_plaintext_auth, &o->from, &o->from_name };

      return ep_cli_account_fill (o->account, FALSE, &fields, error);
    }
  return TRUE;
}

static gboolean
check_options (const Options  *o,
               int             argc,
               GError        **error)
{
  if (argc > 1)
    return ep_cli_usage_error (error, _("Unexpected argument; every value needs its option (see --help)"));
  if (o->from == NULL)
    return ep_cli_usage_error (error, _("--from is required"));
  if (o->to == NULL && o->cc == NULL && o->bcc == NULL)
    return ep_cli_usage_error (error, _("At least one of --to, --cc and --bcc is required"));
  if (o->server == NULL && o->output == NULL)
    return ep_cli_usage_error (error, _("--server is required (or --output to only write the message)"));
  if (o->body != NULL && o->body_file != NULL)
    return ep_cli_usage_error (error, _("--body and --body-file cannot be used together"));
  if (o->inline_images != NULL && o->html_file == NULL)
    return ep_cli_usage_error (error, _("--inline needs --html-file, whose HTML shows the image"));
  if (o->timeout < 0)
    return ep_cli_usage_error (error, _("--timeout must be a positive number of seconds"));
  if (o->imap != NULL && o->user == NULL)
    return ep_cli_usage_error (error, _("--imap needs --user: the Sent copy is saved as that user"));
  return TRUE;
}

static gboolean
add_list (EpMessage        *message,
          EpRecipientKind   kind,
          const char       *text,
          GError          **error)
{
  g_autoptr(EpAddressList) list = NULL;

  if (text == NULL)
    return TRUE;
  list = ep_address_list_parse (text, error);
  if (list == NULL)
    return FALSE;
  ep_message_add_recipients (message, kind, list);
  return TRUE;
}

static EpMessage *
build_message (const Options  *o,
               GError        **error)
{
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *html = NULL;

  from_text = o->from_name ? g_strdup_printf ("\"%s\" <%s>", o->from_name, o->from) : g_strdup (o->from);
  if (o->from_name != NULL && strpbrk (o->from_name, "\"\\\r\n") != NULL)
    {
      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_INPUT,
                   _("--from-name cannot hold quotes, backslashes or line breaks"));
      return NULL;
    }
  from = ep_address_parse (from_text, error);
  if (from == NULL)
    return NULL;
  ep_message_set_from (message, from);

  if (!add_list (message, EP_RECIPIENT_TO, o->to, error) ||
      !add_list (message, EP_RECIPIENT_CC, o->cc, error) ||
      !add_list (message, EP_RECIPIENT_BCC, o->bcc, error))
    return NULL;

  ep_message_set_subject (message, o->subject);
  if (o->body_file != NULL && (body = ep_cli_read_text_file (o->body_file, error)) == NULL)
    return NULL;
  ep_message_set_text (message, o->body ? o->body : body);
  if (o->html_file != NULL)
    {
      if ((html = ep_cli_read_text_file (o->html_file, error)) == NULL)
        return NULL;
      ep_message_set_html (message, html);
    }

  for (guint i = 0; o->inline_images && o->inline_images[i]; i++)
    {
      if (!ep_message_add_inline_image_for_html (message, o->inline_images[i], error))
        return NULL;
    }
  for (guint i = 0; o->attach && o->attach[i]; i++)
    ep_message_add_attachment (message, o->attach[i]);
  return g_steal_pointer (&message);
}

typedef struct
{
  FILE *file;
  const char *path;
} OutputFile;

static gboolean
output_failed (const char  *path,
               int          saved_errno,
               GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_OUTPUT,
               /* Translators: %s is a file name, then the system's reason */
               _("Could not write the message to “%s”: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
output_sink (const char  *data,
             gsize        len,
             gboolean     last,
             gpointer     user_data,
             GError     **error)
{
  OutputFile *out = user_data;

  if (len > 0 && fwrite (data, 1, len, out->file) != len)
    return output_failed (out->path, errno, error);
  if (last && fflush (out->file) != 0)
    return output_failed (out->path, errno, error);
  return TRUE;
}

/* --output: the message as it would be sent, with CRLF line ends. The wire
 * stream keeps a write failure's own error, so a full disk is reported as
 * such (exit 74), never as an attachment that could not be read. */
static gboolean
write_output (EpMessage   *message,
              const char  *path,
              GError     **error)
{
  g_autoptr(GMimeMessage) mime = ep_mime_build (message, error);
  g_autoptr(GMimeStream) sink = NULL;
  OutputFile out = { NULL, path };
  gboolean ok;

  if (mime == NULL)
    return FALSE;
  out.file = g_fopen (path, "wb");
  if (out.file == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_CREATE,
                   _("Could not create “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  sink = ep_wire_stream_new (64 * 1024, output_sink, &out, NULL);
  ok = ep_mime_write (mime, sink, error) && ep_wire_stream_finish (EP_WIRE_STREAM (sink), error);
  if (fclose (out.file) != 0 && ok)
    ok = output_failed (path, errno, error);
  return ok;
}

static void
on_progress (EpSender *sender,
             guint     stage,
             guint64   done,
             guint64   total,
             gpointer  user_data)
{
  Run *run = user_data;

  if (run->show_bar && total > 0)
    {
      g_autofree char *done_text = g_format_size (done);
      g_autofree char *total_text = g_format_size (total);
      int width = 30;
      int filled = (int) (width * done / total);
      char bar[31];

      memset (bar, '#', filled);
      memset (bar + filled, '-', width - filled);
      bar[width] = '\0';
      fprintf (stderr, "\r[%s] %3d%%  %s / %s  %-24s", bar, (int) (100 * done / total),
               done_text, total_text, ep_send_stage_to_string (stage));
      fflush (stderr);
    }
  else if (stage != run->last_stage)
    g_printerr (stage == EP_SEND_STAGE_DONE ? "%s\n" : "%s…\n", ep_send_stage_to_string (stage));
  run->last_stage = stage;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  ep_sender_send_finish (EP_SENDER (source), result, &run->result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Server text reaches the terminal only with its control characters escaped. */
static void
print_result (EpSendResult *result)
{
  for (guint i = 0; i < ep_send_result_get_n_recipients (result); i++)
    {
      gboolean accepted;
      const char *reply;
      const char *address = ep_send_result_get_recipient (result, i, &accepted, &reply);
      g_autofree char *shown = ep_server_text_escape (reply != NULL ? reply : "");

      if (accepted)
        g_print ("accepted %s\n", address);
      else
        g_print ("rejected %s: %s\n", address, shown);
    }
  if (ep_send_result_get_final_reply (result) != NULL)
    {
      g_autofree char *shown = ep_server_text_escape (ep_send_result_get_final_reply (result));
      g_print ("server: %s\n", shown);
    }
  if (ep_send_result_get_delivered (result) && ep_send_result_get_message_id (result) != NULL)
    g_print ("message-id: <%s>\n", ep_send_result_get_message_id (result));
}

static EpSender *
make_sender (const Options  *o,
             GError        **error)
{
  g_autoptr(EpSender) sender = NULL;
  g_autofree char *host = NULL;
  EpSecurity security = EP_SECURITY_STARTTLS;
  EpSaslMechanism mechanism = EP_SASL_NONE;
  EpSmtpTimeouts timeouts;
  guint16 port;

  if (o->security != NULL && !ep_security_from_string (o->security, &security))
    {
      ep_cli_usage_error (error, _("--security must be tls, starttls or none"));
      return NULL;
    }
  if (o->auth != NULL && (mechanism = ep_sasl_mechanism_from_string (o->auth)) == EP_SASL_NONE)
    {
      ep_cli_usage_error (error, _("--auth must be plain, login, scram-sha-1, scram-sha-256 or xoauth2"));
      return NULL;
    }
  if (!ep_cli_parse_server (o->server, security, &host, &port, error))
    return NULL;

  sender = ep_sender_new (host, port, security);
  if (o->user != NULL)
    {
      g_autofree char *secret = o->account != NULL
                                  ? ep_cli_account_read_secret (o->account, o->user, host, o->password_file, error)
                                  : ep_cli_read_secret (o->user, host, o->password_file, error);

      if (secret == NULL)
        return NULL;
      ep_sender_set_credentials (sender, o->user, secret, mechanism);
      memset (secret, 0, strlen (secret));
    }
  ep_sender_set_trust (sender, o->ca_file, o->pin);
  ep_smtp_timeouts_init (&timeouts, (guint) o->timeout);
  ep_sender_set_timeouts (sender, &timeouts);
  ep_sender_set_partial (sender, o->partial);
  ep_sender_set_use_chunking (sender, !o->no_chunking);
  ep_sender_set_allow_plaintext_auth (sender, o->allow_plaintext_auth);
  return g_steal_pointer (&sender);
}

static void
write_transcript (EpSender   *sender,
                  const char *path)
{
  g_autofree char *text = ep_transcript_dup_text (ep_sender_get_transcript (sender));
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_printerr ("epistle: %s\n", error->message);
}

static void
explain_failure (const GError  *error,
                 const Options *o)
{
  EpSecurity security = EP_SECURITY_STARTTLS;

  if (g_error_matches (error, EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED))
    g_printerr ("%s\n", _("If you have checked that fingerprint with your provider, pass it with "
                          "--pin, or pass the CA that signed the certificate with --ca-file."));
  else if (g_error_matches (error, EP_SMTP_ERROR, EP_SMTP_ERROR_INSECURE) && o->security != NULL &&
           ep_security_from_string (o->security, &security) && security == EP_SECURITY_NONE)
    g_printerr ("%s\n", _("Use --security starttls or tls; if this server is a relay on a network "
                          "you trust, --allow-plaintext-auth signs in without encryption."));
}

int
ep_cli_send (int    argc,
             char **argv)
{
  g_auto(Options) o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMessage) message = NULL;
  g_autoptr(EpSender) sender = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *shown = NULL;
  Run run = { 0 };
  guint sigint, sigterm;
  int status;

  if (!parse_options (&o, &argc, &argv, &error) || !check_options (&o, argc, &error))
    {
      status = ep_cli_fail (error);
      g_printerr ("%s\n", _("Run “epistle send --help” for the options."));
      return status;
    }

  message = build_message (&o, &error);
  if (message == NULL)
    return ep_cli_fail (error);
  if (o.output != NULL)
    return write_output (message, o.output, &error) ? EP_EXIT_OK : ep_cli_fail (error);

  sender = make_sender (&o, &error);
  if (sender == NULL)
    return ep_cli_fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  run.show_bar = o.progress && isatty (STDERR_FILENO);
  run.last_stage = EP_SEND_STAGE_PREPARING;
  if (o.progress)
    g_signal_connect (sender, "progress", G_CALLBACK (on_progress), &run);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);

  ep_sender_send_async (sender, message, cancellable, on_sent, &run);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (run.show_bar)
    g_printerr ("\n");

  if (run.result != NULL)
    print_result (run.result);
  if (run.result != NULL && run.error == NULL && o.imap != NULL)
    {
      EpCliImapOptions imap = { o.imap, o.imap_security, o.user, o.password_file, o.ca_file, o.pin,
                                (guint) o.timeout, o.allow_plaintext_auth, o.account };
      ep_cli_save_sent_copy (&imap, run.result);
    }
  if (o.transcript != NULL)
    write_transcript (sender, o.transcript);
  g_clear_object (&run.result);

  if (run.error == NULL)
    return EP_EXIT_OK;
  /* The message may quote the server: show it escaped, like every server text. */
  shown = ep_server_text_escape (run.error->message);
  g_free (run.error->message);
  run.error->message = g_steal_pointer (&shown);
  status = ep_cli_fail (run.error);
  explain_failure (run.error, &o);
  g_clear_error (&run.error);
  return status;
}
