/* test-server-info.c — EpServerInfo and the fingerprint of an untrusted certificate error
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against real servers these run in test-check; here with no network.
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-sender.h"
#include "ep-tls.h"

#define FP "0E:65:BE:D2:00:1C:4D:0A:BC:93:58:DC:16:67:81:CD:25:67:63:22:09:34:94:63:80:C9:74:6E:F6:3E:E5:C8"

static GHashTable *
extensions (void)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (table, g_strdup ("SIZE"), g_strdup ("10240000"));
  g_hash_table_insert (table, g_strdup ("CHUNKING"), g_strdup (""));
  g_hash_table_insert (table, g_strdup ("AUTH"), g_strdup ("PLAIN LOGIN"));
  return table;
}

static void
test_info (void)
{
  g_autoptr(GHashTable) table = extensions ();
  g_autoptr(EpServerInfo) info = ep_server_info_new ("smtp.qq.com", "220 smtp.qq.com Esmtp", table);
  g_autoptr(EpServerInfo) copy = NULL;
  EpServerInfo *boxed;

  /* The info owns a copy: later changes to the table do not reach it. */
  g_hash_table_insert (table, g_strdup ("SMTPUTF8"), g_strdup (""));

  g_assert_cmpstr (ep_server_info_get_host (info), ==, "smtp.qq.com");
  g_assert_cmpstr (ep_server_info_get_greeting (info), ==, "220 smtp.qq.com Esmtp");
  g_assert_cmpuint (ep_server_info_get_size_limit (info), ==, 10240000);
  g_assert_true (ep_server_info_get_chunking (info));
  g_assert_false (ep_server_info_get_smtputf8 (info));
  g_assert_false (ep_server_info_get_pipelining (info));
  g_assert_false (ep_server_info_get_8bitmime (info));
  g_assert_true (ep_server_info_has_extension (info, "auth"));

  copy = ep_server_info_copy (info);
  g_assert_cmpstr (ep_server_info_get_host (copy), ==, "smtp.qq.com");
  g_assert_cmpstr (ep_server_info_get_greeting (copy), ==, "220 smtp.qq.com Esmtp");
  g_assert_cmpuint (ep_server_info_get_size_limit (copy), ==, 10240000);
  g_assert_true (ep_server_info_get_chunking (copy));

  boxed = g_boxed_copy (EP_TYPE_SERVER_INFO, info);
  g_assert_cmpuint (ep_server_info_get_size_limit (boxed), ==, 10240000);
  g_boxed_free (EP_TYPE_SERVER_INFO, boxed);
}

static void
test_info_empty (void)
{
  g_autoptr(EpServerInfo) info = ep_server_info_new ("mx.example.test", NULL, NULL);

  g_assert_null (ep_server_info_get_greeting (info));
  g_assert_cmpuint (ep_server_info_get_size_limit (info), ==, 0);
  g_assert_false (ep_server_info_get_chunking (info));
  g_assert_false (ep_server_info_get_smtputf8 (info));
}

static void
test_fingerprint (void)
{
  g_autoptr(GError) error = g_error_new (EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED,
                                         "The certificate of 127.0.0.1 is not trusted: its issuer "
                                         "is unknown. Its SHA-256 fingerprint is %s", FP);
  g_autofree char *fp = ep_tls_error_dup_fingerprint (error);

  g_assert_cmpstr (fp, ==, FP);

  /* A caller's context before it, and a translation's punctuation after it. */
  g_prefix_error (&error, "Signing in to smtp.example.test failed: ");
  g_free (fp);
  fp = ep_tls_error_dup_fingerprint (error);
  g_assert_cmpstr (fp, ==, FP);

  g_clear_error (&error);
  error = g_error_new (EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED, "证书不受信任。SHA-256 指纹：%s。", FP);
  g_free (fp);
  fp = ep_tls_error_dup_fingerprint (error);
  g_assert_cmpstr (fp, ==, FP);
}

static void
test_fingerprint_absent (void)
{
  g_autoptr(GError) unknown = g_error_new (EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED,
                                           "The certificate of h is not trusted: x. Its SHA-256 "
                                           "fingerprint is unknown");
  g_autoptr(GError) other = g_error_new (EP_TLS_ERROR, EP_TLS_ERROR_FAILED, "failed %s", FP);
  g_autoptr(GError) io = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s", FP);
  g_autoptr(GError) longer = g_error_new (EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED, "x %s:AB", FP);
  g_autoptr(GError) shorter = g_error_new (EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED, "x %s", FP + 3);

  g_assert_null (ep_tls_error_dup_fingerprint (NULL));
  g_assert_null (ep_tls_error_dup_fingerprint (unknown));
  g_assert_null (ep_tls_error_dup_fingerprint (other));
  g_assert_null (ep_tls_error_dup_fingerprint (io));
  g_assert_null (ep_tls_error_dup_fingerprint (longer));
  g_assert_null (ep_tls_error_dup_fingerprint (shorter));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server-info/fields", test_info);
  g_test_add_func ("/server-info/empty", test_info_empty);
  g_test_add_func ("/server-info/fingerprint", test_fingerprint);
  g_test_add_func ("/server-info/fingerprint-absent", test_fingerprint_absent);
  return g_test_run ();
}
