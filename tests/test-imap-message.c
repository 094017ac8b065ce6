/* test-imap-message.c — EpImapWorker's one-message jobs against the harness's real Dovecot
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message opened by UID comes back whole, byte for byte, and only it is
 * marked \Seen (UID STORE in a SELECTed mailbox); opened without marking,
 * the mailbox is EXAMINEd and nothing changes; \Seen goes and comes back
 * with set_seen; a UID no longer there is a clear error; the mailbox list
 * carries special-use flags and decodes a Chinese name. Every check reads
 * the flags again on a connection of its own. A mailbox deleted and created
 * again under its name (a new UIDVALIDITY) between the listing and a job by
 * UID fails that job with EP_IMAP_ERROR_UIDVALIDITY and changes no flag.
 */
#include <string.h>

#include "ep-imap.h"
#include "ep-imap-worker.h"
#include "ep-locale.h"
#include "ep-mime.h"
#include "ep-test-utils.h"
#include "ep-tls.h"

#define USER "user5@example.test"
#define FOLDER "已发送"
#define RENUMBERED "Renumbered"
#define NESTED "项目/二〇二六"

typedef struct
{
  EpTestStack *stack;
  guint32 uids[3];
} World;

#define PASSWORD(w) ep_test_stack_get ((w)->stack, "PASSWORD")
#define CA(w) ep_test_stack_get ((w)->stack, "CA_FILE")

static const char * const texts[] = {
  "From: A <a@example.test>\r\nSubject: first\r\nMessage-ID: <m1@example.test>\r\n\r\nbody one\r\n",
  "From: B <b@example.test>\r\nSubject: second\r\nMessage-ID: <m2@example.test>\r\n\r\nbody two\r\n",
  "From: C <c@example.test>\r\nSubject: third\r\nMessage-ID: <m3@example.test>\r\n\r\nbody three\r\n",
};

static guint16
imaps_port (World *w)
{
  return (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);
}

static EpImapClient *
signed_in (World *w)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;

  ep_imap_client_connect (client, "127.0.0.1", imaps_port (w), EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, USER, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static guint32
append (EpImapClient *client,
        const char   *mailbox,
        const char   *text)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
  g_autoptr(GError) error = NULL;
  guint32 uid = 0;

  ep_imap_client_append_stream (client, mailbox, NULL, stream, strlen (text), &uid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uid, >, 0);
  return uid;
}

/* Whether the server has \Seen on @uid, asked on a connection of its own. */
static gboolean
seen (World      *w,
      const char *mailbox,
      guint32     uid)
{
  g_autoptr(EpImapClient) client = signed_in (w);
  g_autoptr(GError) error = NULL;
  g_autofree char *set = ep_imap_uid_set (&uid, 1);
  g_autoptr(GPtrArray) fetched = NULL;
  EpImapMessage *message;
  gboolean result;

  ep_imap_client_select (client, mailbox, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  fetched = ep_imap_client_uid_fetch (client, set, EP_IMAP_FETCH_FLAGS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetched->len, ==, 1);
  message = g_ptr_array_index (fetched, 0);
  result = g_strv_contains ((const char * const *) message->flags, "\\Seen");
  ep_imap_client_logout (client);
  return result;
}

static EpImapWorker *
new_worker (World *w)
{
  EpImapWorker *worker = ep_imap_worker_new ("127.0.0.1", imaps_port (w), EP_SECURITY_TLS);

  ep_imap_worker_set_credentials (worker, USER, PASSWORD (w), EP_SASL_NONE);
  ep_imap_worker_set_trust (worker, CA (w), NULL);
  ep_imap_worker_set_timeout (worker, 30);
  return worker;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static EpImapMessage *
fetch_message (EpImapWorker *worker,
               const char   *mailbox,
               guint32       uid,
               gboolean      mark_seen,
               GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ep_imap_worker_fetch_message_async (worker, mailbox, 0, uid, mark_seen, NULL, on_done, &result);
  return ep_imap_worker_fetch_message_finish (worker, wait_result (&result), error);
}

static void
set_seen (EpImapWorker *worker,
          guint32       uid,
          gboolean      value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ep_imap_worker_set_seen_async (worker, NULL, 0, uid, value, NULL, on_done, &result);
  g_assert_true (ep_imap_worker_set_seen_finish (worker, wait_result (&result), &error));
  g_assert_no_error (error);
}

/* The middle one opened and marked: it alone, whole, and only it \Seen. */
static void
test_fetch_marks_seen (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapWorker) worker = new_worker (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapMessage) message = fetch_message (worker, NULL, w->uids[1], TRUE, &error);
  g_autofree char *transcript = NULL;
  g_autofree char *want = g_strdup_printf (" UID FETCH %u (UID", w->uids[1]);

  g_assert_no_error (error);
  g_assert_cmpuint (message->uid, ==, w->uids[1]);
  g_assert_cmpmem (g_bytes_get_data (message->body, NULL), g_bytes_get_size (message->body),
                   texts[1], strlen (texts[1]));
  g_assert_cmpstr (message->envelope->subject, ==, "second");
  g_assert_true (g_strv_contains ((const char * const *) message->flags, "\\Seen"));
  g_assert_true (seen (w, "INBOX", w->uids[1]));
  g_assert_false (seen (w, "INBOX", w->uids[0]));
  g_assert_false (seen (w, "INBOX", w->uids[2]));

  transcript = ep_transcript_dup_text (ep_imap_worker_get_transcript (worker));
  g_assert_nonnull (strstr (transcript, " SELECT \"INBOX\""));
  g_assert_nonnull (strstr (transcript, want));
  g_assert_nonnull (strstr (transcript, "+FLAGS.SILENT (\\Seen)"));
}

/* Opened without marking: EXAMINE, and the server's flags stay as they were. */
static void
test_fetch_peeks (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapWorker) worker = new_worker (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapMessage) message = fetch_message (worker, NULL, w->uids[2], FALSE, &error);
  g_autofree char *transcript = NULL;

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (message->body, NULL), g_bytes_get_size (message->body),
                   texts[2], strlen (texts[2]));
  g_assert_false (g_strv_contains ((const char * const *) message->flags, "\\Seen"));
  g_assert_false (seen (w, "INBOX", w->uids[2]));
  transcript = ep_transcript_dup_text (ep_imap_worker_get_transcript (worker));
  g_assert_nonnull (strstr (transcript, " EXAMINE \"INBOX\""));
  g_assert_null (strstr (transcript, " SELECT "));
  g_assert_null (strstr (transcript, " UID STORE "));
}

static void
test_set_seen (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapWorker) worker = new_worker (w);

  set_seen (worker, w->uids[0], TRUE);
  g_assert_true (seen (w, "INBOX", w->uids[0]));
  set_seen (worker, w->uids[0], FALSE);
  g_assert_false (seen (w, "INBOX", w->uids[0]));
  g_assert_false (seen (w, "INBOX", w->uids[2]));
}

static void
test_gone (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapWorker) worker = new_worker (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapMessage) message = fetch_message (worker, NULL, w->uids[2] + 100, TRUE, &error);

  g_assert_null (message);
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no longer in “INBOX”"));
  g_clear_error (&error);

  message = fetch_message (worker, "No Such Folder", 1, TRUE, &error);
  g_assert_null (message);
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_NOT_FOUND);
}

static void
test_list_mailboxes (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapWorker) worker = new_worker (w);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(EpImapMessage) message = NULL;
  gboolean inbox = FALSE, sent = FALSE, chinese = FALSE;
  guint nested = 0;

  ep_imap_worker_list_mailboxes_async (worker, NULL, on_done, &result);
  mailboxes = ep_imap_worker_list_mailboxes_finish (worker, wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      inbox |= g_str_equal (mailbox->name, "INBOX");
      sent |= g_str_equal (mailbox->name, "Sent") && ep_imap_mailbox_has_flag (mailbox, "\\Sent");
      chinese |= g_str_equal (mailbox->name, FOLDER) && g_str_equal (mailbox->encoded, "&XfJT0ZAB-");
      if (g_str_equal (mailbox->name, "Archive") || g_str_equal (mailbox->name, "项目"))
        {
          g_autofree char *flags = g_strjoinv (" ", mailbox->flags);

          /* RFC 5258: \NonExistent (LIST-EXTENDED) implies \Noselect. */
          g_test_message ("%s: %s", mailbox->name, flags);
          g_assert_true (ep_imap_mailbox_has_flag (mailbox, "\\Noselect") ||
                         ep_imap_mailbox_has_flag (mailbox, "\\NonExistent"));
          nested++;
        }
      if (g_str_equal (mailbox->name, "Archive/2025") || g_str_equal (mailbox->name, NESTED))
        {
          g_auto(GStrv) path = ep_imap_mailbox_dup_path (mailbox);
          g_autofree char *joined = g_strjoinv (" | ", path);

          g_test_message ("%s (%s): %s", mailbox->name, mailbox->encoded, joined);
          g_assert_cmpint (mailbox->delimiter, ==, '/');
          g_assert_false (ep_imap_mailbox_has_flag (mailbox, "\\Noselect"));
          g_assert_cmpstr (joined, ==, g_str_equal (mailbox->name, NESTED) ? "项目 | 二〇二六" : "Archive | 2025");
          if (g_str_equal (mailbox->name, NESTED))
            g_assert_cmpstr (mailbox->encoded, ==, "&mHl27g-/&TowwB06MUW0-");
          nested++;
        }
    }
  g_assert_true (inbox && sent && chinese);
  g_assert_cmpuint (nested, ==, 4);

  /* A message in the Chinese mailbox, opened by its UID there. */
  message = fetch_message (worker, FOLDER, 1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->envelope->subject, ==, "in the folder");
  g_assert_true (seen (w, FOLDER, 1));
}

/* A port on 127.0.0.1 that nothing listens on: bound, then closed. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
check (EpImapWorker  *worker,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ep_imap_worker_check_async (worker, NULL, on_done, &result);
  return ep_imap_worker_check_finish (worker, wait_result (&result), error);
}

/* The sign-in page's check: signs in and out, and each fault is the error a person is shown. */
static void
test_check (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapWorker) good = new_worker (w);
  g_autoptr(EpImapWorker) starttls = ep_imap_worker_new ("127.0.0.1",
                                                         (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAP_PORT"), NULL, 10),
                                                         EP_SECURITY_STARTTLS);
  g_autoptr(EpImapWorker) wrong = new_worker (w);
  g_autoptr(EpImapWorker) untrusted = ep_imap_worker_new ("127.0.0.1", imaps_port (w), EP_SECURITY_TLS);
  g_autoptr(EpImapWorker) refused = ep_imap_worker_new ("127.0.0.1", closed_port (), EP_SECURITY_TLS);
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *said = NULL;

  g_assert_true (check (good, &error));
  g_assert_no_error (error);
  said = ep_transcript_dup_text (ep_imap_worker_get_transcript (good));
  g_assert_nonnull (strstr (said, "LOGOUT"));
  g_assert_null (strstr (said, " SELECT "));   /* nothing is opened */
  g_assert_null (strstr (said, " EXAMINE "));

  ep_imap_worker_set_credentials (starttls, USER, PASSWORD (w), EP_SASL_NONE);
  ep_imap_worker_set_trust (starttls, CA (w), NULL);
  g_assert_true (check (starttls, &error));
  g_assert_no_error (error);

  ep_imap_worker_set_credentials (wrong, USER, "not the password", EP_SASL_NONE);
  g_assert_false (check (wrong, &error));
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, USER));
  g_clear_error (&error);

  /* No CA file: the certificate is named by its fingerprint, which then pins it. */
  ep_imap_worker_set_credentials (untrusted, USER, PASSWORD (w), EP_SASL_NONE);
  g_assert_false (check (untrusted, &error));
  g_assert_error (error, EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED);
  fingerprint = ep_tls_error_dup_fingerprint (error);
  g_assert_nonnull (fingerprint);
  g_clear_error (&error);
  ep_imap_worker_set_trust (untrusted, NULL, fingerprint);
  g_assert_true (check (untrusted, &error));
  g_assert_no_error (error);

  ep_imap_worker_set_credentials (refused, USER, PASSWORD (w), EP_SASL_NONE);
  g_assert_false (check (refused, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* The UIDVALIDITY @mailbox has now, on a connection of its own. */
static guint32
uidvalidity_of (World      *w,
                const char *mailbox)
{
  g_autoptr(EpImapClient) client = signed_in (w);
  g_autoptr(GError) error = NULL;
  EpImapSelected selected = { 0 };

  ep_imap_client_select (client, mailbox, TRUE, &selected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (selected.uidvalidity, >, 0);
  ep_imap_client_logout (client);
  return selected.uidvalidity;
}

/* @mailbox deleted and created again, behind the worker's back, with @n new unread messages. */
static void
recreate (World      *w,
          const char *mailbox,
          guint       n)
{
  g_autoptr(EpImapClient) client = signed_in (w);
  g_autoptr(GError) error = NULL;

  ep_imap_client_delete (client, mailbox, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_create (client, mailbox, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("From: New <new@example.test>\r\nSubject: new %u\r\n"
                                               "Message-ID: <new-%u@example.test>\r\n\r\nnew %u\r\n",
                                               i, i, i);
      append (client, mailbox, text);
    }
  ep_imap_client_logout (client);
}

static GPtrArray *
fetch_list (EpImapWorker *worker,
            const char   *mailbox,
            guint32       expected,
            guint32       before_uid,
            guint32      *uidvalidity,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ep_imap_worker_fetch_older_async (worker, mailbox, expected, before_uid, 10, EP_IMAP_FETCH_FLAGS, NULL,
                                    on_done, &result);
  return ep_imap_worker_fetch_finish (worker, wait_result (&result), uidvalidity, error);
}

/* Whether any client line of @worker's transcript since @from names UIDs. */
static gboolean
sent_uid_command (EpImapWorker *worker,
                  gsize         from)
{
  g_autofree char *text = ep_transcript_dup_text (ep_imap_worker_get_transcript (worker));
  g_auto(GStrv) lines = g_strsplit (text + from, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "C: ") && strstr (lines[i], " UID ") != NULL)
        return TRUE;
    }
  return FALSE;
}

static gsize
transcript_length (EpImapWorker *worker)
{
  g_autofree char *text = ep_transcript_dup_text (ep_imap_worker_get_transcript (worker));

  return strlen (text);
}

/* Listed, then renumbered on the server: open, mark read/unread and Load More by the old UIDs fail
 * with the UIDVALIDITY error before any UID is sent, and no message's flags change. */
static void
test_renumbered (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapWorker) worker = new_worker (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) older = NULL;
  g_autoptr(EpImapMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint32 before = 0, after = 0, relisted = 0;
  gsize mark;

  {
    g_autoptr(EpImapClient) client = signed_in (w);

    ep_imap_client_create (client, RENUMBERED, NULL, &error);
    g_assert_no_error (error);
    append (client, RENUMBERED, texts[0]);
    append (client, RENUMBERED, texts[1]);
    ep_imap_client_logout (client);
  }
  listed = fetch_list (worker, RENUMBERED, 0, 0, &before, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpuint (before, ==, uidvalidity_of (w, RENUMBERED));

  recreate (w, RENUMBERED, 2);
  after = uidvalidity_of (w, RENUMBERED);
  g_test_message ("UIDVALIDITY %u, then %u", before, after);
  g_assert_cmpuint (after, !=, before);
  /* The same UIDs now name other messages: the trap this guards against. */
  g_assert_cmpuint (((EpImapMessage *) g_ptr_array_index (listed, 0))->uid, ==, 2);
  g_assert_false (seen (w, RENUMBERED, 1));
  g_assert_false (seen (w, RENUMBERED, 2));

  mark = transcript_length (worker);
  ep_imap_worker_set_seen_async (worker, RENUMBERED, before, 2, TRUE, NULL, on_done, &result);
  g_assert_false (ep_imap_worker_set_seen_finish (worker, wait_result (&result), &error));
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY);
  g_assert_nonnull (strstr (error->message, "“" RENUMBERED "” changed on the server"));
  g_clear_error (&error);
  g_clear_object (&result);

  ep_imap_worker_fetch_message_async (worker, RENUMBERED, before, 1, TRUE, NULL, on_done, &result);
  message = ep_imap_worker_fetch_message_finish (worker, wait_result (&result), &error);
  g_assert_null (message);
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY);
  g_clear_error (&error);

  older = fetch_list (worker, RENUMBERED, before, 2, &relisted, &error);
  g_assert_null (older);
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY);
  g_assert_cmpuint (relisted, ==, 0);
  g_clear_error (&error);

  g_assert_false (sent_uid_command (worker, mark));
  g_assert_false (seen (w, RENUMBERED, 1));
  g_assert_false (seen (w, RENUMBERED, 2));

  /* Listed again, the new UIDVALIDITY is reported and works. */
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = fetch_list (worker, RENUMBERED, 0, 0, &relisted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relisted, ==, after);
  g_clear_object (&result);
  ep_imap_worker_set_seen_async (worker, RENUMBERED, relisted, 2, TRUE, NULL, on_done, &result);
  g_assert_true (ep_imap_worker_set_seen_finish (worker, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (seen (w, RENUMBERED, 2));
  g_assert_false (seen (w, RENUMBERED, 1));
}

/* The check itself: 0 expects nothing; a server that gives none cannot match an expectation. */
static void
test_uidvalidity_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ep_imap_check_uidvalidity ("INBOX", 0, 7, &error));
  g_assert_true (ep_imap_check_uidvalidity ("INBOX", 7, 7, &error));
  g_assert_no_error (error);
  g_assert_false (ep_imap_check_uidvalidity ("INBOX", 7, 8, &error));
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY);
  g_clear_error (&error);
  g_assert_false (ep_imap_check_uidvalidity ("INBOX", 7, 0, &error));
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY);
}

int
main (int    argc,
      char **argv)
{
  static const struct { const char *path; GTestDataFunc func; } cases[] = {
    { "/imap-message/fetch-marks-seen", test_fetch_marks_seen },
    { "/imap-message/fetch-peeks", test_fetch_peeks },
    { "/imap-message/set-seen", test_set_seen },
    { "/imap-message/gone", test_gone },
    { "/imap-message/list-mailboxes", test_list_mailboxes },
    { "/imap-message/check", test_check },
    { "/imap-message/renumbered", test_renumbered },
  };
  World world = { 0 };
  int status;

  ep_locale_init ("C.UTF-8");
  ep_mime_init ();
  g_test_init (&argc, &argv, NULL);

  world.stack = ep_test_stack_start ();
  if (world.stack == NULL)
    {
      if (!ep_test_may_skip ())
        {
          g_printerr ("Bail out! the mail servers could not start (they need root; "
                      "EPISTLE_ALLOW_SKIP=1 skips)\n");
          return 1;
        }
      g_test_skip ("Postfix and Dovecot could not start (they need root)");
      return g_test_run ();
    }
  {
    g_autoptr(EpImapClient) client = signed_in (&world);
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      world.uids[i] = append (client, "INBOX", texts[i]);
    ep_imap_client_create (client, FOLDER, NULL, &error);
    g_assert_no_error (error);
    append (client, FOLDER, "From: D <d@example.test>\r\nSubject: in the folder\r\n\r\nhere\r\n");
    /* Nested: Dovecot lists the parents of these as \Noselect. */
    ep_imap_client_create (client, "Archive/2025", NULL, &error);
    g_assert_no_error (error);
    ep_imap_client_create (client, NESTED, NULL, &error);
    g_assert_no_error (error);
    ep_imap_client_logout (client);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &world, cases[i].func);
  g_test_add_func ("/imap-message/uidvalidity-check", test_uidvalidity_check);
  status = g_test_run ();

  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  return status;
}
