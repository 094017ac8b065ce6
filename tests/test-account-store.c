/* test-account-store.c — EpAccountStore: accounts in GSettings (memory backend), migration
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs with GSETTINGS_BACKEND=memory and GSETTINGS_SCHEMA_DIR at the build's
 * compiled schema (tests/meson.build). Persistence across processes is
 * tested with the keyfile backend in test-keyring.c.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ep-account-store.h"
#include "ep-locale.h"
#include "ep-tls.h"

#define PIN "0E:65:BE:D2:00:1C:4D:0A:BC:93:58:DC:16:67:81:CD:25:67:63:22:09:34:94:63:80:C9:74:6E:F6:3E:E5:C8"

/* The memory backend lives as long as the process: each test starts from no account. */
static EpAccountStore *
empty_store (void)
{
  g_autoptr(GError) error = NULL;
  EpAccountStore *store = ep_account_store_new (&error);
  g_auto(GStrv) addresses = NULL;

  g_assert_no_error (error);
  addresses = ep_account_store_dup_addresses (store);
  for (guint i = 0; addresses[i] != NULL; i++)
    {
      ep_account_store_remove (store, addresses[i], &error);
      g_assert_no_error (error);
    }
  return store;
}

static EpAccount *
full_account (const char *address)
{
  EpAccount *account = ep_account_new_for_address (address, NULL);

  ep_account_set_display_name (account, "张三 \"Zhang\"");
  ep_account_set_user_name (account, "zhang-login");
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_smtp_host (account, "mail.example.test");
  ep_account_set_smtp_port (account, 2587);
  ep_account_set_imap_security (account, EP_SECURITY_NONE);
  ep_account_set_imap_host (account, "imap.example.test");
  ep_account_set_imap_port (account, 2143);
  g_assert_true (ep_account_set_pin (account, PIN, NULL));
  ep_account_set_ca_file (account, "/tmp/ca.pem");
  ep_account_set_allow_plaintext_auth (account, TRUE);
  ep_account_set_files_sent (account, TRUE);
  return account;
}

static void
assert_same (EpAccount *a,
             EpAccount *b)
{
  g_assert_cmpstr (ep_account_get_address (a), ==, ep_account_get_address (b));
  g_assert_cmpstr (ep_account_get_display_name (a), ==, ep_account_get_display_name (b));
  g_assert_cmpstr (ep_account_get_user_name (a), ==, ep_account_get_user_name (b));
  g_assert_cmpstr (ep_account_get_smtp_host (a), ==, ep_account_get_smtp_host (b));
  g_assert_cmpuint (ep_account_get_smtp_port (a), ==, ep_account_get_smtp_port (b));
  g_assert_cmpint (ep_account_get_smtp_security (a), ==, ep_account_get_smtp_security (b));
  g_assert_cmpstr (ep_account_get_imap_host (a), ==, ep_account_get_imap_host (b));
  g_assert_cmpuint (ep_account_get_imap_port (a), ==, ep_account_get_imap_port (b));
  g_assert_cmpint (ep_account_get_imap_security (a), ==, ep_account_get_imap_security (b));
  g_assert_cmpstr (ep_account_get_pin (a), ==, ep_account_get_pin (b));
  g_assert_cmpstr (ep_account_get_ca_file (a), ==, ep_account_get_ca_file (b));
  g_assert_cmpint (ep_account_get_allow_plaintext_auth (a), ==, ep_account_get_allow_plaintext_auth (b));
  g_assert_cmpint (ep_account_get_files_sent (a), ==, ep_account_get_files_sent (b));
}

static void
test_empty (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = ep_account_store_list (store, &error);
  g_autoptr(EpAccount) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_null (ep_account_store_dup_default (store));
  none = ep_account_store_lookup (store, "who@example.test", &error);
  g_assert_null (none);
  g_assert_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "who@example.test"));
  g_assert_nonnull (strstr (error->message, "no account is saved"));
}

static void
test_round_trip (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(EpAccount) account = full_account ("Zhang.San@Example.test");
  g_autoptr(EpAccount) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_address = NULL;
  g_autoptr(GSettings) raw = NULL;
  g_auto(GStrv) ids = NULL;

  g_assert_true (ep_account_store_save (store, account, &error));
  g_assert_no_error (error);
  loaded = ep_account_store_lookup (store, "zhang.san@example.TEST", &error);
  g_assert_no_error (error);
  assert_same (account, loaded);
  list = ep_account_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  assert_same (account, list->pdata[0]);
  default_address = ep_account_store_dup_default (store);
  g_assert_cmpstr (default_address, ==, "Zhang.San@Example.test");

  /* What sits in GSettings, where dconf-editor shows it. */
  raw = g_settings_new (APP_ID);
  ids = g_settings_get_strv (raw, "accounts");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, "zhang-san-example-test");
}

static void
test_update (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(EpAccount) account = full_account ("bob@example.test");
  g_autoptr(EpAccount) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) addresses = NULL;

  g_assert_true (ep_account_store_save (store, account, &error));
  ep_account_set_smtp_host (account, "other.example.test");
  ep_account_set_imap_host (account, NULL);
  g_assert_true (ep_account_set_pin (account, NULL, NULL));
  g_assert_true (ep_account_store_save (store, account, &error));
  g_assert_no_error (error);
  addresses = ep_account_store_dup_addresses (store);
  g_assert_cmpuint (g_strv_length (addresses), ==, 1);
  loaded = ep_account_store_lookup (store, "bob@example.test", &error);
  g_assert_no_error (error);
  assert_same (account, loaded);
  g_assert_null (ep_account_get_imap_host (loaded));
  g_assert_null (ep_account_get_pin (loaded));
}

static void
test_several (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(EpAccount) a = ep_account_new_for_address ("a@qq.com", NULL);
  g_autoptr(EpAccount) b = ep_account_new_for_address ("b@163.com", NULL);
  g_autoptr(EpAccount) none = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  g_assert_true (ep_account_store_save (store, a, &error));
  g_assert_true (ep_account_store_save (store, b, &error));
  list = ep_account_store_list (store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (ep_account_get_address (list->pdata[0]), ==, "a@qq.com");
  g_assert_cmpstr (ep_account_get_smtp_host (list->pdata[1]), ==, "smtp.163.com");
  first = ep_account_store_dup_default (store);
  g_assert_cmpstr (first, ==, "a@qq.com");

  none = ep_account_store_lookup (store, "c@126.com", &error);
  g_assert_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "“c@126.com”"));
  g_assert_nonnull (strstr (error->message, "a@qq.com, b@163.com"));
  g_clear_error (&error);

  g_assert_true (ep_account_store_set_default (store, "B@163.com", &error));
  second = ep_account_store_dup_default (store);
  g_assert_cmpstr (second, ==, "b@163.com");
  g_assert_true (ep_account_store_remove (store, "b@163.com", &error));
  g_assert_no_error (error);
  third = ep_account_store_dup_default (store);
  g_assert_cmpstr (third, ==, "a@qq.com");
  g_assert_false (ep_account_store_remove (store, "b@163.com", &error));
  g_assert_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_UNKNOWN);
}

/* A removed account leaves nothing behind: saved again, it starts from the preset. */
static void
test_remove_resets (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(EpAccount) account = full_account ("c@example.test");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) raw = NULL;
  g_autofree char *host = NULL;

  g_assert_true (ep_account_store_save (store, account, &error));
  g_assert_true (ep_account_store_remove (store, "c@example.test", &error));
  raw = g_settings_new_with_path (APP_ID ".Account", EP_ACCOUNT_STORE_ACCOUNT_PATH "c-example-test/");
  host = g_settings_get_string (raw, "smtp-host");
  g_assert_cmpstr (host, ==, "");
}

static void
test_invalid (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(EpAccount) account = ep_account_new_for_address ("d@example.test", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) raw = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_assert_true (ep_account_store_save (store, account, &error));
  raw = g_settings_new_with_path (APP_ID ".Account", EP_ACCOUNT_STORE_ACCOUNT_PATH "d-example-test/");
  g_settings_set_string (raw, "pin", "not a fingerprint");
  list = ep_account_store_list (store, &error);
  g_assert_null (list);
  g_assert_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“pin”"));
  g_assert_nonnull (strstr (error->message, "d-example-test"));
}

static char *
read_file (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_migrate (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(EpAccount) account = full_account ("old@example.test");
  g_autoptr(EpAccount) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ep_account_default_path ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *migrated = NULL;
  g_autofree char *again = NULL;
  g_autofree char *want = g_strconcat (path, ".migrated", NULL);
  g_autofree char *want_2 = g_strconcat (path, ".migrated.2", NULL);

  g_assert_true (ep_account_save (account, path, &error));
  before = read_file (path);
  g_assert_true (ep_account_store_migrate (store, path, &migrated, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (migrated, ==, want);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  after = read_file (migrated);
  g_assert_cmpstr (after, ==, before);   /* renamed, byte for byte */
  loaded = ep_account_store_lookup (store, "old@example.test", &error);
  g_assert_no_error (error);
  assert_same (account, loaded);

  /* Once: nothing left to migrate. */
  g_assert_true (ep_account_store_migrate (store, path, &again, &error));
  g_assert_null (again);

  /* A second old file never overwrites the first one's .migrated copy. */
  g_assert_true (ep_account_save (account, path, &error));
  g_assert_true (ep_account_store_migrate (store, path, &again, &error));
  g_assert_cmpstr (again, ==, want_2);
  g_assert_true (g_file_test (migrated, G_FILE_TEST_EXISTS));
}

static void
test_migrate_bad (void)
{
  g_autoptr(EpAccountStore) store = empty_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ep_account_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *migrated = NULL;
  g_auto(GStrv) addresses = NULL;
  const char *bad = "[Account]\nAddress=me@example.test\n[SMTP]\nHost=smtp.example.test\nPort=99999\n";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, bad, -1, NULL));
  g_assert_false (ep_account_store_migrate (store, path, &migrated, &error));
  g_assert_error (error, EP_ACCOUNT_ERROR, EP_ACCOUNT_ERROR_INVALID);
  g_assert_null (migrated);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));   /* left for the person to fix */
  addresses = ep_account_store_dup_addresses (store);
  g_assert_cmpuint (g_strv_length (addresses), ==, 0);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/account-store/empty", test_empty);
  g_test_add_func ("/account-store/round-trip", test_round_trip);
  g_test_add_func ("/account-store/update", test_update);
  g_test_add_func ("/account-store/several", test_several);
  g_test_add_func ("/account-store/remove-resets", test_remove_resets);
  g_test_add_func ("/account-store/invalid", test_invalid);
  g_test_add_func ("/account-store/migrate", test_migrate);
  g_test_add_func ("/account-store/migrate-bad", test_migrate_bad);
  return g_test_run ();
}
