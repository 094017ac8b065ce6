/* ep-smtp-auth.c — EpSmtpClient's sign-in: SASL dialogues over SMTP AUTH (RFC 4954)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mechanisms themselves are pure functions in ep-sasl.c; this file
 * carries their messages as base64 lines and decides what the server's
 * answer means. Client lines after the AUTH command are logged redacted.
 */
#include "ep-smtp.h"
#include "ep-smtp-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-smtp-hint.h"
#include "ep-transport.h"

/* Sends one base64 line of a SASL exchange and reads the reply. */
static EpSmtpReply *
sasl_step (EpSmtpClient  *self,
           const char    *line,
           GCancellable  *cancellable,
           GError       **error)
{
  EpSmtpReply *reply;

  ep_transport_set_secret (self->transport, TRUE);
  reply = ep_smtp_client_command (self, line, self->timeouts.command, cancellable, error);
  ep_transport_set_secret (self->transport, FALSE);
  return reply;
}

/* The decoded text of a 334 challenge. */
static char *
challenge_text (const EpSmtpReply *reply)
{
  gsize len = 0;
  guchar *raw = g_base64_decode (ep_smtp_reply_get_line (reply, 0), &len);
  char *text = g_strndup ((const char *) raw, len);

  g_free (raw);
  return text;
}

/* Gives up a SASL exchange half-way (RFC 4954 §4: a lone “*”). */
static void
cancel_exchange (EpSmtpClient *self,
                 GCancellable *cancellable)
{
  EpSmtpReply *reply = ep_smtp_client_command (self, "*", self->timeouts.command, cancellable, NULL);

  /* Whatever the server answers (or if it is gone), the exchange is over. */
  g_clear_pointer (&reply, ep_smtp_reply_free);
}

/*
 * RFC 5802 over RFC 4954: client-first with AUTH, server-first in a 334,
 * client-final, then the server-final (its signature) in a second 334 that
 * the client answers with an empty line before the 235. A 235 straight
 * after client-final skips the server's proof: that is a failure, since
 * anyone can say 235 without knowing the password.
 */
static EpSmtpReply *
run_scram (EpSmtpClient     *self,
           EpSaslMechanism   mechanism,
           const char       *user,
           const char       *secret,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(EpSaslScram) scram = ep_sasl_scram_new (mechanism, user, secret, NULL);
  g_autofree char *first = ep_sasl_scram_client_first (scram);
  g_autofree char *first_b64 = g_base64_encode ((const guchar *) first, strlen (first));
  g_autofree char *line = g_strdup_printf ("AUTH %s %s", ep_sasl_mechanism_to_string (mechanism),
                                           first_b64);
  g_autofree char *server_first = NULL;
  g_autofree char *final = NULL;
  g_autofree char *final_b64 = NULL;
  g_autofree char *server_final = NULL;
  g_autoptr(EpSmtpReply) reply = ep_smtp_client_command (self, line, self->timeouts.command, cancellable, error);

  if (reply == NULL || ep_smtp_reply_get_code (reply) != 334)
    return g_steal_pointer (&reply);

  server_first = challenge_text (reply);
  g_clear_pointer (&reply, ep_smtp_reply_free);
  final = ep_sasl_scram_client_final (scram, server_first, error);
  if (final == NULL)
    {
      cancel_exchange (self, cancellable);
      return NULL;
    }
  final_b64 = g_base64_encode ((const guchar *) final, strlen (final));
  reply = sasl_step (self, final_b64, cancellable, error);
  if (reply == NULL)
    return NULL;
  if (ep_smtp_reply_get_code (reply) == 235)
    {
      g_set_error (error, EP_SASL_ERROR, EP_SASL_ERROR_UNPROVEN,
                   _("The server could not prove it knows the password (it accepted the "
                     "sign-in without its SCRAM signature); it may not be the server you "
                     "meant, so Epistle stopped before sending the message"));
      return NULL;
    }
  if (ep_smtp_reply_get_code (reply) != 334)
    return g_steal_pointer (&reply);

  server_final = challenge_text (reply);
  g_clear_pointer (&reply, ep_smtp_reply_free);
  if (!ep_sasl_scram_verify_server (scram, server_final, error))
    {
      cancel_exchange (self, cancellable);
      return NULL;
    }
  g_assert (ep_sasl_scram_is_verified (scram));
  return sasl_step (self, "", cancellable, error);
}

static EpSmtpReply *
run_sasl (EpSmtpClient     *self,
          EpSaslMechanism   mechanism,
          const char       *user,
          const char       *secret,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autofree char *payload = NULL;
  g_autofree char *line = NULL;
  g_autoptr(EpSmtpReply) reply = NULL;

  switch (mechanism)
    {
    case EP_SASL_SCRAM_SHA_256:
    case EP_SASL_SCRAM_SHA_1:
      return run_scram (self, mechanism, user, secret, cancellable, error);

    case EP_SASL_PLAIN:
    case EP_SASL_XOAUTH2:
      payload = mechanism == EP_SASL_PLAIN ? ep_sasl_plain (user, secret)
                                           : ep_sasl_xoauth2 (user, secret);
      line = g_strdup_printf ("AUTH %s %s", ep_sasl_mechanism_to_string (mechanism), payload);
      reply = ep_smtp_client_command (self, line, self->timeouts.command, cancellable, error);
      /* XOAUTH2 failures come as a 334 with a JSON error, answered by an empty line. */
      if (reply != NULL && ep_smtp_reply_get_code (reply) == 334)
        {
          g_clear_pointer (&reply, ep_smtp_reply_free);
          reply = sasl_step (self, mechanism == EP_SASL_PLAIN ? payload : "", cancellable, error);
        }
      return g_steal_pointer (&reply);

    case EP_SASL_LOGIN:
      reply = ep_smtp_client_command (self, "AUTH LOGIN", self->timeouts.command, cancellable, error);
      if (reply == NULL || ep_smtp_reply_get_code (reply) != 334)
        return g_steal_pointer (&reply);
      g_clear_pointer (&reply, ep_smtp_reply_free);
      payload = g_base64_encode ((const guchar *) user, strlen (user));
      reply = sasl_step (self, payload, cancellable, error);
      if (reply == NULL || ep_smtp_reply_get_code (reply) != 334)
        return g_steal_pointer (&reply);
      g_clear_pointer (&reply, ep_smtp_reply_free);
      g_free (payload);
      payload = g_base64_encode ((const guchar *) secret, strlen (secret));
      return sasl_step (self, payload, cancellable, error);

    case EP_SASL_NONE:
    default:
      g_assert_not_reached ();
    }
}

/**
 * ep_smtp_client_set_allow_plaintext_auth:
 * @allow: whether credentials may cross a connection opened with
 *   %EP_SECURITY_NONE (some local relays need it); %FALSE by default
 *
 * Without it, ep_smtp_client_authenticate () on such a connection fails
 * before anything of the sign-in is sent.
 */
void
ep_smtp_client_set_allow_plaintext_auth (EpSmtpClient *self,
                                         gboolean      allow)
{
  g_return_if_fail (EP_IS_SMTP_CLIENT (self));
  self->allow_plaintext_auth = allow;
}

/**
 * ep_smtp_client_authenticate:
 * @secret: the password, authorization code or (XOAUTH2) access token
 * @forced: a mechanism to insist on, or %EP_SASL_NONE for the strongest offered
 *
 * Never sends credentials over a connection that is not encrypted, unless
 * the connection was opened with %EP_SECURITY_NONE and clear-text sign-in
 * was allowed with ep_smtp_client_set_allow_plaintext_auth ().
 */
gboolean
ep_smtp_client_authenticate (EpSmtpClient     *self,
                             const char       *user,
                             const char       *secret,
                             EpSaslMechanism   forced,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(EpSmtpReply) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *host;
  EpSaslMechanism mechanism;

  g_return_val_if_fail (EP_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (user != NULL && secret != NULL, FALSE);

  host = ep_transport_get_host (self->transport);
  if (!ep_transport_is_encrypted (self->transport) && self->security != EP_SECURITY_NONE)
    {
      g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_INSECURE,
                   _("Epistle will not send a password over an unencrypted connection"));
      return FALSE;
    }
  if (!ep_transport_is_encrypted (self->transport) && !self->allow_plaintext_auth)
    {
      g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_INSECURE,
                   /* Translators: %s is the server's host name */
                   _("The connection to %s is not encrypted, so signing in would send the "
                     "password in clear text for anyone on the network to read; Epistle does "
                     "that only when clear-text sign-in is allowed explicitly"), host);
      return FALSE;
    }
  if (!ep_smtp_client_has_extension (self, "AUTH"))
    {
      g_set_error (error, EP_SMTP_ERROR, EP_SMTP_ERROR_AUTH,
                   _("%s does not offer sign-in (AUTH); check the server and port"), host);
      return FALSE;
    }

  mechanism = ep_sasl_choose (g_hash_table_lookup (self->extensions, "AUTH"), forced, &local_error);
  if (mechanism == EP_SASL_NONE)
    {
      g_set_error_literal (error, EP_SMTP_ERROR, EP_SMTP_ERROR_AUTH, local_error->message);
      return FALSE;
    }

  ep_smtp_client_set_stage (self, EP_SEND_STAGE_AUTHENTICATING);
  reply = run_sasl (self, mechanism, user, secret, cancellable, &local_error);
  if (reply == NULL)
    {
      if (local_error->domain == EP_SASL_ERROR)
        g_set_error_literal (error, EP_SMTP_ERROR, EP_SMTP_ERROR_AUTH, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (ep_smtp_reply_get_code (reply) == 235)
    return TRUE;
  if (ep_smtp_reply_is_transient (reply))
    return ep_smtp_client_refused (reply, _("the sign-in for now"), error);
  if (ep_smtp_reply_get_code (reply) >= 500)
    {
      g_autofree char *said = ep_smtp_reply_to_string (reply);
      g_autofree char *hint = NULL;

      if (mechanism == EP_SASL_XOAUTH2)
        hint = g_strdup_printf (_("The server refused the OAuth2 access token (%s). It may have "
                                  "expired or lack the mail scope: get a new token and try again."),
                                said);
      else
        hint = ep_smtp_hint_auth_failure (host, user, reply);
      g_set_error_literal (error, EP_SMTP_ERROR, EP_SMTP_ERROR_AUTH, hint);
      return FALSE;
    }
  return ep_smtp_client_unexpected (reply, "AUTH", error);
}
