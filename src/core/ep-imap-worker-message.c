/* ep-imap-worker-message.c — EpImapWorker's jobs on one message and on the mailbox list
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window opens a message by its UID, not by its place among the newest:
 * one UID FETCH of that message, whole. Opening it marks it read with
 * UID STORE +FLAGS.SILENT (\Seen) after the fetch (the fetch itself is
 * BODY.PEEK[], so a failed fetch never marks anything), for which the
 * mailbox is SELECTed; a fetch that marks nothing EXAMINEs it. The
 * mailbox list is LIST "" "*" with the special-use flags (RFC 6154).
 * Each job signs in with the settings frozen when it starts, in a thread.
 * A UID is only good under the UIDVALIDITY it was listed with: each job
 * states it, and a mailbox renumbered since fails the job before any
 * command names a UID (EP_IMAP_ERROR_UIDVALIDITY).
 */
#include "ep-imap-worker.h"
#include "ep-imap-worker-private.h"

#include <glib/gi18n-lib.h>

#define MESSAGE_ITEMS (EP_IMAP_FETCH_FLAGS | EP_IMAP_FETCH_INTERNALDATE | EP_IMAP_FETCH_SIZE | \
                       EP_IMAP_FETCH_ENVELOPE | EP_IMAP_FETCH_BODY)

typedef struct
{
  EpImapWorker *settings;    /* a frozen copy */
  char *mailbox;
  guint32 uidvalidity;       /* the one @uid was listed under; 0 for any */
  guint32 uid;
  gboolean seen;             /* fetch: mark it read; set_seen: read (TRUE) or unread */
} MessageJob;

static const char fetch_message_tag;
static const char set_seen_tag;
static const char list_tag;

static MessageJob *
message_job_new (EpImapWorker *self,
                 const char   *mailbox,
                 guint32       uidvalidity,
                 guint32       uid,
                 gboolean      seen)
{
  MessageJob *job = g_new0 (MessageJob, 1);

  job->settings = ep_imap_worker_freeze (self);
  job->mailbox = g_strdup (mailbox != NULL ? mailbox : "INBOX");
  job->uidvalidity = uidvalidity;
  job->uid = uid;
  job->seen = seen;
  return job;
}

static void
message_job_free (gpointer data)
{
  MessageJob *job = data;

  g_object_unref (job->settings);
  g_free (job->mailbox);
  g_free (job);
}

static GTask *
new_task (EpImapWorker        *self,
          MessageJob          *job,
          gconstpointer        tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, (gpointer) tag);
  g_task_set_task_data (task, job, message_job_free);
  return task;
}

static gboolean
has_flag (const EpImapMessage *message,
          const char          *flag)
{
  if (message->flags == NULL)
    return FALSE;
  for (guint i = 0; message->flags[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (message->flags[i], flag) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
add_flag (EpImapMessage *message,
          const char    *flag)
{
  guint n = message->flags != NULL ? g_strv_length (message->flags) : 0;

  message->flags = g_renew (char *, message->flags, n + 2);
  message->flags[n] = g_strdup (flag);
  message->flags[n + 1] = NULL;
}

static gboolean
store_seen (EpImapClient  *client,
            guint32        uid,
            gboolean       seen,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *set = ep_imap_uid_set (&uid, 1);

  return ep_imap_client_uid_store_flags (client, set, seen, "\\Seen", cancellable, error);
}

static EpImapMessage *
fetch_one (EpImapClient  *client,
           MessageJob    *job,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *set = ep_imap_uid_set (&job->uid, 1);
  g_autoptr(GPtrArray) fetched = NULL;
  EpImapSelected selected = { 0 };
  EpImapMessage *message = NULL;

  if (!ep_imap_client_select_expecting (client, job->mailbox, !job->seen, job->uidvalidity, &selected,
                                        cancellable, error))
    return NULL;
  fetched = ep_imap_client_uid_fetch (client, set, MESSAGE_ITEMS, NULL, cancellable, error);
  if (fetched == NULL)
    return NULL;
  for (guint i = 0; i < fetched->len && message == NULL; i++)
    {
      if (((EpImapMessage *) g_ptr_array_index (fetched, i))->uid == job->uid)
        message = g_ptr_array_steal_index (fetched, i);
    }
  if (message == NULL || message->body == NULL)
    {
      g_clear_pointer (&message, ep_imap_message_free);
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_NOT_FOUND,
                   /* Translators: %s is a mailbox name */
                   _("The message is no longer in “%s”: another program may have moved or deleted it."),
                   job->mailbox);
      return NULL;
    }
  /* A mailbox the server opens read-only cannot be marked: the message is shown all the same. */
  if (job->seen && !selected.read_only && !has_flag (message, "\\Seen"))
    {
      if (!store_seen (client, job->uid, TRUE, cancellable, error))
        {
          ep_imap_message_free (message);
          return NULL;
        }
      add_flag (message, "\\Seen");
    }
  return message;
}

static void
fetch_message_worker (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  MessageJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = ep_imap_worker_sign_in (job->settings, cancellable, &error);
  EpImapMessage *message = NULL;

  if (client != NULL)
    {
      message = fetch_one (client, job, cancellable, &error);
      ep_imap_client_logout (client);
    }
  if (message != NULL)
    g_task_return_pointer (task, message, (GDestroyNotify) ep_imap_message_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ep_imap_worker_fetch_message_async:
 * @mailbox: (nullable): a name in UTF-8; %NULL for INBOX
 * @uidvalidity: the UIDVALIDITY @uid was listed under; 0 for any
 * @uid: the message's UID in @mailbox
 * @mark_seen: mark it read (\Seen) once fetched; the mailbox is then SELECTed, else EXAMINEd
 *
 * Fetches one message whole (FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE,
 * BODY.PEEK[]) in a worker thread. A UID no longer there fails with
 * %EP_IMAP_ERROR_NOT_FOUND; a mailbox renumbered since (another UIDVALIDITY)
 * with %EP_IMAP_ERROR_UIDVALIDITY, nothing fetched or marked.
 */
void
ep_imap_worker_fetch_message_async (EpImapWorker        *self,
                                    const char          *mailbox,
                                    guint32              uidvalidity,
                                    guint32              uid,
                                    gboolean             mark_seen,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (uid > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, message_job_new (self, mailbox, uidvalidity, uid, mark_seen), &fetch_message_tag,
                   cancellable, callback, user_data);
  g_task_run_in_thread (task, fetch_message_worker);
}

/* Returns: (transfer full): the message, its flags as they are after the fetch */
EpImapMessage *
ep_imap_worker_fetch_message_finish (EpImapWorker  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &fetch_message_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_seen_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  MessageJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = ep_imap_worker_sign_in (job->settings, cancellable, &error);
  gboolean ok = FALSE;

  if (client != NULL)
    {
      ok = ep_imap_client_select_expecting (client, job->mailbox, FALSE, job->uidvalidity, NULL,
                                            cancellable, &error) &&
           store_seen (client, job->uid, job->seen, cancellable, &error);
      ep_imap_client_logout (client);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ep_imap_worker_set_seen_async:
 * @mailbox: (nullable): a name in UTF-8; %NULL for INBOX
 * @uidvalidity: the UIDVALIDITY @uid was listed under; 0 for any
 * @seen: %TRUE marks the message read, %FALSE unread
 *
 * Selects @mailbox and adds or removes \Seen on one message. When the
 * mailbox's UIDVALIDITY is no longer @uidvalidity, no flag is stored and the
 * job fails with %EP_IMAP_ERROR_UIDVALIDITY.
 */
void
ep_imap_worker_set_seen_async (EpImapWorker        *self,
                               const char          *mailbox,
                               guint32              uidvalidity,
                               guint32              uid,
                               gboolean             seen,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (uid > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, message_job_new (self, mailbox, uidvalidity, uid, seen), &set_seen_tag, cancellable,
                   callback, user_data);
  g_task_run_in_thread (task, set_seen_worker);
}

gboolean
ep_imap_worker_set_seen_finish (EpImapWorker  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &set_seen_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
list_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  MessageJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = ep_imap_worker_sign_in (job->settings, cancellable, &error);
  GPtrArray *mailboxes = NULL;

  if (client != NULL)
    {
      mailboxes = ep_imap_client_list (client, "*", cancellable, &error);
      ep_imap_client_logout (client);
    }
  if (mailboxes != NULL)
    g_task_return_pointer (task, mailboxes, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ep_imap_worker_list_mailboxes_async:
 *
 * Lists every mailbox of the account (LIST "" "*"), with special-use flags
 * when the server has them, in a worker thread.
 */
void
ep_imap_worker_list_mailboxes_async (EpImapWorker        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, message_job_new (self, NULL, 0, 0, FALSE), &list_tag, cancellable, callback, user_data);
  g_task_run_in_thread (task, list_worker);
}

/* Returns: (transfer full) (element-type EpImapMailbox): in the server's order, names in UTF-8 */
GPtrArray *
ep_imap_worker_list_mailboxes_finish (EpImapWorker  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &list_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
