/* ep-sasl.c — SASL mechanisms as pure functions: PLAIN, LOGIN, XOAUTH2, SCRAM
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No I/O here: the protocol clients pass challenges in and send what comes
 * out. Messages are raw (not base64); the caller encodes them for the wire.
 * SCRAM follows RFC 5802 and RFC 7677 without channel binding (“n,,”).
 */
#include "ep-sasl.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#define NONCE_BYTES 18

struct _EpSaslScram
{
  gnutls_mac_algorithm_t mac;
  gnutls_digest_algorithm_t digest;
  gsize hash_len;
  char *user;
  char *password;
  char *client_nonce;
  char *client_first_bare;
  char *auth_message;
  guint8 server_key[64];
};

G_DEFINE_QUARK (ep-sasl-error-quark, ep_sasl_error)

static const char * const mechanism_names[] = {
  [EP_SASL_NONE] = NULL,
  [EP_SASL_LOGIN] = "LOGIN",
  [EP_SASL_PLAIN] = "PLAIN",
  [EP_SASL_XOAUTH2] = "XOAUTH2",
  [EP_SASL_SCRAM_SHA_1] = "SCRAM-SHA-1",
  [EP_SASL_SCRAM_SHA_256] = "SCRAM-SHA-256",
};

const char *
ep_sasl_mechanism_to_string (EpSaslMechanism mechanism)
{
  g_return_val_if_fail (mechanism <= EP_SASL_SCRAM_SHA_256, NULL);
  return mechanism_names[mechanism];
}

EpSaslMechanism
ep_sasl_mechanism_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, EP_SASL_NONE);

  for (guint i = EP_SASL_LOGIN; i < G_N_ELEMENTS (mechanism_names); i++)
    {
      if (g_ascii_strcasecmp (name, mechanism_names[i]) == 0)
        return (EpSaslMechanism) i;
    }
  return EP_SASL_NONE;
}

/**
 * ep_sasl_choose:
 * @offered: the server's mechanisms, separated by spaces
 * @forced: a mechanism the user asked for, or %EP_SASL_NONE for the strongest offered
 *
 * XOAUTH2 is never chosen on its own: it takes a token, not a password.
 */
EpSaslMechanism
ep_sasl_choose (const char       *offered,
                EpSaslMechanism   forced,
                GError          **error)
{
  g_auto(GStrv) names = g_strsplit (offered ? offered : "", " ", -1);
  EpSaslMechanism best = EP_SASL_NONE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      EpSaslMechanism m = ep_sasl_mechanism_from_string (names[i]);

      if (forced != EP_SASL_NONE && m == forced)
        return m;
      if (forced == EP_SASL_NONE && m != EP_SASL_XOAUTH2 && m > best)
        best = m;
    }

  if (forced != EP_SASL_NONE)
    {
      g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_UNSUPPORTED,
                   _("The server does not offer %s sign-in (it offers: %s)"),
                   mechanism_names[forced], offered && *offered ? offered : _("none"));
      return EP_SASL_NONE;
    }
  if (best == EP_SASL_NONE)
    g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_UNSUPPORTED,
                 _("The server offers no sign-in method Epistle knows (it offers: %s)"),
                 offered && *offered ? offered : _("none"));
  return best;
}

/* RFC 4616: authzid NUL authcid NUL passwd, with an empty authzid. */
char *
ep_sasl_plain (const char *user,
               const char *password)
{
  gsize ulen, plen;
  g_autofree guchar *raw = NULL;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  ulen = strlen (user);
  plen = strlen (password);
  raw = g_malloc (ulen + plen + 2);
  raw[0] = '\0';
  memcpy (raw + 1, user, ulen);
  raw[ulen + 1] = '\0';
  memcpy (raw + ulen + 2, password, plen);
  return g_base64_encode (raw, ulen + plen + 2);
}

/* Google's and Microsoft's XOAUTH2 initial response, base64-encoded. */
char *
ep_sasl_xoauth2 (const char *user,
                 const char *token)
{
  g_autofree char *raw = NULL;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  raw = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001", user, token);
  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

/* RFC 5802 §5.1: “,” and “=” in a user name become =2C and =3D. */
static char *
scram_escape (const char *user)
{
  GString *out = g_string_new (NULL);

  for (const char *p = user; *p; p++)
    {
      if (*p == ',')
        g_string_append (out, "=2C");
      else if (*p == '=')
        g_string_append (out, "=3D");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * ep_sasl_scram_new:
 * @client_nonce: (nullable): for test vectors only; %NULL makes a random one
 */
EpSaslScram *
ep_sasl_scram_new (EpSaslMechanism  mechanism,
                   const char      *user,
                   const char      *password,
                   const char      *client_nonce)
{
  EpSaslScram *self;

  g_return_val_if_fail (mechanism == EP_SASL_SCRAM_SHA_1 || mechanism == EP_SASL_SCRAM_SHA_256, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_new0 (EpSaslScram, 1);
  self->mac = mechanism == EP_SASL_SCRAM_SHA_1 ? GNUTLS_MAC_SHA1 : GNUTLS_MAC_SHA256;
  self->digest = mechanism == EP_SASL_SCRAM_SHA_1 ? GNUTLS_DIG_SHA1 : GNUTLS_DIG_SHA256;
  self->hash_len = gnutls_hash_get_len (self->digest);
  self->user = scram_escape (user);
  self->password = g_strdup (password);
  if (client_nonce != NULL)
    self->client_nonce = g_strdup (client_nonce);
  else
    {
      guint8 bytes[NONCE_BYTES];

      gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes);
      self->client_nonce = g_base64_encode (bytes, sizeof bytes);
    }
  return self;
}

void
ep_sasl_scram_free (EpSaslScram *self)
{
  if (self == NULL)
    return;
  g_free (self->user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->client_nonce);
  g_free (self->client_first_bare);
  g_free (self->auth_message);
  memset (self->server_key, 0, sizeof self->server_key);
  g_free (self);
}

char *
ep_sasl_scram_client_first (EpSaslScram *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_free (self->client_first_bare);
  self->client_first_bare = g_strdup_printf ("n=%s,r=%s", self->user, self->client_nonce);
  return g_strconcat ("n,,", self->client_first_bare, NULL);
}

/* The value of “key=” in a SCRAM attribute list, or NULL. */
static char *
scram_attribute (const char *message,
                 char        key)
{
  g_auto(GStrv) parts = g_strsplit (message, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == key && parts[i][1] == '=')
        return g_strdup (parts[i] + 2);
    }
  return NULL;
}

static gboolean
server_error (GError     **error,
              const char  *what)
{
  g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER,
               _("The server's SCRAM sign-in message is invalid: %s"), what);
  return FALSE;
}

static void
hmac (EpSaslScram  *self,
      const void   *key,
      gsize         key_len,
      const char   *text,
      guint8       *out)
{
  gnutls_hmac_fast (self->mac, key, key_len, text, strlen (text), out);
}

char *
ep_sasl_scram_client_final (EpSaslScram  *self,
                            const char   *server_first,
                            GError      **error)
{
  g_autofree char *nonce = scram_attribute (server_first, 'r');
  g_autofree char *salt_b64 = scram_attribute (server_first, 's');
  g_autofree char *iter_text = scram_attribute (server_first, 'i');
  g_autofree guchar *salt = NULL;
  g_autofree char *without_proof = NULL;
  g_autofree char *proof_b64 = NULL;
  guint8 salted[64], client_key[64], stored_key[64], signature[64], proof[64];
  gnutls_datum_t key_datum, salt_datum;
  guint64 iterations = 0;
  gsize salt_len = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (server_first != NULL, NULL);
  g_return_val_if_fail (self->client_first_bare != NULL, NULL);

  if (nonce == NULL || salt_b64 == NULL || iter_text == NULL)
    {
      server_error (error, _("a nonce, salt or iteration count is missing"));
      return NULL;
    }
  if (!g_str_has_prefix (nonce, self->client_nonce) || strlen (nonce) == strlen (self->client_nonce))
    {
      server_error (error, _("the nonce does not extend ours"));
      return NULL;
    }
  if (!g_ascii_string_to_unsigned (iter_text, 10, 1, 10000000, &iterations, NULL))
    {
      server_error (error, _("the iteration count is out of range"));
      return NULL;
    }
  salt = g_base64_decode (salt_b64, &salt_len);
  if (salt_len == 0)
    {
      server_error (error, _("the salt is empty"));
      return NULL;
    }

  key_datum.data = (unsigned char *) self->password;
  key_datum.size = strlen (self->password);
  salt_datum.data = salt;
  salt_datum.size = salt_len;
  if (gnutls_pbkdf2 (self->mac, &key_datum, &salt_datum, iterations, salted, self->hash_len) < 0)
    {
      server_error (error, _("the key could not be derived"));
      return NULL;
    }

  without_proof = g_strdup_printf ("c=biws,r=%s", nonce);
  g_free (self->auth_message);
  self->auth_message = g_strdup_printf ("%s,%s,%s", self->client_first_bare, server_first,
                                        without_proof);

  hmac (self, salted, self->hash_len, "Client Key", client_key);
  gnutls_hash_fast (self->digest, client_key, self->hash_len, stored_key);
  hmac (self, stored_key, self->hash_len, self->auth_message, signature);
  for (gsize i = 0; i < self->hash_len; i++)
    proof[i] = client_key[i] ^ signature[i];
  hmac (self, salted, self->hash_len, "Server Key", self->server_key);

  proof_b64 = g_base64_encode (proof, self->hash_len);
  memset (salted, 0, sizeof salted);
  memset (client_key, 0, sizeof client_key);
  return g_strdup_printf ("%s,p=%s", without_proof, proof_b64);
}

/* Checks the server's proof that it knows the password too (“v=”). */
gboolean
ep_sasl_scram_verify_server (EpSaslScram  *self,
                             const char   *server_final,
                             GError      **error)
{
  g_autofree char *verifier = scram_attribute (server_final, 'v');
  g_autofree char *failure = scram_attribute (server_final, 'e');
  g_autofree char *expected_b64 = NULL;
  guint8 expected[64];

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->auth_message != NULL, FALSE);

  if (failure != NULL)
    return server_error (error, failure);
  if (verifier == NULL)
    return server_error (error, _("the server's proof is missing"));

  hmac (self, self->server_key, self->hash_len, self->auth_message, expected);
  expected_b64 = g_base64_encode (expected, self->hash_len);
  if (!g_str_equal (expected_b64, verifier))
    return server_error (error, _("the server's proof is wrong; it may not be the server you meant"));
  return TRUE;
}
