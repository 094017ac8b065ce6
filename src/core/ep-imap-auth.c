/* ep-imap-auth.c — EpImapClient sign-in: LOGIN and AUTHENTICATE (PLAIN, LOGIN, XOAUTH2, SCRAM)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SASL mechanisms are ep-sasl's pure functions; this file carries
 * their messages as base64 lines after “+” continuations (RFC 3501 §6.2.2),
 * with the first one on the AUTHENTICATE line when the server offers
 * SASL-IR (RFC 4959). Responses are logged as redacted.
 */
#include "ep-imap.h"
#include "ep-imap-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-server-text.h"

typedef struct
{
  EpSaslMechanism mechanism;
  const char *user;
  const char *secret;
  EpSaslScram *scram;
  char *initial;            /* base64, or NULL for a mechanism with none */
  gboolean sent_initial;
  gboolean sent_final;
  guint step;
} Sasl;

static void
sasl_clear (Sasl *sasl)
{
  g_clear_pointer (&sasl->scram, ep_sasl_scram_free);
  if (sasl->initial != NULL)
    memset (sasl->initial, 0, strlen (sasl->initial));
  g_clear_pointer (&sasl->initial, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sasl, sasl_clear)

static char *
encode (const char *text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

static char *
decode (const char *text)
{
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode (text, &len);

  return g_strndup ((const char *) raw, len);
}

/* The next base64 line for the server's @challenge (decoded). */
static char *
sasl_respond (Sasl        *sasl,
              const char  *challenge,
              GError     **error)
{
  if (!sasl->sent_initial && sasl->initial != NULL)
    {
      sasl->sent_initial = TRUE;
      return g_strdup (sasl->initial);
    }
  switch (sasl->mechanism)
    {
    case EP_SASL_LOGIN:
      sasl->step++;
      if (sasl->step == 1)
        return encode (sasl->user);
      if (sasl->step == 2)
        return encode (sasl->secret);
      break;
    case EP_SASL_SCRAM_SHA_1:
    case EP_SASL_SCRAM_SHA_256:
      if (!sasl->sent_final)
        {
          g_autofree char *final = ep_sasl_scram_client_final (sasl->scram, challenge, error);

          sasl->sent_final = TRUE;
          return final != NULL ? encode (final) : NULL;
        }
      if (!ep_sasl_scram_verify_server (sasl->scram, challenge, error))
        return NULL;
      return g_strdup ("");
    case EP_SASL_XOAUTH2:
      /* The server's JSON error: an empty line ends the exchange with NO. */
      return g_strdup ("");
    default:
      break;
    }
  g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_SERVER,
               _("The server asked for more than the sign-in method provides"));
  return NULL;
}

static EpImapResponse *
run_sasl (EpImapClient     *self,
          Sasl             *sasl,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(EpImapCommand) command = NULL;
  const char *name = ep_sasl_mechanism_to_string (sasl->mechanism);
  g_autofree char *verb = g_strdup_printf ("AUTHENTICATE %s", name);

  switch (sasl->mechanism)
    {
    case EP_SASL_PLAIN:
      sasl->initial = ep_sasl_plain (sasl->user, sasl->secret);
      break;
    case EP_SASL_XOAUTH2:
      sasl->initial = ep_sasl_xoauth2 (sasl->user, sasl->secret);
      break;
    case EP_SASL_SCRAM_SHA_1:
    case EP_SASL_SCRAM_SHA_256:
      {
        g_autofree char *first = NULL;

        sasl->scram = ep_sasl_scram_new (sasl->mechanism, sasl->user, sasl->secret, NULL);
        first = ep_sasl_scram_client_first (sasl->scram);
        sasl->initial = encode (first);
      }
      break;
    default:
      break;
    }

  command = ep_imap_command_new (self, verb);
  if (sasl->initial != NULL && ep_imap_client_has_capability (self, "SASL-IR"))
    {
      /* The transcript keeps “AUTHENTICATE MECH” and redacts the rest. */
      ep_imap_command_add_text (command, " ");
      ep_imap_command_add_text (command, sasl->initial[0] != '\0' ? sasl->initial : "=");
      sasl->sent_initial = TRUE;
    }
  if (!ep_imap_client_send (self, command, cancellable, error))
    return NULL;

  for (;;)
    {
      g_autoptr(EpImapResponse) response = NULL;
      g_autofree char *challenge = NULL;
      g_autofree char *answer = NULL;
      g_autoptr(GError) local = NULL;

      response = ep_imap_client_wait_tagged (self, ep_imap_command_get_tag (command), NULL, NULL, TRUE,
                                             cancellable, error);
      if (response == NULL || response->kind == EP_IMAP_RESPONSE_TAGGED)
        return g_steal_pointer (&response);
      challenge = decode (response->text);
      answer = sasl_respond (sasl, challenge, &local);
      if (answer == NULL)
        {
          /* RFC 3501 §6.2.2: “*” abandons the exchange; the server answers BAD. */
          g_autoptr(EpImapResponse) ignored = NULL;

          if (ep_imap_client_send_line (self, "*", FALSE, cancellable, NULL))
            ignored = ep_imap_client_wait_tagged (self, ep_imap_command_get_tag (command), NULL, NULL,
                                                  FALSE, cancellable, NULL);
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (!ep_imap_client_send_line (self, answer, TRUE, cancellable, error))
        return NULL;
    }
}

static EpImapResponse *
run_login (EpImapClient  *self,
           const char    *user,
           const char    *secret,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(EpImapCommand) command = ep_imap_command_new (self, "LOGIN");

  ep_imap_command_add_string (command, user);
  ep_imap_command_add_string (command, secret);
  if (!ep_imap_client_send (self, command, cancellable, error))
    return NULL;
  return ep_imap_client_wait_tagged (self, ep_imap_command_get_tag (command), NULL, NULL, FALSE,
                                     cancellable, error);
}

static char *
offered_mechanisms (EpImapClient *self)
{
  GString *offered = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->capabilities);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_str_has_prefix (key, "AUTH="))
        g_string_append_printf (offered, "%s%s", offered->len ? " " : "", (const char *) key + 5);
    }
  return g_string_free (offered, FALSE);
}

static gboolean
check_encryption (EpImapClient  *self,
                  GError       **error)
{
  const char *host = ep_transport_get_host (self->transport);

  if (ep_transport_is_encrypted (self->transport))
    return TRUE;
  if (self->security != EP_SECURITY_NONE)
    {
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_INSECURE,
                   _("Epistle will not send a password over an unencrypted connection"));
      return FALSE;
    }
  if (!self->allow_plaintext_auth)
    {
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_INSECURE,
                   /* Translators: %s is the server's host name */
                   _("The connection to %s is not encrypted, so signing in would send the "
                     "password in clear text for anyone on the network to read; Epistle does "
                     "that only when clear-text sign-in is allowed explicitly"), host);
      return FALSE;
    }
  return TRUE;
}

/* Chooses SASL (the strongest offered, or @forced) or the LOGIN command (EP_SASL_NONE). */
static gboolean
choose (EpImapClient     *self,
        EpSaslMechanism   forced,
        EpSaslMechanism  *mechanism,
        GError          **error)
{
  g_autofree char *offered = offered_mechanisms (self);
  g_autoptr(GError) local = NULL;
  gboolean login_ok = !ep_imap_client_has_capability (self, "LOGINDISABLED");

  *mechanism = ep_sasl_choose (offered, forced, &local);
  if (*mechanism != EP_SASL_NONE)
    return TRUE;
  if ((forced == EP_SASL_NONE || forced == EP_SASL_LOGIN) && login_ok)
    return TRUE;
  g_set_error_literal (error, EP_IMAP_ERROR, EP_IMAP_ERROR_AUTH, local->message);
  return FALSE;
}

/**
 * ep_imap_client_login:
 * @secret: the password, authorization code or (XOAUTH2) access token
 * @forced: a mechanism to insist on, or %EP_SASL_NONE for the strongest offered
 *
 * AUTHENTICATE with the strongest mechanism both sides know, else LOGIN.
 * Never sends credentials over a connection that is not encrypted unless
 * it was opened with %EP_SECURITY_NONE and clear-text sign-in was allowed.
 */
gboolean
ep_imap_client_login (EpImapClient     *self,
                      const char       *user,
                      const char       *secret,
                      EpSaslMechanism   forced,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_autoptr(EpImapResponse) tagged = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(Sasl) sasl = { 0 };
  EpSaslMechanism mechanism;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (user != NULL && secret != NULL, FALSE);

  if (self->authenticated)
    return TRUE;
  if (!check_encryption (self, error) || !choose (self, forced, &mechanism, error))
    return FALSE;

  sasl.mechanism = mechanism;
  sasl.user = user;
  sasl.secret = secret;
  tagged = mechanism == EP_SASL_NONE ? run_login (self, user, secret, cancellable, &local)
                                     : run_sasl (self, &sasl, cancellable, &local);
  if (tagged == NULL)
    {
      if (local->domain == EP_SASL_ERROR)
        g_set_error_literal (error, EP_IMAP_ERROR, EP_IMAP_ERROR_AUTH, local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (tagged->status != EP_IMAP_STATUS_OK)
    {
      g_autofree char *said = ep_imap_response_dup_text (tagged);

      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_AUTH,
                   /* Translators: %1 is the user name, %2 the server, %3 the server's words */
                   _("%s could not sign in to %s (the server said: %s). Check the user name and the password "
                     "(some providers want an authorization code for IMAP, not the web password)."),
                   user, ep_transport_get_host (self->transport), said);
      return FALSE;
    }
  if (sasl.scram != NULL && !ep_sasl_scram_is_verified (sasl.scram))
    {
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_AUTH,
                   _("The server could not prove it knows the password (it accepted the "
                     "sign-in without its SCRAM signature); it may not be the server you meant"));
      return FALSE;
    }
  self->authenticated = TRUE;
  /* Capabilities change with sign-in; a server may have said them in its OK already. */
  if (ep_imap_value_is_atom (ep_imap_value_get_item (tagged->code, 0), "CAPABILITY"))
    return TRUE;
  return ep_imap_client_capability (self, cancellable, error);
}
