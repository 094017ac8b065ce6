/* ep-outbox.c — messages that could not be sent yet, tried again with back-off, sent once
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message whose send failed for a reason that may pass (no network, a
 * refused connection, a 4xx reply, a timeout) is kept as an EpOutboxEntry
 * and tried again while Epistle runs: 30 s after the failure, then 1 min,
 * 2 min … at most every 15 min, or at once on Retry Now. Every try sends
 * the bytes written at the first one, so the Message-ID never changes.
 *
 * Exactly once: the entry's state is written to disk as "sending" before a
 * try starts and again when it ends. An entry still "sending" when the
 * outbox is loaded was cut off by a crash, maybe after the server took it:
 * it becomes "uncertain" and is never sent again unless the person asks.
 * The same holds for a try that sent the whole message but never heard the
 * server's verdict. After delivery the entry is marked "sent", its copy is
 * saved in the Sent folder (where the account has one), and it is removed.
 *
 * The outbox is a GListModel of its entries, oldest first; a change of an
 * entry's state is reported as that item being replaced by itself.
 *
 * The network: a GNetworkMonitor (the default one unless another is given)
 * says when the computer is offline. A try that fails then to reach the
 * server is not counted, so the back-off does not grow while nothing can be
 * reached; when the network comes back, every queued entry of a signed-in
 * account that is not under way is tried once at once, not at its back-off.
 */
#include "ep-outbox.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "ep-imap-sent.h"
#include "ep-smtp.h"
#include "ep-transport.h"

#define FIRST_BACKOFF 30
#define MAX_BACKOFF (15 * 60)

typedef struct
{
  EpSender *sender;
  EpImapWorker *sent_worker;   /* NULL when the provider files sent mail itself, or no IMAP */
} Account;

struct _EpOutbox
{
  GObject parent_instance;

  /* Owned */
  char *dir;
  GPtrArray *entries;         /* EpOutboxEntry, oldest first */
  GHashTable *accounts;       /* address → Account */
  GHashTable *in_flight;      /* EpOutboxEntry set: a try or its Sent copy is under way */
  GCancellable *cancellable;
  GNetworkMonitor *monitor;
  gulong monitor_handler;
  gboolean online;            /* the monitor's word: a network beyond this computer is up */

  guint timer;
  guint first_backoff;
  guint max_backoff;
};

static void ep_outbox_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EpOutbox, ep_outbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ep_outbox_list_model_init))

enum {
  SIGNAL_DELIVERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (EpOutbox *self);

static void
account_free (gpointer data)
{
  Account *account = data;

  g_clear_object (&account->sender);
  g_clear_object (&account->sent_worker);
  g_free (account);
}

static GType
ep_outbox_get_item_type (GListModel *model)
{
  return EP_TYPE_OUTBOX_ENTRY;
}

static guint
ep_outbox_get_n_items (GListModel *model)
{
  return EP_OUTBOX (model)->entries->len;
}

static gpointer
ep_outbox_get_item (GListModel *model,
                    guint       position)
{
  EpOutbox *self = EP_OUTBOX (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
ep_outbox_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ep_outbox_get_item_type;
  iface->get_n_items = ep_outbox_get_n_items;
  iface->get_item = ep_outbox_get_item;
}

static void
ep_outbox_dispose (GObject *object)
{
  EpOutbox *self = EP_OUTBOX (object);

  ep_outbox_stop (self);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  G_OBJECT_CLASS (ep_outbox_parent_class)->dispose (object);
}

static void
ep_outbox_finalize (GObject *object)
{
  EpOutbox *self = EP_OUTBOX (object);

  g_free (self->dir);
  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->in_flight);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ep_outbox_parent_class)->finalize (object);
}

static void
ep_outbox_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EpOutbox *self = EP_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->online);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ep_outbox_class_init (EpOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ep_outbox_dispose;
  object_class->finalize = ep_outbox_finalize;
  object_class->get_property = ep_outbox_get_property;

  /**
   * EpOutbox:network-available:
   *
   * Whether the network monitor says a network beyond this computer is up.
   */
  properties[PROP_NETWORK_AVAILABLE] =
    g_param_spec_boolean ("network-available", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpOutbox::delivered:
   * @entry: the entry, already removed from the outbox and the disk
   * @saved_in: (nullable): the folder that holds its Sent copy
   * @copy_error: (nullable): why no copy could be saved (the message says where it is kept)
   *
   * A message from the outbox was delivered.
   */
  signals[SIGNAL_DELIVERED] =
    g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, EP_TYPE_OUTBOX_ENTRY, G_TYPE_STRING, G_TYPE_STRING);
}

static void
ep_outbox_init (EpOutbox *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, account_free);
  self->in_flight = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
  self->first_backoff = FIRST_BACKOFF;
  self->max_backoff = MAX_BACKOFF;
}

/* Returns: (transfer full): epistle/outbox under the user data dir */
char *
ep_outbox_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "epistle", "outbox", NULL);
}

/**
 * ep_outbox_error_is_temporary:
 * @result: (nullable): the failed send's result
 *
 * Whether a failed send may succeed later unchanged: no network, a refused
 * or dropped connection, a timeout, a 4xx reply. Not a 5xx refusal, a
 * sign-in or certificate failure, a cancel, nor a send whose whole message
 * reached the server without a verdict (sending it again could deliver it twice).
 */
gboolean
ep_outbox_error_is_temporary (const GError *error,
                              EpSendResult *result)
{
  static const int io_codes[] = {
    G_IO_ERROR_CONNECTION_REFUSED, G_IO_ERROR_TIMED_OUT, G_IO_ERROR_NETWORK_UNREACHABLE,
    G_IO_ERROR_HOST_UNREACHABLE, G_IO_ERROR_CONNECTION_CLOSED, G_IO_ERROR_BROKEN_PIPE,
    G_IO_ERROR_NOT_CONNECTED, G_IO_ERROR_HOST_NOT_FOUND,
  };

  g_return_val_if_fail (error != NULL, FALSE);

  if (result != NULL && ep_send_result_get_unconfirmed (result))
    return FALSE;
  if (g_error_matches (error, EP_SMTP_ERROR, EP_SMTP_ERROR_TEMPORARY) ||
      g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE) ||
      g_error_matches (error, EP_TRANSPORT_ERROR, EP_TRANSPORT_ERROR_CLOSED))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (io_codes); i++)
    {
      if (g_error_matches (error, G_IO_ERROR, io_codes[i]))
        return TRUE;
    }
  return FALSE;
}

/**
 * ep_outbox_new:
 * @dir: (nullable): where the entries live; %NULL for ep_outbox_default_dir ()
 */
EpOutbox *
ep_outbox_new (const char *dir)
{
  EpOutbox *self = g_object_new (EP_TYPE_OUTBOX, NULL);

  self->dir = dir != NULL ? g_strdup (dir) : ep_outbox_default_dir ();
  ep_outbox_set_network_monitor (self, NULL);
  return self;
}

const char *
ep_outbox_get_dir (EpOutbox *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX (self), NULL);
  return self->dir;
}

/* The wait after the first failure, doubled after each further one, up to @max_seconds. */
void
ep_outbox_set_backoff (EpOutbox *self,
                       guint     first_seconds,
                       guint     max_seconds)
{
  g_return_if_fail (EP_IS_OUTBOX (self));
  g_return_if_fail (first_seconds > 0 && max_seconds >= first_seconds);

  self->first_backoff = first_seconds;
  self->max_backoff = max_seconds;
}

/* Seconds to wait after @attempts failed tries (1 or more). */
guint
ep_outbox_get_backoff (EpOutbox *self,
                       guint     attempts)
{
  guint64 wait;

  g_return_val_if_fail (EP_IS_OUTBOX (self), 0);

  wait = self->first_backoff;
  for (guint i = 1; i < attempts && wait < self->max_backoff; i++)
    wait *= 2;
  return (guint) MIN (wait, self->max_backoff);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
find (EpOutbox      *self,
      EpOutboxEntry *entry,
      guint         *position)
{
  return g_ptr_array_find (self->entries, entry, position);
}

/* The row shows the entry anew. */
static void
changed (EpOutbox      *self,
         EpOutboxEntry *entry)
{
  guint position;

  if (find (self, entry, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

static void
save_or_note (EpOutboxEntry *entry)
{
  g_autoptr(GError) error = NULL;

  if (!ep_outbox_entry_save (entry, &error))
    g_message ("The outbox entry %s could not be saved: %s", ep_outbox_entry_get_id (entry), error->message);
}

static gint
by_created (gconstpointer a,
            gconstpointer b)
{
  EpOutboxEntry *x = *(EpOutboxEntry * const *) a;
  EpOutboxEntry *y = *(EpOutboxEntry * const *) b;
  gint64 cx = ep_outbox_entry_get_created (x);
  gint64 cy = ep_outbox_entry_get_created (y);

  if (cx != cy)
    return cx < cy ? -1 : 1;
  return g_strcmp0 (ep_outbox_entry_get_id (x), ep_outbox_entry_get_id (y));
}

/* An entry as found at start: what a crash left half done is settled here. */
static gboolean
settle_loaded (EpOutboxEntry  *entry,
               GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *kept = NULL;

  switch (ep_outbox_entry_get_state (entry))
    {
    case EP_OUTBOX_STATE_SENDING:
      ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_UNCERTAIN);
      ep_outbox_entry_set_last_error (entry, _("Epistle stopped while this message was being sent."));
      return ep_outbox_entry_save (entry, error);
    case EP_OUTBOX_STATE_SENT:
      /* Delivered, but its Sent copy was not settled: keep it for the person, then let it go. */
      path = ep_outbox_entry_dup_message_path (entry);
      kept = ep_imap_sent_keep_file_locally (path, ep_outbox_entry_get_message_id (entry), error);
      return kept != NULL && ep_outbox_entry_delete (entry, error);
    case EP_OUTBOX_STATE_QUEUED:
    case EP_OUTBOX_STATE_FAILED:
    case EP_OUTBOX_STATE_UNCERTAIN:
    default:
      return TRUE;
    }
}

/**
 * ep_outbox_load:
 *
 * Reads every entry under the outbox folder (none if it does not exist).
 * An entry still "sending" becomes "uncertain" and is not sent again by
 * itself; one already "sent" is copied to epistle/unsaved-sent/ and removed.
 * An entry that cannot be read is left on disk untouched and named in
 * @error; the others are loaded all the same.
 *
 * Returns: %TRUE if every entry could be read
 */
gboolean
ep_outbox_load (EpOutbox  *self,
                GError   **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  guint before;
  const char *name;

  g_return_val_if_fail (EP_IS_OUTBOX (self), FALSE);

  before = self->entries->len;
  dir = g_dir_open (self->dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, name, NULL);
      g_autoptr(EpOutboxEntry) entry = NULL;
      gboolean known = FALSE;

      for (guint i = 0; i < self->entries->len && !known; i++)
        known = g_str_equal (ep_outbox_entry_get_id (g_ptr_array_index (self->entries, i)), name);
      if (known || !g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      entry = ep_outbox_entry_load (path, &local_error);
      if (entry != NULL && settle_loaded (entry, &local_error) &&
          ep_outbox_entry_get_state (entry) != EP_OUTBOX_STATE_SENT)
        g_ptr_array_add (self->entries, g_steal_pointer (&entry));
      if (local_error != NULL)
        {
          g_string_append_printf (problems, "%s%s", problems->len ? " " : "", local_error->message);
          g_clear_error (&local_error);
        }
    }
  g_ptr_array_sort (self->entries, by_created);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, before, self->entries->len);
  schedule (self);
  if (problems->len > 0)
    {
      g_set_error_literal (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_CORRUPT, problems->str);
      return FALSE;
    }
  return TRUE;
}

/**
 * ep_outbox_set_account:
 * @account: an account's address, as entries name it
 * @sender: (nullable): sends for that account; %NULL forgets the account
 * @sent_worker: (nullable): saves delivered messages in its Sent folder
 *
 * Entries of an account are tried only while it has a sender (the person
 * is signed in).
 */
void
ep_outbox_set_account (EpOutbox     *self,
                       const char   *account,
                       EpSender     *sender,
                       EpImapWorker *sent_worker)
{
  Account *entry;

  g_return_if_fail (EP_IS_OUTBOX (self));
  g_return_if_fail (account != NULL);

  if (sender == NULL)
    {
      g_hash_table_remove (self->accounts, account);
      schedule (self);
      return;
    }
  entry = g_new0 (Account, 1);
  entry->sender = g_object_ref (sender);
  entry->sent_worker = sent_worker ? g_object_ref (sent_worker) : NULL;
  g_hash_table_replace (self->accounts, g_strdup (account), entry);
  for (guint i = 0; i < self->entries->len; i++)
    {
      EpOutboxEntry *item = g_ptr_array_index (self->entries, i);
      if (g_strcmp0 (ep_outbox_entry_get_account (item), account) == 0)
        changed (self, item);
    }
  schedule (self);
}

gboolean
ep_outbox_has_account (EpOutbox   *self,
                       const char *account)
{
  g_return_val_if_fail (EP_IS_OUTBOX (self), FALSE);
  return account != NULL && g_hash_table_contains (self->accounts, account);
}

/**
 * ep_outbox_add:
 * @draft: the composer's fields; its sender and recipients make the envelope
 * @mime: the message as the failed send built it (its Message-ID stays)
 * @declined: (nullable): addresses refused before that the person chose to
 *   leave out ("Send to the Others"); every try needs all the others accepted
 * @last_error: (nullable): why that send failed
 *
 * Keeps the message for a later try, the first one after the back-off.
 *
 * Returns: (transfer none): the new entry, or %NULL with @error set
 */
EpOutboxEntry *
ep_outbox_add (EpOutbox      *self,
               const char    *account,
               EpMessage     *draft,
               GMimeMessage  *mime,
               const char * const *declined,
               const char    *last_error,
               GError       **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *dir = g_build_filename (self->dir, id, NULL);
  EpOutboxEntry *entry;
  gint64 next;

  g_return_val_if_fail (EP_IS_OUTBOX (self), NULL);

  next = now_seconds () + ep_outbox_get_backoff (self, 1);
  entry = ep_outbox_entry_create (dir, account, draft, mime, declined, last_error, next, error);
  if (entry == NULL)
    return NULL;
  g_ptr_array_add (self->entries, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
  schedule (self);
  return entry;
}

/* ---------------------------------------------------------------- a try */

typedef struct
{
  EpOutbox *outbox;
  EpOutboxEntry *entry;
  char *path;
  gboolean offline;           /* the network was down when the try began */
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_object_unref (attempt->outbox);
  g_object_unref (attempt->entry);
  g_free (attempt->path);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

static void
delivered (Attempt    *attempt,
           const char *saved_in,
           const char *copy_error)
{
  EpOutbox *self = attempt->outbox;
  g_autoptr(GError) error = NULL;
  guint position;

  g_hash_table_remove (self->in_flight, attempt->entry);
  if (!ep_outbox_entry_delete (attempt->entry, &error))
    g_message ("The delivered outbox entry %s could not be removed: %s",
               ep_outbox_entry_get_id (attempt->entry), error->message);
  if (find (self, attempt->entry, &position))
    {
      g_ptr_array_remove_index (self->entries, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
  g_signal_emit (self, signals[SIGNAL_DELIVERED], 0, attempt->entry, saved_in, copy_error);
}

static void
on_copy_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved_in = NULL;

  if (!ep_imap_worker_save_sent_finish (EP_IMAP_WORKER (source), result, &saved_in, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped: the entry stays "sent", and the next start keeps its copy locally. */
      g_hash_table_remove (attempt->outbox->in_flight, attempt->entry);
      return;
    }
  delivered (attempt, saved_in, error ? error->message : NULL);
}

/* After a failed try: when to try again, or why not by itself. */
static void
failed (Attempt      *attempt,
        GError       *error,
        EpSendResult *result)
{
  EpOutbox *self = attempt->outbox;
  EpOutboxEntry *entry = attempt->entry;
  guint attempts = ep_outbox_entry_get_attempts (entry);

  ep_outbox_entry_set_last_error (entry, error->message);
  /* A cancelled try goes back to the queue only when it is known to have stopped before
   * DATA/BDAT; otherwise the server may have the message. */
  if ((result != NULL && ep_send_result_get_unconfirmed (result)) ||
      (result == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_UNCERTAIN);
  else if (ep_outbox_error_is_temporary (error, result) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Offline, a try that reached no server does not count towards the back-off. */
      if ((attempt->offline || !self->online) && attempts > 0 &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, EP_SMTP_ERROR, EP_SMTP_ERROR_TEMPORARY))
        ep_outbox_entry_set_attempts (entry, --attempts);
      ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_QUEUED);
      ep_outbox_entry_set_next_attempt (entry, now_seconds () + ep_outbox_get_backoff (self, attempts));
    }
  else
    ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_FAILED);
  save_or_note (entry);
  g_hash_table_remove (self->in_flight, entry);
  changed (self, entry);
  schedule (self);
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  EpOutbox *self = attempt->outbox;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpSendResult) result = NULL;
  Account *account;

  if (!ep_sender_send_finish (EP_SENDER (source), res, &result, &error))
    {
      failed (attempt, error, result);
      return;
    }
  /* Delivered: say so on disk before anything else, so no later start sends it again. */
  ep_outbox_entry_set_state (attempt->entry, EP_OUTBOX_STATE_SENT);
  ep_outbox_entry_set_last_error (attempt->entry, NULL);
  save_or_note (attempt->entry);
  changed (self, attempt->entry);
  account = g_hash_table_lookup (self->accounts, ep_outbox_entry_get_account (attempt->entry));
  if (account != NULL && account->sent_worker != NULL)
    {
      Attempt *data = g_steal_pointer (&attempt);

      ep_imap_worker_save_sent_file_async (account->sent_worker, data->path,
                                           ep_outbox_entry_get_message_id (data->entry),
                                           self->cancellable, on_copy_saved_cb, data);
      return;
    }
  delivered (attempt, NULL, NULL);
}

/* One try of @entry: "sending" is on disk before the first byte leaves. */
static void
attempt (EpOutbox      *self,
         EpOutboxEntry *entry)
{
  Account *account = g_hash_table_lookup (self->accounts, ep_outbox_entry_get_account (entry));
  g_autoptr(GError) error = NULL;
  Attempt *data;

  if (account == NULL)
    return;
  ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_SENDING);
  ep_outbox_entry_set_attempts (entry, ep_outbox_entry_get_attempts (entry) + 1);
  if (!ep_outbox_entry_save (entry, &error))
    {
      /* Without "sending" on disk a crash could not be told from a message never tried. */
      ep_outbox_entry_set_attempts (entry, ep_outbox_entry_get_attempts (entry) - 1);
      ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_QUEUED);
      ep_outbox_entry_set_last_error (entry, error->message);
      ep_outbox_entry_set_next_attempt (entry, now_seconds () + ep_outbox_get_backoff (self, 1));
      changed (self, entry);
      return;
    }
  g_hash_table_add (self->in_flight, entry);
  changed (self, entry);

  data = g_new0 (Attempt, 1);
  data->outbox = g_object_ref (self);
  data->entry = g_object_ref (entry);
  data->path = ep_outbox_entry_dup_message_path (entry);
  data->offline = !self->online;
  ep_sender_send_file_async (account->sender, ep_outbox_entry_get_from (entry),
                             ep_outbox_entry_get_recipients (entry), data->path, self->cancellable,
                             on_sent_cb, data);
}

static gboolean
is_due (EpOutbox      *self,
        EpOutboxEntry *entry)
{
  return ep_outbox_entry_get_state (entry) == EP_OUTBOX_STATE_QUEUED &&
         !g_hash_table_contains (self->in_flight, entry) &&
         g_hash_table_contains (self->accounts, ep_outbox_entry_get_account (entry));
}

static gboolean
on_timer_cb (gpointer data)
{
  EpOutbox *self = data;
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = now_seconds ();

  self->timer = 0;
  for (guint i = 0; i < self->entries->len; i++)
    {
      EpOutboxEntry *entry = g_ptr_array_index (self->entries, i);
      if (is_due (self, entry) && ep_outbox_entry_get_next_attempt (entry) <= now)
        g_ptr_array_add (due, g_object_ref (entry));
    }
  for (guint i = 0; i < due->len; i++)
    attempt (self, g_ptr_array_index (due, i));
  schedule (self);
  return G_SOURCE_REMOVE;
}

/* One timer, for the earliest try due. */
static void
schedule (EpOutbox *self)
{
  gint64 next = G_MAXINT64;
  gint64 now = now_seconds ();
  guint delay;

  g_clear_handle_id (&self->timer, g_source_remove);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  for (guint i = 0; i < self->entries->len; i++)
    {
      EpOutboxEntry *entry = g_ptr_array_index (self->entries, i);
      if (is_due (self, entry))
        next = MIN (next, ep_outbox_entry_get_next_attempt (entry));
    }
  if (next == G_MAXINT64)
    return;
  delay = next <= now ? 0 : (guint) MIN (next - now, MAX_BACKOFF) * 1000;
  self->timer = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, on_timer_cb, self, NULL);
}

static gboolean
check_idle (EpOutbox       *self,
            EpOutboxEntry  *entry,
            GError        **error)
{
  if (!find (self, entry, NULL))
    {
      g_set_error (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_BUSY, _("The message is no longer in the Outbox"));
      return FALSE;
    }
  if (g_hash_table_contains (self->in_flight, entry))
    {
      g_set_error (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_BUSY, _("The message is being sent right now"));
      return FALSE;
    }
  return TRUE;
}

/**
 * ep_outbox_retry_now:
 *
 * Tries @entry at once (if its account is signed in), whatever its state:
 * for an uncertain one this is the person's "Send Again".
 */
gboolean
ep_outbox_retry_now (EpOutbox       *self,
                     EpOutboxEntry  *entry,
                     GError        **error)
{
  g_return_val_if_fail (EP_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (entry), FALSE);

  if (!check_idle (self, entry, error))
    return FALSE;
  ep_outbox_entry_set_state (entry, EP_OUTBOX_STATE_QUEUED);
  ep_outbox_entry_set_next_attempt (entry, now_seconds ());
  if (!ep_outbox_entry_save (entry, error))
    return FALSE;
  changed (self, entry);
  if (is_due (self, entry))
    attempt (self, entry);
  schedule (self);
  return TRUE;
}

/* Deletes @entry and its files; never while a try is under way. */
gboolean
ep_outbox_remove (EpOutbox       *self,
                  EpOutboxEntry  *entry,
                  GError        **error)
{
  guint position;

  g_return_val_if_fail (EP_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (entry), FALSE);

  if (!check_idle (self, entry, error) || !ep_outbox_entry_delete (entry, error))
    return FALSE;
  if (find (self, entry, &position))
    {
      g_ptr_array_remove_index (self->entries, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
  schedule (self);
  return TRUE;
}

/**
 * ep_outbox_dup_draft:
 *
 * For Edit: the composer's fields of @entry, which stays in the outbox
 * until ep_outbox_remove (), once the fields are kept elsewhere.
 *
 * Returns: (transfer full): the fields, or %NULL with @error set
 */
EpMessage *
ep_outbox_dup_draft (EpOutbox       *self,
                     EpOutboxEntry  *entry,
                     GError        **error)
{
  EpMessage *draft;

  g_return_val_if_fail (EP_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (entry), NULL);

  draft = ep_outbox_entry_dup_draft (entry);
  if (draft == NULL)
    g_set_error (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_CORRUPT,
                 _("The message cannot be edited: the Outbox kept only the message as sent"));
  return draft;
}

/**
 * ep_outbox_take_draft:
 *
 * The composer's fields of @entry, which leaves the outbox. For Edit, use
 * ep_outbox_dup_draft () and remove the entry only once the fields are saved.
 *
 * Returns: (transfer full): the fields, or %NULL with @error set (the entry stays)
 */
EpMessage *
ep_outbox_take_draft (EpOutbox       *self,
                      EpOutboxEntry  *entry,
                      GError        **error)
{
  g_autoptr(EpMessage) draft = NULL;

  draft = ep_outbox_dup_draft (self, entry, error);
  if (draft == NULL || !ep_outbox_remove (self, entry, error))
    return NULL;
  return g_steal_pointer (&draft);
}

/* Entries that wait for the person: refused for good, or maybe delivered already. */
guint
ep_outbox_get_n_attention (EpOutbox *self)
{
  guint n = 0;

  g_return_val_if_fail (EP_IS_OUTBOX (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    {
      EpOutboxState state = ep_outbox_entry_get_state (g_ptr_array_index (self->entries, i));
      n += state == EP_OUTBOX_STATE_FAILED || state == EP_OUTBOX_STATE_UNCERTAIN;
    }
  return n;
}

/* Tries (and Sent copies) under way; after ep_outbox_stop (), each ends soon and writes where it ended. */
guint
ep_outbox_get_n_busy (EpOutbox *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX (self), 0);
  return g_hash_table_size (self->in_flight);
}

/* Stops the timer and cancels the tries under way (each still writes where it ended). */
void
ep_outbox_stop (EpOutbox *self)
{
  g_return_if_fail (EP_IS_OUTBOX (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
}

/* ---------------------------------------------------------------- the network */

static gboolean
monitor_online (GNetworkMonitor *monitor)
{
  return g_network_monitor_get_network_available (monitor) &&
         g_network_monitor_get_connectivity (monitor) != G_NETWORK_CONNECTIVITY_LOCAL;
}

/* Back online: each queued entry of a signed-in account not under way is tried once, now. */
static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       gpointer         user_data)
{
  EpOutbox *self = user_data;
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean was = self->online;

  self->online = available && monitor_online (monitor);
  if (self->online == was)
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
  for (guint i = 0; i < self->entries->len; i++)
    {
      EpOutboxEntry *entry = g_ptr_array_index (self->entries, i);

      changed (self, entry);   /* the row says whether it waits for the network */
      if (self->online && is_due (self, entry))
        g_ptr_array_add (due, g_object_ref (entry));
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  for (guint i = 0; i < due->len; i++)
    attempt (self, g_ptr_array_index (due, i));
  schedule (self);
}

/**
 * ep_outbox_set_network_monitor:
 * @monitor: (nullable): says when the network is up; %NULL for
 *   g_network_monitor_get_default ()
 *
 * Lets a test stand in for the operating system's view of the network.
 */
void
ep_outbox_set_network_monitor (EpOutbox        *self,
                               GNetworkMonitor *monitor)
{
  gboolean was;

  g_return_if_fail (EP_IS_OUTBOX (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  was = self->online;

  monitor = g_object_ref (monitor != NULL ? monitor : g_network_monitor_get_default ());
  g_clear_object (&self->monitor);
  self->monitor = monitor;
  self->online = monitor_online (self->monitor);
  if (self->online != was)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (on_network_changed_cb), self);
  for (guint i = 0; i < self->entries->len; i++)
    changed (self, g_ptr_array_index (self->entries, i));
}

/* Whether the monitor says a network beyond this computer is up. */
gboolean
ep_outbox_get_network_available (EpOutbox *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX (self), FALSE);
  return self->online;
}
