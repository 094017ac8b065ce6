/* test-window-outbox.c — Move to Outbox from the window with Postfix stopped, Retry Now, Edit
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With EPISTLE_SCREENSHOT_DIR set, the Outbox page is saved as outbox.png.
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-draft-store.h"
#include "ep-mime.h"
#include "ep-test-network.h"
#include "ep-test-utils.h"
#include "ep-ui-test-utils.h"
#include "ep-window-private.h"

typedef struct
{
  EpTestStack *stack;
  char *dir;
} World;

static World world;

static EpAccount *
alice (void)
{
  EpAccount *account = ep_account_new_for_address ("alice@example.test", NULL);

  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, (guint16) atoi (ep_test_stack_get (world.stack, "SMTP_STARTTLS_PORT")));
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_ca_file (account, ep_test_stack_get (world.stack, "CA_FILE"));
  ep_account_set_files_sent (account, TRUE);
  return account;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_while_sending (EpWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (ep_window_is_sending (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_false (ep_window_is_sending (window));
}

static void
wait_for_items (EpOutbox *outbox,
                guint     n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (g_list_model_get_n_items (G_LIST_MODEL (outbox)) != n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, n);
}

static void
wait_idle (EpOutbox      *outbox,
           EpOutboxEntry *entry)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while ((ep_outbox_get_n_busy (outbox) > 0 || ep_outbox_entry_get_state (entry) == EP_OUTBOX_STATE_SENDING) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (ep_outbox_get_n_busy (outbox), ==, 0);
}

static EpWindow *
window_new (EpOutbox *outbox)
{
  EpWindow *window = ep_window_new (NULL, FALSE);
  g_autoptr(EpAccount) account = alice ();

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 600);
  gtk_window_present (GTK_WINDOW (window));
  ep_window_set_outbox (window, outbox);
  ep_window_use_account (window, account, ep_test_stack_get (world.stack, "PASSWORD"), 0);
  return window;
}

static char *
html_of (EpWindow *window)
{
  g_autoptr(EpMessage) message = ep_message_new ();

  g_assert_true (ep_rich_editor_fill_message (window->editor, message, NULL));
  return g_strdup (ep_message_get_html (message));
}

/* Sends with Postfix away and moves the message to the Outbox; returns its entry. */
static EpOutboxEntry *
send_and_move (EpWindow   *window,
               EpOutbox   *outbox,
               const char *subject)
{
  g_autoptr(EpOutboxEntry) entry = NULL;

  ep_recipient_entry_set_text (window->to_entry, "Bob <bob@example.test>");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), subject);
  g_assert_true (ep_rich_editor_load_html (window->editor, "<p>Waiting for <b>Postfix</b>, <i>patiently</i>.</p>",
                                           -1, NULL, NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  wait_while_sending (window);
  g_assert_nonnull (ep_window_get_banner (window));
  g_assert_nonnull (strstr (ep_window_get_banner (window), "refused the connection"));
  g_assert_true (gtk_widget_get_visible (window->move_button));
  g_assert_true (gtk_widget_is_sensitive (window->move_button));
  ep_ui_test_iterate_for (800);
  ep_ui_test_shoot (GTK_WIDGET (window), "move-to-outbox.png");

  gtk_widget_activate_action (GTK_WIDGET (window), "compose.move-to-outbox", NULL);
  g_assert_null (ep_window_get_banner (window));
  g_assert_false (gtk_widget_get_visible (window->move_button));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (outbox), 0);
  g_assert_cmpstr (ep_outbox_entry_get_subject (entry), ==, subject);
  g_assert_cmpint (ep_outbox_entry_get_state (entry), ==, EP_OUTBOX_STATE_QUEUED);
  return entry;   /* the outbox keeps it */
}

static void
test_move_and_retry (void)
{
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Outbox window %s", token);
  g_autofree char *dir = g_build_filename (world.dir, "outbox", NULL);
  g_autoptr(EpOutbox) outbox = ep_outbox_new (dir);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TestNetwork) network = NULL;
  EpWindow *window;
  EpOutboxEntry *entry;
  g_autofree char *path = NULL;
  g_autofree char *eml = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *delivered = NULL;
  gsize eml_len, len = 0;

  g_settings_set_uint (settings, "undo-send-seconds", 0);
  ep_test_stack_set_postfix (world.stack, FALSE);
  window = window_new (outbox);
  entry = send_and_move (window, outbox, subject);
  message_id = g_strdup (ep_outbox_entry_get_message_id (entry));
  path = ep_outbox_entry_dup_message_path (entry);
  g_assert_true (g_file_get_contents (path, &eml, &eml_len, NULL));

  /* The composer is clear for the next message; the Outbox page counts one. */
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, "");
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (window->outbox_page), ==, 1);

  /* The page lists it: subject, recipient, when it is tried next, why it failed. */
  adw_view_stack_set_visible_child_name (window->view_stack, "outbox");
  g_assert_nonnull (ep_ui_test_wait_label (GTK_WIDGET (window->outbox_view), subject));
  g_assert_nonnull (ep_ui_test_find_label (GTK_WIDGET (window->outbox_view), "To: bob@example.test"));
  g_assert_nonnull (ep_ui_test_find_label (GTK_WIDGET (window->outbox_view), "Not sent yet (1 try); next try at "));
  g_assert_nonnull (ep_ui_test_find_label (GTK_WIDGET (window->outbox_view), "“127.0.0.1” refused the connection"));
  ep_ui_test_shoot (GTK_WIDGET (window), "outbox.png");

  /* Offline, as the network monitor says: the row waits for the network. Back online (Postfix
   * still away), it is tried at once: a try that reached the server's address, so it counts. */
  network = test_network_new ();
  ep_outbox_set_network_monitor (outbox, G_NETWORK_MONITOR (network));
  test_network_set (network, FALSE);
  g_assert_nonnull (ep_ui_test_wait_label (GTK_WIDGET (window->outbox_view), "Waiting for a network connection"));
  g_assert_null (ep_ui_test_find_label (GTK_WIDGET (window->outbox_view), "Not sent yet"));
  ep_ui_test_shoot (GTK_WIDGET (window), "outbox-offline.png");
  test_network_set (network, TRUE);
  g_assert_cmpint (ep_outbox_entry_get_state (entry), ==, EP_OUTBOX_STATE_SENDING);
  wait_idle (outbox, entry);
  g_assert_nonnull (ep_ui_test_wait_label (GTK_WIDGET (window->outbox_view), "Not sent yet (2 tries); next try at "));

  /* Postfix is back; Retry Now (the row's button) delivers it, once, byte for byte. */
  ep_test_stack_set_postfix (world.stack, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window->outbox_view), "outbox.retry", "s", ep_outbox_entry_get_id (entry));
  wait_for_items (outbox, 0);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (window->outbox_page), ==, 0);
  g_assert_cmpuint (ep_test_stack_count (world.stack, "bob@example.test", "Message-ID", message_id, 5), ==, 1);
  delivered = ep_test_stack_fetch (world.stack, "bob@example.test", "Message-ID", message_id, &len);
  g_assert_nonnull (delivered);
  g_assert_cmpuint (len, >, eml_len);
  g_assert_cmpmem (delivered + len - eml_len, eml_len, eml, eml_len);
  g_assert_nonnull (ep_ui_test_find_label (GTK_WIDGET (window->outbox_view), "The Outbox Is Empty"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Edit takes the message back into the composer exactly, and out of the Outbox. */
static void
test_edit (void)
{
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Outbox edit %s", token);
  g_autofree char *dir = g_build_filename (world.dir, "outbox-edit", NULL);
  g_autoptr(EpOutbox) outbox = ep_outbox_new (dir);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *html_before = NULL;
  g_autofree char *html_after = NULL;
  g_autoptr(EpDraftStore) store = NULL;
  g_autoptr(EpDraft) saved = NULL;
  g_autoptr(GError) error = NULL;
  EpWindow *window;
  EpOutboxEntry *entry;

  g_settings_set_uint (settings, "undo-send-seconds", 0);
  ep_test_stack_set_postfix (world.stack, FALSE);
  window = window_new (outbox);
  ep_recipient_entry_set_text (window->to_entry, "Bob <bob@example.test>");
  g_assert_true (ep_rich_editor_load_html (window->editor, "<p>Waiting for <b>Postfix</b>, <i>patiently</i>.</p>",
                                           -1, NULL, NULL));
  html_before = html_of (window);
  entry = send_and_move (window, outbox, subject);

  /* While something is being written, Edit leaves both alone. */
  ep_recipient_entry_set_text (window->to_entry, "carol@example.test");
  gtk_widget_activate_action (GTK_WIDGET (window->outbox_view), "outbox.edit", "s", ep_outbox_entry_get_id (entry));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 1);
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "carol@example.test");
  ep_recipient_entry_set_text (window->to_entry, "");

  gtk_widget_activate_action (GTK_WIDGET (window->outbox_view), "outbox.edit", "s", ep_outbox_entry_get_id (entry));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 0);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "compose");
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "Bob <bob@example.test>");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, subject);
  html_after = html_of (window);
  g_assert_cmpstr (html_after, ==, html_before);
  /* Already in Drafts when the entry left: nothing waits for the autosave. */
  g_assert_nonnull (ep_window_drafts_get_id (window));
  store = ep_draft_store_new (NULL);
  saved = ep_draft_store_load (store, ep_window_drafts_get_id (window), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ep_draft_get_subject (saved), ==, subject);
  g_assert_cmpstr (ep_draft_get_to (saved), ==, "Bob <bob@example.test>");
  ep_test_stack_set_postfix (world.stack, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* After a crash mid-send: the entry says it may have been delivered, asks for attention, waits. */
static void
test_uncertain_after_crash (void)
{
  g_autofree char *dir = g_build_filename (world.dir, "outbox-crash", NULL);
  g_autoptr(EpOutbox) before = ep_outbox_new (dir);
  g_autoptr(EpOutbox) after = ep_outbox_new (dir);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("alice@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("bob@example.test", NULL);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ep_test_unique_token ();
  EpOutboxEntry *entry;
  EpWindow *window;

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, token);
  ep_message_set_text (message, "Cut off mid-send.\n");
  mime = ep_mime_build (message, NULL);
  entry = ep_outbox_add (before, "alice@example.test", message, mime, NULL, NULL, &error);
  g_assert_no_error (error);
  ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_SENDING);
  ep_outbox_entry_set_next_attempt (entry, 0);
  g_assert_true (ep_outbox_entry_save (entry, &error));
  ep_outbox_stop (before);

  g_assert_true (ep_outbox_load (after, &error));
  ep_outbox_set_backoff (after, 1, 1);
  window = window_new (after);
  adw_view_stack_set_visible_child_name (window->view_stack, "outbox");
  ep_ui_test_iterate_for (2500);
  g_assert_true (adw_view_stack_page_get_needs_attention (window->outbox_page));
  g_assert_nonnull (ep_ui_test_find_label (GTK_WIDGET (window->outbox_view), "May already have been delivered"));
  g_assert_nonnull (ep_ui_test_find_label (GTK_WIDGET (window->outbox_view), "1 message waits for you to decide"));
  g_assert_true (ep_test_stack_absent (world.stack, "bob@example.test", "Subject", token, 1));
  ep_ui_test_shoot (GTK_WIDGET (window), "outbox-uncertain.png");
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
  world.dir = g_dir_make_tmp ("epistle-window-outbox-XXXXXX", NULL);
  g_test_add_func ("/window-outbox/move-and-retry", test_move_and_retry);
  g_test_add_func ("/window-outbox/edit", test_edit);
  g_test_add_func ("/window-outbox/uncertain-after-crash", test_uncertain_after_crash);
  status = g_test_run ();
  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  return status;
}
