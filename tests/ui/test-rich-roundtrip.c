/* test-rich-roundtrip.c — a formatted message with inline images, sent from the
 * window through the harness's real Postfix, fetched back from Dovecot and read
 * with GMime: the HTML keeps the formatting, each cid: is the exact file, and the
 * plain part reads well
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4 cannot synthesise key presses in-process: the body is written with
 * ep_rich_editor_set_text and formatted through the editor's own actions on
 * selections, as the toolbar does. The first image goes in through the
 * toolbar's Insert Image and its file picker; the second is dropped onto the
 * text through the window's drop target.
 */
#include <stdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "ep-test-utils.h"
#include "ep-window-private.h"

typedef struct
{
  EpTestStack *stack;
} World;

static World world;

static guint16
stack_port (const char *key)
{
  return (guint16) atoi (ep_test_stack_get (world.stack, key));
}

static EpAccount *
alice (void)
{
  EpAccount *account = ep_account_new_for_address ("alice@example.test", NULL);

  ep_account_set_display_name (account, "Alice");
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, stack_port ("SMTP_STARTTLS_PORT"));
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_imap_host (account, "127.0.0.1");
  ep_account_set_imap_port (account, stack_port ("IMAPS_PORT"));
  ep_account_set_imap_security (account, EP_SECURITY_TLS);
  ep_account_set_ca_file (account, ep_test_stack_get (world.stack, "CA_FILE"));
  return account;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;   /* wakes the loop below, so its deadline is checked */
}

static char *
fetch_from (const char *user,
            const char *mailbox,
            const char *subject,
            gsize      *len)
{
  const char *argv[] = {
    g_getenv ("EPISTLE_IMAP_FETCH"), "--port", ep_test_stack_get (world.stack, "IMAPS_PORT"),
    "--ca", ep_test_stack_get (world.stack, "CA_FILE"), "--user", user,
    "--password", ep_test_stack_get (world.stack, "PASSWORD"), "--header", "Subject", subject,
    "--mailbox", mailbox, "--wait", "20", NULL
  };
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL);
  g_autoptr(GBytes) out = NULL;

  g_assert_nonnull (proc);
  g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &out, NULL, NULL));
  if (g_subprocess_get_exit_status (proc) != 0)
    return NULL;
  *len = g_bytes_get_size (out);
  return g_strndup (g_bytes_get_data (out, NULL), *len);
}

/* A small PNG of one colour; its bytes are what must arrive. */
static char *
write_png (const char *dir,
           const char *name,
           int         width,
           int         height,
           guint32     rgba,
           GBytes    **bytes)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  char *path = g_build_filename (dir, name, NULL);
  char *data = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  *bytes = g_bytes_new_take (data, len);
  return path;
}

/* Selects the first occurrence of @needle in the body, as a person would with the mouse. */
static void
select_text (EpWindow   *window,
             const char *needle)
{
  GtkTextBuffer *buffer = ep_rich_editor_get_buffer (window->editor);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, needle, 0, &match_start, &match_end, NULL));
  gtk_text_buffer_select_range (buffer, &match_start, &match_end);
}

/* Puts the cursor just after @needle. */
static void
cursor_after (EpWindow   *window,
              const char *needle)
{
  GtkTextBuffer *buffer = ep_rich_editor_get_buffer (window->editor);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, needle, 0, &match_start, &match_end, NULL));
  gtk_text_buffer_place_cursor (buffer, &match_end);
}

static void
run (EpWindow   *window,
     const char *action,
     const char *value)
{
  if (value != NULL)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->editor), action, "s", value));
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->editor), action, NULL));
}

static GtkFileChooser *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);
      if (GTK_IS_FILE_CHOOSER_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return GTK_FILE_CHOOSER (toplevel);
    }
  return NULL;
}

/* The toolbar's Insert Image: the picker opens (GTK's own dialog: the test bus
 * has no portal), @path is chosen in it and Insert pressed. */
static void
pick_image (EpWindow   *window,
            const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GtkFileChooser *chooser = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  run (window, "editor.insert-image", NULL);
  while ((chooser = find_chooser ()) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (chooser);
  g_assert_true (gtk_file_chooser_set_file (chooser, file, &error));
  g_assert_no_error (error);
  /* The dialog selects the file once it has listed the folder. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (chooser);
      if (chosen != NULL && g_file_equal (chosen, file))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = ep_rich_editor_dup_text (window->editor);
      if (strstr (text, "[image: picked.png]") != NULL)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  {
    g_autofree char *text = ep_rich_editor_dup_text (window->editor);
    g_assert_nonnull (strstr (text, "Picked: [image: picked.png]\n"));
  }
  while (find_chooser () != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (find_chooser ());        /* and the picker closed */
  g_source_remove (tick);
}

/* Drops @path through the window's own drop target at the end of the body's last line. */
static void
drop_at_end (EpWindow   *window,
             const char *path)
{
  GtkTextView *view = ep_rich_editor_get_view (window->editor);
  GtkTextBuffer *buffer = ep_rich_editor_get_buffer (window->editor);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window->compose_box);
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  GSList *files = NULL;
  GdkRectangle location;
  GtkTextIter end;
  graphene_point_t in_view, in_box;
  gboolean handled = FALSE;
  int x, y;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_get_iter_location (view, &end, &location);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, location.x, location.y, &x, &y);
  /* A little right of the last character, halfway down its line: the end of the text. */
  in_view = GRAPHENE_POINT_INIT (x + 6, y + MAX (location.height, 2) / 2);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (view), window->compose_box, &in_view, &in_box));

  files = g_slist_append (files, g_file_new_for_path (path));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, (double) in_box.x, (double) in_box.y, &handled);
  g_assert_true (handled);
  g_slist_free_full (files, g_object_unref);
}

static void
send_and_wait (EpWindow *window)
{
  gint64 deadline;
  guint tick;

  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_is_sending (window));
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  tick = g_timeout_add (100, tick_cb, NULL);
  while ((ep_window_is_sending (window) || ep_window_get_sent_copy_note (window) == NULL) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_null (ep_window_get_banner (window));
}

static char *
bytes_to_text (GBytes *bytes)
{
  g_autofree char *raw = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) lines = g_strsplit (raw, "\r\n", -1);

  return g_strjoinv ("\n", lines);   /* the wire's CRLF, read back as lines */
}

static const char expected_plain[] =
  "Hello Bob, this word is bold and this one is red.\n"
  "A centred line\n"
  "• first item\n"
  "• second item\n"
  "你好，鲍勃！这封信里有两张图片。\n"
  "Read more on the project page <https://example.org/epistle>.\n"
  "Picked: [image: picked.png]\n"
  "Dropped: [image: dropped.png]";

static void
test_formatted_with_images (void)
{
  g_autoptr(EpAccount) account = alice ();
  g_autofree char *subject = ep_test_unique_token ();
  g_autofree char *dir = g_dir_make_tmp ("epistle-rich-roundtrip-XXXXXX", NULL);
  g_autoptr(GBytes) picked_bytes = NULL;
  g_autoptr(GBytes) dropped_bytes = NULL;
  g_autofree char *picked = write_png (dir, "picked.png", 48, 32, 0xe01b24ff, &picked_bytes);
  g_autofree char *dropped = write_png (dir, "dropped.png", 24, 40, 0x1c71d8ff, &dropped_bytes);
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *html = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GBytes) html_bytes = NULL;
  g_autoptr(GBytes) plain_bytes = NULL;
  GMimeObject *root, *related, *html_part, *plain_part;
  EpWindow *window;
  const char *p;
  guint n_cids = 0;
  gsize raw_len = 0;

  window = ep_window_new (NULL, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  ep_window_use_account (window, account, ep_test_stack_get (world.stack, "PASSWORD"), 0);
  ep_recipient_entry_set_text (window->to_entry, "bob@example.test");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), subject);

  ep_rich_editor_set_text (window->editor,
                           "Hello Bob, this word is bold and this one is red.\n"
                           "A centred line\n"
                           "first item\n"
                           "second item\n"
                           "你好，鲍勃！这封信里有两张图片。\n"
                           "Read more on the project page.\n"
                           "Picked: \n"
                           "Dropped: ");
  select_text (window, "bold");
  run (window, "editor.bold", NULL);
  select_text (window, "red");
  run (window, "editor.text-color", "#c01c28");
  cursor_after (window, "A centred");
  run (window, "editor.alignment", "center");
  select_text (window, "first item\nsecond");
  run (window, "editor.list", "bullet");
  select_text (window, "the project page");
  g_assert_true (ep_rich_editor_insert_link (window->editor, NULL, "https://example.org/epistle", &error));
  g_assert_no_error (error);
  cursor_after (window, "Picked: ");
  pick_image (window, picked);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  drop_at_end (window, dropped);
  {
    g_autofree char *text = ep_rich_editor_dup_text (window->editor);
    g_assert_cmpstr (text, ==, expected_plain);
  }

  send_and_wait (window);
  raw = fetch_from ("bob@example.test", "INBOX", subject, &raw_len);
  g_assert_nonnull (raw);
  message = ep_test_parse_message (raw, raw_len);
  g_assert_nonnull (message);
  root = g_mime_message_get_mime_part (message);

  /* multipart/alternative: the plain part, then multipart/related with the HTML and the images. */
  g_assert_true (ep_test_part_is (root, "multipart/alternative"));
  plain_part = ep_test_find_part (root, "text/plain", 0);
  related = ep_test_find_part (root, "multipart/related", 0);
  g_assert_nonnull (plain_part);
  g_assert_nonnull (related);
  html_part = ep_test_find_part (related, "text/html", 0);
  g_assert_nonnull (html_part);
  g_assert_cmpstr (g_mime_content_type_get_parameter (g_mime_object_get_content_type (html_part), "charset"),
                   ==, "utf-8");
  g_assert_null (ep_test_find_part (related, "image/png", 2));

  html_bytes = ep_test_part_content (html_part);
  html = bytes_to_text (html_bytes);
  g_test_message ("HTML part:");
  {
    g_auto(GStrv) lines = g_strsplit (html, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      g_test_message ("| %s", lines[i]);
  }
  /* The formatting, as the tags and styles a mail reader will see. */
  g_assert_nonnull (strstr (html, "<p style=\"margin:0\">Hello Bob, this word is <b>bold</b> and this one is "
                                  "<span style=\"color:#c01c28\">red</span>.</p>\n"));
  g_assert_nonnull (strstr (html, "<p style=\"margin:0;text-align:center\">A centred line</p>\n"));
  g_assert_nonnull (strstr (html, "<ul>\n<li>first item</li>\n<li>second item</li>\n</ul>\n"));
  g_assert_nonnull (strstr (html, "<p style=\"margin:0\">你好，鲍勃！这封信里有两张图片。</p>\n"));
  g_assert_nonnull (strstr (html, "<p style=\"margin:0\">Read more on <a href=\"https://example.org/epistle\">"
                                  "the project page</a>.</p>\n"));
  g_assert_nonnull (strstr (html, "<p style=\"margin:0\">Picked: <img src=\"cid:"));
  g_assert_nonnull (strstr (html, "<p style=\"margin:0\">Dropped: <img src=\"cid:"));

  /* Each cid: is an image part in the same multipart/related, with the file's exact bytes. */
  for (p = strstr (html, "src=\"cid:"); p != NULL; p = strstr (p, "src=\"cid:"))
    {
      const char *start = p + strlen ("src=\"cid:");
      const char *end = strchr (start, '"');
      g_autofree char *cid = g_strndup (start, end - start);
      g_autofree char *alt = NULL;
      const char *alt_at = strstr (end, "alt=\"");
      GMimeObject *image = NULL;
      GBytes *expected;

      g_assert_nonnull (alt_at);
      alt_at += strlen ("alt=\"");
      alt = g_strndup (alt_at, strchr (alt_at, '"') - alt_at);
      for (guint i = 0; image == NULL && ep_test_find_part (related, "image/png", i) != NULL; i++)
        {
          GMimeObject *candidate = ep_test_find_part (related, "image/png", i);
          if (g_strcmp0 (g_mime_object_get_content_id (candidate), cid) == 0)
            image = candidate;
        }
      g_test_message ("cid:%s (%s) → %s", cid, alt, image ? "an image/png part" : "nothing");
      g_assert_nonnull (image);
      if (g_str_equal (alt, "picked.png"))
        expected = picked_bytes;
      else if (g_str_equal (alt, "dropped.png"))
        expected = dropped_bytes;
      else
        g_assert_not_reached ();
      g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (image)), ==, alt);
      g_assert_cmpint (g_mime_part_is_attachment (GMIME_PART (image)), ==, FALSE);   /* inline */
      {
        g_autoptr(GBytes) got = ep_test_part_content (image);
        g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                         g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
      }
      n_cids++;
      p = end;
    }
  g_assert_cmpuint (n_cids, ==, 2);

  /* The plain part reads as the person wrote it. */
  plain_bytes = ep_test_part_content (plain_part);
  plain = bytes_to_text (plain_bytes);
  g_assert_cmpstr (plain, ==, expected_plain);

  gtk_window_destroy (GTK_WINDOW (window));
  command = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (command), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  world.stack = ep_test_stack_start ();
  if (world.stack == NULL)
    {
      if (!ep_test_may_skip ())
        {
          g_printerr ("# Postfix and Dovecot could not start (EPISTLE_ALLOW_SKIP=1 skips instead)\n");
          return 1;
        }
      printf ("1..0 # SKIP Postfix and Dovecot could not start\n");
      return 0;
    }
  g_test_add_func ("/rich-roundtrip/formatted-with-images", test_formatted_with_images);
  status = g_test_run ();
  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  return status;
}
