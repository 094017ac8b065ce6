/* ep-rich-editor-find.c — find and replace in the body, through GtkSourceSearchContext
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkSourceView highlights every match, counts them in the background and
 * finds the next one; this file only joins it to the find bar. A
 * replacement takes the formats of the text around it.
 */
#include <glib/gi18n.h>

#include "ep-rich-editor-private.h"

static void
update_count (EpRichEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));
  int count = gtk_source_search_context_get_occurrences_count (self->search);
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter start, end;
  int position = -1;
  g_autofree char *label = NULL;

  if (*text == '\0' || count < 0)
    {
      gtk_label_set_text (self->match_label, "");
      return;
    }
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    position = gtk_source_search_context_get_occurrence_position (self->search, &start, &end);
  if (count == 0)
    label = g_strdup (_("No matches"));
  else if (position > 0)
    /* Translators: the match the cursor is on, of how many: “3 of 12” */
    label = g_strdup_printf (_("%d of %d"), position, count);
  else
    label = g_strdup_printf (ngettext ("%d match", "%d matches", count), count);
  gtk_label_set_text (self->match_label, label);
}

/* GtkSearchEntry reports typing after a pause: a command uses what the entry holds now. */
static void
sync_search_text (EpRichEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));

  if (g_strcmp0 (gtk_source_search_settings_get_search_text (self->search_settings),
                 *text ? text : NULL) != 0)
    gtk_source_search_settings_set_search_text (self->search_settings, *text ? text : NULL);
}

static void
select_match (EpRichEditor *self,
              GtkTextIter  *start,
              GtkTextIter  *end)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);

  gtk_text_buffer_select_range (buffer, start, end);
  gtk_text_view_scroll_to_mark (self->view, gtk_text_buffer_get_insert (buffer), 0.2, FALSE, 0, 0);
  update_count (self);
}

static gboolean
find_from_cursor (EpRichEditor *self,
                  gboolean      backward)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter start, end, match_start, match_end;
  gboolean wrapped;
  gboolean found;

  sync_search_text (self);
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (backward)
    found = gtk_source_search_context_backward (self->search, &start, &match_start, &match_end, &wrapped);
  else
    found = gtk_source_search_context_forward (self->search, &end, &match_start, &match_end, &wrapped);
  if (found)
    select_match (self, &match_start, &match_end);
  return found;
}

static void
find_next_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  find_from_cursor (EP_RICH_EDITOR (widget), g_str_equal (name, "editor.find-previous"));
}

static void
open_bar (EpRichEditor *self,
          gboolean      replace)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter start, end;

  /* A short selection on one line is what to look for. */
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end) &&
      gtk_text_iter_get_line (&start) == gtk_text_iter_get_line (&end) &&
      gtk_text_iter_get_offset (&end) - gtk_text_iter_get_offset (&start) < 200)
    {
      g_autofree char *selected = gtk_text_iter_get_text (&start, &end);

      if (!g_str_equal (selected, gtk_editable_get_text (GTK_EDITABLE (self->find_entry))))
        gtk_editable_set_text (GTK_EDITABLE (self->find_entry), selected);
    }
  gtk_widget_set_visible (self->replace_box, replace);
  gtk_revealer_set_reveal_child (self->find_revealer, TRUE);
  gtk_source_search_context_set_highlight (self->search, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->find_entry), 0, -1);
}

static void
find_action (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  open_bar (EP_RICH_EDITOR (widget), g_str_equal (name, "editor.replace"));
}

static void
close_find_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);

  gtk_revealer_set_reveal_child (self->find_revealer, FALSE);
  gtk_source_search_context_set_highlight (self->search, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
replace_one_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  const char *replacement = gtk_editable_get_text (GTK_EDITABLE (self->replace_entry));
  GtkTextIter start, end;

  sync_search_text (self);
  /* The selected match is replaced; otherwise the next one is found first. */
  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end) ||
      gtk_source_search_context_get_occurrence_position (self->search, &start, &end) <= 0)
    {
      find_from_cursor (self, FALSE);
      return;
    }
  self->replacing = TRUE;
  gtk_source_search_context_replace (self->search, &start, &end, replacement, -1, NULL);
  self->replacing = FALSE;
  gtk_text_buffer_place_cursor (buffer, &end);
  find_from_cursor (self, FALSE);
}

static void
replace_all_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  EpRichEditor *self = EP_RICH_EDITOR (widget);
  const char *replacement = gtk_editable_get_text (GTK_EDITABLE (self->replace_entry));

  self->replacing = TRUE;
  sync_search_text (self);
  gtk_source_search_context_replace_all (self->search, replacement, -1, NULL);
  self->replacing = FALSE;
  ep_rich_editor_sync_from_cursor (self);
  update_count (self);
}

static void
on_search_changed_cb (GtkSearchEntry *entry,
                      EpRichEditor   *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_source_search_settings_set_search_text (self->search_settings, *text ? text : NULL);
}

static void
on_case_toggled_cb (GtkToggleButton *button,
                    EpRichEditor    *self)
{
  gtk_source_search_settings_set_case_sensitive (self->search_settings,
                                                 gtk_toggle_button_get_active (button));
}

static void
on_count_changed_cb (GObject      *search,
                     GParamSpec   *pspec,
                     EpRichEditor *self)
{
  update_count (self);
}

static void
on_entry_activate_cb (GtkSearchEntry *entry,
                      EpRichEditor   *self)
{
  find_from_cursor (self, FALSE);
}

static void
on_previous_match_cb (GtkSearchEntry *entry,
                      EpRichEditor   *self)
{
  find_from_cursor (self, TRUE);
}

static void
on_stop_search_cb (GtkSearchEntry *entry,
                   EpRichEditor   *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.close-find", NULL);
}

void
ep_rich_editor_find_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "editor.replace", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "editor.find-next", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "editor.find-previous", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "editor.close-find", NULL, close_find_action);
  gtk_widget_class_install_action (widget_class, "editor.replace-one", NULL, replace_one_action);
  gtk_widget_class_install_action (widget_class, "editor.replace-all", NULL, replace_all_action);
}

void
ep_rich_editor_find_init (EpRichEditor *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  self->search_settings = gtk_source_search_settings_new ();
  gtk_source_search_settings_set_wrap_around (self->search_settings, TRUE);
  self->search = gtk_source_search_context_new (GTK_SOURCE_BUFFER (ep_rich_editor_buffer (self)),
                                                self->search_settings);
  gtk_source_search_context_set_highlight (self->search, FALSE);
  g_signal_connect_object (self->search, "notify::occurrences-count",
                           G_CALLBACK (on_count_changed_cb), self, 0);
  g_signal_connect_object (self->find_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self, 0);
  g_signal_connect_object (self->find_entry, "activate", G_CALLBACK (on_entry_activate_cb), self, 0);
  g_signal_connect_object (self->find_entry, "next-match", G_CALLBACK (on_entry_activate_cb), self, 0);
  g_signal_connect_object (self->find_entry, "previous-match", G_CALLBACK (on_previous_match_cb), self, 0);
  g_signal_connect_object (self->find_entry, "stop-search", G_CALLBACK (on_stop_search_cb), self, 0);
  g_signal_connect_object (self->case_button, "toggled", G_CALLBACK (on_case_toggled_cb), self, 0);
  /* Shift+Enter in the find entry goes back, as Enter goes forward; before
   * the entry's text, which would take it as Enter. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Shift>Return"),
                                                          gtk_named_action_new ("editor.find-previous")));
  gtk_widget_add_controller (GTK_WIDGET (self->find_entry), controller);
}

void
ep_rich_editor_find_dispose (EpRichEditor *self)
{
  g_clear_object (&self->search);
  g_clear_object (&self->search_settings);
}
