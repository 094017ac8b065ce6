/* ep-demo.c — `epistle --demo`: local Postfix + Dovecot, signed in as alice@example.test
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the test harness's `mailstack start DIR PID` (the servers stop when
 * this process ends, even if it crashes), reads DIR/env, then signs in the
 * way the sign-in page does (ep_sender_check_async) so the composer knows
 * the server's SIZE limit. The stack's CA is trusted for this account only,
 * and nothing is saved: the person's own account file is left alone.
 */
#include <glib/gi18n.h>

#include "ep-demo.h"
#include "ep-sender.h"

#define DEMO_DOMAIN "example.test"

static const char * const demo_users[] = { "alice", "bob", "carol" };

struct _EpDemo
{
  GObject parent_instance;

  /* Owned */
  char *dir;
  GHashTable *env;
  EpAccount *account;
  char *secret;
  guint64 size_limit;
};

G_DEFINE_FINAL_TYPE (EpDemo, ep_demo, G_TYPE_OBJECT)

static void
ep_demo_finalize (GObject *object)
{
  EpDemo *self = EP_DEMO (object);

  ep_demo_stop (self);
  g_clear_pointer (&self->env, g_hash_table_unref);
  g_clear_object (&self->account);
  g_free (self->secret);
  G_OBJECT_CLASS (ep_demo_parent_class)->finalize (object);
}

static void
ep_demo_class_init (EpDemoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_demo_finalize;
}

static void
ep_demo_init (EpDemo *self)
{
}

EpDemo *
ep_demo_new (void)
{
  return g_object_new (EP_TYPE_DEMO, NULL);
}

/* The harness script: $EPISTLE_MAILSTACK, the source tree's, or the installed one. */
static const char *
mailstack_path (void)
{
  const char *path = g_getenv ("EPISTLE_MAILSTACK");

  if (path != NULL)
    return path;
  if (g_file_test (EP_MAILSTACK_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return EP_MAILSTACK_BUILD_PATH;
  return EP_MAILSTACK_INSTALLED_PATH;
}

static GHashTable *
read_env (const char  *path,
          GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *env;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq != NULL)
        g_hash_table_insert (env, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  return env;
}

static EpAccount *
demo_account (EpDemo  *self,
              GError **error)
{
  const char *port = g_hash_table_lookup (self->env, "SMTP_STARTTLS_PORT");
  const char *imap_port = g_hash_table_lookup (self->env, "IMAPS_PORT");
  const char *ca_file = g_hash_table_lookup (self->env, "CA_FILE");
  guint64 number = 0;
  guint64 imap_number = 0;
  EpAccount *account;

  if (port == NULL || ca_file == NULL || g_hash_table_lookup (self->env, "PASSWORD") == NULL ||
      !g_ascii_string_to_unsigned (port, 10, 1, 65535, &number, NULL) ||
      imap_port == NULL || !g_ascii_string_to_unsigned (imap_port, 10, 1, 65535, &imap_number, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The demo mail servers started but did not say where they listen (%s/env)."),
                   self->dir);
      return NULL;
    }
  account = ep_account_new_for_address ("alice@" DEMO_DOMAIN, error);
  if (account == NULL)
    return NULL;
  ep_account_set_display_name (account, "Alice");
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, (guint16) number);
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  /* Dovecot keeps alice's Sent folder: a copy of each message goes there. */
  ep_account_set_imap_host (account, "127.0.0.1");
  ep_account_set_imap_port (account, (guint16) imap_number);
  ep_account_set_imap_security (account, EP_SECURITY_TLS);
  ep_account_set_files_sent (account, FALSE);
  ep_account_set_ca_file (account, ca_file);
  return account;
}

static void
on_checked_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpDemo *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpServerInfo) info = ep_sender_check_finish (EP_SENDER (source), result, &error);

  if (info == NULL)
    {
      g_prefix_error (&error, _("The demo mail servers started, but signing in to them failed: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->size_limit = ep_server_info_get_size_limit (info);
  g_task_return_pointer (task, g_object_ref (self->account), g_object_unref);
}

static void
on_started_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpDemo *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *env_path = NULL;
  g_autoptr(EpSender) sender = NULL;
  GCancellable *cancellable;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_subprocess_get_successful (G_SUBPROCESS (source)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The demo mail servers did not start. They need Postfix and Dovecot "
                                 "installed and root rights (run “sudo ./build-aux/run --demo”). %s"),
                               err ? g_strstrip (err) : "");
      return;
    }
  env_path = g_build_filename (self->dir, "env", NULL);
  self->env = read_env (env_path, &error);
  if (self->env == NULL || (self->account = demo_account (self, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->secret = g_strdup (g_hash_table_lookup (self->env, "PASSWORD"));
  sender = ep_account_create_sender (self->account, self->secret);
  cancellable = g_task_get_cancellable (task);
  ep_sender_check_async (sender, cancellable, on_checked_cb, g_steal_pointer (&task));
}

/* Starts the stack in a new temporary directory, then signs in as alice. */
void
ep_demo_start_async (EpDemo              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());

  g_return_if_fail (EP_IS_DEMO (self));
  g_return_if_fail (self->dir == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  self->dir = g_dir_make_tmp ("epistle-demo-XXXXXX", &error);
  if (self->dir != NULL)
    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                mailstack_path (), "start", self->dir, pid, NULL);
  if (process == NULL)
    {
      g_prefix_error (&error, _("The demo mail servers could not be started: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, cancellable, on_started_cb, g_steal_pointer (&task));
}

/**
 * ep_demo_start_finish:
 * @secret: (out) (transfer full): alice's password
 *
 * Returns: (transfer full): alice's account, verified
 */
EpAccount *
ep_demo_start_finish (EpDemo        *self,
                      GAsyncResult  *result,
                      char         **secret,
                      GError       **error)
{
  EpAccount *account;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  account = g_task_propagate_pointer (G_TASK (result), error);
  if (account != NULL && secret != NULL)
    *secret = g_strdup (self->secret);
  return account;
}

guint64
ep_demo_get_size_limit (EpDemo *self)
{
  g_return_val_if_fail (EP_IS_DEMO (self), 0);
  return self->size_limit;
}

static const char *
demo_user (const char *address)
{
  const char *at = address ? strrchr (address, '@') : NULL;

  if (at == NULL || g_ascii_strcasecmp (at + 1, DEMO_DOMAIN) != 0)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (strlen (demo_users[i]) == (gsize) (at - address) &&
        g_ascii_strncasecmp (address, demo_users[i], at - address) == 0)
      return demo_users[i];
  return NULL;
}

gboolean
ep_demo_has_user (EpDemo     *self,
                  const char *address)
{
  g_return_val_if_fail (EP_IS_DEMO (self), FALSE);
  return self->dir != NULL && demo_user (address) != NULL;
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Returns: how many messages Dovecot has delivered into @address's inbox */
guint
ep_demo_count_inbox (EpDemo     *self,
                     const char *address)
{
  const char *user;
  g_autofree char *fresh = NULL;
  g_autofree char *seen = NULL;

  g_return_val_if_fail (EP_IS_DEMO (self), 0);

  user = demo_user (address);
  if (self->dir == NULL || user == NULL)
    return 0;
  fresh = g_build_filename (self->dir, "mail", DEMO_DOMAIN, user, "Maildir", "new", NULL);
  seen = g_build_filename (self->dir, "mail", DEMO_DOMAIN, user, "Maildir", "cur", NULL);
  return count_files (fresh) + count_files (seen);
}

/* Stops the servers and deletes their directory; waits for it (a second or two). */
void
ep_demo_stop (EpDemo *self)
{
  const char *argv[] = { mailstack_path (), "purge", self->dir, NULL };

  g_return_if_fail (EP_IS_DEMO (self));

  if (self->dir == NULL)
    return;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->dir, g_free);
}

static void
on_purged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Stops the servers and deletes their directory without blocking the main loop. */
void
ep_demo_stop_async (EpDemo              *self,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *dir = NULL;
  GError *error = NULL;

  g_return_if_fail (EP_IS_DEMO (self));

  task = g_task_new (self, NULL, callback, user_data);
  if (self->dir == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  dir = g_steal_pointer (&self->dir);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              mailstack_path (), "purge", dir, NULL);
  if (process == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_subprocess_wait_check_async (process, NULL, on_purged_cb, g_steal_pointer (&task));
}

gboolean
ep_demo_stop_finish (EpDemo        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
