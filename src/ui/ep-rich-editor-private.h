/* ep-rich-editor-private.h — EpRichEditor's fields, shared with its edits and actions files
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "ep-buffer-html-private.h"
#include "ep-rich-editor.h"
#include "ep-rich-history.h"

G_BEGIN_DECLS

struct _EpRichEditor
{
  GtkWidget parent_instance;

  /* Owned */
  GPtrArray *typing_tags;        /* (element-type GtkTextTag) the inline formats typed text takes */
  EpRichHistory *history;
  char *alignment;               /* the property actions' states: "left", "center", "right" */
  char *list;                    /* "none", "bullet", "number" */
  char *font;                    /* a font id, "" for the default */
  char *size;                    /* "small" … "huge" */
  gboolean bold;
  gboolean italic;
  gboolean underline;
  gboolean strikethrough;
  gboolean plain_text;           /* formatting off: sent as plain text alone */
  gboolean syncing;              /* properties follow the cursor: format nothing */
  gboolean fixing;               /* the editor's own edits after a person's */
  GSList *para_tags_before;      /* paragraph formats where an insertion began */
  gboolean replacing;            /* replaced text takes the formats around it */
  GtkSourceSearchSettings *search_settings;
  GtkSourceSearchContext *search;
  gboolean delete_joins_lines;
  gboolean delete_in_marker;

  /* Template widgets */
  GtkWidget *toolbar;
  GtkMenuButton *font_button;
  GtkMenuButton *size_button;
  GtkMenuButton *text_color_button;
  GtkMenuButton *highlight_button;
  GtkLabel *text_color_label;
  GtkLabel *highlight_label;
  GtkColorChooser *text_chooser;
  GtkColorChooser *highlight_chooser;
  GtkRevealer *find_revealer;
  GtkSearchEntry *find_entry;
  GtkLabel *match_label;
  GtkToggleButton *case_button;
  GtkWidget *replace_box;
  GtkEntry *replace_entry;
  GtkWidget *scroller;
  GtkTextView *view;
};

GtkTextBuffer *ep_rich_editor_buffer            (EpRichEditor *self);
void           ep_rich_editor_selected_lines    (EpRichEditor *self,
                                                 int          *first,
                                                 int          *last);
void           ep_rich_editor_sync_from_cursor  (EpRichEditor *self);
void           ep_rich_editor_update_toolbar    (EpRichEditor *self);
void           ep_rich_editor_set_typing_from   (EpRichEditor      *self,
                                                 const GtkTextIter *iter);
void           ep_rich_editor_format_group      (EpRichEditor *self,
                                                 EpTagKind     kind,
                                                 GtkTextTag   *tag);

/* ep-rich-editor-edits.c */
void           ep_rich_editor_edits_init        (EpRichEditor *self);

/* ep-rich-editor-find.c */
void           ep_rich_editor_find_install      (GtkWidgetClass *widget_class);
void           ep_rich_editor_find_init         (EpRichEditor *self);
void           ep_rich_editor_find_dispose      (EpRichEditor *self);

/* ep-rich-editor-style.c */
void           ep_rich_editor_style_init        (EpRichEditor *self);

/* ep-rich-editor-actions.c */
void           ep_rich_editor_actions_install   (GtkWidgetClass *widget_class);
void           ep_rich_editor_actions_init      (EpRichEditor *self);
void           ep_rich_editor_on_text_color_cb  (EpRichEditor  *self,
                                                 const GdkRGBA *color);
void           ep_rich_editor_on_highlight_cb   (EpRichEditor  *self,
                                                 const GdkRGBA *color);
void           ep_rich_editor_history_changed   (gpointer      user_data);

G_END_DECLS
