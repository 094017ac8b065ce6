/* ep-attachment-bar.c — the files attached to a message: rows, total, size limit
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attachments are files, not bytes: the bar keeps each file's GFileInfo
 * (name, size, type) and the message reads the file when it is sent. A file
 * that cannot be attached is refused with its name and the reason, through
 * the "refused" signal, never dropped silently.
 */
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-attachment-bar.h"

#define FILE_ATTRIBUTE "epistle::file"

struct _EpAttachmentBar
{
  GtkWidget parent_instance;

  /* Owned */
  GListStore *files;       /* GFileInfo, the GFile under FILE_ATTRIBUTE */
  char *summary;
  char *limit_warning;
  guint64 size_limit;

  /* Template widgets */
  GtkLabel *summary_label;
  GtkLabel *limit_label;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (EpAttachmentBar, ep_attachment_bar, GTK_TYPE_WIDGET)

enum {
  SIGNAL_REFUSED,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Octets of base64 for @n bytes: 76 columns a line, CRLF-ended, as the message is built. */
static guint64
base64_size (guint64 n)
{
  return n == 0 ? 0 : 4 * ((n + 2) / 3) + 2 * ((n + 56) / 57);
}

static GFile *
info_get_file (GFileInfo *info)
{
  return G_FILE (g_file_info_get_attribute_object (info, FILE_ATTRIBUTE));
}

static void
update_summary (EpAttachmentBar *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));
  g_autofree char *total = g_format_size (ep_attachment_bar_get_total_size (self));
  guint64 encoded = ep_attachment_bar_get_encoded_size (self);

  g_free (self->summary);
  /* Translators: "2 attachments, 3.4 MB" */
  self->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attachment, %s",
                                                "%u attachments, %s", n), n, total);
  gtk_label_set_text (self->summary_label, self->summary);

  g_clear_pointer (&self->limit_warning, g_free);
  if (self->size_limit > 0 && encoded > self->size_limit)
    {
      g_autofree char *have = g_format_size (encoded);
      g_autofree char *limit = g_format_size (self->size_limit);

      /* Translators: both are sizes, "34.2 MB" */
      self->limit_warning = g_strdup_printf (_("Too large for this server: once encoded the "
                                               "attachments come to %s, and the server accepts "
                                               "messages up to %s."), have, limit);
    }
  gtk_label_set_text (self->limit_label, self->limit_warning ? self->limit_warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->limit_label), self->limit_warning != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_remove_clicked_cb (GtkButton       *button,
                      EpAttachmentBar *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  ep_attachment_bar_remove (self, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GFileInfo *info = item;
  const char *name = g_file_info_get_display_name (info);
  g_autofree char *size = g_format_size (g_file_info_get_size (info));
  g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”"), name);
  g_autoptr(GIcon) icon = g_content_type_get_symbolic_icon (g_file_info_get_content_type (info));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *size_label = gtk_label_new (size);
  GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_gicon (icon));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (size_label, "dim-label");
  gtk_widget_add_css_class (size_label, "numeric");
  gtk_box_append (GTK_BOX (box), size_label);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), user_data);
  gtk_box_append (GTK_BOX (box), remove);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

static void
ep_attachment_bar_dispose (GObject *object)
{
  EpAttachmentBar *self = EP_ATTACHMENT_BAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_ATTACHMENT_BAR);
  /* Children the template does not bind are not unparented by it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->files);
  G_OBJECT_CLASS (ep_attachment_bar_parent_class)->dispose (object);
}

static void
ep_attachment_bar_finalize (GObject *object)
{
  EpAttachmentBar *self = EP_ATTACHMENT_BAR (object);

  g_free (self->summary);
  g_free (self->limit_warning);
  G_OBJECT_CLASS (ep_attachment_bar_parent_class)->finalize (object);
}

static void
ep_attachment_bar_class_init (EpAttachmentBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ep_attachment_bar_dispose;
  object_class->finalize = ep_attachment_bar_finalize;

  /**
   * EpAttachmentBar::refused:
   * @message: a sentence naming the file and why it was not attached
   */
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The list, and so the total, changed. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-attachment-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, EpAttachmentBar, summary_label);
  gtk_widget_class_bind_template_child (widget_class, EpAttachmentBar, limit_label);
  gtk_widget_class_bind_template_child (widget_class, EpAttachmentBar, list);
  gtk_widget_class_set_css_name (widget_class, "attachment-bar");
}

static void
ep_attachment_bar_init (EpAttachmentBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->files = g_list_store_new (G_TYPE_FILE_INFO);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->files), create_row, self, NULL);
}

GtkWidget *
ep_attachment_bar_new (void)
{
  return g_object_new (EP_TYPE_ATTACHMENT_BAR, NULL);
}

static gboolean
is_attached (EpAttachmentBar *self,
             GFile           *file)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      if (g_file_equal (info_get_file (info), file))
        return TRUE;
    }
  return FALSE;
}

/**
 * ep_attachment_bar_add_file:
 *
 * Attaches a regular, readable local file. A folder, a missing or unreadable
 * file, or one already attached is refused with a sentence naming it.
 */
gboolean
ep_attachment_bar_add_file (EpAttachmentBar  *self,
                            GFile            *file,
                            GError          **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  if (g_file_peek_path (file) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file; save it to a folder first"), name);
      return FALSE;
    }
  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                            G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("“%s” does not exist"), name);
      else
        g_set_error (error, G_IO_ERROR, local_error->code, _("“%s” cannot be attached: %s"), name,
                     local_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder; attach the files inside it instead"), name);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file"), name);
      return FALSE;
    }
  if (!g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("“%s” cannot be read: you do not have permission"), name);
      return FALSE;
    }
  if (is_attached (self, file))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("“%s” is already attached"), name);
      return FALSE;
    }

  g_file_info_set_attribute_object (info, FILE_ATTRIBUTE, G_OBJECT (file));
  g_list_store_append (self->files, info);
  update_summary (self);
  return TRUE;
}

/**
 * ep_attachment_bar_add_files:
 * @files: (element-type GFile): from a picker or a drop
 *
 * Each file that cannot be attached emits #EpAttachmentBar::refused.
 *
 * Returns: how many were attached
 */
guint
ep_attachment_bar_add_files (EpAttachmentBar *self,
                             GSList          *files)
{
  guint added = 0;

  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), 0);

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autoptr(GError) error = NULL;

      if (ep_attachment_bar_add_file (self, l->data, &error))
        added++;
      else
        g_signal_emit (self, signals[SIGNAL_REFUSED], 0, error->message);
    }
  return added;
}

void
ep_attachment_bar_remove (EpAttachmentBar *self,
                          guint            position)
{
  g_return_if_fail (EP_IS_ATTACHMENT_BAR (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->files)));

  g_list_store_remove (self->files, position);
  update_summary (self);
}

void
ep_attachment_bar_clear (EpAttachmentBar *self)
{
  g_return_if_fail (EP_IS_ATTACHMENT_BAR (self));

  g_list_store_remove_all (self->files);
  update_summary (self);
}

/* Returns: (transfer none): GFileInfo items, the GFile under "epistle::file" */
GListModel *
ep_attachment_bar_get_model (EpAttachmentBar *self)
{
  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), NULL);
  return G_LIST_MODEL (self->files);
}

guint
ep_attachment_bar_get_n_files (EpAttachmentBar *self)
{
  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->files));
}

static guint64
sum_sizes (EpAttachmentBar *self,
           gboolean         encoded)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));
  guint64 total = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (G_LIST_MODEL (self->files), i);
      guint64 size = g_file_info_get_size (info);

      total += encoded ? base64_size (size) : size;
    }
  return total;
}

/* Returns: the files' sizes on disk, added up */
guint64
ep_attachment_bar_get_total_size (EpAttachmentBar *self)
{
  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), 0);
  return sum_sizes (self, FALSE);
}

/* Returns: what the attachments weigh in the message, base64-encoded */
guint64
ep_attachment_bar_get_encoded_size (EpAttachmentBar *self)
{
  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), 0);
  return sum_sizes (self, TRUE);
}

/* Returns: (transfer full): the attached files' paths, in order */
char **
ep_attachment_bar_dup_paths (EpAttachmentBar *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->files));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      g_strv_builder_add (builder, g_file_peek_path (info_get_file (info)));
    }
  return g_strv_builder_end (builder);
}

/* @limit: the SIZE the server announced, 0 for none */
void
ep_attachment_bar_set_size_limit (EpAttachmentBar *self,
                                  guint64          limit)
{
  g_return_if_fail (EP_IS_ATTACHMENT_BAR (self));

  self->size_limit = limit;
  update_summary (self);
}

const char *
ep_attachment_bar_get_summary (EpAttachmentBar *self)
{
  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), NULL);
  return self->summary;
}

/* Returns: (nullable): the sentence shown when the attachments exceed the server's limit */
const char *
ep_attachment_bar_get_limit_warning (EpAttachmentBar *self)
{
  g_return_val_if_fail (EP_IS_ATTACHMENT_BAR (self), NULL);
  return self->limit_warning;
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  g_autoptr(EpAttachmentBar) self = user_data;
  g_autoptr(GListModel) files = NULL;
  GSList *list = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = g_list_model_get_n_items (files); i > 0; i--)
        list = g_slist_prepend (list, g_list_model_get_item (files, i - 1));
      ep_attachment_bar_add_files (self, list);
      g_slist_free_full (list, g_object_unref);
    }
  g_object_unref (chooser);
}

/* Opens the file picker (several files at once) over the window. */
void
ep_attachment_bar_choose_files (EpAttachmentBar *self)
{
  GtkFileChooserNative *chooser;
  GtkRoot *root;

  g_return_if_fail (EP_IS_ATTACHMENT_BAR (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  chooser = gtk_file_chooser_native_new (_("Attach Files"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
