/* test-window-accounts.c — the window's accounts: From chooser, keyring sign-in, Remember, removal
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In-process under tests/ui/xvfb-wrapper, which runs an unlocked
 * gnome-keyring-daemon on the test's private bus; settings in the memory
 * backend. EPISTLE_SCREENSHOT_DIR=DIR also writes signin-remember.png and
 * compose-from.png there.
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-draft-store.h"
#include "ep-ui-test-utils.h"
#include "ep-window-private.h"

typedef struct
{
  EpWindow *window;
  EpAccountStore *store;
  EpSecretStore *secrets;
  guint16 port_a;
  guint16 port_b;
} Fixture;

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

static EpAccount *
dead_account (const char *address,
              const char *name,
              guint16     port)
{
  EpAccount *account = ep_account_new_for_address (address, NULL);

  ep_account_set_display_name (account, name);
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_smtp_port (account, port);
  ep_account_set_imap_host (account, NULL);
  return account;
}

typedef gboolean (*Condition) (Fixture *fixture);

static void
wait_until (Fixture    *fixture,
            Condition   condition,
            const char *what)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (fixture))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
keyring_checked (Fixture *fixture)
{
  return fixture->window->keyring_available;
}

/* A case's window is destroyed, not closed, so its draft stays marked open as after a crash:
 * without this the next signed-in window offers it back ("Restore the Message…"). */
static void
forget_drafts (void)
{
  g_autoptr(EpDraftStore) drafts = ep_draft_store_new (NULL);
  g_autoptr(GPtrArray) left = ep_draft_store_list (drafts, NULL, NULL);

  for (guint i = 0; left != NULL && i < left->len; i++)
    g_assert_true (ep_draft_store_delete (drafts, ep_draft_get_id (left->pdata[i]), NULL));
}

/* Saves the accounts first (@n of a, b, c), then opens the window, as a start would. */
static void
setup_with (Fixture  *fixture,
            guint     n,
            gboolean  remember_c)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccount) a = NULL;
  g_autoptr(EpAccount) b = NULL;
  g_autoptr(EpAccount) c = NULL;

  fixture->store = ep_account_store_new (&error);
  g_assert_no_error (error);
  fixture->secrets = ep_secret_store_new ();
  old = ep_account_store_dup_addresses (fixture->store);
  for (guint i = 0; old[i] != NULL; i++)
    {
      g_assert_true (ep_account_store_remove (fixture->store, old[i], NULL));
      g_assert_true (ep_secret_store_forget (fixture->secrets, old[i], NULL, NULL));
    }
  forget_drafts ();
  fixture->port_a = closed_port ();
  fixture->port_b = closed_port ();
  a = dead_account ("alice@example.com", "Alice Liddell", fixture->port_a);
  b = dead_account ("bob@example.org", "鲍勃", fixture->port_b);
  c = dead_account ("carol@example.net", "Carol", fixture->port_b);
  if (n >= 1)
    g_assert_true (ep_account_store_save (fixture->store, a, NULL));
  if (n >= 2)
    g_assert_true (ep_account_store_save (fixture->store, b, NULL));
  if (remember_c)
    {
      g_assert_true (ep_account_store_save (fixture->store, c, NULL));
      g_assert_true (ep_account_store_set_default (fixture->store, "carol@example.net", NULL));
      g_assert_true (ep_secret_store_save (fixture->secrets, "carol@example.net", "carol-code", NULL, &error));
      g_assert_no_error (error);
    }

  fixture->window = ep_window_new (NULL, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 760, 640);
  gtk_window_present (GTK_WINDOW (fixture->window));
  if (g_strcmp0 (g_getenv ("EPISTLE_TEST_KEYRING"), "no") != 0)
    wait_until (fixture, keyring_checked, "the keyring check (is gnome-keyring installed?)");
}

static void
setup_two (Fixture *fixture, gconstpointer data)
{
  setup_with (fixture, 2, FALSE);
}

static void
setup_one (Fixture *fixture, gconstpointer data)
{
  setup_with (fixture, 1, FALSE);
}

static void
setup_remembered (Fixture *fixture, gconstpointer data)
{
  setup_with (fixture, 2, TRUE);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->secrets);
}

static const char *
chooser_item (EpWindow *window,
              guint     position)
{
  GListModel *model = gtk_drop_down_get_model (window->from_dropdown);

  return gtk_string_list_get_string (GTK_STRING_LIST (model), position);
}

static gboolean
on_signin (Fixture *fixture)
{
  return g_strcmp0 (ep_window_get_page (fixture->window), "signin") == 0;
}

static gboolean
not_sending (Fixture *fixture)
{
  return !ep_window_is_sending (fixture->window);
}

static void
test_from_chooser (Fixture       *fixture,
                   gconstpointer  data)
{
  EpWindow *window = fixture->window;
  g_autoptr(EpAccount) a = ep_account_store_lookup (fixture->store, "alice@example.com", NULL);
  g_autoptr(EpAccount) b = ep_account_store_lookup (fixture->store, "bob@example.org", NULL);
  g_autofree char *port_b = g_strdup_printf ("%u", fixture->port_b);
  const char *address;

  /* No secret anywhere: the default account waits on the sign-in page. */
  g_assert_cmpstr (ep_window_get_page (window), ==, "signin");
  ep_window_use_account (window, a, "secret-a", 0);
  g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->from_dropdown)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->from_label)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (window->from_dropdown)), ==, 2);
  g_assert_cmpstr (chooser_item (window, 0), ==, "Alice Liddell <alice@example.com>");
  g_assert_cmpstr (chooser_item (window, 1), ==, "鲍勃 <bob@example.org>");
  g_assert_cmpuint (gtk_drop_down_get_selected (window->from_dropdown), ==, 0);
  ep_ui_test_shoot (GTK_WIDGET (window), "compose-from.png");

  /* Bob's secret is neither in memory nor in the keyring: the sign-in page asks, Back returns. */
  gtk_drop_down_set_selected (window->from_dropdown, 1);
  wait_until (fixture, on_signin, "the sign-in page for bob");
  g_assert_cmpstr (ep_account_get_address (window->account), ==, "alice@example.com");
  g_signal_emit_by_name (window->signin_page, "back");
  g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
  g_assert_cmpuint (gtk_drop_down_get_selected (window->from_dropdown), ==, 0);

  /* Signed in as bob too: switching is immediate with the secret of this run. */
  ep_window_use_account (window, b, "secret-b", 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->from_dropdown), ==, 1);
  gtk_drop_down_set_selected (window->from_dropdown, 0);
  g_assert_cmpstr (ep_account_get_address (window->account), ==, "alice@example.com");
  g_assert_cmpstr (window->secret, ==, "secret-a");
  gtk_drop_down_set_selected (window->from_dropdown, 1);
  address = ep_account_get_address (window->account);
  g_assert_cmpstr (address, ==, "bob@example.org");
  g_assert_cmpstr (window->secret, ==, "secret-b");

  /* Sending goes through the chosen account's server. */
  ep_recipient_entry_set_text (window->to_entry, "carol@example.com");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), "From bob");
  ep_rich_editor_set_text (window->editor, "hello\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_is_sending (window));
  wait_until (fixture, not_sending, "the send to end");
  g_assert_nonnull (ep_window_get_banner (window));
  g_assert_nonnull (strstr (ep_window_get_banner (window), port_b));
}

static void
test_one_account (Fixture       *fixture,
                  gconstpointer  data)
{
  EpWindow *window = fixture->window;
  g_autoptr(EpAccount) a = ep_account_store_lookup (fixture->store, "alice@example.com", NULL);

  ep_window_use_account (window, a, "secret-a", 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->from_dropdown)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->from_label)));
  g_assert_cmpstr (gtk_label_get_text (window->from_label), ==, "Alice Liddell <alice@example.com>");
}

static gboolean
signed_in_as_carol (Fixture *fixture)
{
  return g_strcmp0 (ep_window_get_page (fixture->window), "compose") == 0 &&
         fixture->window->account != NULL &&
         g_strcmp0 (ep_account_get_address (fixture->window->account), "carol@example.net") == 0;
}

/* A remembered secret signs the default account in without asking. */
static void
test_keyring_signs_in (Fixture       *fixture,
                       gconstpointer  data)
{
  wait_until (fixture, signed_in_as_carol, "carol signed in from the keyring");
  g_assert_cmpstr (fixture->window->secret, ==, "carol-code");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window->from_dropdown)));
  g_assert_cmpuint (gtk_drop_down_get_selected (fixture->window->from_dropdown), ==, 2);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static gboolean
carol_forgotten (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpSecret) secret = ep_secret_store_lookup (fixture->secrets, "carol@example.net", NULL, &error);

  g_assert_no_error (error);
  return secret == NULL;
}

/* Removing the account in use asks first, then forgets its settings and its secret. */
static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  EpWindow *window = fixture->window;
  AdwMessageDialog *dialog;
  g_auto(GStrv) left = NULL;

  wait_until (fixture, signed_in_as_carol, "carol signed in from the keyring");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-account", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove carol@example.net?");
  adw_message_dialog_response (dialog, "cancel");
  left = ep_account_store_dup_addresses (fixture->store);
  g_assert_cmpuint (g_strv_length (left), ==, 3);
  g_clear_pointer (&left, g_strfreev);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-account", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "remove");
  left = ep_account_store_dup_addresses (fixture->store);
  g_assert_cmpuint (g_strv_length (left), ==, 2);
  g_assert_false (g_strv_contains ((const char * const *) left, "carol@example.net"));
  wait_until (fixture, carol_forgotten, "carol's secret gone from the keyring");
  /* On to the first account left, whose secret must be typed. */
  wait_until (fixture, on_signin, "the sign-in page");
  g_assert_null (window->account);
}

static void
test_remember_switch (Fixture       *fixture,
                      gconstpointer  data)
{
  EpSigninPage *page = fixture->window->signin_page;

  g_assert_true (fixture->window->keyring_available);
  g_assert_true (ep_signin_page_get_remember (page));
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "signin-remember.png");
  ep_signin_page_set_keyring (page, FALSE, "no Secret Service");
  g_assert_false (ep_signin_page_get_remember (page));
  ep_signin_page_set_remember (page, TRUE);
  g_assert_false (ep_signin_page_get_remember (page));   /* insensitive: still off */
}

static gboolean
remember_off (Fixture *fixture)
{
  return !ep_signin_page_get_remember (fixture->window->signin_page);
}

/* With no Secret Service on the bus, the page says so plainly and the switch is off. */
static void
test_no_keyring (Fixture       *fixture,
                 gconstpointer  data)
{
  EpSigninPage *page = fixture->window->signin_page;

  wait_until (fixture, remember_off, "the keyring check to fail");
  g_assert_false (fixture->window->keyring_available);
  g_assert_cmpstr (ep_signin_page_get_remember_note (page), ==,
                   "No keyring is running on this computer, so Epistle cannot remember passwords "
                   "and will ask each time it starts");
  ep_signin_page_set_remember (page, TRUE);
  g_assert_false (ep_signin_page_get_remember (page));
  g_assert_cmpstr (ep_window_get_page (fixture->window), ==, "signin");   /* asked, not remembered */
  ep_ui_test_shoot (GTK_WIDGET (fixture->window), "signin-no-keyring.png");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* tests/meson.build runs this again on a bus with no Secret Service. */
  if (g_strcmp0 (g_getenv ("EPISTLE_TEST_KEYRING"), "no") == 0)
    {
      g_test_add ("/window-accounts/no-keyring", Fixture, NULL, setup_one, test_no_keyring, teardown);
      return g_test_run ();
    }

  g_test_add ("/window-accounts/from-chooser", Fixture, NULL, setup_two, test_from_chooser, teardown);
  g_test_add ("/window-accounts/one-account", Fixture, NULL, setup_one, test_one_account, teardown);
  g_test_add ("/window-accounts/keyring-signs-in", Fixture, NULL, setup_remembered, test_keyring_signs_in, teardown);
  g_test_add ("/window-accounts/remove", Fixture, NULL, setup_remembered, test_remove, teardown);
  g_test_add ("/window-accounts/remember-switch", Fixture, NULL, setup_one, test_remember_switch, teardown);
  return g_test_run ();
}
