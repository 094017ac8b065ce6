/* test-window-check.c — a saved account signed in from the keyring, checked in the background
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In-process under tests/ui/xvfb-wrapper (a real gnome-keyring-daemon on the
 * test's private bus), against the harness's real Postfix on its small-limit
 * port (SMTP_SMALL_PORT, message_size_limit SMTP_SMALL_LIMIT). Each case saves
 * alice's account and a secret in the keyring, then opens the window as a
 * start would: it signs in from the keyring without the sign-in page, and the
 * background check then learns the SIZE limit, finds the password refused, or
 * finds Postfix stopped. EPISTLE_SCREENSHOT_DIR=DIR writes refused-banner.png.
 */
#include <stdio.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-draft-store.h"
#include "ep-outbox.h"
#include "ep-test-network.h"
#include "ep-test-utils.h"
#include "ep-ui-test-utils.h"
#include "ep-window-private.h"

#define ADDRESS "alice@example.test"

typedef struct
{
  EpTestStack *stack;
  char *dir;
} World;

static World world;

typedef struct
{
  EpWindow *window;
} Fixture;

static const char *
stack_get (const char *key)
{
  return ep_test_stack_get (world.stack, key);
}

typedef gboolean (*Condition) (Fixture *fixture);

static void
wait_until (Fixture    *fixture,
            Condition   condition,
            const char *what)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!condition (fixture))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
composing (Fixture *fixture)
{
  return g_strcmp0 (ep_window_get_page (fixture->window), "compose") == 0;
}

static gboolean
checked (Fixture *fixture)
{
  return composing (fixture) && !ep_window_check_is_running (fixture->window);
}

static gboolean
alice_checked (Fixture *fixture)
{
  return fixture->window->account != NULL &&
         g_strcmp0 (ep_account_get_address (fixture->window->account), ADDRESS) == 0 && checked (fixture);
}

static gboolean
banner_shown (Fixture *fixture)
{
  return gtk_revealer_get_child_revealed (fixture->window->banner_revealer);
}

static gboolean
page_idle (Fixture *fixture)
{
  return !ep_signin_page_get_busy (fixture->window->signin_page);
}

static void
forget_drafts (void)
{
  g_autoptr(EpDraftStore) drafts = ep_draft_store_new (NULL);
  g_autoptr(GPtrArray) left = ep_draft_store_list (drafts, NULL, NULL);

  for (guint i = 0; left != NULL && i < left->len; i++)
    g_assert_true (ep_draft_store_delete (drafts, ep_draft_get_id (left->pdata[i]), NULL));
}

static void
forget_accounts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccountStore) store = ep_account_store_new (&error);
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_auto(GStrv) old = NULL;

  g_assert_no_error (error);
  old = ep_account_store_dup_addresses (store);
  for (guint i = 0; old[i] != NULL; i++)
    {
      g_assert_true (ep_account_store_remove (store, old[i], NULL));
      ep_secret_store_forget (secrets, old[i], NULL, NULL);
    }
  forget_drafts ();
}

/* @address on Postfix's @port_key (STARTTLS), trusting the harness's CA, with @secret in the
 * keyring; the default account. */
static void
save_account (const char *address,
              const char *port_key,
              const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccountStore) store = ep_account_store_new (&error);
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(EpAccount) account = ep_account_new_for_address (address, NULL);

  g_assert_no_error (error);
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, (guint16) atoi (stack_get (port_key)));
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_ca_file (account, stack_get ("CA_FILE"));
  ep_account_set_imap_host (account, NULL);
  g_assert_true (ep_account_store_save (store, account, &error));
  g_assert_true (ep_account_store_set_default (store, address, &error));
  g_assert_true (ep_secret_store_save (secrets, address, secret, NULL, &error));
  g_assert_no_error (error);
}

/* Alice alone, on the small-limit port. */
static void
save_alice (const char *secret)
{
  forget_accounts ();
  save_account (ADDRESS, "SMTP_SMALL_PORT", secret);
}

/* The window as a start opens it; signed in from the keyring, the check just begun. */
static void
open_window (Fixture *fixture)
{
  fixture->window = ep_window_new (NULL, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 760, 640);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_until (fixture, composing, "the sign-in from the keyring");
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
}

static void
click (GtkWidget  *within,
       const char *label)
{
  GtkWidget *button = ep_ui_test_find_button (within, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button) && gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static const char *
field_text (Fixture    *fixture,
            const char *name)
{
  GtkWidget *field = ep_ui_test_find_field (GTK_WIDGET (fixture->window->signin_page), name);

  g_assert_nonnull (field);
  return gtk_editable_get_text (GTK_EDITABLE (field));
}

/* A file of @size bytes under the world's folder. */
static GFile *
file_of (const char *name,
         gsize       size)
{
  g_autofree char *path = g_build_filename (world.dir, name, NULL);
  g_autofree char *data = g_malloc0 (size);

  g_assert_true (g_file_set_contents (path, data, (gssize) size, NULL));
  return g_file_new_for_path (path);
}

/* (a) The right password: the check learns Postfix's small SIZE limit, and an attachment added
 * before it ended is flagged as over it, as after a manual sign-in; nothing alarming is shown. */
static void
test_size_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  EpWindow *window;
  g_autoptr(GFile) big = file_of ("big.bin", 300 * 1000);
  g_autoptr(GError) error = NULL;
  const char *warning;

  save_alice (stack_get ("PASSWORD"));
  open_window (fixture);
  window = fixture->window;
  g_assert_true (ep_window_check_is_running (window));   /* in the background: the composer is up */
  g_assert_cmpuint (window->size_limit, ==, 0);
  g_assert_true (ep_attachment_bar_add_file (window->attachments, big, &error));
  g_assert_no_error (error);
  g_assert_null (ep_attachment_bar_get_limit_warning (window->attachments));

  wait_until (fixture, checked, "the background check");
  g_assert_cmpuint (window->size_limit, ==, g_ascii_strtoull (stack_get ("SMTP_SMALL_LIMIT"), NULL, 10));
  warning = ep_attachment_bar_get_limit_warning (window->attachments);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "Too large for this server"));
  g_assert_null (ep_window_get_banner (window));
  g_assert_false (gtk_widget_get_visible (window->signin_again_button));

  /* Removing it clears the flag: the limit is the server's, not the file's. */
  ep_attachment_bar_clear (window->attachments);
  g_assert_null (ep_attachment_bar_get_limit_warning (window->attachments));
}

/* (b) A password changed on the server: the banner says the saved one was refused and offers
 * Sign In Again…, which opens the page prefilled; what was written stays through the sign-in. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  EpWindow *window;
  const char *banner;
  const char *host, *port;
  EpSecurity security;
  gboolean manual;
  g_autofree char *body = NULL;
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(EpSecret) saved = NULL;
  g_autoptr(GError) error = NULL;

  save_alice ("an-old-password");
  open_window (fixture);
  window = fixture->window;
  ep_recipient_entry_set_text (window->to_entry, "bob@example.test");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), "Quarterly figures 季度数据");
  ep_rich_editor_set_text (window->editor, "Dear Bob,\nthe whole message, written before any Send.\n");

  wait_until (fixture, checked, "the background check");
  banner = ep_window_get_banner (window);
  g_assert_nonnull (banner);
  g_assert_nonnull (strstr (banner, "refused the saved password for " ADDRESS));
  g_assert_true (gtk_widget_get_visible (window->signin_again_button));
  g_assert_cmpuint (window->size_limit, ==, 0);
  wait_until (fixture, banner_shown, "the banner to slide in");
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "refused-banner.png");

  click (GTK_WIDGET (window), "Sign In Again…");
  g_assert_cmpstr (ep_window_get_page (window), ==, "signin");
  g_assert_null (ep_window_get_banner (window));
  g_assert_cmpstr (field_text (fixture, "Email Address"), ==, ADDRESS);
  g_assert_cmpstr (field_text (fixture, "Password"), ==, "");
  ep_signin_page_get_server (window->signin_page, &host, &port, &security, &manual);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpstr (port, ==, stack_get ("SMTP_SMALL_PORT"));
  g_assert_cmpint (security, ==, EP_SECURITY_STARTTLS);

  /* The right password signs in (the CA is kept from the saved account), back to the message. */
  gtk_editable_set_text (GTK_EDITABLE (ep_ui_test_find_field (GTK_WIDGET (window->signin_page), "Password")),
                         stack_get ("PASSWORD"));
  click (GTK_WIDGET (window->signin_page), "Sign In");
  wait_until (fixture, page_idle, "the manual sign-in");
  g_assert_null (ep_signin_page_get_error (window->signin_page));
  g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "bob@example.test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, "Quarterly figures 季度数据");
  body = ep_rich_editor_dup_text (window->editor);
  g_assert_cmpstr (body, ==, "Dear Bob,\nthe whole message, written before any Send.\n");
  g_assert_null (ep_window_get_banner (window));
  g_assert_cmpuint (window->size_limit, ==, g_ascii_strtoull (stack_get ("SMTP_SMALL_LIMIT"), NULL, 10));

  /* Remembered: the keyring now holds the password that works. */
  saved = ep_secret_store_lookup (secrets, ADDRESS, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved, ==, stack_get ("PASSWORD"));
}

/* The From chooser switches to another saved account: it is checked too, and the limit follows. */
static void
test_from_chooser (Fixture       *fixture,
                   gconstpointer  data)
{
  EpWindow *window;
  guint alice = GTK_INVALID_LIST_POSITION;

  forget_accounts ();
  save_account (ADDRESS, "SMTP_SMALL_PORT", stack_get ("PASSWORD"));
  save_account ("bob@example.test", "SMTP_STARTTLS_PORT", stack_get ("PASSWORD"));   /* the default */
  open_window (fixture);
  window = fixture->window;
  wait_until (fixture, checked, "bob's check");
  g_assert_cmpstr (ep_account_get_address (window->account), ==, "bob@example.test");
  g_assert_cmpuint (window->size_limit, ==, 200 * 1024 * 1024);   /* main.cf's message_size_limit */

  for (guint i = 0; i < window->accounts->len; i++)
    if (g_strcmp0 (ep_account_get_address (window->accounts->pdata[i]), ADDRESS) == 0)
      alice = i;
  g_assert_cmpuint (alice, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (window->from_dropdown, alice);
  wait_until (fixture, alice_checked, "alice from the keyring, and her check");
  g_assert_cmpstr (ep_account_get_address (window->account), ==, ADDRESS);
  g_assert_cmpuint (window->size_limit, ==, g_ascii_strtoull (stack_get ("SMTP_SMALL_LIMIT"), NULL, 10));
  g_assert_null (ep_window_get_banner (window));
}

/* (c) Postfix stopped (offline, as far as this account can tell): no password banner, no limit. */
static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  EpWindow *window;

  save_alice (stack_get ("PASSWORD"));
  ep_test_stack_set_postfix (world.stack, FALSE);
  open_window (fixture);
  window = fixture->window;
  wait_until (fixture, checked, "the background check");
  ep_test_stack_set_postfix (world.stack, TRUE);
  g_assert_null (ep_window_get_banner (window));
  g_assert_false (gtk_widget_get_visible (window->signin_again_button));
  g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
  g_assert_cmpuint (window->size_limit, ==, 0);

  /* The network goes and comes back (as the Outbox's monitor says): the check runs again, and
   * now learns the limit. */
  {
    g_autoptr(TestNetwork) network = test_network_new ();

    ep_outbox_set_network_monitor (ep_window_get_outbox (window), G_NETWORK_MONITOR (network));
    test_network_set (network, FALSE);
    g_assert_false (ep_window_check_is_running (window));
    test_network_set (network, TRUE);
    g_assert_true (ep_window_check_is_running (window));
    wait_until (fixture, checked, "the check once the network is back");
    g_assert_cmpuint (window->size_limit, ==, g_ascii_strtoull (stack_get ("SMTP_SMALL_LIMIT"), NULL, 10));
    g_assert_null (ep_window_get_banner (window));
    ep_outbox_set_network_monitor (ep_window_get_outbox (window), NULL);
  }
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
  world.dir = g_dir_make_tmp ("epistle-check-XXXXXX", NULL);
  g_test_add ("/window-check/size-limit", Fixture, NULL, NULL, test_size_limit, teardown);
  g_test_add ("/window-check/refused", Fixture, NULL, NULL, test_refused, teardown);
  g_test_add ("/window-check/from-chooser", Fixture, NULL, NULL, test_from_chooser, teardown);
  g_test_add ("/window-check/unreachable", Fixture, NULL, NULL, test_unreachable, teardown);
  status = g_test_run ();
  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  {
    g_autofree char *big = g_build_filename (world.dir, "big.bin", NULL);
    g_unlink (big);
    g_rmdir (world.dir);
  }
  g_free (world.dir);
  return status;
}
