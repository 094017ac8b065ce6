/* ep-rich-editor.c — the message body: a GtkTextView the formatting toolbar will grow on
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Today it holds plain text with undo; formatting, inline images and find
 * arrive in this widget without the window changing.
 */
#include <glib/gi18n.h>

#include "ep-rich-editor.h"

struct _EpRichEditor
{
  GtkWidget parent_instance;

  /* Borrowed: children */
  GtkWidget *scroller;
  GtkTextView *view;
};

G_DEFINE_FINAL_TYPE (EpRichEditor, ep_rich_editor, GTK_TYPE_WIDGET)

static gboolean
ep_rich_editor_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (EP_RICH_EDITOR (widget)->view));
}

static void
ep_rich_editor_dispose (GObject *object)
{
  EpRichEditor *self = EP_RICH_EDITOR (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  G_OBJECT_CLASS (ep_rich_editor_parent_class)->dispose (object);
}

static void
ep_rich_editor_class_init (EpRichEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ep_rich_editor_dispose;
  widget_class->grab_focus = ep_rich_editor_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rich-editor");
}

static void
ep_rich_editor_init (EpRichEditor *self)
{
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  self->view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->view, 12);
  gtk_text_view_set_right_margin (self->view, 12);
  gtk_text_view_set_top_margin (self->view, 12);
  gtk_text_view_set_bottom_margin (self->view, 12);
  gtk_text_view_set_accepts_tab (self->view, TRUE);
  gtk_text_buffer_set_enable_undo (gtk_text_view_get_buffer (self->view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message Body"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
}

GtkWidget *
ep_rich_editor_new (void)
{
  return g_object_new (EP_TYPE_RICH_EDITOR, NULL);
}

GtkTextView *
ep_rich_editor_get_view (EpRichEditor *self)
{
  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), NULL);
  return self->view;
}

GtkTextBuffer *
ep_rich_editor_get_buffer (EpRichEditor *self)
{
  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), NULL);
  return gtk_text_view_get_buffer (self->view);
}

/* Returns: (transfer full): the body as plain UTF-8 text */
char *
ep_rich_editor_dup_text (EpRichEditor *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), NULL);

  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Replaces the body; not an undoable step (a new message starts a new history). */
void
ep_rich_editor_set_text (EpRichEditor *self,
                         const char   *text)
{
  GtkTextBuffer *buffer;

  g_return_if_fail (EP_IS_RICH_EDITOR (self));

  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (buffer);
}
