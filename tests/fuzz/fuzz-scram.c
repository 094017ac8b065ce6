/* fuzz-scram.c — libFuzzer target: the server's SCRAM messages (ep-sasl)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is three lines: a mechanism name (SCRAM-SHA-1 picks SHA-1,
 * anything else SHA-256), the server-first message, and the server-final
 * message (the rest, up to a NUL byte). The client side is RFC 5802's and
 * RFC 7677's test vector (user “user”, password “pencil”, their client
 * nonces), so the seed corpus can hold the exchanges that succeed.
 */
#include <stdint.h>
#include <string.h>

#include "ep-sasl.h"

/* PBKDF2 runs as many iterations as the server asks for: an input asking for
 * more than this is passed over, or each run would only time GnuTLS. The
 * upper bound ep-sasl puts on the count is tested by test-sasl, not here. */
#define MAX_FUZZ_ITERATIONS 4096

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Whether the “i=” attribute asks for more iterations than we let through. */
static gboolean
too_many_iterations (const char *server_first)
{
  g_auto(GStrv) parts = g_strsplit (server_first, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 count;

      if (g_str_has_prefix (parts[i], "i=") &&
          g_ascii_string_to_unsigned (parts[i] + 2, 10, 0, G_MAXUINT64, &count, NULL))
        return count > MAX_FUZZ_ITERATIONS;
    }
  return FALSE;
}

static void
exchange (EpSaslMechanism  mechanism,
          const char      *server_first,
          const char      *server_final)
{
  const char *nonce = mechanism == EP_SASL_SCRAM_SHA_1 ? "fyko+d2lbbFgONRv9qkxdawL"
                                                       : "rOprNGfwEbeRWgbNEkqO";
  g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (mechanism, "user", "pencil", nonce);
  g_autofree char *client_first = ep_sasl_scram_client_first (scram);
  g_autofree char *client_final = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (client_first);
  client_final = ep_sasl_scram_client_final (scram, server_first, &error);
  if (client_final == NULL)
    {
      g_assert_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (client_final, "c=biws,r="));

  if (!ep_sasl_scram_verify_server (scram, server_final, &error))
    {
      /* Malformed, or well formed with a signature that does not prove the password. */
      g_assert_true (g_error_matches (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER) ||
                     g_error_matches (error, EP_SASL_ERROR, EP_SASL_ERROR_UNPROVEN));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    g_assert_no_error (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 3);
  EpSaslMechanism mechanism;

  if (lines[0] == NULL || lines[1] == NULL)
    return 0;
  mechanism = ep_sasl_mechanism_from_string (g_strstrip (lines[0]));
  if (mechanism != EP_SASL_SCRAM_SHA_1)
    mechanism = EP_SASL_SCRAM_SHA_256;
  if (too_many_iterations (lines[1]))
    return 0;
  exchange (mechanism, lines[1], lines[2] != NULL ? lines[2] : "");
  return 0;
}
