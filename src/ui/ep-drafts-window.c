/* ep-drafts-window.c — the Drafts list: reopen or delete unsent messages
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Newest first, each row the subject over the recipients and the time it
 * was last changed. Activating a row emits ::open-draft; the trash button
 * hides the row and deletes the draft when the “Draft deleted” toast goes
 * without Undo. A draft that a composer of this run is writing can be
 * opened (its window comes forward) but not deleted; a draft that cannot
 * be read is listed with the reason and left on disk.
 */
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-drafts-window.h"

struct _EpDraftsWindow
{
  AdwWindow parent_instance;

  /* Owned */
  EpDraftStore *store;

  /* Template widgets */
  AdwToastOverlay *overlay;
  GtkStack *stack;
  GtkListBox *list;
};

enum {
  SIGNAL_OPEN_DRAFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (EpDraftsWindow, ep_drafts_window, ADW_TYPE_WINDOW)

/* Deletes @id once the toast saying so goes without Undo. */
typedef struct
{
  EpDraftStore *store;
  char *id;
  gboolean undone;
} PendingDelete;

static void
pending_delete_free (gpointer data)
{
  PendingDelete *pending = data;
  g_autoptr(GError) error = NULL;

  if (!pending->undone && !ep_draft_store_delete (pending->store, pending->id, &error) &&
      !g_error_matches (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_NOT_FOUND))
    g_warning ("%s", error->message);
  g_object_unref (pending->store);
  g_free (pending->id);
  g_free (pending);
}

static void
on_undo_delete_cb (AdwToast      *toast,
                   PendingDelete *pending)
{
  pending->undone = TRUE;
}

/**
 * ep_drafts_toast_delete:
 * @title: what the toast says, “Draft deleted”
 * @on_undo: (nullable): called with @data if the person chooses Undo
 *
 * Shows @title with Undo in @overlay; the draft is deleted when the toast
 * goes (timed out, dismissed, or its window closed) unless undone.
 *
 * Returns: (transfer none): the toast
 */
AdwToast *
ep_drafts_toast_delete (AdwToastOverlay *overlay,
                        EpDraftStore    *store,
                        const char      *id,
                        const char      *title,
                        GCallback        on_undo,
                        gpointer         data)
{
  AdwToast *toast;
  PendingDelete *pending;

  g_return_val_if_fail (ADW_IS_TOAST_OVERLAY (overlay), NULL);
  g_return_val_if_fail (EP_IS_DRAFT_STORE (store), NULL);

  toast = adw_toast_new (title);
  pending = g_new0 (PendingDelete, 1);
  pending->store = g_object_ref (store);
  pending->id = g_strdup (id);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 8);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo_delete_cb), pending);
  if (on_undo != NULL)
    g_signal_connect_swapped (toast, "button-clicked", on_undo, data);
  g_object_set_data_full (G_OBJECT (toast), "ep-pending-delete", pending, pending_delete_free);
  adw_toast_overlay_add_toast (overlay, toast);
  return toast;
}

/* “bob@example.test · 30/11/26 14:03”: the recipients as typed, and when it last changed. */
char *
ep_drafts_window_describe (EpDraft *draft)
{
  const char *to = ep_draft_get_to (draft);
  g_autoptr(GDateTime) local = g_date_time_to_local (ep_draft_get_modified (draft));
  g_autofree char *when = g_date_time_format (local, "%x %H:%M");
  g_autofree char *who = g_strstrip (g_strdup (*to ? to : ep_draft_get_cc (draft)));

  g_return_val_if_fail (EP_IS_DRAFT (draft), NULL);

  if (*who == '\0')
    {
      g_free (who);
      who = g_strdup (_("No recipients"));
    }
  /* Translators: a draft's recipients and when it was last changed: “bob@example.test · 30/11/26 14:03” */
  return g_strdup_printf (_("%s · %s"), who, when);
}

void
ep_drafts_window_toast (EpDraftsWindow *self,
                        const char     *text)
{
  AdwToast *toast;

  g_return_if_fail (EP_IS_DRAFTS_WINDOW (self));

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->overlay, toast);
}

static void
update_page (EpDraftsWindow *self)
{
  gboolean any = FALSE;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL && !any;
       row = gtk_widget_get_next_sibling (row))
    any = gtk_widget_get_visible (row);
  gtk_stack_set_visible_child_name (self->stack, any ? "list" : "empty");
}

static void
on_row_activated_cb (AdwActionRow   *row,
                     EpDraftsWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_DRAFT], 0, g_object_get_data (G_OBJECT (row), "ep-draft-id"));
}

static void
on_undo_cb (GtkWidget *row)
{
  EpDraftsWindow *self = EP_DRAFTS_WINDOW (gtk_widget_get_root (row));

  gtk_widget_set_visible (row, TRUE);
  update_page (self);
}

static void
on_delete_clicked_cb (GtkButton *button,
                      GtkWidget *row)
{
  EpDraftsWindow *self = EP_DRAFTS_WINDOW (gtk_widget_get_root (row));

  gtk_widget_set_visible (row, FALSE);
  update_page (self);
  ep_drafts_toast_delete (self->overlay, self->store, g_object_get_data (G_OBJECT (row), "ep-draft-id"),
                          _("Draft deleted"), G_CALLBACK (on_undo_cb), row);
}

static GtkWidget *
draft_row (EpDraftsWindow *self,
           EpDraft        *draft,
           gboolean        open)
{
  const char *subject = ep_draft_get_subject (draft);
  g_autofree char *title = g_markup_escape_text (*subject ? subject : _("No Subject"), -1);
  g_autofree char *about = ep_drafts_window_describe (draft);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  GtkWidget *row = adw_action_row_new ();

  /* Translators: after a draft's recipients and time, for the one a window is writing */
  subtitle = open ? g_strdup_printf (_("%s · open"), about) : g_steal_pointer (&about);
  escaped = g_markup_escape_text (subtitle, -1);   /* rows take markup: “<bob@…>” is text here */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "ep-draft-id", g_strdup (ep_draft_get_id (draft)), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated_cb), self);
  if (!open)
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Delete Draft"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Delete Draft"), -1);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_delete_clicked_cb), row);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

static GtkWidget *
problem_row (const char *problem)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = g_markup_escape_text (problem, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("A draft could not be read"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  return row;
}

static void
fill (EpDraftsWindow     *self,
      const char * const *open_ids)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = ep_draft_store_list (self->store, &problems, &error);

  if (drafts == NULL)
    {
      gtk_list_box_append (self->list, problem_row (error->message));
      update_page (self);
      return;
    }
  for (guint i = 0; i < drafts->len; i++)
    {
      EpDraft *draft = drafts->pdata[i];

      gtk_list_box_append (self->list, draft_row (self, draft,
                                                  open_ids && g_strv_contains (open_ids, ep_draft_get_id (draft))));
    }
  for (guint i = 0; i < problems->len; i++)
    gtk_list_box_append (self->list, problem_row (problems->pdata[i]));
  update_page (self);
}

static void
ep_drafts_window_dispose (GObject *object)
{
  EpDraftsWindow *self = EP_DRAFTS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_DRAFTS_WINDOW);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ep_drafts_window_parent_class)->dispose (object);
}

static void
ep_drafts_window_class_init (EpDraftsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ep_drafts_window_dispose;

  /**
   * EpDraftsWindow::open-draft:
   * @id: the draft to open
   */
  signals[SIGNAL_OPEN_DRAFT] = g_signal_new ("open-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-drafts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EpDraftsWindow, overlay);
  gtk_widget_class_bind_template_child (widget_class, EpDraftsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, EpDraftsWindow, list);
}

static void
ep_drafts_window_init (EpDraftsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ep_drafts_window_new:
 * @open_ids: (nullable) (array zero-terminated=1): drafts the composers of this run are writing
 */
EpDraftsWindow *
ep_drafts_window_new (GtkWindow          *parent,
                      EpDraftStore       *store,
                      const char * const *open_ids)
{
  EpDraftsWindow *self;

  g_return_val_if_fail (EP_IS_DRAFT_STORE (store), NULL);

  self = g_object_new (EP_TYPE_DRAFTS_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  fill (self, open_ids);
  return self;
}
