/* ep-rich-history.c — undo and redo of text, formats and images in a GtkTextBuffer
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkTextBuffer's own history records text alone: a format applied or
 * removed cannot be undone with it. This one listens to the buffer's
 * signals and records every insertion, deletion and change of a formatting
 * tag (ep-buffer-html's; a search highlight is not recorded). What happens
 * between begin- and end-user-action is one step; typed characters merge
 * into one step per word, as in GtkTextView. Removed text is kept as a
 * small buffer sharing the tag table, so undo brings back its formats and
 * images too.
 */
#include "ep-buffer-html-private.h"
#include "ep-rich-history.h"

typedef enum {
  OP_INSERT,
  OP_DELETE,
  OP_TAG,
} OpKind;

typedef struct
{
  OpKind kind;
  int start;
  int end;
  GtkTextBuffer *content;     /* the text, formats and images between start and end */
  GtkTextTag *tag;
  gboolean applied;
  GArray *ranges;             /* pairs of offsets where the tag changed */
} Op;

typedef struct
{
  GPtrArray *ops;             /* (element-type Op) in the order they happened */
  gboolean typing;            /* one typed character: the next may join it */
} Step;

struct _EpRichHistory
{
  GtkTextBuffer *buffer;      /* borrowed: the history lives as long as its editor */
  GPtrArray *undo;            /* (element-type Step) */
  GPtrArray *redo;
  Step *current;              /* the step being recorded, or NULL */
  int in_action;
  gboolean replaying;
  EpRichHistoryChanged changed;
  gpointer user_data;
  gulong handlers[8];
};

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_object (&op->content);
  g_clear_pointer (&op->ranges, g_array_unref);
  g_free (op);
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_ptr_array_unref (step->ops);
  g_free (step);
}

static Step *
step_new (void)
{
  Step *step = g_new0 (Step, 1);

  step->ops = g_ptr_array_new_with_free_func (op_free);
  return step;
}

static GtkTextBuffer *
copy_range (GtkTextBuffer *buffer,
            int            start,
            int            end)
{
  GtkTextBuffer *copy = gtk_text_buffer_new (gtk_text_buffer_get_tag_table (buffer));
  GtkTextIter from, to, at;

  gtk_text_buffer_get_iter_at_offset (buffer, &from, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &to, end);
  gtk_text_buffer_get_start_iter (copy, &at);
  gtk_text_buffer_insert_range (copy, &at, &from, &to);
  return copy;
}

static void
paste_content (GtkTextBuffer *buffer,
               GtkTextBuffer *content,
               int            offset)
{
  GtkTextIter at, from, to;

  gtk_text_buffer_get_iter_at_offset (buffer, &at, offset);
  gtk_text_buffer_get_bounds (content, &from, &to);
  gtk_text_buffer_insert_range (buffer, &at, &from, &to);
}

static void
notify_changed (EpRichHistory *self)
{
  if (self->changed != NULL)
    self->changed (self->user_data);
}

/* Typing merges into the step before unless a new word starts. */
static gboolean
merges_with_previous (EpRichHistory *self,
                      Step          *step)
{
  Step *previous;
  Op *first, *last_insert = NULL;
  GtkTextIter at;

  if (!step->typing || self->undo->len == 0)
    return FALSE;
  previous = g_ptr_array_index (self->undo, self->undo->len - 1);
  if (!previous->typing)
    return FALSE;
  for (guint i = 0; i < previous->ops->len; i++)
    {
      Op *op = g_ptr_array_index (previous->ops, i);
      if (op->kind == OP_INSERT)
        last_insert = op;
    }
  first = g_ptr_array_index (step->ops, 0);
  if (last_insert == NULL || last_insert->end != first->start)
    return FALSE;
  gtk_text_buffer_get_iter_at_offset (self->buffer, &at, first->start);
  /* A space after a word ends the word's step. */
  if (g_unichar_isspace (gtk_text_iter_get_char (&at)))
    {
      GtkTextIter before = at;
      return !gtk_text_iter_backward_char (&before) || g_unichar_isspace (gtk_text_iter_get_char (&before));
    }
  return TRUE;
}

static gboolean
step_is_typing (Step *step)
{
  Op *first;

  if (step->ops->len == 0)
    return FALSE;
  first = g_ptr_array_index (step->ops, 0);
  if (first->kind != OP_INSERT || first->end - first->start != 1)
    return FALSE;
  for (guint i = 1; i < step->ops->len; i++)
    {
      Op *op = g_ptr_array_index (step->ops, i);
      if (op->kind != OP_TAG || op->start < first->start || op->end > first->end)
        return FALSE;
    }
  return TRUE;
}

static void
finish_step (EpRichHistory *self)
{
  Step *step = g_steal_pointer (&self->current);
  GtkTextIter at;

  if (step == NULL)
    return;
  if (step->ops->len == 0)
    {
      step_free (step);
      return;
    }
  step->typing = step_is_typing (step);
  if (step->typing)
    {
      Op *first = g_ptr_array_index (step->ops, 0);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &at, first->start);
      step->typing = gtk_text_iter_get_char (&at) != '\n' && gtk_text_iter_get_char (&at) != 0xfffc;
    }
  if (merges_with_previous (self, step))
    {
      Step *previous = g_ptr_array_index (self->undo, self->undo->len - 1);

      for (guint i = 0; i < step->ops->len; i++)
        g_ptr_array_add (previous->ops, g_steal_pointer (&step->ops->pdata[i]));
      g_ptr_array_set_free_func (step->ops, NULL);
      step_free (step);
    }
  else
    g_ptr_array_add (self->undo, step);
  g_ptr_array_set_size (self->redo, 0);
  notify_changed (self);
}

static void
record (EpRichHistory *self,
        Op            *op)
{
  if (self->current == NULL)
    self->current = step_new ();
  g_ptr_array_add (self->current->ops, op);
  if (self->in_action == 0)
    finish_step (self);
}

static void
on_insert_text_cb (GtkTextBuffer *buffer,
                   GtkTextIter   *location,
                   const char    *text,
                   int            length,
                   EpRichHistory *self)
{
  Op *op;

  if (self->replaying)
    return;
  op = g_new0 (Op, 1);
  op->kind = OP_INSERT;
  op->end = gtk_text_iter_get_offset (location);
  op->start = op->end - (int) g_utf8_strlen (text, length);
  record (self, op);
}

static void
on_insert_object_cb (GtkTextBuffer *buffer,
                     GtkTextIter   *location,
                     gpointer       object,
                     EpRichHistory *self)
{
  Op *op;

  if (self->replaying)
    return;
  op = g_new0 (Op, 1);
  op->kind = OP_INSERT;
  op->end = gtk_text_iter_get_offset (location);
  op->start = op->end - 1;
  record (self, op);
}

static void
on_delete_range_cb (GtkTextBuffer *buffer,
                    GtkTextIter   *start,
                    GtkTextIter   *end,
                    EpRichHistory *self)
{
  Op *op;

  if (self->replaying)
    return;
  op = g_new0 (Op, 1);
  op->kind = OP_DELETE;
  op->start = gtk_text_iter_get_offset (start);
  op->end = gtk_text_iter_get_offset (end);
  op->content = copy_range (buffer, op->start, op->end);
  record (self, op);
}

/* Records where applying (or removing) @tag will change anything. */
static void
on_tag_cb (GtkTextBuffer     *buffer,
           GtkTextTag        *tag,
           const GtkTextIter *start,
           const GtkTextIter *end,
           EpRichHistory     *self,
           gboolean           applied)
{
  GtkTextIter iter = *start;
  GArray *ranges;
  Op *op;

  if (self->replaying || ep_buffer_html_tag_kind (tag, NULL) == EP_TAG_NONE)
    return;
  ranges = g_array_new (FALSE, FALSE, sizeof (int));
  while (gtk_text_iter_compare (&iter, end) < 0)
    {
      GtkTextIter next = iter;
      gboolean has = gtk_text_iter_has_tag (&iter, tag);

      if (!gtk_text_iter_forward_to_tag_toggle (&next, tag) || gtk_text_iter_compare (&next, end) > 0)
        next = *end;
      if (has != applied)
        {
          int pair[2] = { gtk_text_iter_get_offset (&iter), gtk_text_iter_get_offset (&next) };
          g_array_append_vals (ranges, pair, 2);
        }
      iter = next;
    }
  if (ranges->len == 0)
    {
      g_array_unref (ranges);
      return;
    }
  op = g_new0 (Op, 1);
  op->kind = OP_TAG;
  op->tag = tag;
  op->applied = applied;
  op->ranges = ranges;
  op->start = g_array_index (ranges, int, 0);
  op->end = g_array_index (ranges, int, ranges->len - 1);
  record (self, op);
}

static void
on_apply_tag_cb (GtkTextBuffer     *buffer,
                 GtkTextTag        *tag,
                 const GtkTextIter *start,
                 const GtkTextIter *end,
                 EpRichHistory     *self)
{
  on_tag_cb (buffer, tag, start, end, self, TRUE);
}

static void
on_remove_tag_cb (GtkTextBuffer     *buffer,
                  GtkTextTag        *tag,
                  const GtkTextIter *start,
                  const GtkTextIter *end,
                  EpRichHistory     *self)
{
  on_tag_cb (buffer, tag, start, end, self, FALSE);
}

static void
on_begin_user_action_cb (GtkTextBuffer *buffer,
                         EpRichHistory *self)
{
  self->in_action++;
}

static void
on_end_user_action_cb (GtkTextBuffer *buffer,
                       EpRichHistory *self)
{
  if (self->in_action > 0 && --self->in_action == 0)
    finish_step (self);
}

EpRichHistory *
ep_rich_history_new (GtkTextBuffer        *buffer,
                     EpRichHistoryChanged  changed,
                     gpointer              user_data)
{
  EpRichHistory *self = g_new0 (EpRichHistory, 1);

  self->buffer = buffer;
  self->undo = g_ptr_array_new_with_free_func (step_free);
  self->redo = g_ptr_array_new_with_free_func (step_free);
  self->changed = changed;
  self->user_data = user_data;
  /* Insertions are seen after they happen (where they ended is known),
   * deletions and tag changes before (what they remove is still there). */
  self->handlers[0] = g_signal_connect_after (buffer, "insert-text",
                                              G_CALLBACK (on_insert_text_cb), self);
  self->handlers[1] = g_signal_connect_after (buffer, "insert-paintable",
                                              G_CALLBACK (on_insert_object_cb), self);
  self->handlers[2] = g_signal_connect_after (buffer, "insert-child-anchor",
                                              G_CALLBACK (on_insert_object_cb), self);
  self->handlers[3] = g_signal_connect (buffer, "delete-range", G_CALLBACK (on_delete_range_cb), self);
  self->handlers[4] = g_signal_connect (buffer, "apply-tag", G_CALLBACK (on_apply_tag_cb), self);
  self->handlers[5] = g_signal_connect (buffer, "remove-tag", G_CALLBACK (on_remove_tag_cb), self);
  self->handlers[6] = g_signal_connect (buffer, "begin-user-action",
                                        G_CALLBACK (on_begin_user_action_cb), self);
  self->handlers[7] = g_signal_connect (buffer, "end-user-action",
                                        G_CALLBACK (on_end_user_action_cb), self);
  return self;
}

void
ep_rich_history_free (EpRichHistory *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    g_signal_handler_disconnect (self->buffer, self->handlers[i]);
  if (self->current != NULL)
    step_free (self->current);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_free (self);
}

void
ep_rich_history_clear (EpRichHistory *self)
{
  g_return_if_fail (self != NULL);

  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  notify_changed (self);
}

gboolean
ep_rich_history_can_undo (EpRichHistory *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->undo->len > 0;
}

gboolean
ep_rich_history_can_redo (EpRichHistory *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->redo->len > 0;
}

gboolean
ep_rich_history_is_replaying (EpRichHistory *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->replaying;
}

static void
set_tag_ranges (GtkTextBuffer *buffer,
                Op            *op,
                gboolean       apply)
{
  for (guint i = 0; i + 1 < op->ranges->len; i += 2)
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, g_array_index (op->ranges, int, i));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, g_array_index (op->ranges, int, i + 1));
      if (apply)
        gtk_text_buffer_apply_tag (buffer, op->tag, &start, &end);
      else
        gtk_text_buffer_remove_tag (buffer, op->tag, &start, &end);
    }
}

static void
delete_offsets (GtkTextBuffer *buffer,
                int            start,
                int            end)
{
  GtkTextIter from, to;

  gtk_text_buffer_get_iter_at_offset (buffer, &from, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &to, end);
  gtk_text_buffer_delete (buffer, &from, &to);
}

/* Plays @op backwards (@undo) or forwards; returns where the cursor goes. */
static int
replay (GtkTextBuffer *buffer,
        Op            *op,
        gboolean       undo)
{
  gboolean remove_text = (op->kind == OP_INSERT) == undo;

  if (op->kind == OP_TAG)
    {
      set_tag_ranges (buffer, op, op->applied != undo);
      return op->end;
    }
  if (remove_text)
    {
      if (op->content == NULL)
        op->content = copy_range (buffer, op->start, op->end);
      delete_offsets (buffer, op->start, op->end);
      return op->start;
    }
  paste_content (buffer, op->content, op->start);
  return op->end;
}

static void
move_step (EpRichHistory *self,
           GPtrArray     *from,
           GPtrArray     *to,
           gboolean       undo)
{
  Step *step;
  GtkTextIter cursor;
  int offset = -1;

  if (from->len == 0)
    return;
  finish_step (self);
  step = g_ptr_array_steal_index (from, from->len - 1);
  self->replaying = TRUE;
  gtk_text_buffer_begin_user_action (self->buffer);
  for (guint i = 0; i < step->ops->len; i++)
    {
      Op *op = g_ptr_array_index (step->ops, undo ? step->ops->len - 1 - i : i);
      int at = replay (self->buffer, op, undo);

      if (op->kind != OP_TAG || offset < 0)
        offset = at;
    }
  gtk_text_buffer_end_user_action (self->buffer);
  self->replaying = FALSE;
  step->typing = FALSE;
  g_ptr_array_add (to, step);
  gtk_text_buffer_get_iter_at_offset (self->buffer, &cursor, offset);
  gtk_text_buffer_place_cursor (self->buffer, &cursor);
  notify_changed (self);
}

void
ep_rich_history_undo (EpRichHistory *self)
{
  g_return_if_fail (self != NULL);
  move_step (self, self->undo, self->redo, TRUE);
}

void
ep_rich_history_redo (EpRichHistory *self)
{
  g_return_if_fail (self != NULL);
  move_step (self, self->redo, self->undo, FALSE);
}
