/* test-outbox-delivery.c — with Postfix stopped a send goes to the outbox; back up, it arrives once
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real stack from tests/servers/mailstack: Postfix is stopped and
 * started again by `mailstack stop-postfix / start-postfix`, Dovecot runs
 * throughout. What arrives is counted and compared over IMAP.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ep-imap-worker.h"
#include "ep-locale.h"
#include "ep-mime.h"
#include "ep-outbox.h"
#include "ep-test-network.h"
#include "ep-test-utils.h"

typedef struct
{
  EpTestStack *stack;
  char *dir;
} World;

static World world;

typedef struct
{
  EpOutboxEntry *entry;
  char *saved_in;
  char *copy_error;
  guint n;
} Delivered;

static void
on_delivered_cb (EpOutbox      *outbox,
                 EpOutboxEntry *entry,
                 const char    *saved_in,
                 const char    *copy_error,
                 Delivered     *delivered)
{
  delivered->n++;
  g_set_object (&delivered->entry, entry);
  g_free (delivered->saved_in);
  delivered->saved_in = g_strdup (saved_in);
  g_free (delivered->copy_error);
  delivered->copy_error = g_strdup (copy_error);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
iterate_while (gboolean *flag_false,
               guint    *counter_zero,
               guint     ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (g_get_monotonic_time () < until &&
         (flag_false == NULL || !*flag_false) && (counter_zero == NULL || *counter_zero == 0))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static EpSender *
alice_sender (void)
{
  EpSender *sender = ep_sender_new ("127.0.0.1", (guint16) atoi (ep_test_stack_get (world.stack, "SMTP_STARTTLS_PORT")),
                                    EP_SECURITY_STARTTLS);

  ep_sender_set_credentials (sender, "alice@example.test", ep_test_stack_get (world.stack, "PASSWORD"),
                             EP_SASL_NONE);
  ep_sender_set_trust (sender, ep_test_stack_get (world.stack, "CA_FILE"), NULL);
  return sender;
}

static EpImapWorker *
alice_imap (void)
{
  EpImapWorker *worker = ep_imap_worker_new ("127.0.0.1", (guint16) atoi (ep_test_stack_get (world.stack, "IMAPS_PORT")),
                                             EP_SECURITY_TLS);

  ep_imap_worker_set_credentials (worker, "alice@example.test", ep_test_stack_get (world.stack, "PASSWORD"),
                                  EP_SASL_NONE);
  ep_imap_worker_set_trust (worker, ep_test_stack_get (world.stack, "CA_FILE"), NULL);
  return worker;
}

static EpMessage *
message_new (const char *token)
{
  EpMessage *message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("Alice <alice@example.test>", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("bob@example.test", NULL);
  g_autofree char *subject = g_strdup_printf ("Outbox %s", token);
  g_autofree char *file = g_build_filename (world.dir, "数据.bin", NULL);
  guchar data[3000];

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guchar) (i * 7 + 3);
  g_assert_true (g_file_set_contents (file, (const char *) data, sizeof data, NULL));
  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, subject);
  ep_message_set_text (message, "Sent from the outbox.\n.\nA line with only a dot above.\n");
  ep_message_add_attachment (message, file);
  return message;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
  EpSendResult *result;
} Sent;

static void
on_sent_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Sent *sent = user_data;

  sent->ok = ep_sender_send_finish (EP_SENDER (source), res, &sent->result, &sent->error);
  sent->done = TRUE;
}

/* The bytes Dovecot holds end with the bytes of message.eml (Postfix only adds headers on top). */
static void
assert_delivered_once (const char *message_id,
                       const char *eml,
                       gsize       eml_len)
{
  g_autofree char *delivered = NULL;
  g_autofree char *copy = NULL;
  gsize len = 0;

  g_assert_cmpuint (ep_test_stack_count (world.stack, "bob@example.test", "Message-ID", message_id, 6), ==, 1);
  delivered = ep_test_stack_fetch (world.stack, "bob@example.test", "Message-ID", message_id, &len);
  g_assert_nonnull (delivered);
  g_assert_cmpuint (len, >, eml_len);
  g_assert_cmpmem (delivered + len - eml_len, eml_len, eml, eml_len);
  g_assert_true (delivered[len - eml_len - 1] == '\n');
}

static void
test_postfix_away (void)
{
  g_autofree char *token = ep_test_unique_token ();
  g_autoptr(EpMessage) message = message_new (token);
  g_autoptr(EpSender) sender = alice_sender ();
  g_autoptr(EpImapWorker) imap = alice_imap ();
  g_autofree char *outbox_dir = g_build_filename (world.dir, "outbox", NULL);
  g_autoptr(EpOutbox) outbox = ep_outbox_new (outbox_dir);
  Delivered delivered = { 0 };
  Sent sent = { 0 };
  EpOutboxEntry *entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *eml = NULL;
  g_autofree char *eml_after = NULL;
  gsize eml_len, eml_after_len;

  /* Postfix is away: the send fails with a refused connection, a temporary failure. */
  ep_test_stack_set_postfix (world.stack, FALSE);
  ep_sender_send_async (sender, message, NULL, on_sent_cb, &sent);
  iterate_while (&sent.done, NULL, 60000);
  g_assert_true (sent.done);
  g_assert_false (sent.ok);
  g_assert_error (sent.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_true (ep_outbox_error_is_temporary (sent.error, sent.result));
  g_assert_nonnull (ep_send_result_get_message (sent.result));

  /* So it goes to the outbox, with the Message-ID of that first try. */
  ep_outbox_set_backoff (outbox, 1, 2);
  g_signal_connect (outbox, "delivered", G_CALLBACK (on_delivered_cb), &delivered);
  entry = ep_outbox_add (outbox, "alice@example.test", message, ep_send_result_get_message (sent.result),
                         NULL, sent.error->message, &error);
  g_assert_no_error (error);
  message_id = g_strdup (ep_send_result_get_message_id (sent.result));
  g_assert_cmpstr (ep_outbox_entry_get_message_id (entry), ==, message_id);
  path = ep_outbox_entry_dup_message_path (entry);
  g_assert_true (g_file_get_contents (path, &eml, &eml_len, NULL));

  /* Tried again and again while Postfix is away, each time refused, never duplicated. */
  ep_outbox_set_account (outbox, "alice@example.test", sender, imap);
  iterate_while (NULL, &delivered.n, 4500);
  g_assert_cmpuint (delivered.n, ==, 0);
  g_assert_cmpuint (ep_outbox_entry_get_attempts (entry), >=, 3);
  g_assert_cmpint (ep_outbox_entry_get_state (entry), !=, EP_OUTBOX_STATE_FAILED);
  g_assert_nonnull (strstr (ep_outbox_entry_get_last_error (entry), "refused"));
  g_assert_true (g_file_get_contents (path, &eml_after, &eml_after_len, NULL));
  g_assert_cmpmem (eml_after, eml_after_len, eml, eml_len);

  /* Postfix is back: the next try delivers it, once, byte for byte, and the outbox empties. */
  ep_test_stack_set_postfix (world.stack, TRUE);
  iterate_while (NULL, &delivered.n, 60000);
  g_assert_cmpuint (delivered.n, ==, 1);
  g_assert_true (delivered.entry == entry);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (delivered.copy_error);
  g_assert_cmpstr (delivered.saved_in, ==, "Sent");
  assert_delivered_once (message_id, eml, eml_len);
  iterate_while (NULL, NULL, 3000);   /* no later try either */
  g_assert_cmpuint (delivered.n, ==, 1);
  g_assert_cmpuint (ep_test_stack_count (world.stack, "bob@example.test", "Message-ID", message_id, 1), ==, 1);

  /* Alice's Sent folder has the same bytes. */
  {
    const char *argv[] = {
      g_getenv ("EPISTLE_IMAP_FETCH"), "--port", ep_test_stack_get (world.stack, "IMAPS_PORT"),
      "--ca", ep_test_stack_get (world.stack, "CA_FILE"), "--user", "alice@example.test",
      "--password", ep_test_stack_get (world.stack, "PASSWORD"), "--header", "Message-ID", message_id,
      "--mailbox", "Sent", "--wait", "10", NULL
    };
    g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL);
    g_autoptr(GBytes) out = NULL;

    g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &out, NULL, NULL));
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), eml, eml_len);
  }

  g_clear_error (&sent.error);
  g_clear_object (&sent.result);
  g_clear_object (&delivered.entry);
  g_free (delivered.saved_in);
  g_free (delivered.copy_error);
}

/* Retry Now does not wait for the back-off. */
static void
test_retry_now (void)
{
  g_autofree char *token = ep_test_unique_token ();
  g_autoptr(EpMessage) message = message_new (token);
  g_autoptr(EpSender) sender = alice_sender ();
  g_autofree char *outbox_dir = g_build_filename (world.dir, "outbox-now", NULL);
  g_autoptr(EpOutbox) outbox = ep_outbox_new (outbox_dir);
  g_autoptr(GMimeMessage) mime = ep_mime_build (message, NULL);
  Delivered delivered = { 0 };
  EpOutboxEntry *entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *eml = NULL;
  gsize eml_len;

  g_assert_nonnull (mime);
  g_signal_connect (outbox, "delivered", G_CALLBACK (on_delivered_cb), &delivered);
  entry = ep_outbox_add (outbox, "alice@example.test", message, mime, NULL, "offline", &error);
  g_assert_no_error (error);
  path = ep_outbox_entry_dup_message_path (entry);
  g_assert_true (g_file_get_contents (path, &eml, &eml_len, NULL));
  ep_outbox_set_account (outbox, "alice@example.test", sender, NULL);   /* next try in 30 s */
  iterate_while (NULL, &delivered.n, 1500);
  g_assert_cmpuint (delivered.n, ==, 0);

  g_assert_true (ep_outbox_retry_now (outbox, entry, &error));
  g_assert_no_error (error);
  iterate_while (NULL, &delivered.n, 20000);
  g_assert_cmpuint (delivered.n, ==, 1);
  g_assert_null (delivered.saved_in);   /* no IMAP given: no Sent copy */
  assert_delivered_once (g_mime_message_get_message_id (mime), eml, eml_len);
  g_clear_object (&delivered.entry);
}

static gboolean
entry_failed (EpOutboxEntry *entry)
{
  return ep_outbox_entry_get_state (entry) == EP_OUTBOX_STATE_FAILED;
}

/* After "Send to the Others", the Outbox leaves out the recipients the person saw refused, and
 * only those: every other one must still be accepted. Without that choice, one refused
 * recipient stops the message for good. */
static void
test_declined (void)
{
  g_autofree char *token = ep_test_unique_token ();
  g_autoptr(EpMessage) message = message_new (token);
  g_autoptr(EpAddressList) refused = ep_address_list_parse ("nobody@example.test", NULL);
  g_autoptr(EpSender) sender = alice_sender ();
  g_autofree char *outbox_dir = g_build_filename (world.dir, "outbox-declined", NULL);
  g_autoptr(EpOutbox) outbox = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeMessage) mime_all = NULL;
  g_autoptr(EpOutboxEntry) reloaded = NULL;
  const char *declined[] = { "Nobody@Example.test", NULL };
  const char *everyone[] = { "nobody@example.test", "bob@example.test", NULL };
  Delivered delivered = { 0 };
  EpOutboxEntry *chosen;
  EpOutboxEntry *whole;
  g_autoptr(GError) error = NULL;

  ep_message_add_recipients (message, EP_RECIPIENT_CC, refused);
  mime = ep_mime_build (message, NULL);
  mime_all = ep_mime_build (message, NULL);
  g_assert_nonnull (mime);
  g_assert_nonnull (mime_all);
  outbox = ep_outbox_new (outbox_dir);
  g_signal_connect (outbox, "delivered", G_CALLBACK (on_delivered_cb), &delivered);
  chosen = ep_outbox_add (outbox, "alice@example.test", message, mime, declined, "offline", &error);
  g_assert_no_error (error);
  whole = ep_outbox_add (outbox, "alice@example.test", message, mime_all, NULL, "offline", &error);
  g_assert_no_error (error);
  /* The envelope is bob alone; the message's own Cc still names nobody, as it was written. */
  g_assert_cmpuint (ep_address_list_get_length (ep_outbox_entry_get_recipients (chosen)), ==, 1);
  g_assert_cmpstr (ep_address_get_addr_spec (ep_address_list_get (ep_outbox_entry_get_recipients (chosen), 0)),
                   ==, "bob@example.test");

  /* Leaving everyone out leaves nothing to send: said, and nothing is kept. */
  g_assert_null (ep_outbox_add (outbox, "alice@example.test", message, mime, everyone, "offline", &error));
  g_assert_error (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_NO_RECIPIENTS);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 2);

  /* The choice is kept on disk, for a try after a restart. */
  reloaded = ep_outbox_entry_load (ep_outbox_entry_get_dir (chosen), &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (ep_outbox_entry_get_declined (reloaded), declined);
  g_assert_cmpuint (ep_address_list_get_length (ep_outbox_entry_get_recipients (reloaded)), ==, 1);
  g_clear_object (&reloaded);
  reloaded = ep_outbox_entry_load (ep_outbox_entry_get_dir (whole), &error);
  g_assert_no_error (error);
  g_assert_null (ep_outbox_entry_get_declined (reloaded));

  ep_outbox_set_account (outbox, "alice@example.test", sender, NULL);
  g_object_ref (whole);
  g_assert_true (ep_outbox_retry_now (outbox, chosen, &error));
  g_assert_true (ep_outbox_retry_now (outbox, whole, &error));
  g_assert_no_error (error);
  iterate_while (NULL, &delivered.n, 20000);
  g_assert_cmpuint (delivered.n, ==, 1);
  g_assert_true (delivered.entry == chosen);
  g_assert_cmpstrv (ep_outbox_entry_get_declined (delivered.entry), declined);
  g_assert_cmpuint (ep_test_stack_count (world.stack, "bob@example.test", "Message-ID",
                                         g_mime_message_get_message_id (mime), 6), ==, 1);

  /* The whole message was refused for good: kept, not retried, not delivered. */
  for (guint i = 0; i < 200 && !entry_failed (whole); i++)
    iterate_while (NULL, NULL, 50);
  g_assert_cmpint (ep_outbox_entry_get_state (whole), ==, EP_OUTBOX_STATE_FAILED);
  g_assert_nonnull (strstr (ep_outbox_entry_get_last_error (whole), "nobody@example.test"));
  g_assert_cmpuint (ep_test_stack_count (world.stack, "bob@example.test", "Message-ID",
                                         g_mime_message_get_message_id (mime_all), 1), ==, 0);
  g_object_unref (whole);
  g_clear_object (&delivered.entry);
  g_free (delivered.saved_in);
  g_free (delivered.copy_error);
}

/* Counts the tries: an entry shown anew as "sending". */
static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *tries)
{
  g_autoptr(EpOutboxEntry) entry = added == 1 ? g_list_model_get_item (model, position) : NULL;

  if (entry != NULL && ep_outbox_entry_get_state (entry) == EP_OUTBOX_STATE_SENDING)
    (*tries)++;
}

/* Iterates until no try of @entry is under way. */
static void
settle (EpOutboxEntry *entry)
{
  for (guint i = 0; i < 400 && ep_outbox_entry_get_state (entry) == EP_OUTBOX_STATE_SENDING; i++)
    iterate_while (NULL, NULL, 50);
  g_assert_cmpint (ep_outbox_entry_get_state (entry), ==, EP_OUTBOX_STATE_QUEUED);
}

/* Offline, tries that reach nothing are not counted; back online (the monitor says so), the
 * entry is tried at once, long before its back-off, and delivered exactly once. */
static void
test_network_back (void)
{
  g_autofree char *token = ep_test_unique_token ();
  g_autoptr(EpMessage) message = message_new (token);
  g_autoptr(EpSender) sender = alice_sender ();
  g_autofree char *outbox_dir = g_build_filename (world.dir, "outbox-network", NULL);
  g_autoptr(EpOutbox) outbox = ep_outbox_new (outbox_dir);
  g_autoptr(TestNetwork) network = test_network_new ();
  g_autoptr(GMimeMessage) mime = ep_mime_build (message, NULL);
  Delivered delivered = { 0 };
  EpOutboxEntry *entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *eml = NULL;
  gsize eml_len;
  gint64 back_at;
  guint tries = 0;
  guint first;

  g_assert_nonnull (mime);
  ep_outbox_set_network_monitor (outbox, G_NETWORK_MONITOR (network));
  g_assert_true (ep_outbox_get_network_available (outbox));
  ep_test_stack_set_postfix (world.stack, FALSE);
  ep_outbox_set_backoff (outbox, 1, 2);
  g_signal_connect (outbox, "delivered", G_CALLBACK (on_delivered_cb), &delivered);
  g_signal_connect (outbox, "items-changed", G_CALLBACK (on_items_changed_cb), &tries);
  entry = ep_outbox_add (outbox, "alice@example.test", message, mime, NULL, "offline", &error);
  g_assert_no_error (error);
  path = ep_outbox_entry_dup_message_path (entry);
  g_assert_true (g_file_get_contents (path, &eml, &eml_len, NULL));
  first = ep_outbox_entry_get_attempts (entry);   /* the failed send that queued it */

  /* Unplugged: the tries every second or two reach nothing and count for nothing. */
  test_network_set (network, FALSE);
  g_assert_false (ep_outbox_get_network_available (outbox));
  ep_outbox_set_account (outbox, "alice@example.test", sender, NULL);
  {
    /* Two tries at least: 1–2 s apart, with room for a loaded machine. */
    gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (tries < 2 && delivered.n == 0 && g_get_monotonic_time () < until)
      iterate_while (NULL, &delivered.n, 100);
  }
  settle (entry);
  g_assert_cmpuint (delivered.n, ==, 0);
  g_test_message ("%u tries while offline", tries);
  g_assert_cmpuint (tries, >=, 2);
  g_assert_cmpuint (ep_outbox_entry_get_attempts (entry), ==, first);
  g_assert_nonnull (strstr (ep_outbox_entry_get_last_error (entry), "refused"));

  /* From now on a failed try waits five minutes; one more happens within a second or two. */
  ep_outbox_set_backoff (outbox, 300, 900);
  {
    gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (ep_outbox_entry_get_next_attempt (entry) <= g_get_real_time () / G_USEC_PER_SEC + 200 &&
           delivered.n == 0 && g_get_monotonic_time () < until)
      iterate_while (NULL, &delivered.n, 100);
  }
  settle (entry);
  g_assert_cmpuint (ep_outbox_entry_get_attempts (entry), ==, first);
  g_assert_cmpint (ep_outbox_entry_get_next_attempt (entry), >, g_get_real_time () / G_USEC_PER_SEC + 200);

  /* Postfix is back but the monitor still says offline: nothing happens by itself. */
  ep_test_stack_set_postfix (world.stack, TRUE);
  iterate_while (NULL, &delivered.n, 1500);
  g_assert_cmpuint (delivered.n, ==, 0);

  /* The network comes back (announced twice, as monitors do): one try, now, delivered once. */
  back_at = g_get_monotonic_time ();
  tries = 0;
  test_network_set (network, TRUE);
  test_network_set (network, TRUE);
  g_assert_true (ep_outbox_get_network_available (outbox));
  g_assert_cmpuint (tries, ==, 1);
  iterate_while (NULL, &delivered.n, 30000);
  g_assert_cmpuint (delivered.n, ==, 1);
  g_assert_true (delivered.entry == entry);
  g_test_message ("delivered %.1f s after the network came back (back-off: 300 s)",
                  (g_get_monotonic_time () - back_at) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - back_at, <, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (ep_outbox_entry_get_attempts (entry), ==, first + 1);   /* kept, plus this one */
  iterate_while (NULL, NULL, 3000);
  g_assert_cmpuint (delivered.n, ==, 1);
  g_assert_cmpuint (tries, ==, 1);
  assert_delivered_once (g_mime_message_get_message_id (mime), eml, eml_len);
  g_clear_object (&delivered.entry);
  g_free (delivered.saved_in);
  g_free (delivered.copy_error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  world.stack = ep_test_stack_start ();
  if (world.stack == NULL && ep_test_may_skip ())
    {
      g_test_skip ("the mail servers did not start");
      return 0;
    }
  g_assert_nonnull (world.stack);
  world.dir = g_dir_make_tmp ("epistle-outbox-XXXXXX", NULL);
  g_test_add_func ("/outbox-delivery/postfix-away", test_postfix_away);
  g_test_add_func ("/outbox-delivery/retry-now", test_retry_now);
  g_test_add_func ("/outbox-delivery/declined", test_declined);
  g_test_add_func ("/outbox-delivery/network-back", test_network_back);
  status = g_test_run ();
  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", world.dir);
    if (system (command) != 0)
      g_printerr ("# could not remove %s\n", world.dir);
  }
  g_free (world.dir);
  return status;
}
