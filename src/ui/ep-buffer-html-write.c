/* ep-buffer-html-write.c — GtkTextBuffer → clean HTML, a plain-text twin, an EpMessage
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTML holds only what mail readers keep: <p>, <b>, <i>, <u>, <s>,
 * <a href>, lists, <hr>, <img src="cid:…">, and inline style for colour,
 * font, size and alignment (readers drop <style> blocks). Every text
 * character is escaped, links are web or mail addresses only, and nothing
 * refers to anything outside the message.
 */
#include <string.h>
#include <glib/gi18n.h>

#include "ep-buffer-html-private.h"

#define OBJECT_CHAR "\xef\xbf\xbc"
#define RULE_TEXT "------------------------------"

typedef struct
{
  GtkTextBuffer *buffer;
  GString *out;
  GPtrArray *open;            /* the inline elements open now, outermost first: "<b>" … */
  const char *cid_suffix;
  GPtrArray *paths;           /* images, in order of first appearance */
  GPtrArray *content_ids;
  /* plain text */
  const char *link;           /* the link the text is in, or NULL */
  GString *link_text;
  /* Where the next tag toggles after the text written so far: finding it
   * afresh from every line would walk to the end of an untagged buffer
   * each time. */
  int next_toggle;
} Writer;

/* The end of the run starting at @iter: the next toggle of any tag, or @line_end. */
static void
run_end (Writer            *w,
         const GtkTextIter *iter,
         const GtkTextIter *line_end,
         GtkTextIter       *next)
{
  int offset = gtk_text_iter_get_offset (iter);

  if (w->next_toggle <= offset)
    {
      *next = *iter;
      w->next_toggle = gtk_text_iter_forward_to_tag_toggle (next, NULL)
                       ? gtk_text_iter_get_offset (next) : G_MAXINT;
    }
  if (w->next_toggle >= gtk_text_iter_get_offset (line_end))
    *next = *line_end;
  else
    gtk_text_buffer_get_iter_at_offset (w->buffer, next, w->next_toggle);
}

/* Escapes text for an element's content; runs of spaces stay visible. */
static void
append_escaped (GString    *out,
                const char *text,
                gsize       length,
                gboolean   *after_space)
{
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ' && *after_space)
        g_string_append (out, "&nbsp;");
      else if (c == '\t')
        g_string_append (out, "<span style=\"white-space:pre\">&#9;</span>");
      else if (c == '<')
        g_string_append (out, "&lt;");
      else if (c == '>')
        g_string_append (out, "&gt;");
      else if (c == '&')
        g_string_append (out, "&amp;");
      else if (c == '"')
        g_string_append (out, "&quot;");
      else if (c == '\'')
        g_string_append (out, "&#39;");
      else if (c < 0x20 || c == 0x7f)
        ;  /* no control character reaches the HTML */
      else
        g_string_append_unichar (out, c);
      *after_space = c == ' ' || c == '\t';
    }
}

static char *
escape_attribute (const char *value)
{
  gboolean after_space = FALSE;
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      after_space = FALSE;
      append_escaped (out, p, g_utf8_next_char (p) - p, &after_space);
    }
  return g_string_free (out, FALSE);
}

/* The inline elements the text at @iter needs, outermost first, as opening tags. */
static GPtrArray *
wanted_elements (const GtkTextIter *iter,
                 gboolean          *in_marker,
                 const char       **link)
{
  static const char * const styles[][2] = {
    { "bold", "<b>" }, { "italic", "<i>" }, { "underline", "<u>" }, { "strikethrough", "<s>" },
  };
  g_autoptr(GSList) tags = gtk_text_iter_get_tags (iter);
  const char *values[EP_TAG_MARKER + 1] = { NULL };
  gboolean style_on[G_N_ELEMENTS (styles)] = { FALSE };
  GPtrArray *wanted = g_ptr_array_new_with_free_func (g_free);
  GString *span = g_string_new (NULL);

  for (GSList *l = tags; l; l = l->next)
    {
      const char *value;
      EpTagKind kind = ep_buffer_html_tag_kind (l->data, &value);

      if (kind == EP_TAG_STYLE)
        {
          for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
            style_on[i] |= g_str_equal (styles[i][0], value);
        }
      else
        values[kind] = value;
    }
  *in_marker = values[EP_TAG_MARKER] != NULL;
  *link = values[EP_TAG_LINK] && ep_buffer_html_link_is_safe (values[EP_TAG_LINK])
          ? values[EP_TAG_LINK] : NULL;
  if (*link != NULL)
    {
      g_autofree char *href = escape_attribute (*link);
      g_ptr_array_add (wanted, g_strdup_printf ("<a href=\"%s\">", href));
    }
  if (values[EP_TAG_FONT] && ep_buffer_html_font_css (values[EP_TAG_FONT]))
    g_string_append_printf (span, "font-family:%s;", ep_buffer_html_font_css (values[EP_TAG_FONT]));
  if (values[EP_TAG_SIZE] && ep_buffer_html_size_css (values[EP_TAG_SIZE]))
    g_string_append_printf (span, "font-size:%s;", ep_buffer_html_size_css (values[EP_TAG_SIZE]));
  if (values[EP_TAG_FOREGROUND])
    g_string_append_printf (span, "color:%s;", values[EP_TAG_FOREGROUND]);
  if (values[EP_TAG_BACKGROUND])
    g_string_append_printf (span, "background-color:%s;", values[EP_TAG_BACKGROUND]);
  if (span->len > 0)
    {
      g_string_truncate (span, span->len - 1);
      g_ptr_array_add (wanted, g_strdup_printf ("<span style=\"%s\">", span->str));
    }
  g_string_free (span, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (style_on[i])
      g_ptr_array_add (wanted, g_strdup (styles[i][1]));
  return wanted;
}

static void
close_element (GString    *out,
               const char *opening)
{
  const char *name_end = opening + 1 + strcspn (opening + 1, " >");

  g_string_append_printf (out, "</%.*s>", (int) (name_end - opening - 1), opening + 1);
}

static void
close_down_to (Writer *w,
               guint   keep)
{
  while (w->open->len > keep)
    {
      close_element (w->out, w->open->pdata[w->open->len - 1]);
      g_ptr_array_remove_index (w->open, w->open->len - 1);
    }
}

static void
sync_elements (Writer    *w,
               GPtrArray *wanted)
{
  guint same = 0;

  while (same < w->open->len && same < wanted->len &&
         g_str_equal (w->open->pdata[same], wanted->pdata[same]))
    same++;
  close_down_to (w, same);
  for (guint i = same; i < wanted->len; i++)
    {
      g_string_append (w->out, wanted->pdata[i]);
      g_ptr_array_add (w->open, g_strdup (wanted->pdata[i]));
    }
}

static void
write_image (Writer     *w,
             const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *alt = escape_attribute (name);
  guint index;

  if (!g_ptr_array_find_with_equal_func (w->paths, path, g_str_equal, &index))
    {
      index = w->paths->len;
      g_ptr_array_add (w->paths, g_strdup (path));
      g_ptr_array_add (w->content_ids, g_strdup_printf ("image%u.%s", index + 1, w->cid_suffix));
    }
  g_string_append_printf (w->out, "<img src=\"cid:%s\" alt=\"%s\" style=\"max-width:100%%\">",
                          (const char *) w->content_ids->pdata[index], alt);
}

/* Text between @start and @end with one set of tags; objects become images. */
static void
write_run (Writer            *w,
           const GtkTextIter *start,
           const GtkTextIter *end,
           gboolean          *after_space)
{
  g_autofree char *slice = gtk_text_iter_get_slice (start, end);
  int offset = gtk_text_iter_get_offset (start);
  const char *p = slice;
  const char *object;

  while ((object = strstr (p, OBJECT_CHAR)) != NULL)
    {
      GtkTextIter at;
      const char *path;

      append_escaped (w->out, p, object - p, after_space);
      offset += g_utf8_strlen (p, object - p);
      gtk_text_buffer_get_iter_at_offset (w->buffer, &at, offset);
      path = ep_buffer_html_image_at (&at);
      if (path != NULL)
        write_image (w, path);
      *after_space = FALSE;
      offset++;
      p = object + strlen (OBJECT_CHAR);
    }
  append_escaped (w->out, p, strlen (p), after_space);
}

static void
write_inline (Writer            *w,
              const GtkTextIter *line_start,
              const GtkTextIter *line_end)
{
  GtkTextIter iter = *line_start;
  gboolean after_space = TRUE;   /* a leading space would vanish */
  gsize content_start = w->out->len;

  while (gtk_text_iter_compare (&iter, line_end) < 0)
    {
      GtkTextIter next = iter;
      g_autoptr(GPtrArray) wanted = NULL;
      gboolean in_marker;
      const char *link;

      run_end (w, &iter, line_end, &next);
      wanted = wanted_elements (&iter, &in_marker, &link);
      if (!in_marker)
        {
          sync_elements (w, wanted);
          write_run (w, &iter, &next, &after_space);
        }
      iter = next;
    }
  close_down_to (w, 0);
  if (w->out->len == content_start)
    g_string_append (w->out, "<br>");
  /* A trailing space would vanish too. */
  else if (after_space && w->out->str[w->out->len - 1] == ' ')
    {
      g_string_truncate (w->out, w->out->len - 1);
      g_string_append (w->out, "&nbsp;");
    }
}

static gboolean
line_is_rule (const GtkTextIter *start,
              const GtkTextIter *end)
{
  GtkTextIter next = *start;

  return ep_buffer_html_rule_at (start) && gtk_text_iter_forward_char (&next) &&
         gtk_text_iter_equal (&next, end);
}

static void
line_bounds (GtkTextBuffer *buffer,
             int            line,
             GtkTextIter   *start,
             GtkTextIter   *end)
{
  gtk_text_buffer_get_iter_at_line (buffer, start, line);
  *end = *start;
  if (!gtk_text_iter_ends_line (end))
    gtk_text_iter_forward_to_line_end (end);
}

/* The style of a <p> or <li>: no margins, as the editor shows paragraphs. */
static char *
paragraph_style (EpTextAlign align,
                 guint       indent,
                 gboolean    list_item)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  char *style;

  if (!list_item)
    g_ptr_array_add (parts, indent > 0 ? g_strdup_printf ("margin:0 0 0 %uem", indent * 2)
                                       : g_strdup ("margin:0"));
  if (align != EP_ALIGN_LEFT)
    g_ptr_array_add (parts, g_strdup (align == EP_ALIGN_CENTER ? "text-align:center"
                                                               : "text-align:right"));
  g_ptr_array_add (parts, NULL);
  style = g_strjoinv (";", (char **) parts->pdata);
  g_ptr_array_unref (parts);
  return style;
}

typedef struct
{
  EpListKind kind;
  gboolean item_open;
} ListLevel;

static void
close_list_level (GString *out,
                  GArray  *lists)
{
  ListLevel *top = &g_array_index (lists, ListLevel, lists->len - 1);

  if (top->item_open)
    g_string_append (out, "</li>\n");
  g_string_append (out, top->kind == EP_LIST_NUMBER ? "</ol>\n" : "</ul>\n");
  g_array_set_size (lists, lists->len - 1);
}

/* Opens and closes <ul>/<ol> so the item at @level of @kind comes next;
 * a deeper list nests inside the open item, as HTML wants. */
static void
enter_list (GString    *out,
            GArray     *lists,
            EpListKind  kind,
            guint       level)
{
  ListLevel *top;

  while (lists->len > level + 1)
    close_list_level (out, lists);
  if (lists->len == level + 1 &&
      g_array_index (lists, ListLevel, lists->len - 1).kind != kind)
    close_list_level (out, lists);
  while (lists->len < level + 1)
    {
      ListLevel fresh = { kind, FALSE };

      if (lists->len > 0 && g_array_index (lists, ListLevel, lists->len - 1).item_open)
        g_string_append_c (out, '\n');
      g_string_append (out, kind == EP_LIST_NUMBER ? "<ol>\n" : "<ul>\n");
      g_array_append_val (lists, fresh);
    }
  top = &g_array_index (lists, ListLevel, lists->len - 1);
  if (top->item_open)
    g_string_append (out, "</li>\n");
  top->item_open = TRUE;
}

/**
 * ep_buffer_html_to_html:
 * @cid_suffix: what follows “imageN.” in each image's Content-ID, such as
 *   “UUID@example.com”
 * @paths: (element-type filename): receives each image file once, in order
 * @content_ids: (element-type utf8): receives the Content-ID of each of @paths
 *
 * Returns: (transfer full): the body as a complete HTML document
 */
char *
ep_buffer_html_to_html (GtkTextBuffer *buffer,
                        const char    *cid_suffix,
                        GPtrArray     *paths,
                        GPtrArray     *content_ids)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lists = g_array_new (FALSE, FALSE, sizeof (ListLevel));
  g_autoptr(GPtrArray) own_paths = NULL;
  g_autoptr(GPtrArray) own_ids = NULL;
  GString *out;
  Writer w;
  int n_lines;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);
  g_return_val_if_fail (cid_suffix != NULL, NULL);

  if (paths == NULL)
    paths = own_paths = g_ptr_array_new_with_free_func (g_free);
  if (content_ids == NULL)
    content_ids = own_ids = g_ptr_array_new_with_free_func (g_free);
  out = g_string_new ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n</head>\n<body>\n");
  w = (Writer) { buffer, out, open, cid_suffix, paths, content_ids, NULL, NULL, -1 };
  n_lines = gtk_text_buffer_get_line_count (buffer);
  for (int line = 0; line < n_lines; line++)
    {
      GtkTextIter start, end;
      EpListKind kind = ep_buffer_html_get_list (buffer, line);
      guint indent = ep_buffer_html_get_indent (buffer, line);
      g_autofree char *style = paragraph_style (ep_buffer_html_get_align (buffer, line), indent,
                                                kind != EP_LIST_NONE);
      const char *element = kind != EP_LIST_NONE ? "li" : "p";

      line_bounds (buffer, line, &start, &end);
      if (kind == EP_LIST_NONE)
        {
          while (lists->len > 0)
            close_list_level (out, lists);
        }
      else
        enter_list (out, lists, kind, indent);
      if (kind == EP_LIST_NONE && line_is_rule (&start, &end))
        {
          g_string_append (out, "<hr>\n");
          continue;
        }
      g_string_append_printf (out, *style ? "<%s style=\"%s\">" : "<%s>", element, style);
      write_inline (&w, &start, &end);
      if (kind == EP_LIST_NONE)
        g_string_append (out, "</p>\n");
    }
  while (lists->len > 0)
    close_list_level (out, lists);
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

static void
end_link (Writer *w)
{
  g_autofree char *bare = NULL;

  if (w->link == NULL)
    return;
  bare = g_str_has_prefix (w->link, "mailto:") ? g_strdup (w->link + 7) : g_strdup (w->link);
  if (!g_str_equal (w->link_text->str, w->link) && !g_str_equal (w->link_text->str, bare))
    g_string_append_printf (w->out, " <%s>", w->link);
  w->link = NULL;
  g_string_truncate (w->link_text, 0);
}

static void
text_run (Writer            *w,
          const GtkTextIter *start,
          const GtkTextIter *end)
{
  g_autofree char *slice = gtk_text_iter_get_slice (start, end);
  int offset = gtk_text_iter_get_offset (start);
  const char *p = slice;
  const char *object;

  while ((object = strstr (p, OBJECT_CHAR)) != NULL)
    {
      GtkTextIter at;
      const char *path;

      g_string_append_len (w->out, p, object - p);
      if (w->link)
        g_string_append_len (w->link_text, p, object - p);
      offset += g_utf8_strlen (p, object - p);
      gtk_text_buffer_get_iter_at_offset (w->buffer, &at, offset);
      path = ep_buffer_html_image_at (&at);
      if (path != NULL)
        {
          g_autofree char *name = g_filename_display_basename (path);
          /* Translators: stands for an inline image in the plain-text part */
          g_string_append_printf (w->out, _("[image: %s]"), name);
        }
      offset++;
      p = object + strlen (OBJECT_CHAR);
    }
  g_string_append (w->out, p);
  if (w->link)
    g_string_append (w->link_text, p);
}

static void
text_line (Writer            *w,
           const GtkTextIter *line_start,
           const GtkTextIter *line_end)
{
  GtkTextIter iter = *line_start;

  while (gtk_text_iter_compare (&iter, line_end) < 0)
    {
      GtkTextIter next = iter;
      g_autoptr(GPtrArray) wanted = NULL;
      gboolean in_marker;
      const char *link;

      run_end (w, &iter, line_end, &next);
      wanted = wanted_elements (&iter, &in_marker, &link);
      if (g_strcmp0 (link, w->link) != 0)
        {
          end_link (w);
          w->link = link;
        }
      if (!in_marker)
        text_run (w, &iter, &next);
      iter = next;
    }
  end_link (w);
}

/**
 * ep_buffer_html_to_text:
 *
 * Returns: (transfer full): the plain-text alternative: one line per
 * paragraph, list items with “•” or their number, links as “text <url>”,
 * images as “[image: name]”
 */
char *
ep_buffer_html_to_text (GtkTextBuffer *buffer)
{
  EpListCounter counter = { { 0 } };
  g_autoptr(GString) link_text = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  Writer w = { buffer, out, NULL, NULL, NULL, NULL, NULL, link_text, -1 };
  int n_lines;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);

  n_lines = gtk_text_buffer_get_line_count (buffer);
  for (int line = 0; line < n_lines; line++)
    {
      GtkTextIter start, end;
      EpListKind kind = ep_buffer_html_get_list (buffer, line);
      guint indent = MIN (ep_buffer_html_get_indent (buffer, line), EP_BUFFER_HTML_MAX_INDENT);
      guint number = ep_list_counter_next (&counter, kind, indent);

      if (line > 0)
        g_string_append_c (out, '\n');
      line_bounds (buffer, line, &start, &end);

      if (kind == EP_LIST_NONE)
        {
          for (guint i = 0; i < indent; i++)
            g_string_append (out, "    ");
        }
      else
        {
          g_autofree char *marker = ep_buffer_html_marker_text (kind, indent, number);

          for (guint i = 0; i < indent; i++)
            g_string_append (out, "   ");
          g_string_append (out, marker);
        }
      if (kind == EP_LIST_NONE && line_is_rule (&start, &end))
        g_string_append (out, RULE_TEXT);
      else
        text_line (&w, &start, &end);
    }
  return g_string_free (out, FALSE);
}

static gboolean
check_images (GPtrArray  *paths,
              GError    **error)
{
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = paths->pdata[i];

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *name = g_filename_display_name (path);

          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       /* Translators: %s is a file name */
                       _("The inline image “%s” is no longer there"), name);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * ep_buffer_html_fill_message:
 *
 * Sets the body of @message from @buffer: plain text alone when the buffer
 * holds no formatting and no image, as a plain composer would; otherwise
 * HTML, its plain-text twin and each inline image with its own Content-ID.
 * Fails when an image file has gone.
 */
gboolean
ep_buffer_html_fill_message (GtkTextBuffer  *buffer,
                             EpMessage      *message,
                             GError        **error)
{
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) content_ids = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  const EpAddress *from;
  const char *domain;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), FALSE);
  g_return_val_if_fail (EP_IS_MESSAGE (message), FALSE);

  text = ep_buffer_html_to_text (buffer);
  if (!ep_buffer_html_has_formatting (buffer))
    {
      ep_message_set_html (message, NULL);
      ep_message_set_text (message, text);
      return TRUE;
    }
  from = ep_message_get_from (message);
  uuid = g_uuid_string_random ();
  domain = from ? ep_address_get_domain (from) : NULL;
  /* A Content-ID is ASCII: an internationalised domain gives way to a placeholder. */
  if (domain == NULL || !g_str_is_ascii (domain) || *domain == '\0')
    domain = "epistle.invalid";
  suffix = g_strdup_printf ("%s@%s", uuid, domain);
  paths = g_ptr_array_new_with_free_func (g_free);
  content_ids = g_ptr_array_new_with_free_func (g_free);
  html = ep_buffer_html_to_html (buffer, suffix, paths, content_ids);
  if (!check_images (paths, error))
    return FALSE;
  ep_message_set_html (message, html);
  ep_message_set_text (message, text);
  for (guint i = 0; i < paths->len; i++)
    ep_message_add_inline_image (message, paths->pdata[i], content_ids->pdata[i]);
  return TRUE;
}
