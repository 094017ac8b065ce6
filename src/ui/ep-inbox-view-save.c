/* ep-inbox-view-save.c — the Inbox's files: attachments saved with Save…, the JSON export
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An attachment is decoded from the message already fetched, in a worker
 * thread that also writes the file (the picker has asked before a file is
 * replaced), so a large one never holds the window; the export
 * fetches the listed messages whole and writes them with core's
 * ep_imap_export_message () through json-glib, the JSON `epistle inbox
 * --json` writes. Pickers are GtkFileChooserNative (GTK 4.8).
 */
#include <glib/gi18n.h>

#include "ep-imap-export.h"
#include "ep-inbox-view-private.h"
#include "ep-send-status.h"
#include "ep-server-text.h"

/* A passing word in the window's toast overlay (or the log, outside one). */
void
ep_inbox_view_toast (EpInboxView *self,
                     const char  *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
collect_part (GMimeObject *parent,
              GMimeObject *part,
              gpointer     user_data)
{
  GPtrArray *attachments = user_data;

  /* The same rule as core's export; an attached message is one, and is not entered. */
  if (ep_imap_export_is_attachment (part))
    g_ptr_array_add (attachments, g_object_ref (part));
}

/* Decodes @encoded (the part's content as it came, in @encoding) into memory. */
static GBytes *
decode_bytes (GBytes                  *encoded,
              GMimeContentEncoding     encoding,
              GError                 **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (encoded, &len);
  g_autoptr(GMimeStream) source = g_mime_stream_mem_new_with_buffer (data != NULL ? data : "", len);
  g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream (source, encoding);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GByteArray *bytes;

  if (g_mime_data_wrapper_write_to_stream (content, stream) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The attachment could not be decoded."));
      return NULL;
    }
  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (bytes->data, bytes->len);
}

/* The part's content as it came (base64, quoted-printable…): a copy, so that a thread may decode it. */
static GBytes *
dup_encoded (GMimeObject          *part,
             GMimeContentEncoding *encoding)
{
  GMimeDataWrapper *content;
  g_autoptr(GMimeStream) copy = g_mime_stream_mem_new ();
  GMimeStream *stream;
  GByteArray *bytes;

  *encoding = GMIME_CONTENT_ENCODING_DEFAULT;
  /* An attached message: its bytes as they are, which “decoding” leaves alone. */
  if (GMIME_IS_MESSAGE_PART (part))
    return ep_imap_export_dup_attachment_content (part);
  content = g_mime_part_get_content (GMIME_PART (part));
  if (content == NULL || (stream = g_mime_data_wrapper_get_stream (content)) == NULL)
    return NULL;
  *encoding = g_mime_data_wrapper_get_encoding (content);
  if (g_mime_stream_reset (stream) < 0 || g_mime_stream_write_to_stream (stream, copy) < 0)
    return NULL;
  g_mime_stream_reset (stream);
  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (copy));
  return g_bytes_new (bytes->data, bytes->len);
}

static GBytes *
decode (GMimeObject  *part,
        GError      **error)
{
  GMimeContentEncoding encoding;
  g_autoptr(GBytes) encoded = dup_encoded (part, &encoding);

  if (encoded == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The attachment could not be decoded."));
      return NULL;
    }
  return decode_bytes (encoded, encoding, error);
}

static char *
file_name_of (GMimeObject *part)
{
  g_autofree char *name = ep_imap_export_dup_attachment_name (part);
  g_autofree char *valid = ep_server_text_to_utf8 (name != NULL ? name : "", -1);

  /* A name from the sender is only a suggestion: never a path. */
  g_strdelimit (valid, "/\\", '_');
  if (*valid == '\0' || g_str_equal (valid, ".") || g_str_equal (valid, ".."))
    return g_strdup (_("attachment"));
  return g_steal_pointer (&valid);
}

typedef struct
{
  GBytes *encoded;
  GMimeContentEncoding encoding;
  GFile *file;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_bytes_unref (job->encoded);
  g_object_unref (job->file);
  g_free (job);
}

static void
save_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = decode_bytes (job->encoded, job->encoding, &error);
  gsize len = 0;
  const char *data;

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  if (!g_file_replace_contents (job->file, data != NULL ? data : "", len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static const char save_tag;

/**
 * ep_inbox_view_save_attachment_async:
 * @index: the attachment's place in the list shown
 * @file: where to write it; replaced if it exists (the picker asked first)
 *
 * Decodes the attachment and writes it in a worker thread.
 */
void
ep_inbox_view_save_attachment_async (EpInboxView         *self,
                                     guint                index,
                                     GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (EP_IS_INBOX_VIEW (self));
  g_return_if_fail (index < self->attachments->len);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &save_tag);
  job = g_new0 (SaveJob, 1);
  job->encoded = dup_encoded (g_ptr_array_index (self->attachments, index), &job->encoding);
  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, save_job_free);
  if (job->encoded == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                               _("The attachment could not be decoded."));
      return;
    }
  g_task_run_in_thread (task, save_worker);
}

gboolean
ep_inbox_view_save_attachment_finish (EpInboxView   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &save_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Returns: (transfer full): the names of the attachments listed, as offered to Save… */
GStrv
ep_inbox_view_dup_attachment_names (EpInboxView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);

  for (guint i = 0; i < self->attachments->len; i++)
    {
      g_autofree char *name = file_name_of (g_ptr_array_index (self->attachments, i));

      g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

static void
on_attachment_saved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  EpInboxView *self = EP_INBOX_VIEW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *text = NULL;

  if (ep_inbox_view_save_attachment_finish (self, result, &error))
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("The attachment was saved as “%s”."), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the view is going away */
  else
    text = g_strdup_printf (_("The attachment could not be saved: %s"), error->message);
  ep_inbox_view_toast (self, text);
}

static void
on_save_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  EpInboxView *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "ep-index"));

  /* A GTK 4 save picker asks before it returns a file that exists: nothing is replaced silently. */
  if (response == GTK_RESPONSE_ACCEPT && index < self->attachments->len)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      ep_inbox_view_save_attachment_async (self, index, file, self->cancellable, on_attachment_saved_cb, file);
    }
  if (self->chooser == GTK_FILE_CHOOSER_NATIVE (chooser))
    g_clear_object (&self->chooser);
}

static GtkFileChooserNative *
new_save_chooser (EpInboxView *self,
                  const char  *title,
                  const char  *name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  return self->chooser;
}

static void
on_save_clicked_cb (GtkButton   *button,
                    EpInboxView *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "ep-index"));
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (index >= self->attachments->len)
    return;
  name = file_name_of (g_ptr_array_index (self->attachments, index));
  chooser = new_save_chooser (self, _("Save Attachment"), name);
  g_object_set_data (G_OBJECT (chooser), "ep-index", GUINT_TO_POINTER (index));
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
new_attachment_row (EpInboxView *self,
                    GMimeObject *part,
                    guint        index)
{
  g_autofree char *name = file_name_of (part);
  g_autofree char *type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (part));
  g_autofree char *content_type = g_content_type_from_mime_type (type);
  g_autofree char *description = content_type != NULL && !g_content_type_is_unknown (content_type)
                                 ? g_content_type_get_description (content_type) : NULL;
  g_autoptr(GBytes) bytes = decode (part, NULL);
  g_autofree char *size = g_format_size (bytes != NULL ? g_bytes_get_size (bytes) : 0);
  /* Translators: an attachment's kind and size, “PDF document · 1.2 MB” */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), description != NULL ? description : type, size);
  g_autofree char *label = g_strdup_printf (_("Save “%s”"), name);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_("Save…"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("mail-attachment-symbolic"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (button), "ep-index", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* Fills the attachment rows from the message shown. */
void
ep_inbox_view_list_attachments (EpInboxView *self)
{
  GMimeObject *root = g_mime_message_get_mime_part (self->shown);

  g_assert (self->attachments->len == 0);

  if (root != NULL && GMIME_IS_MULTIPART (root))
    g_mime_multipart_foreach (GMIME_MULTIPART (root), collect_part, self->attachments);
  else if (root != NULL)
    collect_part (NULL, root, self->attachments);
  for (guint i = 0; i < self->attachments->len; i++)
    gtk_list_box_append (self->attachment_list,
                         new_attachment_row (self, g_ptr_array_index (self->attachments, i), i));
  gtk_widget_set_visible (self->attachments_box, self->attachments->len > 0);
}

/* Export */

static const char export_tag;

static void
on_written_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_export_fetched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpInboxView *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = ep_imap_worker_fetch_finish (EP_IMAP_WORKER (source), result, NULL, &error);
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GString *text;

  if (messages == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *sentence = ep_send_status_explain (error, self->host, self->port);

          g_clear_error (&error);
          g_set_error_literal (&error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL, sentence);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  array = json_array_sized_new (messages->len);
  for (guint i = 0; i < messages->len; i++)
    json_array_add_element (array, ep_imap_export_message (g_ptr_array_index (messages, i)));
  root = json_node_init_array (json_node_alloc (), array);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = g_string_new (NULL);
  json_generator_to_gstring (generator, text);
  g_string_append_c (text, '\n');
  bytes = g_string_free_to_bytes (text);
  g_file_replace_contents_bytes_async (g_task_get_task_data (task), bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, g_task_get_cancellable (task),
                                       on_written_cb, g_object_ref (task));
}

/**
 * ep_inbox_view_export_async:
 * @file: where to write the JSON array
 *
 * Fetches the messages listed (the newest N) whole and writes them as
 * `epistle inbox --json` does: one object each, newest first.
 */
void
ep_inbox_view_export_async (EpInboxView         *self,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EP_IS_INBOX_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->worker != NULL && self->messages->len > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &export_tag);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  ep_imap_worker_fetch_async (self->worker, self->mailbox, self->messages->len, EP_INBOX_FULL_ITEMS, cancellable,
                              on_export_fetched_cb, g_steal_pointer (&task));
}

gboolean
ep_inbox_view_export_finish (EpInboxView   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &export_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  EpInboxView *self = EP_INBOX_VIEW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *text = NULL;

  if (!ep_inbox_view_export_finish (self, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the view is going away */
  self->exporting = FALSE;
  ep_inbox_view_update_actions (self);
  if (error != NULL)
    {
      /* Translators: %s is a file name, then the reason */
      text = g_strdup_printf (_("The messages could not be exported to “%s”: %s"), name, error->message);
    }
  else
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("The messages were exported to “%s”."), name);
  ep_inbox_view_toast (self, text);
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       gpointer         user_data)
{
  EpInboxView *self = user_data;
  GFile *file;

  if (response == GTK_RESPONSE_ACCEPT && self->worker != NULL && self->messages->len > 0)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      self->exporting = TRUE;
      ep_inbox_view_update_actions (self);
      ep_inbox_view_export_async (self, file, self->cancellable, on_exported_cb, file);
    }
  if (self->chooser == GTK_FILE_CHOOSER_NATIVE (chooser))
    g_clear_object (&self->chooser);
}

static void
export_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpInboxView *self = EP_INBOX_VIEW (widget);
  GtkFileChooserNative *chooser = new_save_chooser (self, _("Export to JSON"), "inbox.json");

  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
ep_inbox_view_save_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "inbox.export", NULL, export_action_cb);
}
