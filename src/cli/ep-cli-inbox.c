/* ep-cli-inbox.c — `epistle inbox`: the newest messages of a mailbox, listed or as JSON
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signs in with EpImapClient, examines the mailbox read-only (nothing is
 * marked read), and fetches the newest --limit messages: ENVELOPE and
 * BODYSTRUCTURE for the list; for JSON also the header fields and only the
 * part that is the body (ep-imap-digest), in batches so memory stays
 * bounded, which ep-imap-export builds as the window does.
 */
#include "ep-cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ep-cli-exit.h"
#include "ep-imap-digest.h"
#include "ep-imap-export.h"
#include "ep-imap-sent.h"
#include "ep-imap-unsaved.h"
#include "ep-imap.h"
#include "ep-server-text.h"
#include "ep-tls.h"

#define DEFAULT_LIMIT 20
#define JSON_BATCH 500
#define LIST_BATCH 500
/* A body part larger than this is left out: a response must fit the client's
 * 64 MiB limit, with room to spare. */
#define MAX_BODY (32 * 1024 * 1024)
/* Body parts fetched before their JSON is written and they are let go. */
#define TEXT_CHUNK (8 * 1024 * 1024)

typedef struct
{
  char *server;
  char *security;
  char *user;
  char *password_file;
  char *auth;
  char *mailbox;
  char *json;
  char *ca_file;
  char *pin;
  char *transcript;
  char *account;
  int limit;
  int timeout;
  gboolean allow_plaintext_auth;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->server);
  g_free (o->account);
  g_free (o->security);
  g_free (o->user);
  g_free (o->password_file);
  g_free (o->auth);
  g_free (o->mailbox);
  g_free (o->json);
  g_free (o->ca_file);
  g_free (o->pin);
  g_free (o->transcript);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
parse_options (Options   *o,
               int       *argc,
               char    ***argv,
               GError   **error)
{
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &o->account, N_("Use the saved account ADDR: its IMAP server, security, user, pin and CA file (each option given wins), and its password from the keyring"), N_("ADDR") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &o->server, N_("IMAP server, with an optional port (993 for tls, 143 otherwise)"), N_("HOST[:PORT]") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &o->security, N_("tls (default), starttls or none"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_("User name to sign in with"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &o->password_file, N_("Read the password or authorization code from FILE (else EPISTLE_PASSWORD, else asked)"), N_("FILE") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &o->auth, N_("Sign-in method: plain, login, scram-sha-1, scram-sha-256, xoauth2 (the password is then the token)"), N_("MECH") },
    { "mailbox", 0, 0, G_OPTION_ARG_STRING, &o->mailbox, N_("Mailbox to read (default INBOX)"), N_("NAME") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &o->limit, N_("How many of the newest messages (default 20)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &o->json, N_("Write the messages as JSON to FILE (- for standard output)"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file, N_("Also trust the CA certificates in PEM FILE"), N_("FILE") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &o->pin, N_("Accept the server certificate with this SHA-256 fingerprint"), N_("SHA256") },
    { "transcript", 0, 0, G_OPTION_ARG_FILENAME, &o->transcript, N_("Write the protocol dialogue (passwords redacted) to FILE"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout, N_("Seconds to wait for each answer (default 60)"), N_("SECONDS") },
    { "allow-plaintext-auth", 0, 0, G_OPTION_ARG_NONE, &o->allow_plaintext_auth, N_("With --security none, sign in anyway: the password crosses the network unencrypted"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) local_error = NULL;

  g_set_prgname ("epistle inbox");
  g_option_context_set_summary (context, _("List the newest messages of a mailbox over IMAP, or write them as JSON."));
  g_option_context_set_description (context,
    _("Exit status: 0 listed, 64 usage, 68 unknown host, 69 refused, 73 or 74 --json\n"
      "could not be created or written, 75 temporary failure, 76 protocol error,\n"
      "77 sign-in failed, 78 TLS, certificate or clear-text sign-in problem."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  o->limit = DEFAULT_LIMIT;
  if (!g_option_context_parse (context, argc, argv, &local_error))
    return ep_cli_usage_error (error, local_error->message);
  if (*argc > 1)
    return ep_cli_usage_error (error, _("Unexpected argument; every value needs its option (see --help)"));
  if (o->account != NULL)
    {
      EpCliAccountFields fields = { &o->server, &o->security, &o->user, &o->ca_file, &o->pin,
                                    &o->allow_plaintext_auth, NULL, NULL };

      if (!ep_cli_account_fill (o->account, TRUE, &fields, error))
        return FALSE;
    }
  if (o->server == NULL)
    return ep_cli_usage_error (error, _("--server is required"));
  if (o->user == NULL)
    return ep_cli_usage_error (error, _("--user is required"));
  if (o->limit <= 0)
    return ep_cli_usage_error (error, _("--limit must be a positive number"));
  if (o->timeout < 0)
    return ep_cli_usage_error (error, _("--timeout must be a positive number of seconds"));
  return TRUE;
}

/* HOST[:PORT] with IMAP's default ports: 993 for implicit TLS, 143 otherwise. */
static gboolean
parse_server (const char  *text,
              EpSecurity   security,
              char       **host,
              guint16     *port,
              GError     **error)
{
  g_autofree char *other_host = NULL;
  guint16 other_port = 0;

  /* ep_cli_parse_server fills in SMTP's defaults, which differ by security: the
   * same port under both means the text named it. */
  if (!ep_cli_parse_server (text, EP_SECURITY_TLS, host, port, error) ||
      !ep_cli_parse_server (text, EP_SECURITY_STARTTLS, &other_host, &other_port, error))
    return FALSE;
  if (*port != other_port)
    *port = security == EP_SECURITY_TLS ? 993 : 143;
  return TRUE;
}

typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  const Options *options;
  char *secret;
  EpTranscript *transcript;
  FILE *json;              /* NULL for the list */
  const char *json_path;
  GError *error;
} Run;

static gboolean
on_interrupt (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
connect_and_open (Run             *run,
                  EpImapClient    *client,
                  EpImapSelected  *selected,
                  GCancellable    *cancellable,
                  GError         **error)
{
  const Options *o = run->options;
  g_autofree char *host = NULL;
  EpSecurity security = EP_SECURITY_TLS;
  EpSaslMechanism mechanism = EP_SASL_NONE;
  guint16 port;

  if (o->security != NULL && !ep_security_from_string (o->security, &security))
    return ep_cli_usage_error (error, _("--security must be tls, starttls or none"));
  if (o->auth != NULL && (mechanism = ep_sasl_mechanism_from_string (o->auth)) == EP_SASL_NONE)
    return ep_cli_usage_error (error, _("--auth must be plain, login, scram-sha-1, scram-sha-256 or xoauth2"));
  if (!parse_server (o->server, security, &host, &port, error))
    return FALSE;
  ep_imap_client_set_allow_plaintext_auth (client, o->allow_plaintext_auth);
  return ep_imap_client_connect (client, host, port, security, o->ca_file, o->pin, cancellable, error) &&
         ep_imap_client_login (client, o->user, run->secret, mechanism, cancellable, error) &&
         ep_imap_client_id (client, cancellable, error) &&
         ep_imap_client_select (client, o->mailbox != NULL ? o->mailbox : "INBOX", TRUE, selected,
                                cancellable, error);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const EpImapMessage *x = *(EpImapMessage * const *) a;
  const EpImapMessage *y = *(EpImapMessage * const *) b;
  int by_date = 0;

  if (x->internaldate != NULL && y->internaldate != NULL)
    by_date = g_date_time_compare (y->internaldate, x->internaldate);
  if (by_date != 0)
    return by_date;
  return x->uid < y->uid ? 1 : x->uid > y->uid ? -1 : 0;
}

static int
compare_uid (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* The UIDs of the newest @limit messages (the last by sequence number, the order of
 * arrival): a SEARCH by sequence set, so a mailbox of any size answers with @limit. */
static GArray *
newest_uids (EpImapClient          *client,
             const EpImapSelected  *selected,
             int                    limit,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autoptr(GArray) uids = NULL;
  g_autofree char *criteria = NULL;
  guint32 first;

  if (selected->exists == 0)
    return g_array_new (FALSE, FALSE, sizeof (guint32));
  first = selected->exists > (guint32) limit ? selected->exists - (guint32) limit + 1 : 1;
  criteria = g_strdup_printf ("%u:%u", first, selected->exists);
  uids = ep_imap_client_uid_search (client, criteria, cancellable, error);
  if (uids == NULL)
    return NULL;
  /* Servers answer in ascending order; a careless one is sorted here. */
  g_array_sort (uids, compare_uid);
  return g_steal_pointer (&uids);
}

static GPtrArray *
fetch (EpImapClient      *client,
       GArray            *uids,
       guint              from,
       guint              n,
       EpImapFetchItems   items,
       GCancellable      *cancellable,
       GError           **error)
{
  g_autofree char *set = ep_imap_uid_set ((guint32 *) uids->data + from, n);

  return ep_imap_client_uid_fetch (client, set, items, NULL, cancellable, error);
}

static gboolean
write_json_entry (Run            *run,
                  JsonNode       *node,
                  gboolean        first,
                  GError        **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  if (fprintf (run->json, "%s%s", first ? "[\n" : ",\n", text) < 0)
    {
      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_OUTPUT, _("Could not write to “%s”: %s"),
                   run->json_path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static int
digest_newest_first (gconstpointer a,
                     gconstpointer b)
{
  const EpImapDigest *x = *(EpImapDigest * const *) a;
  const EpImapDigest *y = *(EpImapDigest * const *) b;

  return newest_first (&x->message, &y->message);
}

/* How many digests from @from have, together, at most TEXT_CHUNK of body parts to fetch. */
static guint
chunk_length (GPtrArray *digests,
              guint      from)
{
  guint64 octets = 0;
  guint n = 0;

  while (from + n < digests->len)
    {
      EpImapDigest *digest = g_ptr_array_index (digests, from + n);
      guint64 more = digest->body_part != NULL && digest->body_part->octets <= MAX_BODY
                     ? digest->body_part->octets : 0;

      if (n > 0 && octets + more > TEXT_CHUNK)
        break;
      octets += more;
      n++;
    }
  return n;
}

/* The body parts of @digests, a chunk at a time, each chunk written as JSON and let go. */
static gboolean
write_digests (Run           *run,
               EpImapClient  *client,
               GPtrArray     *digests,
               gboolean      *first,
               GCancellable  *cancellable,
               GError       **error)
{
  for (guint from = 0, n; from < digests->len; from += n)
    {
      n = chunk_length (digests, from);
      if (!ep_imap_client_fill_digests (client, (EpImapDigest **) digests->pdata + from, n, MAX_BODY,
                                        cancellable, error))
        return FALSE;
      for (guint i = from; i < from + n; i++)
        {
          EpImapDigest *digest = g_ptr_array_index (digests, i);
          g_autoptr(JsonNode) node = ep_imap_export_digest (digest);

          if (digest->body_left_out)
            g_printerr (_("epistle: the text of message %u is larger than %d MiB: its body is left out\n"),
                        digest->message->uid, MAX_BODY / (1024 * 1024));
          if (!write_json_entry (run, node, *first, error))
            return FALSE;
          *first = FALSE;
          g_clear_pointer (&digest->body, g_free);
        }
    }
  return TRUE;
}

/* JSON: a batch at a time from the newest UIDs down, written as they come. Each batch
 * is two round trips or so (see ep-imap-digest.c), never whole messages. */
static gboolean
run_json (Run           *run,
          EpImapClient  *client,
          GArray        *uids,
          GCancellable  *cancellable,
          GError       **error)
{
  gboolean first = TRUE;
  guint done = 0;

  while (done < uids->len)
    {
      guint n = MIN (JSON_BATCH, uids->len - done);
      g_autoptr(GPtrArray) batch = ep_imap_client_fetch_digests (client, (guint32 *) uids->data + uids->len - done - n,
                                                                 n, cancellable, error);

      if (batch == NULL)
        return FALSE;
      g_ptr_array_sort (batch, digest_newest_first);
      if (!write_digests (run, client, batch, &first, cancellable, error))
        return FALSE;
      done += n;
    }
  if (fprintf (run->json, first ? "[]\n" : "\n]\n") < 0 || fflush (run->json) != 0)
    {
      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_OUTPUT, _("Could not write to “%s”: %s"),
                   run->json_path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
print_message (const EpImapMessage *message)
{
  g_autoptr(GDateTime) date = ep_imap_export_date (message);
  g_autoptr(GDateTime) local = date != NULL ? g_date_time_to_local (date) : NULL;
  g_autofree char *when = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("?");
  g_autofree char *sender = ep_imap_export_sender (message);
  g_autofree char *subject = ep_imap_export_subject (message);
  g_autofree char *shown_sender = ep_server_text_escape (sender);
  g_autofree char *shown_subject = ep_server_text_escape (subject);
  g_autofree char *size = g_format_size (message->size);
  gboolean unread = message->flags != NULL && !g_strv_contains ((const char * const *) message->flags, "\\Seen");

  g_print ("%s %c %-32s %s  (%s)%s\n", when, unread ? '*' : ' ', shown_sender,
           *shown_subject ? shown_subject : _("(no subject)"), size,
           /* Translators: the attachment marker in `epistle inbox`'s list */
           message->has_attachments ? _("  [attachment]") : "");
}

static gboolean
run_list (Run           *run,
          EpImapClient  *client,
          GArray        *uids,
          GCancellable  *cancellable,
          GError       **error)
{
  EpImapFetchItems items = EP_IMAP_FETCH_FLAGS | EP_IMAP_FETCH_INTERNALDATE | EP_IMAP_FETCH_SIZE |
                           EP_IMAP_FETCH_ENVELOPE | EP_IMAP_FETCH_BODYSTRUCTURE;
  g_autoptr(GPtrArray) messages = NULL;

  if (uids->len == 0)
    {
      g_printerr ("%s\n", _("The mailbox is empty."));
      return TRUE;
    }
  /* In batches, so that no command line grows long with a scattered UID set. */
  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_message_free);
  for (guint done = 0; done < uids->len; done += LIST_BATCH)
    {
      GPtrArray *batch = fetch (client, uids, done, MIN (LIST_BATCH, uids->len - done), items,
                                cancellable, error);
      if (batch == NULL)
        return FALSE;
      g_ptr_array_extend_and_steal (messages, batch);
    }
  g_ptr_array_sort (messages, newest_first);
  for (guint i = 0; i < messages->len; i++)
    print_message (g_ptr_array_index (messages, i));
  return TRUE;
}

static void
inbox_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Run *run = task_data;
  g_autoptr(EpImapClient) client = ep_imap_client_new (run->transcript, (guint) run->options->timeout);
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GError) error = NULL;
  EpImapSelected selected = { 0 };
  gboolean ok;

  ok = connect_and_open (run, client, &selected, cancellable, &error) &&
       (uids = newest_uids (client, &selected, run->options->limit, cancellable, &error)) != NULL &&
       (run->json != NULL ? run_json (run, client, uids, cancellable, &error)
                          : run_list (run, client, uids, cancellable, &error));
  ep_imap_client_logout (client);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_task_propagate_boolean (G_TASK (result), &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
open_json (Run          *run,
           const char   *path,
           GError      **error)
{
  run->json_path = path;
  if (g_strcmp0 (path, "-") == 0)
    {
      run->json = stdout;
      run->json_path = _("standard output");
      return TRUE;
    }
  run->json = g_fopen (path, "wb");
  if (run->json == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_CREATE, _("Could not create “%s”: %s"), display,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
write_transcript (EpTranscript *transcript,
                  const char   *path)
{
  g_autofree char *text = ep_transcript_dup_text (transcript);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_printerr ("epistle: %s\n", error->message);
}

static int
finish (Run           *run,
        const Options *o)
{
  g_autofree char *shown = NULL;
  int status;

  if (run->json != NULL && run->json != stdout && fclose (run->json) != 0 && run->error == NULL)
    g_set_error (&run->error, EP_CLI_ERROR, EP_CLI_ERROR_OUTPUT, _("Could not write to “%s”: %s"),
                 run->json_path, g_strerror (errno));
  if (o->transcript != NULL)
    write_transcript (run->transcript, o->transcript);
  if (run->error == NULL)
    return EP_EXIT_OK;
  shown = ep_server_text_escape (run->error->message);
  g_free (run->error->message);
  run->error->message = g_steal_pointer (&shown);
  status = ep_cli_fail (run->error);
  if (g_error_matches (run->error, EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED))
    g_printerr ("%s\n", _("If you have checked that fingerprint with your provider, pass it with "
                          "--pin, or pass the CA that signed the certificate with --ca-file."));
  g_clear_error (&run->error);
  return status;
}

int
ep_cli_inbox (int    argc,
              char **argv)
{
  g_auto(Options) o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(EpTranscript) transcript = ep_transcript_new ();
  g_autoptr(GTask) task = NULL;
  g_autofree char *secret = NULL;
  Run run = { 0 };
  guint sigint, sigterm;

  if (!parse_options (&o, &argc, &argv, &error))
    {
      int status = ep_cli_fail (error);
      g_printerr ("%s\n", _("Run “epistle inbox --help” for the options."));
      return status;
    }
  secret = o.account != NULL
             ? ep_cli_account_read_secret (o.account, o.user, o.server, o.password_file, &error)
             : ep_cli_read_secret (o.user, o.server, o.password_file, &error);
  if (secret == NULL)
    return ep_cli_fail (error);

  run.options = &o;
  run.secret = secret;
  run.transcript = transcript;
  if (o.json != NULL && !open_json (&run, o.json, &error))
    return ep_cli_fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);

  /* A worker thread, so that a signal can cancel a blocking read at once. */
  task = g_task_new (NULL, cancellable, on_done, &run);
  g_task_set_task_data (task, &run, NULL);
  g_task_run_in_thread (task, inbox_worker);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  memset (secret, 0, strlen (secret));
  return finish (&run, &o);
}

/* After a Sent copy was saved: the copies earlier sends kept on this computer, from
 * the same sender, saved through the same session; one line on standard error
 * when there were any. */
static void
retry_kept (EpImapClient *client,
            GMimeMessage *sent)
{
  InternetAddressList *from = g_mime_message_get_from (sent);
  InternetAddress *first = from != NULL && internet_address_list_length (from) > 0
                           ? internet_address_list_get_address (from, 0) : NULL;
  const char *address = first != NULL && INTERNET_ADDRESS_IS_MAILBOX (first)
                        ? internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (first)) : NULL;
  g_autoptr(GPtrArray) kept = ep_imap_unsaved_list (address);
  g_autoptr(EpImapUnsavedReport) report = ep_imap_unsaved_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ep_imap_unsaved_dir ();
  g_autofree char *reason = NULL;
  EpImapUnsavedFailure *failure;

  if (kept->len == 0)
    return;
  if (!ep_imap_unsaved_retry (client, address, report, NULL, &error))
    {
      reason = ep_server_text_escape (error->message);
      g_printerr (_("epistle: the copies of earlier messages kept in “%s” could not be saved in the Sent "
                    "folder: %s\n"), dir, reason);
      return;
    }
  if (report->failed->len == 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "epistle: %u copy of an earlier message, kept on this computer, was saved in the Sent folder\n",
                               "epistle: %u copies of earlier messages, kept on this computer, were saved in the Sent folder\n",
                               report->saved), report->saved);
      return;
    }
  failure = g_ptr_array_index (report->failed, 0);
  reason = ep_server_text_escape (failure->reason);
  /* Translators: “2 of 3 copies …; the others are still in “DIR”: why the first failed” */
  g_printerr (_("epistle: %u of %u copies of earlier messages, kept on this computer, were saved in the "
                "Sent folder; the others are still in “%s”: %s\n"),
              report->saved, report->saved + report->failed->len, dir, reason);
}

/* The Sent copy for `epistle send --imap`: signs in to @options' server and
 * saves the message that was sent, once; then the copies kept from before. */
static gboolean
save_copy (const EpCliImapOptions  *options,
           EpSendResult            *result,
           char                   **saved_in,
           gboolean                *already_there,
           GError                 **error)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, options->timeout);
  g_autofree char *host = NULL;
  g_autofree char *secret = NULL;
  EpSecurity security = EP_SECURITY_TLS;
  guint16 port;
  gboolean ok;

  if (options->security != NULL && !ep_security_from_string (options->security, &security))
    return ep_cli_usage_error (error, _("--imap-security must be tls, starttls or none"));
  if (!parse_server (options->server, security, &host, &port, error))
    return FALSE;
  secret = options->account != NULL
             ? ep_cli_account_read_secret (options->account, options->user, host,
                                           options->password_file, error)
             : ep_cli_read_secret (options->user, host, options->password_file, error);
  if (secret == NULL)
    return FALSE;
  ep_imap_client_set_allow_plaintext_auth (client, options->allow_plaintext_auth);
  ok = ep_imap_client_connect (client, host, port, security, options->ca_file, options->pin, NULL, error) &&
       ep_imap_client_login (client, options->user, secret, EP_SASL_NONE, NULL, error) &&
       ep_imap_client_id (client, NULL, error) &&
       ep_imap_sent_save (client, NULL, ep_send_result_get_message (result),
                          ep_send_result_get_size (result), saved_in, already_there, NULL, error);
  if (ok)
    retry_kept (client, ep_send_result_get_message (result));
  memset (secret, 0, strlen (secret));
  ep_imap_client_logout (client);
  return ok;
}

/**
 * ep_cli_save_sent_copy:
 *
 * Never fails the send: a copy that cannot be saved is a warning, and the
 * message is kept under the user data dir to be saved later.
 */
void
ep_cli_save_sent_copy (const EpCliImapOptions *options,
                       EpSendResult           *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keep_error = NULL;
  g_autofree char *saved_in = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *shown = NULL;
  gboolean already_there = FALSE;

  g_return_if_fail (options != NULL && options->server != NULL);
  g_return_if_fail (EP_IS_SEND_RESULT (result));

  if (!ep_send_result_get_delivered (result) || ep_send_result_get_message (result) == NULL)
    return;
  if (save_copy (options, result, &saved_in, &already_there, &error))
    {
      g_autofree char *mailbox = ep_server_text_escape (saved_in);

      g_print (already_there ? "sent-copy: already in %s\n" : "sent-copy: saved in %s\n", mailbox);
      return;
    }
  shown = ep_server_text_escape (error->message);
  kept = ep_imap_sent_keep_locally (ep_send_result_get_message (result), &keep_error);
  if (kept != NULL)
    g_printerr (_("epistle: warning: the message was sent, but its copy could not be saved in the "
                  "Sent folder: %s. It was kept in “%s”.\n"), shown, kept);
  else
    g_printerr (_("epistle: warning: the message was sent, but its copy could not be saved in the "
                  "Sent folder: %s. It could not be kept locally either: %s\n"), shown, keep_error->message);
}
