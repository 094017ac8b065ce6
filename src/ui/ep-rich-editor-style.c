/* ep-rich-editor-style.c — the editor's own colours follow the light or dark style
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two things in the text are drawn in colours Epistle picks rather than the
 * person: links, and the find bar's match highlighting (GtkSourceView's style
 * scheme). Both follow AdwStyleManager:dark, so a link is as readable on the
 * dark page as on the light one. A link's colour is for the screen only: the
 * HTML written out carries the link, not this colour.
 */
#include <adwaita.h>

#include "ep-rich-editor-private.h"

/* GNOME's palette: Blue 4 on the light page (as ep-buffer-html.c's default), the dark
 * style's accent blue on the dark one. */
#define LINK_LIGHT "#1c71d8"
#define LINK_DARK  "#78aeed"

static void
colour_link (GtkTextTag *tag,
             gpointer    user_data)
{
  gboolean dark = GPOINTER_TO_INT (user_data);

  if (ep_buffer_html_tag_kind (tag, NULL) == EP_TAG_LINK)
    g_object_set (tag, "foreground", dark ? LINK_DARK : LINK_LIGHT, NULL);
}

static void
on_dark_changed_cb (EpRichEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();

  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer),
                                      gtk_source_style_scheme_manager_get_scheme (schemes,
                                                                                  dark ? "Adwaita-dark"
                                                                                       : "Adwaita"));
  gtk_text_tag_table_foreach (gtk_text_buffer_get_tag_table (buffer), colour_link, GINT_TO_POINTER (dark));
  /* For the links made from now on (typed, pasted, opened from HTML): ep-buffer-html.c. */
  g_object_set_data (G_OBJECT (buffer), EP_BUFFER_HTML_LINK_COLOUR, (gpointer) (dark ? LINK_DARK : LINK_LIGHT));
}

void
ep_rich_editor_style_init (EpRichEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);

  g_assert (GTK_SOURCE_IS_BUFFER (buffer));

  if (!adw_is_initialized ())
    return;   /* a widget test without libadwaita: the light style's colours stay */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, G_CONNECT_SWAPPED);
  on_dark_changed_cb (self);
}
