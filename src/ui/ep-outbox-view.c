/* ep-outbox-view.c — the Outbox page: each waiting message, its state, Retry Now, Edit, Delete
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per EpOutboxEntry, rebuilt whenever the outbox reports the entry
 * changed: subject, recipients, where it stands (with the next try's time
 * or why it waits for the person), the last error, and three buttons that
 * name the view's actions with the entry's id. The outbox does the work;
 * Edit is the window's (the view emits EpOutboxView::edit).
 */
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-dialog.h"
#include "ep-outbox-view.h"

struct _EpOutboxView
{
  GtkWidget parent_instance;

  /* Owned */
  EpOutbox *outbox;

  /* Template widgets */
  GtkStack *stack;
  GtkLabel *summary_label;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (EpOutboxView, ep_outbox_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_EDIT,
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static EpOutboxEntry *
find_entry (EpOutboxView *self,
            const char   *id)
{
  guint n = self->outbox ? g_list_model_get_n_items (G_LIST_MODEL (self->outbox)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpOutboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->outbox), i);

      if (g_strcmp0 (ep_outbox_entry_get_id (entry), id) == 0)
        return entry;   /* the outbox keeps it alive */
    }
  return NULL;
}

static void
toast_error (EpOutboxView *self,
             GError       *error)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, error->message);
}

static void
retry_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EpOutboxView *self = EP_OUTBOX_VIEW (widget);
  EpOutboxEntry *entry = find_entry (self, g_variant_get_string (parameter, NULL));
  g_autoptr(GError) error = NULL;

  if (entry != NULL && !ep_outbox_retry_now (self->outbox, entry, &error))
    toast_error (self, error);
}

static void
edit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EpOutboxView *self = EP_OUTBOX_VIEW (widget);
  EpOutboxEntry *entry = find_entry (self, g_variant_get_string (parameter, NULL));

  if (entry != NULL)
    g_signal_emit (self, signals[SIGNAL_EDIT], 0, entry);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       EpOutboxView     *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "entry-id");
  EpOutboxEntry *entry = find_entry (self, id);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "delete") && entry != NULL && !ep_outbox_remove (self->outbox, entry, &error))
    toast_error (self, error);
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpOutboxView *self = EP_OUTBOX_VIEW (widget);
  EpOutboxEntry *entry = find_entry (self, g_variant_get_string (parameter, NULL));
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (entry == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete This Message?"),
                                   _("It will not be sent, and it cannot be brought back."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"),
                                    "delete", _("Delete"), NULL);
  ep_dialog_name_buttons_once (dialog);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "entry-id", g_strdup (ep_outbox_entry_get_id (entry)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
clock_time (gint64 unix_time)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (unix_time);

  return local ? g_date_time_format (local, "%H:%M:%S") : g_strdup ("?");
}

/**
 * ep_outbox_view_describe_state:
 *
 * Returns: (transfer full): where @entry stands, in a sentence
 */
char *
ep_outbox_view_describe_state (EpOutbox      *outbox,
                               EpOutboxEntry *entry)
{
  g_autofree char *at = NULL;

  switch (ep_outbox_entry_get_state (entry))
    {
    case EP_OUTBOX_STATE_SENDING:
      return g_strdup (_("Sending…"));
    case EP_OUTBOX_STATE_SENT:
      return g_strdup (_("Sent"));
    case EP_OUTBOX_STATE_FAILED:
      return g_strdup (_("Not sent: the server refused it. Edit it, or try again."));
    case EP_OUTBOX_STATE_UNCERTAIN:
      return g_strdup (_("May already have been delivered: send it again only if the recipients "
                         "did not get it."));
    case EP_OUTBOX_STATE_QUEUED:
    default:
      if (!ep_outbox_has_account (outbox, ep_outbox_entry_get_account (entry)))
        /* Translators: %s is an account's address */
        return g_strdup_printf (_("Waits until you sign in to %s"), ep_outbox_entry_get_account (entry));
      if (!ep_outbox_get_network_available (outbox))
        return g_strdup (_("Waiting for a network connection"));
      at = clock_time (ep_outbox_entry_get_next_attempt (entry));
      /* Translators: %u tries so far; %s is a time of day, “14:05:30” */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Not sent yet (%u try); next try at %s",
                                           "Not sent yet (%u tries); next try at %s",
                                           ep_outbox_entry_get_attempts (entry)),
                              ep_outbox_entry_get_attempts (entry), at);
    }
}

static char *
describe_recipients (EpOutboxEntry *entry)
{
  const EpAddressList *list = ep_outbox_entry_get_recipients (entry);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < ep_address_list_get_length (list); i++)
    g_ptr_array_add (names, (gpointer) ep_address_get_addr_spec (ep_address_list_get (list, i)));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static GtkWidget *
row_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
row_button (const char *label,
            const char *action,
            const char *id,
            gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_widget_set_sensitive (button, sensitive);
  return button;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  EpOutboxView *self = user_data;
  EpOutboxEntry *entry = item;
  EpOutboxState state = ep_outbox_entry_get_state (entry);
  const char *id = ep_outbox_entry_get_id (entry);
  const char *subject = ep_outbox_entry_get_subject (entry);
  const char *error = ep_outbox_entry_get_last_error (entry);
  gboolean idle = state != EP_OUTBOX_STATE_SENDING && state != EP_OUTBOX_STATE_SENT;
  g_autofree char *to = describe_recipients (entry);
  g_autofree char *to_line = NULL;
  g_autofree char *where = ep_outbox_view_describe_state (self->outbox, entry);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), row_label (subject && *subject ? subject : _("(No Subject)"), "heading"));
  /* Translators: followed by the recipients' addresses */
  to_line = g_strdup_printf (_("To: %s"), to);
  gtk_box_append (GTK_BOX (box), row_label (to_line, "dim-label"));
  gtk_box_append (GTK_BOX (box), row_label (where, state == EP_OUTBOX_STATE_QUEUED ? NULL : "warning"));
  if (error != NULL && state != EP_OUTBOX_STATE_SENDING)
    gtk_box_append (GTK_BOX (box), row_label (error, "caption"));

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_box_append (GTK_BOX (buttons), row_button (_("Delete"), "outbox.delete", id, idle));
  gtk_box_append (GTK_BOX (buttons), row_button (_("Edit"), "outbox.edit", id, idle));
  gtk_box_append (GTK_BOX (buttons),
                  row_button (state == EP_OUTBOX_STATE_UNCERTAIN ? _("Send Again") : _("Retry Now"),
                              "outbox.retry", id, idle));
  gtk_widget_add_css_class (gtk_widget_get_last_child (buttons), "suggested-action");
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
on_items_changed_cb (EpOutboxView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->outbox));
  guint attention = ep_outbox_get_n_attention (self->outbox);
  g_autofree char *summary = NULL;

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  if (attention > 0)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message waits for you to decide what to do.",
                                            "%u messages wait for you to decide what to do.", attention),
                               attention);
  else
    summary = g_strdup (_("Epistle tries these messages again while it runs, waiting longer after each "
                          "failed try, each with the same Message-ID, so none arrives twice."));
  gtk_label_set_text (self->summary_label, summary);
}

static void
ep_outbox_view_dispose (GObject *object)
{
  EpOutboxView *self = EP_OUTBOX_VIEW (object);

  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_clear_object (&self->outbox);
  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_OUTBOX_VIEW);
  G_OBJECT_CLASS (ep_outbox_view_parent_class)->dispose (object);
}

static void
ep_outbox_view_class_init (EpOutboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ep_outbox_view_dispose;

  /**
   * EpOutboxView::edit:
   * @entry: the message to take back into the composer
   */
  signals[SIGNAL_EDIT] =
    g_signal_new ("edit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, EP_TYPE_OUTBOX_ENTRY);
  /**
   * EpOutboxView::toast:
   * @text: a sentence for the person (why an action failed)
   */
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-outbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EpOutboxView, stack);
  gtk_widget_class_bind_template_child (widget_class, EpOutboxView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, EpOutboxView, list);
  gtk_widget_class_install_action (widget_class, "outbox.retry", "s", retry_action_cb);
  gtk_widget_class_install_action (widget_class, "outbox.edit", "s", edit_action_cb);
  gtk_widget_class_install_action (widget_class, "outbox.delete", "s", delete_action_cb);
}

static void
ep_outbox_view_init (EpOutboxView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ep_outbox_view_new (void)
{
  return g_object_new (EP_TYPE_OUTBOX_VIEW, NULL);
}

/* Shows @outbox's entries, kept up to date. */
void
ep_outbox_view_set_outbox (EpOutboxView *self,
                           EpOutbox     *outbox)
{
  g_return_if_fail (EP_IS_OUTBOX_VIEW (self));
  g_return_if_fail (EP_IS_OUTBOX (outbox));

  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_set_object (&self->outbox, outbox);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (outbox), create_row, self, NULL);
  g_signal_connect_swapped (outbox, "items-changed", G_CALLBACK (on_items_changed_cb), self);
  on_items_changed_cb (self);
}
