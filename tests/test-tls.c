/* test-tls.c — certificate pins, and a TLS client against a non-TLS peer
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The full handshake, trust and pin paths run against the real servers in
 * test-roundtrip; these are the parts with no server at all.
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-tls.h"

static void
test_pin_forms (void)
{
  static const char * const forms[] = {
    "0E:65:BE:D2:00:1C:4D:0A:BC:93:58:DC:16:67:81:CD:25:67:63:22:09:34:94:63:80:C9:74:6E:F6:3E:E5:C8",
    "0e65bed2001c4d0abc9358dc166781cd2567632209349463 80c9746ef63ee5c8",
    "sha256:0e65bed2001c4d0abc9358dc166781cd256763220934946380c9746ef63ee5c8",
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pin = ep_tls_normalize_pin (forms[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (pin, ==, forms[0]);
    }
}

static void
test_pin_rejects (void)
{
  static const char * const bad[] = {
    "", "0E:65", "zz65bed2001c4d0abc9358dc166781cd256763220934946380c9746ef63ee5c8",
    "0e65bed2001c4d0abc9358dc166781cd256763220934946380c9746ef63ee5c8ff",   /* too long */
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",                            /* SHA-1 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pin = ep_tls_normalize_pin (bad[i], &error);

      g_assert_null (pin);
      g_assert_error (error, EP_TLS_ERROR, EP_TLS_ERROR_BAD_PIN);
    }
}

static void
test_bad_ca_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(EpTls) tls = ep_tls_new (socket, "127.0.0.1", "/nonexistent/ca.pem", NULL, &error);

  g_assert_null (tls);
  g_assert_error (error, EP_TLS_ERROR, EP_TLS_ERROR_CA_FILE);
  g_assert_nonnull (strstr (error->message, "/nonexistent/ca.pem"));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tls/pin-forms", test_pin_forms);
  g_test_add_func ("/tls/pin-rejects", test_pin_rejects);
  g_test_add_func ("/tls/bad-ca-file", test_bad_ca_file);
  return g_test_run ();
}
