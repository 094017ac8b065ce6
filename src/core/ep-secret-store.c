/* ep-secret-store.c — EpSecretStore: passwords and authorization codes in the keyring (libsecret)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One item per account in the default collection of the Secret Service
 * (GNOME Keyring, KWallet, KeePassXC …), schema io.github.epistle.Epistle.Account
 * with attributes address (the account's address) and kind ("password":
 * a password or authorization code). The keyring encrypts what it stores;
 * Epistle never writes a secret anywhere itself. When no Secret Service
 * answers on the session bus every call fails with
 * %EP_SECRET_STORE_ERROR_UNAVAILABLE and the caller asks each time.
 *
 * The functions block (libsecret runs its own main context); the _async
 * variants run them in a GTask thread for the window.
 */
#include "ep-secret-store.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

struct _EpSecretStore
{
  GObject parent_instance;
};

G_DEFINE_QUARK (ep-secret-store-error-quark, ep_secret_store_error)
G_DEFINE_FINAL_TYPE (EpSecretStore, ep_secret_store, G_TYPE_OBJECT)

static const SecretSchema account_schema = {
  EP_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

static void
ep_secret_store_class_init (EpSecretStoreClass *klass)
{
}

static void
ep_secret_store_init (EpSecretStore *self)
{
}

EpSecretStore *
ep_secret_store_new (void)
{
  return g_object_new (EP_TYPE_SECRET_STORE, NULL);
}

/* Wipes and frees a secret from ep_secret_store_lookup (). */
void
ep_secret_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

/* Addresses are compared without case: the keyring's attribute is lower case. */
static GHashTable *
attributes_for (const char *address)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "address", g_ascii_strdown (address, -1));
  g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (EP_SECRET_KIND_PASSWORD));
  return attributes;
}

/* Turns a libsecret or D-Bus failure into a sentence a person can act on. */
static gboolean
explain (GError  *local,
         GError **error)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (local->domain == G_DBUS_ERROR || local->domain == G_IO_ERROR || local->domain == G_SPAWN_ERROR)
    g_set_error (error, EP_SECRET_STORE_ERROR, EP_SECRET_STORE_ERROR_UNAVAILABLE,
                 /* Translators: %s is the system's reason, such as “The name org.freedesktop.secrets
                  * was not provided by any .service files” */
                 _("No keyring is available (no Secret Service answers on the session bus), so "
                   "passwords cannot be remembered: %s"), local->message);
  else
    g_set_error (error, EP_SECRET_STORE_ERROR, EP_SECRET_STORE_ERROR_FAILED,
                 _("The keyring refused: %s"), local->message);
  g_error_free (local);
  return FALSE;
}

/**
 * ep_secret_store_check:
 *
 * Whether a Secret Service answers (it may be started on demand by D-Bus).
 *
 * Returns: %FALSE with %EP_SECRET_STORE_ERROR_UNAVAILABLE when none does
 */
gboolean
ep_secret_store_check (EpSecretStore  *self,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  GError *local = NULL;

  g_return_val_if_fail (EP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Opening a session is a real call to the service, not just a proxy. */
  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, cancellable, &local);
  if (service == NULL)
    return explain (local, error);
  return TRUE;
}

/**
 * ep_secret_store_save:
 * @secret: the password or authorization code
 *
 * Stores (or replaces) the secret of the account with @address in the
 * keyring's default collection.
 */
gboolean
ep_secret_store_save (EpSecretStore  *self,
                      const char     *address,
                      const char     *secret,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *local = NULL;

  g_return_val_if_fail (EP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attributes = attributes_for (address);
  /* Translators: the keyring item's name, as the keyring manager (Seahorse) lists it */
  label = g_strdup_printf (_("Epistle password for %s"), address);
  if (!secret_password_storev_sync (&account_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                                    secret, cancellable, &local))
    return explain (local, error);
  return TRUE;
}

/**
 * ep_secret_store_lookup:
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   ep_secret_free (); %NULL without an error when the keyring holds none
 *   for @address
 */
char *
ep_secret_store_lookup (EpSecretStore  *self,
                        const char     *address,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local = NULL;
  char *found;
  char *copy;

  g_return_val_if_fail (EP_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  attributes = attributes_for (address);
  found = secret_password_lookupv_sync (&account_schema, attributes, cancellable, &local);
  if (local != NULL)
    {
      explain (local, error);
      return NULL;
    }
  if (found == NULL)
    return NULL;
  copy = g_strdup (found);
  secret_password_free (found);   /* wipes libsecret's copy */
  return copy;
}

/**
 * ep_secret_store_forget:
 *
 * Removes the secret of the account with @address; nothing to remove is
 * no error.
 */
gboolean
ep_secret_store_forget (EpSecretStore  *self,
                        const char     *address,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local = NULL;

  g_return_val_if_fail (EP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attributes = attributes_for (address);
  secret_password_clearv_sync (&account_schema, attributes, cancellable, &local);
  if (local != NULL)
    return explain (local, error);
  return TRUE;
}

/* ---------------------------------------------------------------- threaded wrappers */

static const char check_tag;
static const char lookup_tag;
static const char save_tag;
static const char forget_tag;

typedef struct
{
  char *address;
  char *secret;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->address);
  ep_secret_free (job->secret);
  g_free (job);
}

static GTask *
task_new (EpSecretStore       *self,
          const char          *tag,
          const char          *address,
          const char          *secret,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, (gpointer) tag);
  job->address = g_strdup (address);
  job->secret = g_strdup (secret);
  g_task_set_task_data (task, job, job_free);
  return task;
}

static void
check_worker (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (ep_secret_store_check (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ep_secret_store_check_async (EpSecretStore       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_SECRET_STORE (self));

  task = task_new (self, &check_tag, NULL, NULL, cancellable, callback, user_data);
  g_task_run_in_thread (task, check_worker);
}

gboolean
ep_secret_store_check_finish (EpSecretStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_worker (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;
  char *secret = ep_secret_store_lookup (source, job->address, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) ep_secret_free);
}

/* Like ep_secret_store_lookup (), in a thread. */
void
ep_secret_store_lookup_async (EpSecretStore       *self,
                              const char          *address,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_SECRET_STORE (self));
  g_return_if_fail (address != NULL);

  task = task_new (self, &lookup_tag, address, NULL, cancellable, callback, user_data);
  g_task_run_in_thread (task, lookup_worker);
}

/* Returns: (transfer full) (nullable): as ep_secret_store_lookup () */
char *
ep_secret_store_lookup_finish (EpSecretStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_worker (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;

  if (ep_secret_store_save (source, job->address, job->secret, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Like ep_secret_store_save (), in a thread; the secret is copied and wiped afterwards. */
void
ep_secret_store_save_async (EpSecretStore       *self,
                            const char          *address,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_SECRET_STORE (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (secret != NULL);

  task = task_new (self, &save_tag, address, secret, cancellable, callback, user_data);
  g_task_run_in_thread (task, save_worker);
}

gboolean
ep_secret_store_save_finish (EpSecretStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
forget_worker (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;

  if (ep_secret_store_forget (source, job->address, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Like ep_secret_store_forget (), in a thread. */
void
ep_secret_store_forget_async (EpSecretStore       *self,
                              const char          *address,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_SECRET_STORE (self));
  g_return_if_fail (address != NULL);

  task = task_new (self, &forget_tag, address, NULL, cancellable, callback, user_data);
  g_task_run_in_thread (task, forget_worker);
}

gboolean
ep_secret_store_forget_finish (EpSecretStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
