/* ep-rich-editor-actions.c — the editor's commands and shortcuts
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shortcuts sit on a capture-phase controller of the editor, so the
 * text view, which binds Ctrl+Z to its own (text-only) undo, never sees them.
 */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "ep-dialog.h"
#include "ep-image-resize.h"
#include "ep-rich-editor-private.h"

static void
undo_action (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);

  ep_rich_history_undo (self->history);
  ep_rich_editor_sync_from_cursor (self);
}

static void
redo_action (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);

  ep_rich_history_redo (self->history);
  ep_rich_editor_sync_from_cursor (self);
}

void
ep_rich_editor_history_changed (gpointer user_data)
{
  EpRichEditor *self = user_data;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo",
                                 ep_rich_history_can_undo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.redo",
                                 ep_rich_history_can_redo (self->history));
}

static void
indent_action (GtkWidget  *widget,
               const char *name,
               GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  int first, last;

  ep_rich_editor_selected_lines (self, &first, &last);
  gtk_text_buffer_begin_user_action (buffer);
  self->fixing = TRUE;
  ep_buffer_html_change_indent (buffer, first, last, g_str_equal (name, "editor.indent") ? 1 : -1);
  self->fixing = FALSE;
  gtk_text_buffer_end_user_action (buffer);
}

static void
color_action (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  gboolean background = g_str_equal (name, "editor.highlight");
  const char *spec = g_variant_get_string (parameter, NULL);
  GdkRGBA color;
  GtkTextTag *tag = NULL;

  if (*spec != '\0' && gdk_rgba_parse (&color, spec))
    tag = ep_buffer_html_get_color_tag (ep_rich_editor_buffer (self), background, &color);
  ep_rich_editor_format_group (self, background ? EP_TAG_BACKGROUND : EP_TAG_FOREGROUND, tag);
  ep_rich_editor_update_toolbar (self);
  gtk_menu_button_popdown (background ? self->highlight_button : self->text_color_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
apply_color (EpRichEditor  *self,
             const GdkRGBA *color,
             const char    *action)
{
  g_autofree char *spec = gdk_rgba_to_string (color);

  gtk_widget_activate_action (GTK_WIDGET (self), action, "s", spec);
}

/* Enter, Space or a double click on a swatch. */
void
ep_rich_editor_on_text_color_cb (EpRichEditor  *self,
                                 const GdkRGBA *color)
{
  apply_color (self, color, "editor.text-color");
}

void
ep_rich_editor_on_highlight_cb (EpRichEditor  *self,
                                const GdkRGBA *color)
{
  apply_color (self, color, "editor.highlight");
}

typedef struct
{
  EpRichEditor *self;
  GtkColorChooser *chooser;
} ChosenColor;

static gboolean
apply_chosen_cb (gpointer data)
{
  ChosenColor *chosen = data;
  GdkRGBA color;

  if (chosen->self->view != NULL)
    {
      gtk_color_chooser_get_rgba (chosen->chooser, &color);
      apply_color (chosen->self, &color, chosen->chooser == chosen->self->text_chooser
                                         ? "editor.text-color" : "editor.highlight");
    }
  g_object_unref (chosen->self);
  g_free (chosen);
  return G_SOURCE_REMOVE;
}

/* A single click on a swatch chooses it too, even the one already selected
 * (the chooser itself only selects it, and says nothing when it was). Arrow
 * keys still only move the selection, so the palette can be browsed. */
static void
on_chooser_released_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        EpRichEditor    *self)
{
  GtkWidget *chooser = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (chooser, x, y, GTK_PICK_DEFAULT);
  ChosenColor *chosen;

  while (picked != NULL && picked != chooser && !g_str_equal (gtk_widget_get_css_name (picked), "colorswatch"))
    picked = gtk_widget_get_parent (picked);
  /* A colour, not the “+” that opens the custom editor. */
  if (picked == NULL || picked == chooser || n_press != 1 ||
      !gtk_widget_has_css_class (picked, "activatable") ||
      !(gtk_widget_has_css_class (picked, "light") || gtk_widget_has_css_class (picked, "dark")))
    return;
  chosen = g_new0 (ChosenColor, 1);
  chosen->self = g_object_ref (self);
  chosen->chooser = GTK_COLOR_CHOOSER (chooser);
  /* After the swatch has taken the click and selected itself. */
  g_idle_add (apply_chosen_cb, chosen);
}

static void
watch_clicks (EpRichEditor    *self,
              GtkColorChooser *chooser)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "released", G_CALLBACK (on_chooser_released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (chooser), GTK_EVENT_CONTROLLER (click));
}

static void
remove_formatting_action (GtkWidget  *widget,
                          const char *name,
                          GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter start, end;

  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    {
      gtk_text_buffer_begin_user_action (buffer);
      ep_buffer_html_clear_inline (buffer, &start, &end);
      ep_buffer_html_remove_kind (buffer, EP_TAG_LINK, &start, &end);
      gtk_text_buffer_end_user_action (buffer);
    }
  g_ptr_array_set_size (self->typing_tags, 0);
  ep_rich_editor_sync_from_cursor (self);
  g_ptr_array_set_size (self->typing_tags, 0);
}

static void
insert_rule_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter iter;

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  self->fixing = TRUE;
  ep_buffer_html_insert_rule (buffer, &iter);
  self->fixing = FALSE;
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_buffer_end_user_action (buffer);
}

/* What a person types as an address, as a link: “example.com” → https://, “a@b.c” → mailto:. */
static char *
normalize_url (const char *typed)
{
  g_autofree char *url = g_strstrip (g_strdup (typed));
  g_autofree char *scheme = g_uri_parse_scheme (url);

  if (*url == '\0' || scheme != NULL)
    return g_steal_pointer (&url);
  if (strchr (url, '@') != NULL && strchr (url, '/') == NULL)
    return g_strconcat ("mailto:", url, NULL);
  return g_strconcat ("https://", url, NULL);
}

/**
 * ep_rich_editor_insert_link:
 * @text: (nullable): what the link reads; NULL or empty keeps the selection, or shows @url
 *
 * Makes the selection a link to @url, or inserts @text as one at the cursor.
 */
gboolean
ep_rich_editor_insert_link (EpRichEditor  *self,
                            const char    *text,
                            const char    *url,
                            GError       **error)
{
  GtkTextBuffer *buffer;
  g_autofree char *href = NULL;
  g_autofree char *selected = NULL;
  GtkTextTag *tag;
  GtkTextIter start, end;
  int offset;

  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  buffer = ep_rich_editor_buffer (self);
  href = normalize_url (url);
  tag = ep_buffer_html_get_link_tag (buffer, href, error);
  if (tag == NULL)
    return FALSE;
  gtk_text_buffer_begin_user_action (buffer);
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    selected = gtk_text_iter_get_text (&start, &end);
  /* The selection, as it reads, becomes the link, keeping its formats. */
  if (selected != NULL && (text == NULL || *text == '\0' || g_str_equal (text, selected)))
    ep_buffer_html_remove_kind (buffer, EP_TAG_LINK, &start, &end);
  else
    {
      const char *shown = text && *text ? text : href + (g_str_has_prefix (href, "mailto:") ? 7 : 0);

      gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
      gtk_text_buffer_get_iter_at_mark (buffer, &start, gtk_text_buffer_get_insert (buffer));
      offset = gtk_text_iter_get_offset (&start);
      gtk_text_buffer_insert (buffer, &start, shown, -1);
      end = start;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
    }
  gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
  gtk_text_buffer_end_user_action (buffer);
  return TRUE;
}

typedef struct
{
  EpRichEditor *editor;
  AdwEntryRow *text_row;
  AdwEntryRow *url_row;
  GtkTextMark *start;         /* the selection when the dialog opened */
  GtkTextMark *end;
} LinkDialog;

static void
link_dialog_free (gpointer data)
{
  LinkDialog *link = data;
  GtkTextBuffer *buffer = gtk_text_mark_get_buffer (link->start);

  if (buffer != NULL)
    {
      gtk_text_buffer_delete_mark (buffer, link->start);
      gtk_text_buffer_delete_mark (buffer, link->end);
    }
  g_object_unref (link->start);
  g_object_unref (link->end);
  g_object_unref (link->editor);
  g_free (link);
}

static void
on_link_url_changed_cb (GtkEditable *editable,
                        GtkWidget   *dialog)
{
  LinkDialog *link = g_object_get_data (G_OBJECT (dialog), "ep-link");
  g_autofree char *url = normalize_url (gtk_editable_get_text (editable));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "insert",
                                           ep_buffer_html_link_is_safe (url));
  (void) link;
}

static void
on_link_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  LinkDialog *link = g_object_get_data (G_OBJECT (dialog), "ep-link");
  GtkTextBuffer *buffer = gtk_text_mark_get_buffer (link->start);
  GtkTextIter start, end;

  /* The editor went (its window closed) while the dialog was open. */
  if (buffer == NULL || link->editor->view == NULL)
    return;
  if (g_str_equal (response, "insert"))
    {
      /* The selection as it was when the dialog opened, whatever focus did to it since. */
      gtk_text_buffer_get_iter_at_mark (buffer, &start, link->start);
      gtk_text_buffer_get_iter_at_mark (buffer, &end, link->end);
      gtk_text_buffer_select_range (buffer, &end, &start);
    }
  if (g_str_equal (response, "insert"))
    ep_rich_editor_insert_link (link->editor, gtk_editable_get_text (GTK_EDITABLE (link->text_row)),
                                gtk_editable_get_text (GTK_EDITABLE (link->url_row)), NULL);
  gtk_widget_grab_focus (GTK_WIDGET (link->editor->view));
}

static void
insert_link_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  LinkDialog *link = g_new0 (LinkDialog, 1);
  GtkWidget *dialog, *list;
  GtkTextIter start, end;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Insert Link"), NULL);
  link->editor = g_object_ref (self);
  link->text_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  link->url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (link->text_row), _("Text"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (link->url_row), _("Address"));
  /* Enter inserts the link, once the address is one. */
  adw_entry_row_set_activates_default (link->text_row, TRUE);
  adw_entry_row_set_activates_default (link->url_row, TRUE);
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    {
      g_autofree char *selected = gtk_text_iter_get_text (&start, &end);
      gtk_editable_set_text (GTK_EDITABLE (link->text_row), selected);
    }
  link->start = g_object_ref (gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE));
  link->end = g_object_ref (gtk_text_buffer_create_mark (buffer, NULL, &end, FALSE));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (link->text_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (link->url_row));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"), "insert", _("Insert Link"), NULL);
  ep_dialog_name_buttons_once (dialog);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "insert",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "insert", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "insert");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ep-link", link, link_dialog_free);
  g_signal_connect (link->url_row, "changed", G_CALLBACK (on_link_url_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_link_response_cb), NULL);
  /* With the text already there (the selection), the address is what is left to type. */
  gtk_window_set_focus (GTK_WINDOW (dialog),
                        GTK_WIDGET (gtk_editable_get_text (GTK_EDITABLE (link->text_row))[0]
                                    ? link->url_row : link->text_row));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_error (EpRichEditor *self,
            const char   *heading,
            const char   *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  ep_dialog_name_buttons_once (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
insert_or_explain (EpRichEditor *self,
                   const char   *path)
{
  g_autoptr(GError) error = NULL;

  if (!ep_rich_editor_insert_image (self, path, &error))
    show_error (self, _("Could Not Insert the Image"), error->message);
}

static void
on_resize_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       EpRichEditor     *self)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "ep-path");
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "epistle", "resized", NULL);
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;

  if (self->view == NULL)
    return;
  if (g_str_equal (response, "original"))
    insert_or_explain (self, path);
  else if (g_str_equal (response, "smaller"))
    {
      copy = ep_image_resize_copy (path, dir, &error);
      if (copy == NULL)
        show_error (self, _("Could Not Make a Smaller Copy"), error->message);
      else
        insert_or_explain (self, copy);
    }
}

/**
 * ep_rich_editor_offer_image:
 * @path: an image file a person chose, pasted or dropped
 *
 * Inserts the image at the cursor; a large photo (over 2 MB or 2000 pixels)
 * first asks whether to send a smaller copy or the original.
 */
void
ep_rich_editor_offer_image (EpRichEditor *self,
                            const char   *path)
{
  GtkRoot *root;
  GtkWidget *dialog;
  g_autofree char *name = NULL;
  g_autofree char *size_text = NULL;
  guint64 size;
  int width, height;

  g_return_if_fail (EP_IS_RICH_EDITOR (self));
  g_return_if_fail (path != NULL);

  /* A picker or a paste can finish after the window closed. */
  if (self->view == NULL)
    return;
  if (!ep_image_is_large (path, &size, &width, &height))
    {
      insert_or_explain (self, path);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  name = g_filename_display_basename (path);
  size_text = g_format_size (size);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Send a Smaller Copy?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: “photo.jpg” is 4.2 MB and 4000 × 3000 pixels … 1600 pixels */
                                  _("“%s” is %s and %d × %d pixels. A copy %d pixels on its long side "
                                    "is quicker to send and to open; the original file stays as it is."),
                                  name, size_text, width, height, EP_IMAGE_RESIZED_PIXELS);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"),
                                    "original", _("Send Original"),
                                    "smaller", _("Send Smaller Copy"),
                                    NULL);
  ep_dialog_name_buttons_once (dialog);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "smaller",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "smaller");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ep-path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_resize_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * ep_rich_editor_drop_files:
 * @files: (element-type GFile): the files of a drop
 * @x: the drop point, in @self's coordinates
 * @y: the drop point, in @self's coordinates
 *
 * Images dropped onto the text go in inline where they fall; the window
 * attaches the rest.
 *
 * Returns: (transfer container) (element-type GFile): the files not taken:
 * all of them when the point is not over the text, else those that are not
 * images
 */
GSList *
ep_rich_editor_drop_files (EpRichEditor *self,
                           GSList       *files,
                           double        x,
                           double        y)
{
  GtkWidget *view;
  GSList *rest = NULL;
  double view_x, view_y;
  int buffer_x, buffer_y, trailing;
  GtkTextIter iter;

  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), NULL);

  view = GTK_WIDGET (self->view);
  if (self->plain_text ||
      !gtk_widget_translate_coordinates (GTK_WIDGET (self), view, x, y, &view_x, &view_y) ||
      !gtk_widget_contains (view, view_x, view_y))
    return g_slist_copy (files);
  gtk_text_view_window_to_buffer_coords (self->view, GTK_TEXT_WINDOW_WIDGET, (int) view_x, (int) view_y,
                                         &buffer_x, &buffer_y);
  /* Between the characters nearest the point, as a drop of text would go. */
  gtk_text_view_get_iter_at_position (self->view, &iter, &trailing, buffer_x, buffer_y);
  gtk_text_iter_forward_chars (&iter, trailing);
  gtk_text_buffer_place_cursor (ep_rich_editor_buffer (self), &iter);
  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);

      if (path != NULL && gdk_pixbuf_get_file_info (path, NULL, NULL) != NULL)
        ep_rich_editor_offer_image (self, path);
      else
        rest = g_slist_prepend (rest, l->data);
    }
  return g_slist_reverse (rest);
}

static void
on_image_chosen_cb (GtkNativeDialog *chooser,
                    int              response,
                    EpRichEditor    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        ep_rich_editor_offer_image (self, path);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
insert_image_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Insert Image"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Insert"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_image_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_plain_text_read_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EpRichEditor) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  GtkTextBuffer *buffer;

  if (text == NULL || self->view == NULL)
    return;
  buffer = ep_rich_editor_buffer (self);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
  gtk_text_buffer_end_user_action (buffer);
  gtk_text_view_scroll_mark_onscreen (self->view, gtk_text_buffer_get_insert (buffer));
}

static void
paste_plain_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_plain_text_read_cb,
                                 g_object_ref (widget));
}

static void
on_texture_read_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EpRichEditor) self = user_data;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "epistle", "pasted", NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (texture == NULL || self->view == NULL)
    return;
  /* Translators: the file name a pasted image is sent under; %.8s is a unique code */
  name = g_strdup_printf (_("pasted-image-%.8s.png"), uuid);
  path = g_build_filename (dir, name, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !gdk_texture_save_to_png (texture, path))
    {
      show_error (self, _("Could Not Paste the Image"),
                  _("The image could not be stored in Epistle's cache folder."));
      return;
    }
  ep_rich_editor_offer_image (self, path);
}

/* An image on the clipboard goes in inline; anything else as the text view pastes. */
static void
paste_action (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (self->plain_text)
    paste_plain_action (widget, name, parameter);
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE) &&
      !gdk_content_formats_contain_gtype (formats, GTK_TYPE_TEXT_BUFFER) &&
      !gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8") &&
      !gdk_content_formats_contain_mime_type (formats, "text/plain"))
    gdk_clipboard_read_texture_async (clipboard, NULL, on_texture_read_cb, g_object_ref (self));
  else
    g_signal_emit_by_name (self->view, "paste-clipboard");
}

static void
on_html_chosen_cb (GtkNativeDialog *chooser,
                   int              response,
                   EpRichEditor    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base_dir = NULL;
  gsize length;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && self->view != NULL)
    {
      folder = g_file_get_parent (file);
      base_dir = folder ? g_file_get_path (folder) : NULL;
      if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &error) ||
          !ep_rich_editor_load_html (self, contents, length, base_dir, &error))
        show_error (self, _("Could Not Open the HTML File"), error->message);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
open_html_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open HTML File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("HTML Files"));
  gtk_file_filter_add_mime_type (filter, "text/html");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_html_chosen_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Read-only, the HTML part as it will be sent (each send gives the images new Content-IDs). */
static void
view_html_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *html = ep_buffer_html_to_html (ep_rich_editor_buffer (self), "epistle.invalid",
                                                  NULL, NULL);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("HTML"));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("HTML"), -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), html, -1);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

void
ep_rich_editor_actions_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.open-html", NULL, open_html_action);
  gtk_widget_class_install_action (widget_class, "editor.view-html", NULL, view_html_action);
  gtk_widget_class_install_action (widget_class, "editor.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "editor.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "editor.indent", NULL, indent_action);
  gtk_widget_class_install_action (widget_class, "editor.outdent", NULL, indent_action);
  gtk_widget_class_install_action (widget_class, "editor.text-color", "s", color_action);
  gtk_widget_class_install_action (widget_class, "editor.highlight", "s", color_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-formatting", NULL, remove_formatting_action);
  gtk_widget_class_install_action (widget_class, "editor.insert-rule", NULL, insert_rule_action);
  gtk_widget_class_install_action (widget_class, "editor.insert-link", NULL, insert_link_action);
  gtk_widget_class_install_action (widget_class, "editor.insert-image", NULL, insert_image_action);
  gtk_widget_class_install_action (widget_class, "editor.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "editor.paste-plain", NULL, paste_plain_action);
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *accelerator,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                                          gtk_named_action_new (action)));
}

/* Tab in a list item nests it one level deeper, Shift+Tab brings it back;
 * anywhere else Tab is a tab, as the text view has it. */
static gboolean
on_tab_cb (GtkWidget *view,
           GVariant  *arguments,
           gpointer   user_data)
{
  EpRichEditor *self = EP_RICH_EDITOR (gtk_widget_get_ancestor (view, EP_TYPE_RICH_EDITOR));
  gboolean back = g_variant_get_boolean (arguments);
  int first, last;

  ep_rich_editor_selected_lines (self, &first, &last);
  if (self->plain_text || ep_buffer_html_get_list (ep_rich_editor_buffer (self), first) == EP_LIST_NONE)
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), back ? "editor.outdent" : "editor.indent", NULL);
}

static GMenuModel *
font_menu_new (void)
{
  GMenu *menu = g_menu_new ();

  g_menu_append (menu, _("Default"), "editor.font::");
  for (guint i = 0; i < ep_buffer_html_get_n_fonts (); i++)
    {
      g_autofree char *detailed = g_strdup_printf ("editor.font::%s", ep_buffer_html_get_font_id (i));
      g_menu_append (menu, ep_buffer_html_get_font_label (i), detailed);
    }
  return G_MENU_MODEL (menu);
}

void
ep_rich_editor_actions_init (EpRichEditor *self)
{
  /* On the text view, before its own Ctrl+Z and Ctrl+V: never while a find
   * entry or a toolbar button has the focus, where Ctrl+V pastes into the
   * entry and Ctrl+Z undoes its typing. */
  static const char * const text_shortcuts[][2] = {
    { "<Control>b", "editor.bold" },
    { "<Control>i", "editor.italic" },
    { "<Control>u", "editor.underline" },
    { "<Control>k", "editor.insert-link" },
    { "<Control>z", "editor.undo" },
    { "<Control><Shift>z", "editor.redo" },
    { "<Control>y", "editor.redo" },
    { "<Control>v", "editor.paste" },
    { "<Control><Shift>v", "editor.paste-plain" },
  };
  /* Anywhere in the editor. */
  static const char * const editor_shortcuts[][2] = {
    { "<Control>f", "editor.find" },
    { "<Control>h", "editor.replace" },
  };
  GtkEventController *on_text = gtk_shortcut_controller_new ();
  GtkEventController *on_editor = gtk_shortcut_controller_new ();
  g_autoptr(GMenuModel) fonts = font_menu_new ();

  gtk_event_controller_set_propagation_phase (on_text, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (text_shortcuts); i++)
    add_shortcut (GTK_SHORTCUT_CONTROLLER (on_text), text_shortcuts[i][0], text_shortcuts[i][1]);
  for (guint back = 0; back <= 1; back++)
    {
      GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (back ? "<Shift>ISO_Left_Tab" : "Tab");
      GtkShortcutAction *action = gtk_callback_action_new (on_tab_cb, NULL, NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (on_text),
                                            gtk_shortcut_new_with_arguments (trigger, action, "b", back));
    }
  gtk_widget_add_controller (GTK_WIDGET (self->view), on_text);
  for (guint i = 0; i < G_N_ELEMENTS (editor_shortcuts); i++)
    add_shortcut (GTK_SHORTCUT_CONTROLLER (on_editor), editor_shortcuts[i][0], editor_shortcuts[i][1]);
  gtk_widget_add_controller (GTK_WIDGET (self), on_editor);
  gtk_menu_button_set_menu_model (self->font_button, fonts);
  watch_clicks (self, self->text_chooser);
  watch_clicks (self, self->highlight_chooser);
  ep_rich_editor_history_changed (self);
}
