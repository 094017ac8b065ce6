/* test-account.c — EpAccount: presets, round trip through a file, no secret, bad files
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "ep-account.h"
#include "ep-locale.h"
#include "ep-tls.h"

#define PIN "0E:65:BE:D2:00:1C:4D:0A:BC:93:58:DC:16:67:81:CD:25:67:63:22:09:34:94:63:80:C9:74:6E:F6:3E:E5:C8"
#define SECRET "abcdSECRETcode1234"

static char *
test_path (const char *name)
{
  return g_build_filename (g_get_user_config_dir (), "t", name, NULL);
}

static void
test_new_known (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccount) account = ep_account_new_for_address ("张三 <Zhang.San@QQ.com>", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ep_account_get_address (account), ==, "Zhang.San@QQ.com");
  g_assert_cmpstr (ep_account_get_display_name (account), ==, "张三");
  g_assert_cmpstr (ep_account_get_user_name (account), ==, "Zhang.San@QQ.com");
  g_assert_cmpstr (ep_account_get_smtp_host (account), ==, "smtp.qq.com");
  g_assert_cmpuint (ep_account_get_smtp_port (account), ==, 465);
  g_assert_cmpint (ep_account_get_smtp_security (account), ==, EP_SECURITY_TLS);
  g_assert_cmpstr (ep_account_get_imap_host (account), ==, "imap.qq.com");
  g_assert_cmpuint (ep_account_get_imap_port (account), ==, 993);
  g_assert_false (ep_account_get_files_sent (account));
  g_assert_null (ep_account_get_pin (account));
  g_assert_null (ep_account_get_ca_file (account));
  g_assert_false (ep_account_get_allow_plaintext_auth (account));
}

static void
test_new_outlook (void)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("me@hotmail.com", NULL);

  g_assert_cmpstr (ep_account_get_smtp_host (account), ==, "smtp-mail.outlook.com");
  g_assert_cmpuint (ep_account_get_smtp_port (account), ==, 587);
  g_assert_cmpint (ep_account_get_smtp_security (account), ==, EP_SECURITY_STARTTLS);
  g_assert_cmpstr (ep_account_get_imap_host (account), ==, "outlook.office365.com");
  g_assert_true (ep_account_get_files_sent (account));
  g_assert_cmpstr (ep_account_get_display_name (account), ==, "");
}

static void
test_new_unknown (void)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("me@Example.ORG", NULL);

  g_assert_cmpstr (ep_account_get_smtp_host (account), ==, "smtp.example.org");
  g_assert_cmpuint (ep_account_get_smtp_port (account), ==, 465);
  g_assert_cmpint (ep_account_get_smtp_security (account), ==, EP_SECURITY_TLS);
  g_assert_cmpstr (ep_account_get_imap_host (account), ==, "imap.example.org");
  g_assert_cmpuint (ep_account_get_imap_port (account), ==, 993);
}

static void
test_new_bad (void)
{
  static const char * const bad[] = { "", "nobody", "a b@qq.com", "me@qq", "me@qq.com\r\nBcc: x@y.cn" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpAccount) account = ep_account_new_for_address (bad[i], &error);

      g_assert_null (account);
      g_assert_nonnull (error);
      g_assert_true (error->domain == EP_ADDRESS_ERROR);
    }
}

static void
test_setters (void)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("me@example.org", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddress) from = NULL;

  ep_account_set_display_name (account, " Li \"Lee\" \\ Si\r\nBcc: evil@x.cn ");
  g_assert_cmpstr (ep_account_get_display_name (account), ==, "Li \"Lee\" \\ Si  Bcc: evil@x.cn");
  from = ep_account_dup_from (account);
  g_assert_cmpstr (ep_address_get_addr_spec (from), ==, "me@example.org");
  g_assert_cmpstr (ep_address_get_name (from), ==, "Li \"Lee\" \\ Si  Bcc: evil@x.cn");

  ep_account_set_user_name (account, "login-name");
  g_assert_cmpstr (ep_account_get_user_name (account), ==, "login-name");
  ep_account_set_user_name (account, "");
  g_assert_cmpstr (ep_account_get_user_name (account), ==, "me@example.org");

  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_smtp_port (account, 0);
  g_assert_cmpuint (ep_account_get_smtp_port (account), ==, 587);
  ep_account_set_imap_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_imap_port (account, 0);
  g_assert_cmpuint (ep_account_get_imap_port (account), ==, 143);

  g_assert_true (ep_account_set_pin (account, "sha256:0e65bed2001c4d0abc9358dc166781cd256763220934946380c9746ef63ee5c8", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ep_account_get_pin (account), ==, PIN);
  g_assert_false (ep_account_set_pin (account, "12:34", &error));
  g_assert_error (error, EP_TLS_ERROR, EP_TLS_ERROR_BAD_PIN);
  g_assert_cmpstr (ep_account_get_pin (account), ==, PIN);
  g_assert_true (ep_account_set_pin (account, NULL, NULL));
  g_assert_null (ep_account_get_pin (account));

  g_clear_error (&error);
  g_assert_false (ep_account_set_address (account, "not an address", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (ep_account_get_address (account), ==, "me@example.org");
  g_assert_true (ep_account_set_address (account, "you@example.org", NULL));
  g_assert_cmpstr (ep_account_get_address (account), ==, "you@example.org");
}

static void
test_round_trip (void)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("li@163.com", NULL);
  g_autoptr(EpAccount) loaded = NULL;
  g_autoptr(EpSender) sender = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = test_path ("account.ini");
  g_autofree char *contents = NULL;
  GStatBuf st;

  ep_account_set_display_name (account, "李四");
  ep_account_set_user_name (account, "li");
  ep_account_set_smtp_host (account, "mail.example.test");
  ep_account_set_smtp_port (account, 2525);
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_account_set_imap_host (account, NULL);
  g_assert_true (ep_account_set_pin (account, PIN, NULL));
  ep_account_set_ca_file (account, "/tmp/demo ca.pem");
  ep_account_set_allow_plaintext_auth (account, TRUE);
  ep_account_set_files_sent (account, TRUE);

  /* A sender made with the secret must not leak it into the account. */
  sender = ep_account_create_sender (account, SECRET);
  g_assert_true (ep_account_save (account, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, SECRET));
  g_assert_null (strstr (contents, "Password"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = ep_account_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ep_account_get_address (loaded), ==, "li@163.com");
  g_assert_cmpstr (ep_account_get_display_name (loaded), ==, "李四");
  g_assert_cmpstr (ep_account_get_user_name (loaded), ==, "li");
  g_assert_cmpstr (ep_account_get_smtp_host (loaded), ==, "mail.example.test");
  g_assert_cmpuint (ep_account_get_smtp_port (loaded), ==, 2525);
  g_assert_cmpint (ep_account_get_smtp_security (loaded), ==, EP_SECURITY_STARTTLS);
  g_assert_null (ep_account_get_imap_host (loaded));
  g_assert_cmpstr (ep_account_get_pin (loaded), ==, PIN);
  g_assert_cmpstr (ep_account_get_ca_file (loaded), ==, "/tmp/demo ca.pem");
  g_assert_true (ep_account_get_allow_plaintext_auth (loaded));
  g_assert_true (ep_account_get_files_sent (loaded));

  /* Saving again over the old file replaces it. */
  ep_account_set_display_name (loaded, "");
  ep_account_set_imap_host (loaded, "imap.example.test");
  g_assert_true (ep_account_save (loaded, path, NULL));
  g_clear_object (&account);
  account = ep_account_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ep_account_get_display_name (account), ==, "");
  g_assert_cmpstr (ep_account_get_imap_host (account), ==, "imap.example.test");
  g_assert_cmpuint (ep_account_get_imap_port (account), ==, 993);
}

static void
test_default_path (void)
{
  g_autofree char *path = ep_account_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "epistle", "account.ini", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_create_sender (void)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("me@gmail.com", NULL);
  g_autoptr(EpSender) sender = ep_account_create_sender (account, SECRET);
  g_autoptr(EpSender) anonymous = NULL;

  g_assert_cmpstr (ep_sender_get_host (sender), ==, "smtp.gmail.com");
  g_assert_cmpuint (ep_sender_get_port (sender), ==, 465);
  g_assert_cmpint (ep_sender_get_security (sender), ==, EP_SECURITY_TLS);
  g_assert_cmpstr (ep_sender_get_user (sender), ==, "me@gmail.com");

  ep_account_set_user_name (account, "other");
  g_clear_object (&sender);
  sender = ep_account_create_sender (account, SECRET);
  g_assert_cmpstr (ep_sender_get_user (sender), ==, "other");

  anonymous = ep_account_create_sender (account, NULL);
  g_assert_null (ep_sender_get_user (anonymous));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = test_path ("nope.ini");
  g_autoptr(EpAccount) account = ep_account_load (path, &error);

  g_assert_null (account);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

typedef struct
{
  const char *contents;
  GQuark domain;    /* 0: EP_ACCOUNT_ERROR */
  int code;
  const char *names;
} BadFile;

#define GOOD_SMTP "[SMTP]\nHost=smtp.qq.com\nPort=465\nSecurity=tls\n"

static const BadFile bad_files[] = {
  { "[Account]\nDisplayName=x\n" GOOD_SMTP, 0, EP_ACCOUNT_ERROR_MISSING, "“Address” in [Account]" },
  { "[Account]\nAddress=\n" GOOD_SMTP, 0, EP_ACCOUNT_ERROR_MISSING, "“Address” in [Account]" },
  { "[Account]\nAddress=nobody\n" GOOD_SMTP, 0, EP_ACCOUNT_ERROR_INVALID, "“Address” in [Account]" },
  { "[Account]\nAddress=A <a@qq.com>\n" GOOD_SMTP, 0, EP_ACCOUNT_ERROR_INVALID, "“Address” in [Account]" },
  { "[Account]\nAddress=a@qq.com\n", 0, EP_ACCOUNT_ERROR_MISSING, "“Host” in [SMTP]" },
  { "[Account]\nAddress=a@qq.com\n[SMTP]\nHost=h\nPort=0\n", 0, EP_ACCOUNT_ERROR_INVALID, "“Port” in [SMTP]" },
  { "[Account]\nAddress=a@qq.com\n[SMTP]\nHost=h\nPort=65536\n", 0, EP_ACCOUNT_ERROR_INVALID, "“Port” in [SMTP]" },
  { "[Account]\nAddress=a@qq.com\n[SMTP]\nHost=h\nPort=-1\n", 0, EP_ACCOUNT_ERROR_INVALID, "“Port” in [SMTP]" },
  { "[Account]\nAddress=a@qq.com\n[SMTP]\nHost=h\nPort=465x\n", 0, EP_ACCOUNT_ERROR_INVALID, "“Port” in [SMTP]" },
  { "[Account]\nAddress=a@qq.com\n[SMTP]\nHost=h\nSecurity=ssl\n", 0, EP_ACCOUNT_ERROR_INVALID, "“Security” in [SMTP]" },
  { "[Account]\nAddress=a@qq.com\n" GOOD_SMTP "[IMAP]\nHost=i\nPort=99999\n", 0, EP_ACCOUNT_ERROR_INVALID, "“Port” in [IMAP]" },
  { "[Account]\nAddress=a@qq.com\n" GOOD_SMTP "[IMAP]\nHost=i\nSecurity=yes\n", 0, EP_ACCOUNT_ERROR_INVALID, "“Security” in [IMAP]" },
  { "[Account]\nAddress=a@qq.com\nPin=12:34\n" GOOD_SMTP, 0, EP_ACCOUNT_ERROR_INVALID, "“Pin” in [Account]" },
  { "[Account]\nAddress=a@qq.com\nFilesSent=maybe\n" GOOD_SMTP, 0, EP_ACCOUNT_ERROR_INVALID, "“FilesSent” in [Account]" },
  { "[Account]\nAddress=a@qq.com\nAllowPlaintextAuth=2\n" GOOD_SMTP, 0, EP_ACCOUNT_ERROR_INVALID, "“AllowPlaintextAuth” in [Account]" },
  { "this is not a key file\n", 1, G_KEY_FILE_ERROR_PARSE, "is not an account file" },
  { "", 0, EP_ACCOUNT_ERROR_MISSING, "“Address” in [Account]" },
};

static void
test_bad_file (gconstpointer data)
{
  const BadFile *row = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccount) account = NULL;
  g_autofree char *path = test_path ("bad.ini");
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, row->contents, -1, NULL));
  account = ep_account_load (path, &error);
  g_assert_null (account);
  g_assert_error (error, (row->domain ? G_KEY_FILE_ERROR : EP_ACCOUNT_ERROR), row->code);
  g_assert_nonnull (strstr (error->message, row->names));
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_minimal_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccount) account = NULL;
  g_autofree char *path = test_path ("minimal.ini");
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[Account]\nAddress=a@example.org\n"
                                            "[SMTP]\nHost=smtp.example.org\nSecurity=starttls\n",
                                      -1, NULL));
  account = ep_account_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ep_account_get_smtp_port (account), ==, 587);
  g_assert_null (ep_account_get_imap_host (account));
  g_assert_cmpstr (ep_account_get_display_name (account), ==, "");
  g_assert_cmpstr (ep_account_get_user_name (account), ==, "a@example.org");
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/account/new/known", test_new_known);
  g_test_add_func ("/account/new/outlook", test_new_outlook);
  g_test_add_func ("/account/new/unknown", test_new_unknown);
  g_test_add_func ("/account/new/bad", test_new_bad);
  g_test_add_func ("/account/setters", test_setters);
  g_test_add_func ("/account/round-trip", test_round_trip);
  g_test_add_func ("/account/default-path", test_default_path);
  g_test_add_func ("/account/create-sender", test_create_sender);
  g_test_add_func ("/account/load/missing", test_missing_file);
  g_test_add_func ("/account/load/minimal", test_minimal_file);
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/account/load/bad/%u", i);
      g_test_add_data_func (name, &bad_files[i], test_bad_file);
    }
  return g_test_run ();
}
