/* ep-buffer-html-read.c — an HTML document into the buffer, through libxml2's HTML parser
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The formats the editor has are kept; everything else is reduced to its
 * text. Scripts, styles and frames are dropped unread. Nothing is fetched:
 * the parser runs with HTML_PARSE_NONET, and an <img> becomes an inline
 * image only when it names a readable image file on disk, relative to the
 * document's folder. Past MAX_DEPTH nested elements the rest of a branch is
 * read as plain text, without recursion, so no document can exhaust the stack.
 */
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "ep-buffer-html-private.h"

#define MAX_DEPTH 200

enum { SLOT_BOLD, SLOT_ITALIC, SLOT_UNDERLINE, SLOT_STRIKE, SLOT_FONT, SLOT_SIZE,
       SLOT_FG, SLOT_BG, SLOT_LINK, N_SLOTS };

/* What an element passes down to its children. */
typedef struct
{
  GtkTextTag *tags[N_SLOTS];
  EpTextAlign align;
  guint indent;
  EpListKind list;            /* of the innermost <ul>/<ol> */
  int list_level;             /* -1 outside any list */
  gboolean in_item;
  gboolean pre;
} State;

typedef struct
{
  GtkTextBuffer *buffer;
  const char *base_dir;
  GHashTable *content_ids;    /* Content-ID → file, for cid: images; may be NULL */
  int pos;                    /* where the next text goes */
  int para_start;
  gboolean para_has_content;
  gboolean space_before;      /* the last character written is collapsed white space */
  /* the formats of the paragraph being written, fixed by its first content */
  EpTextAlign para_align;
  guint para_indent;
  EpListKind para_list;
} Reader;

static const char * const skipped[] = {
  "script", "style", "head", "title", "noscript", "iframe", "frame", "frameset", "object",
  "embed", "applet", "template", "svg", "math", "textarea", "select", "option",
};

static const char * const blocks[] = {
  "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "address", "section",
  "article", "header", "footer", "nav", "aside", "main", "figure", "figcaption", "table", "tr",
  "ul", "ol", "li", "dl", "dt", "dd", "center", "form", "fieldset", "body", "html", "caption",
};

static gboolean
name_in (const char         *name,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (g_ascii_strcasecmp (name, list[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
apply_paragraph (Reader *r,
                 int     end)
{
  const struct { EpTagKind kind; guint value; } formats[] = {
    { EP_TAG_ALIGN, r->para_align }, { EP_TAG_LIST, r->para_list }, { EP_TAG_INDENT, r->para_indent },
  };
  GtkTextIter start, stop;

  if (end <= r->para_start)
    return;
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, r->para_start);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &stop, end);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      GtkTextTag *tag = ep_buffer_html_paragraph_tag (r->buffer, formats[i].kind, formats[i].value);

      if (tag != NULL)
        gtk_text_buffer_apply_tag (r->buffer, tag, &start, &stop);
    }
}

/* Inserted text can fall inside a tag's range and take it: what the reader
 * inserts carries exactly the tags it then applies. */
static void
strip_tags (Reader *r,
            int     from,
            int     to)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, from);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &end, to);
  gtk_text_buffer_remove_all_tags (r->buffer, &start, &end);
}

/* Ends the paragraph being written; @force ends an empty one too (a <br>). */
static void
break_paragraph (Reader   *r,
                 gboolean  force)
{
  GtkTextIter iter;

  if (!r->para_has_content && !force)
    return;
  /* White space at the end of a paragraph does not show. */
  if (r->space_before)
    {
      GtkTextIter start;

      gtk_text_buffer_get_iter_at_offset (r->buffer, &start, r->pos - 1);
      gtk_text_buffer_get_iter_at_offset (r->buffer, &iter, r->pos);
      gtk_text_buffer_delete (r->buffer, &start, &iter);
      r->pos--;
      r->space_before = FALSE;
    }
  gtk_text_buffer_get_iter_at_offset (r->buffer, &iter, r->pos);
  gtk_text_buffer_insert (r->buffer, &iter, "\n", 1);
  strip_tags (r, r->pos, r->pos + 1);
  r->pos++;
  apply_paragraph (r, r->pos);
  r->para_start = r->pos;
  r->para_has_content = FALSE;
}

static void
begin_content (Reader      *r,
               const State *state)
{
  if (r->para_has_content)
    return;
  r->para_has_content = TRUE;
  r->para_align = state->align;
  r->para_list = state->in_item ? state->list : EP_LIST_NONE;
  r->para_indent = state->in_item ? (guint) MAX (state->list_level, 0) : state->indent;
}

static void
insert_tagged (Reader      *r,
               const State *state,
               const char  *text,
               gssize       length)
{
  GtkTextIter start, end;
  int n_chars;

  if (length < 0)
    length = strlen (text);
  if (length == 0)
    return;
  n_chars = g_utf8_strlen (text, length);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, r->pos);
  gtk_text_buffer_insert (r->buffer, &start, text, length);
  strip_tags (r, r->pos, r->pos + n_chars);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, r->pos);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &end, r->pos + n_chars);
  for (guint i = 0; i < N_SLOTS; i++)
    {
      if (state->tags[i] != NULL)
        gtk_text_buffer_apply_tag (r->buffer, state->tags[i], &start, &end);
    }
  r->pos += n_chars;
}

/* Text as a browser shows it: white space collapsed, or kept inside <pre>. */
static void
add_text (Reader      *r,
          const State *state,
          const char  *text)
{
  g_autoptr(GString) run = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (state->pre && c == '\n')
        {
          begin_content (r, state);
          insert_tagged (r, state, run->str, run->len);
          g_string_truncate (run, 0);
          break_paragraph (r, TRUE);
          continue;
        }
      if (!state->pre && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'))
        {
          if ((r->para_has_content || run->len > 0) && !r->space_before)
            {
              g_string_append_c (run, ' ');
              r->space_before = TRUE;
            }
          continue;
        }
      if (c == '\r' || (c < 0x20 && c != '\t') || c == 0x7f || c == 0xfffc)
        continue;
      g_string_append_unichar (run, c == 0xa0 ? ' ' : c);
      r->space_before = FALSE;
    }
  if (run->len > 0)
    {
      begin_content (r, state);
      insert_tagged (r, state, run->str, run->len);
    }
}

static gboolean
parse_color (const char *value,
             GdkRGBA    *color)
{
  return gdk_rgba_parse (color, value) && color->alpha > 0;
}

static int
size_from_length (const char *value)
{
  char *end;
  double n = g_ascii_strtod (value, &end);

  if (end == value)
    return ep_buffer_html_size_from_css (value);
  if (g_str_has_prefix (end, "pt"))
    n *= 4. / 3.;
  else if (g_str_has_prefix (end, "em") || g_str_has_prefix (end, "rem"))
    n *= 16.;
  else if (*end == '%')
    n *= 16. / 100.;
  return n < 12 ? EP_SIZE_SMALL : n < 17 ? EP_SIZE_NORMAL : n < 22 ? EP_SIZE_LARGE : EP_SIZE_HUGE;
}

static guint
indent_from_length (const char *value)
{
  char *end;
  double n = g_ascii_strtod (value, &end);

  if (g_str_has_prefix (end, "em"))
    n *= 16.;
  else if (g_str_has_prefix (end, "pt"))
    n *= 4. / 3.;
  return (guint) CLAMP ((n + 16.) / 32., 0, EP_BUFFER_HTML_MAX_INDENT);
}

static void
set_size (Reader     *r,
          State      *state,
          int         size)
{
  if (size >= 0)
    state->tags[SLOT_SIZE] = ep_buffer_html_get_size_tag (r->buffer, size);
}

static void
apply_declaration (Reader     *r,
                   State      *state,
                   const char *property,
                   const char *value,
                   gboolean    block)
{
  GdkRGBA color;

  if (g_str_equal (property, "color") && parse_color (value, &color))
    state->tags[SLOT_FG] = ep_buffer_html_get_color_tag (r->buffer, FALSE, &color);
  else if ((g_str_equal (property, "background-color") || g_str_equal (property, "background")) &&
           parse_color (value, &color))
    state->tags[SLOT_BG] = ep_buffer_html_get_color_tag (r->buffer, TRUE, &color);
  else if (g_str_equal (property, "font-family"))
    {
      const char *font = ep_buffer_html_font_from_css (value);
      state->tags[SLOT_FONT] = font ? ep_buffer_html_get_font_tag (r->buffer, font) : NULL;
    }
  else if (g_str_equal (property, "font-size"))
    set_size (r, state, size_from_length (value));
  else if (g_str_equal (property, "font-weight"))
    state->tags[SLOT_BOLD] = g_str_equal (value, "bold") || g_str_equal (value, "bolder") ||
                             atoi (value) >= 600 ? ep_buffer_html_get_tag (r->buffer, "bold") : NULL;
  else if (g_str_equal (property, "font-style"))
    state->tags[SLOT_ITALIC] = g_str_equal (value, "normal") ? NULL
                               : ep_buffer_html_get_tag (r->buffer, "italic");
  else if (g_str_equal (property, "text-decoration") || g_str_equal (property, "text-decoration-line"))
    {
      if (strstr (value, "underline"))
        state->tags[SLOT_UNDERLINE] = ep_buffer_html_get_tag (r->buffer, "underline");
      if (strstr (value, "line-through"))
        state->tags[SLOT_STRIKE] = ep_buffer_html_get_tag (r->buffer, "strikethrough");
    }
  else if (g_str_equal (property, "white-space"))
    state->pre = g_str_has_prefix (value, "pre");
  else if (block && g_str_equal (property, "text-align"))
    state->align = g_str_equal (value, "center") ? EP_ALIGN_CENTER
                   : g_str_equal (value, "right") ? EP_ALIGN_RIGHT : EP_ALIGN_LEFT;
  else if (block && g_str_equal (property, "margin-left"))
    state->indent = indent_from_length (value);
  else if (block && g_str_equal (property, "margin"))
    {
      g_auto(GStrv) parts = g_strsplit_set (value, " \t", -1);
      guint n = g_strv_length (parts);

      state->indent = indent_from_length (parts[n == 4 ? 3 : n >= 2 ? 1 : 0]);
    }
}

static void
apply_style (Reader     *r,
             State      *state,
             const char *style,
             gboolean    block)
{
  g_auto(GStrv) declarations = g_strsplit (style, ";", -1);

  for (guint i = 0; declarations[i] != NULL; i++)
    {
      char *colon = strchr (declarations[i], ':');
      g_autofree char *property = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      *colon = '\0';
      property = g_strstrip (g_ascii_strdown (declarations[i], -1));
      value = g_strstrip (g_strdup (colon + 1));
      if (g_str_has_suffix (value, "!important"))
        {
          value[strlen (value) - strlen ("!important")] = '\0';
          g_strchomp (value);
        }
      if (*value != '\0')
        apply_declaration (r, state, property, value, block);
    }
}

static char *
get_attribute (xmlNode    *node,
               const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = value ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return copy;
}

/* An <img> on disk next to the document becomes an inline image; nothing else is read. */
static void
add_image (Reader      *r,
           const State *state,
           xmlNode     *node)
{
  g_autofree char *src = get_attribute (node, "src");
  g_autofree char *alt = get_attribute (node, "alt");
  g_autofree char *scheme = src ? g_uri_parse_scheme (src) : NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) image = NULL;
  GtkTextIter iter;

  if (src != NULL && scheme != NULL && g_ascii_strcasecmp (scheme, "file") == 0)
    path = g_filename_from_uri (src, NULL, NULL);
  else if (src != NULL && scheme != NULL && g_ascii_strcasecmp (scheme, "cid") == 0 && r->content_ids != NULL)
    path = g_strdup (g_hash_table_lookup (r->content_ids, src + strlen ("cid:")));
  else if (src != NULL && scheme == NULL && r->base_dir != NULL && *src != '\0')
    {
      g_autofree char *unescaped = g_uri_unescape_string (src, NULL);
      if (unescaped != NULL)
        path = g_path_is_absolute (unescaped) ? g_strdup (unescaped)
               : g_build_filename (r->base_dir, unescaped, NULL);
    }
  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    image = ep_buffer_html_image_new (path, NULL);
  if (image == NULL)
    {
      if (alt != NULL && *alt != '\0')
        add_text (r, state, alt);
      return;
    }
  begin_content (r, state);
  r->space_before = FALSE;
  gtk_text_buffer_get_iter_at_offset (r->buffer, &iter, r->pos);
  ep_buffer_html_insert_image (r->buffer, &iter, image, path);
  strip_tags (r, r->pos, r->pos + 1);
  r->pos++;
}

static void
add_rule (Reader *r)
{
  GtkTextIter iter;

  break_paragraph (r, FALSE);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &iter, r->pos);
  ep_buffer_html_insert_rule (r->buffer, &iter);
  strip_tags (r, r->pos, gtk_text_iter_get_offset (&iter));
  r->pos = gtk_text_iter_get_offset (&iter);
  r->para_start = r->pos;
}

/* Past MAX_DEPTH: the text of the whole branch, walked without recursion. */
static void
add_flat_text (Reader      *r,
               const State *state,
               xmlNode     *top)
{
  xmlNode *node = top->children;

  while (node != NULL && node != top)
    {
      gboolean skip = node->type == XML_ELEMENT_NODE &&
                      name_in ((const char *) node->name, skipped, G_N_ELEMENTS (skipped));

      if (node->type == XML_TEXT_NODE && node->content != NULL)
        add_text (r, state, (const char *) node->content);
      if (!skip && node->type == XML_ELEMENT_NODE && node->children != NULL)
        {
          node = node->children;
          continue;
        }
      while (node != top && node->next == NULL)
        node = node->parent;
      if (node != top)
        node = node->next;
    }
}

static void walk (Reader *r, State state, xmlNode *node, int depth);

static void
walk_children (Reader      *r,
               const State *state,
               xmlNode     *node,
               int          depth)
{
  if (depth >= MAX_DEPTH)
    {
      add_flat_text (r, state, node);
      return;
    }
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    walk (r, *state, child, depth + 1);
}

/* The formats an element itself stands for. */
static void
element_formats (Reader     *r,
                 State      *state,
                 const char *name,
                 xmlNode    *node)
{
  static const char * const bold[] = { "b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th" };
  static const char * const italic[] = { "i", "em", "cite", "var", "dfn" };
  static const char * const strike[] = { "s", "strike", "del" };
  static const char * const mono[] = { "code", "tt", "kbd", "samp", "pre" };

  if (name_in (name, bold, G_N_ELEMENTS (bold)))
    state->tags[SLOT_BOLD] = ep_buffer_html_get_tag (r->buffer, "bold");
  if (name_in (name, italic, G_N_ELEMENTS (italic)))
    state->tags[SLOT_ITALIC] = ep_buffer_html_get_tag (r->buffer, "italic");
  if (g_str_equal (name, "u") || g_str_equal (name, "ins"))
    state->tags[SLOT_UNDERLINE] = ep_buffer_html_get_tag (r->buffer, "underline");
  if (name_in (name, strike, G_N_ELEMENTS (strike)))
    state->tags[SLOT_STRIKE] = ep_buffer_html_get_tag (r->buffer, "strikethrough");
  if (name_in (name, mono, G_N_ELEMENTS (mono)))
    state->tags[SLOT_FONT] = ep_buffer_html_get_font_tag (r->buffer, "mono");
  if (g_str_equal (name, "h1"))
    set_size (r, state, EP_SIZE_HUGE);
  else if (g_str_equal (name, "h2") || g_str_equal (name, "big"))
    set_size (r, state, EP_SIZE_LARGE);
  else if (g_str_equal (name, "small"))
    set_size (r, state, EP_SIZE_SMALL);
  if (g_str_equal (name, "center"))
    state->align = EP_ALIGN_CENTER;
  if (g_str_equal (name, "pre"))
    state->pre = TRUE;
  if (g_str_equal (name, "a"))
    {
      g_autofree char *href = get_attribute (node, "href");
      state->tags[SLOT_LINK] = href ? ep_buffer_html_get_link_tag (r->buffer, g_strstrip (href), NULL)
                                    : NULL;
    }
}

/* The presentational attributes of old HTML: <font>, align=. */
static void
attribute_formats (Reader     *r,
                   State      *state,
                   const char *name,
                   xmlNode    *node,
                   gboolean    block)
{
  g_autofree char *align = get_attribute (node, "align");
  g_autofree char *style = get_attribute (node, "style");

  if (block && align != NULL)
    state->align = g_ascii_strcasecmp (align, "center") == 0 ? EP_ALIGN_CENTER
                   : g_ascii_strcasecmp (align, "right") == 0 ? EP_ALIGN_RIGHT : EP_ALIGN_LEFT;
  if (g_str_equal (name, "font"))
    {
      g_autofree char *color = get_attribute (node, "color");
      g_autofree char *face = get_attribute (node, "face");
      g_autofree char *size = get_attribute (node, "size");

      if (color != NULL)
        apply_declaration (r, state, "color", color, FALSE);
      if (face != NULL)
        apply_declaration (r, state, "font-family", face, FALSE);
      if (size != NULL)
        {
          int n = atoi (size);
          set_size (r, state, n <= 2 ? EP_SIZE_SMALL : n == 3 ? EP_SIZE_NORMAL
                              : n <= 5 ? EP_SIZE_LARGE : EP_SIZE_HUGE);
        }
    }
  if (style != NULL)
    apply_style (r, state, style, block);
}

static void
walk (Reader  *r,
      State    state,
      xmlNode *node,
      int      depth)
{
  const char *name;
  gboolean block;

  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    {
      if (node->content != NULL)
        add_text (r, &state, (const char *) node->content);
      return;
    }
  if (node->type != XML_ELEMENT_NODE)
    return;
  name = (const char *) node->name;
  if (name_in (name, skipped, G_N_ELEMENTS (skipped)))
    return;
  if (g_str_equal (name, "br"))
    {
      begin_content (r, &state);
      break_paragraph (r, TRUE);
      return;
    }
  if (g_str_equal (name, "hr"))
    {
      add_rule (r);
      return;
    }
  if (g_str_equal (name, "img"))
    {
      add_image (r, &state, node);
      return;
    }
  if ((g_str_equal (name, "td") || g_str_equal (name, "th")) && r->para_has_content)
    add_text (r, &state, " ");
  block = name_in (name, blocks, G_N_ELEMENTS (blocks));
  if (block)
    break_paragraph (r, FALSE);
  if (g_str_equal (name, "ul") || g_str_equal (name, "ol"))
    {
      state.list = g_str_equal (name, "ol") ? EP_LIST_NUMBER : EP_LIST_BULLET;
      state.list_level = MIN (state.list_level + 1, EP_BUFFER_HTML_MAX_INDENT);
      state.in_item = FALSE;
    }
  else if (g_str_equal (name, "li"))
    state.in_item = state.list_level >= 0;
  element_formats (r, &state, name, node);
  attribute_formats (r, &state, name, node, block);
  walk_children (r, &state, node, depth);
  if (block)
    break_paragraph (r, FALSE);
}

/**
 * ep_buffer_html_insert_html:
 * @base_dir: (nullable): the folder relative image paths are read from; NULL
 *   reads no image
 * @content_ids: (nullable) (element-type utf8 filename): the file of each
 *   Content-ID a `cid:` image may name (a message's own images)
 *
 * Inserts an HTML document at @iter, which ends after it. Fails only when
 * the bytes are no document at all.
 */
gboolean
ep_buffer_html_insert_html (GtkTextBuffer  *buffer,
                            GtkTextIter    *iter,
                            const char     *html,
                            gssize          length,
                            const char     *base_dir,
                            GHashTable     *content_ids,
                            GError        **error)
{
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET;
  htmlDocPtr doc;
  GtkTextMark *end;
  int first;
  Reader r = { 0 };
  State state = { .list = EP_LIST_NONE, .list_level = -1 };

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), FALSE);
  g_return_val_if_fail (iter != NULL, FALSE);
  g_return_val_if_fail (html != NULL, FALSE);

  if (length < 0)
    length = strlen (html);
  if (length > G_MAXINT)
    length = G_MAXINT;
  /* Without a declared charset libxml2 assumes Latin-1; a UTF-8 file says so by being valid. */
  doc = htmlReadMemory (html, (int) length, NULL,
                        g_utf8_validate (html, length, NULL) ? "UTF-8" : NULL, options);
  if (doc == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file holds no HTML that Epistle can read"));
      return FALSE;
    }
  r.buffer = buffer;
  r.base_dir = base_dir;
  r.content_ids = content_ids;
  r.pos = r.para_start = first = gtk_text_iter_get_offset (iter);
  for (xmlNode *node = doc->children; node != NULL; node = node->next)
    walk (&r, state, node, 0);
  if (r.space_before)
    break_paragraph (&r, FALSE);
  apply_paragraph (&r, r.pos);
  xmlFreeDoc (doc);
  /* Every paragraph ended with a newline: the last one needs none. */
  if (!r.para_has_content && r.pos > first)
    {
      GtkTextIter start, stop;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, r.pos - 1);
      gtk_text_buffer_get_iter_at_offset (buffer, &stop, r.pos);
      if (gtk_text_iter_get_char (&start) == '\n')
        {
          gtk_text_buffer_delete (buffer, &start, &stop);
          r.pos--;
        }
    }
  /* The markers go in last; a mark keeps the end where it is. */
  gtk_text_buffer_get_iter_at_offset (buffer, iter, r.pos);
  end = gtk_text_buffer_create_mark (buffer, NULL, iter, FALSE);
  ep_buffer_html_renumber (buffer);
  gtk_text_buffer_get_iter_at_mark (buffer, iter, end);
  gtk_text_buffer_delete_mark (buffer, end);
  return TRUE;
}
