/* ep-account.c — EpAccount: identity, servers, security, pinned fingerprint — never a secret
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account file is a GKeyFile the user may read and edit:
 *
 *   [Account]  Address, DisplayName, UserName, Pin, CaFile, AllowPlaintextAuth, FilesSent
 *   [SMTP]     Host, Port, Security (tls | starttls | none)
 *   [IMAP]     Host, Port, Security
 *
 * There is no key for a password and the type has no field for one: the
 * secret goes straight from the sign-in form to ep_account_create_sender ().
 */
#include "ep-account.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ep-address.h"
#include "ep-provider.h"
#include "ep-tls.h"

#define GROUP_ACCOUNT "Account"
#define GROUP_SMTP "SMTP"
#define GROUP_IMAP "IMAP"

struct _EpAccount
{
  GObject parent_instance;

  /* Owned */
  char *address;
  char *display_name;
  char *user_name;        /* NULL: the address */
  char *smtp_host;
  char *imap_host;        /* NULL: none known */
  char *pin;              /* normalized SHA-256 fingerprint, or NULL */
  char *ca_file;

  guint16 smtp_port;
  guint16 imap_port;
  EpSecurity smtp_security;
  EpSecurity imap_security;
  gboolean allow_plaintext_auth;
  gboolean files_sent;
};

G_DEFINE_QUARK (ep-account-error-quark, ep_account_error)
G_DEFINE_FINAL_TYPE (EpAccount, ep_account, G_TYPE_OBJECT)

static void
ep_account_finalize (GObject *object)
{
  EpAccount *self = EP_ACCOUNT (object);

  g_free (self->address);
  g_free (self->display_name);
  g_free (self->user_name);
  g_free (self->smtp_host);
  g_free (self->imap_host);
  g_free (self->pin);
  g_free (self->ca_file);

  G_OBJECT_CLASS (ep_account_parent_class)->finalize (object);
}

static void
ep_account_class_init (EpAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_account_finalize;
}

static void
ep_account_init (EpAccount *self)
{
  self->display_name = g_strdup ("");
  self->smtp_port = 465;
  self->smtp_security = EP_SECURITY_TLS;
  self->imap_port = 993;
  self->imap_security = EP_SECURITY_TLS;
}

/* Fills the servers from the provider table, or "smtp.<domain>"/"imap.<domain>". */
static void
apply_servers (EpAccount  *self,
               const char *domain)
{
  const EpProvider *provider = ep_provider_lookup (domain);
  g_autofree char *folded = NULL;

  g_clear_pointer (&self->smtp_host, g_free);
  g_clear_pointer (&self->imap_host, g_free);
  if (provider != NULL)
    {
      self->smtp_host = g_strdup (provider->smtp_host);
      self->smtp_port = provider->smtp_port;
      self->smtp_security = provider->smtp_security;
      self->imap_host = g_strdup (provider->imap_host);
      self->imap_port = provider->imap_port;
      self->imap_security = provider->imap_security;
      self->files_sent = provider->files_sent;
      return;
    }

  ep_provider_manual_defaults (domain, &self->smtp_host, &self->smtp_port, &self->smtp_security);
  folded = g_ascii_strdown (domain, -1);
  self->imap_host = g_strconcat ("imap.", folded, NULL);
  self->imap_port = 993;
  self->imap_security = EP_SECURITY_TLS;
  self->files_sent = FALSE;
}

/**
 * ep_account_new_for_address:
 * @address: an e-mail address, optionally with a display name (“张三 <zhang@qq.com>”)
 *
 * A new account with the provider's servers for the address's domain, or
 * the manual defaults (smtp.<domain>, 465, TLS) for an unknown domain.
 *
 * Returns: (transfer full): the account, or %NULL with an #EP_ADDRESS_ERROR
 */
EpAccount *
ep_account_new_for_address (const char  *address,
                            GError     **error)
{
  g_autoptr(EpAddress) parsed = NULL;
  EpAccount *self;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parsed = ep_address_parse (address, error);
  if (parsed == NULL)
    return NULL;

  self = g_object_new (EP_TYPE_ACCOUNT, NULL);
  self->address = g_strdup (ep_address_get_addr_spec (parsed));
  if (ep_address_get_name (parsed) != NULL)
    ep_account_set_display_name (self, ep_address_get_name (parsed));
  apply_servers (self, ep_address_get_domain (parsed));
  return self;
}

/* ~/.config/epistle/account.ini */
char *
ep_account_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "epistle", "account.ini", NULL);
}

static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *group,
         const char  *key,
         const char  *why)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, EP_ACCOUNT_ERROR, EP_ACCOUNT_ERROR_INVALID,
               /* Translators: %1 a key such as “Port”, %2 a group such as “SMTP”, %3 a file,
                * %4 what is wrong (“it must be a port number from 1 to 65535”) */
               _("“%s” in [%s] of “%s” is wrong: %s"), key, group, display, why);
  return FALSE;
}

/* A string key; %NULL (and no error) when absent and not @required. */
static gboolean
read_string (GKeyFile    *file,
             const char  *path,
             const char  *group,
             const char  *key,
             gboolean     required,
             char       **out,
             GError     **error)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  if (value != NULL)
    g_strstrip (value);
  if (value == NULL || *value == '\0')
    {
      if (required)
        {
          g_autofree char *display = g_filename_display_name (path);
          g_set_error (error, EP_ACCOUNT_ERROR, EP_ACCOUNT_ERROR_MISSING,
                       /* Translators: %1 a key such as “Address”, %2 a group, %3 a file */
                       _("“%s” in [%s] of “%s” is missing or empty"), key, group, display);
          return FALSE;
        }
      *out = NULL;
      return TRUE;
    }
  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
read_bool (GKeyFile    *file,
           const char  *path,
           const char  *group,
           const char  *key,
           gboolean    *out,
           GError     **error)
{
  g_autoptr(GError) local = NULL;
  gboolean value;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  value = g_key_file_get_boolean (file, group, key, &local);
  if (local != NULL)
    return invalid (error, path, group, key, _("it must be “true” or “false”"));
  *out = value;
  return TRUE;
}

/* [SMTP] or [IMAP]: Host, Port, Security. */
static gboolean
read_server (GKeyFile    *file,
             const char  *path,
             const char  *group,
             gboolean     required,
             char       **host,
             guint16     *port,
             EpSecurity  *security,
             guint16    (*default_port) (EpSecurity),
             GError     **error)
{
  g_autofree char *port_text = NULL;
  g_autofree char *security_text = NULL;
  guint64 number;

  if (!read_string (file, path, group, "Host", required, host, error) ||
      !read_string (file, path, group, "Security", FALSE, &security_text, error) ||
      !read_string (file, path, group, "Port", FALSE, &port_text, error))
    return FALSE;

  if (security_text != NULL && !ep_security_from_string (security_text, security))
    return invalid (error, path, group, "Security", _("it must be “tls”, “starttls” or “none”"));
  if (port_text == NULL)
    {
      *port = default_port (*security);
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &number, NULL))
    return invalid (error, path, group, "Port", _("it must be a port number from 1 to 65535"));
  *port = (guint16) number;
  return TRUE;
}

static guint16
default_imap_port (EpSecurity security)
{
  return security == EP_SECURITY_TLS ? 993 : 143;
}

static gboolean
read_account (EpAccount   *self,
              GKeyFile    *file,
              const char  *path,
              GError     **error)
{
  g_autofree char *address = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *pin = NULL;
  g_autoptr(EpAddress) parsed = NULL;

  if (!read_string (file, path, GROUP_ACCOUNT, "Address", TRUE, &address, error))
    return FALSE;
  parsed = ep_address_parse (address, NULL);
  if (parsed == NULL || ep_address_get_name (parsed) != NULL)
    return invalid (error, path, GROUP_ACCOUNT, "Address", _("it must be a bare e-mail address"));
  self->address = g_strdup (ep_address_get_addr_spec (parsed));

  if (!read_string (file, path, GROUP_ACCOUNT, "DisplayName", FALSE, &display_name, error) ||
      !read_string (file, path, GROUP_ACCOUNT, "UserName", FALSE, &self->user_name, error) ||
      !read_string (file, path, GROUP_ACCOUNT, "Pin", FALSE, &pin, error) ||
      !read_string (file, path, GROUP_ACCOUNT, "CaFile", FALSE, &self->ca_file, error) ||
      !read_bool (file, path, GROUP_ACCOUNT, "AllowPlaintextAuth", &self->allow_plaintext_auth,
                  error) ||
      !read_bool (file, path, GROUP_ACCOUNT, "FilesSent", &self->files_sent, error))
    return FALSE;
  if (display_name != NULL)
    ep_account_set_display_name (self, display_name);
  if (pin != NULL && (self->pin = ep_tls_normalize_pin (pin, NULL)) == NULL)
    return invalid (error, path, GROUP_ACCOUNT, "Pin",
                    _("it must be a SHA-256 fingerprint (64 hexadecimal digits)"));
  return TRUE;
}

/**
 * ep_account_load:
 * @path: an account file written by ep_account_save ()
 *
 * Returns: (transfer full): the account, or %NULL with a #G_FILE_ERROR
 *   (%G_FILE_ERROR_NOENT when there is no account yet), a #G_KEY_FILE_ERROR
 *   for a file that is not a key file, or an #EP_ACCOUNT_ERROR naming the bad key
 */
EpAccount *
ep_account_load (const char  *path,
                 GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(EpAccount) self = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local))
    {
      g_autofree char *display = g_filename_display_name (path);

      if (local->domain == G_KEY_FILE_ERROR)
        g_prefix_error (&local, _("“%s” is not an account file: "), display);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  self = g_object_new (EP_TYPE_ACCOUNT, NULL);
  if (!read_account (self, file, path, error) ||
      !read_server (file, path, GROUP_SMTP, TRUE, &self->smtp_host, &self->smtp_port,
                    &self->smtp_security, ep_security_default_smtp_port, error) ||
      !read_server (file, path, GROUP_IMAP, FALSE, &self->imap_host, &self->imap_port,
                    &self->imap_security, default_imap_port, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
set_optional (GKeyFile   *file,
              const char *group,
              const char *key,
              const char *value)
{
  if (value != NULL && *value != '\0')
    g_key_file_set_string (file, group, key, value);
}

static char *
to_data (EpAccount *self,
         gsize     *length)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_key_file_set_string (file, GROUP_ACCOUNT, "Address", self->address);
  set_optional (file, GROUP_ACCOUNT, "DisplayName", self->display_name);
  set_optional (file, GROUP_ACCOUNT, "UserName", self->user_name);
  set_optional (file, GROUP_ACCOUNT, "Pin", self->pin);
  set_optional (file, GROUP_ACCOUNT, "CaFile", self->ca_file);
  g_key_file_set_boolean (file, GROUP_ACCOUNT, "AllowPlaintextAuth", self->allow_plaintext_auth);
  g_key_file_set_boolean (file, GROUP_ACCOUNT, "FilesSent", self->files_sent);

  g_key_file_set_string (file, GROUP_SMTP, "Host", self->smtp_host);
  g_key_file_set_integer (file, GROUP_SMTP, "Port", self->smtp_port);
  g_key_file_set_string (file, GROUP_SMTP, "Security", ep_security_to_string (self->smtp_security));

  if (self->imap_host != NULL)
    {
      g_key_file_set_string (file, GROUP_IMAP, "Host", self->imap_host);
      g_key_file_set_integer (file, GROUP_IMAP, "Port", self->imap_port);
      g_key_file_set_string (file, GROUP_IMAP, "Security",
                             ep_security_to_string (self->imap_security));
    }
  return g_key_file_to_data (file, length, NULL);
}

/**
 * ep_account_save:
 * @path: where to write, usually ep_account_default_path (); missing
 *   folders are created (mode 0700)
 *
 * Writes the account atomically with mode 0600: a crash leaves the old
 * file or the new one, never half of either. No secret is ever written.
 */
gboolean
ep_account_save (EpAccount   *self,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (EP_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->address != NULL && self->smtp_host != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }

  data = to_data (self, &length);
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

const char *
ep_account_get_address (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  return self->address;
}

/**
 * ep_account_set_address:
 * @address: a bare e-mail address
 *
 * Changes the address only; the servers stay as they are.
 */
gboolean
ep_account_set_address (EpAccount   *self,
                        const char  *address,
                        GError     **error)
{
  g_autoptr(EpAddress) parsed = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parsed = ep_address_parse (address, error);
  if (parsed == NULL)
    return FALSE;
  g_free (self->address);
  self->address = g_strdup (ep_address_get_addr_spec (parsed));
  return TRUE;
}

/* The name recipients see, or "" for none. */
const char *
ep_account_get_display_name (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  return self->display_name;
}

/**
 * ep_account_set_display_name:
 * @display_name: (nullable): UTF-8; control characters (line breaks among
 *   them) become spaces, so the name can never inject a header
 */
void
ep_account_set_display_name (EpAccount  *self,
                             const char *display_name)
{
  GString *clean;

  g_return_if_fail (EP_IS_ACCOUNT (self));
  g_return_if_fail (display_name == NULL || g_utf8_validate (display_name, -1, NULL));

  clean = g_string_new (NULL);
  for (const char *p = display_name ? display_name : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (clean, ' ');
      else
        g_string_append_unichar (clean, c);
    }
  g_free (self->display_name);
  self->display_name = g_strstrip (g_string_free (clean, FALSE));
}

/**
 * ep_account_dup_from:
 *
 * Returns: (transfer full): the From address, with the display name, for
 *   ep_message_set_from ()
 */
EpAddress *
ep_account_dup_from (EpAccount *self)
{
  g_autoptr(GString) text = g_string_new ("\"");
  EpAddress *from;

  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);

  if (*self->display_name == '\0')
    return ep_address_parse (self->address, NULL);

  for (const char *p = self->display_name; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (text, '\\');
      g_string_append_c (text, *p);
    }
  g_string_append_printf (text, "\" <%s>", self->address);
  from = ep_address_parse (text->str, NULL);
  return from != NULL ? from : ep_address_parse (self->address, NULL);
}

/* What the server signs in with: the address unless set otherwise. */
const char *
ep_account_get_user_name (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  return self->user_name != NULL ? self->user_name : self->address;
}

/* @user_name: (nullable): %NULL or "" to sign in with the address */
void
ep_account_set_user_name (EpAccount  *self,
                          const char *user_name)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));

  g_free (self->user_name);
  self->user_name = (user_name != NULL && *user_name != '\0') ? g_strdup (user_name) : NULL;
}

const char *
ep_account_get_smtp_host (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  return self->smtp_host;
}

void
ep_account_set_smtp_host (EpAccount  *self,
                          const char *host)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));
  g_return_if_fail (host != NULL);

  g_free (self->smtp_host);
  self->smtp_host = g_strstrip (g_strdup (host));
}

guint16
ep_account_get_smtp_port (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), 0);
  return self->smtp_port;
}

/* @port: 0 for the default port of the SMTP security */
void
ep_account_set_smtp_port (EpAccount *self,
                          guint16    port)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));
  self->smtp_port = port ? port : ep_security_default_smtp_port (self->smtp_security);
}

EpSecurity
ep_account_get_smtp_security (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), EP_SECURITY_TLS);
  return self->smtp_security;
}

void
ep_account_set_smtp_security (EpAccount  *self,
                              EpSecurity  security)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));
  g_return_if_fail (security <= EP_SECURITY_NONE);
  self->smtp_security = security;
}

/* (nullable): %NULL when no IMAP server is known */
const char *
ep_account_get_imap_host (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  return self->imap_host;
}

void
ep_account_set_imap_host (EpAccount  *self,
                          const char *host)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));

  g_free (self->imap_host);
  self->imap_host = (host != NULL && *host != '\0') ? g_strstrip (g_strdup (host)) : NULL;
}

guint16
ep_account_get_imap_port (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), 0);
  return self->imap_port;
}

/* @port: 0 for the default port of the IMAP security */
void
ep_account_set_imap_port (EpAccount *self,
                          guint16    port)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));
  self->imap_port = port ? port : default_imap_port (self->imap_security);
}

EpSecurity
ep_account_get_imap_security (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), EP_SECURITY_TLS);
  return self->imap_security;
}

void
ep_account_set_imap_security (EpAccount  *self,
                              EpSecurity  security)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));
  g_return_if_fail (security <= EP_SECURITY_NONE);
  self->imap_security = security;
}

/* The pinned SHA-256 fingerprint as AB:CD:…, or %NULL. */
const char *
ep_account_get_pin (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  return self->pin;
}

/**
 * ep_account_set_pin:
 * @pin: (nullable): a SHA-256 fingerprint in any form ep_tls_normalize_pin ()
 *   takes (such as the one ep_tls_error_dup_fingerprint () returns), or
 *   %NULL to trust only the system's (and the CA file's) authorities
 *
 * Returns: %FALSE with an #EP_TLS_ERROR_BAD_PIN when @pin is not a fingerprint
 */
gboolean
ep_account_set_pin (EpAccount   *self,
                    const char  *pin,
                    GError     **error)
{
  char *normalized = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (pin != NULL && (normalized = ep_tls_normalize_pin (pin, error)) == NULL)
    return FALSE;
  g_free (self->pin);
  self->pin = normalized;
  return TRUE;
}

const char *
ep_account_get_ca_file (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  return self->ca_file;
}

/* @ca_file: (nullable): a PEM file of extra authorities (the demo's CA) */
void
ep_account_set_ca_file (EpAccount  *self,
                        const char *ca_file)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));

  g_free (self->ca_file);
  self->ca_file = (ca_file != NULL && *ca_file != '\0') ? g_strdup (ca_file) : NULL;
}

gboolean
ep_account_get_allow_plaintext_auth (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), FALSE);
  return self->allow_plaintext_auth;
}

void
ep_account_set_allow_plaintext_auth (EpAccount *self,
                                     gboolean   allow)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));
  self->allow_plaintext_auth = !!allow;
}

/* Whether the provider files sent mail itself, so no APPEND to Sent is needed. */
gboolean
ep_account_get_files_sent (EpAccount *self)
{
  g_return_val_if_fail (EP_IS_ACCOUNT (self), FALSE);
  return self->files_sent;
}

void
ep_account_set_files_sent (EpAccount *self,
                           gboolean   files_sent)
{
  g_return_if_fail (EP_IS_ACCOUNT (self));
  self->files_sent = !!files_sent;
}

/**
 * ep_account_create_sender:
 * @secret: (nullable): the password or authorization code, for this send
 *   only; %NULL to send without signing in
 *
 * Returns: (transfer full): a sender for the account's SMTP server, signing
 *   in as ep_account_get_user_name () and trusting its CA file and pin
 */
EpSender *
ep_account_create_sender (EpAccount  *self,
                          const char *secret)
{
  EpSender *sender;

  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (self->smtp_host != NULL, NULL);

  sender = ep_sender_new (self->smtp_host, self->smtp_port, self->smtp_security);
  if (secret != NULL)
    ep_sender_set_credentials (sender, ep_account_get_user_name (self), secret, EP_SASL_NONE);
  ep_sender_set_trust (sender, self->ca_file, self->pin);
  ep_sender_set_allow_plaintext_auth (sender, self->allow_plaintext_auth);
  return sender;
}

/**
 * ep_account_create_imap_worker:
 * @secret: (nullable): the password or authorization code; %NULL to connect
 *   without signing in
 *
 * Returns: (transfer full) (nullable): a worker for the account's IMAP
 *   server, signing in as ep_account_get_user_name () and trusting the same
 *   CA file and pin as sending; %NULL when the account has no IMAP server
 */
EpImapWorker *
ep_account_create_imap_worker (EpAccount  *self,
                               const char *secret)
{
  EpImapWorker *worker;

  g_return_val_if_fail (EP_IS_ACCOUNT (self), NULL);

  if (self->imap_host == NULL)
    return NULL;
  worker = ep_imap_worker_new (self->imap_host, self->imap_port, self->imap_security);
  if (secret != NULL)
    ep_imap_worker_set_credentials (worker, ep_account_get_user_name (self), secret, EP_SASL_NONE);
  ep_imap_worker_set_trust (worker, self->ca_file, self->pin);
  ep_imap_worker_set_allow_plaintext_auth (worker, self->allow_plaintext_auth);
  return worker;
}
