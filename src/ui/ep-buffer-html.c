/* ep-buffer-html.c — the rich-text tag set, and GtkTextBuffer → HTML + plain text
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A buffer line is a paragraph. Inline formatting is a tag per property
 * (bold, a colour, a link …); paragraph formatting (alignment, list, indent)
 * is a tag over the whole line, newline included. A list item starts with a
 * marker (“• ”, “2. ”) tagged "list-marker": the view shows it, the
 * serialisers skip it and number the list themselves. Images and rules are
 * paintables carrying their meaning as object data.
 *
 * Only GtkTextBuffer is used here, so every rule is testable without a window.
 */
#include <string.h>
#include <glib/gi18n.h>

#include "ep-buffer-html.h"
#include "ep-buffer-html-private.h"
#include "ep-inline-image.h"

#define INDENT_BASE_PX 18   /* the view's own left margin */
#define INDENT_STEP_PX 28
#define OBJECT_CHAR 0xFFFC

/* What a tag stands for (EpTagKind) and its value (“center”, “#cc0000”, a URL). */
static GQuark
tag_kind_quark (void)
{
  return g_quark_from_static_string ("ep-buffer-html-kind");
}

static GQuark
tag_value_quark (void)
{
  return g_quark_from_static_string ("ep-buffer-html-value");
}

typedef struct
{
  const char *id;
  const char *label;
  const char *css;
  const char *pango;
} Font;

static const Font fonts[] = {
  { "sans", N_("Sans Serif"), "Arial,Helvetica,sans-serif", "Sans" },
  { "serif", N_("Serif"), "'Times New Roman',Times,serif", "Serif" },
  { "mono", N_("Monospace"), "'Courier New',Courier,monospace", "Monospace" },
};

static const struct { const char *id; const char *css; double scale; } sizes[] = {
  [EP_SIZE_SMALL] = { "small", "small", 0.8333 },
  [EP_SIZE_NORMAL] = { "normal", NULL, 1.0 },
  [EP_SIZE_LARGE] = { "large", "large", 1.2 },
  [EP_SIZE_HUGE] = { "huge", "x-large", 1.44 },
};

static const char * const link_schemes[] = { "http", "https", "mailto", "ftp" };

EpTagKind
ep_buffer_html_tag_kind (GtkTextTag  *tag,
                         const char **value)
{
  if (value != NULL)
    *value = g_object_get_qdata (G_OBJECT (tag), tag_value_quark ());
  return GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (tag), tag_kind_quark ()));
}

/* The tag called @name, created with @kind and @value on first use (*created says so). */
static GtkTextTag *
ensure_tag (GtkTextBuffer *buffer,
            EpTagKind      kind,
            const char    *prefix,
            const char    *value,
            gboolean      *created)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  g_autofree char *name = value ? g_strconcat (prefix, ":", value, NULL) : g_strdup (prefix);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  *created = tag == NULL;
  if (tag != NULL)
    return tag;
  tag = gtk_text_buffer_create_tag (buffer, name, NULL);
  g_object_set_qdata (G_OBJECT (tag), tag_kind_quark (), GINT_TO_POINTER (kind));
  g_object_set_qdata_full (G_OBJECT (tag), tag_value_quark (), g_strdup (value ? value : prefix),
                           g_free);
  return tag;
}

GtkTextTag *
ep_buffer_html_get_tag (GtkTextBuffer *buffer,
                        const char    *name)
{
  GtkTextTag *tag;
  gboolean created;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "list-marker"))
    return ensure_tag (buffer, EP_TAG_MARKER, name, NULL, &created);
  g_return_val_if_fail (g_str_equal (name, "bold") || g_str_equal (name, "italic") ||
                        g_str_equal (name, "underline") || g_str_equal (name, "strikethrough"),
                        NULL);
  tag = ensure_tag (buffer, EP_TAG_STYLE, name, NULL, &created);
  if (!created)
    return tag;
  if (g_str_equal (name, "bold"))
    g_object_set (tag, "weight", PANGO_WEIGHT_BOLD, NULL);
  else if (g_str_equal (name, "italic"))
    g_object_set (tag, "style", PANGO_STYLE_ITALIC, NULL);
  else if (g_str_equal (name, "underline"))
    g_object_set (tag, "underline", PANGO_UNDERLINE_SINGLE, NULL);
  else
    g_object_set (tag, "strikethrough", TRUE, NULL);
  return tag;
}

guint
ep_buffer_html_get_n_fonts (void)
{
  return G_N_ELEMENTS (fonts);
}

const char *
ep_buffer_html_get_font_id (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (fonts), NULL);
  return fonts[index].id;
}

const char *
ep_buffer_html_get_font_label (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (fonts), NULL);
  return _(fonts[index].label);
}

static const Font *
find_font (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (fonts); i++)
    {
      if (g_str_equal (fonts[i].id, id))
        return &fonts[i];
    }
  return NULL;
}

GtkTextTag *
ep_buffer_html_get_font_tag (GtkTextBuffer *buffer,
                             const char    *font_id)
{
  const Font *font = find_font (font_id);
  GtkTextTag *tag;
  gboolean created;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);
  g_return_val_if_fail (font != NULL, NULL);

  tag = ensure_tag (buffer, EP_TAG_FONT, "font", font->id, &created);
  if (created)
    g_object_set (tag, "family", font->pango, NULL);
  return tag;
}

/* Returns: (nullable): NULL for the normal size, which has no tag */
GtkTextTag *
ep_buffer_html_get_size_tag (GtkTextBuffer *buffer,
                             EpTextSize     size)
{
  GtkTextTag *tag;
  gboolean created;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);
  g_return_val_if_fail (size <= EP_SIZE_HUGE, NULL);

  if (size == EP_SIZE_NORMAL)
    return NULL;
  tag = ensure_tag (buffer, EP_TAG_SIZE, "size", sizes[size].id, &created);
  if (created)
    g_object_set (tag, "scale", sizes[size].scale, NULL);
  return tag;
}

GtkTextTag *
ep_buffer_html_get_color_tag (GtkTextBuffer *buffer,
                              gboolean       background,
                              const GdkRGBA *color)
{
  g_autofree char *hex = NULL;
  GtkTextTag *tag;
  gboolean created;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);
  g_return_val_if_fail (color != NULL, NULL);

  hex = g_strdup_printf ("#%02x%02x%02x",
                         (guint) CLAMP (color->red * 255. + .5, 0, 255),
                         (guint) CLAMP (color->green * 255. + .5, 0, 255),
                         (guint) CLAMP (color->blue * 255. + .5, 0, 255));
  tag = ensure_tag (buffer, background ? EP_TAG_BACKGROUND : EP_TAG_FOREGROUND,
                    background ? "bg" : "fg", hex, &created);
  if (created)
    g_object_set (tag, background ? "background" : "foreground", hex, NULL);
  return tag;
}

gboolean
ep_buffer_html_link_is_safe (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  if (scheme == NULL || strpbrk (url, " \t\r\n") != NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (link_schemes); i++)
    {
      if (g_ascii_strcasecmp (scheme, link_schemes[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Returns: (nullable): the tag for a link to @url; NULL, with @error set, for
 * anything but a web, mail or FTP address (so never javascript: or data:). */
GtkTextTag *
ep_buffer_html_get_link_tag (GtkTextBuffer  *buffer,
                             const char     *url,
                             GError        **error)
{
  GtkTextTag *tag;
  gboolean created;
  const char *colour;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (!ep_buffer_html_link_is_safe (url))
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
                   /* Translators: %s is what the person typed as a link address */
                   _("“%s” is not a web or mail address (it should start with https:// or mailto:)"),
                   url);
      return NULL;
    }
  tag = ensure_tag (buffer, EP_TAG_LINK, "link", url, &created);
  colour = g_object_get_data (G_OBJECT (buffer), EP_BUFFER_HTML_LINK_COLOUR);
  if (created)
    g_object_set (tag, "foreground", colour != NULL ? colour : "#1c71d8",
                  "underline", PANGO_UNDERLINE_SINGLE, NULL);
  return tag;
}

gboolean
ep_buffer_html_tag_is_paragraph (GtkTextTag *tag)
{
  EpTagKind kind;

  g_return_val_if_fail (GTK_IS_TEXT_TAG (tag), FALSE);
  kind = ep_buffer_html_tag_kind (tag, NULL);
  return kind == EP_TAG_ALIGN || kind == EP_TAG_LIST || kind == EP_TAG_INDENT;
}

typedef struct
{
  EpTagKind kind;
  gboolean paragraph;       /* any paragraph kind instead */
  GPtrArray *tags;
} KindFilter;

static void
collect_kind (GtkTextTag *tag,
              gpointer    data)
{
  KindFilter *filter = data;
  EpTagKind kind = ep_buffer_html_tag_kind (tag, NULL);

  if (filter->paragraph ? (kind == EP_TAG_ALIGN || kind == EP_TAG_LIST || kind == EP_TAG_INDENT)
                        : kind == filter->kind)
    g_ptr_array_add (filter->tags, tag);
}

/* The buffer's tags of @kind (or every paragraph tag), from the tag table:
 * a handful, where walking every toggle from a line to the next tagged
 * text would cross the rest of a large message each time. */
static GPtrArray *
tags_of_kind (GtkTextBuffer *buffer,
              EpTagKind      kind,
              gboolean       paragraph)
{
  KindFilter filter = { kind, paragraph, g_ptr_array_new () };

  gtk_text_tag_table_foreach (gtk_text_buffer_get_tag_table (buffer), collect_kind, &filter);
  return filter.tags;
}

/* TRUE when @tag is on any character in [start, end). */
static gboolean
tag_in_range (GtkTextTag        *tag,
              const GtkTextIter *start,
              const GtkTextIter *end)
{
  GtkTextIter iter = *start;

  if (gtk_text_iter_has_tag (&iter, tag))
    return TRUE;
  return gtk_text_iter_forward_to_tag_toggle (&iter, tag) && gtk_text_iter_compare (&iter, end) < 0;
}

static void
remove_kind (GtkTextBuffer     *buffer,
             EpTagKind          kind,
             const GtkTextIter *start,
             const GtkTextIter *end)
{
  g_autoptr(GPtrArray) tags = tags_of_kind (buffer, kind, FALSE);

  for (guint i = 0; i < tags->len; i++)
    {
      if (tag_in_range (tags->pdata[i], start, end))
        gtk_text_buffer_remove_tag (buffer, tags->pdata[i], start, end);
    }
}

void
ep_buffer_html_remove_kind (GtkTextBuffer     *buffer,
                            EpTagKind          kind,
                            const GtkTextIter *start,
                            const GtkTextIter *end)
{
  remove_kind (buffer, kind, start, end);
}

/* Removes every inline format (not links, not paragraph formats) from the range. */
void
ep_buffer_html_clear_inline (GtkTextBuffer     *buffer,
                             const GtkTextIter *start,
                             const GtkTextIter *end)
{
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  for (EpTagKind kind = EP_TAG_STYLE; kind < EP_TAG_LINK; kind++)
    remove_kind (buffer, kind, start, end);
}

/* [start of @line, start of the next line): the paragraph with its newline */
static void
line_range (GtkTextBuffer *buffer,
            int            line,
            GtkTextIter   *start,
            GtkTextIter   *end)
{
  gtk_text_buffer_get_iter_at_line (buffer, start, line);
  *end = *start;
  if (!gtk_text_iter_forward_line (end))
    gtk_text_buffer_get_end_iter (buffer, end);
}

static GtkTextTag *
paragraph_tag_at (GtkTextBuffer *buffer,
                  int            line,
                  EpTagKind      kind)
{
  GtkTextIter start, end;
  g_autoptr(GSList) tags = NULL;

  line_range (buffer, line, &start, &end);
  tags = gtk_text_iter_get_tags (&start);
  for (GSList *l = tags; l; l = l->next)
    {
      if (ep_buffer_html_tag_kind (l->data, NULL) == kind)
        return l->data;
    }
  return NULL;
}

static void
set_paragraph_tag (GtkTextBuffer *buffer,
                   int            first,
                   int            last,
                   EpTagKind      kind,
                   GtkTextTag    *tag)
{
  for (int line = first; line <= last; line++)
    {
      GtkTextIter start, end;

      line_range (buffer, line, &start, &end);
      remove_kind (buffer, kind, &start, &end);
      if (tag != NULL)
        gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
    }
}

/* Returns: (nullable): the paragraph tag of @kind for @value (an EpTextAlign,
 * EpListKind or indent level); NULL for the default, which has no tag */
GtkTextTag *
ep_buffer_html_paragraph_tag (GtkTextBuffer *buffer,
                              EpTagKind      kind,
                              guint          value)
{
  g_autofree char *level = NULL;
  GtkTextTag *tag;
  gboolean created;

  if (value == 0)
    return NULL;
  switch (kind)
    {
    case EP_TAG_ALIGN:
      tag = ensure_tag (buffer, kind, "align", value == EP_ALIGN_CENTER ? "center" : "right",
                        &created);
      if (created)
        g_object_set (tag, "justification",
                      value == EP_ALIGN_CENTER ? GTK_JUSTIFY_CENTER : GTK_JUSTIFY_RIGHT, NULL);
      return tag;
    case EP_TAG_LIST:
      return ensure_tag (buffer, kind, "list", value == EP_LIST_NUMBER ? "number" : "bullet",
                         &created);
    case EP_TAG_INDENT:
      value = MIN (value, EP_BUFFER_HTML_MAX_INDENT);
      level = g_strdup_printf ("%u", value);
      tag = ensure_tag (buffer, kind, "indent", level, &created);
      if (created)
        g_object_set (tag, "left-margin", INDENT_BASE_PX + INDENT_STEP_PX * (int) value, NULL);
      return tag;
    default:
      g_return_val_if_reached (NULL);
    }
}

EpTextAlign
ep_buffer_html_get_align (GtkTextBuffer *buffer,
                          int            line)
{
  GtkTextTag *tag;
  const char *value;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), EP_ALIGN_LEFT);

  tag = paragraph_tag_at (buffer, line, EP_TAG_ALIGN);
  if (tag == NULL)
    return EP_ALIGN_LEFT;
  ep_buffer_html_tag_kind (tag, &value);
  return g_str_equal (value, "center") ? EP_ALIGN_CENTER : EP_ALIGN_RIGHT;
}

void
ep_buffer_html_set_align (GtkTextBuffer *buffer,
                          int            first,
                          int            last,
                          EpTextAlign    align)
{
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  set_paragraph_tag (buffer, first, last, EP_TAG_ALIGN,
                     ep_buffer_html_paragraph_tag (buffer, EP_TAG_ALIGN, align));
}

EpListKind
ep_buffer_html_get_list (GtkTextBuffer *buffer,
                         int            line)
{
  GtkTextTag *tag;
  const char *value;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), EP_LIST_NONE);

  tag = paragraph_tag_at (buffer, line, EP_TAG_LIST);
  if (tag == NULL)
    return EP_LIST_NONE;
  ep_buffer_html_tag_kind (tag, &value);
  return g_str_equal (value, "number") ? EP_LIST_NUMBER : EP_LIST_BULLET;
}

void
ep_buffer_html_set_list (GtkTextBuffer *buffer,
                         int            first,
                         int            last,
                         EpListKind     kind)
{
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  /* An empty last line has no character to hold a tag: its marker will. */
  for (int line = first; kind != EP_LIST_NONE && line <= last; line++)
    {
      GtkTextIter start, end;

      line_range (buffer, line, &start, &end);
      if (gtk_text_iter_equal (&start, &end))
        gtk_text_buffer_insert_with_tags (buffer, &start, "• ", -1,
                                          ep_buffer_html_get_tag (buffer, "list-marker"), NULL);
    }
  set_paragraph_tag (buffer, first, last, EP_TAG_LIST,
                     ep_buffer_html_paragraph_tag (buffer, EP_TAG_LIST, kind));
  ep_buffer_html_renumber (buffer);
}

guint
ep_buffer_html_get_indent (GtkTextBuffer *buffer,
                           int            line)
{
  GtkTextTag *tag;
  const char *value;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), 0);

  tag = paragraph_tag_at (buffer, line, EP_TAG_INDENT);
  if (tag == NULL)
    return 0;
  ep_buffer_html_tag_kind (tag, &value);
  return (guint) g_ascii_strtoull (value, NULL, 10);
}

void
ep_buffer_html_change_indent (GtkTextBuffer *buffer,
                              int            first,
                              int            last,
                              int            delta)
{
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  for (int line = first; line <= last; line++)
    {
      int level = CLAMP ((int) ep_buffer_html_get_indent (buffer, line) + delta,
                         0, EP_BUFFER_HTML_MAX_INDENT);

      set_paragraph_tag (buffer, line, line, EP_TAG_INDENT,
                         ep_buffer_html_paragraph_tag (buffer, EP_TAG_INDENT, (guint) level));
    }
  ep_buffer_html_renumber (buffer);
}

/* After an edit, gives every character of the lines the paragraph formats of
 * the line: those of its first character, or, when text was typed in front
 * of it, those of its last. */
void
ep_buffer_html_extend_paragraph (GtkTextBuffer *buffer,
                                 int            first,
                                 int            last)
{
  g_autoptr(GPtrArray) paragraph = NULL;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  paragraph = tags_of_kind (buffer, EP_TAG_NONE, TRUE);
  for (int line = first; line <= last; line++)
    {
      GtkTextIter start, end, probe;
      g_autoptr(GSList) tags = NULL;
      g_autoptr(GSList) keep = NULL;

      line_range (buffer, line, &start, &end);
      if (gtk_text_iter_equal (&start, &end))
        continue;
      tags = gtk_text_iter_get_tags (&start);
      for (GSList *l = tags; l; l = l->next)
        if (ep_buffer_html_tag_is_paragraph (l->data))
          keep = g_slist_prepend (keep, l->data);
      if (keep == NULL)
        {
          probe = end;
          gtk_text_iter_backward_char (&probe);
          g_slist_free (tags);
          tags = gtk_text_iter_get_tags (&probe);
          for (GSList *l = tags; l; l = l->next)
            if (ep_buffer_html_tag_is_paragraph (l->data))
              keep = g_slist_prepend (keep, l->data);
        }
      /* Change only what differs, so the history records just the typed
       * characters taking the line's formats. */
      for (guint i = 0; i < paragraph->len; i++)
        {
          GtkTextTag *tag = paragraph->pdata[i];
          gboolean wanted = g_slist_find (keep, tag) != NULL;

          if (!wanted && tag_in_range (tag, &start, &end))
            gtk_text_buffer_remove_tag (buffer, tag, &start, &end);
        }
      for (GSList *l = keep; l; l = l->next)
        gtk_text_buffer_apply_tag (buffer, l->data, &start, &end);
    }
}

/* The marker at the start of @line: its end in @marker_end; FALSE when none. */
static gboolean
find_marker (GtkTextBuffer *buffer,
             int            line,
             GtkTextIter   *start,
             GtkTextIter   *marker_end)
{
  GtkTextTag *marker = ep_buffer_html_get_tag (buffer, "list-marker");

  gtk_text_buffer_get_iter_at_line (buffer, start, line);
  *marker_end = *start;
  if (!gtk_text_iter_has_tag (start, marker))
    return FALSE;
  gtk_text_iter_forward_to_tag_toggle (marker_end, marker);
  return TRUE;
}

char *
ep_buffer_html_marker_text (EpListKind kind,
                            guint      level,
                            guint      number)
{
  if (kind == EP_LIST_NUMBER)
    return g_strdup_printf ("%u. ", number);
  return g_strdup (level % 2 == 0 ? "• " : "◦ ");
}

/* Returns: the number of the next item at @level; EP_LIST_NONE ends every list. */
guint
ep_list_counter_next (EpListCounter *counter,
                      EpListKind     kind,
                      guint          level)
{
  level = MIN (level, EP_BUFFER_HTML_MAX_INDENT);
  if (kind == EP_LIST_NONE)
    {
      memset (counter, 0, sizeof *counter);
      return 0;
    }
  if (counter->kind[level] != kind)
    counter->number[level] = 0;
  counter->kind[level] = kind;
  for (guint deeper = level + 1; deeper <= EP_BUFFER_HTML_MAX_INDENT; deeper++)
    {
      counter->number[deeper] = 0;
      counter->kind[deeper] = EP_LIST_NONE;
    }
  return ++counter->number[level];
}

/* Makes each list item's marker match its list, level and place; removes
 * markers from paragraphs that are no longer list items. */
void
ep_buffer_html_renumber (GtkTextBuffer *buffer)
{
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  ep_buffer_html_renumber_lines (buffer, 0, G_MAXINT);
}

/**
 * ep_buffer_html_renumber_lines:
 *
 * Renumbers after an edit of lines @first to @last: a number depends only on
 * the items before it back to the last ordinary paragraph, so only the
 * lists that touch those lines are walked, not the whole message.
 */
void
ep_buffer_html_renumber_lines (GtkTextBuffer *buffer,
                               int            first,
                               int            last)
{
  GtkTextTag *marker;
  EpListCounter counter = { { 0 } };
  int n_lines;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  marker = ep_buffer_html_get_tag (buffer, "list-marker");
  n_lines = gtk_text_buffer_get_line_count (buffer);
  first = CLAMP (first, 0, n_lines - 1);
  while (first > 0 && ep_buffer_html_get_list (buffer, first - 1) != EP_LIST_NONE)
    first--;
  for (int line = first; line < n_lines; line++)
    {
      EpListKind kind = ep_buffer_html_get_list (buffer, line);
      guint level = MIN (ep_buffer_html_get_indent (buffer, line), EP_BUFFER_HTML_MAX_INDENT);
      g_autofree char *want = NULL;
      g_autofree char *have = NULL;
      guint number = ep_list_counter_next (&counter, kind, level);
      GSList *tags = NULL;
      GtkTextIter start, end;

      /* Past the edit, the first ordinary paragraph ends what can change. */
      if (line > last && kind == EP_LIST_NONE)
        break;

      if (kind != EP_LIST_NONE)
        want = ep_buffer_html_marker_text (kind, level, number);
      if (find_marker (buffer, line, &start, &end))
        have = gtk_text_iter_get_slice (&start, &end);
      if (g_strcmp0 (want, have) == 0)
        continue;
      /* The paragraph's formats, before the marker that may hold them alone goes. */
      tags = gtk_text_iter_get_tags (&start);
      if (have != NULL)
        gtk_text_buffer_delete (buffer, &start, &end);
      if (want != NULL)
        {
          gtk_text_buffer_get_iter_at_line (buffer, &start, line);
          gtk_text_buffer_insert_with_tags (buffer, &start, want, -1, marker, NULL);
          gtk_text_buffer_get_iter_at_line (buffer, &start, line);
          end = start;
          gtk_text_iter_forward_chars (&end, g_utf8_strlen (want, -1));
          for (GSList *l = tags; l; l = l->next)
            if (ep_buffer_html_tag_is_paragraph (l->data))
              gtk_text_buffer_apply_tag (buffer, l->data, &start, &end);
        }
      g_clear_pointer (&tags, g_slist_free);
    }
}

void
ep_buffer_html_insert_image (GtkTextBuffer *buffer,
                             GtkTextIter   *iter,
                             GdkPaintable  *paintable,
                             const char    *path)
{
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (iter != NULL);
  g_return_if_fail (GDK_IS_PAINTABLE (paintable));
  g_return_if_fail (path != NULL);

  g_object_set_data_full (G_OBJECT (paintable), EP_BUFFER_HTML_IMAGE_PATH, g_strdup (path), g_free);
  gtk_text_buffer_insert_paintable (buffer, iter, paintable);
}

/**
 * ep_buffer_html_image_new:
 * @path: an image file
 *
 * Returns: (transfer full): what the view shows for @path: the image, no
 * wider than EP_BUFFER_HTML_SHOWN_WIDTH until the editor says how wide its
 * text is (the file is what is sent)
 */
GdkPaintable *
ep_buffer_html_image_new (const char  *path,
                          GError     **error)
{
  EpInlineImage *image;

  g_return_val_if_fail (path != NULL, NULL);

  image = ep_inline_image_new_from_file (path, error);
  if (image != NULL)
    ep_inline_image_set_max_width (image, EP_BUFFER_HTML_SHOWN_WIDTH);
  return GDK_PAINTABLE (image);
}

static GdkPaintable *
rule_paintable_new (void)
{
  EpInlineImage *rule = ep_inline_image_new_rule ();

  ep_inline_image_set_max_width (rule, EP_BUFFER_HTML_SHOWN_WIDTH);
  g_object_set_data (G_OBJECT (rule), EP_BUFFER_HTML_RULE, GINT_TO_POINTER (1));
  return GDK_PAINTABLE (rule);
}

/* Inserts a horizontal rule as a paragraph of its own; @iter ends after it. */
void
ep_buffer_html_insert_rule (GtkTextBuffer *buffer,
                            GtkTextIter   *iter)
{
  g_autoptr(GdkPaintable) rule = NULL;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (iter != NULL);

  rule = rule_paintable_new ();
  if (!gtk_text_iter_starts_line (iter))
    gtk_text_buffer_insert (buffer, iter, "\n", 1);
  gtk_text_buffer_insert_paintable (buffer, iter, rule);
  if (!gtk_text_iter_ends_line (iter) || gtk_text_iter_is_end (iter))
    gtk_text_buffer_insert (buffer, iter, "\n", 1);
  else
    gtk_text_iter_forward_char (iter);
}

/* Returns: (nullable): the image file the paintable at @iter shows */
const char *
ep_buffer_html_image_at (const GtkTextIter *iter)
{
  GdkPaintable *paintable = gtk_text_iter_get_paintable (iter);

  return paintable ? g_object_get_data (G_OBJECT (paintable), EP_BUFFER_HTML_IMAGE_PATH) : NULL;
}

gboolean
ep_buffer_html_rule_at (const GtkTextIter *iter)
{
  GdkPaintable *paintable = gtk_text_iter_get_paintable (iter);

  return paintable && g_object_get_data (G_OBJECT (paintable), EP_BUFFER_HTML_RULE) != NULL;
}

/* TRUE when the buffer holds any format, image or rule: then it goes as HTML. */
gboolean
ep_buffer_html_has_formatting (GtkTextBuffer *buffer)
{
  GtkTextIter iter, end;
  g_autofree char *slice = NULL;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), FALSE);

  gtk_text_buffer_get_bounds (buffer, &iter, &end);
  do
    {
      g_autoptr(GSList) tags = gtk_text_iter_get_toggled_tags (&iter, TRUE);

      for (GSList *l = tags; l; l = l->next)
        if (ep_buffer_html_tag_kind (l->data, NULL) != EP_TAG_NONE)
          return TRUE;
    }
  while (gtk_text_iter_forward_to_tag_toggle (&iter, NULL));

  gtk_text_buffer_get_bounds (buffer, &iter, &end);
  slice = gtk_text_iter_get_slice (&iter, &end);
  return strstr (slice, "\xef\xbf\xbc") != NULL;
}

const char *
ep_buffer_html_font_css (const char *font_id)
{
  const Font *font = find_font (font_id);

  return font ? font->css : NULL;
}

/* Returns: (nullable): the font whose family list holds the first family
 * of @css (quotes and case aside), or whose generic name it is */
const char *
ep_buffer_html_font_from_css (const char *css)
{
  g_autofree char *lower = g_ascii_strdown (css, -1);
  g_auto(GStrv) wanted = g_strsplit (lower, ",", 2);
  char *first = g_strstrip (g_strdelimit (wanted[0], "'\"", ' '));

  if (*first == '\0')
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (fonts); i++)
    {
      g_autofree char *mine = g_ascii_strdown (fonts[i].css, -1);
      g_auto(GStrv) families = g_strsplit (g_strdelimit (mine, "'", ' '), ",", -1);

      if (g_ascii_strcasecmp (fonts[i].pango, first) == 0)
        return fonts[i].id;
      for (guint j = 0; families[j] != NULL; j++)
        {
          if (g_str_equal (g_strstrip (families[j]), first))
            return fonts[i].id;
        }
    }
  return NULL;
}

const char *
ep_buffer_html_size_css (const char *size_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      if (g_str_equal (sizes[i].id, size_id))
        return sizes[i].css;
    }
  return NULL;
}

/* Returns: an EpTextSize, or -1 when @css names none of ours */
int
ep_buffer_html_size_from_css (const char *css)
{
  static const struct { const char *css; EpTextSize size; } known[] = {
    { "x-small", EP_SIZE_SMALL }, { "small", EP_SIZE_SMALL }, { "smaller", EP_SIZE_SMALL },
    { "medium", EP_SIZE_NORMAL }, { "large", EP_SIZE_LARGE }, { "larger", EP_SIZE_LARGE },
    { "x-large", EP_SIZE_HUGE }, { "xx-large", EP_SIZE_HUGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      if (g_ascii_strcasecmp (known[i].css, css) == 0)
        return known[i].size;
    }
  return -1;
}
