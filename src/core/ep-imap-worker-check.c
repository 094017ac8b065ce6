/* ep-imap-worker-check.c — EpImapWorker's sign-in check: connect, TLS, LOGIN, nothing read
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sign-in page asks, after the SMTP check, whether the account's IMAP
 * server can be used for the Sent copy and the Inbox: the job signs in
 * (greeting, STARTTLS or implicit TLS with the certificate checked against
 * the system trust, the CA file and the pin, then AUTHENTICATE or LOGIN and
 * ID) and logs out, in a thread, with the settings frozen when it starts.
 * No mailbox is selected and nothing is changed on the server.
 */
#include "ep-imap-worker.h"
#include "ep-imap-worker-private.h"

static const char check_tag;

static void
check_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  EpImapWorker *settings = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = ep_imap_worker_sign_in (settings, cancellable, &error);

  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ep_imap_client_logout (client);
  g_task_return_boolean (task, TRUE);
}

/**
 * ep_imap_worker_check_async:
 *
 * Signs in to the IMAP server and logs out, in a worker thread, to tell
 * whether the settings and the secret work before an account is used.
 */
void
ep_imap_worker_check_async (EpImapWorker        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &check_tag);
  g_task_set_task_data (task, ep_imap_worker_freeze (self), g_object_unref);
  g_task_run_in_thread (task, check_worker);
}

/**
 * ep_imap_worker_check_finish:
 *
 * Returns: %TRUE when the server greeted, the connection was encrypted as
 *   configured (or not, with #EP_SECURITY_NONE) and the sign-in was accepted;
 *   otherwise %FALSE with the connection's, the certificate's
 *   (#EP_TLS_ERROR_UNTRUSTED names its fingerprint) or the server's error
 */
gboolean
ep_imap_worker_check_finish (EpImapWorker  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &check_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
