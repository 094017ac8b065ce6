/* ep-transcript-window.c — the protocol transcript of the last attempt, selectable and copyable
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transcript comes from core with passwords redacted and server
 * control characters escaped; this window only shows it.
 */
#include <glib/gi18n.h>

#include "ep-transcript-window.h"

struct _EpTranscriptWindow
{
  AdwWindow parent_instance;

  /* Borrowed */
  GtkTextView *view;
  AdwToastOverlay *toasts;
};

G_DEFINE_FINAL_TYPE (EpTranscriptWindow, ep_transcript_window, ADW_TYPE_WINDOW)

static void
on_copy_clicked_cb (GtkButton          *button,
                    EpTranscriptWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Transcript copied")));
}

static void
ep_transcript_window_class_init (EpTranscriptWindowClass *klass)
{
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ep_transcript_window_init (EpTranscriptWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy"));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Protocol Transcript"));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 480);
  gtk_widget_set_tooltip_text (copy, _("Copy the whole transcript"));
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), copy);
  gtk_box_append (GTK_BOX (box), header);

  self->view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->view, FALSE);
  gtk_text_view_set_monospace (self->view, TRUE);
  gtk_text_view_set_wrap_mode (self->view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->view, 12);
  gtk_text_view_set_right_margin (self->view, 12);
  gtk_text_view_set_top_margin (self->view, 12);
  gtk_text_view_set_bottom_margin (self->view, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Protocol Transcript"), -1);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->view));

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, scroller);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), box);
}

/* @transcript: the dialogue, passwords already redacted by core */
EpTranscriptWindow *
ep_transcript_window_new (GtkWindow  *parent,
                          const char *transcript)
{
  EpTranscriptWindow *self = g_object_new (EP_TYPE_TRANSCRIPT_WINDOW,
                                           "transient-for", parent,
                                           "modal", TRUE,
                                           "destroy-with-parent", TRUE,
                                           NULL);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->view),
                            transcript && *transcript ? transcript : _("Nothing was said yet."), -1);
  return self;
}
