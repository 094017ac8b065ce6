/* ep-rich-editor-edits.c — what the editor does after each insertion and deletion
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkTextBuffer inserts bare text: here typed text takes the formats before
 * the cursor, a paragraph keeps its alignment and list whatever part of it
 * was typed, Enter continues a list (or ends it on an empty item), and
 * Backspace into a list marker ends the item's list. These fix-ups run
 * inside the person's user action, so one undo step takes back both.
 */
#include "ep-rich-editor-private.h"

static GSList *
paragraph_tags (const GtkTextIter *iter)
{
  g_autoptr(GSList) tags = gtk_text_iter_get_tags (iter);
  GSList *paragraph = NULL;

  for (GSList *l = tags; l; l = l->next)
    if (ep_buffer_html_tag_is_paragraph (l->data))
      paragraph = g_slist_prepend (paragraph, l->data);
  return paragraph;
}

static void
on_insert_before_cb (GtkTextBuffer *buffer,
                     GtkTextIter   *location,
                     const char    *text,
                     int            length,
                     EpRichEditor  *self)
{
  GtkTextIter line_start = *location;

  if (self->fixing || ep_rich_history_is_replaying (self->history))
    return;
  gtk_text_iter_set_line_offset (&line_start, 0);
  g_slist_free (self->para_tags_before);
  self->para_tags_before = paragraph_tags (&line_start);
}

/* A new last line is empty, so no tag can hold its formats: a list item gets its marker now. */
static void
continue_on_last_line (EpRichEditor  *self,
                       GtkTextBuffer *buffer,
                       int            line)
{
  GtkTextIter start;
  GtkTextTag *marker = ep_buffer_html_get_tag (buffer, "list-marker");
  gboolean is_list = FALSE;

  for (GSList *l = self->para_tags_before; l; l = l->next)
    is_list |= ep_buffer_html_tag_kind (l->data, NULL) == EP_TAG_LIST;
  if (!is_list)
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &start, line);
  gtk_text_buffer_insert_with_tags (buffer, &start, "• ", -1, marker, NULL);
  for (GSList *l = self->para_tags_before; l; l = l->next)
    {
      GtkTextIter end;

      gtk_text_buffer_get_iter_at_line (buffer, &start, line);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_apply_tag (buffer, l->data, &start, &end);
    }
}

/* Enter on a list item holding nothing but its marker ends the list instead. */
static gboolean
end_list_on_empty_item (GtkTextBuffer *buffer,
                        int            line,
                        int            newline_offset)
{
  GtkTextIter start, end;
  GtkTextTag *marker = ep_buffer_html_get_tag (buffer, "list-marker");

  if (ep_buffer_html_get_list (buffer, line) == EP_LIST_NONE)
    return FALSE;
  gtk_text_buffer_get_iter_at_line (buffer, &start, line);
  end = start;
  if (gtk_text_iter_has_tag (&start, marker))
    gtk_text_iter_forward_to_tag_toggle (&end, marker);
  if (!gtk_text_iter_ends_line (&end))
    return FALSE;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, newline_offset);
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_delete (buffer, &start, &end);
  ep_buffer_html_set_list (buffer, line, line, EP_LIST_NONE);
  return TRUE;
}

static void
on_insert_after_cb (GtkTextBuffer *buffer,
                    GtkTextIter   *location,
                    const char    *text,
                    int            length,
                    EpRichEditor  *self)
{
  int end_offset = gtk_text_iter_get_offset (location);
  int start_offset = end_offset - (int) g_utf8_strlen (text, length);
  gboolean new_lines = memchr (text, '\n', length) != NULL;
  GtkTextMark *after;
  GtkTextIter start, end;
  int first, last;

  if (self->fixing || ep_rich_history_is_replaying (self->history))
    return;
  self->fixing = TRUE;
  /* Handlers after this one (GtkSourceView's search) need @location valid again. */
  after = gtk_text_buffer_create_mark (buffer, NULL, location, FALSE);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, start_offset);
  first = gtk_text_iter_get_line (&start);
  last = gtk_text_iter_get_line (location);
  for (guint i = 0; i < self->typing_tags->len; i++)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &start, start_offset);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, end_offset);
      gtk_text_buffer_apply_tag (buffer, self->typing_tags->pdata[i], &start, &end);
    }
  if (new_lines && length == 1 && end_list_on_empty_item (buffer, first, start_offset))
    new_lines = FALSE;
  else if (new_lines || self->para_tags_before != NULL)
    {
      for (int line = first + 1; line <= last; line++)
        {
          GtkTextIter line_start, line_end;
          g_autoptr(GSList) tags = NULL;

          gtk_text_buffer_get_iter_at_line (buffer, &line_start, line);
          tags = paragraph_tags (&line_start);
          line_end = line_start;
          if (tags != NULL)
            continue;
          if (!gtk_text_iter_forward_line (&line_end))
            gtk_text_buffer_get_end_iter (buffer, &line_end);
          if (gtk_text_iter_equal (&line_start, &line_end))
            continue_on_last_line (self, buffer, line);
          else
            for (GSList *l = self->para_tags_before; l; l = l->next)
              gtk_text_buffer_apply_tag (buffer, l->data, &line_start, &line_end);
        }
      ep_buffer_html_extend_paragraph (buffer, first, last);
    }
  if (new_lines)
    ep_buffer_html_renumber_lines (buffer, first, last);
  g_clear_pointer (&self->para_tags_before, g_slist_free);
  gtk_text_buffer_get_iter_at_mark (buffer, location, after);
  gtk_text_buffer_delete_mark (buffer, after);
  self->fixing = FALSE;
}

static void
on_delete_before_cb (GtkTextBuffer *buffer,
                     GtkTextIter   *start,
                     GtkTextIter   *end,
                     EpRichEditor  *self)
{
  GtkTextTag *marker = ep_buffer_html_get_tag (buffer, "list-marker");
  GtkTextIter line_start = *start;

  if (self->fixing || ep_rich_history_is_replaying (self->history))
    return;
  /* What replaces a match (find and replace) takes the match's formats. */
  if (self->replacing)
    {
      GtkTextIter first = *start;

      gtk_text_iter_forward_char (&first);
      ep_rich_editor_set_typing_from (self, &first);
    }
  gtk_text_iter_set_line_offset (&line_start, 0);
  self->delete_joins_lines = gtk_text_iter_get_line (start) != gtk_text_iter_get_line (end);
  self->delete_in_marker = gtk_text_iter_has_tag (start, marker) &&
                           gtk_text_iter_has_tag (&line_start, marker);
}

static void
on_delete_after_cb (GtkTextBuffer *buffer,
                    GtkTextIter   *location,
                    GtkTextIter   *location_end,
                    EpRichEditor  *self)
{
  int line = gtk_text_iter_get_line (location);
  GtkTextMark *after;

  if (self->fixing || ep_rich_history_is_replaying (self->history))
    return;
  self->fixing = TRUE;
  after = gtk_text_buffer_create_mark (buffer, NULL, location, TRUE);
  if (self->delete_in_marker)
    ep_buffer_html_set_list (buffer, line, line, EP_LIST_NONE);
  else if (self->delete_joins_lines)
    {
      ep_buffer_html_extend_paragraph (buffer, line, line);
      ep_buffer_html_renumber_lines (buffer, line, line);
    }
  gtk_text_buffer_get_iter_at_mark (buffer, location, after);
  *location_end = *location;
  gtk_text_buffer_delete_mark (buffer, after);
  self->fixing = FALSE;
  if (!self->replacing)
    ep_rich_editor_sync_from_cursor (self);
}

void
ep_rich_editor_edits_init (EpRichEditor *self)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);

  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (on_insert_before_cb), self, 0);
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (on_insert_after_cb), self,
                           G_CONNECT_AFTER);
  g_signal_connect_object (buffer, "delete-range", G_CALLBACK (on_delete_before_cb), self, 0);
  g_signal_connect_object (buffer, "delete-range", G_CALLBACK (on_delete_after_cb), self,
                           G_CONNECT_AFTER);
}
