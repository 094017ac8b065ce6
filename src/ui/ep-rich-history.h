/* ep-rich-history.h — undo and redo of text, formats and images in a GtkTextBuffer
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _EpRichHistory EpRichHistory;

typedef void (*EpRichHistoryChanged) (gpointer user_data);

EpRichHistory *ep_rich_history_new           (GtkTextBuffer        *buffer,
                                              EpRichHistoryChanged  changed,
                                              gpointer              user_data);
void           ep_rich_history_free          (EpRichHistory        *self);
void           ep_rich_history_clear         (EpRichHistory        *self);
gboolean       ep_rich_history_can_undo      (EpRichHistory        *self);
gboolean       ep_rich_history_can_redo      (EpRichHistory        *self);
gboolean       ep_rich_history_is_replaying  (EpRichHistory        *self);
void           ep_rich_history_undo          (EpRichHistory        *self);
void           ep_rich_history_redo          (EpRichHistory        *self);

G_END_DECLS
