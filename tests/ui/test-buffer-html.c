/* test-buffer-html.c — the buffer ⇄ HTML bridge against golden files in tests/data/html
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case builds a buffer the way the editor would, and compares its HTML
 * and plain text with NAME.html and NAME.txt. EPISTLE_UPDATE_GOLDEN=1 writes
 * the files instead (then read every one before committing it). Each golden
 * HTML file is also read back and written again, and must come out the same.
 */
#include <string.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-buffer-html.h"
#include "ep-mime.h"

#define CID_SUFFIX "test@epistle.invalid"

/* A private folder for this run's image files, made once in main (). */
static char *test_dir;

typedef void (*BuildFunc) (GtkTextBuffer *buffer);

typedef struct
{
  const char *name;
  BuildFunc build;
} Case;

/* Appends @text carrying the tags named in the NULL-terminated list. */
static void
append (GtkTextBuffer *buffer,
        const char    *text,
        ...)
{
  GtkTextIter end, start;
  int offset;
  va_list args;
  const char *name;

  gtk_text_buffer_get_end_iter (buffer, &end);
  offset = gtk_text_iter_get_offset (&end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
  gtk_text_buffer_get_end_iter (buffer, &end);
  va_start (args, text);
  while ((name = va_arg (args, const char *)) != NULL)
    gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, name), &start, &end);
  va_end (args);
}

static void
append_with_tag (GtkTextBuffer *buffer,
                 const char    *text,
                 GtkTextTag    *tag)
{
  GtkTextIter end, start;
  int offset;

  gtk_text_buffer_get_end_iter (buffer, &end);
  offset = gtk_text_iter_get_offset (&end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
}

static void
build_empty (GtkTextBuffer *buffer)
{
}

static void
build_plain (GtkTextBuffer *buffer)
{
  append (buffer, "Hello Bob,\n\nTwo  spaces, a\ttab and a trailing space \nBye.", NULL);
}

static void
build_each_style (GtkTextBuffer *buffer)
{
  append (buffer, "a ", NULL);
  append (buffer, "bold", "bold", NULL);
  append (buffer, " b ", NULL);
  append (buffer, "italic", "italic", NULL);
  append (buffer, " c ", NULL);
  append (buffer, "underline", "underline", NULL);
  append (buffer, " d ", NULL);
  append (buffer, "strike", "strikethrough", NULL);
  append (buffer, " e", NULL);
}

static void
build_nested (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  append (buffer, "one two three four", NULL);
  /* bold over “one two three”, italic over “two three four”: overlapping, not nested */
  gtk_text_buffer_get_iter_at_offset (buffer, &start, 0);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, 13);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, "bold"), &start, &end);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, 4);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, "italic"), &start, &end);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, 8);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, 13);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, "underline"), &start, &end);
  append (buffer, "\n", NULL);
  append (buffer, "all four", "bold", "italic", "underline", "strikethrough", NULL);
}

static void
build_fonts_sizes_colours (GtkTextBuffer *buffer)
{
  GdkRGBA red = { 0.8, 0.0, 0.0, 1.0 };
  GdkRGBA yellow = { 1.0, 0.9, 0.2, 1.0 };
  GtkTextIter start, end;

  append_with_tag (buffer, "serif", ep_buffer_html_get_font_tag (buffer, "serif"));
  append (buffer, " ", NULL);
  append_with_tag (buffer, "mono", ep_buffer_html_get_font_tag (buffer, "mono"));
  append (buffer, " ", NULL);
  append_with_tag (buffer, "small", ep_buffer_html_get_size_tag (buffer, EP_SIZE_SMALL));
  append (buffer, " ", NULL);
  append_with_tag (buffer, "large", ep_buffer_html_get_size_tag (buffer, EP_SIZE_LARGE));
  append (buffer, " ", NULL);
  append_with_tag (buffer, "huge", ep_buffer_html_get_size_tag (buffer, EP_SIZE_HUGE));
  append (buffer, "\n", NULL);
  append_with_tag (buffer, "red", ep_buffer_html_get_color_tag (buffer, FALSE, &red));
  append (buffer, " ", NULL);
  append_with_tag (buffer, "highlighted", ep_buffer_html_get_color_tag (buffer, TRUE, &yellow));
  append (buffer, " ", NULL);
  append_with_tag (buffer, "red bold on yellow", ep_buffer_html_get_color_tag (buffer, FALSE, &red));
  gtk_text_buffer_get_iter_at_line_offset (buffer, &start, 1, 16);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_color_tag (buffer, TRUE, &yellow), &start, &end);
  gtk_text_buffer_get_iter_at_line_offset (buffer, &start, 1, 20);
  gtk_text_buffer_get_iter_at_line_offset (buffer, &end, 1, 24);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, "bold"), &start, &end);
}

static void
build_alignment (GtkTextBuffer *buffer)
{
  append (buffer, "left\ncentre\nright\n\nleft again", NULL);
  ep_buffer_html_set_align (buffer, 1, 1, EP_ALIGN_CENTER);
  ep_buffer_html_set_align (buffer, 2, 2, EP_ALIGN_RIGHT);
}

static void
build_lists (GtkTextBuffer *buffer)
{
  append (buffer, "Points:\napples\npears\nfigs\nSteps:\nfirst\nsecond\nthird\nEnd", NULL);
  ep_buffer_html_set_list (buffer, 1, 3, EP_LIST_BULLET);
  ep_buffer_html_set_list (buffer, 5, 7, EP_LIST_NUMBER);
}

static void
build_nested_lists (GtkTextBuffer *buffer)
{
  append (buffer, "one\none.a\none.b\ntwo\ntwo.1\nthree", NULL);
  ep_buffer_html_set_list (buffer, 0, 5, EP_LIST_NUMBER);
  ep_buffer_html_set_list (buffer, 4, 4, EP_LIST_NUMBER);
  ep_buffer_html_set_list (buffer, 1, 2, EP_LIST_BULLET);
  ep_buffer_html_change_indent (buffer, 1, 2, 1);
  ep_buffer_html_change_indent (buffer, 4, 4, 1);
}

/* A numbered list right after a bulleted one starts again at 1. */
static void
build_list_switch (GtkTextBuffer *buffer)
{
  append (buffer, "a\nb\nc\nd", NULL);
  ep_buffer_html_set_list (buffer, 0, 1, EP_LIST_BULLET);
  ep_buffer_html_set_list (buffer, 2, 3, EP_LIST_NUMBER);
}

static void
build_indent (GtkTextBuffer *buffer)
{
  append (buffer, "flush\nindented once\nindented twice", NULL);
  ep_buffer_html_change_indent (buffer, 1, 2, 1);
  ep_buffer_html_change_indent (buffer, 2, 2, 1);
}

static void
build_links (GtkTextBuffer *buffer)
{
  append (buffer, "See ", NULL);
  append_with_tag (buffer, "the site", ep_buffer_html_get_link_tag (buffer, "https://example.com/a?b=1&c=\"2\"", NULL));
  append (buffer, " or write to ", NULL);
  append_with_tag (buffer, "bob@example.com", ep_buffer_html_get_link_tag (buffer, "mailto:bob@example.com", NULL));
  append (buffer, " or visit ", NULL);
  append_with_tag (buffer, "https://gnome.org", ep_buffer_html_get_link_tag (buffer, "https://gnome.org", NULL));
  append (buffer, ".", NULL);
}

static void
build_chinese (GtkTextBuffer *buffer)
{
  append (buffer, "你好，", NULL);
  append (buffer, "世界", "bold", NULL);
  append (buffer, "！\n这是一封测试邮件。", NULL);
  ep_buffer_html_set_align (buffer, 1, 1, EP_ALIGN_CENTER);
}

static void
build_escaping (GtkTextBuffer *buffer)
{
  append (buffer, "<script>alert(\"x\")</script> & 'y' <b>not bold</b> &amp;", NULL);
  append (buffer, "\n", NULL);
  append (buffer, "<i>", "italic", NULL);
}

static void
build_rule (GtkTextBuffer *buffer)
{
  GtkTextIter end;

  append (buffer, "above", NULL);
  gtk_text_buffer_get_end_iter (buffer, &end);
  ep_buffer_html_insert_rule (buffer, &end);
  append (buffer, "below", NULL);
}

static char *
write_png (const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 3);
  char *path = g_build_filename (test_dir, name, NULL);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return path;
}

static void
insert_image (GtkTextBuffer *buffer,
              const char    *path)
{
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, NULL);
  GtkTextIter end;

  g_assert_nonnull (texture);
  gtk_text_buffer_get_end_iter (buffer, &end);
  ep_buffer_html_insert_image (buffer, &end, GDK_PAINTABLE (texture), path);
}

static void
build_image (GtkTextBuffer *buffer)
{
  g_autofree char *logo = write_png ("epistle-logo.png");
  g_autofree char *odd = write_png ("a \"quoted\" <name>.png");

  append (buffer, "Our logo: ", NULL);
  insert_image (buffer, logo);
  append (buffer, " and again ", NULL);
  insert_image (buffer, logo);
  append (buffer, "\n", NULL);
  insert_image (buffer, odd);
  ep_buffer_html_set_align (buffer, 1, 1, EP_ALIGN_CENTER);
}

static const Case cases[] = {
  { "empty", build_empty },
  { "plain", build_plain },
  { "each-style", build_each_style },
  { "nested", build_nested },
  { "fonts-sizes-colours", build_fonts_sizes_colours },
  { "alignment", build_alignment },
  { "lists", build_lists },
  { "nested-lists", build_nested_lists },
  { "list-switch", build_list_switch },
  { "indent", build_indent },
  { "links", build_links },
  { "chinese", build_chinese },
  { "escaping", build_escaping },
  { "rule", build_rule },
  { "image", build_image },
};

static char *
golden_path (const char *name,
             const char *extension)
{
  g_autofree char *file = g_strconcat (name, extension, NULL);
  const char *data = g_getenv ("EPISTLE_TEST_DATA");

  g_assert_nonnull (data);
  return g_build_filename (data, "html", file, NULL);
}

static void
compare_golden (const char *name,
                const char *extension,
                const char *actual)
{
  g_autofree char *path = golden_path (name, extension);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("EPISTLE_UPDATE_GOLDEN") != NULL)
    {
      g_assert_true (g_file_set_contents (path, actual, -1, &error));
      return;
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);
}

static GtkTextBuffer *
buffer_from_html_with (const char *html,
                       GHashTable *content_ids)
{
  GtkTextBuffer *buffer = gtk_text_buffer_new (NULL);
  g_autoptr(GError) error = NULL;
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  g_assert_true (ep_buffer_html_insert_html (buffer, &end, html, -1, test_dir, content_ids, &error));
  g_assert_no_error (error);
  return buffer;
}

static GtkTextBuffer *
buffer_from_html (const char *html)
{
  return buffer_from_html_with (html, NULL);
}

static void
test_golden (gconstpointer data)
{
  const Case *row = data;
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  g_autoptr(GtkTextBuffer) again = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html2 = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) content_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) files = g_hash_table_new (g_str_hash, g_str_equal);

  row->build (buffer);
  html = ep_buffer_html_to_html (buffer, CID_SUFFIX, paths, content_ids);
  text = ep_buffer_html_to_text (buffer);
  compare_golden (row->name, ".html", html);
  compare_golden (row->name, ".txt", text);

  /* buffer → HTML → buffer: the same text, formatting and images */
  for (guint i = 0; i < paths->len; i++)
    g_hash_table_insert (files, content_ids->pdata[i], paths->pdata[i]);
  again = buffer_from_html_with (html, files);
  html2 = ep_buffer_html_to_html (again, CID_SUFFIX, NULL, NULL);
  text2 = ep_buffer_html_to_text (again);
  g_assert_cmpstr (text2, ==, text);
  g_assert_cmpstr (html2, ==, html);
}

static void
test_plain_has_no_formatting (void)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  GtkTextIter start, end;

  build_plain (buffer);
  g_assert_false (ep_buffer_html_has_formatting (buffer));
  /* A format applied then removed leaves none. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, "bold"), &start, &end);
  g_assert_true (ep_buffer_html_has_formatting (buffer));
  gtk_text_buffer_remove_all_tags (buffer, &start, &end);
  g_assert_false (ep_buffer_html_has_formatting (buffer));
  /* Tags that are not formats (a search highlight) do not count. */
  gtk_text_buffer_apply_tag (buffer, gtk_text_buffer_create_tag (buffer, NULL, "background", "yellow",
                                                                 NULL), &start, &end);
  g_assert_false (ep_buffer_html_has_formatting (buffer));
}

static void
test_fill_plain (void)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(GError) error = NULL;

  build_plain (buffer);
  g_assert_true (ep_buffer_html_fill_message (buffer, message, &error));
  g_assert_no_error (error);
  g_assert_null (ep_message_get_html (message));
  g_assert_cmpstr (ep_message_get_text (message), ==,
                   "Hello Bob,\n\nTwo  spaces, a\ttab and a trailing space \nBye.");
  g_assert_cmpuint (ep_message_get_n_inline_images (message), ==, 0);
}

static void
test_fill_images (void)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("Ann <ann@example.com>", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *logo = NULL;
  const char *html;
  const char *cid;
  const char *path;

  build_image (buffer);
  ep_message_set_from (message, from);
  g_assert_true (ep_buffer_html_fill_message (buffer, message, &error));
  g_assert_no_error (error);
  html = ep_message_get_html (message);
  g_assert_nonnull (html);
  g_assert_cmpstr (ep_message_get_text (message), ==,
                   "Our logo: [image: epistle-logo.png] and again [image: epistle-logo.png]\n"
                   "[image: a \"quoted\" <name>.png]");
  /* The same file shown twice is one part; each Content-ID is in the HTML. */
  g_assert_cmpuint (ep_message_get_n_inline_images (message), ==, 2);
  logo = g_build_filename (test_dir, "epistle-logo.png", NULL);
  path = ep_message_get_inline_image (message, 0, &cid);
  g_assert_cmpstr (path, ==, logo);
  g_assert_true (g_str_has_prefix (cid, "image1."));
  g_assert_true (g_str_has_suffix (cid, "@example.com"));
  {
    g_autofree char *ref = g_strdup_printf ("src=\"cid:%s\"", cid);
    g_assert_nonnull (strstr (html, ref));
    g_assert_nonnull (strstr (strstr (html, ref) + 1, ref));
  }
  path = ep_message_get_inline_image (message, 1, &cid);
  g_assert_true (g_str_has_suffix (path, "a \"quoted\" <name>.png"));
  g_assert_true (g_str_has_prefix (cid, "image2."));

  /* A file gone before sending is an error naming it; the message is left alone. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  {
    g_autoptr(EpMessage) other = ep_message_new ();
    g_assert_false (ep_buffer_html_fill_message (buffer, other, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_assert_nonnull (strstr (error->message, "quoted"));
    g_assert_null (ep_message_get_html (other));
  }
}

static void
collect_part (GMimeObject *parent,
              GMimeObject *part,
              gpointer     parts)
{
  if (GMIME_IS_PART (part))
    g_ptr_array_add (parts, part);
}

static GBytes *
decoded_content (GMimePart *part)
{
  g_autoptr(GMimeStream) out = g_mime_stream_mem_new ();
  GByteArray *array;

  g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (part), out);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  return g_bytes_new (array->data, array->len);
}

/* What the window sends, written out and parsed back as a reader would:
 * multipart/alternative ⊃ multipart/related, the HTML keeps its formats,
 * every cid: resolves to an image part with the file's exact bytes, and the
 * plain part reads as the buffer does. */
static void
test_fill_builds_mime (void)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("ann@example.com", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("bob@example.com", NULL);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  guint n_images = 0;

  build_image (buffer);
  build_chinese (buffer);
  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  g_assert_true (ep_buffer_html_fill_message (buffer, message, &error));
  ep_mime_init ();
  mime = ep_mime_build (message, &error);
  g_assert_no_error (error);
  stream = g_mime_stream_mem_new ();
  g_assert_true (ep_mime_write (mime, stream, &error));
  g_mime_stream_seek (stream, 0, GMIME_STREAM_SEEK_SET);
  parser = g_mime_parser_new_with_stream (stream);
  parsed = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (parsed);
  g_assert_true (GMIME_IS_MULTIPART (g_mime_message_get_mime_part (parsed)));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_message_get_mime_part (parsed)),
                                             "multipart", "alternative"));
  g_mime_message_foreach (parsed, collect_part, parts);
  for (guint i = 0; i < parts->len; i++)
    {
      GMimeObject *part = parts->pdata[i];
      GMimeContentType *type = g_mime_object_get_content_type (part);

      if (g_mime_content_type_is_type (type, "text", "html"))
        html = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
      else if (g_mime_content_type_is_type (type, "text", "plain"))
        text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
      else if (g_mime_content_type_is_type (type, "image", "png"))
        {
          const char *cid = g_mime_object_get_content_id (part);
          const char *path = NULL;
          g_autoptr(GBytes) sent = decoded_content (GMIME_PART (part));
          g_autoptr(GMappedFile) file = NULL;
          g_autoptr(GBytes) original = NULL;

          for (guint j = 0; j < ep_message_get_n_inline_images (message); j++)
            {
              const char *id;
              const char *candidate = ep_message_get_inline_image (message, j, &id);
              if (g_strcmp0 (id, cid) == 0)
                path = candidate;
            }
          g_assert_nonnull (path);
          file = g_mapped_file_new (path, FALSE, NULL);
          original = g_mapped_file_get_bytes (file);
          g_assert_true (g_bytes_equal (sent, original));
          n_images++;
        }
    }
  g_assert_cmpuint (n_images, ==, 2);
  g_assert_nonnull (html);
  g_assert_nonnull (strstr (html, "你好，<b>世界</b>！"));
  for (guint j = 0; j < ep_message_get_n_inline_images (message); j++)
    {
      const char *id;
      g_autofree char *ref = NULL;

      ep_message_get_inline_image (message, j, &id);
      ref = g_strdup_printf ("src=\"cid:%s\"", id);
      g_assert_nonnull (strstr (html, ref));
    }
  g_assert_nonnull (text);
  /* On the wire lines end in CRLF; the text is otherwise exactly the buffer's. */
  {
    g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
    g_free (text);
    text = g_strjoinv ("\n", lines);
  }
  g_assert_cmpstr (text, ==, "Our logo: [image: epistle-logo.png] and again [image: epistle-logo.png]\n"
                   "[image: a \"quoted\" <name>.png]你好，世界！\n这是一封测试邮件。");
}

static void
test_link_refuses_script (void)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  static const char * const bad[] = { "javascript:alert(1)", "data:text/html,<b>", "vbscript:x",
                                      "no scheme", "https://a b" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (ep_buffer_html_get_link_tag (buffer, bad[i], &error));
      g_assert_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME);
    }
}

static void
test_big_paste (void)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  GString *big = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *body = NULL;
  gint64 started;
  GtkTextIter start, end;

  while (big->len < 1024 * 1024)
    g_string_append (big, "Lorem ipsum dolor sit amet, <consectetur> & adipiscing elit.\n");
  gtk_text_buffer_set_text (buffer, big->str, big->len);
  started = g_get_monotonic_time ();
  text = ep_buffer_html_to_text (buffer);
  g_assert_cmpstr (text, ==, big->str);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, "bold"), &start, &end);
  html = ep_buffer_html_to_html (buffer, CID_SUFFIX, NULL, NULL);
  g_test_message ("1 MB: text and HTML in %.0f ms",
                  (g_get_monotonic_time () - started) / 1000.);
  g_assert_null (strstr (html, "<consectetur>"));
  g_assert_nonnull (strstr (html, "<p style=\"margin:0\"><b>Lorem ipsum dolor sit amet, &lt;consectetur&gt; &amp; adipiscing elit.</b></p>\n"));
  g_string_free (big, TRUE);
}

static void
test_hostile (void)
{
  GString *html = g_string_new ("<html><head><script>alert(1)</script><style>p{}</style></head>"
                                "<body onload=\"alert(2)\"><p>safe</p>"
                                "<img src=\"x\" onerror=\"alert(3)\">"
                                "<img src=\"https://tracker.example/pixel.gif\" alt=\"\">"
                                "<a href=\"javascript:alert(4)\">click</a>"
                                "<iframe src=\"https://evil.example\">frame text</iframe>"
                                "<p>unclosed <b>bold <i>both");
  g_autoptr(GtkTextBuffer) buffer = NULL;
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  gint64 started;

  for (int i = 0; i < 10000; i++)
    g_string_append (html, "<b>");
  g_string_append (html, "deep");
  started = g_get_monotonic_time ();
  buffer = buffer_from_html (html->str);
  out = ep_buffer_html_to_html (buffer, CID_SUFFIX, NULL, NULL);
  text = ep_buffer_html_to_text (buffer);
  g_test_message ("hostile document read in %.0f ms", (g_get_monotonic_time () - started) / 1000.);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  g_assert_null (strstr (out, "alert"));
  g_assert_null (strstr (out, "script"));
  g_assert_null (strstr (out, "<img"));
  g_assert_null (strstr (out, "http"));
  g_assert_null (strstr (out, "iframe"));
  /* libxml2 stops reading at 256 nested elements (“Excessive depth”): the
   * text up to there is kept, formatted; what lies deeper is dropped. */
  g_assert_cmpstr (text, ==, "safe\nclick\nunclosed bold both");
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "<p style=\"margin:0\">unclosed <b>bold <i>both</i></b></p>"));
  g_string_free (html, TRUE);
}

static void
test_import (void)
{
  g_autofree char *logo = write_png ("epistle-import.png");
  g_autoptr(GtkTextBuffer) buffer = buffer_from_html (
    "<!DOCTYPE html><html><body>\n"
    "<h1>Title</h1>\n"
    "<div align=\"center\"><font color=\"red\" face=\"Courier New\" size=\"5\">old</font></div>\n"
    "<p style=\"text-align: right; margin-left: 40px\">  spaced   out\n text </p>\n"
    "<p><strong>strong</strong> <em>em</em> <del>del</del> <ins>ins</ins> "
    "<span style=\"color:#00ff00;background-color:rgb(0,0,255);font-weight:700\">span</span></p>\n"
    "<ol><li>one<ul><li>inner</li></ul></li><li>two</li></ol>\n"
    "<p>a&nbsp;&nbsp;b<br>c <img src=\"epistle-import.png\" alt=\"logo\"> d</p>\n"
    "<pre>line 1\nline  2</pre>\n"
    "</body></html>");
  g_autofree char *text = ep_buffer_html_to_text (buffer);
  g_autofree char *html = ep_buffer_html_to_html (buffer, CID_SUFFIX, NULL, NULL);

  compare_golden ("import", ".txt", text);
  compare_golden ("import", ".html", html);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  test_dir = g_dir_make_tmp ("epistle-html-XXXXXX", NULL);
  g_assert_nonnull (test_dir);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/buffer-html/golden/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_golden);
    }
  g_test_add_func ("/buffer-html/plain-has-no-formatting", test_plain_has_no_formatting);
  g_test_add_func ("/buffer-html/fill/plain", test_fill_plain);
  g_test_add_func ("/buffer-html/fill/images", test_fill_images);
  g_test_add_func ("/buffer-html/fill/mime", test_fill_builds_mime);
  g_test_add_func ("/buffer-html/link-refuses-script", test_link_refuses_script);
  g_test_add_func ("/buffer-html/big-paste", test_big_paste);
  g_test_add_func ("/buffer-html/import/hostile", test_hostile);
  g_test_add_func ("/buffer-html/import/formats", test_import);
  status = g_test_run ();
  command = g_strdup_printf ("rm -rf '%s'", test_dir);
  g_assert_cmpint (system (command), ==, 0);
  g_free (test_dir);
  return status;
}
