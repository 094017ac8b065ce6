/* ep-imap-worker.c — IMAP jobs in a GTask worker thread: the inbox, the Sent copy
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's side of ep-imap, in the style of EpSender: each job runs
 * the blocking steps the CLI and tests call on a frozen copy of the
 * settings, in a thread; progress (messages fetched of the total) comes
 * back to the caller's main context, one pending invocation at a time;
 * the GCancellable stops any step at once.
 */
#include "ep-imap-worker.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-imap-sent.h"
#include "ep-imap-unsaved.h"
#include "ep-imap-worker-private.h"

#define FETCH_BATCH 50

struct _EpImapWorker
{
  GObject parent_instance;

  /* Owned */
  char *host;
  char *user;
  char *secret;
  char *ca_file;
  char *pin;
  EpTranscript *transcript;

  guint16 port;
  EpSecurity security;
  EpSaslMechanism mechanism;
  guint timeout;
  gboolean allow_plaintext_auth;
};

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static const char fetch_tag;
static const char save_tag;

G_DEFINE_FINAL_TYPE (EpImapWorker, ep_imap_worker, G_TYPE_OBJECT)

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
ep_imap_worker_finalize (GObject *object)
{
  EpImapWorker *self = EP_IMAP_WORKER (object);

  g_free (self->host);
  g_free (self->user);
  wipe (&self->secret);
  g_free (self->ca_file);
  g_free (self->pin);
  g_clear_object (&self->transcript);

  G_OBJECT_CLASS (ep_imap_worker_parent_class)->finalize (object);
}

static void
ep_imap_worker_class_init (EpImapWorkerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_imap_worker_finalize;

  /**
   * EpImapWorker::progress:
   * @done: messages fetched so far
   * @total: messages to fetch
   *
   * Emitted on the main context of the caller of ep_imap_worker_fetch_async ().
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
ep_imap_worker_init (EpImapWorker *self)
{
  self->transcript = ep_transcript_new ();
  self->timeout = 60;
}

EpImapWorker *
ep_imap_worker_new (const char *host,
                    guint16     port,
                    EpSecurity  security)
{
  EpImapWorker *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (EP_TYPE_IMAP_WORKER, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  return self;
}

/* @secret: the password, authorization code or (XOAUTH2) token; kept until finalize, then wiped */
void
ep_imap_worker_set_credentials (EpImapWorker    *self,
                                const char      *user,
                                const char      *secret,
                                EpSaslMechanism  mechanism)
{
  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (user != NULL && secret != NULL);

  g_free (self->user);
  self->user = g_strdup (user);
  wipe (&self->secret);
  self->secret = g_strdup (secret);
  self->mechanism = mechanism;
}

void
ep_imap_worker_set_trust (EpImapWorker *self,
                          const char   *ca_file,
                          const char   *pin)
{
  g_return_if_fail (EP_IS_IMAP_WORKER (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_free (self->pin);
  self->pin = g_strdup (pin);
}

void
ep_imap_worker_set_timeout (EpImapWorker *self,
                            guint         seconds)
{
  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  self->timeout = seconds;
}

void
ep_imap_worker_set_allow_plaintext_auth (EpImapWorker *self,
                                         gboolean      allow)
{
  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  self->allow_plaintext_auth = allow;
}

/* The dialogue of every job, passwords redacted. */
EpTranscript *
ep_imap_worker_get_transcript (EpImapWorker *self)
{
  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), NULL);
  return self->transcript;
}

typedef struct
{
  EpImapWorker *settings;    /* a frozen copy */
  EpImapWorker *owner;       /* for the progress signal */
  GMainContext *context;
  char *mailbox;
  guint limit;
  guint32 before_uid;        /* 0: the newest @limit; else the newest @limit below this UID */
  guint32 uidvalidity;       /* expected (0: any); then the server's */
  EpImapFetchItems items;
  EpSendResult *send_result;
  char *path;                /* or a message kept in this file, */
  char *message_id;          /* with this Message-ID */
  char *saved_in;
  gboolean already_there;

  GMutex lock;               /* guards the progress below */
  guint done;
  guint total;
  gboolean scheduled;
} Job;

static EpImapWorker *
freeze (EpImapWorker *self)
{
  EpImapWorker *copy = ep_imap_worker_new (self->host, self->port, self->security);

  if (self->user != NULL)
    ep_imap_worker_set_credentials (copy, self->user, self->secret, self->mechanism);
  ep_imap_worker_set_trust (copy, self->ca_file, self->pin);
  copy->timeout = self->timeout;
  copy->allow_plaintext_auth = self->allow_plaintext_auth;
  g_set_object (&copy->transcript, self->transcript);
  return copy;
}

static Job *
job_new (EpImapWorker *self)
{
  Job *job = g_new0 (Job, 1);

  job->settings = freeze (self);
  job->owner = g_object_ref (self);
  job->context = g_main_context_ref_thread_default ();
  g_mutex_init (&job->lock);
  return job;
}

static void
job_free (gpointer data)
{
  Job *job = data;

  g_object_unref (job->settings);
  g_object_unref (job->owner);
  g_main_context_unref (job->context);
  g_free (job->mailbox);
  g_clear_object (&job->send_result);
  g_free (job->path);
  g_free (job->message_id);
  g_free (job->saved_in);
  g_mutex_clear (&job->lock);
  g_free (job);
}

/* On the caller's context; the task (and so the job) is kept alive by the reference. */
static gboolean
emit_progress (gpointer data)
{
  GTask *task = data;
  Job *job = g_task_get_task_data (task);
  guint done, total;

  g_mutex_lock (&job->lock);
  done = job->done;
  total = job->total;
  job->scheduled = FALSE;
  g_mutex_unlock (&job->lock);
  g_signal_emit (job->owner, signals[SIGNAL_PROGRESS], 0, done, total);
  return G_SOURCE_REMOVE;
}

static void
report (GTask *task,
        guint  done,
        guint  total)
{
  Job *job = g_task_get_task_data (task);
  gboolean schedule;

  g_mutex_lock (&job->lock);
  job->done = done;
  job->total = total;
  schedule = !job->scheduled;
  job->scheduled = TRUE;
  g_mutex_unlock (&job->lock);
  if (schedule)
    g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, emit_progress, g_object_ref (task),
                                g_object_unref);
}

static EpImapClient *
sign_in (EpImapWorker  *settings,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (settings->transcript, settings->timeout);

  ep_imap_client_set_allow_plaintext_auth (client, settings->allow_plaintext_auth);
  if (!ep_imap_client_connect (client, settings->host, settings->port, settings->security,
                               settings->ca_file, settings->pin, cancellable, error) ||
      (settings->user != NULL &&
       !ep_imap_client_login (client, settings->user, settings->secret, settings->mechanism,
                              cancellable, error)) ||
      !ep_imap_client_id (client, cancellable, error))
    {
      ep_imap_client_logout (client);
      return NULL;
    }
  return g_steal_pointer (&client);
}

static int
compare_uid (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static int
by_uid_descending (gconstpointer a,
                   gconstpointer b)
{
  const EpImapMessage *x = *(EpImapMessage * const *) a;
  const EpImapMessage *y = *(EpImapMessage * const *) b;

  return x->uid < y->uid ? 1 : x->uid > y->uid ? -1 : 0;
}

static GPtrArray *
run_fetch (GTask         *task,
           EpImapClient  *client,
           Job           *job,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_message_free);
  g_autofree char *criteria = NULL;
  EpImapSelected selected = { 0 };
  guint first = 0;

  if (!ep_imap_client_select_expecting (client, job->mailbox, TRUE, job->uidvalidity, &selected,
                                        cancellable, error))
    return NULL;
  job->uidvalidity = selected.uidvalidity;
  if (selected.exists == 0)
    return g_steal_pointer (&messages);
  if (job->before_uid == 1)
    return g_steal_pointer (&messages);
  if (job->before_uid > 0)
    /* Older than what is listed: every UID below it, of which the newest @limit are fetched. */
    criteria = g_strdup_printf ("UID 1:%u", job->before_uid - 1);
  else
    /* The newest by sequence number: a mailbox of any size answers with @limit UIDs. */
    criteria = g_strdup_printf ("%u:%u", selected.exists > job->limit ? selected.exists - job->limit + 1 : 1,
                                selected.exists);
  uids = ep_imap_client_uid_search (client, criteria, cancellable, error);
  if (uids == NULL)
    return NULL;
  g_array_sort (uids, compare_uid);
  /* UID 1:N also matches the highest UID when every UID is above N (RFC 3501 6.4.8). */
  while (job->before_uid > 0 && uids->len > 0 &&
         g_array_index (uids, guint32, uids->len - 1) >= job->before_uid)
    g_array_set_size (uids, uids->len - 1);
  if (uids->len > job->limit)
    first = uids->len - job->limit;
  report (task, 0, uids->len - first);
  /* Newest first, a batch at a time, so that the first page can show early. */
  for (guint end = uids->len; end > first;)
    {
      guint start = end - MIN (FETCH_BATCH, end - first);
      g_autofree char *set = ep_imap_uid_set ((guint32 *) uids->data + start, end - start);
      GPtrArray *batch = ep_imap_client_uid_fetch (client, set, job->items, NULL, cancellable, error);

      if (batch == NULL)
        return NULL;
      g_ptr_array_sort (batch, by_uid_descending);
      g_ptr_array_extend_and_steal (messages, batch);
      report (task, uids->len - start, uids->len - first);
      end = start;
    }
  return g_steal_pointer (&messages);
}

static void
fetch_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = sign_in (job->settings, cancellable, &error);
  GPtrArray *messages = NULL;

  if (client != NULL)
    {
      messages = run_fetch (task, client, job, cancellable, &error);
      ep_imap_client_logout (client);
    }
  if (messages != NULL)
    g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ep_imap_worker_fetch_async:
 * @mailbox: (nullable): a name in UTF-8; %NULL for INBOX
 * @limit: how many of the newest messages
 * @items: what to fetch of each (UID always)
 *
 * Examines @mailbox read-only and fetches its newest @limit messages,
 * newest first, in a worker thread. #EpImapWorker::progress counts them.
 */
void
ep_imap_worker_fetch_async (EpImapWorker         *self,
                            const char           *mailbox,
                            guint                 limit,
                            EpImapFetchItems      items,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  ep_imap_worker_fetch_older_async (self, mailbox, 0, 0, limit, items, cancellable, callback, user_data);
}

/**
 * ep_imap_worker_fetch_older_async:
 * @mailbox: (nullable): a name in UTF-8; %NULL for INBOX
 * @uidvalidity: the UIDVALIDITY @before_uid was listed under (from
 *   ep_imap_worker_fetch_finish ()); 0 for any
 * @before_uid: the oldest UID already listed; 0 for the newest messages
 * @limit: how many messages at most
 *
 * Like ep_imap_worker_fetch_async (), for the next page of a list: the newest
 * @limit messages whose UID is below @before_uid, newest first. Finish with
 * ep_imap_worker_fetch_finish (). When the mailbox's UIDVALIDITY is no
 * longer @uidvalidity, nothing is searched or fetched and the job fails with
 * %EP_IMAP_ERROR_UIDVALIDITY: the list is to be loaded again.
 */
void
ep_imap_worker_fetch_older_async (EpImapWorker         *self,
                                  const char           *mailbox,
                                  guint32               uidvalidity,
                                  guint32               before_uid,
                                  guint                 limit,
                                  EpImapFetchItems      items,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (limit > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = job_new (self);
  job->mailbox = g_strdup (mailbox != NULL ? mailbox : "INBOX");
  job->limit = limit;
  job->before_uid = before_uid;
  job->uidvalidity = uidvalidity;
  job->items = items;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &fetch_tag);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, fetch_worker);
}

/**
 * ep_imap_worker_fetch_finish:
 * @uidvalidity: (out) (optional): the mailbox's UIDVALIDITY, which the UIDs
 *   fetched belong to: give it to every later job on them
 *
 * Returns: (transfer full) (element-type EpImapMessage): newest first
 */
GPtrArray *
ep_imap_worker_fetch_finish (EpImapWorker  *self,
                             GAsyncResult  *result,
                             guint32       *uidvalidity,
                             GError       **error)
{
  GPtrArray *messages;

  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &fetch_tag, NULL);

  messages = g_task_propagate_pointer (G_TASK (result), error);
  if (uidvalidity != NULL)
    *uidvalidity = messages != NULL ? ((Job *) g_task_get_task_data (G_TASK (result)))->uidvalidity : 0;
  return messages;
}

static GError *keep_locally (Job          *job,
                             const GError *error);

static void
save_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = sign_in (job->settings, cancellable, &error);
  gboolean ok = FALSE;

  if (client != NULL && job->path != NULL)
    {
      ok = ep_imap_sent_save_file (client, NULL, job->path, job->message_id, &job->saved_in,
                                   &job->already_there, cancellable, &error);
      ep_imap_client_logout (client);
    }
  else if (client != NULL)
    {
      ok = ep_imap_sent_save (client, NULL, ep_send_result_get_message (job->send_result),
                              ep_send_result_get_size (job->send_result), &job->saved_in,
                              &job->already_there, cancellable, &error);
      ep_imap_client_logout (client);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_error (task, keep_locally (job, error));
}

/* A copy that could not be saved is kept on disk, and the error says where. */
static GError *
keep_locally (Job          *job,
              const GError *error)
{
  g_autoptr(GError) keep_error = NULL;
  g_autofree char *kept = job->path != NULL
                          ? ep_imap_sent_keep_file_locally (job->path, job->message_id, &keep_error)
                          : ep_imap_sent_keep_locally (ep_send_result_get_message (job->send_result),
                                                       &keep_error);

  if (kept != NULL)
    /* Translators: the first %s says why the copy failed, the second is a file */
    return g_error_new (error->domain, error->code, _("%s The message is kept in “%s” to be saved later."),
                        error->message, kept);
  /* Translators: the first %s says why the copy failed, the second why it could not be kept */
  return g_error_new (error->domain, error->code, _("%s It could not be kept on this computer either: %s"),
                      error->message, keep_error->message);
}

/**
 * ep_imap_worker_save_sent_async:
 * @send_result: of a send that delivered: it carries the message sent
 *
 * Saves the message in the Sent folder once (see ep_imap_sent_save ()).
 * When saving fails (but was not cancelled) the message is kept with
 * ep_imap_sent_keep_locally () and the error's message says where; the
 * caller tells the person the send itself worked.
 */
void
ep_imap_worker_save_sent_async (EpImapWorker         *self,
                                EpSendResult         *send_result,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (EP_IS_SEND_RESULT (send_result));
  g_return_if_fail (ep_send_result_get_message (send_result) != NULL);

  job = job_new (self);
  job->send_result = g_object_ref (send_result);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &save_tag);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, save_worker);
}

/**
 * ep_imap_worker_save_sent_file_async:
 * @path: a message as sent, in wire form (an outbox message)
 * @message_id: (nullable): its Message-ID
 *
 * As ep_imap_worker_save_sent_async (), for a message kept in a file;
 * finish with ep_imap_worker_save_sent_finish (). When saving fails the
 * file is copied to epistle/unsaved-sent/.
 */
void
ep_imap_worker_save_sent_file_async (EpImapWorker        *self,
                                     const char          *path,
                                     const char          *message_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (path != NULL);

  job = job_new (self);
  job->path = g_strdup (path);
  job->message_id = g_strdup (message_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &save_tag);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, save_worker);
}

gboolean
ep_imap_worker_save_sent_finish (EpImapWorker  *self,
                                 GAsyncResult  *result,
                                 char         **saved_in,
                                 gboolean      *already_there,
                                 GError       **error)
{
  Job *job;

  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &save_tag, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (saved_in != NULL)
    *saved_in = g_strdup (job->saved_in);
  if (already_there != NULL)
    *already_there = job->already_there;
  return TRUE;
}

/* For ep-imap-worker-message.c: the settings frozen for a job, and a session signed in with them. */
EpImapWorker *
ep_imap_worker_freeze (EpImapWorker *self)
{
  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), NULL);
  return freeze (self);
}

EpImapClient *
ep_imap_worker_sign_in (EpImapWorker  *settings,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_WORKER (settings), NULL);
  return sign_in (settings, cancellable, error);
}

/* Sent copies kept on this computer */

static const char retry_tag;

typedef struct
{
  Job *job;
  char *from_address;
  EpImapUnsavedReport *report;
} RetryJob;

static void
retry_job_free (gpointer data)
{
  RetryJob *retry = data;

  job_free (retry->job);
  g_free (retry->from_address);
  ep_imap_unsaved_report_free (retry->report);
  g_free (retry);
}

static void
retry_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  RetryJob *retry = task_data;
  g_autoptr(GPtrArray) kept = ep_imap_unsaved_list (retry->from_address);
  g_autoptr(EpImapClient) client = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Nothing kept: no connection at all. */
  if (kept->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  client = sign_in (retry->job->settings, cancellable, &error);
  ok = client != NULL &&
       ep_imap_unsaved_retry (client, retry->from_address, retry->report, cancellable, &error);
  if (client != NULL)
    ep_imap_client_logout (client);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ep_imap_worker_retry_unsaved_async:
 * @from_address: (nullable): only the copies sent from this address (the account's)
 *
 * Saves the Sent copies kept on this computer (see ep_imap_unsaved_retry ()),
 * with no connection when there are none.
 */
void
ep_imap_worker_retry_unsaved_async (EpImapWorker         *self,
                                    const char           *from_address,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RetryJob *retry;

  g_return_if_fail (EP_IS_IMAP_WORKER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  retry = g_new0 (RetryJob, 1);
  retry->job = job_new (self);
  retry->from_address = g_strdup (from_address);
  retry->report = ep_imap_unsaved_report_new ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &retry_tag);
  g_task_set_task_data (task, retry, retry_job_free);
  g_task_run_in_thread (task, retry_worker);
}

/**
 * ep_imap_worker_retry_unsaved_finish:
 *
 * Returns: (transfer full): how many copies were saved and which are still
 *   kept, and why; %NULL with @error set when none could be tried (no
 *   connection, no Sent folder, cancelled)
 */
EpImapUnsavedReport *
ep_imap_worker_retry_unsaved_finish (EpImapWorker  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  RetryJob *retry;

  g_return_val_if_fail (EP_IS_IMAP_WORKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &retry_tag, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  retry = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&retry->report);
}
