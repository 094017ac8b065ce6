/* ep-rich-editor.h — the message body: a GtkTextView with a formatting toolbar
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ep-message.h"

G_BEGIN_DECLS

#define EP_TYPE_RICH_EDITOR (ep_rich_editor_get_type ())
G_DECLARE_FINAL_TYPE (EpRichEditor, ep_rich_editor, EP, RICH_EDITOR, GtkWidget)

GtkWidget     *ep_rich_editor_new          (void);
GtkTextView   *ep_rich_editor_get_view     (EpRichEditor  *self);
GtkTextBuffer *ep_rich_editor_get_buffer   (EpRichEditor  *self);
char          *ep_rich_editor_dup_text     (EpRichEditor  *self);
void           ep_rich_editor_set_text     (EpRichEditor  *self,
                                            const char    *text);
void           ep_rich_editor_set_plain_text (EpRichEditor *self,
                                              gboolean      plain);
gboolean       ep_rich_editor_get_plain_text (EpRichEditor *self);
gboolean       ep_rich_editor_fill_message (EpRichEditor  *self,
                                            EpMessage     *message,
                                            GError       **error);
gboolean       ep_rich_editor_insert_image (EpRichEditor  *self,
                                            const char    *path,
                                            GError       **error);
void           ep_rich_editor_offer_image  (EpRichEditor  *self,
                                            const char    *path);
GSList        *ep_rich_editor_drop_files   (EpRichEditor  *self,
                                            GSList        *files,
                                            double         x,
                                            double         y);
gboolean       ep_rich_editor_load_html    (EpRichEditor  *self,
                                            const char    *html,
                                            gssize         length,
                                            const char    *base_dir,
                                            GError       **error);
gboolean       ep_rich_editor_load_html_full (EpRichEditor *self,
                                              const char   *html,
                                              gssize        length,
                                              const char   *base_dir,
                                              GHashTable   *content_ids,
                                              GError      **error);
gboolean       ep_rich_editor_insert_link  (EpRichEditor  *self,
                                            const char    *text,
                                            const char    *url,
                                            GError       **error);

G_END_DECLS
