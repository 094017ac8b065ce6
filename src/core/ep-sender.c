/* ep-sender.c — the whole send in a GTask worker thread, with progress
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker runs the same blocking steps the tests call — build, measure,
 * connect, sign in, send — on its own copy of the message and settings.
 * Progress goes back to the caller's main context through one pending
 * invocation at a time, so a fast send cannot flood the main loop.
 */
#include "ep-sender.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>

#include "ep-mime.h"

struct _EpSender
{
  GObject parent_instance;

  /* Owned */
  char *host;
  char *user;
  char *secret;
  char *ca_file;
  char *pin;
  EpTranscript *transcript;
  EpServerInfo *server_info;  /* from the last check or send that reached the server */

  guint16 port;
  EpSecurity security;
  EpSaslMechanism mechanism;
  EpSmtpTimeouts timeouts;
  gboolean partial;
  gboolean use_chunking;
  gboolean allow_plaintext_auth;
};

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static const char send_tag;
static const char check_tag;

G_DEFINE_FINAL_TYPE (EpSender, ep_sender, G_TYPE_OBJECT)

/* Latest progress, shared by the worker and the main context. */
typedef struct
{
  gatomicrefcount ref_count;
  GMutex lock;
  EpSender *sender;
  EpSendStage stage;
  guint64 done;
  guint64 total;
  gboolean scheduled;
} Relay;

typedef struct
{
  EpSender *sender;       /* a frozen copy of the settings */
  EpMessage *message;     /* NULL for a check or a file */
  char *path;             /* a message already built, from ep_sender_send_file_async () */
  EpAddress *from;        /* its envelope sender */
  EpAddressList *recipients;
  EpSendResult *result;
  EpServerInfo *info;     /* set by the worker once connected */
  Relay *relay;
  GMainContext *context;
} SendJob;

static void
ep_sender_finalize (GObject *object)
{
  EpSender *self = EP_SENDER (object);

  g_free (self->host);
  g_free (self->user);
  g_free (self->secret);
  g_free (self->ca_file);
  g_free (self->pin);
  g_clear_object (&self->transcript);
  g_clear_pointer (&self->server_info, ep_server_info_free);

  G_OBJECT_CLASS (ep_sender_parent_class)->finalize (object);
}

static void
ep_sender_class_init (EpSenderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_sender_finalize;

  /**
   * EpSender::progress:
   * @stage: an #EpSendStage
   * @done: message bytes handed to the server so far
   * @total: the message's exact size, or 0 before it is known
   *
   * Emitted on the main context of the caller of ep_sender_send_async ().
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
ep_sender_init (EpSender *self)
{
  self->transcript = ep_transcript_new ();
  self->use_chunking = TRUE;
  ep_smtp_timeouts_init (&self->timeouts, 0);
}

/* @port: 0 for the default port of @security */
EpSender *
ep_sender_new (const char *host,
               guint16     port,
               EpSecurity  security)
{
  EpSender *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (EP_TYPE_SENDER, NULL);
  self->host = g_strdup (host);
  self->security = security;
  self->port = port ? port : ep_security_default_smtp_port (security);
  return self;
}

/* @user: (nullable): %NULL to send without signing in */
void
ep_sender_set_credentials (EpSender        *self,
                           const char      *user,
                           const char      *secret,
                           EpSaslMechanism  mechanism)
{
  g_return_if_fail (EP_IS_SENDER (self));

  g_free (self->user);
  g_free (self->secret);
  self->user = g_strdup (user);
  self->secret = g_strdup (secret);
  self->mechanism = mechanism;
}

void
ep_sender_set_trust (EpSender   *self,
                     const char *ca_file,
                     const char *pin)
{
  g_return_if_fail (EP_IS_SENDER (self));

  g_free (self->ca_file);
  g_free (self->pin);
  self->ca_file = g_strdup (ca_file);
  self->pin = g_strdup (pin);
}

void
ep_sender_set_timeouts (EpSender             *self,
                        const EpSmtpTimeouts *timeouts)
{
  g_return_if_fail (EP_IS_SENDER (self));
  g_return_if_fail (timeouts != NULL);
  self->timeouts = *timeouts;
}

void
ep_sender_set_partial (EpSender *self,
                       gboolean  partial)
{
  g_return_if_fail (EP_IS_SENDER (self));
  self->partial = partial;
}

/* Returns: whether a send goes to the accepted recipients when others are refused */
gboolean
ep_sender_get_partial (EpSender *self)
{
  g_return_val_if_fail (EP_IS_SENDER (self), FALSE);
  return self->partial;
}

void
ep_sender_set_use_chunking (EpSender *self,
                            gboolean  use_chunking)
{
  g_return_if_fail (EP_IS_SENDER (self));
  self->use_chunking = use_chunking;
}

/**
 * ep_sender_set_allow_plaintext_auth:
 * @allow: %TRUE once the user has accepted that, with %EP_SECURITY_NONE,
 *   the password crosses the network in clear text
 *
 * Without it a send with credentials over %EP_SECURITY_NONE fails before
 * the sign-in with %EP_SMTP_ERROR_INSECURE.
 */
void
ep_sender_set_allow_plaintext_auth (EpSender *self,
                                    gboolean  allow)
{
  g_return_if_fail (EP_IS_SENDER (self));
  self->allow_plaintext_auth = allow;
}

/* The dialogue of every send so far, passwords redacted. */
EpTranscript *
ep_sender_get_transcript (EpSender *self)
{
  g_return_val_if_fail (EP_IS_SENDER (self), NULL);
  return self->transcript;
}

/* The server, for sentences such as “Connecting to smtp.qq.com…”. */
const char *
ep_sender_get_host (EpSender *self)
{
  g_return_val_if_fail (EP_IS_SENDER (self), NULL);
  return self->host;
}

guint16
ep_sender_get_port (EpSender *self)
{
  g_return_val_if_fail (EP_IS_SENDER (self), 0);
  return self->port;
}

EpSecurity
ep_sender_get_security (EpSender *self)
{
  g_return_val_if_fail (EP_IS_SENDER (self), EP_SECURITY_TLS);
  return self->security;
}

/* (nullable): the user name to sign in with, or %NULL; the secret has no getter */
const char *
ep_sender_get_user (EpSender *self)
{
  g_return_val_if_fail (EP_IS_SENDER (self), NULL);
  return self->user;
}

static EpSender *
sender_freeze (EpSender *self)
{
  EpSender *copy = ep_sender_new (self->host, self->port, self->security);

  ep_sender_set_credentials (copy, self->user, self->secret, self->mechanism);
  ep_sender_set_trust (copy, self->ca_file, self->pin);
  copy->timeouts = self->timeouts;
  copy->partial = self->partial;
  copy->use_chunking = self->use_chunking;
  copy->allow_plaintext_auth = self->allow_plaintext_auth;
  g_set_object (&copy->transcript, self->transcript);
  return copy;
}

static Relay *
relay_ref (Relay *relay)
{
  g_atomic_ref_count_inc (&relay->ref_count);
  return relay;
}

static void
relay_unref (gpointer data)
{
  Relay *relay = data;

  if (g_atomic_ref_count_dec (&relay->ref_count))
    {
      g_mutex_clear (&relay->lock);
      g_object_unref (relay->sender);
      g_free (relay);
    }
}

static gboolean
relay_emit (gpointer data)
{
  Relay *relay = data;
  EpSendStage stage;
  guint64 done, total;

  g_mutex_lock (&relay->lock);
  stage = relay->stage;
  done = relay->done;
  total = relay->total;
  relay->scheduled = FALSE;
  g_mutex_unlock (&relay->lock);

  g_signal_emit (relay->sender, signals[SIGNAL_PROGRESS], 0, (guint) stage, done, total);
  return G_SOURCE_REMOVE;
}

/* Called on the worker thread. */
static void
report (SendJob     *job,
        EpSendStage  stage,
        guint64      done)
{
  Relay *relay = job->relay;
  gboolean schedule;

  g_mutex_lock (&relay->lock);
  relay->stage = stage;
  relay->done = MIN (done, relay->total);
  schedule = !relay->scheduled;
  relay->scheduled = TRUE;
  g_mutex_unlock (&relay->lock);

  if (schedule)
    g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, relay_emit, relay_ref (relay),
                                relay_unref);
}

static void
on_stage (EpSendStage stage,
          gpointer    user_data)
{
  SendJob *job = user_data;

  report (job, stage, stage == EP_SEND_STAGE_DONE ? job->relay->total : 0);
}

static void
on_bytes (guint64  written,
          gpointer user_data)
{
  report (user_data, EP_SEND_STAGE_SENDING, written);
}

static void
send_job_free (gpointer data)
{
  SendJob *job = data;

  g_object_unref (job->sender);
  g_clear_object (&job->message);
  g_free (job->path);
  g_clear_pointer (&job->from, ep_address_free);
  g_clear_pointer (&job->recipients, ep_address_list_unref);
  g_object_unref (job->result);
  g_clear_pointer (&job->info, ep_server_info_free);
  relay_unref (job->relay);
  g_main_context_unref (job->context);
  g_free (job);
}

/* @message: (nullable): %NULL for a check */
static SendJob *
send_job_new (EpSender  *self,
              EpMessage *message)
{
  SendJob *job = g_new0 (SendJob, 1);

  job->sender = sender_freeze (self);
  job->message = message != NULL ? ep_message_copy (message) : NULL;
  job->result = ep_send_result_new ();
  job->context = g_main_context_ref_thread_default ();
  job->relay = g_new0 (Relay, 1);
  g_atomic_ref_count_init (&job->relay->ref_count);
  g_mutex_init (&job->relay->lock);
  job->relay->sender = g_object_ref (self);
  return job;
}

/* A client with the job's settings, for a send and a check alike. */
static EpSmtpClient *
job_client_new (SendJob *job)
{
  EpSender *cfg = job->sender;
  EpSmtpClient *client = ep_smtp_client_new (cfg->transcript, &cfg->timeouts);

  ep_smtp_client_set_stage_func (client, on_stage, job);
  ep_smtp_client_set_use_chunking (client, cfg->use_chunking);
  ep_smtp_client_set_allow_plaintext_auth (client, cfg->allow_plaintext_auth);
  return client;
}

/* Connects, secures and signs in as the job's settings say. */
static EpSmtpClient *
job_connect (SendJob       *job,
             GCancellable  *cancellable,
             GError       **error)
{
  EpSender *cfg = job->sender;
  g_autoptr(EpSmtpClient) client = job_client_new (job);
  gboolean ok;

  ok = ep_smtp_client_connect (client, cfg->host, cfg->port, cfg->security, cfg->ca_file,
                               cfg->pin, cancellable, error) &&
       (job->info = ep_smtp_client_dup_server_info (client)) != NULL &&
       (cfg->user == NULL ||
        ep_smtp_client_authenticate (client, cfg->user, cfg->secret ? cfg->secret : "",
                                     cfg->mechanism, cancellable, error));
  if (!ok)
    {
      ep_smtp_client_quit (client);
      return NULL;
    }
  return g_steal_pointer (&client);
}

static void
set_total (SendJob *job,
           guint64  size)
{
  ep_send_result_set_size (job->result, size);
  g_mutex_lock (&job->relay->lock);
  job->relay->total = size;
  g_mutex_unlock (&job->relay->lock);
}

static gboolean
run_send (SendJob       *job,
          GCancellable  *cancellable,
          GError       **error)
{
  EpSender *cfg = job->sender;
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(EpSmtpClient) client = NULL;
  g_autoptr(EpAddressList) recipients = NULL;
  gboolean ok;
  gint64 size;

  report (job, EP_SEND_STAGE_PREPARING, 0);
  mime = ep_mime_build (job->message, error);
  if (mime == NULL || (size = ep_mime_measure (mime, error)) < 0)
    return FALSE;
  ep_send_result_set_message_id (job->result, g_mime_message_get_message_id (mime));
  ep_send_result_set_message (job->result, mime);
  set_total (job, size);

  client = job_connect (job, cancellable, error);
  if (client == NULL)
    return FALSE;
  recipients = ep_message_dup_envelope_recipients (job->message);
  ok = ep_smtp_client_send (client, ep_message_get_from (job->message), recipients, mime, size,
                            cfg->partial, on_bytes, job, job->result, cancellable, error);
  ep_smtp_client_quit (client);
  return ok;
}

/* The same, for a message built before and kept in a file. */
static gboolean
run_send_file (SendJob       *job,
               GCancellable  *cancellable,
               GError       **error)
{
  EpSender *cfg = job->sender;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(EpSmtpClient) client = NULL;
  gboolean ok;
  gint64 size;

  report (job, EP_SEND_STAGE_PREPARING, 0);
  ep_mime_init ();
  stream = g_mime_stream_fs_open (job->path, O_RDONLY, 0, NULL);
  if (stream == NULL || (size = g_mime_stream_length (stream)) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not read the message “%s”: %s"), job->path, g_strerror (saved_errno));
      return FALSE;
    }
  set_total (job, size);

  client = job_connect (job, cancellable, error);
  if (client == NULL)
    return FALSE;
  ok = ep_smtp_client_send_stream (client, job->from, job->recipients, stream, size,
                                   cfg->partial, on_bytes, job,
                                   job->result, cancellable, error);
  ep_smtp_client_quit (client);
  return ok;
}

static void
send_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (job->path != NULL ? run_send_file (job, cancellable, &error) : run_send (job, cancellable, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The send was cancelled"));
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ep_sender_send_async:
 * @message: copied now; later edits do not affect this send
 *
 * Sends @message in a worker thread. #EpSender::progress is emitted on the
 * thread-default main context of the caller.
 */
void
ep_sender_send_async (EpSender            *self,
                      EpMessage           *message,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendJob *job;

  g_return_if_fail (EP_IS_SENDER (self));
  g_return_if_fail (EP_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = send_job_new (self, message);
  task = g_task_new (self, cancellable, callback, user_data);
  /* A send the server already took must report that, even if cancelled since. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_source_tag (task, (gpointer) &send_tag);
  g_task_set_task_data (task, job, send_job_free);
  g_task_run_in_thread (task, send_worker);
}

/**
 * ep_sender_send_file_async:
 * @from: the envelope sender (MAIL FROM)
 * @recipients: the envelope recipients (RCPT TO), Bcc included
 * @path: a message in wire form, as ep_mime_write () wrote it
 *
 * Sends the bytes of @path unchanged, as ep_sender_send_async () sends a
 * message it builds; finish with ep_sender_send_finish (). The result
 * carries no GMimeMessage: the file is the message.
 */
void
ep_sender_send_file_async (EpSender            *self,
                           const EpAddress     *from,
                           const EpAddressList *recipients,
                           const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendJob *job;

  g_return_if_fail (EP_IS_SENDER (self));
  g_return_if_fail (from != NULL);
  g_return_if_fail (recipients != NULL && ep_address_list_get_length (recipients) > 0);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = send_job_new (self, NULL);
  job->path = g_strdup (path);
  job->from = ep_address_copy (from);
  job->recipients = ep_address_list_ref ((EpAddressList *) recipients);
  task = g_task_new (self, cancellable, callback, user_data);
  /* A send the server already took must report that, even if cancelled since. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_source_tag (task, (gpointer) &send_tag);
  g_task_set_task_data (task, job, send_job_free);
  g_task_run_in_thread (task, send_worker);
}

/* On the main thread, once the worker is done. */
static void
keep_server_info (EpSender *self,
                  SendJob  *job)
{
  if (job->info == NULL)
    return;
  g_clear_pointer (&self->server_info, ep_server_info_free);
  self->server_info = ep_server_info_copy (job->info);
}

/**
 * ep_sender_send_finish:
 * @send_result: (out) (transfer full) (optional): each recipient's outcome,
 *   filled in as far as the send got, also on failure
 *
 * Returns: %TRUE when the server took the message
 */
gboolean
ep_sender_send_finish (EpSender      *self,
                       GAsyncResult  *result,
                       EpSendResult **send_result,
                       GError       **error)
{
  SendJob *job;

  g_return_val_if_fail (EP_IS_SENDER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &send_tag, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  keep_server_info (self, job);
  if (send_result != NULL)
    *send_result = g_object_ref (job->result);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Connect, secure, EHLO, sign in, QUIT: nothing is sent. */
static gboolean
run_check (SendJob       *job,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(EpSmtpClient) client = job_connect (job, cancellable, error);

  if (client == NULL)
    return FALSE;
  ep_smtp_client_quit (client);
  return TRUE;
}

static void
check_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SendJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (run_check (job, cancellable, &error))
    {
      g_task_return_pointer (task, ep_server_info_copy (job->info),
                             (GDestroyNotify) ep_server_info_free);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Signing in was cancelled"));
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ep_sender_check_async:
 *
 * Checks the account in a worker thread: connects, secures the connection,
 * says EHLO, signs in with the credentials (if any) and says QUIT, sending
 * no message. #EpSender::progress reports the stages (%EP_SEND_STAGE_CONNECTING,
 * %EP_SEND_STAGE_TLS, %EP_SEND_STAGE_AUTHENTICATING) with 0 bytes, on the
 * thread-default main context of the caller. Failures are the same errors a
 * send gives: #EP_SMTP_ERROR_AUTH for a wrong password or authorization
 * code, #EP_TLS_ERROR_UNTRUSTED for a certificate to pin (see
 * ep_tls_error_dup_fingerprint ()), #G_IO_ERROR codes for the network.
 */
void
ep_sender_check_async (EpSender            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_SENDER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &check_tag);
  g_task_set_task_data (task, send_job_new (self, NULL), send_job_free);
  g_task_run_in_thread (task, check_worker);
}

/**
 * ep_sender_check_finish:
 *
 * Returns: (transfer full) (nullable): what the server announced (SIZE limit,
 *   CHUNKING, SMTPUTF8, greeting), or %NULL with @error set
 */
EpServerInfo *
ep_sender_check_finish (EpSender      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (EP_IS_SENDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &check_tag, NULL);

  keep_server_info (self, g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ep_sender_dup_server_info:
 *
 * What the server announced in the last check or send that reached it,
 * updated by ep_sender_check_finish () and ep_sender_send_finish ().
 *
 * Returns: (transfer full) (nullable): a copy, or %NULL before any
 */
EpServerInfo *
ep_sender_dup_server_info (EpSender *self)
{
  g_return_val_if_fail (EP_IS_SENDER (self), NULL);

  return self->server_info != NULL ? ep_server_info_copy (self->server_info) : NULL;
}
