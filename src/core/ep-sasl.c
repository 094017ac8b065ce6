/* ep-sasl.c — SASL mechanisms as pure functions: PLAIN, LOGIN, XOAUTH2, SCRAM
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No I/O here: the protocol clients pass challenges in and send what comes
 * out. Messages are raw (not base64); the caller encodes them for the wire.
 * SCRAM follows RFC 5802 and RFC 7677 without channel binding (“n,,”), and
 * mutual: a sign-in only counts once the server has proved, with its “v=”
 * signature, that it knows the password too.
 *
 * SASLprep (RFC 4013) comes from GNU SASL, which does it through libidn's
 * stringprep tables: mapping, NFKC of Unicode 3.2 as stringprep requires,
 * the prohibited-output tables and the bidi rules. GLib could normalize, but
 * not check bidi classes; the rest of SCRAM stays here, since it is a few
 * HMACs over GnuTLS that fit our own transport, transcript and errors.
 */
#include "ep-sasl.h"
#include "ep-server-text.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gsasl.h>

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
  gboolean verified;
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

/**
 * ep_sasl_saslprep:
 * @text: a user name or password, UTF-8
 *
 * Prepares @text as RFC 4013 says: non-ASCII spaces become spaces, soft
 * hyphens and the like vanish, the result is NFKC, and control characters,
 * private-use characters and mixed-direction text are refused. Unassigned
 * code points pass (a “query” in RFC 3454's terms), so that a password
 * with characters newer than Unicode 3.2 still works where the server
 * compares what it stored as typed.
 *
 * Returns: (transfer full): the prepared text, or %NULL with @error set
 */
char *
ep_sasl_saslprep (const char  *text,
                  GError     **error)
{
  char *prepared = NULL;
  char *copy;
  int stringprep_rc = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_PREPARE,
                   _("A user name or password is not valid UTF-8 text"));
      return NULL;
    }
  if (gsasl_saslprep (text, GSASL_ALLOW_UNASSIGNED, &prepared, &stringprep_rc) != GSASL_OK)
    {
      g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_PREPARE,
                   _("A user name or password holds a character that sign-in text may not "
                     "contain (a control or private-use character, or mixed writing "
                     "directions; RFC 4013)"));
      return NULL;
    }
  copy = g_strdup (prepared);
  memset (prepared, 0, strlen (prepared));
  gsasl_free (prepared);
  return copy;
}

/* SASLprep, or the text as typed when SASLprep refuses it: a strict server
 * could never have stored such a password, and a lax one (Dovecot prepares
 * nothing) compares it as typed. libpq does the same. */
static char *
prepare_or_keep (const char *text)
{
  char *prepared = ep_sasl_saslprep (text, NULL);

  return prepared != NULL ? prepared : g_strdup (text);
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
  g_autofree char *prepared_user = NULL;
  EpSaslScram *self;

  g_return_val_if_fail (mechanism == EP_SASL_SCRAM_SHA_1 || mechanism == EP_SASL_SCRAM_SHA_256, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_new0 (EpSaslScram, 1);
  self->mac = mechanism == EP_SASL_SCRAM_SHA_1 ? GNUTLS_MAC_SHA1 : GNUTLS_MAC_SHA256;
  self->digest = mechanism == EP_SASL_SCRAM_SHA_1 ? GNUTLS_DIG_SHA1 : GNUTLS_DIG_SHA256;
  self->hash_len = gnutls_hash_get_len (self->digest);
  prepared_user = prepare_or_keep (user);
  self->user = scram_escape (prepared_user);
  self->password = prepare_or_keep (password);
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

static gboolean
unproven (GError     **error,
          const char  *why)
{
  g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_UNPROVEN,
               /* Translators: %s says what was wrong with the server's SCRAM signature */
               _("The server could not prove it knows the password (%s); it may not be the "
                 "server you meant, so Epistle stopped before sending the message"), why);
  return FALSE;
}

/* Reads the iteration count, refusing counts outside the bounds in ep-sasl.h. */
static gboolean
scram_iterations (const char  *text,
                  guint64     *iterations,
                  GError     **error)
{
  g_autoptr(GError) parse_error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, iterations, &parse_error))
    {
      if (!g_error_matches (parse_error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        return server_error (error, _("the iteration count is not a number"));
      *iterations = G_MAXUINT;
    }
  if (*iterations < EP_SASL_SCRAM_MIN_ITERATIONS || *iterations > EP_SASL_SCRAM_MAX_ITERATIONS)
    {
      g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER,
                   _("The server asks for %u rounds of SCRAM password hashing; Epistle accepts "
                     "%u to %u, so that a server can neither stall the sign-in nor make the "
                     "password easy to guess from what it sees"),
                   (guint) *iterations, (guint) EP_SASL_SCRAM_MIN_ITERATIONS,
                   (guint) EP_SASL_SCRAM_MAX_ITERATIONS);
      return FALSE;
    }
  return TRUE;
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

  if (g_str_has_prefix (server_first, "m="))
    {
      server_error (error, _("it requires an extension Epistle does not know"));
      return NULL;
    }
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
  if (!scram_iterations (iter_text, &iterations, error))
    return NULL;
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
  self->verified = FALSE;
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

/* Compares without stopping at the first difference, so timing tells nothing. */
static gboolean
equal_in_constant_time (const char *a,
                        const char *b)
{
  gsize len = strlen (a);
  guint8 diff = 0;

  if (strlen (b) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

/**
 * ep_sasl_scram_verify_server:
 * @server_final: the decoded server-final message (“v=…” or “e=…”)
 *
 * Checks the server's proof that it knows the password too. Until this
 * returns %TRUE the server is not authenticated, whatever it says next.
 */
gboolean
ep_sasl_scram_verify_server (EpSaslScram  *self,
                             const char   *server_final,
                             GError      **error)
{
  g_autofree char *verifier = NULL;
  g_autofree char *failure = NULL;
  g_autofree char *expected_b64 = NULL;
  guint8 expected[64];

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (server_final != NULL, FALSE);
  g_return_val_if_fail (self->auth_message != NULL, FALSE);

  self->verified = FALSE;
  /* server-final = (server-error / verifier) ["," extensions]: the first attribute decides. */
  if (g_str_has_prefix (server_final, "e="))
    {
      /* The server's words, shown to a person: UTF-8, controls escaped. */
      failure = ep_server_text_to_display (server_final + 2, strcspn (server_final + 2, ","));
      g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER,
                   /* Translators: %s is the server's SCRAM error, such as “invalid-proof” */
                   _("The server refused the sign-in (SCRAM error “%s”)"), failure);
      return FALSE;
    }
  if (!g_str_has_prefix (server_final, "v="))
    return unproven (error, _("its signature is missing"));
  verifier = g_strndup (server_final + 2, strcspn (server_final + 2, ","));

  hmac (self, self->server_key, self->hash_len, self->auth_message, expected);
  expected_b64 = g_base64_encode (expected, self->hash_len);
  memset (expected, 0, sizeof expected);
  if (!equal_in_constant_time (expected_b64, verifier))
    return unproven (error, _("its signature is wrong"));
  self->verified = TRUE;
  return TRUE;
}

/* Whether ep_sasl_scram_verify_server () accepted the server's signature. */
gboolean
ep_sasl_scram_is_verified (EpSaslScram *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->verified;
}
