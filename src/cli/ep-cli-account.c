/* ep-cli-account.c — `--account ADDR`: a saved account's settings and keyring secret for a verb
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window saves accounts in GSettings and their secrets in the keyring;
 * `epistle send --account ADDR` and `epistle inbox --account ADDR` use them.
 * An option given explicitly wins over the account's value, and the secret
 * comes from EPISTLE_PASSWORD or --password-file when given, else from the
 * keyring, else it is asked on the terminal.
 */
#include "ep-cli.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ep-account-store.h"
#include "ep-cli-exit.h"
#include "ep-secret-store.h"

static void
fill (char       **field,
      const char  *value)
{
  if (field != NULL && *field == NULL && value != NULL && *value != '\0')
    *field = g_strdup (value);
}

/* HOST:PORT, with brackets around an IPv6 address. */
static char *
server_text (const char *host,
             guint16     port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

/* The display name as --from-name takes it: no quotes or backslashes. */
static char *
plain_name (const char *name)
{
  GString *clean = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    if (*p != '"' && *p != '\\')
      g_string_append_c (clean, *p);
  return g_strstrip (g_string_free (clean, FALSE));
}

/**
 * ep_cli_account_fill:
 * @address: the saved account's address
 * @imap: fill the IMAP server (`inbox`) rather than the SMTP one (`send`)
 * @fields: the verb's options; only those still unset are filled
 *
 * Returns: %FALSE with a usage error naming the saved accounts when none
 *   has @address
 */
gboolean
ep_cli_account_fill (const char               *address,
                     gboolean                  imap,
                     const EpCliAccountFields *fields,
                     GError                  **error)
{
  g_autoptr(EpAccountStore) store = NULL;
  g_autoptr(EpAccount) account = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *server = NULL;
  g_autofree char *name = NULL;
  EpSecurity security;

  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  store = ep_account_store_new (&local);
  if (store != NULL)
    {
      g_autofree char *old_file = ep_account_default_path ();

      /* The window issue's account file, if the window has not taken it over yet. */
      if (!ep_account_store_migrate (store, old_file, NULL, &local))
        {
          g_printerr ("epistle: %s\n", local->message);
          g_clear_error (&local);
        }
      account = ep_account_store_lookup (store, address, &local);
    }
  if (account == NULL)
    return ep_cli_usage_error (error, local->message);

  if (imap && ep_account_get_imap_host (account) == NULL && *fields->server == NULL)
    {
      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_USAGE,
                   _("The account “%s” has no IMAP server; pass --server"), address);
      return FALSE;
    }
  if (imap)
    {
      server = ep_account_get_imap_host (account)
                 ? server_text (ep_account_get_imap_host (account), ep_account_get_imap_port (account))
                 : NULL;
      security = ep_account_get_imap_security (account);
    }
  else
    {
      server = server_text (ep_account_get_smtp_host (account), ep_account_get_smtp_port (account));
      security = ep_account_get_smtp_security (account);
    }
  /* An explicit --server keeps its own --security (or the verb's default). */
  if (*fields->server == NULL)
    fill (fields->security, ep_security_to_string (security));
  fill (fields->server, server);
  fill (fields->user, ep_account_get_user_name (account));
  fill (fields->ca_file, ep_account_get_ca_file (account));
  fill (fields->pin, ep_account_get_pin (account));
  /* The account's name goes with its address only, not with another --from. */
  if (fields->from != NULL && *fields->from == NULL)
    {
      fill (fields->from, ep_account_get_address (account));
      name = plain_name (ep_account_get_display_name (account));
      fill (fields->from_name, name);
    }
  if (fields->allow_plaintext_auth != NULL && ep_account_get_allow_plaintext_auth (account))
    *fields->allow_plaintext_auth = TRUE;
  return TRUE;
}

/**
 * ep_cli_account_read_secret:
 *
 * EPISTLE_PASSWORD or --password-file when given; else the keyring's
 * secret for @address; else asked on the terminal (ep_cli_read_secret ()).
 */
char *
ep_cli_account_read_secret (const char  *address,
                            const char  *user,
                            const char  *host,
                            const char  *password_file,
                            GError     **error)
{
  g_autoptr(EpSecretStore) secrets = NULL;
  g_autoptr(GError) local = NULL;
  char *secret;

  if (g_getenv ("EPISTLE_PASSWORD") != NULL || password_file != NULL)
    return ep_cli_read_secret (user, host, password_file, error);

  secrets = ep_secret_store_new ();
  secret = ep_secret_store_lookup (secrets, address, NULL, &local);
  if (secret != NULL)
    return secret;
  if (local != NULL)
    g_printerr (_("epistle: the password cannot come from the keyring: %s\n"), local->message);
  return ep_cli_read_secret (user, host, password_file, error);
}
