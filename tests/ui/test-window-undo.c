/* test-window-undo.c — Undo after Send gives the composer back and sends nothing (real Postfix)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With EPISTLE_SCREENSHOT_DIR set, the window is saved as undo-send.png while the message waits.
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-test-utils.h"
#include "ep-ui-test-utils.h"
#include "ep-window-private.h"

typedef struct
{
  EpTestStack *stack;
  char *dir;
} World;

static World world;

/* What the composer holds, as the person would check it. */
typedef struct
{
  char *to;
  char *cc;
  char *subject;
  char *html;
  char *text;
  char **attachments;
} Fields;

static void
fields_clear (Fields *fields)
{
  g_free (fields->to);
  g_free (fields->cc);
  g_free (fields->subject);
  g_free (fields->html);
  g_free (fields->text);
  g_strfreev (fields->attachments);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fields, fields_clear)

static void
read_fields (EpWindow *window,
             Fields   *fields)
{
  g_autoptr(EpMessage) message = ep_message_new ();

  g_assert_true (ep_rich_editor_fill_message (window->editor, message, NULL));
  fields->to = g_strdup (ep_recipient_entry_get_text (window->to_entry));
  fields->cc = g_strdup (ep_recipient_entry_get_text (window->cc_entry));
  fields->subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)));
  fields->html = g_strdup (ep_message_get_html (message));
  fields->text = g_strdup (ep_message_get_text (message));
  fields->attachments = ep_attachment_bar_dup_paths (window->attachments);
}

static EpAccount *
alice (void)
{
  EpAccount *account = ep_account_new_for_address ("alice@example.test", NULL);

  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, (guint16) atoi (ep_test_stack_get (world.stack, "SMTP_STARTTLS_PORT")));
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_ca_file (account, ep_test_stack_get (world.stack, "CA_FILE"));
  ep_account_set_files_sent (account, TRUE);   /* no Sent copy: this test is about the send */
  return account;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
find_file_cb (GMimeObject *parent,
              GMimeObject *part,
              gpointer     data)
{
  const char **name = data;

  if (*name != NULL && GMIME_IS_PART (part) && g_strcmp0 (g_mime_part_get_filename (GMIME_PART (part)), *name) == 0)
    *name = NULL;
}

static gboolean
has_attachment (const char *bytes,
                gsize       len,
                const char *filename)
{
  g_autoptr(GMimeMessage) mime = ep_test_parse_message (bytes, len);
  const char *name = filename;

  g_mime_message_foreach (mime, find_file_cb, &name);
  return name == NULL;
}

static EpWindow *
compose (const char *subject)
{
  EpWindow *window = ep_window_new (NULL, FALSE);
  g_autoptr(EpAccount) account = alice ();
  g_autofree char *path = g_build_filename (world.dir, "议程.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *html = g_strdup_printf ("<p>Hello <b>Bob</b>, the <i>agenda</i> for "
                                           "<a href=\"https://example.test/q3\">Q3</a>.</p>"
                                           "<ul><li>一</li><li>two</li></ul>");

  g_assert_true (g_file_set_contents (path, "1. budget\n2. 计划\n", -1, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 560);
  gtk_window_present (GTK_WINDOW (window));
  ep_window_use_account (window, account, ep_test_stack_get (world.stack, "PASSWORD"), 0);
  ep_recipient_entry_set_text (window->to_entry, "Bob <bob@example.test>");
  g_object_set (window, "show-cc", TRUE, NULL);
  ep_recipient_entry_set_text (window->cc_entry, "carol@example.test");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), subject);
  g_assert_true (ep_rich_editor_load_html (window->editor, html, -1, world.dir, NULL));
  g_assert_true (ep_attachment_bar_add_file (window->attachments, file, NULL));
  return window;
}

static void
test_undo (void)
{
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Undo me %s", token);
  EpWindow *window = compose (subject);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(Fields) before = { 0 };
  g_auto(Fields) after = { 0 };

  /* Long enough that a machine stalled for a second still ticks only once before Undo. */
  g_settings_set_uint (settings, "undo-send-seconds", 10);
  read_fields (window, &before);
  g_assert_nonnull (before.html);
  g_assert_nonnull (strstr (before.html, "<b>Bob</b>"));

  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_is_sending (window));
  g_assert_true (ep_window_undo_is_pending (window));
  /* The toast counts down and offers Undo; the composer shows the message but cannot change it. */
  g_assert_nonnull (window->undo_toast);
  g_assert_cmpstr (adw_toast_get_title (window->undo_toast), ==, "Sending in 10 s…");
  g_assert_cmpstr (adw_toast_get_button_label (window->undo_toast), ==, "Undo");
  g_assert_cmpstr (adw_toast_get_action_name (window->undo_toast), ==, "compose.undo-send");
  /* The toast alone says it: the status line does not repeat it. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->send_status)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->editor)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->subject_entry)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->send_button)));
  /* A second later it counts one less (the timer restarts from each tick, so a stall skips none). */
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    guint tick = g_timeout_add (50, tick_cb, NULL);

    while (g_str_equal (adw_toast_get_title (window->undo_toast), "Sending in 10 s…") &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (tick);
  }
  g_assert_true (ep_window_undo_is_pending (window));
  g_assert_cmpstr (adw_toast_get_title (window->undo_toast), ==, "Sending in 9 s…");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->send_status)));
  ep_ui_test_shoot (GTK_WIDGET (window), "undo-send.png");

  /* Closed (its × button), the toast hands the countdown and Undo to the status line. */
  adw_toast_dismiss (window->undo_toast);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    guint tick = g_timeout_add (50, tick_cb, NULL);

    while (window->undo_toast != NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (tick);
  }
  g_assert_null (window->undo_toast);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->send_status)));
  g_assert_true (g_str_has_prefix (ep_send_status_get_text (window->send_status), "Sending in "));

  /* Undo, as the toast's button does. */
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.undo-send", NULL);
  g_assert_false (ep_window_is_sending (window));
  g_assert_null (window->undo_toast);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->editor)));

  /* Past the undo time, nothing has left and nothing arrives. */
  ep_ui_test_iterate_for (2500);
  g_assert_false (ep_window_is_sending (window));
  g_assert_true (ep_test_stack_absent (world.stack, "bob@example.test", "Subject", token, 3));

  read_fields (window, &after);
  g_assert_cmpstr (after.to, ==, before.to);
  g_assert_cmpstr (after.cc, ==, before.cc);
  g_assert_cmpstr (after.subject, ==, before.subject);
  g_assert_cmpstr (after.html, ==, before.html);
  g_assert_cmpstr (after.text, ==, before.text);
  g_assert_cmpstrv (after.attachments, before.attachments);

  /* Send again and let the time pass: it is delivered, once. */
  g_settings_set_uint (settings, "undo-send-seconds", 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    guint tick = g_timeout_add (100, tick_cb, NULL);

    while (ep_window_is_sending (window) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (tick);
  }
  g_assert_null (ep_window_get_banner (window));
  {
    gsize len = 0;
    g_autofree char *delivered = ep_test_stack_fetch (world.stack, "bob@example.test", "Subject", token, &len);

    g_assert_nonnull (delivered);
    g_assert_nonnull (strstr (delivered, "<b>Bob</b>"));
    g_assert_true (has_attachment (delivered, len, "议程.txt"));
  }
  /* The composer cleared for the next message. */
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* 0 turns the wait off: Send sends at once. */
static void
test_off (void)
{
  g_autofree char *token = ep_test_unique_token ();
  EpWindow *window = compose (token);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_autoptr(GVariant) fallback = g_settings_get_default_value (settings, "undo-send-seconds");

  /* 5 s unless set; Cancel Sending (Escape) during the wait is Undo too. */
  g_assert_cmpuint (g_variant_get_uint32 (fallback), ==, 5);
  g_settings_reset (settings, "undo-send-seconds");
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_undo_is_pending (window));
  g_assert_cmpstr (adw_toast_get_title (window->undo_toast), ==, "Sending in 5 s…");
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.cancel", NULL);
  g_assert_false (ep_window_is_sending (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, token);

  g_settings_set_uint (settings, "undo-send-seconds", 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_is_sending (window));
  g_assert_false (ep_window_undo_is_pending (window));
  g_assert_null (window->undo_toast);
  g_assert_cmpstr (ep_send_status_get_text (window->send_status), !=, "Sending in 0 s…");
  while (ep_window_is_sending (window))
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (ep_window_get_banner (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  world.stack = ep_test_stack_start ();
  if (world.stack == NULL && ep_test_may_skip ())
    {
      g_test_skip ("the mail servers did not start");
      return 0;
    }
  g_assert_nonnull (world.stack);
  world.dir = g_dir_make_tmp ("epistle-undo-XXXXXX", NULL);
  g_test_add_func ("/window-undo/undo", test_undo);
  g_test_add_func ("/window-undo/off", test_off);
  status = g_test_run ();
  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  return status;
}
