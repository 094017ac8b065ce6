/* ep-window-drafts.c — the composer's draft: autosave, save on close, restore, the Drafts list
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change to the recipients, subject, body (its formatting and images
 * too) or attachments marks the composer dirty; the draft is written
 * AUTOSAVE_DELAY_MS after the last change, so the body is serialised while
 * the person pauses, not between two keystrokes (for a 5,000-paragraph
 * message that takes tens of milliseconds: bench/editor). During
 * uninterrupted typing a save still happens every MAX_WAIT_MS, as long as
 * the last serialisation took less than a frame. The main thread only
 * copies the fields; the files are written by EpDraftStore's worker thread.
 *
 * Closing the window writes the draft at once (blocking, since the process
 * may end next) and marks it closed; a draft still marked open at the next
 * start is what a crash or kill left, and is offered back. A successful
 * send deletes the draft.
 */
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-dialog.h"
#include "ep-draft-body.h"
#include "ep-draft-store.h"
#include "ep-drafts-window.h"
#include "ep-window-private.h"

#define AUTOSAVE_DELAY_MS 2000
#define MAX_WAIT_MS 10000
#define CHEAP_SNAPSHOT_US 8000   /* half a 60 Hz frame */

typedef struct _EpWindowDrafts EpWindowDrafts;

struct _EpWindowDrafts
{
  /* Owned */
  EpDraftStore *store;
  char *id;                 /* the draft this composer writes; NULL until it has one */
  GPtrArray *missing;       /* paths of restored attachments whose files are gone */
  GPtrArray *missing_names; /* their names, in step */
  guint timer;
  gint64 dirty_since;       /* monotonic µs of the first unsaved change, 0 when saved */
  gint64 last_cost;         /* µs the last snapshot took on the main thread */
  gboolean saving;          /* a write is in flight */
  gboolean again;           /* something changed while it was */
  gboolean restoring;       /* the fields are being filled from a draft */
  gboolean offered;
  gboolean closed;
  gboolean said_failure;

  /* Borrowed */
  GtkWindow *list;          /* the Drafts window, while open (weak) */
};

static void schedule_save     (EpWindow  *self);

static gboolean
composer_is_empty (EpWindow *self)
{
  GtkTextBuffer *buffer = ep_rich_editor_get_buffer (self->editor);

  return *ep_recipient_entry_get_text (self->to_entry) == '\0' &&
         *ep_recipient_entry_get_text (self->cc_entry) == '\0' &&
         *ep_recipient_entry_get_text (self->bcc_entry) == '\0' &&
         *gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)) == '\0' &&
         gtk_text_buffer_get_char_count (buffer) == 0 &&
         ep_attachment_bar_get_n_files (self->attachments) == 0 &&
         self->drafts->missing->len == 0;
}

/* The composer as a draft; @open: the window stays open after this write. */
static EpDraft *
snapshot (EpWindow *self,
          gboolean  open)
{
  EpWindowDrafts *d = self->drafts;
  g_autoptr(EpDraft) draft = ep_draft_new (d->id);
  g_auto(GStrv) paths = NULL;
  gint64 start = g_get_monotonic_time ();

  if (d->id == NULL)
    d->id = g_strdup (ep_draft_get_id (draft));
  ep_draft_set_account (draft, self->account ? ep_account_get_address (self->account) : "");
  ep_draft_set_to (draft, ep_recipient_entry_get_text (self->to_entry));
  ep_draft_set_cc (draft, ep_recipient_entry_get_text (self->cc_entry));
  ep_draft_set_bcc (draft, ep_recipient_entry_get_text (self->bcc_entry));
  ep_draft_set_subject (draft, gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));
  ep_draft_body_fill (draft, self->editor);
  paths = ep_attachment_bar_dup_paths (self->attachments);
  for (guint i = 0; paths[i] != NULL; i++)
    ep_draft_add_attachment (draft, paths[i], NULL);
  /* A restored attachment whose file is gone stays listed until the message is sent. */
  for (guint i = 0; i < d->missing->len; i++)
    ep_draft_add_attachment (draft, d->missing->pdata[i], d->missing_names->pdata[i]);
  ep_draft_set_open (draft, open);
  d->last_cost = g_get_monotonic_time () - start;
  return g_steal_pointer (&draft);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  EpWindowDrafts *d = self->drafts;
  gboolean ok = ep_draft_store_save_finish (EP_DRAFT_STORE (source), result, &error);

  if (d == NULL)
    return;   /* the window is gone; the write itself finished */
  d->saving = FALSE;
  if (!ok && !d->said_failure)
    {
      /* Once, not every two seconds; the text stays in the window. */
      d->said_failure = TRUE;
      ep_window_toast (self, error->message);
    }
  else if (ok)
    d->said_failure = FALSE;
  if (d->again && !d->closed)
    {
      d->again = FALSE;
      schedule_save (self);
    }
}

static void
save_now (EpWindow *self)
{
  EpWindowDrafts *d = self->drafts;
  g_autoptr(EpDraft) draft = NULL;

  if (d->saving)
    {
      d->again = TRUE;
      return;
    }
  d->dirty_since = 0;
  if (d->id == NULL && composer_is_empty (self))
    return;   /* nothing written yet, nothing to keep */
  draft = snapshot (self, TRUE);
  d->saving = TRUE;
  ep_draft_store_save_async (d->store, draft, NULL, on_saved_cb, g_object_ref (self));
}

static gboolean
on_autosave_cb (gpointer user_data)
{
  EpWindow *self = user_data;

  self->drafts->timer = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

/* Saves AUTOSAVE_DELAY_MS after the last change; during long typing, every MAX_WAIT_MS if cheap. */
static void
schedule_save (EpWindow *self)
{
  EpWindowDrafts *d = self->drafts;
  gint64 now = g_get_monotonic_time ();
  guint delay = AUTOSAVE_DELAY_MS;

  if (d->dirty_since == 0)
    d->dirty_since = now;
  else if (now - d->dirty_since > MAX_WAIT_MS * G_GINT64_CONSTANT (1000) && d->last_cost < CHEAP_SNAPSHOT_US)
    delay = 0;
  g_clear_handle_id (&d->timer, g_source_remove);
  d->timer = g_timeout_add (delay, on_autosave_cb, self);
}

static void
on_changed_cb (EpWindow *self)
{
  if (self->drafts == NULL || self->drafts->restoring || self->drafts->closed)
    return;
  schedule_save (self);
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     EpWindow   *self)
{
  on_changed_cb (self);
}

static gboolean
close_later_cb (gpointer data)
{
  gtk_window_close (data);
  return G_SOURCE_REMOVE;
}

static void
on_close_anyway_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    EpWindow         *self)
{
  if (self->drafts == NULL)
    return;
  if (g_str_equal (response, "close"))
    {
      self->drafts->closed = TRUE;
      /* After the dialog, which is transient for this window, has gone. */
      g_idle_add_full (G_PRIORITY_DEFAULT, close_later_cb, g_object_ref (self), g_object_unref);
    }
}

/* The draft could not be written: the window stays unless the person says otherwise. */
static void
ask_close_anyway (EpWindow   *self,
                  const char *reason)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Close Without Saving the Draft?"), NULL);

  /* Translators: %s says why the draft could not be saved */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s If you close the window, what you wrote is lost."), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("Keep Writing"),
                                    "close", _("Close Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_anyway_cb), self, 0);
  ep_dialog_name_buttons_once (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * ep_window_drafts_close:
 *
 * Writes the draft now, blocking: the window is closing and the process may
 * end next. When it cannot be written, asks before anything is lost.
 *
 * Returns: %TRUE if the window may close
 */
gboolean
ep_window_drafts_close (EpWindow *self)
{
  EpWindowDrafts *d = self->drafts;
  g_autoptr(EpDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (d == NULL || d->closed)
    return TRUE;
  g_clear_handle_id (&d->timer, g_source_remove);
  if (d->id == NULL && composer_is_empty (self))
    {
      d->closed = TRUE;
      return TRUE;
    }
  draft = snapshot (self, FALSE);
  if (!ep_draft_store_save (d->store, draft, NULL, &error))
    {
      ask_close_anyway (self, error->message);
      return FALSE;
    }
  d->closed = TRUE;
  /* Said where it is seen: in a window that stays open, if any. */
  for (GList *l = app ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    {
      if (EP_IS_WINDOW (l->data) && l->data != (gpointer) self && gtk_widget_get_visible (l->data))
        {
          ep_window_toast (l->data, _("The message you closed was saved in Drafts."));
          break;
        }
    }
  return TRUE;
}

/**
 * ep_window_drafts_save:
 *
 * Saves the composer as a draft now, and returns only once it is on disk.
 *
 * Returns: %TRUE on success, or %FALSE with @error set
 */
gboolean
ep_window_drafts_save (EpWindow  *self,
                       GError   **error)
{
  EpWindowDrafts *d = self->drafts;
  g_autoptr(EpDraft) draft = NULL;

  g_clear_handle_id (&d->timer, g_source_remove);
  d->dirty_since = 0;
  draft = snapshot (self, TRUE);
  return ep_draft_store_save (d->store, draft, NULL, error);
}

/* After a successful send: the draft goes; what is still in the composer starts a new one. */
void
ep_window_drafts_sent (EpWindow *self)
{
  EpWindowDrafts *d = self->drafts;
  g_autoptr(GError) error = NULL;

  if (d == NULL)
    return;
  g_clear_handle_id (&d->timer, g_source_remove);
  d->dirty_since = 0;
  if (d->id != NULL && !ep_draft_store_delete (d->store, d->id, &error) &&
      !g_error_matches (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_NOT_FOUND))
    ep_window_toast (self, error->message);
  g_clear_pointer (&d->id, g_free);
  g_ptr_array_set_size (d->missing, 0);
  g_ptr_array_set_size (d->missing_names, 0);
  if (!composer_is_empty (self))
    schedule_save (self);
}

const char *
ep_window_drafts_get_id (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), NULL);
  return self->drafts ? self->drafts->id : NULL;
}

static void
report_missing (EpWindow *self)
{
  EpWindowDrafts *d = self->drafts;
  g_autofree char *names = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);
  AdwToast *toast;

  if (d->missing->len == 0)
    return;
  for (guint i = 0; i < d->missing_names->len; i++)
    g_ptr_array_add (quoted, g_strdup_printf ("“%s”", (char *) d->missing_names->pdata[i]));
  g_ptr_array_add (quoted, NULL);
  names = g_strjoinv (", ", (char **) quoted->pdata);
  /* Translators: %s names the files, “a.pdf”, “b.txt” */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The attachment %s was not found, so it is not attached. The draft still lists it.",
                                       "The attachments %s were not found, so they are not attached. The draft still lists them.",
                                       d->missing->len), names);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 12);   /* longer than most: a file is missing */
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Fills the composer from @draft, which it then writes to. */
void
ep_window_drafts_restore (EpWindow *self,
                          EpDraft  *draft)
{
  EpWindowDrafts *d = self->drafts;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (EP_IS_WINDOW (self));
  g_return_if_fail (EP_IS_DRAFT (draft));

  g_clear_handle_id (&d->timer, g_source_remove);
  d->restoring = TRUE;
  ep_recipient_entry_set_text (self->to_entry, ep_draft_get_to (draft));
  ep_recipient_entry_set_text (self->cc_entry, ep_draft_get_cc (draft));
  ep_recipient_entry_set_text (self->bcc_entry, ep_draft_get_bcc (draft));
  if (*ep_draft_get_cc (draft) != '\0')
    g_object_set (self, "show-cc", TRUE, NULL);
  if (*ep_draft_get_bcc (draft) != '\0')
    g_object_set (self, "show-bcc", TRUE, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), ep_draft_get_subject (draft));
  if (!ep_draft_body_restore (draft, self->editor, &error))
    ep_window_toast (self, error->message);
  ep_attachment_bar_clear (self->attachments);
  g_ptr_array_set_size (d->missing, 0);
  g_ptr_array_set_size (d->missing_names, 0);
  for (guint i = 0; i < ep_draft_get_n_attachments (draft); i++)
    {
      const char *name = NULL;
      const char *path = ep_draft_get_attachment (draft, i, &name);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      if (!ep_attachment_bar_add_file (self->attachments, file, NULL))
        {
          g_ptr_array_add (d->missing, g_strdup (path));
          g_ptr_array_add (d->missing_names, g_strdup (name));
        }
    }
  d->restoring = FALSE;
  g_free (d->id);
  d->id = g_strdup (ep_draft_get_id (draft));
  d->dirty_since = 0;
  if (self->account != NULL && *ep_draft_get_account (draft) != '\0' &&
      g_ascii_strcasecmp (ep_draft_get_account (draft), ep_account_get_address (self->account)) != 0)
    {
      /* Translators: the first %s is the account the draft was written in, the second the current one */
      g_autofree char *text = g_strdup_printf (_("This draft was written as %s; it will be sent from %s."),
                                               ep_draft_get_account (draft),
                                               ep_account_get_address (self->account));

      ep_window_toast (self, text);
    }
  report_missing (self);
  ep_window_actions_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (ep_rich_editor_get_view (self->editor)));
}

/* Opens draft @id here; FALSE with an error the caller shows. */
gboolean
ep_window_drafts_open (EpWindow    *self,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(EpDraft) draft = ep_draft_store_load (self->drafts->store, id, error);

  if (draft == NULL)
    return FALSE;
  ep_window_drafts_restore (self, draft);
  return TRUE;
}

static void
on_restore_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        EpWindow         *self)
{
  EpDraft *draft = g_object_get_data (G_OBJECT (dialog), "ep-draft");

  if (self->drafts == NULL || self->drafts->closed)
    return;
  if (g_str_equal (response, "restore"))
    {
      if (composer_is_empty (self))
        ep_window_drafts_restore (self, draft);
    }
  else if (g_str_equal (response, "discard"))
    ep_drafts_toast_delete (self->toast_overlay, self->drafts->store, ep_draft_get_id (draft),
                            _("Draft discarded"), NULL, NULL);
}

static void
offer_restore (EpWindow *self,
               EpDraft  *draft)
{
  const char *subject = ep_draft_get_subject (draft);
  const char *to = ep_draft_get_to (draft);
  g_autoptr(GDateTime) local = g_date_time_to_local (ep_draft_get_modified (draft));
  g_autofree char *when = g_date_time_format (local, "%x %H:%M");
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (*to != '\0')
    /* Translators: “Quarterly plan” to bob@example.test, last changed 30/11/26 14:03 */
    body = g_strdup_printf (_("Epistle closed before this message was sent: “%s” to %s, last changed %s."),
                            *subject ? subject : _("No Subject"), to, when);
  else
    /* Translators: “Quarterly plan”, last changed 30/11/26 14:03 */
    body = g_strdup_printf (_("Epistle closed before this message was sent: “%s”, last changed %s."),
                            *subject ? subject : _("No Subject"), when);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore the Message You Were Writing?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "discard", _("Discard"),
                                    "restore", _("Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  /* Escape keeps it for later, in the Drafts list. */
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_object_set_data_full (G_OBJECT (dialog), "ep-draft", g_object_ref (draft), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_restore_response_cb), self, 0);
  ep_dialog_name_buttons_once (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The first composer of a run offers back the newest draft that a crash or kill left open. */
void
ep_window_drafts_signed_in (EpWindow *self)
{
  EpWindowDrafts *d = self->drafts;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  if (d == NULL || d->offered)
    return;
  d->offered = TRUE;
  for (GList *l = app ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    {
      if (EP_IS_WINDOW (l->data) && l->data != (gpointer) self)
        return;   /* drafts marked open may belong to the other composers of this run */
    }
  if (!composer_is_empty (self))
    return;
  drafts = ep_draft_store_list (d->store, NULL, &error);
  if (drafts == NULL)
    {
      ep_window_toast (self, error->message);
      return;
    }
  for (guint i = 0; i < drafts->len; i++)
    {
      if (ep_draft_get_open (drafts->pdata[i]))
        {
          offer_restore (self, drafts->pdata[i]);
          return;
        }
    }
}

/* Another window of this run that writes draft @id, if any. */
static EpWindow *
window_with_draft (EpWindow   *self,
                   const char *id)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  for (GList *l = app ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    {
      if (EP_IS_WINDOW (l->data) && g_strcmp0 (ep_window_drafts_get_id (l->data), id) == 0)
        return l->data;
    }
  return NULL;
}

static void
on_open_draft_cb (EpDraftsWindow *list,
                  const char     *id,
                  EpWindow       *self)
{
  EpWindow *target = window_with_draft (self, id);
  gboolean made = FALSE;
  g_autoptr(GError) error = NULL;

  if (target == NULL && composer_is_empty (self))
    target = self;
  else if (target == NULL)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      /* The composer holds another message: a new window, signed in to the same account. */
      target = ep_window_new (EP_APPLICATION (app), FALSE);
      made = TRUE;
      if (self->account != NULL)
        ep_window_use_account (target, self->account, self->secret, self->size_limit);
    }
  if (g_strcmp0 (ep_window_drafts_get_id (target), id) != 0 && !ep_window_drafts_open (target, id, &error))
    {
      ep_drafts_window_toast (list, error->message);
      /* A window made for it and never shown would keep Epistle running, unseen. */
      if (made)
        gtk_window_destroy (GTK_WINDOW (target));
      return;
    }
  gtk_window_destroy (GTK_WINDOW (list));
  gtk_window_present (GTK_WINDOW (target));
}

static void
show_drafts_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EpWindow *self = user_data;
  EpWindowDrafts *d = self->drafts;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GPtrArray) open_ids = g_ptr_array_new ();
  EpDraftsWindow *list;

  if (d->list != NULL)
    {
      gtk_window_present (d->list);
      return;
    }
  /* Save first, so the list shows what is in the composer now (once, on request: blocking is fine). */
  if (d->timer != 0 && (d->id != NULL || !composer_is_empty (self)))
    {
      g_autoptr(EpDraft) draft = NULL;
      g_autoptr(GError) error = NULL;

      g_clear_handle_id (&d->timer, g_source_remove);
      d->dirty_since = 0;
      draft = snapshot (self, TRUE);
      if (!ep_draft_store_save (d->store, draft, NULL, &error))
        ep_window_toast (self, error->message);
    }
  for (GList *l = app ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    {
      if (EP_IS_WINDOW (l->data) && ep_window_drafts_get_id (l->data) != NULL)
        g_ptr_array_add (open_ids, (gpointer) ep_window_drafts_get_id (l->data));
    }
  g_ptr_array_add (open_ids, NULL);
  list = ep_drafts_window_new (GTK_WINDOW (self), d->store, (const char * const *) open_ids->pdata);
  g_signal_connect_object (list, "open-draft", G_CALLBACK (on_open_draft_cb), self, 0);
  d->list = GTK_WINDOW (list);
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &d->list);
  gtk_window_present (GTK_WINDOW (list));
}

static const GActionEntry draft_actions[] = {
  { .name = "show-drafts", .activate = show_drafts_action_cb },
};

void
ep_window_drafts_init (EpWindow *self)
{
  EpWindowDrafts *d = g_new0 (EpWindowDrafts, 1);
  EpRecipientEntry *entries[] = { self->to_entry, self->cc_entry, self->bcc_entry };
  GtkTextBuffer *buffer = ep_rich_editor_get_buffer (self->editor);

  d->store = ep_draft_store_new (NULL);
  d->missing = g_ptr_array_new_with_free_func (g_free);
  d->missing_names = g_ptr_array_new_with_free_func (g_free);
  self->drafts = d;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect_swapped (ep_recipient_entry_get_editable (entries[i]), "changed",
                              G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->subject_entry, "changed", G_CALLBACK (on_changed_cb), self);
  /* Text, images and formatting: a tag applied or removed changes no text. */
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (buffer, "apply-tag", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (buffer, "remove-tag", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->editor, "notify::plain-text", G_CALLBACK (on_changed_cb), self);
  g_signal_connect (ep_attachment_bar_get_model (self->attachments), "items-changed",
                    G_CALLBACK (on_items_changed_cb), self);
  g_action_map_add_action_entries (G_ACTION_MAP (self), draft_actions, G_N_ELEMENTS (draft_actions), self);
}

void
ep_window_drafts_dispose (EpWindow *self)
{
  EpWindowDrafts *d = self->drafts;

  if (d == NULL)
    return;
  self->drafts = NULL;
  g_clear_handle_id (&d->timer, g_source_remove);
  if (d->list != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (d->list), (gpointer *) &d->list);
      gtk_window_destroy (d->list);
    }
  g_object_unref (d->store);
  g_free (d->id);
  g_ptr_array_unref (d->missing);
  g_ptr_array_unref (d->missing_names);
  g_free (d);
}
