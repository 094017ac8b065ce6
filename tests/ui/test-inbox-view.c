/* test-inbox-view.c — EpInboxView against the harness's real Dovecot
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/servers/mailstack starts Postfix and Dovecot (as root). Messages go
 * into a mailbox with APPEND through core: older fillers, a Chinese subject
 * from a Chinese sender with an attachment, and an HTML-only message, newest.
 * The view is driven in-process as a person would drive it — shown, a row
 * selected, the list scrolled to its end — and read back from its widgets.
 * The export is parsed with json-glib and compared with `epistle inbox --json`.
 * Opening a message fetches that one UID and marks it \Seen on the server,
 * which a second connection checks; other mailboxes (a Chinese one among
 * them) are chosen in the selector. A mailbox deleted and created again
 * behind the view's back (a new UIDVALIDITY) is reloaded, with a toast,
 * instead of opening, marking or paging by the old UIDs.
 * A stack that cannot start fails the run unless EPISTLE_ALLOW_SKIP=1.
 */
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "ep-imap.h"
#include "ep-inbox-view.h"
#include "ep-test-utils.h"
#include "ep-ui-test-utils.h"
#include "ep-window-private.h"

#define USER "user11@example.test"
#define EMPTY_USER "user12@example.test"
#define RENUMBER_USER "user10@example.test"
#define FORWARD_USER "carol@example.test"
#define WORK "Work"
#define N_FILLERS 55
#define N_MESSAGES (N_FILLERS + 2)
#define CHINESE_FOLDER "已发送"
#define FOLDER_SUBJECT "在中文文件夹里"
#define NESTED_FOLDER "项目/二〇二六"

typedef struct
{
  EpTestStack *stack;
  char *dir;
  guchar attachment[700];
} World;

typedef struct
{
  World *world;
  GtkWindow *window;
  EpInboxView *view;
  EpImapWorker *worker;
} Fixture;

#define PASSWORD(w) ep_test_stack_get ((w)->stack, "PASSWORD")
#define CA(w) ep_test_stack_get ((w)->stack, "CA_FILE")

static guint16
imaps_port (World *w)
{
  return (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);
}

static void
append_to (EpImapClient *client,
           const char   *mailbox,
           const char   *text)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
  g_autoptr(GError) error = NULL;

  ep_imap_client_append_stream (client, mailbox, NULL, stream, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
append (EpImapClient *client,
        const char   *text)
{
  append_to (client, "INBOX", text);
}

static EpImapClient *
connect_user (World      *w,
              const char *user)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;

  ep_imap_client_connect (client, "127.0.0.1", imaps_port (w), EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, user, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

/* The server's own word, on a connection of its own: is the message with @message_id \Seen? */
static gboolean
seen_on_server (World      *w,
                const char *mailbox,
                const char *message_id,
                guint32    *uid)
{
  g_autoptr(EpImapClient) client = connect_user (w, USER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) fetched = NULL;
  g_autofree char *set = NULL;
  EpImapMessage *message;
  gboolean seen;

  ep_imap_client_select (client, mailbox, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  uids = ep_imap_client_uid_search_header (client, "Message-ID", message_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 1);
  set = ep_imap_uid_set ((guint32 *) uids->data, 1);
  fetched = ep_imap_client_uid_fetch (client, set, EP_IMAP_FETCH_FLAGS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetched->len, ==, 1);
  message = g_ptr_array_index (fetched, 0);
  seen = g_strv_contains ((const char * const *) message->flags, "\\Seen");
  if (uid != NULL)
    *uid = message->uid;
  ep_imap_client_logout (client);
  return seen;
}

/* Oldest first: the fillers, the Chinese message with its attachment, the HTML-only one. */
static void
fill_mailbox (World *w)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *chinese = NULL;

  ep_imap_client_connect (client, "127.0.0.1", imaps_port (w), EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, USER, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 1; i <= N_FILLERS; i++)
    {
      g_autofree char *text = g_strdup_printf (
        "From: Filler <filler@example.test>\r\nTo: " USER "\r\nSubject: Filler %u\r\n"
        "Message-ID: <filler-%u@example.test>\r\nDate: Sun, 29 Nov 2026 %02u:%02u:00 +0000\r\n"
        "\r\nfiller %u\r\n", i, i, i / 60, i % 60, i);
      append (client, text);
    }

  for (guint i = 0; i < sizeof w->attachment; i++)
    w->attachment[i] = (guchar) (i * 13 + 1);
  encoded = g_base64_encode (w->attachment, sizeof w->attachment);
  chinese = g_strdup_printf (
    "From: =?UTF-8?B?5byg5LiJ?= <user3@example.test>\r\n"
    "To: " USER "\r\n"
    "Subject: =?UTF-8?B?5a2j5bqm5oql5ZGK?=\r\n"
    "Message-ID: <report@example.test>\r\n"
    "Date: Mon, 30 Nov 2026 08:00:00 +0800\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "第一行\r\n第二行\r\n"
    "--b1\r\n"
    "Content-Type: application/octet-stream; name=\"=?UTF-8?B?5pWw5o2uLmJpbg==?=\"\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''%%E6%%95%%B0%%E6%%8D%%AE.bin\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "%s\r\n"
    "--b1--\r\n", encoded);
  append (client, chinese);
  append (client,
          "From: Web Shop <shop@example.test>\r\n"
          "To: " USER "\r\n"
          "Subject: =?UTF-8?B?6K6i5Y2V?= HTML only\r\n"
          "Message-ID: <html-only@example.test>\r\n"
          "Date: Mon, 30 Nov 2026 09:30:00 +0800\r\n"
          "MIME-Version: 1.0\r\n"
          "Content-Type: text/html; charset=utf-8\r\n"
          "\r\n"
          "<html><head><title>t</title><style>p{color:red}</style></head>"
          "<body><p>Hello <b>world</b>,</p><p>你好 &amp; goodbye</p><script>alert(1)</script>"
          "<img src=\"http://example.invalid/x.png\"></body></html>\r\n");
  /* A mailbox with a Chinese name (modified UTF-7 on the wire), holding one message. */
  ep_imap_client_create (client, CHINESE_FOLDER, NULL, &error);
  g_assert_no_error (error);
  append_to (client, CHINESE_FOLDER,
             "From: Carol <carol@example.test>\r\nTo: " USER "\r\n"
             "Subject: =?UTF-8?B?5Zyo5Lit5paH5paH5Lu25aS56YeM?=\r\n"
             "Message-ID: <in-folder@example.test>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0800\r\n"
             "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
             "\r\n文件夹里的信\r\n");
  /* Mailboxes inside others (Dovecot's delimiter is “/”): Archive and 项目 only hold them (\Noselect). */
  for (guint i = 0; i < 4; i++)
    {
      const char *nested[] = { "Archive/2025", "INBOX/Work", "Projects", "Projects/Epistle" };

      ep_imap_client_create (client, nested[i], NULL, &error);
      g_assert_no_error (error);
    }
  ep_imap_client_create (client, NESTED_FOLDER, NULL, &error);
  g_assert_no_error (error);
  append_to (client, NESTED_FOLDER,
             "From: Dave <dave@example.test>\r\nTo: " USER "\r\nSubject: Nested\r\n"
             "Message-ID: <nested@example.test>\r\nDate: Mon, 30 Nov 2026 11:00:00 +0800\r\n"
             "\r\nin a nested folder\r\n");
  ep_imap_client_logout (client);
}

static EpImapWorker *
worker_for (World      *w,
            const char *user,
            const char *password)
{
  EpImapWorker *worker = ep_imap_worker_new ("127.0.0.1", imaps_port (w), EP_SECURITY_TLS);

  ep_imap_worker_set_credentials (worker, user, password, EP_SASL_NONE);
  ep_imap_worker_set_trust (worker, CA (w), NULL);
  ep_imap_worker_set_timeout (worker, 30);
  return worker;
}

static gboolean
on_deadline_cb (gpointer data)
{
  g_error ("timed out waiting for %s", (const char *) data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so; 60 s at most. */
#define WAIT_FOR(cond)                                                                   \
  G_STMT_START {                                                                         \
    guint deadline_ = g_timeout_add_seconds (60, on_deadline_cb, (gpointer) #cond);       \
    while (!(cond))                                                                       \
      g_main_context_iteration (NULL, TRUE);                                              \
    g_source_remove (deadline_);                                                          \
  } G_STMT_END

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->world = (World *) data;
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->view = EP_INBOX_VIEW (ep_inbox_view_new ());
  gtk_window_set_default_size (fixture->window, 900, 700);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->worker);
}

/* Shows the view for @user: it loads when it is first seen. */
static void
show_inbox (Fixture    *fixture,
            const char *user,
            const char *password)
{
  g_clear_object (&fixture->worker);
  fixture->worker = worker_for (fixture->world, user, password);
  ep_inbox_view_set_worker (fixture->view, fixture->worker, "127.0.0.1", imaps_port (fixture->world));
  g_assert_false (ep_inbox_view_get_loaded (fixture->view));
  gtk_window_present (fixture->window);
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view) &&
            g_strcmp0 (ep_inbox_view_get_state (fixture->view), "loading") != 0);
}

/* Every label's text in a row, joined by " | ", and whether its attachment marker shows. */
static void
collect_labels (GtkWidget *widget,
                GString   *text,
                gboolean  *marker)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        g_string_append_printf (text, "%s | ", gtk_label_get_text (GTK_LABEL (child)));
      else if (GTK_IS_IMAGE (child) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)),
                                                   "mail-attachment-symbolic") == 0)
        *marker = gtk_widget_get_visible (child);
      collect_labels (child, text, marker);
    }
}

static char *
row_text (Fixture  *fixture,
          guint     index,
          gboolean *marker)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (ep_inbox_view_get_list (fixture->view), (int) index);
  GString *text = g_string_new (NULL);

  g_assert_nonnull (row);
  *marker = FALSE;
  collect_labels (GTK_WIDGET (row), text, marker);
  return g_string_free (text, FALSE);
}

static void
test_rows (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *html = NULL;
  g_autofree char *report = NULL;
  g_autofree char *oldest = NULL;
  gboolean marker = FALSE;

  show_inbox (fixture, USER, PASSWORD (fixture->world));
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "list");
  /* The first page only: the newest 50 of 57. */
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, EP_INBOX_VIEW_PAGE_SIZE);

  html = row_text (fixture, 0, &marker);
  g_test_message ("row 0: %s", html);
  g_assert_true (g_str_has_prefix (html, "Web Shop | "));
  g_assert_nonnull (strstr (html, "订单 HTML only"));
  g_assert_false (marker);

  report = row_text (fixture, 1, &marker);
  g_test_message ("row 1: %s", report);
  g_assert_true (g_str_has_prefix (report, "张三 | "));
  g_assert_nonnull (strstr (report, "季度报告"));
  g_assert_null (strstr (report, "=?UTF-8?"));
  g_assert_true (marker);

  /* Newest first: the oldest of the newest 50 of 57 is the 8th to arrive. */
  oldest = row_text (fixture, EP_INBOX_VIEW_PAGE_SIZE - 1, &marker);
  g_assert_nonnull (strstr (oldest, "Filler 8 |"));
  g_assert_false (marker);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  if (!ep_inbox_view_save_attachment_finish (EP_INBOX_VIEW (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");   /* the done flag */
}

/* Saves in the background as Save… does; the main loop keeps turning meanwhile. */
static void
save_attachment (EpInboxView  *view,
                 guint         index,
                 GFile        *file,
                 GError      **error)
{
  GError *result = NULL;

  ep_inbox_view_save_attachment_async (view, index, file, NULL, on_saved_cb, &result);
  g_assert_null (result);   /* not finished before the main loop ran: it is off the main thread */
  WAIT_FOR (result != NULL);
  if (g_error_matches (result, G_IO_ERROR, G_IO_ERROR_EXISTS) && g_str_equal (result->message, "done"))
    g_error_free (result);
  else
    g_propagate_error (error, result);
}

static void
test_message (Fixture       *fixture,
              gconstpointer  data)
{
  World *w = fixture->world;
  g_autofree char *text = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *saved_path = g_build_filename (w->dir, "saved.bin", NULL);
  g_autoptr(GFile) saved = g_file_new_for_path (saved_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;
  gsize len = 0;

  show_inbox (fixture, USER, PASSWORD (w));
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "none");

  /* The HTML-only message, as text: no markup, no script, no image fetched. */
  ep_inbox_view_select (fixture->view, 0);
  WAIT_FOR (g_strcmp0 (ep_inbox_view_get_message_state (fixture->view), "loading") != 0);
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "message");
  text = ep_inbox_view_dup_message_text (fixture->view);
  g_test_message ("text: %s", text);
  g_assert_nonnull (strstr (text, "Hello world,"));
  g_assert_nonnull (strstr (text, "你好 & goodbye"));
  g_assert_null (strstr (text, "<"));
  g_assert_null (strstr (text, "alert"));
  g_assert_null (strstr (text, "color:red"));
  headers = ep_inbox_view_dup_headers_text (fixture->view);
  g_test_message ("headers: %s", headers);
  g_assert_true (g_str_has_prefix (headers, "订单 HTML only\n"));
  g_assert_nonnull (strstr (headers, "From: Web Shop <shop@example.test>"));
  g_assert_nonnull (strstr (headers, "To: " USER));
  names = ep_inbox_view_dup_attachment_names (fixture->view);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  /* The Chinese message: its text, its attachment, saved byte for byte. */
  ep_inbox_view_select (fixture->view, 1);
  WAIT_FOR (g_strcmp0 (ep_inbox_view_get_message_state (fixture->view), "loading") != 0);
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "message");
  g_free (text);
  text = ep_inbox_view_dup_message_text (fixture->view);
  g_assert_cmpstr (text, ==, "第一行\n第二行");   /* the CR LF before a boundary is the boundary's */
  g_free (headers);
  headers = ep_inbox_view_dup_headers_text (fixture->view);
  g_assert_nonnull (strstr (headers, "From: 张三 <user3@example.test>"));
  names = ep_inbox_view_dup_attachment_names (fixture->view);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "数据.bin");
  save_attachment (fixture->view, 0, saved, &error);
  g_assert_no_error (error);
  g_file_get_contents (saved_path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, w->attachment, sizeof w->attachment);

  /* Somewhere it cannot be written: an error that names the cause, and no file. */
  {
    g_autofree char *bad_path = g_build_filename (w->dir, "no such folder", "x.bin", NULL);
    g_autoptr(GFile) bad = g_file_new_for_path (bad_path);

    save_attachment (fixture->view, 0, bad, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_test_message ("save error: %s", error->message);
    g_clear_error (&error);
    g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
  }

  /* Back to the first: fetched already, shown at once. */
  ep_inbox_view_select (fixture->view, 0);
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "message");
}

/* Whether row @index shows its message as unread: sender and subject in bold. */
static gboolean
row_is_unread (Fixture *fixture,
               guint    index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (ep_inbox_view_get_list (fixture->view), (int) index);
  GtkWidget *grid = gtk_list_box_row_get_child (row);
  guint bold = 0, labels = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!GTK_IS_LABEL (child) || gtk_widget_has_css_class (child, "dim-label"))
        continue;
      labels++;
      bold += gtk_widget_has_css_class (child, "unread");
    }
  g_assert_cmpuint (labels, ==, 2);   /* sender and subject */
  g_assert_true (bold == 0 || bold == 2);
  return bold == 2;
}

/* The UID set of the last whole-message fetch in the worker's transcript, such as “55”. */
static char *
last_body_fetch (Fixture *fixture)
{
  g_autofree char *text = ep_transcript_dup_text (ep_imap_worker_get_transcript (fixture->worker));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  char *set = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *fetch = strstr (lines[i], " UID FETCH ");

      if (g_str_has_prefix (lines[i], "C: ") && fetch != NULL && strstr (lines[i], "BODY.PEEK[]") != NULL)
        {
          fetch += strlen (" UID FETCH ");
          g_free (set);
          set = g_strndup (fetch, strcspn (fetch, " "));
        }
    }
  return set;
}

/* The last client line of the worker's transcript that holds @command, from @command on. */
static char *
last_command (Fixture    *fixture,
              const char *command)
{
  g_autofree char *text = ep_transcript_dup_text (ep_imap_worker_get_transcript (fixture->worker));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  char *found = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], command);

      if (g_str_has_prefix (lines[i], "C: ") && at != NULL)
        {
          g_free (found);
          found = g_strdup (at);
        }
    }
  return found;
}

/* How many UIDs a set such as “3:5,9” names. */
static guint
uid_set_size (const char *set)
{
  g_auto(GStrv) ranges = g_strsplit (set, ",", -1);
  guint n = 0;

  for (guint i = 0; ranges[i] != NULL; i++)
    {
      const char *colon = strchr (ranges[i], ':');
      guint64 low = g_ascii_strtoull (ranges[i], NULL, 10);
      guint64 high = colon != NULL ? g_ascii_strtoull (colon + 1, NULL, 10) : low;

      n += (guint) (high - low + 1);
    }
  return n;
}

static void
wait_for_message (EpInboxView *view)
{
  WAIT_FOR (g_strcmp0 (ep_inbox_view_get_message_state (view), "loading") != 0);
  g_assert_cmpstr (ep_inbox_view_get_message_state (view), ==, "message");
}

/* The third newest opened: that one message is fetched, by its UID, shown, and marked read. */
static void
test_by_uid (Fixture       *fixture,
             gconstpointer  data)
{
  World *w = fixture->world;
  g_autofree char *text = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *set = NULL;
  g_autofree char *uid_text = NULL;
  guint32 uid = 0;

  g_assert_false (seen_on_server (w, "INBOX", "filler-55@example.test", &uid));
  g_assert_false (seen_on_server (w, "INBOX", "filler-54@example.test", NULL));
  show_inbox (fixture, USER, PASSWORD (w));
  g_assert_true (row_is_unread (fixture, 2));
  g_assert_true (row_is_unread (fixture, 3));

  ep_inbox_view_select (fixture->view, 2);
  wait_for_message (fixture->view);
  text = ep_inbox_view_dup_message_text (fixture->view);
  g_assert_cmpstr (text, ==, "filler 55\n");
  headers = ep_inbox_view_dup_headers_text (fixture->view);
  g_assert_true (g_str_has_prefix (headers, "Filler 55\n"));
  /* Exactly that message crossed the wire, no newer ones with it. */
  set = last_body_fetch (fixture);
  uid_text = g_strdup_printf ("%u", uid);
  g_test_message ("fetched UIDs %s, the message's UID %s", set, uid_text);
  g_assert_cmpstr (set, ==, uid_text);

  /* Read now, on the server and in the list; its neighbour is not. */
  g_assert_true (seen_on_server (w, "INBOX", "filler-55@example.test", NULL));
  g_assert_false (seen_on_server (w, "INBOX", "filler-54@example.test", NULL));
  g_assert_false (row_is_unread (fixture, 2));
  g_assert_true (row_is_unread (fixture, 3));
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-read.png");

  /* Mark as Unread, from the message's menu: unread on the server, bold again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "inbox.mark-unread", NULL));
  WAIT_FOR (row_is_unread (fixture, 2));
  g_assert_false (seen_on_server (w, "INBOX", "filler-55@example.test", NULL));
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "message");

  /* Opened again (already fetched, so at once): read again. */
  ep_inbox_view_select (fixture->view, 3);
  wait_for_message (fixture->view);
  ep_inbox_view_select (fixture->view, 2);
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "message");
  WAIT_FOR (!row_is_unread (fixture, 2));
  g_assert_true (seen_on_server (w, "INBOX", "filler-55@example.test", NULL));
  g_assert_true (seen_on_server (w, "INBOX", "filler-54@example.test", NULL));
}

static char *
dropdown_items (GtkDropDown *dropdown)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  GString *text = g_string_new (NULL);

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "",
                            gtk_string_list_get_string (GTK_STRING_LIST (model), i));
  return g_string_free (text, FALSE);
}

static void
choose_mailbox (Fixture    *fixture,
                const char *shown)
{
  GtkDropDown *dropdown = ep_inbox_view_get_mailbox_dropdown (fixture->view);
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), shown))
        {
          gtk_drop_down_set_selected (dropdown, i);
          g_assert_true (ep_inbox_view_is_busy (fixture->view));
          WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
          return;
        }
    }
  g_error ("no “%s” in the mailbox selector", shown);
}

/* The selector lists the mailboxes, special ones by their translated names; a choice reloads and stays. */
static void
test_mailboxes (Fixture       *fixture,
                gconstpointer  data)
{
  World *w = fixture->world;
  GtkDropDown *dropdown = ep_inbox_view_get_mailbox_dropdown (fixture->view);
  g_autofree char *items = NULL;
  g_autofree char *row = NULL;
  g_autofree char *text = NULL;
  gboolean marker;

  show_inbox (fixture, USER, PASSWORD (w));
  g_assert_cmpstr (ep_inbox_view_get_mailbox (fixture->view), ==, "INBOX");
  WAIT_FOR (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) > 1);
  items = dropdown_items (dropdown);
  g_test_message ("mailboxes: %s", items);
  /* A mailbox inside the Inbox goes with it; other nested ones follow their parent. */
  g_assert_cmpstr (items, ==, "Inbox, Inbox › Work, Sent, Drafts, Junk, Trash, Archive › 2025, Projects, "
                              "Projects › Epistle, " CHINESE_FOLDER ", 项目 › 二〇二六");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (dropdown)));

  choose_mailbox (fixture, CHINESE_FOLDER);
  g_assert_cmpstr (ep_inbox_view_get_mailbox (fixture->view), ==, CHINESE_FOLDER);
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "list");
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 1);
  row = row_text (fixture, 0, &marker);
  g_assert_true (g_str_has_prefix (row, "Carol | "));
  g_assert_nonnull (strstr (row, FOLDER_SUBJECT));
  g_assert_true (row_is_unread (fixture, 0));
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-folder.png");

  /* Opened from that mailbox: its text, and read there. */
  g_assert_false (seen_on_server (w, CHINESE_FOLDER, "in-folder@example.test", NULL));
  ep_inbox_view_select (fixture->view, 0);
  wait_for_message (fixture->view);
  text = ep_inbox_view_dup_message_text (fixture->view);
  g_assert_cmpstr (text, ==, "文件夹里的信\n");
  g_assert_true (seen_on_server (w, CHINESE_FOLDER, "in-folder@example.test", NULL));
  g_assert_false (row_is_unread (fixture, 0));

  /* Refresh keeps the choice; so does signing in again while the window lives. */
  ep_inbox_view_refresh (fixture->view);
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 1);
  g_clear_object (&fixture->worker);
  fixture->worker = worker_for (w, USER, PASSWORD (w));
  ep_inbox_view_set_worker (fixture->view, fixture->worker, "127.0.0.1", imaps_port (w));
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  g_assert_cmpstr (ep_inbox_view_get_mailbox (fixture->view), ==, CHINESE_FOLDER);
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 1);
  WAIT_FOR (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) > 1);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (dropdown)), ==,
                   CHINESE_FOLDER);

  /* A nested mailbox: shown by its path, selected by its real name. */
  choose_mailbox (fixture, "项目 › 二〇二六");
  g_assert_cmpstr (ep_inbox_view_get_mailbox (fixture->view), ==, NESTED_FOLDER);
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 1);
  g_free (row);
  row = row_text (fixture, 0, &marker);
  g_assert_true (g_str_has_prefix (row, "Dave | "));
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-nested.png");

  /* The empty Sent folder, then back to the inbox. */
  choose_mailbox (fixture, "Sent");
  g_assert_cmpstr (ep_inbox_view_get_mailbox (fixture->view), ==, "Sent");
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "empty");
  choose_mailbox (fixture, "Inbox");
  g_assert_cmpstr (ep_inbox_view_get_mailbox (fixture->view), ==, "INBOX");
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, EP_INBOX_VIEW_PAGE_SIZE);
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;
  g_autofree char *oldest = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean marker;

  show_inbox (fixture, USER, PASSWORD (fixture->world));
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, EP_INBOX_VIEW_PAGE_SIZE);

  /* Scrolled to the end, as a person would: the next page comes. */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (ep_inbox_view_get_list (fixture->view)),
                                      GTK_TYPE_SCROLLED_WINDOW);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  g_assert_true (ep_inbox_view_is_busy (fixture->view));
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "list");
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, N_MESSAGES);

  oldest = row_text (fixture, N_MESSAGES - 1, &marker);
  g_assert_nonnull (strstr (oldest, "Filler 1 |"));

  /* The next page asked for the older messages alone, not the newest page again. */
  {
    g_autofree char *search = last_command (fixture, "UID SEARCH ");
    g_autofree char *fetch = last_command (fixture, "UID FETCH ");
    g_auto(GStrv) words = g_strsplit (fetch, " ", 4);

    g_assert_true (g_str_has_prefix (search, "UID SEARCH UID 1:"));
    g_assert_cmpuint (uid_set_size (words[2]), ==, N_MESSAGES - EP_INBOX_VIEW_PAGE_SIZE);
  }
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *text = row_text (fixture, i, &marker);

      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&text)));   /* no row twice */
    }

  /* All are shown: scrolling to the end again asks for nothing. */
  g_signal_emit_by_name (scrolled, "edge-reached", GTK_POS_BOTTOM);
  g_assert_false (ep_inbox_view_is_busy (fixture->view));
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, N_MESSAGES);
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;

  if (!ep_inbox_view_export_finish (EP_INBOX_VIEW (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");   /* the done flag */
}

static JsonNode *
load_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  World *w = fixture->world;
  g_autofree char *path = g_build_filename (w->dir, "inbox.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", imaps_port (w));
  g_autofree char *limit = g_strdup_printf ("%u", EP_INBOX_VIEW_PAGE_SIZE);
  const char *args[] = { "inbox", "--server", server, "--user", USER, "--ca-file", CA (w), "--json", "-",
                         "--limit", limit, NULL };
  g_autofree char *cli_out = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) cli_root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) result = NULL;
  JsonArray *array, *attachments;
  JsonObject *html, *report, *file_entry;

  show_inbox (fixture, USER, PASSWORD (w));
  ep_inbox_view_export_async (fixture->view, file, NULL, on_exported_cb, &result);
  WAIT_FOR (result != NULL);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);   /* done, not failed */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  root = load_json (contents);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, EP_INBOX_VIEW_PAGE_SIZE);
  html = json_array_get_object_element (array, 0);
  report = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (html, "message_id"), ==, "html-only@example.test");
  g_assert_cmpstr (json_object_get_string_member (html, "subject"), ==, "订单 HTML only");
  g_assert_nonnull (strstr (json_object_get_string_member (html, "body"), "你好 & goodbye"));
  g_assert_cmpstr (json_object_get_string_member (report, "subject"), ==, "季度报告");
  g_assert_cmpstr (json_object_get_string_member (report, "body"), ==, "第一行\n第二行");
  attachments = json_object_get_array_member (report, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  file_entry = json_array_get_object_element (attachments, 0);
  g_assert_cmpstr (json_object_get_string_member (file_entry, "name"), ==, "数据.bin");
  g_assert_cmpstr (json_object_get_string_member (file_entry, "content_type"), ==, "application/octet-stream");
  g_assert_cmpint (json_object_get_int_member (file_entry, "size"), ==, sizeof w->attachment);

  /* The same JSON as the command line, value for value. */
  g_assert_cmpint (ep_test_run_cli (args, NULL, PASSWORD (w), &cli_out, NULL), ==, 0);
  cli_root = load_json (cli_out);
  g_assert_true (json_node_equal (root, cli_root));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *error;

  show_inbox (fixture, USER, "not the password");
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "error");
  g_assert_false (ep_inbox_view_get_loaded (fixture->view));
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 0);
  error = ep_inbox_view_get_error (fixture->view);
  g_test_message ("error: %s", error);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_suffix (error, "."));
  g_assert_null (strstr (error, "not the password"));
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-error.png");

  /* Try Again is there, and tries. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "inbox.refresh", NULL));
  g_assert_true (ep_inbox_view_is_busy (fixture->view));
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "error");
}

/* Closed with a list, a message and an export in flight: each ends quietly (warnings are fatal). */
static void
test_close_while_busy (Fixture       *fixture,
                       gconstpointer  data)
{
  World *w = fixture->world;
  g_autofree char *path = g_build_filename (w->dir, "never.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) result = NULL;
  g_autoptr(EpInboxView) view = g_object_ref (fixture->view);

  show_inbox (fixture, USER, PASSWORD (w));
  ep_inbox_view_select (view, 20);
  g_assert_cmpstr (ep_inbox_view_get_message_state (view), ==, "loading");
  ep_inbox_view_export_async (view, file, NULL, on_exported_cb, &result);
  ep_inbox_view_refresh (view);
  g_assert_true (ep_inbox_view_is_busy (view));

  gtk_window_destroy (fixture->window);
  fixture->window = NULL;
  WAIT_FOR (result != NULL);   /* the export had no cancellable of its own: it finishes */
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

/* A narrow window (a phone): the list alone, then the message with a way back. */
/* RENUMBER_USER's WORK deleted and created again with @n messages, unread: a new UIDVALIDITY. */
static guint32
renumber_work (World *w,
               guint  generation,
               guint  n)
{
  g_autoptr(EpImapClient) client = connect_user (w, RENUMBER_USER);
  g_autoptr(GError) error = NULL;
  EpImapSelected selected = { 0 };

  if (generation > 1)
    {
      ep_imap_client_delete (client, WORK, NULL, &error);
      g_assert_no_error (error);
    }
  ep_imap_client_create (client, WORK, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *text = g_strdup_printf (
        "From: Gen %u <gen@example.test>\r\nTo: " RENUMBER_USER "\r\nSubject: Generation %u message %u\r\n"
        "Message-ID: <gen-%u-%u@example.test>\r\nDate: Sun, 29 Nov 2026 10:%02u:00 +0000\r\n"
        "\r\ngeneration %u message %u\r\n", generation, generation, i, generation, i, i, generation, i);
      append_to (client, WORK, text);
    }
  ep_imap_client_select (client, WORK, TRUE, &selected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (selected.exists, ==, n);
  ep_imap_client_logout (client);
  return selected.uidvalidity;
}

/* How many messages of RENUMBER_USER's WORK the server has as \Seen. */
static guint
n_seen_in_work (World *w)
{
  g_autoptr(EpImapClient) client = connect_user (w, RENUMBER_USER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fetched = NULL;
  guint n = 0;

  ep_imap_client_select (client, WORK, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  fetched = ep_imap_client_uid_fetch (client, "1:*", EP_IMAP_FETCH_FLAGS, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < fetched->len; i++)
    {
      EpImapMessage *message = g_ptr_array_index (fetched, i);

      n += g_strv_contains ((const char * const *) message->flags, "\\Seen");
    }
  ep_imap_client_logout (client);
  return n;
}

/* Returns: (nullable): the label under @widget that reads @text */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

#define RELOADED "The mailbox changed on the server; the list was reloaded."

/* Waits until the view has listed @mailbox again after a renumbering, and the toast says so. */
static void
wait_reloaded (Fixture         *fixture,
               AdwToastOverlay *overlay,
               GtkWidget      **toast,
               guint            generation)
{
  g_autofree char *subject = g_strdup_printf ("Generation %u message 3", generation);
  g_autofree char *row = NULL;
  gboolean marker;

  /* A new toast each time: the one before (a weak pointer) has gone, or is not the one shown. A toast
   * waits for the one before it to time out. */
  WAIT_FOR (find_label (GTK_WIDGET (overlay), RELOADED) != NULL &&
            find_label (GTK_WIDGET (overlay), RELOADED) != *toast);
  g_set_weak_pointer (toast, find_label (GTK_WIDGET (overlay), RELOADED));
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view) && ep_inbox_view_get_loaded (fixture->view));
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "list");
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 2);
  row = row_text (fixture, 0, &marker);
  g_test_message ("after the reload: %s", row);
  g_assert_nonnull (strstr (row, subject));
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "none");
}

/* Listed, then WORK renumbered on the server: opening (which marks read), Mark as Unread and
 * Load More by the old UIDs change nothing on the server; the view reloads and says so. */
static void
test_renumbered (Fixture       *fixture,
                 gconstpointer  data)
{
  World *w = fixture->world;
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  GtkDropDown *dropdown = ep_inbox_view_get_mailbox_dropdown (fixture->view);
  GtkWidget *toast = NULL;
  g_autofree char *row = NULL;
  guint32 first, second, third, fourth;
  gboolean marker;

  g_object_ref (fixture->view);
  gtk_window_set_child (fixture->window, GTK_WIDGET (overlay));
  adw_toast_overlay_set_child (overlay, GTK_WIDGET (fixture->view));
  g_object_unref (fixture->view);
  ep_inbox_view_set_page_size (fixture->view, 2);
  first = renumber_work (w, 1, 3);
  show_inbox (fixture, RENUMBER_USER, PASSWORD (w));
  WAIT_FOR (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) > 1);
  choose_mailbox (fixture, WORK);
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 2);
  row = row_text (fixture, 0, &marker);
  g_assert_nonnull (strstr (row, "Generation 1 message 3"));
  /* A focused list selects (and so opens) the row that takes the focus when it is rebuilt: the focus
   * goes, and nothing is open when WORK is renumbered, so that only the steps below touch a flag. */
  WAIT_FOR (g_strcmp0 (ep_inbox_view_get_message_state (fixture->view), "loading") != 0);
  gtk_window_set_focus (fixture->window, NULL);
  gtk_list_box_unselect_all (ep_inbox_view_get_list (fixture->view));
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "none");

  /* Opening the newest would fetch UID 3 and mark it read: UID 3 is another message now. */
  second = renumber_work (w, 2, 3);
  g_test_message ("UIDVALIDITY %u, then %u", first, second);
  g_assert_cmpuint (second, !=, first);
  ep_inbox_view_select (fixture->view, 1);   /* not fetched yet: the first was, as it was selected */
  wait_reloaded (fixture, overlay, &toast, 2);
  g_assert_cmpuint (n_seen_in_work (w), ==, 0);

  /* Mark as Unread on a message opened (and read) under the new numbering, renumbered again. */
  ep_inbox_view_select (fixture->view, 0);
  wait_for_message (fixture->view);
  g_assert_cmpuint (n_seen_in_work (w), ==, 1);
  third = renumber_work (w, 3, 3);
  g_assert_cmpuint (third, !=, second);
  {
    g_autoptr(EpImapClient) client = connect_user (w, RENUMBER_USER);
    g_autoptr(GError) error = NULL;

    /* All of the new generation read, so that a wrong -FLAGS \Seen would show. */
    ep_imap_client_select (client, WORK, FALSE, NULL, NULL, &error);
    g_assert_no_error (error);
    ep_imap_client_uid_store_flags (client, "1:*", TRUE, "\\Seen", NULL, &error);
    g_assert_no_error (error);
    ep_imap_client_logout (client);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "inbox.mark-unread", NULL));
  wait_reloaded (fixture, overlay, &toast, 3);
  g_assert_cmpuint (n_seen_in_work (w), ==, 3);

  /* Load More asks for UIDs below the oldest listed: under another numbering, nothing is fetched. */
  fourth = renumber_work (w, 4, 3);
  g_assert_cmpuint (fourth, !=, third);
  ep_inbox_view_load_more (fixture->view);
  wait_reloaded (fixture, overlay, &toast, 4);
  g_assert_cmpuint (n_seen_in_work (w), ==, 0);

  /* Refresh after a renumbering: the list is new, and the message shown goes. */
  ep_inbox_view_select (fixture->view, 1);
  wait_for_message (fixture->view);
  renumber_work (w, 5, 3);
  ep_inbox_view_refresh (fixture->view);
  wait_reloaded (fixture, overlay, &toast, 5);
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-renumbered.png");
  g_clear_weak_pointer (&toast);
}

/* Forwarded messages attached: listed by name, the outer text shown, each saved byte for byte. */
static void
test_forwarded (Fixture       *fixture,
                gconstpointer  data)
{
  World *w = fixture->world;
  g_autoptr(GBytes) inner = NULL;
  g_autoptr(GBytes) note = NULL;
  g_autoptr(GString) message = ep_test_forwarded_message (FORWARD_USER, &inner, &note);
  g_auto(GStrv) names = NULL;
  g_autofree char *text = NULL;
  GBytes *expected[2];

  {
    g_autoptr(EpImapClient) client = connect_user (w, FORWARD_USER);

    append (client, message->str);
    ep_imap_client_logout (client);
  }
  expected[0] = inner;
  expected[1] = note;
  show_inbox (fixture, FORWARD_USER, PASSWORD (w));
  g_assert_cmpuint (ep_inbox_view_get_n_messages (fixture->view), ==, 1);
  ep_inbox_view_select (fixture->view, 0);
  wait_for_message (fixture->view);
  text = ep_inbox_view_dup_message_text (fixture->view);
  g_assert_cmpstr (text, ==, "The outer text: see the forwarded messages.");
  names = ep_inbox_view_dup_attachment_names (fixture->view);
  g_assert_cmpuint (g_strv_length (names), ==, 2);   /* not inner.pdf, which is inside the first */
  g_assert_cmpstr (names[0], ==, "会议记录.eml");
  g_assert_cmpstr (names[1], ==, "note.eml");
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-forwarded.png");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (w->dir, names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;

      save_attachment (fixture->view, i, file, &error);
      g_assert_no_error (error);
      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (contents, len, g_bytes_get_data (expected[i], NULL), g_bytes_get_size (expected[i]));
    }
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (gtk_widget_get_first_child (GTK_WIDGET (fixture->view)));
  GtkListBox *list = ep_inbox_view_get_list (fixture->view);
  GtkListBoxRow *row;

  gtk_window_set_default_size (fixture->window, 360, 640);
  show_inbox (fixture, USER, PASSWORD (fixture->world));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <, 400);

  row = gtk_list_box_get_row_at_index (list, 1);
  gtk_list_box_select_row (list, row);
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "message");
  WAIT_FOR (g_strcmp0 (ep_inbox_view_get_message_state (fixture->view), "loading") != 0);
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "message");
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-narrow.png");

  g_assert_true (adw_leaflet_navigate (leaflet, ADW_NAVIGATION_DIRECTION_BACK));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  show_inbox (fixture, EMPTY_USER, PASSWORD (fixture->world));
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "empty");
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "inbox-empty.png");
}

/* A refresh while the keyboard is in the list opens nothing: only the person opens a message
 * (which marks it read). GTK moves the focus to a row of the rebuilt list, and a list box in
 * single selection selects the row its cursor lands on. */
static void
test_refresh_opens_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkListBox *list = ep_inbox_view_get_list (fixture->view);

  show_inbox (fixture, USER, PASSWORD (fixture->world));
  g_assert_cmpstr (ep_inbox_view_get_state (fixture->view), ==, "list");
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 2)));
  gtk_list_box_unselect_all (list);
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "none");

  ep_inbox_view_refresh (fixture->view);
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;   /* a focus change comes late */

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_null (gtk_list_box_get_selected_row (list));
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "none");

  /* A message the person opened stays open through a refresh. */
  ep_inbox_view_select (fixture->view, 1);
  wait_for_message (fixture->view);
  ep_inbox_view_refresh (fixture->view);
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (list)), ==, 1);
  wait_for_message (fixture->view);
  g_assert_cmpstr (ep_inbox_view_get_message_state (fixture->view), ==, "message");

  /* Marked unread while open, it stays unread through a refresh that shows it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "inbox.mark-unread", NULL));
  WAIT_FOR (row_is_unread (fixture, 1));
  ep_inbox_view_refresh (fixture->view);
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  wait_for_message (fixture->view);
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (list)), ==, 1);
  g_assert_true (row_is_unread (fixture, 1));

  /* Opened by the person and refreshed at once, while it is being fetched: read all the same. */
  gtk_list_box_unselect_all (list);
  ep_inbox_view_select (fixture->view, 1);
  ep_inbox_view_refresh (fixture->view);
  WAIT_FOR (!ep_inbox_view_is_busy (fixture->view));
  wait_for_message (fixture->view);
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_false (row_is_unread (fixture, 1));
}

/* The window: the switcher appears once signed in, and the Inbox reads the account's IMAP server. */
static void
test_window (gconstpointer data)
{
  World *w = (World *) data;
  EpWindow *window = ep_window_new (NULL, FALSE);
  g_autoptr(EpAccount) account = ep_account_new_for_address (USER, NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (adw_view_switcher_title_get_view_switcher_enabled (window->window_title));
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_imap_host (account, "127.0.0.1");
  ep_account_set_imap_security (account, EP_SECURITY_TLS);
  ep_account_set_imap_port (account, imaps_port (w));
  ep_account_set_ca_file (account, CA (w));
  ep_window_use_account (window, account, PASSWORD (w), 0);
  g_assert_true (adw_view_switcher_title_get_view_switcher_enabled (window->window_title));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->send_button)));
  /* Nothing is fetched before the Inbox is seen. */
  g_assert_false (ep_inbox_view_is_busy (window->inbox_view));

  adw_view_stack_set_visible_child_name (window->view_stack, "inbox");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->send_button)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->send_button)) &&
                  gtk_widget_get_visible (GTK_WIDGET (window->send_button)));
  WAIT_FOR (ep_inbox_view_get_loaded (window->inbox_view) ||
            g_strcmp0 (ep_inbox_view_get_state (window->inbox_view), "error") == 0);
  g_test_message ("error: %s", ep_inbox_view_get_error (window->inbox_view));
  g_assert_cmpstr (ep_inbox_view_get_state (window->inbox_view), ==, "list");
  g_assert_cmpuint (ep_inbox_view_get_n_messages (window->inbox_view), ==, EP_INBOX_VIEW_PAGE_SIZE);
  ep_inbox_view_select (window->inbox_view, 1);
  WAIT_FOR (g_strcmp0 (ep_inbox_view_get_message_state (window->inbox_view), "loading") != 0);
  g_assert_cmpstr (ep_inbox_view_get_message_state (window->inbox_view), ==, "message");
  ep_ui_test_shoot (GTK_WIDGET (window), "inbox-window.png");

  /* The title names the mailbox shown, as its selector does. */
  g_assert_cmpstr (adw_view_switcher_title_get_title (window->window_title), ==, "Inbox");
  {
    GtkDropDown *dropdown = ep_inbox_view_get_mailbox_dropdown (window->inbox_view);

    GListModel *model;
    guint sent = G_MAXUINT;

    WAIT_FOR (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) > 1);
    model = gtk_drop_down_get_model (dropdown);
    for (guint i = 0; i < g_list_model_get_n_items (model) && sent == G_MAXUINT; i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

        if (g_str_equal (gtk_string_object_get_string (item), "Sent"))
          sent = i;
      }
    g_assert_cmpuint (sent, !=, G_MAXUINT);
    gtk_drop_down_set_selected (dropdown, sent);
    g_assert_cmpstr (ep_inbox_view_get_mailbox (window->inbox_view), ==, "Sent");
    g_assert_cmpstr (adw_view_switcher_title_get_title (window->window_title), ==, "Sent");
    gtk_drop_down_set_selected (dropdown, 0);
    g_assert_cmpstr (adw_view_switcher_title_get_title (window->window_title), ==, "Inbox");
    WAIT_FOR (!ep_inbox_view_is_busy (window->inbox_view));
  }

  /* The Inbox folds: it never makes the window wider than the composer needs. */
  {
    int minimum = 0;

    int compose = 0;

    gtk_widget_measure (GTK_WIDGET (window->inbox_view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum,
                        NULL, NULL, NULL);
    gtk_widget_measure (window->compose_box, GTK_ORIENTATION_HORIZONTAL, -1, &compose, NULL, NULL, NULL);
    g_test_message ("minimum widths: inbox %d, compose %d", minimum, compose);
    g_assert_cmpint (minimum, <=, MAX (compose, 360));
  }

  adw_view_stack_set_visible_child_name (window->view_stack, "compose");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->send_button)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add (const char *name,
     World      *w,
     void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/inbox-view/", name, NULL);

  g_test_add (path, Fixture, w, setup, func, teardown);
}

int
main (int    argc,
      char **argv)
{
  World world = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  world.stack = ep_test_stack_start ();
  if (world.stack == NULL)
    {
      if (ep_test_may_skip ())
        {
          g_print ("1..0 # SKIP the mail servers could not start (they need root)\n");
          return 0;
        }
      g_printerr ("Bail out! the mail servers could not start (they need root; "
                  "EPISTLE_ALLOW_SKIP=1 skips)\n");
      return 1;
    }
  world.dir = g_dir_make_tmp ("epistle-inbox-view-XXXXXX", &error);
  g_assert_no_error (error);
  fill_mailbox (&world);

  add ("rows", &world, test_rows);
  add ("message", &world, test_message);
  add ("by-uid", &world, test_by_uid);
  add ("mailboxes", &world, test_mailboxes);
  add ("paging", &world, test_paging);
  add ("export", &world, test_export);
  add ("narrow", &world, test_narrow);
  add ("close-while-busy", &world, test_close_while_busy);
  add ("wrong-password", &world, test_wrong_password);
  add ("empty", &world, test_empty);
  add ("renumbered", &world, test_renumbered);
  add ("forwarded", &world, test_forwarded);
  add ("refresh-opens-nothing", &world, test_refresh_opens_nothing);
  g_test_add_data_func ("/inbox-view/window", &world, test_window);
  status = g_test_run ();

  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  command = g_strdup_printf ("rm -rf '%s'", world.dir);
  g_assert_cmpint (system (command), ==, 0);
  g_free (world.dir);
  return status;
}
