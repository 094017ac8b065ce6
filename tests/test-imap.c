/* test-imap.c — EpImapClient against the harness's real Dovecot
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/servers/mailstack starts Dovecot on 127.0.0.1 with a throwaway CA.
 * Each case signs in over TLS or STARTTLS and compares what comes back with
 * what went in: the exact bytes of an appended message, its flags and
 * envelope, a Chinese folder name in both encodings. Under CI=true a stack
 * that cannot start fails the run; elsewhere the cases are skipped.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ep-imap.h"
#include "ep-imap-sent.h"
#include "ep-imap-unsaved.h"
#include "ep-imap-worker.h"
#include "ep-locale.h"
#include "ep-mime.h"
#include "ep-test-utils.h"
#include "ep-tls.h"

typedef struct
{
  EpTestStack *stack;
} World;

#define PASSWORD(w) ep_test_stack_get ((w)->stack, "PASSWORD")
#define CA(w) ep_test_stack_get ((w)->stack, "CA_FILE")

static guint16
port (World      *w,
      const char *key)
{
  return (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, key), NULL, 10);
}

/* A client signed in as @user over implicit TLS (or STARTTLS). */
static EpImapClient *
signed_in (World           *w,
           const char      *user,
           gboolean         starttls,
           EpTranscript    *transcript,
           EpSaslMechanism  mechanism)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (transcript, 30);
  g_autoptr(GError) error = NULL;

  ep_imap_client_connect (client, "127.0.0.1", port (w, starttls ? "IMAP_PORT" : "IMAPS_PORT"),
                          starttls ? EP_SECURITY_STARTTLS : EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, user, PASSWORD (w), mechanism, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ep_imap_client_is_authenticated (client));
  return g_steal_pointer (&client);
}

static void
test_login (World    *w,
            gboolean  starttls)
{
  static const EpSaslMechanism mechanisms[] = { EP_SASL_NONE, EP_SASL_PLAIN, EP_SASL_LOGIN,
                                                EP_SASL_SCRAM_SHA_256, EP_SASL_SCRAM_SHA_1 };

  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      g_autoptr(EpTranscript) transcript = ep_transcript_new ();
      g_autoptr(EpImapClient) client = signed_in (w, "user1@example.test", starttls, transcript,
                                                  mechanisms[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      g_assert_true (ep_imap_client_has_capability (client, "IMAP4rev1"));
      ep_imap_client_id (client, NULL, &error);
      g_assert_no_error (error);
      ep_imap_client_logout (client);

      text = ep_transcript_dup_text (transcript);
      g_assert_nonnull (strstr (text, "TLS established"));
      g_assert_null (strstr (text, PASSWORD (w)));
      if (starttls)
        g_assert_nonnull (strstr (text, "STARTTLS"));
      if (mechanisms[i] == EP_SASL_NONE)
        g_assert_nonnull (strstr (text, "AUTHENTICATE SCRAM-SHA-256"));
      else
        {
          g_autofree char *verb = g_strdup_printf ("AUTHENTICATE %s",
                                                   ep_sasl_mechanism_to_string (mechanisms[i]));
          g_assert_nonnull (strstr (text, verb));
        }
    }
}

static void
test_login_tls (gconstpointer data)
{
  test_login ((World *) data, FALSE);
}

static void
test_login_starttls (gconstpointer data)
{
  test_login ((World *) data, TRUE);
}

/* XOAUTH2 through Dovecot's oauth2 passdb: the token signs in, a wrong one is refused. */
static void
test_xoauth2 (gconstpointer data)
{
  World *w = (World *) data;
  const char *tokens[] = { ep_test_stack_get (w->stack, "OAUTH2_TOKEN"), "ya29.not-a-valid-token" };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(EpTranscript) transcript = ep_transcript_new ();
      g_autoptr(EpImapClient) client = ep_imap_client_new (transcript, 30);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      ep_imap_client_connect (client, "127.0.0.1", port (w, "IMAPS_PORT"), EP_SECURITY_TLS, CA (w), NULL,
                              NULL, &error);
      g_assert_no_error (error);
      ep_imap_client_login (client, ep_test_stack_get (w->stack, "OAUTH2_USER"), tokens[i], EP_SASL_XOAUTH2,
                            NULL, &error);
      if (i == 0)
        g_assert_no_error (error);
      else
        g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_AUTH);
      ep_imap_client_logout (client);
      text = ep_transcript_dup_text (transcript);
      g_assert_nonnull (strstr (text, "AUTHENTICATE XOAUTH2"));
      g_assert_null (strstr (text, tokens[i]));
    }
}

static void
test_list_sent (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapClient) client = signed_in (w, "user2@example.test", FALSE, NULL, EP_SASL_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = ep_imap_client_list (client, "*", NULL, &error);
  g_autofree char *sent = NULL;
  gboolean inbox = FALSE, flagged = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      inbox = inbox || g_strcmp0 (mailbox->name, "INBOX") == 0;
      if (g_strcmp0 (mailbox->name, "Sent") == 0)
        {
          flagged = ep_imap_mailbox_has_flag (mailbox, "\\Sent");
          g_assert_cmpint (mailbox->delimiter, ==, '/');
        }
    }
  g_assert_true (inbox);
  g_assert_true (flagged);
  sent = ep_imap_client_find_sent (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sent, ==, "Sent");
  ep_imap_client_logout (client);
}

/* A message with CR LF line ends, 8-bit text and a line that looks like a literal. */
static char *
make_message (const char *message_id,
              const char *subject,
              gsize      *len)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text,
                          "From: =?UTF-8?B?5byg5LiJ?= <user3@example.test>\r\n"
                          "To: user3@example.test\r\n"
                          "Subject: %s\r\n"
                          "Message-ID: <%s>\r\n"
                          "Date: Mon, 30 Nov 2026 08:00:00 +0800\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: 8bit\r\n"
                          "\r\n"
                          "你好，世界 {12}\r\n"
                          ")\r\n"
                          "* OK not a response\r\n",
                          subject, message_id);
  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (text, "line %u of a longer body to cross the 64 KiB read buffer\r\n", i);
  *len = text->len;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_fetched (EpImapClient *client,
                guint32       uid,
                const char   *bytes,
                gsize         len,
                const char   *message_id)
{
  g_autofree char *set = ep_imap_uid_set (&uid, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  EpImapMessage *message;
  g_autofree char *id = g_strdup_printf ("<%s>", message_id);

  messages = ep_imap_client_uid_fetch (client, set,
                                       EP_IMAP_FETCH_FLAGS | EP_IMAP_FETCH_INTERNALDATE | EP_IMAP_FETCH_SIZE |
                                       EP_IMAP_FETCH_ENVELOPE | EP_IMAP_FETCH_BODYSTRUCTURE |
                                       EP_IMAP_FETCH_HEADERS | EP_IMAP_FETCH_BODY,
                                       "MESSAGE-ID", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpuint (message->uid, ==, uid);
  g_assert_cmpuint (message->size, ==, len);
  g_assert_true (g_strv_contains ((const char * const *) message->flags, "\\Seen"));
  g_assert_nonnull (message->internaldate);
  g_assert_cmpmem (g_bytes_get_data (message->body, NULL), g_bytes_get_size (message->body), bytes, len);
  g_assert_cmpstr (message->envelope->message_id, ==, id);
  g_assert_cmpuint (message->envelope->from->len, ==, 1);
  g_assert_cmpstr (((EpImapAddress *) g_ptr_array_index (message->envelope->from, 0))->host, ==,
                   "example.test");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (message->headers, NULL),
                                  g_bytes_get_size (message->headers), message_id));
  g_assert_false (message->has_attachments);
}

/* APPEND streams a message; UID SEARCH finds it by Message-ID; FETCH gives the same bytes. */
static void
test_append_search_fetch (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapClient) client = signed_in (w, "user3@example.test", TRUE, NULL, EP_SASL_NONE);
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *message_id = g_strdup_printf ("%s@example.test", token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autofree char *bytes = NULL;
  EpImapSelected selected = { 0 };
  guint32 uid = 0;
  gsize len = 0;

  bytes = make_message (message_id, token, &len);
  stream = g_memory_input_stream_new_from_data (bytes, len, NULL);
  ep_imap_client_append_stream (client, "Sent", "\\Seen", stream, len, &uid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uid, >, 0);

  ep_imap_client_select (client, "Sent", TRUE, &selected, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (selected.read_only);
  g_assert_cmpuint (selected.exists, >=, 1);
  g_assert_cmpuint (selected.uidvalidity, >, 0);
  g_assert_cmpuint (selected.uidnext, >, uid);

  uids = ep_imap_client_uid_search_header (client, "Message-ID", message_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 1);
  g_assert_cmpuint (g_array_index (uids, guint32, 0), ==, uid);
  assert_fetched (client, uid, bytes, len, message_id);

  /* A Message-ID nobody has. */
  g_clear_pointer (&uids, g_array_unref);
  uids = ep_imap_client_uid_search_header (client, "Message-ID", "nobody-has-this@example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 0);
  ep_imap_client_logout (client);
}

/* A GMime message appended as ep_mime_write () writes it: the bytes SMTP would send. */
static void
test_append_message (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapClient) client = signed_in (w, "user4@example.test", FALSE, NULL, EP_SASL_NONE);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("user4@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("user5@example.test", NULL);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeStream) mem = g_mime_stream_mem_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GByteArray *expected;
  guint32 uid = 0;
  gint64 size;

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "报告 append");
  ep_message_set_text (message, "正文\n.\nend\n");
  mime = ep_mime_build (message, &error);
  g_assert_no_error (error);
  size = ep_mime_measure (mime, &error);
  g_assert_no_error (error);
  ep_mime_write (mime, mem, &error);
  g_assert_no_error (error);
  expected = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  g_assert_cmpuint (expected->len, ==, size);

  ep_imap_client_append_message (client, "Sent", "\\Seen", mime, size, &uid, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_select (client, "Sent", FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  uids = ep_imap_client_uid_search_header (client, "Message-ID", g_mime_message_get_message_id (mime),
                                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 1);
  messages = ep_imap_client_uid_fetch (client, "1:*", EP_IMAP_FETCH_BODY, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < messages->len; i++)
    {
      EpImapMessage *m = g_ptr_array_index (messages, i);

      if (m->uid == uid)
        g_assert_cmpmem (g_bytes_get_data (m->body, NULL), g_bytes_get_size (m->body),
                         expected->data, expected->len);
    }
  ep_imap_client_logout (client);
}

/* 已发送 is created, listed back under its UTF-8 name and its modified UTF-7 one, and used. */
static void
test_chinese_folder (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapClient) client = signed_in (w, "user5@example.test", FALSE, NULL, EP_SASL_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *message_id = g_strdup_printf ("%s@example.test", token);
  g_autofree char *bytes = NULL;
  gboolean found = FALSE;
  gsize len = 0;
  guint32 uid = 0;

  ep_imap_client_create (client, "已发送", NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_create (client, "工作/报告 & 总结", NULL, &error);
  g_assert_no_error (error);
  mailboxes = ep_imap_client_list (client, "*", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      if (g_strcmp0 (mailbox->name, "已发送") == 0)
        {
          g_assert_cmpstr (mailbox->encoded, ==, "&XfJT0ZAB-");
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_clear_pointer (&mailboxes, g_ptr_array_unref);
  mailboxes = ep_imap_client_list (client, "工作/*", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mailboxes->len, ==, 1);
  g_assert_cmpstr (((EpImapMailbox *) g_ptr_array_index (mailboxes, 0))->name, ==, "工作/报告 & 总结");

  bytes = make_message (message_id, "中文", &len);
  stream = g_memory_input_stream_new_from_data (bytes, len, NULL);
  ep_imap_client_append_stream (client, "已发送", "\\Seen", stream, len, &uid, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_select (client, "已发送", TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  uids = ep_imap_client_uid_search (client, "ALL", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 1);
  assert_fetched (client, g_array_index (uids, guint32, 0), bytes, len, message_id);
  ep_imap_client_logout (client);
}

/* The Sent copy: saved once with \\Seen; saving again finds it; 已发送 works too. */
static void
test_sent_save (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapClient) client = signed_in (w, "user6@example.test", FALSE, NULL, EP_SASL_NONE);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("user6@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("user5@example.test", NULL);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GError) error = NULL;
  const char * const boxes[] = { NULL, "已发送" };
  gint64 size;

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "copy");
  ep_message_set_text (message, "once");
  mime = ep_mime_build (message, &error);
  g_assert_no_error (error);
  size = ep_mime_measure (mime, &error);
  g_assert_no_error (error);
  ep_imap_client_create (client, "已发送", NULL, &error);
  g_assert_no_error (error);

  for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
    {
      for (guint round = 0; round < 2; round++)
        {
          g_autofree char *saved_in = NULL;
          gboolean already = TRUE;

          ep_imap_sent_save (client, boxes[b], mime, size, &saved_in, &already, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (saved_in, ==, boxes[b] != NULL ? boxes[b] : "Sent");
          g_assert_cmpint (already, ==, round == 1);
        }
      {
        g_autoptr(GArray) uids = NULL;

        ep_imap_client_select (client, boxes[b] != NULL ? boxes[b] : "Sent", TRUE, NULL, NULL, &error);
        g_assert_no_error (error);
        uids = ep_imap_client_uid_search (client, "ALL", NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (uids->len, ==, 1);
      }
    }
  ep_imap_client_logout (client);
}

typedef struct
{
  GAsyncResult *result;
  guint progress;
  guint total;
} Waiter;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static void
on_progress (EpImapWorker *worker,
             guint         done,
             guint         total,
             gpointer      user_data)
{
  Waiter *waiter = user_data;

  g_assert_cmpuint (done, >=, waiter->progress);
  waiter->progress = done;
  waiter->total = total;
}

static void
wait_for (GMainContext *context,
          Waiter       *waiter)
{
  while (waiter->result == NULL)
    g_main_context_iteration (context, TRUE);
}

/* The Sent maildir's tmp/ of @user, where Dovecot writes an APPEND first. */
static char *
sent_tmp (World      *w,
          const char *user)
{
  g_autofree char *local = g_strndup (user, strcspn (user, "@"));

  return g_build_filename (ep_test_stack_get (w->stack, "MAILSTACK_DIR"), "mail", "example.test", local,
                           "Maildir", ".Sent", "tmp", NULL);
}

static EpImapUnsavedReport *
retry (EpImapWorker *worker,
       GMainContext *context,
       const char   *from)
{
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  EpImapUnsavedReport *report;

  ep_imap_worker_retry_unsaved_async (worker, from, NULL, on_done, &waiter);
  wait_for (context, &waiter);
  report = ep_imap_worker_retry_unsaved_finish (worker, waiter.result, &error);
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  return report;
}

/* A Sent copy that Dovecot refuses is kept; a retry while it still refuses keeps it and
 * says why; once Dovecot accepts, the copy is in Sent once, byte for byte, and the local
 * file is gone; a further retry does nothing. Another sender's copy is left alone. */
static void
test_retry_unsaved (gconstpointer data)
{
  World *w = (World *) data;
  const char *user = "user7@example.test";
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(EpImapWorker) worker = ep_imap_worker_new ("127.0.0.1", port (w, "IMAPS_PORT"), EP_SECURITY_TLS);
  g_autoptr(EpImapClient) client = signed_in (w, user, FALSE, NULL, EP_SASL_NONE);
  g_autoptr(EpSendResult) sent = ep_send_result_new ();
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpMessage) other = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse (user, NULL);
  g_autoptr(EpAddress) other_from = ep_address_parse ("user8@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("user1@example.test", NULL);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeMessage) other_mime = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = sent_tmp (w, user);
  g_autofree char *kept = NULL;
  g_autofree char *other_kept = NULL;
  g_autofree char *kept_bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = ep_imap_unsaved_dir ();
  gsize kept_len = 0;

  /* Sent exists once it has been opened. */
  ep_imap_client_select (client, "Sent", TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (tmp, G_FILE_TEST_IS_DIR));

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "kept, then saved");
  ep_message_set_text (message, "第一行\n.\nlast");
  mime = ep_mime_build (message, &error);
  g_assert_no_error (error);
  ep_send_result_set_message (sent, mime);
  ep_send_result_set_size (sent, ep_mime_measure (mime, NULL));
  ep_send_result_set_delivered (sent, TRUE);
  ep_message_set_from (other, other_from);
  ep_message_add_recipients (other, EP_RECIPIENT_TO, to);
  ep_message_set_subject (other, "another account's");
  other_mime = ep_mime_build (other, &error);
  g_assert_no_error (error);
  other_kept = ep_imap_sent_keep_locally (other_mime, &error);
  g_assert_no_error (error);

  g_main_context_push_thread_default (context);
  ep_imap_worker_set_credentials (worker, user, PASSWORD (w), EP_SASL_NONE);
  ep_imap_worker_set_trust (worker, CA (w), NULL);

  /* Dovecot (running as another user than root) cannot write Sent's tmp/: APPEND fails. */
  g_assert_cmpint (g_chmod (tmp, 0), ==, 0);
  {
    Waiter waiter = { 0 };

    ep_imap_worker_save_sent_async (worker, sent, NULL, on_done, &waiter);
    wait_for (context, &waiter);
    g_assert_false (ep_imap_worker_save_sent_finish (worker, waiter.result, NULL, NULL, &error));
    g_clear_object (&waiter.result);
    g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_REFUSED);
    g_clear_error (&error);
  }
  name = g_strdup_printf ("%s.eml", g_mime_message_get_message_id (mime));
  kept = g_build_filename (dir, name, NULL);
  g_file_get_contents (kept, &kept_bytes, &kept_len, &error);
  g_assert_no_error (error);

  /* Still refused: kept, and the report says why. */
  {
    g_autoptr(EpImapUnsavedReport) report = retry (worker, context, user);
    EpImapUnsavedFailure *failure;

    g_assert_cmpuint (report->saved, ==, 0);
    g_assert_cmpuint (report->failed->len, ==, 1);
    failure = g_ptr_array_index (report->failed, 0);
    g_assert_cmpstr (failure->path, ==, kept);
    g_assert_nonnull (strstr (failure->reason, "APPEND"));
    g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  }

  /* Accepted: saved once with \Seen, the same bytes, the file gone; the other sender's stays. */
  g_assert_cmpint (g_chmod (tmp, 0700), ==, 0);
  {
    g_autoptr(EpImapUnsavedReport) report = retry (worker, context, user);
    g_autoptr(GArray) uids = NULL;
    g_autoptr(GPtrArray) fetched = NULL;
    g_autofree char *set = NULL;
    EpImapMessage *copy;
    gsize len = 0;
    const char *bytes;

    g_assert_cmpuint (report->saved, ==, 1);
    g_assert_cmpuint (report->already, ==, 0);
    g_assert_cmpuint (report->failed->len, ==, 0);
    g_assert_cmpstr (report->mailbox, ==, "Sent");
    g_assert_false (g_file_test (kept, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (other_kept, G_FILE_TEST_IS_REGULAR));

    ep_imap_client_select (client, "Sent", TRUE, NULL, NULL, &error);
    g_assert_no_error (error);
    uids = ep_imap_client_uid_search_header (client, "Message-ID", g_mime_message_get_message_id (mime), NULL,
                                             &error);
    g_assert_no_error (error);
    g_assert_cmpuint (uids->len, ==, 1);
    set = ep_imap_uid_set ((guint32 *) uids->data, 1);
    fetched = ep_imap_client_uid_fetch (client, set, EP_IMAP_FETCH_BODY | EP_IMAP_FETCH_FLAGS, NULL, NULL, &error);
    g_assert_no_error (error);
    copy = g_ptr_array_index (fetched, 0);
    bytes = g_bytes_get_data (copy->body, &len);
    g_assert_cmpmem (bytes, len, kept_bytes, kept_len);
    g_assert_true (g_strv_contains ((const char * const *) copy->flags, "\\Seen"));
  }

  /* A kept copy whose message is in Sent already (its APPEND's OK was lost): removed, not
   * appended again. */
  g_file_set_contents (kept, kept_bytes, (gssize) kept_len, &error);
  g_assert_no_error (error);
  {
    g_autoptr(EpImapUnsavedReport) report = retry (worker, context, user);

    g_assert_cmpuint (report->saved, ==, 1);
    g_assert_cmpuint (report->already, ==, 1);
    g_assert_false (g_file_test (kept, G_FILE_TEST_EXISTS));
  }

  /* Nothing left to do; still one copy. */
  {
    g_autoptr(EpImapUnsavedReport) report = retry (worker, context, user);
    g_autoptr(GArray) uids = NULL;

    g_assert_cmpuint (report->saved, ==, 0);
    g_assert_cmpuint (report->failed->len, ==, 0);
    ep_imap_client_select (client, "Sent", TRUE, NULL, NULL, &error);
    g_assert_no_error (error);
    uids = ep_imap_client_uid_search_header (client, "Message-ID", g_mime_message_get_message_id (mime), NULL,
                                             &error);
    g_assert_no_error (error);
    g_assert_cmpuint (uids->len, ==, 1);
  }
  g_main_context_pop_thread_default (context);
  ep_imap_client_logout (client);
  g_remove (other_kept);
}

/* The async wrapper: the newest messages first with progress, the Sent copy once, cancel. */
static void
test_worker (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(EpImapWorker) worker = ep_imap_worker_new ("127.0.0.1", port (w, "IMAPS_PORT"), EP_SECURITY_TLS);
  g_autoptr(EpImapClient) client = signed_in (w, "user9@example.test", FALSE, NULL, EP_SASL_NONE);
  g_autoptr(EpSendResult) sent = ep_send_result_new ();
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("user9@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("user1@example.test", NULL);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *transcript = NULL;
  guint32 uids[3];

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("worker-%u@example.test", i);
      g_autofree char *subject = g_strdup_printf ("n%u", i);
      gsize len = 0;
      g_autofree char *bytes = make_message (id, subject, &len);
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (bytes, len, NULL);

      ep_imap_client_append_stream (client, "INBOX", NULL, stream, len, &uids[i], NULL, &error);
      g_assert_no_error (error);
    }
  ep_imap_client_logout (client);

  g_main_context_push_thread_default (context);
  ep_imap_worker_set_credentials (worker, "user9@example.test", PASSWORD (w), EP_SASL_NONE);
  ep_imap_worker_set_trust (worker, CA (w), NULL);
  {
    Waiter waiter = { 0 };
    gulong id = g_signal_connect (worker, "progress", G_CALLBACK (on_progress), &waiter);

    ep_imap_worker_fetch_async (worker, NULL, 2, EP_IMAP_FETCH_ENVELOPE | EP_IMAP_FETCH_FLAGS, NULL,
                                on_done, &waiter);
    wait_for (context, &waiter);
    messages = ep_imap_worker_fetch_finish (worker, waiter.result, NULL, &error);
    g_assert_no_error (error);
    g_clear_object (&waiter.result);
    /* Progress runs on this context; its last report may follow the result. */
    while (g_main_context_pending (context))
      g_main_context_iteration (context, FALSE);
    g_signal_handler_disconnect (worker, id);
    g_assert_cmpuint (messages->len, ==, 2);
    g_assert_cmpuint (((EpImapMessage *) g_ptr_array_index (messages, 0))->uid, ==, uids[2]);
    g_assert_cmpuint (((EpImapMessage *) g_ptr_array_index (messages, 1))->uid, ==, uids[1]);
    g_assert_cmpstr (((EpImapMessage *) g_ptr_array_index (messages, 0))->envelope->subject, ==, "n2");
    g_assert_cmpuint (waiter.total, ==, 2);
    g_assert_cmpuint (waiter.progress, ==, 2);
  }

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "worker copy");
  mime = ep_mime_build (message, &error);
  g_assert_no_error (error);
  ep_send_result_set_message (sent, mime);
  ep_send_result_set_size (sent, ep_mime_measure (mime, NULL));
  ep_send_result_set_delivered (sent, TRUE);
  for (guint round = 0; round < 2; round++)
    {
      Waiter waiter = { 0 };
      g_autofree char *saved_in = NULL;
      gboolean already = FALSE;

      ep_imap_worker_save_sent_async (worker, sent, NULL, on_done, &waiter);
      wait_for (context, &waiter);
      ep_imap_worker_save_sent_finish (worker, waiter.result, &saved_in, &already, &error);
      g_assert_no_error (error);
      g_clear_object (&waiter.result);
      g_assert_cmpstr (saved_in, ==, "Sent");
      g_assert_cmpint (already, ==, round == 1);
    }

  {
    Waiter waiter = { 0 };
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GPtrArray) none = NULL;

    g_cancellable_cancel (cancellable);
    ep_imap_worker_fetch_async (worker, NULL, 5, EP_IMAP_FETCH_FLAGS, cancellable, on_done, &waiter);
    wait_for (context, &waiter);
    none = ep_imap_worker_fetch_finish (worker, waiter.result, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_object (&waiter.result);
  }
  g_main_context_pop_thread_default (context);
  transcript = ep_transcript_dup_text (ep_imap_worker_get_transcript (worker));
  g_assert_nonnull (strstr (transcript, "LOGOUT"));
  g_assert_null (strstr (transcript, PASSWORD (w)));
}

static void
test_wrong_password (gconstpointer data)
{
  World *w = (World *) data;
  static const EpSaslMechanism mechanisms[] = { EP_SASL_NONE, EP_SASL_PLAIN };

  /* Two attempts only: Dovecot's anvil slows every later sign-in from an address that fails. */
  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
      g_autoptr(GError) error = NULL;

      ep_imap_client_connect (client, "127.0.0.1", port (w, "IMAPS_PORT"), EP_SECURITY_TLS, CA (w), NULL,
                              NULL, &error);
      g_assert_no_error (error);
      g_assert_false (ep_imap_client_login (client, "user1@example.test", "not-the-password",
                                            mechanisms[i], NULL, &error));
      g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_AUTH);
      g_assert_nonnull (strstr (error->message, "user1@example.test"));
      g_assert_false (ep_imap_client_is_authenticated (client));
      ep_imap_client_logout (client);
    }
}

static void
test_untrusted_certificate (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  g_assert_false (ep_imap_client_connect (client, "127.0.0.1", port (w, "IMAPS_PORT"), EP_SECURITY_TLS,
                                          NULL, NULL, NULL, &error));
  g_assert_error (error, EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED);
  fingerprint = ep_tls_error_dup_fingerprint (error);
  g_assert_nonnull (fingerprint);
  ep_imap_client_logout (client);

  /* Pinned, the same certificate is accepted; over STARTTLS too. */
  {
    g_autoptr(EpImapClient) pinned = ep_imap_client_new (NULL, 30);
    g_autoptr(GError) local = NULL;

    ep_imap_client_connect (pinned, "127.0.0.1", port (w, "IMAP_PORT"), EP_SECURITY_STARTTLS, NULL,
                            fingerprint, NULL, &local);
    g_assert_no_error (local);
    ep_imap_client_logout (pinned);
  }
}

/* Clear text with a password is refused unless allowed explicitly. */
static void
test_plaintext_refused (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;

  ep_imap_client_connect (client, "127.0.0.1", port (w, "IMAP_PORT"), EP_SECURITY_NONE, NULL, NULL,
                          NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ep_imap_client_login (client, "user1@example.test", PASSWORD (w), EP_SASL_NONE,
                                        NULL, &error));
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_INSECURE);
  ep_imap_client_logout (client);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (data);
  return NULL;
}

/* A server that accepts and says nothing: a cancel ends the wait for its greeting at once. */
static void
test_cancel (gconstpointer data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  guint16 silent;
  gint64 start;

  silent = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (ep_imap_client_connect (client, "127.0.0.1", silent, EP_SECURITY_NONE, NULL, NULL,
                                          cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_thread_join (g_steal_pointer (&thread));
  ep_imap_client_logout (client);
}

int
main (int    argc,
      char **argv)
{
  static const struct { const char *path; GTestDataFunc func; } cases[] = {
    { "/imap/login/tls", test_login_tls },
    { "/imap/login/starttls", test_login_starttls },
    { "/imap/xoauth2", test_xoauth2 },
    { "/imap/list-sent", test_list_sent },
    { "/imap/append-search-fetch", test_append_search_fetch },
    { "/imap/append-message", test_append_message },
    { "/imap/chinese-folder", test_chinese_folder },
    { "/imap/sent-save", test_sent_save },
    { "/imap/worker", test_worker },
    { "/imap/wrong-password", test_wrong_password },
    { "/imap/untrusted-certificate", test_untrusted_certificate },
    { "/imap/plaintext-refused", test_plaintext_refused },
    { "/imap/retry-unsaved", test_retry_unsaved },
  };
  World world = { 0 };
  int status;

  g_autofree char *data_home = g_dir_make_tmp ("test-imap-XXXXXX", NULL);

  ep_locale_init ("C.UTF-8");
  ep_mime_init ();
  g_test_init (&argc, &argv, NULL);
  /* Copies kept on this computer go here, not into the real home. */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_add_data_func ("/imap/cancel", &world, test_cancel);
  world.stack = ep_test_stack_start ();
  if (world.stack == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        {
          g_printerr ("# Dovecot could not start; under CI this is a failure\n");
          return 1;
        }
      g_test_skip ("Postfix and Dovecot could not start (run as root with the README's packages)");
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (world.stack != NULL)
        g_test_add_data_func (cases[i].path, &world, cases[i].func);
    }
  status = g_test_run ();

  if (world.stack != NULL && status != 0)
    ep_test_stack_dump_logs (world.stack);
  if (world.stack != NULL)
    ep_test_stack_stop (world.stack);
  {
    g_autofree char *unsaved = g_build_filename (data_home, "epistle", "unsaved-sent", NULL);
    g_autofree char *epistle = g_build_filename (data_home, "epistle", NULL);

    g_rmdir (unsaved);
    g_rmdir (epistle);
    g_rmdir (data_home);
  }
  return status;
}
