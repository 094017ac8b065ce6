/* ep-buffer-html.h — the rich-text tag set, and GtkTextBuffer ⇄ HTML + plain text
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ep-message.h"

G_BEGIN_DECLS

/* Object data on a GdkPaintable in the buffer: the image file it shows (a string). */
#define EP_BUFFER_HTML_IMAGE_PATH "ep-image-path"
/* Object data on a GdkPaintable in the buffer: non-NULL when it is a horizontal rule. */
#define EP_BUFFER_HTML_RULE "ep-rule"

typedef enum {
  EP_SIZE_SMALL,
  EP_SIZE_NORMAL,
  EP_SIZE_LARGE,
  EP_SIZE_HUGE,
} EpTextSize;

typedef enum {
  EP_ALIGN_LEFT,
  EP_ALIGN_CENTER,
  EP_ALIGN_RIGHT,
} EpTextAlign;

typedef enum {
  EP_LIST_NONE,
  EP_LIST_BULLET,
  EP_LIST_NUMBER,
} EpListKind;

#define EP_BUFFER_HTML_MAX_INDENT 8
/* The widest an inline image is shown, in pixels. */
#define EP_BUFFER_HTML_SHOWN_WIDTH 560

/* Inline tags by name: "bold", "italic", "underline", "strikethrough". */
GtkTextTag *ep_buffer_html_get_tag          (GtkTextBuffer   *buffer,
                                             const char      *name);
guint       ep_buffer_html_get_n_fonts      (void);
const char *ep_buffer_html_get_font_id      (guint            index);
const char *ep_buffer_html_get_font_label   (guint            index);
GtkTextTag *ep_buffer_html_get_font_tag     (GtkTextBuffer   *buffer,
                                             const char      *font_id);
GtkTextTag *ep_buffer_html_get_size_tag     (GtkTextBuffer   *buffer,
                                             EpTextSize       size);
GtkTextTag *ep_buffer_html_get_color_tag    (GtkTextBuffer   *buffer,
                                             gboolean         background,
                                             const GdkRGBA   *color);
GtkTextTag *ep_buffer_html_get_link_tag     (GtkTextBuffer   *buffer,
                                             const char      *url,
                                             GError         **error);
gboolean    ep_buffer_html_tag_is_paragraph (GtkTextTag      *tag);
void        ep_buffer_html_clear_inline     (GtkTextBuffer   *buffer,
                                             const GtkTextIter *start,
                                             const GtkTextIter *end);

/* Paragraphs: whole lines from @first to @last. */
EpTextAlign ep_buffer_html_get_align        (GtkTextBuffer   *buffer,
                                             int              line);
void        ep_buffer_html_set_align        (GtkTextBuffer   *buffer,
                                             int              first,
                                             int              last,
                                             EpTextAlign      align);
EpListKind  ep_buffer_html_get_list         (GtkTextBuffer   *buffer,
                                             int              line);
void        ep_buffer_html_set_list         (GtkTextBuffer   *buffer,
                                             int              first,
                                             int              last,
                                             EpListKind       kind);
guint       ep_buffer_html_get_indent       (GtkTextBuffer   *buffer,
                                             int              line);
void        ep_buffer_html_change_indent    (GtkTextBuffer   *buffer,
                                             int              first,
                                             int              last,
                                             int              delta);
void        ep_buffer_html_extend_paragraph (GtkTextBuffer   *buffer,
                                             int              first,
                                             int              last);
void        ep_buffer_html_renumber         (GtkTextBuffer   *buffer);
void        ep_buffer_html_renumber_lines   (GtkTextBuffer   *buffer,
                                             int              first,
                                             int              last);

GdkPaintable *ep_buffer_html_image_new      (const char      *path,
                                             GError         **error);
void        ep_buffer_html_insert_image     (GtkTextBuffer   *buffer,
                                             GtkTextIter     *iter,
                                             GdkPaintable    *paintable,
                                             const char      *path);
void        ep_buffer_html_insert_rule      (GtkTextBuffer   *buffer,
                                             GtkTextIter     *iter);

gboolean    ep_buffer_html_has_formatting   (GtkTextBuffer   *buffer);
char       *ep_buffer_html_to_html          (GtkTextBuffer   *buffer,
                                             const char      *cid_suffix,
                                             GPtrArray       *paths,
                                             GPtrArray       *content_ids);
char       *ep_buffer_html_to_text          (GtkTextBuffer   *buffer);
gboolean    ep_buffer_html_fill_message     (GtkTextBuffer   *buffer,
                                             EpMessage       *message,
                                             GError         **error);
gboolean    ep_buffer_html_insert_html      (GtkTextBuffer   *buffer,
                                             GtkTextIter     *iter,
                                             const char      *html,
                                             gssize           length,
                                             const char      *base_dir,
                                             GHashTable      *content_ids,
                                             GError         **error);

G_END_DECLS
