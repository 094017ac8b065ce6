/* test-keyring.c — secrets in a real Secret Service; `epistle send --account` through Postfix
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/keyring/keyring-wrapper: a private HOME, a private session
 * bus and gnome-keyring-daemon on it, unlocked for the test; settings in the
 * keyfile backend under that HOME, so the `epistle` processes this test
 * starts read what it saved (a restart, as far as the settings know).
 * With EPISTLE_TEST_KEYRING=no the wrapper runs no Secret Service at all and
 * only the /keyring/unavailable cases run.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ep-account-store.h"
#include "ep-locale.h"
#include "ep-secret-store.h"
#include "ep-test-utils.h"

typedef struct
{
  EpTestStack *stack;
} World;

static void
test_check (void)
{
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ep_secret_store_check (secrets, NULL, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *secret = g_strdup_printf ("授权码-%s \"quoted\"", token);
  g_autoptr(EpSecret) found = NULL;
  g_autoptr(EpSecret) replaced = NULL;
  g_autoptr(EpSecret) gone = NULL;
  g_autoptr(EpSecret) other = NULL;

  g_assert_true (ep_secret_store_save (secrets, "Zhang@Example.test", secret, NULL, &error));
  g_assert_no_error (error);
  found = ep_secret_store_lookup (secrets, "zhang@example.TEST", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, secret);
  other = ep_secret_store_lookup (secrets, "li@example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (other);

  ep_secret_store_save (secrets, "zhang@example.test", "new-code", NULL, &error);
  g_assert_no_error (error);
  replaced = ep_secret_store_lookup (secrets, "zhang@example.test", NULL, &error);
  g_assert_cmpstr (replaced, ==, "new-code");

  g_assert_true (ep_secret_store_forget (secrets, "zhang@example.test", NULL, &error));
  g_assert_no_error (error);
  gone = ep_secret_store_lookup (secrets, "zhang@example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  g_assert_true (ep_secret_store_forget (secrets, "zhang@example.test", NULL, &error));
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The threaded variants the window uses. */
static void
test_async (void)
{
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) checked = NULL, saved = NULL, looked = NULL, forgot = NULL, again = NULL;
  g_autoptr(EpSecret) found = NULL;
  g_autoptr(EpSecret) gone = NULL;

  ep_secret_store_check_async (secrets, NULL, on_done_cb, &checked);
  g_assert_true (ep_secret_store_check_finish (secrets, wait_for (&checked), &error));
  ep_secret_store_save_async (secrets, "async@example.test", "a-secret", NULL, on_done_cb, &saved);
  g_assert_true (ep_secret_store_save_finish (secrets, wait_for (&saved), &error));
  ep_secret_store_lookup_async (secrets, "async@example.test", NULL, on_done_cb, &looked);
  found = ep_secret_store_lookup_finish (secrets, wait_for (&looked), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "a-secret");
  ep_secret_store_forget_async (secrets, "async@example.test", NULL, on_done_cb, &forgot);
  g_assert_true (ep_secret_store_forget_finish (secrets, wait_for (&forgot), &error));
  ep_secret_store_lookup_async (secrets, "async@example.test", NULL, on_done_cb, &again);
  gone = ep_secret_store_lookup_finish (secrets, wait_for (&again), &error);
  g_assert_no_error (error);
  g_assert_null (gone);
}

/* Every regular file under @dir that holds @needle, appended to @hits; counts the files read. */
static guint
search_files (const char *dir,
              const char *needle,
              GPtrArray  *hits)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n += search_files (path, needle, hits);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || !g_file_get_contents (path, &contents, &len, NULL))
        continue;
      n++;
      if (memmem (contents, len, needle, strlen (needle)) != NULL)
        g_ptr_array_add (hits, g_strdup (path));
    }
  return n;
}

static EpAccount *
stack_account (World *w)
{
  EpAccount *account = ep_account_new_for_address ("user1@example.test", NULL);

  ep_account_set_display_name (account, "张三");
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_smtp_port (account, (guint16) atoi (ep_test_stack_get (w->stack, "SMTP_STARTTLS_PORT")));
  ep_account_set_imap_host (account, "127.0.0.1");
  ep_account_set_imap_security (account, EP_SECURITY_TLS);
  ep_account_set_imap_port (account, (guint16) atoi (ep_test_stack_get (w->stack, "IMAPS_PORT")));
  ep_account_set_ca_file (account, ep_test_stack_get (w->stack, "CA_FILE"));
  return account;
}

/* The secret is in the keyring's encrypted file, in no file in clear. */
static void
test_not_on_disk (gconstpointer data)
{
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(EpAccountStore) store = NULL;
  g_autoptr(EpAccount) account = ep_account_new_for_address ("disk@example.test", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) control = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *secret = g_strdup_printf ("NeverOnDisk-%s", token);
  g_autofree char *keyring = NULL;
  const char *home = g_getenv ("EPISTLE_TEST_HOME");
  guint n;

  g_assert_nonnull (home);
  store = ep_account_store_new (&error);
  g_assert_no_error (error);
  g_assert_true (ep_account_store_save (store, account, &error));
  g_assert_true (ep_secret_store_save (secrets, "disk@example.test", secret, NULL, &error));
  g_assert_no_error (error);

  keyring = g_build_filename (g_get_user_data_dir (), "keyrings", "login.keyring", NULL);
  g_assert_true (g_file_test (keyring, G_FILE_TEST_IS_REGULAR));
  n = search_files (home, secret, hits);
  g_test_message ("searched %u files under %s", n, home);
  for (guint i = 0; i < hits->len; i++)
    g_test_message ("the secret is in clear in %s", (char *) hits->pdata[i]);
  g_assert_cmpuint (hits->len, ==, 0);
  /* The search does see what was written: the address is in the settings file. */
  search_files (home, "disk@example.test", control);
  g_assert_cmpuint (control->len, >, 0);
  g_assert_true (ep_account_store_remove (store, "disk@example.test", &error));
  g_assert_true (ep_secret_store_forget (secrets, "disk@example.test", NULL, &error));
}

static char *
body_of (const char *raw,
         gsize       len)
{
  g_autoptr(GMimeMessage) mime = ep_test_parse_message (raw, len);
  GMimeObject *part = ep_test_find_part (g_mime_message_get_mime_part (mime), "text/plain", 0);
  g_autofree char *text = NULL;
  g_autoptr(GString) lf = NULL;

  g_assert_nonnull (part);
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
  lf = g_string_new (text);
  g_string_replace (lf, "\r\n", "\n", 0);
  return g_string_free (g_steal_pointer (&lf), FALSE);
}

/* `epistle send --account` takes the servers from the settings and the secret from the keyring. */
static void
test_cli_send (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpAccountStore) store = NULL;
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(EpAccount) account = stack_account (w);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("账户 %s", token);
  g_autofree char *out = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  InternetAddressList *from;
  gsize len = 0;
  const char *text = "Sent with the saved account.\n第二行。\n";
  g_autofree char *imap = g_strdup_printf ("127.0.0.1:%s", ep_test_stack_get (w->stack, "IMAPS_PORT"));
  const char *args[] = { "send", "--account", "User1@Example.test", "--to", "user2@example.test",
                         "--subject", subject, "--body", text,
                         "--imap", imap, "--imap-security", "tls", NULL };

  store = ep_account_store_new (&error);
  g_assert_no_error (error);
  g_assert_true (ep_account_store_save (store, account, &error));
  g_assert_true (ep_secret_store_save (secrets, "user1@example.test",
                                       ep_test_stack_get (w->stack, "PASSWORD"), NULL, &error));
  g_assert_no_error (error);

  /* No EPISTLE_PASSWORD, no --password-file, no terminal: only the keyring can answer. */
  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "accepted user2@example.test\n"));
  g_assert_nonnull (strstr (out, "sent-copy: saved in Sent\n"));   /* the keyring's secret again */

  raw = ep_test_stack_fetch (w->stack, "user2@example.test", "Subject", token, &len);
  g_assert_nonnull (raw);
  mime = ep_test_parse_message (raw, len);
  g_assert_cmpstr (g_mime_message_get_subject (mime), ==, subject);
  from = g_mime_message_get_from (mime);
  g_assert_cmpint (internet_address_list_length (from), ==, 1);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (from, 0)), ==, "张三");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (
                     internet_address_list_get_address (from, 0))), ==, "user1@example.test");
  body = body_of (raw, len);
  g_assert_cmpstr (body, ==, text);
}

/* An explicit option wins over the account's value: here the server and security. */
static void
test_cli_override (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *tls = g_strdup_printf ("127.0.0.1:%s", ep_test_stack_get (w->stack, "SMTP_TLS_PORT"));
  g_autofree char *out = NULL;
  g_autofree char *transcript = g_build_filename (g_get_tmp_dir (), "epistle-keyring-transcript", NULL);
  g_autofree char *dialogue = NULL;
  g_autofree char *raw = NULL;
  gsize len = 0;
  const char *args[] = { "send", "--account", "user1@example.test", "--server", tls, "--security", "tls",
                         "--to", "user3@example.test", "--subject", token, "--body", "x",
                         "--transcript", transcript, NULL };

  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, &out, NULL), ==, 0);
  raw = ep_test_stack_fetch (w->stack, "user3@example.test", "Subject", token, &len);
  g_assert_nonnull (raw);
  g_assert_true (g_file_get_contents (transcript, &dialogue, NULL, NULL));
  g_assert_null (strstr (dialogue, "STARTTLS"));   /* implicit TLS, as the option said */
  g_unlink (transcript);
}

/* `epistle inbox --account` reads the account's IMAP server with the keyring's secret. */
static void
test_cli_inbox (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *out = NULL;
  g_autofree char *raw = NULL;
  gsize len = 0;
  const char *send[] = { "send", "--account", "user1@example.test", "--to", "user1@example.test",
                         "--subject", token, "--body", "to myself", NULL };
  const char *inbox[] = { "inbox", "--account", "user1@example.test", "--limit", "50", NULL };

  g_assert_cmpint (ep_test_run_cli (send, NULL, NULL, NULL, NULL), ==, 0);
  raw = ep_test_stack_fetch (w->stack, "user1@example.test", "Subject", token, &len);
  g_assert_nonnull (raw);
  g_assert_cmpint (ep_test_run_cli (inbox, NULL, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, token));
}

static void
test_cli_unknown (gconstpointer data)
{
  g_autofree char *err = NULL;
  const char *args[] = { "send", "--account", "nobody@example.test", "--to", "user2@example.test",
                         "--body", "x", NULL };
  const char *inbox[] = { "inbox", "--account", "nobody@example.test", NULL };
  g_autofree char *inbox_err = NULL;

  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, &err), ==, 64);
  g_assert_nonnull (strstr (err, "“nobody@example.test”"));
  g_assert_nonnull (strstr (err, "user1@example.test"));   /* the known accounts are named */
  g_assert_cmpint (ep_test_run_cli (inbox, NULL, NULL, NULL, &inbox_err), ==, 64);
  g_assert_nonnull (strstr (inbox_err, "user1@example.test"));
}

/* ---------------------------------------------------------------- no Secret Service */

static void
test_unavailable (void)
{
  g_autoptr(EpSecretStore) secrets = ep_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EpSecret) found = NULL;

  g_assert_false (ep_secret_store_check (secrets, NULL, &error));
  g_assert_error (error, EP_SECRET_STORE_ERROR, EP_SECRET_STORE_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "No keyring is available"));
  g_assert_nonnull (strstr (error->message, "org.freedesktop.secrets"));
  g_clear_error (&error);
  g_assert_false (ep_secret_store_save (secrets, "a@example.test", "x", NULL, &error));
  g_assert_error (error, EP_SECRET_STORE_ERROR, EP_SECRET_STORE_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  found = ep_secret_store_lookup (secrets, "a@example.test", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, EP_SECRET_STORE_ERROR, EP_SECRET_STORE_ERROR_UNAVAILABLE);
}

/* The CLI says why the keyring did not answer and falls back to the usual ways. */
static void
test_unavailable_cli (void)
{
  g_autoptr(EpAccountStore) store = ep_account_store_new (NULL);
  g_autoptr(EpAccount) account = ep_account_new_for_address ("a@example.test", NULL);
  g_autofree char *err = NULL;
  g_autofree char *dir = g_dir_make_tmp ("epistle-keyring-XXXXXX", NULL);
  g_autofree char *output = g_build_filename (dir, "m.eml", NULL);
  const char *args[] = { "send", "--account", "a@example.test", "--to", "b@example.test",
                         "--body", "x", NULL };
  const char *offline[] = { "send", "--account", "a@example.test", "--to", "b@example.test",
                            "--body", "x", "--output", output, NULL };
  g_autofree char *eml = NULL;

  g_assert_true (ep_account_store_save (store, account, NULL));
  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, &err), ==, 64);
  g_assert_nonnull (strstr (err, "No keyring is available"));
  g_assert_nonnull (strstr (err, "No password given"));
  /* The account's sender with no secret needed. */
  g_assert_cmpint (ep_test_run_cli (offline, NULL, NULL, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (output, &eml, NULL, NULL));
  g_assert_nonnull (strstr (eml, "From: a@example.test"));
  g_unlink (output);
  g_rmdir (dir);
}

/* The CLI takes over the window issue's account.ini too (once), and uses it. */
static void
test_cli_migrates (void)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("Old Timer <old@example.test>", NULL);
  g_autofree char *path = ep_account_default_path ();
  g_autofree char *migrated = g_strconcat (path, ".migrated", NULL);
  g_autofree char *dir = g_dir_make_tmp ("epistle-keyring-XXXXXX", NULL);
  g_autofree char *output = g_build_filename (dir, "m.eml", NULL);
  g_autofree char *eml = NULL;
  const char *args[] = { "send", "--account", "old@example.test", "--to", "b@example.test",
                         "--body", "x", "--output", output, NULL };

  g_assert_true (ep_account_save (account, path, NULL));
  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, NULL), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (migrated, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_get_contents (output, &eml, NULL, NULL));
  g_assert_nonnull (strstr (eml, "From: Old Timer <old@example.test>"));
  g_unlink (output);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  World world = { 0 };
  int status;

  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "keyfile");

  if (g_strcmp0 (g_getenv ("EPISTLE_TEST_KEYRING"), "no") == 0)
    {
      g_test_add_func ("/keyring/unavailable", test_unavailable);
      g_test_add_func ("/keyring/unavailable-cli", test_unavailable_cli);
      g_test_add_func ("/keyring/cli-migrates", test_cli_migrates);
      return g_test_run ();
    }

  g_test_add_func ("/keyring/check", test_check);
  g_test_add_func ("/keyring/round-trip", test_round_trip);
  g_test_add_func ("/keyring/async", test_async);
  g_test_add_data_func ("/keyring/not-on-disk", &world, test_not_on_disk);
  world.stack = ep_test_stack_start ();
  if (world.stack == NULL && !ep_test_may_skip ())
    {
      g_printerr ("# Postfix and Dovecot could not start (EPISTLE_ALLOW_SKIP=1 skips instead)\n");
      return 1;
    }
  if (world.stack != NULL)
    {
      g_test_add_data_func ("/keyring/cli-send", &world, test_cli_send);
      g_test_add_data_func ("/keyring/cli-override", &world, test_cli_override);
      g_test_add_data_func ("/keyring/cli-inbox", &world, test_cli_inbox);
      g_test_add_data_func ("/keyring/cli-unknown", &world, test_cli_unknown);
    }
  status = g_test_run ();
  if (world.stack != NULL && status != 0)
    ep_test_stack_dump_logs (world.stack);
  if (world.stack != NULL)
    ep_test_stack_stop (world.stack);
  return status;
}
