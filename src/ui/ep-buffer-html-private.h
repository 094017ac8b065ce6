/* ep-buffer-html-private.h — what ep-buffer-html.c shares with its reader and writer
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-buffer-html.h"

G_BEGIN_DECLS

/* In the order the writer nests elements: link outside, then one span, then b i u s. */
typedef enum {
  EP_TAG_NONE,
  EP_TAG_STYLE,       /* bold, italic, underline, strikethrough */
  EP_TAG_FONT,
  EP_TAG_SIZE,
  EP_TAG_FOREGROUND,
  EP_TAG_BACKGROUND,
  EP_TAG_LINK,
  EP_TAG_ALIGN,
  EP_TAG_LIST,
  EP_TAG_INDENT,
  EP_TAG_MARKER,
} EpTagKind;

/* Buffer data: the colour new link tags are drawn in, if not the light style's blue
 * (ep-rich-editor-style.c sets it to follow the dark style). Screen only, never written. */
#define EP_BUFFER_HTML_LINK_COLOUR "ep-link-colour"

/* Numbers list items as HTML would: a list restarts after a paragraph, or when
 * a list of the other kind takes its level. */
typedef struct
{
  guint number[EP_BUFFER_HTML_MAX_INDENT + 1];
  EpListKind kind[EP_BUFFER_HTML_MAX_INDENT + 1];
} EpListCounter;

guint       ep_list_counter_next        (EpListCounter     *counter,
                                         EpListKind         kind,
                                         guint              level);

EpTagKind   ep_buffer_html_tag_kind     (GtkTextTag        *tag,
                                         const char       **value);
gboolean    ep_buffer_html_link_is_safe (const char        *url);
char       *ep_buffer_html_marker_text  (EpListKind         kind,
                                         guint              level,
                                         guint              number);
const char *ep_buffer_html_image_at     (const GtkTextIter *iter);
gboolean    ep_buffer_html_rule_at      (const GtkTextIter *iter);
void        ep_buffer_html_remove_kind  (GtkTextBuffer     *buffer,
                                         EpTagKind          kind,
                                         const GtkTextIter *start,
                                         const GtkTextIter *end);
GtkTextTag *ep_buffer_html_paragraph_tag (GtkTextBuffer   *buffer,
                                          EpTagKind        kind,
                                          guint            value);
const char *ep_buffer_html_font_css     (const char        *font_id);
const char *ep_buffer_html_font_from_css (const char       *css);
const char *ep_buffer_html_size_css     (const char        *size_id);
int         ep_buffer_html_size_from_css (const char       *css);

G_END_DECLS
