/* test-window-sent.c — after a send from the window, a copy lands in the Sent folder (real Dovecot)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <gtk/gtk.h>

#include "ep-imap-unsaved.h"
#include "ep-test-utils.h"
#include "ep-window-private.h"

typedef struct
{
  EpTestStack *stack;
  char *kept_subject;         /* of the message test_copy_fails kept */
} World;

static World world;

static guint16
stack_port (const char *key)
{
  return (guint16) atoi (ep_test_stack_get (world.stack, key));
}

static EpAccount *
alice (guint16 imap_port)
{
  EpAccount *account = ep_account_new_for_address ("alice@example.test", NULL);

  ep_account_set_display_name (account, "Alice");
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, stack_port ("SMTP_STARTTLS_PORT"));
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_imap_host (account, "127.0.0.1");
  ep_account_set_imap_port (account, imap_port);
  ep_account_set_imap_security (account, EP_SECURITY_TLS);
  ep_account_set_ca_file (account, ep_test_stack_get (world.stack, "CA_FILE"));
  return account;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;   /* wakes the loop below, so its deadline is checked */
}

/* Sends to bob from a window signed in as alice; returns once the Sent copy is settled. */
static EpWindow *
send_from_window (EpAccount  *account,
                  const char *subject)
{
  EpWindow *window = ep_window_new (NULL, FALSE);
  gint64 deadline;
  guint tick;

  gtk_window_present (GTK_WINDOW (window));
  ep_window_use_account (window, account, ep_test_stack_get (world.stack, "PASSWORD"), 0);
  ep_recipient_entry_set_text (window->to_entry, "bob@example.test");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), subject);
  ep_rich_editor_set_text (window->editor, "A copy of this goes to Sent.\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_is_sending (window));

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  tick = g_timeout_add (100, tick_cb, NULL);
  while ((ep_window_is_sending (window) || ep_window_get_sent_copy_note (window) == NULL) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_null (ep_window_get_banner (window));
  g_assert_nonnull (ep_window_get_sent_copy_note (window));
  return window;
}

static char *
fetch_from (const char *user,
            const char *mailbox,
            const char *subject)
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
  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

static void
test_copy_in_sent (void)
{
  g_autoptr(EpAccount) account = alice (stack_port ("IMAPS_PORT"));
  g_autofree char *subject = ep_test_unique_token ();
  EpWindow *window = send_from_window (account, subject);
  g_autofree char *delivered = fetch_from ("bob@example.test", "INBOX", subject);
  g_autofree char *copy = fetch_from ("alice@example.test", "Sent", subject);
  const char *body;

  g_assert_nonnull (strstr (ep_window_get_sent_copy_note (window), "“Sent”"));
  g_assert_nonnull (delivered);
  g_assert_nonnull (copy);
  /* The copy is the message bob received: same headers and body, less what the servers added. */
  body = strstr (delivered, "\nFrom: ");
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (copy, body + 1));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* No IMAP server listens: the send still succeeded, the person is told, the message is kept. */
static void
test_copy_fails (void)
{
  g_autoptr(EpAccount) account = alice (stack_port ("SMTP_SMALL_PORT"));   /* SMTP, not IMAP */
  g_autofree char *subject = ep_test_unique_token ();
  EpWindow *window = send_from_window (account, subject);
  g_autofree char *kept_dir = g_build_filename (g_get_user_data_dir (), "epistle", "unsaved-sent", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *note = ep_window_get_sent_copy_note (window);

  world.kept_subject = g_strdup (subject);
  g_assert_nonnull (strstr (note, "no copy could be saved"));
  g_assert_nonnull (strstr (note, kept_dir));
  g_assert_nonnull (fetch_from ("bob@example.test", "INBOX", subject));
  dir = g_dir_open (kept_dir, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_nonnull (g_dir_read_name (dir));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The next copy that is saved takes the kept one along: it lands in Sent and leaves the disk. */
static void
test_kept_copy_saved (void)
{
  g_autoptr(EpAccount) account = alice (stack_port ("IMAPS_PORT"));
  g_autofree char *subject = ep_test_unique_token ();
  g_autoptr(GPtrArray) kept = ep_imap_unsaved_list ("alice@example.test");
  EpWindow *window;
  gint64 deadline;
  guint tick;

  g_assert_nonnull (world.kept_subject);
  g_assert_cmpuint (kept->len, >, 0);
  window = send_from_window (account, subject);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  tick = g_timeout_add (100, tick_cb, NULL);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) left = ep_imap_unsaved_list ("alice@example.test");

      if (left->len == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  g_clear_pointer (&kept, g_ptr_array_unref);
  kept = ep_imap_unsaved_list ("alice@example.test");
  g_assert_cmpuint (kept->len, ==, 0);
  g_assert_nonnull (fetch_from ("alice@example.test", "Sent", world.kept_subject));
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
  g_test_add_func ("/window-sent/copy-in-sent", test_copy_in_sent);
  g_test_add_func ("/window-sent/copy-fails", test_copy_fails);
  g_test_add_func ("/window-sent/kept-copy-saved", test_kept_copy_saved);
  status = g_test_run ();
  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  return status;
}
