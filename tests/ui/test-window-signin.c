/* test-window-signin.c — the manual sign-in's SMTP and IMAP fields against the real Postfix + Dovecot
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fields are found as a person finds them, by the label that names them
 * (the entry or list a label's mnemonic points at), and filled in; Sign In and
 * Trust This Certificate are clicked. The harness's servers share one
 * certificate from a throwaway CA, so each sign-in trusts it once.
 */
#include <stdio.h>
#include <gtk/gtk.h>

#include "ep-account-store.h"
#include "ep-secret-store.h"
#include "ep-test-utils.h"
#include "ep-ui-test-utils.h"
#include "ep-window-private.h"

#define ADDRESS "alice@example.test"

typedef struct
{
  EpTestStack *stack;
} World;

static World world;

typedef struct
{
  EpWindow *window;
  EpSigninPage *page;
} Fixture;

static const char *
stack_get (const char *key)
{
  return ep_test_stack_get (world.stack, key);
}

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
keyring_checked (Fixture *fixture)
{
  return fixture->window->keyring_available;
}

static gboolean
page_idle (Fixture *fixture)
{
  return !ep_signin_page_get_busy (fixture->page);
}

static gboolean
not_sending (Fixture *fixture)
{
  return !ep_window_is_sending (fixture->window);
}

static gboolean
copy_settled (Fixture *fixture)
{
  return !ep_window_is_sending (fixture->window) && ep_window_get_sent_copy_note (fixture->window) != NULL;
}

/* No saved account, so that nothing from an earlier test fills the page. */
static void
setup (Fixture       *fixture,
       gconstpointer  data)
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
  fixture->window = ep_window_new (NULL, FALSE);
  fixture->page = fixture->window->signin_page;
  gtk_window_present (GTK_WINDOW (fixture->window));
  if (g_strcmp0 (g_getenv ("EPISTLE_TEST_KEYRING"), "no") != 0)
    wait_until (fixture, keyring_checked, "the keyring check (is gnome-keyring installed?)");
  ep_signin_page_set_remember (fixture->page, FALSE);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
}

static void
type_into (Fixture    *fixture,
           const char *name,
           const char *text)
{
  GtkWidget *entry = ep_ui_test_find_field (GTK_WIDGET (fixture->page), name);

  g_assert_nonnull (entry);
  g_assert_true (GTK_IS_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static void
choose (Fixture    *fixture,
        const char *name,
        guint       row)     /* TLS, STARTTLS, None */
{
  GtkWidget *dropdown = ep_ui_test_find_field (GTK_WIDGET (fixture->page), name);

  g_assert_nonnull (dropdown);
  g_assert_true (GTK_IS_DROP_DOWN (dropdown));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), row);
}

static void
click (Fixture    *fixture,
       const char *label)
{
  GtkWidget *button = ep_ui_test_find_button (GTK_WIDGET (fixture->page), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Alice's address and the SMTP fields for the harness's Postfix (STARTTLS); IMAP as @imap_host
 * says: NULL leaves the prefilled imap.example.test. */
static void
fill_form (Fixture    *fixture,
           const char *imap_host,
           const char *imap_port)
{
  ep_signin_page_fill (fixture->page, "Alice", ADDRESS, stack_get ("PASSWORD"));
  type_into (fixture, "SMTP Server", "127.0.0.1");
  type_into (fixture, "Port", stack_get ("SMTP_STARTTLS_PORT"));
  choose (fixture, "Security", 1);
  if (imap_host != NULL)
    type_into (fixture, "IMAP Server", imap_host);
  if (imap_port != NULL)
    type_into (fixture, "IMAP Port", imap_port);
}

/* Sign In; the harness's certificate is not trusted by the system, so the first try stops at
 * SMTP with its fingerprint, which is trusted, and the second goes on to IMAP. */
static void
sign_in (Fixture *fixture)
{
  click (fixture, "Sign In");
  wait_until (fixture, page_idle, "the first check");
  g_assert_nonnull (ep_signin_page_get_error (fixture->page));
  g_assert_nonnull (strstr (ep_signin_page_get_error (fixture->page), "SHA-256 fingerprint"));
  g_assert_null (strstr (ep_signin_page_get_error (fixture->page), "IMAP"));
  click (fixture, "Trust This Certificate");
  wait_until (fixture, page_idle, "the check with the certificate trusted");
}

static EpAccount *
saved_account (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccountStore) store = ep_account_store_new (&error);
  EpAccount *account = NULL;

  g_assert_no_error (error);
  account = ep_account_store_lookup (store, ADDRESS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

static void
send_to_bob (Fixture    *fixture,
             const char *subject)
{
  EpWindow *window = fixture->window;

  ep_recipient_entry_set_text (window->to_entry, "bob@example.test");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), subject);
  ep_rich_editor_set_text (window->editor, "Signed in through the manual fields.\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_is_sending (window));
}

static char *
fetch_from (const char *user,
            const char *mailbox,
            const char *subject,
            const char *wait)
{
  const char *argv[] = {
    g_getenv ("EPISTLE_IMAP_FETCH"), "--port", stack_get ("IMAPS_PORT"), "--ca", stack_get ("CA_FILE"),
    "--user", user, "--password", stack_get ("PASSWORD"), "--header", "Subject", subject,
    "--mailbox", mailbox, "--wait", wait, NULL
  };
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL);
  g_autoptr(GBytes) out = NULL;

  g_assert_nonnull (proc);
  g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &out, NULL, NULL));
  if (g_subprocess_get_exit_status (proc) != 0)
    return NULL;
  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

/* A domain with no preset: the IMAP fields start as imap.<domain>, 993, TLS, and the port
 * follows the security chosen; filled in, they are checked, saved, and used for the Sent copy. */
static void
test_imap_fields (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(EpAccount) saved = NULL;
  g_autofree char *subject = ep_test_unique_token ();
  g_autofree char *copy = NULL;
  const char *host, *port;
  EpSecurity security;

  ep_signin_page_fill (fixture->page, "Alice", ADDRESS, stack_get ("PASSWORD"));
  ep_signin_page_get_imap_server (fixture->page, &host, &port, &security);
  g_assert_cmpstr (host, ==, "imap.example.test");
  g_assert_cmpstr (port, ==, "993");
  g_assert_cmpint (security, ==, EP_SECURITY_TLS);
  choose (fixture, "IMAP Security", 1);
  ep_signin_page_get_imap_server (fixture->page, &host, &port, &security);
  g_assert_cmpstr (port, ==, "143");
  g_assert_cmpint (security, ==, EP_SECURITY_STARTTLS);
  choose (fixture, "IMAP Security", 0);
  ep_signin_page_get_imap_server (fixture->page, &host, &port, &security);
  g_assert_cmpstr (port, ==, "993");

  fill_form (fixture, "127.0.0.1", stack_get ("IMAPS_PORT"));
  sign_in (fixture);
  g_assert_null (ep_signin_page_get_error (fixture->page));
  g_assert_cmpstr (ep_window_get_page (fixture->window), ==, "compose");

  saved = saved_account ();
  g_assert_cmpstr (ep_account_get_smtp_host (saved), ==, "127.0.0.1");
  g_assert_cmpstr (ep_account_get_imap_host (saved), ==, "127.0.0.1");
  g_assert_cmpuint (ep_account_get_imap_port (saved), ==, atoi (stack_get ("IMAPS_PORT")));
  g_assert_cmpint (ep_account_get_imap_security (saved), ==, EP_SECURITY_TLS);
  g_assert_nonnull (ep_account_get_pin (saved));

  /* Signing in again restores what was saved, IMAP included. */
  ep_signin_page_set_account (fixture->page, saved);
  ep_signin_page_get_imap_server (fixture->page, &host, &port, &security);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpstr (port, ==, stack_get ("IMAPS_PORT"));
  g_assert_cmpint (security, ==, EP_SECURITY_TLS);

  send_to_bob (fixture, subject);
  wait_until (fixture, copy_settled, "the send and its Sent copy");
  g_assert_null (ep_window_get_banner (fixture->window));
  g_assert_nonnull (strstr (ep_window_get_sent_copy_note (fixture->window), "“Sent”"));
  copy = fetch_from (ADDRESS, "Sent", subject, "20");
  g_assert_nonnull (copy);
  g_assert_nonnull (strstr (copy, "Signed in through the manual fields."));
}

/* Nothing listens on the IMAP port: sending works, but sign-in stops with a sentence naming the
 * IMAP server and the port; every field stays as typed, and correcting the port signs in. */
static void
test_wrong_imap_port (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *port_text = g_strdup_printf ("%u", closed_port ());
  const char *error, *host, *port, *smtp_port;
  EpSecurity security;
  gboolean manual;

  fill_form (fixture, "127.0.0.1", port_text);
  sign_in (fixture);
  error = ep_signin_page_get_error (fixture->page);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "IMAP server 127.0.0.1"));
  g_assert_nonnull (strstr (error, "refused the connection"));
  g_assert_nonnull (strstr (error, port_text));
  g_assert_cmpstr (ep_window_get_page (fixture->window), ==, "signin");
  g_assert_false (ep_window_is_signed_in (fixture->window));

  ep_signin_page_get_imap_server (fixture->page, &host, &port, &security);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpstr (port, ==, port_text);
  g_assert_cmpint (security, ==, EP_SECURITY_TLS);
  ep_signin_page_get_server (fixture->page, &host, &smtp_port, &security, &manual);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpstr (smtp_port, ==, stack_get ("SMTP_STARTTLS_PORT"));
  g_assert_cmpint (security, ==, EP_SECURITY_STARTTLS);

  /* The password and the trusted certificate were kept too. */
  type_into (fixture, "IMAP Port", stack_get ("IMAPS_PORT"));
  click (fixture, "Sign In");
  wait_until (fixture, page_idle, "the check with the right port");
  g_assert_null (ep_signin_page_get_error (fixture->page));
  g_assert_cmpstr (ep_window_get_page (fixture->window), ==, "compose");
}

/* An empty IMAP server is allowed and the page says what that means: the account signs in,
 * is saved with no IMAP server, the Inbox says it has none, and a send leaves no Sent copy. */
static void
test_no_imap (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(EpAccount) saved = NULL;
  g_autofree char *subject = ep_test_unique_token ();
  g_autofree char *delivered = NULL;
  g_autofree char *copy = NULL;
  const char *note;

  fill_form (fixture, "", NULL);
  note = ep_signin_page_get_imap_note (fixture->page);
  g_assert_nonnull (strstr (note, "no copy of what you send is saved"));
  g_assert_nonnull (strstr (note, "Inbox is unavailable"));
  sign_in (fixture);
  g_assert_null (ep_signin_page_get_error (fixture->page));
  g_assert_cmpstr (ep_window_get_page (fixture->window), ==, "compose");

  saved = saved_account ();
  g_assert_null (ep_account_get_imap_host (saved));
  g_assert_cmpstr (ep_inbox_view_get_error (fixture->window->inbox_view), ==,
                   "This account has no incoming mail (IMAP) server.");

  send_to_bob (fixture, subject);
  wait_until (fixture, not_sending, "the send");
  g_assert_null (ep_window_get_banner (fixture->window));
  g_assert_null (ep_window_get_sent_copy_note (fixture->window));
  delivered = fetch_from ("bob@example.test", "INBOX", subject, "20");
  g_assert_nonnull (delivered);
  copy = fetch_from (ADDRESS, "Sent", subject, "2");
  g_assert_null (copy);
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
  g_test_add ("/window-signin/imap-fields", Fixture, NULL, setup, test_imap_fields, teardown);
  g_test_add ("/window-signin/wrong-imap-port", Fixture, NULL, setup, test_wrong_imap_port, teardown);
  g_test_add ("/window-signin/no-imap", Fixture, NULL, setup, test_no_imap, teardown);
  status = g_test_run ();
  if (status != 0)
    ep_test_stack_dump_logs (world.stack);
  ep_test_stack_stop (world.stack);
  return status;
}
