/* ep-account-store.c — EpAccountStore: the saved accounts, in GSettings
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main schema io.github.epistle.Epistle lists the account identifiers
 * (`accounts`) and names the default one; each account's non-secret settings
 * sit under the relocatable schema io.github.epistle.Epistle.Account at
 * /io/github/epistle/Epistle/accounts/ID/. An identifier is made once from
 * the address ("zhang-qq-com") and never changes. Secrets are not here:
 * they live in the keyring (ep-secret-store.c).
 *
 * The window issue's ~/.config/epistle/account.ini is read once by
 * ep_account_store_migrate () and renamed, never deleted.
 */
#include "ep-account-store.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ep-tls.h"

struct _EpAccountStore
{
  GObject parent_instance;

  /* Owned */
  GSettings *settings;
  GSettingsSchema *account_schema;
};

G_DEFINE_QUARK (ep-account-store-error-quark, ep_account_store_error)
G_DEFINE_FINAL_TYPE (EpAccountStore, ep_account_store, G_TYPE_OBJECT)

static void
ep_account_store_dispose (GObject *object)
{
  EpAccountStore *self = EP_ACCOUNT_STORE (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->account_schema, g_settings_schema_unref);
  G_OBJECT_CLASS (ep_account_store_parent_class)->dispose (object);
}

static void
ep_account_store_class_init (EpAccountStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ep_account_store_dispose;
}

static void
ep_account_store_init (EpAccountStore *self)
{
}

static GSettingsSchema *
lookup_schema (const char  *id,
               GError     **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = source ? g_settings_schema_source_lookup (source, id, TRUE) : NULL;

  if (schema == NULL)
    g_set_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_NO_SCHEMA,
                 /* Translators: %s is a settings schema such as io.github.epistle.Epistle */
                 _("The settings schema “%s” is not installed, so accounts cannot be saved. "
                   "Install Epistle (or point GSETTINGS_SCHEMA_DIR at its compiled schema)."), id);
  return schema;
}

/**
 * ep_account_store_new:
 *
 * The accounts in the default GSettings backend (dconf on a desktop; the
 * tests choose memory or keyfile with GSETTINGS_BACKEND).
 *
 * Returns: (transfer full): the store, or %NULL with
 *   %EP_ACCOUNT_STORE_ERROR_NO_SCHEMA when the schema is not installed
 */
EpAccountStore *
ep_account_store_new (GError **error)
{
  g_autoptr(GSettingsSchema) main_schema = NULL;
  EpAccountStore *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  main_schema = lookup_schema (EP_ACCOUNT_STORE_SCHEMA, error);
  if (main_schema == NULL)
    return NULL;
  self = g_object_new (EP_TYPE_ACCOUNT_STORE, NULL);
  self->account_schema = lookup_schema (EP_ACCOUNT_STORE_ACCOUNT_SCHEMA, error);
  if (self->account_schema == NULL)
    {
      g_object_unref (self);
      return NULL;
    }
  self->settings = g_settings_new_full (main_schema, NULL, NULL);
  return self;
}

static GSettings *
account_settings (EpAccountStore *self,
                  const char     *id)
{
  g_autofree char *path = g_strconcat (EP_ACCOUNT_STORE_ACCOUNT_PATH, id, "/", NULL);

  g_assert (id != NULL && *id != '\0' && strchr (id, '/') == NULL);
  return g_settings_new_full (self->account_schema, NULL, path);
}

/* The identifier of the account with @address, or %NULL. */
static char *
find_id (EpAccountStore *self,
         const char     *address)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "accounts");

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GSettings) settings = NULL;
      g_autofree char *saved = NULL;

      if (*ids[i] == '\0' || strchr (ids[i], '/') != NULL)
        continue;
      settings = account_settings (self, ids[i]);
      saved = g_settings_get_string (settings, "address");
      if (g_ascii_strcasecmp (saved, address) == 0)
        return g_strdup (ids[i]);
    }
  return NULL;
}

static gboolean
invalid (GError     **error,
         const char  *id,
         const char  *key,
         const char  *why)
{
  g_set_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_INVALID,
               /* Translators: %1 a settings key such as “smtp-host”, %2 an account's identifier,
                * %3 what is wrong */
               _("The setting “%s” of the saved account “%s” is wrong: %s"), key, id, why);
  return FALSE;
}

static EpAccount *
account_from_settings (const char  *id,
                       GSettings   *settings,
                       GError     **error)
{
  g_autofree char *address = g_settings_get_string (settings, "address");
  g_autofree char *smtp_host = g_settings_get_string (settings, "smtp-host");
  g_autofree char *imap_host = g_settings_get_string (settings, "imap-host");
  g_autofree char *pin = g_settings_get_string (settings, "pin");
  g_autofree char *security = NULL;
  g_autofree char *text = NULL;
  g_autoptr(EpAccount) account = NULL;
  EpSecurity smtp_security = EP_SECURITY_TLS, imap_security = EP_SECURITY_TLS;
  guint16 smtp_port = 0, imap_port = 0;

  account = ep_account_new_for_address (address, NULL);
  if (account == NULL)
    return invalid (error, id, "address", _("it must be an email address")), NULL;
  if (*smtp_host == '\0')
    return invalid (error, id, "smtp-host", _("it is empty")), NULL;
  security = g_settings_get_string (settings, "smtp-security");
  ep_security_from_string (security, &smtp_security);   /* the schema's choices are all known */
  g_clear_pointer (&security, g_free);
  security = g_settings_get_string (settings, "imap-security");
  ep_security_from_string (security, &imap_security);

  text = g_settings_get_string (settings, "display-name");
  ep_account_set_display_name (account, text);
  g_clear_pointer (&text, g_free);
  text = g_settings_get_string (settings, "user-name");
  ep_account_set_user_name (account, text);
  g_clear_pointer (&text, g_free);
  ep_account_set_smtp_host (account, smtp_host);
  ep_account_set_smtp_security (account, smtp_security);
  g_settings_get (settings, "smtp-port", "q", &smtp_port);
  ep_account_set_smtp_port (account, smtp_port);   /* 0: the security's default */
  ep_account_set_imap_host (account, imap_host);
  ep_account_set_imap_security (account, imap_security);
  g_settings_get (settings, "imap-port", "q", &imap_port);
  ep_account_set_imap_port (account, imap_port);
  if (*pin != '\0' && !ep_account_set_pin (account, pin, NULL))
    return invalid (error, id, "pin", _("it must be a SHA-256 fingerprint (64 hexadecimal digits)")), NULL;
  text = g_settings_get_string (settings, "ca-file");
  ep_account_set_ca_file (account, text);
  ep_account_set_allow_plaintext_auth (account, g_settings_get_boolean (settings, "allow-plaintext-auth"));
  ep_account_set_files_sent (account, g_settings_get_boolean (settings, "files-sent"));
  return g_steal_pointer (&account);
}

/**
 * ep_account_store_list:
 *
 * Returns: (transfer container) (element-type EpAccount): every saved
 *   account in order, or %NULL with an %EP_ACCOUNT_STORE_ERROR_INVALID
 *   naming the first unusable setting
 */
GPtrArray *
ep_account_store_list (EpAccountStore  *self,
                       GError         **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ids = g_settings_get_strv (self->settings, "accounts");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GSettings) settings = NULL;
      EpAccount *account;

      if (*ids[i] == '\0' || strchr (ids[i], '/') != NULL)
        {
          invalid (error, ids[i], "accounts", _("an identifier may not be empty or hold “/”"));
          return NULL;
        }
      settings = account_settings (self, ids[i]);
      account = account_from_settings (ids[i], settings, error);
      if (account == NULL)
        return NULL;
      g_ptr_array_add (accounts, account);
    }
  return g_steal_pointer (&accounts);
}

/**
 * ep_account_store_dup_addresses:
 *
 * Returns: (transfer full): the saved accounts' addresses, in order (for
 *   an error that names them)
 */
char **
ep_account_store_dup_addresses (EpAccountStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), NULL);

  ids = g_settings_get_strv (self->settings, "accounts");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GSettings) settings = NULL;
      g_autofree char *address = NULL;

      if (*ids[i] == '\0' || strchr (ids[i], '/') != NULL)
        continue;
      settings = account_settings (self, ids[i]);
      address = g_settings_get_string (settings, "address");
      g_strv_builder_add (builder, address);
    }
  return g_strv_builder_end (builder);
}

/**
 * ep_account_store_lookup:
 * @address: a saved account's address (case does not matter)
 *
 * Returns: (transfer full): the account, or %NULL with
 *   %EP_ACCOUNT_STORE_ERROR_UNKNOWN naming the saved accounts, or
 *   %EP_ACCOUNT_STORE_ERROR_INVALID
 */
EpAccount *
ep_account_store_lookup (EpAccountStore  *self,
                         const char      *address,
                         GError         **error)
{
  g_autofree char *id = NULL;
  g_autoptr(GSettings) settings = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = find_id (self, address);
  if (id == NULL)
    {
      g_auto(GStrv) known = ep_account_store_dup_addresses (self);
      g_autofree char *list = g_strjoinv (", ", known);

      if (known[0] == NULL)
        g_set_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_UNKNOWN,
                     _("There is no saved account “%s”; no account is saved yet (sign in once "
                       "in the window)."), address);
      else
        g_set_error (error, EP_ACCOUNT_STORE_ERROR, EP_ACCOUNT_STORE_ERROR_UNKNOWN,
                     /* Translators: %1 the address asked for, %2 the saved ones, separated by commas */
                     _("There is no saved account “%s”; the saved accounts are: %s."), address, list);
      return NULL;
    }
  settings = account_settings (self, id);
  return account_from_settings (id, settings, error);
}

/* "Zhang.San@QQ.com" → "zhang-san-qq-com", unique among @ids. */
static char *
new_id (const char  *address,
        char       **ids)
{
  g_autoptr(GString) slug = g_string_new (NULL);
  g_autofree char *base = NULL;
  char *id;

  for (const char *p = address; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  if (slug->len == 0)
    g_string_append (slug, "account");
  base = g_string_free (g_steal_pointer (&slug), FALSE);
  id = g_strdup (base);
  for (guint n = 2; g_strv_contains ((const char * const *) ids, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base, n);
    }
  return id;
}

static void
write_account (GSettings *settings,
               EpAccount *account)
{
  const char *user_name = ep_account_get_user_name (account);
  const char *address = ep_account_get_address (account);

  g_settings_delay (settings);
  g_settings_set_string (settings, "address", address);
  g_settings_set_string (settings, "display-name", ep_account_get_display_name (account));
  g_settings_set_string (settings, "user-name", g_strcmp0 (user_name, address) == 0 ? "" : user_name);
  g_settings_set_string (settings, "smtp-host", ep_account_get_smtp_host (account));
  g_settings_set (settings, "smtp-port", "q", ep_account_get_smtp_port (account));
  g_settings_set_string (settings, "smtp-security",
                         ep_security_to_string (ep_account_get_smtp_security (account)));
  g_settings_set_string (settings, "imap-host",
                         ep_account_get_imap_host (account) ? ep_account_get_imap_host (account) : "");
  g_settings_set (settings, "imap-port", "q", ep_account_get_imap_port (account));
  g_settings_set_string (settings, "imap-security",
                         ep_security_to_string (ep_account_get_imap_security (account)));
  g_settings_set_string (settings, "pin", ep_account_get_pin (account) ? ep_account_get_pin (account) : "");
  g_settings_set_string (settings, "ca-file",
                         ep_account_get_ca_file (account) ? ep_account_get_ca_file (account) : "");
  g_settings_set_boolean (settings, "allow-plaintext-auth", ep_account_get_allow_plaintext_auth (account));
  g_settings_set_boolean (settings, "files-sent", ep_account_get_files_sent (account));
  g_settings_apply (settings);
}

static gboolean
not_writable (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       _("Epistle's settings cannot be changed (they are locked down)."));
  return FALSE;
}

/**
 * ep_account_store_save:
 *
 * Adds @account, or updates the saved account with the same address. The
 * first account saved becomes the default. No secret is written.
 */
gboolean
ep_account_store_save (EpAccountStore  *self,
                       EpAccount       *account,
                       GError         **error)
{
  g_autofree char *id = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *default_id = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (EP_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_settings_is_writable (self->settings, "accounts"))
    return not_writable (error);
  id = find_id (self, ep_account_get_address (account));
  if (id == NULL)
    {
      g_auto(GStrv) ids = g_settings_get_strv (self->settings, "accounts");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) updated = NULL;

      id = new_id (ep_account_get_address (account), ids);
      g_strv_builder_addv (builder, (const char **) ids);
      g_strv_builder_add (builder, id);
      updated = g_strv_builder_end (builder);
      /* The account's settings first: a reader never finds an id without them. */
      settings = account_settings (self, id);
      write_account (settings, account);
      g_settings_set_strv (self->settings, "accounts", (const char * const *) updated);
    }
  else
    {
      settings = account_settings (self, id);
      write_account (settings, account);
    }
  default_id = g_settings_get_string (self->settings, "default-account");
  if (*default_id == '\0')
    g_settings_set_string (self->settings, "default-account", id);
  g_settings_sync ();
  return TRUE;
}

static void
reset_account (EpAccountStore *self,
               GSettings      *settings)
{
  g_auto(GStrv) keys = g_settings_schema_list_keys (self->account_schema);

  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

/**
 * ep_account_store_remove:
 *
 * Forgets the account's settings (its secret is the keyring's: see
 * ep_secret_store_forget ()). When it was the default, the first account
 * left becomes the default.
 *
 * Returns: %FALSE with %EP_ACCOUNT_STORE_ERROR_UNKNOWN when no account has @address
 */
gboolean
ep_account_store_remove (EpAccountStore  *self,
                         const char      *address,
                         GError         **error)
{
  g_autofree char *id = NULL;
  g_autofree char *default_id = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) left = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = find_id (self, address);
  if (id == NULL)
    {
      g_autoptr(EpAccount) none = ep_account_store_lookup (self, address, error);
      return FALSE;
    }
  if (!g_settings_is_writable (self->settings, "accounts"))
    return not_writable (error);

  ids = g_settings_get_strv (self->settings, "accounts");
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_strcmp0 (ids[i], id) != 0)
      g_strv_builder_add (builder, ids[i]);
  left = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "accounts", (const char * const *) left);
  default_id = g_settings_get_string (self->settings, "default-account");
  if (g_strcmp0 (default_id, id) == 0)
    g_settings_set_string (self->settings, "default-account", left[0] ? left[0] : "");
  settings = account_settings (self, id);
  reset_account (self, settings);
  g_settings_sync ();
  return TRUE;
}

/**
 * ep_account_store_dup_default:
 *
 * Returns: (transfer full) (nullable): the default account's address (the
 *   first account's when the default names none), or %NULL with no account
 */
char *
ep_account_store_dup_default (EpAccountStore *self)
{
  g_autofree char *default_id = NULL;
  g_auto(GStrv) ids = NULL;
  const char *id;
  g_autoptr(GSettings) settings = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), NULL);

  ids = g_settings_get_strv (self->settings, "accounts");
  default_id = g_settings_get_string (self->settings, "default-account");
  id = g_strv_contains ((const char * const *) ids, default_id) ? default_id : ids[0];
  if (id == NULL || *id == '\0' || strchr (id, '/') != NULL)
    return NULL;
  settings = account_settings (self, id);
  return g_settings_get_string (settings, "address");
}

/* Makes the saved account with @address the one new messages come from. */
gboolean
ep_account_store_set_default (EpAccountStore  *self,
                              const char      *address,
                              GError         **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = find_id (self, address);
  if (id == NULL)
    {
      g_autoptr(EpAccount) none = ep_account_store_lookup (self, address, error);
      return FALSE;
    }
  if (!g_settings_set_string (self->settings, "default-account", id))
    return not_writable (error);
  g_settings_sync ();
  return TRUE;
}

/* PATH.migrated, or PATH.migrated.N when that is taken: nothing is ever overwritten. */
static char *
migrated_name (const char *path)
{
  g_autofree char *base = g_strconcat (path, ".migrated", NULL);
  char *name = g_strdup (base);

  for (guint n = 2; g_file_test (name, G_FILE_TEST_EXISTS); n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s.%u", base, n);
    }
  return name;
}

/**
 * ep_account_store_migrate:
 * @path: the window issue's account file, usually ep_account_default_path ()
 * @migrated: (out) (optional) (transfer full): where the file went, or %NULL
 *   when there was nothing to migrate
 *
 * Saves the account in @path (unless an account with its address is saved
 * already: the settings win) and renames @path to @path.migrated, so this
 * happens once. An unreadable file is left where it is.
 *
 * Returns: %FALSE with the reason the file could not be read or renamed
 */
gboolean
ep_account_store_migrate (EpAccountStore  *self,
                          const char      *path,
                          char           **migrated,
                          GError         **error)
{
  g_autoptr(EpAccount) account = NULL;
  g_autofree char *id = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (EP_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (migrated != NULL)
    *migrated = NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  account = ep_account_load (path, error);
  if (account == NULL)
    return FALSE;
  id = find_id (self, ep_account_get_address (account));
  if (id == NULL && !ep_account_store_save (self, account, error))
    return FALSE;

  target = migrated_name (path);
  if (g_rename (path, target) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The account in “%s” is now saved in the settings, but the file could not be "
                     "renamed: %s"), display, g_strerror (saved));
      return FALSE;
    }
  if (migrated != NULL)
    *migrated = g_steal_pointer (&target);
  return TRUE;
}
