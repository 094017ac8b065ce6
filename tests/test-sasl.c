/* test-sasl.c — SASL mechanisms against the RFC test vectors
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-sasl.h"

static void
test_plain (void)
{
  /* RFC 4616 §4: authcid “tim”, password “tanstaaftanstaaf”, empty authzid. */
  g_autofree char *b64 = ep_sasl_plain ("tim", "tanstaaftanstaaf");
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode (b64, &len);

  g_assert_cmpmem (raw, len, "\0tim\0tanstaaftanstaaf", 21);
  g_assert_cmpstr (b64, ==, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
}

static void
test_xoauth2 (void)
{
  g_autofree char *b64 = ep_sasl_xoauth2 ("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");

  /* Google's documented example. */
  g_assert_cmpstr (b64, ==, "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
                            "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
}

typedef struct
{
  EpSaslMechanism mechanism;
  const char *nonce;
  const char *client_first;
  const char *server_first;
  const char *client_final;
  const char *server_final;
} ScramVector;

static const ScramVector rfc7677 = {
  EP_SASL_SCRAM_SHA_256, "rOprNGfwEbeRWgbNEkqO",
  "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
};

static const ScramVector rfc5802 = {
  EP_SASL_SCRAM_SHA_1, "fyko+d2lbbFgONRv9qkxdawL",
  "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
  "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
};

static void
test_scram (gconstpointer data)
{
  const ScramVector *v = data;
  g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (v->mechanism, "user", "pencil", v->nonce);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = ep_sasl_scram_client_first (scram);
  g_autofree char *final = ep_sasl_scram_client_final (scram, v->server_first, &error);

  g_assert_cmpstr (first, ==, v->client_first);
  g_assert_no_error (error);
  g_assert_cmpstr (final, ==, v->client_final);
  g_assert_true (ep_sasl_scram_verify_server (scram, v->server_final, &error));
  g_assert_no_error (error);
  g_assert_false (ep_sasl_scram_verify_server (scram, "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAA", &error));
  g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER);
}

static void
test_scram_bad_server (void)
{
  static const char * const bad[] = {
    "r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096",        /* nonce not ours */
    "r=abcdef,s=QSXCR+Q6sek8bf92,i=4096",             /* nonce not extended */
    "r=abcdefX,i=4096",                               /* no salt */
    "r=abcdefX,s=QSXCR+Q6sek8bf92,i=0",               /* no iterations */
    "r=abcdefX,s=QSXCR+Q6sek8bf92,i=many",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (EP_SASL_SCRAM_SHA_256, "u", "p", "abcdef");
      g_autofree char *first = ep_sasl_scram_client_first (scram);
      g_autoptr(GError) error = NULL;
      g_autofree char *final = ep_sasl_scram_client_final (scram, bad[i], &error);

      g_assert_null (final);
      g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER);
    }
}

static void
test_scram_escapes_user (void)
{
  g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (EP_SASL_SCRAM_SHA_256, "a,b=c", "p", "n0nce");
  g_autofree char *first = ep_sasl_scram_client_first (scram);

  g_assert_cmpstr (first, ==, "n,,n=a=2Cb=3Dc,r=n0nce");
}

static void
test_choose (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ep_sasl_choose ("PLAIN LOGIN SCRAM-SHA-1 SCRAM-SHA-256", EP_SASL_NONE, &error), ==,
                   EP_SASL_SCRAM_SHA_256);
  g_assert_cmpint (ep_sasl_choose ("LOGIN PLAIN XOAUTH2", EP_SASL_NONE, &error), ==, EP_SASL_PLAIN);
  g_assert_cmpint (ep_sasl_choose ("login", EP_SASL_NONE, &error), ==, EP_SASL_LOGIN);
  g_assert_cmpint (ep_sasl_choose ("PLAIN XOAUTH2", EP_SASL_XOAUTH2, &error), ==, EP_SASL_XOAUTH2);
  g_assert_no_error (error);

  g_assert_cmpint (ep_sasl_choose ("GSSAPI NTLM XOAUTH2", EP_SASL_NONE, &error), ==, EP_SASL_NONE);
  g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "GSSAPI NTLM"));
  g_clear_error (&error);
  g_assert_cmpint (ep_sasl_choose ("PLAIN", EP_SASL_SCRAM_SHA_256, &error), ==, EP_SASL_NONE);
  g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_UNSUPPORTED);
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sasl/plain-rfc4616", test_plain);
  g_test_add_func ("/sasl/xoauth2", test_xoauth2);
  g_test_add_data_func ("/sasl/scram-sha-256-rfc7677", &rfc7677, test_scram);
  g_test_add_data_func ("/sasl/scram-sha-1-rfc5802", &rfc5802, test_scram);
  g_test_add_func ("/sasl/scram-bad-server", test_scram_bad_server);
  g_test_add_func ("/sasl/scram-escapes-user", test_scram_escapes_user);
  g_test_add_func ("/sasl/choose", test_choose);
  return g_test_run ();
}
