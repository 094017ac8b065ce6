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
  g_assert_true (ep_sasl_scram_is_verified (scram));
}

/* A server-final derived from @good by a man in the middle who does not know the password. */
static char *
tamper (const char *good,
        guint       how)
{
  g_autofree char *copy = g_strdup (good);

  switch (how)
    {
    case 0:   /* one character of the signature changed */
      copy[5] = copy[5] == 'A' ? 'B' : 'A';
      return g_steal_pointer (&copy);
    case 1:   /* signature cut short */
      copy[strlen (copy) - 4] = '\0';
      return g_steal_pointer (&copy);
    case 2:   /* signature of the right length, all zero */
      return g_strdup (strlen (good) > 32 ? "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
                                          : "v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    case 3:   /* no signature at all */
      return g_strdup ("");
    case 4:
      return g_strdup ("v=");
    case 5:   /* the signature behind another attribute */
      return g_strconcat ("x=1,", good, NULL);
    case 6:   /* the signature with trailing text glued on */
      return g_strconcat (good, "AAAA", NULL);
    case 7:   /* not base64 */
      return g_strdup ("v=!!!!!!!!");
    default:
      g_assert_not_reached ();
    }
}

static void
test_scram_server_final_tampered (gconstpointer data)
{
  const ScramVector *v = data;

  for (guint how = 0; how < 8; how++)
    {
      g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (v->mechanism, "user", "pencil", v->nonce);
      g_autofree char *first = ep_sasl_scram_client_first (scram);
      g_autofree char *final = ep_sasl_scram_client_final (scram, v->server_first, NULL);
      g_autofree char *bad = tamper (v->server_final, how);
      g_autoptr(GError) error = NULL;

      g_test_message ("tampered server-final: “%s”", bad);
      g_assert_nonnull (final);
      g_assert_false (ep_sasl_scram_verify_server (scram, bad, &error));
      g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_UNPROVEN);
      g_assert_nonnull (strstr (error->message, "could not prove it knows the password"));
      g_assert_false (ep_sasl_scram_is_verified (scram));
    }
}

static void
test_scram_server_error (void)
{
  g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (EP_SASL_SCRAM_SHA_256, "user", "pencil", rfc7677.nonce);
  g_autofree char *first = ep_sasl_scram_client_first (scram);
  g_autofree char *final = ep_sasl_scram_client_final (scram, rfc7677.server_first, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (ep_sasl_scram_verify_server (scram, "e=invalid-proof", &error));
  g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "invalid-proof"));
  g_assert_false (ep_sasl_scram_is_verified (scram));

  /* Found by fuzz-scram: the server's words reach a person as UTF-8, controls escaped. */
  g_clear_error (&error);
  g_assert_false (ep_sasl_scram_verify_server (scram, "e=bad\x1b[2J\xb3\xb3proof", &error));
  g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_nonnull (strstr (error->message, "\\x1b[2J"));
}

static void
test_scram_iterations (void)
{
  static const struct { const char *count; gboolean ok; } rows[] = {
    { "1", FALSE }, { "4095", FALSE }, { "4096", TRUE }, { "600000", TRUE }, { "600001", FALSE },
    { "10000000", FALSE }, { "99999999999999999999999", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (EP_SASL_SCRAM_SHA_256, "u", "p", "abcdef");
      g_autofree char *first = ep_sasl_scram_client_first (scram);
      g_autofree char *server_first = g_strdup_printf ("r=abcdefX,s=QSXCR+Q6sek8bf92,i=%s", rows[i].count);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autofree char *final = ep_sasl_scram_client_final (scram, server_first, &error);

      g_test_message ("i=%s", rows[i].count);
      if (rows[i].ok)
        {
          g_assert_no_error (error);
          g_assert_nonnull (final);
          continue;
        }
      g_assert_null (final);
      g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER);
      g_assert_nonnull (strstr (error->message, "rounds of SCRAM password hashing"));
      g_assert_nonnull (strstr (error->message, "4096 to 600000"));
      /* Refused at once, not after spinning through the count (10,000,000 rounds take
       * seconds; the bound leaves room for a loaded machine). */
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
    }
}

static void
test_saslprep (void)
{
  /* RFC 4013 §3, plus a Chinese password that SASLprep leaves alone. */
  static const struct { const char *in; const char *out; } good[] = {
    { "I\xc2\xadX", "IX" },                   /* SOFT HYPHEN mapped to nothing */
    { "user", "user" },
    { "USER", "USER" },                         /* case is kept */
    { "\xc2\xaa", "a" },                       /* FEMININE ORDINAL INDICATOR, NFKC */
    { "\xe2\x85\xa8", "IX" },                  /* ROMAN NUMERAL NINE, NFKC */
    { "a\xc2\xa0" "b", "a b" },                   /* NO-BREAK SPACE becomes SPACE */
    { "密码ｐａｓｓ", "密码pass" },              /* fullwidth letters, NFKC */
    { "", "" },
  };
  static const char * const bad[] = {
    "\x07",                                    /* BEL, prohibited */
    "\xd8\xa7\x31",                            /* RandALCat then a digit: bidi rule */
    "\xee\x80\x80",                            /* private use */
    "\xff\xfe",                                /* not UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = ep_sasl_saslprep (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, good[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = ep_sasl_saslprep (bad[i], &error);

      g_assert_null (out);
      g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_PREPARE);
    }
}

/* SCRAM prepares the user name and password: RFC 7677's exchange still
 * verifies when both are typed with characters SASLprep maps away. */
static void
test_scram_saslprep (void)
{
  const ScramVector *v = &rfc7677;
  g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (v->mechanism, "us\xc2\xad" "er", "pen\xc2\xad" "cil", v->nonce);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = ep_sasl_scram_client_first (scram);
  g_autofree char *final = ep_sasl_scram_client_final (scram, v->server_first, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, v->client_first);
  g_assert_cmpstr (final, ==, v->client_final);
  g_assert_true (ep_sasl_scram_verify_server (scram, v->server_final, &error));
  g_assert_no_error (error);
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
    "m=ext,r=abcdefX,s=QSXCR+Q6sek8bf92,i=4096",      /* a mandatory extension */
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
  g_test_add_data_func ("/sasl/scram-sha-256-server-final-tampered", &rfc7677, test_scram_server_final_tampered);
  g_test_add_data_func ("/sasl/scram-sha-1-server-final-tampered", &rfc5802, test_scram_server_final_tampered);
  g_test_add_func ("/sasl/scram-server-error", test_scram_server_error);
  g_test_add_func ("/sasl/scram-iterations", test_scram_iterations);
  g_test_add_func ("/sasl/saslprep-rfc4013", test_saslprep);
  g_test_add_func ("/sasl/scram-saslprep", test_scram_saslprep);
  g_test_add_func ("/sasl/scram-bad-server", test_scram_bad_server);
  g_test_add_func ("/sasl/scram-escapes-user", test_scram_escapes_user);
  g_test_add_func ("/sasl/choose", test_choose);
  return g_test_run ();
}
