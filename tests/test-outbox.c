/* test-outbox.c — the outbox's states on disk, its back-off, and what it does after a crash
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No mail server: a try goes to a listener on 127.0.0.1 that this test
 * owns, which counts connections and can hold one open, so the state file
 * can be read while a try is under way. Delivery through the real Postfix
 * is test-outbox-delivery.c's.
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ep-locale.h"
#include "ep-mime.h"
#include "ep-outbox.h"
#include "ep-smtp.h"
#include "ep-transport.h"

typedef struct
{
  char *dir;
  char *files;
  EpOutbox *outbox;
  GSocketListener *listener;
  guint16 port;
  guint accepted;
  GSocketConnection *held;     /* the last connection accepted, kept open */
} Fixture;

static void
on_accepted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result,
                                                                  NULL, &error);

  if (connection == NULL)
    return;   /* the listener closed */
  fixture->accepted++;
  g_clear_object (&fixture->held);
  fixture->held = connection;
  g_socket_listener_accept_async (G_SOCKET_LISTENER (source), NULL, on_accepted_cb, fixture);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_build_filename (g_get_user_data_dir (), "epistle", "outbox", NULL);
  fixture->files = g_dir_make_tmp ("epistle-outbox-files-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->outbox = ep_outbox_new (NULL);
  g_assert_cmpstr (ep_outbox_get_dir (fixture->outbox), ==, fixture->dir);
  fixture->listener = g_socket_listener_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;

    g_assert_true (g_socket_listener_add_address (fixture->listener, any, G_SOCKET_TYPE_STREAM,
                                                  G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
    g_assert_no_error (error);
    fixture->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  g_socket_listener_accept_async (fixture->listener, NULL, on_accepted_cb, fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  ep_outbox_stop (fixture->outbox);
  g_clear_object (&fixture->held);
  g_socket_listener_close (fixture->listener);
  /* Let the cancelled tries and the closed listener report, so nothing outlives the fixture. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&fixture->listener);
  g_clear_object (&fixture->outbox);
  g_free (fixture->dir);
  g_free (fixture->files);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done says so or @ms pass; returns what @done said last. */
static gboolean
iterate_until (gboolean (*done) (Fixture *),
               Fixture  *fixture,
               guint     ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (20, tick_cb, NULL);
  gboolean ok = FALSE;

  while (!(ok = done != NULL && done (fixture)) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static EpMessage *
draft_new (Fixture *fixture)
{
  EpMessage *draft = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("Alice <alice@example.test>", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("Bob <bob@example.test>; 张三 <zhang@example.test>", NULL);
  g_autoptr(EpAddressList) bcc = ep_address_list_parse ("carol@example.test", NULL);
  g_autofree char *file = g_build_filename (fixture->files, "报告.txt", NULL);

  g_assert_true (g_file_set_contents (file, "figures\n", -1, NULL));
  ep_message_set_from (draft, from);
  ep_message_add_recipients (draft, EP_RECIPIENT_TO, to);
  ep_message_add_recipients (draft, EP_RECIPIENT_BCC, bcc);
  ep_message_set_subject (draft, "季度报告");
  ep_message_set_text (draft, "Hello *Bob*\n");
  ep_message_set_html (draft, "<p>Hello <b>Bob</b></p>");
  ep_message_add_attachment (draft, file);
  return draft;
}

static EpOutboxEntry *
add_entry (Fixture       *fixture,
           GMimeMessage **mime_out)
{
  g_autoptr(EpMessage) draft = draft_new (fixture);
  g_autoptr(GMimeMessage) mime = ep_mime_build (draft, NULL);
  g_autoptr(GError) error = NULL;
  EpOutboxEntry *entry;

  g_assert_nonnull (mime);
  entry = ep_outbox_add (fixture->outbox, "alice@example.test", draft, mime, NULL,
                         "“127.0.0.1” refused the connection", &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  if (mime_out != NULL)
    *mime_out = g_steal_pointer (&mime);
  return entry;
}

static char *
read_file (const char *dir,
           const char *name,
           gsize      *len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, NULL));
  return contents;
}

static JsonObject *
read_state (EpOutboxEntry *entry)
{
  g_autofree char *path = g_build_filename (ep_outbox_entry_get_dir (entry), "state.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
state_on_disk (EpOutboxEntry *entry)
{
  static char state[32];
  g_autoptr(JsonObject) object = read_state (entry);

  g_strlcpy (state, json_object_get_string_member (object, "state"), sizeof state);
  return state;
}

static EpSender *
sender_for (guint16 port)
{
  EpSender *sender = ep_sender_new ("127.0.0.1", port, EP_SECURITY_NONE);
  EpSmtpTimeouts timeouts;

  ep_smtp_timeouts_init (&timeouts, 30);
  ep_sender_set_timeouts (sender, &timeouts);
  return sender;
}

/* Written at once: the exact bytes, and a state file with the envelope and the first failure. */
static void
test_add_writes_both_files (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GMimeMessage) mime = NULL;
  EpOutboxEntry *entry = add_entry (fixture, &mime);
  g_autoptr(GMimeStream) expected = g_mime_stream_mem_new ();
  g_autoptr(JsonObject) state = read_state (entry);
  g_autofree char *eml = NULL;
  g_autoptr(GDir) dir = NULL;
  JsonArray *recipients;
  GByteArray *bytes;
  gsize len;
  gint64 next;
  const char *name;
  guint n_files = 0;

  g_assert_true (ep_mime_write (mime, expected, NULL));
  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (expected));
  eml = read_file (ep_outbox_entry_get_dir (entry), "message.eml", &len);
  g_assert_cmpmem (eml, len, bytes->data, bytes->len);
  g_assert_nonnull (strstr (eml, g_mime_message_get_message_id (mime)));
  g_assert_null (strstr (eml, "carol@example.test"));   /* Bcc: envelope only */

  g_assert_cmpint (json_object_get_int_member (state, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (state, "state"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (state, "account"), ==, "alice@example.test");
  g_assert_cmpstr (json_object_get_string_member (state, "envelope-from"), ==, "alice@example.test");
  g_assert_cmpstr (json_object_get_string_member (state, "message-id"), ==, g_mime_message_get_message_id (mime));
  g_assert_cmpstr (json_object_get_string_member (state, "subject"), ==, "季度报告");
  g_assert_cmpstr (json_object_get_string_member (state, "last-error"), ==, "“127.0.0.1” refused the connection");
  g_assert_cmpint (json_object_get_int_member (state, "attempts"), ==, 1);
  recipients = json_object_get_array_member (state, "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (recipients, 0), ==, "bob@example.test");
  g_assert_cmpstr (json_array_get_string_element (recipients, 1), ==, "zhang@example.test");
  g_assert_cmpstr (json_array_get_string_element (recipients, 2), ==, "carol@example.test");
  next = json_object_get_int_member (state, "next-attempt");
  g_assert_cmpint (next, >=, g_get_real_time () / G_USEC_PER_SEC + 25);
  g_assert_cmpint (next, <=, g_get_real_time () / G_USEC_PER_SEC + 31);

  /* Nothing else: no temporary file left behind. */
  dir = g_dir_open (ep_outbox_entry_get_dir (entry), 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_true (g_str_equal (name, "message.eml") || g_str_equal (name, "state.json"));
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->outbox)), ==, 1);
}

static gboolean
one_connection (Fixture *fixture)
{
  return fixture->accepted >= 1;
}

static gboolean
entry_idle (Fixture *fixture)
{
  g_autoptr(EpOutboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (fixture->outbox), 0);

  return entry != NULL && ep_outbox_entry_get_state (entry) != EP_OUTBOX_STATE_SENDING;
}

/* "sending" is on disk while the try is under way, and where it ended after. */
static void
test_state_before_and_after (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GMimeMessage) mime = NULL;
  EpOutboxEntry *entry = add_entry (fixture, &mime);
  g_autoptr(EpSender) sender = sender_for (fixture->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) during = NULL;
  g_autoptr(JsonObject) after = NULL;

  g_assert_cmpstr (state_on_disk (entry), ==, "queued");
  ep_outbox_set_account (fixture->outbox, "alice@example.test", sender, NULL);
  g_assert_cmpuint (fixture->accepted, ==, 0);   /* not due for 30 s */
  g_assert_true (ep_outbox_retry_now (fixture->outbox, entry, &error));
  g_assert_no_error (error);
  g_assert_true (iterate_until (one_connection, fixture, 10000));

  /* The server has the connection and says nothing yet: the try is under way. */
  during = read_state (entry);
  g_assert_cmpstr (json_object_get_string_member (during, "state"), ==, "sending");
  g_assert_cmpint (json_object_get_int_member (during, "attempts"), ==, 2);
  g_assert_cmpint (ep_outbox_entry_get_state (entry), ==, EP_OUTBOX_STATE_SENDING);
  /* Delete and Retry Now wait for it. */
  g_assert_false (ep_outbox_remove (fixture->outbox, entry, &error));
  g_assert_error (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_BUSY);
  g_clear_error (&error);

  /* The server hangs up before its greeting: a temporary failure, tried again later. */
  g_clear_object (&fixture->held);
  g_assert_true (iterate_until (entry_idle, fixture, 10000));
  after = read_state (entry);
  g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "queued");
  g_assert_cmpint (json_object_get_int_member (after, "attempts"), ==, 2);
  g_assert_nonnull (json_object_get_string_member (after, "last-error"));
  g_assert_cmpint (json_object_get_int_member (after, "next-attempt"), >=,
                   g_get_real_time () / G_USEC_PER_SEC + ep_outbox_get_backoff (fixture->outbox, 2) - 2);
}

/* A try cut off by a crash: at the next start the entry is uncertain and never tried by itself. */
static void
test_sending_at_load_waits (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GMimeMessage) mime = NULL;
  EpOutboxEntry *entry = add_entry (fixture, &mime);
  g_autoptr(EpOutbox) again = ep_outbox_new (NULL);
  g_autoptr(EpSender) sender = sender_for (fixture->port);
  g_autoptr(EpOutboxEntry) loaded = NULL;
  g_autoptr(GError) error = NULL;

  /* As the state file is during a try, and the process is gone. */
  ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_SENDING);
  ep_outbox_entry_set_attempts (entry, 2);
  ep_outbox_entry_set_next_attempt (entry, 0);
  g_assert_true (ep_outbox_entry_save (entry, &error));
  ep_outbox_stop (fixture->outbox);

  ep_outbox_set_backoff (again, 1, 1);
  g_assert_true (ep_outbox_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpint (ep_outbox_entry_get_state (loaded), ==, EP_OUTBOX_STATE_UNCERTAIN);
  g_assert_nonnull (strstr (ep_outbox_entry_get_last_error (loaded), "stopped while this message was being sent"));
  g_assert_cmpstr (state_on_disk (loaded), ==, "uncertain");
  g_assert_cmpuint (ep_outbox_get_n_attention (again), ==, 1);

  /* Signed in, with every back-off long past: still no try. */
  ep_outbox_set_account (again, "alice@example.test", sender, NULL);
  iterate_until (NULL, fixture, 2500);
  g_assert_cmpuint (fixture->accepted, ==, 0);
  g_assert_cmpuint (ep_outbox_entry_get_attempts (loaded), ==, 2);

  /* Send Again: the person's word starts a try. */
  g_assert_true (ep_outbox_retry_now (again, loaded, &error));
  g_assert_no_error (error);
  g_assert_true (iterate_until (one_connection, fixture, 10000));
  g_assert_cmpstr (state_on_disk (loaded), ==, "sending");
  g_assert_cmpuint (ep_outbox_get_n_busy (again), ==, 1);
  ep_outbox_stop (again);
  while (ep_outbox_get_n_busy (again) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ep_outbox_entry_get_state (loaded), ==, EP_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (state_on_disk (loaded), ==, "queued");   /* cancelled before anything went */
}

/* Tries with back-off send the same file each time: its bytes and Message-ID never change. */
static void
test_same_bytes_every_try (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GMimeMessage) mime = NULL;
  EpOutboxEntry *entry;
  g_autoptr(EpSender) sender = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  guint16 closed;

  /* A port nobody listens on: every try is refused at once. */
  {
    g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;

    g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
    bound = g_socket_get_local_address (socket, NULL);
    closed = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  ep_outbox_set_backoff (fixture->outbox, 1, 1);
  entry = add_entry (fixture, &mime);
  before = read_file (ep_outbox_entry_get_dir (entry), "message.eml", &before_len);
  sender = sender_for (closed);
  ep_outbox_set_account (fixture->outbox, "alice@example.test", sender, NULL);
  iterate_until (NULL, fixture, 3600);

  g_assert_cmpuint (ep_outbox_entry_get_attempts (entry), >=, 3);
  g_assert_cmpint (ep_outbox_entry_get_state (entry), ==, EP_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (state_on_disk (entry), ==, "queued");
  g_assert_nonnull (strstr (ep_outbox_entry_get_last_error (entry), "refused"));
  g_assert_cmpstr (ep_outbox_entry_get_message_id (entry), ==, g_mime_message_get_message_id (mime));
  after = read_file (ep_outbox_entry_get_dir (entry), "message.eml", &after_len);
  g_assert_cmpmem (after, after_len, before, before_len);
}

static void
test_backoff (Fixture       *fixture,
              gconstpointer  data)
{
  const guint expected[] = { 30, 60, 120, 240, 480, 900, 900, 900 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (ep_outbox_get_backoff (fixture->outbox, i + 1), ==, expected[i]);
  g_assert_cmpuint (ep_outbox_get_backoff (fixture->outbox, 1000), ==, 900);
}

typedef struct
{
  GQuark domain;
  int code;
  gboolean unconfirmed;
  gboolean temporary;
} Kind;

static void
test_temporary (Fixture       *fixture,
                gconstpointer  data)
{
  const Kind kinds[] = {
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, FALSE, TRUE },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, FALSE, TRUE },
    { G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, FALSE, TRUE },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, FALSE, TRUE },
    { EP_SMTP_ERROR, EP_SMTP_ERROR_TEMPORARY, FALSE, TRUE },
    { EP_TRANSPORT_ERROR, EP_TRANSPORT_ERROR_CLOSED, FALSE, TRUE },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, TRUE, FALSE },     /* the whole message went: maybe delivered */
    { EP_SMTP_ERROR, EP_SMTP_ERROR_REJECTED, FALSE, FALSE },
    { EP_SMTP_ERROR, EP_SMTP_ERROR_AUTH, FALSE, FALSE },
    { EP_SMTP_ERROR, EP_SMTP_ERROR_RECIPIENTS, FALSE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, FALSE, FALSE },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (kinds[i].domain, kinds[i].code, "x");
      g_autoptr(EpSendResult) result = ep_send_result_new ();

      ep_send_result_set_unconfirmed (result, kinds[i].unconfirmed);
      g_test_message ("kind %u", i);
      g_assert_cmpint (ep_outbox_error_is_temporary (error, result), ==, kinds[i].temporary);
    }
}

/* A state file that cannot be read is named, left alone, and does not hide the others. */
static void
test_corrupt_entry (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GMimeMessage) mime = NULL;
  EpOutboxEntry *entry = add_entry (fixture, &mime);
  g_autofree char *bad = g_build_filename (fixture->dir, "broken", NULL);
  g_autofree char *bad_state = g_build_filename (bad, "state.json", NULL);
  g_autoptr(EpOutbox) again = ep_outbox_new (NULL);
  g_autoptr(EpOutboxEntry) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *still = NULL;

  g_assert_cmpint (g_mkdir (bad, 0700), ==, 0);
  g_assert_true (g_file_set_contents (bad_state, "{ \"version\": 1, \"state\": ", -1, NULL));
  g_assert_false (ep_outbox_load (again, &error));
  g_assert_error (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, bad_state));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (ep_outbox_entry_get_id (loaded), ==, ep_outbox_entry_get_id (entry));
  g_assert_true (g_file_get_contents (bad_state, &still, NULL, NULL));
  g_assert_cmpstr (still, ==, "{ \"version\": 1, \"state\": ");
}

/* @path is the only file in its folder: no temporary file is left beside it. */
static void
assert_only_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_assert_cmpstr (name, ==, base);
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

/* Delivered before a crash, Sent copy unsettled: kept in unsaved-sent, never sent again. */
static void
test_sent_at_load (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GMimeMessage) mime = NULL;
  EpOutboxEntry *entry = add_entry (fixture, &mime);
  g_autoptr(EpOutbox) again = ep_outbox_new (NULL);
  g_autofree char *dir = g_strdup (ep_outbox_entry_get_dir (entry));
  g_autofree char *eml = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_name = g_strdup_printf ("%s.eml", g_mime_message_get_message_id (mime));
  g_autofree char *kept_path = g_build_filename (g_get_user_data_dir (), "epistle", "unsaved-sent", kept_name, NULL);
  g_autoptr(GError) error = NULL;
  gsize len, kept_len;

  eml = read_file (dir, "message.eml", &len);
  ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_SENT);
  g_assert_true (ep_outbox_entry_save (entry, &error));
  g_assert_true (ep_outbox_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (kept_path, &kept, &kept_len, NULL));
  g_assert_cmpmem (kept, kept_len, eml, len);
  assert_only_file (kept_path);
}

/* A kept copy that cannot be written: a clear error, the entry stays, no partial file. */
static void
test_sent_at_load_unwritable (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GMimeMessage) mime = NULL;
  EpOutboxEntry *entry = add_entry (fixture, &mime);
  g_autoptr(EpOutbox) again = ep_outbox_new (NULL);
  g_autofree char *dir = g_strdup (ep_outbox_entry_get_dir (entry));
  g_autofree char *kept_name = g_strdup_printf ("%s.eml", g_mime_message_get_message_id (mime));
  g_autofree char *kept_path = g_build_filename (g_get_user_data_dir (), "epistle", "unsaved-sent", kept_name, NULL);
  g_autofree char *blocker = g_build_filename (kept_path, "blocker", NULL);
  g_autoptr(GError) error = NULL;

  ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_SENT);
  g_assert_true (ep_outbox_entry_save (entry, &error));
  /* A non-empty folder where the copy should go: the final rename fails. */
  g_assert_cmpint (g_mkdir_with_parents (blocker, 0700), ==, 0);
  g_assert_false (ep_outbox_load (again, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, kept_name));
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (blocker, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_rmdir (blocker), ==, 0);
  assert_only_file (kept_path);
}

/* Edit: the composer's fields come back and the entry leaves; Delete removes its folder. */
static void
test_edit_and_delete (Fixture       *fixture,
                      gconstpointer  data)
{
  EpOutboxEntry *first = add_entry (fixture, NULL);
  EpOutboxEntry *second = add_entry (fixture, NULL);
  g_autofree char *first_dir = g_strdup (ep_outbox_entry_get_dir (first));
  g_autofree char *second_dir = g_strdup (ep_outbox_entry_get_dir (second));
  g_autoptr(EpOutbox) again = ep_outbox_new (NULL);
  g_autoptr(EpOutboxEntry) loaded = NULL;
  g_autoptr(EpMessage) draft = NULL;
  g_autoptr(EpMessage) original = draft_new (fixture);
  g_autoptr(GError) error = NULL;
  const EpAddressList *to;

  ep_outbox_stop (fixture->outbox);
  g_assert_true (ep_outbox_load (again, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  /* Edit's first step reads the fields and leaves the entry where it is. */
  draft = ep_outbox_dup_draft (again, loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ep_message_get_subject (draft), ==, ep_message_get_subject (original));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_true (g_file_test (first_dir, G_FILE_TEST_EXISTS) && g_file_test (second_dir, G_FILE_TEST_EXISTS));
  g_clear_object (&draft);
  draft = ep_outbox_take_draft (again, loaded, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  to = ep_message_get_recipients (draft, EP_RECIPIENT_TO);
  g_assert_cmpuint (ep_address_list_get_length (to), ==, 2);
  g_assert_cmpstr (ep_address_get_name (ep_address_list_get (to, 1)), ==, "张三");
  g_assert_cmpuint (ep_address_list_get_length (ep_message_get_recipients (draft, EP_RECIPIENT_BCC)), ==, 1);
  g_assert_cmpstr (ep_message_get_subject (draft), ==, ep_message_get_subject (original));
  g_assert_cmpstr (ep_message_get_html (draft), ==, ep_message_get_html (original));
  g_assert_cmpstr (ep_message_get_text (draft), ==, ep_message_get_text (original));
  g_assert_cmpuint (ep_message_get_n_attachments (draft), ==, 1);
  g_assert_cmpstr (ep_message_get_attachment (draft, 0), ==, ep_message_get_attachment (original, 0));
  g_assert_false (g_file_test (first_dir, G_FILE_TEST_EXISTS) && g_file_test (second_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);

  g_clear_object (&loaded);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_true (ep_outbox_remove (again, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);
  g_assert_false (g_file_test (first_dir, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (second_dir, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/outbox/add-writes-both-files", Fixture, NULL, setup, test_add_writes_both_files, teardown);
  g_test_add ("/outbox/state-before-and-after", Fixture, NULL, setup, test_state_before_and_after, teardown);
  g_test_add ("/outbox/sending-at-load-waits", Fixture, NULL, setup, test_sending_at_load_waits, teardown);
  g_test_add ("/outbox/same-bytes-every-try", Fixture, NULL, setup, test_same_bytes_every_try, teardown);
  g_test_add ("/outbox/backoff", Fixture, NULL, setup, test_backoff, teardown);
  g_test_add ("/outbox/temporary", Fixture, NULL, setup, test_temporary, teardown);
  g_test_add ("/outbox/corrupt-entry", Fixture, NULL, setup, test_corrupt_entry, teardown);
  g_test_add ("/outbox/sent-at-load", Fixture, NULL, setup, test_sent_at_load, teardown);
  g_test_add ("/outbox/sent-at-load-unwritable", Fixture, NULL, setup, test_sent_at_load_unwritable, teardown);
  g_test_add ("/outbox/edit-and-delete", Fixture, NULL, setup, test_edit_and_delete, teardown);
  return g_test_run ();
}
