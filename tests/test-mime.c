/* test-mime.c — message structure, encoded headers, streaming and sizes
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every built message is written out, parsed back with GMime's own parser
 * and compared with what went in.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ep-locale.h"
#include "ep-mime.h"
#include "ep-test-utils.h"
#include "ep-wire-stream.h"

typedef struct
{
  char *dir;
  EpMessage *message;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddress) from = ep_address_parse ("张三 <zhang@example.com>", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("\"Doe, Jane\" <jane@example.com>", NULL);
  g_autoptr(EpAddressList) bcc = ep_address_list_parse ("hidden@example.com", NULL);

  f->dir = g_dir_make_tmp ("test-mime-XXXXXX", &error);
  g_assert_no_error (error);
  f->message = ep_message_new ();
  ep_message_set_from (f->message, from);
  ep_message_add_recipients (f->message, EP_RECIPIENT_TO, to);
  ep_message_add_recipients (f->message, EP_RECIPIENT_BCC, bcc);
  ep_message_set_subject (f->message, "季度报告 — quarterly report");
  ep_message_set_text (f->message, "你好，\n.\nFrom the team\n");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_object_unref (f->message);
}

/* Builds, writes and parses back; checks size and wire form on the way. */
static GMimeMessage *
round_trip (EpMessage  *message,
            GBytes    **raw_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) mime = ep_mime_build (message, &error);
  g_autoptr(GMimeStream) mem = NULL;
  GByteArray *array;
  gint64 size;

  g_assert_no_error (error);
  size = ep_mime_measure (mime, &error);
  g_assert_no_error (error);

  mem = g_mime_stream_mem_new ();
  g_assert_true (ep_mime_write (mime, mem, &error));
  g_assert_no_error (error);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  g_assert_cmpint (size, ==, (gint64) array->len);

  /* CRLF everywhere, and no line over 998 octets. */
  for (guint i = 0, start = 0; i < array->len; i++)
    {
      if (array->data[i] == '\n')
        {
          g_assert_true (i > 0 && array->data[i - 1] == '\r');
          g_assert_cmpuint (i - 1 - start, <=, 998);
          start = i + 1;
        }
    }

  if (raw_out != NULL)
    *raw_out = g_bytes_new (array->data, array->len);
  return ep_test_parse_message ((const char *) array->data, array->len);
}

static char *
header (GMimeMessage *mime,
        const char   *name)
{
  const char *value = g_mime_object_get_header (GMIME_OBJECT (mime), name);
  return value ? g_strdup (value) : NULL;
}

static void
test_plain (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMimeMessage) back = round_trip (f->message, &raw);
  GMimeObject *body = g_mime_message_get_mime_part (back);
  g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (body));
  g_autofree char *bcc = header (back, "Bcc");
  InternetAddressList *from = g_mime_message_get_from (back);
  InternetAddressList *to = g_mime_message_get_to (back);

  g_assert_true (GMIME_IS_TEXT_PART (body));
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (body, "charset"), ==, "utf-8");
  g_assert_cmpstr (text, ==, "你好，\r\n.\r\nFrom the team\r\n");
  g_assert_cmpstr (g_mime_message_get_subject (back), ==, "季度报告 — quarterly report");
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (from, 0)), ==, "张三");
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 0)), ==, "Doe, Jane");
  g_assert_null (bcc);
  g_assert_null (memmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "hidden@", 7));
  g_assert_nonnull (g_mime_message_get_date (back));
  g_assert_nonnull (g_mime_message_get_message_id (back));
  g_assert_nonnull (g_mime_object_get_header (GMIME_OBJECT (back), "MIME-Version"));
  /* The subject is RFC 2047-encoded on the wire, never raw UTF-8. */
  g_assert_null (memmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "季度", strlen ("季度")));
}

static void
test_html_only (Fixture *f, gconstpointer data)
{
  g_autoptr(GMimeMessage) back = NULL;
  GMimeObject *body, *plain;
  g_autofree char *text = NULL;

  ep_message_set_text (f->message, NULL);
  ep_message_set_html (f->message, "<p>Hello&nbsp;<b>world</b></p><p>Second &amp; last</p>");
  back = round_trip (f->message, NULL);
  body = g_mime_message_get_mime_part (back);
  g_assert_true (GMIME_IS_MULTIPART (body));
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (body)), ==, "alternative");
  plain = g_mime_multipart_get_part (GMIME_MULTIPART (body), 0);
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (plain));
  g_assert_cmpstr (text, ==, "Hello world\r\nSecond & last\r\n");
  g_assert_true (ep_test_find_part (body, "text/html", 0) != NULL);
}

static char *
make_binary (Fixture *f, const char *name, gsize size)
{
  g_autofree guchar *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guchar) (i * 7 + (i >> 8));
  data[0] = 0;
  return ep_test_write_file (f->dir, name, data, size);
}

static void
test_inline_images (Fixture *f, gconstpointer data)
{
  g_autofree char *one = make_binary (f, "one.png", 3000);
  g_autofree char *two = make_binary (f, "two.jpg", 5000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) back = NULL;
  GMimeObject *body, *related, *html, *image;
  g_autofree char *html_text = NULL;

  ep_message_set_html (f->message, "<p><img src=\"cid:one.png\"> and <img src=\"cid:two.jpg\"></p>");
  g_assert_true (ep_message_add_inline_image_for_html (f->message, one, &error));
  g_assert_true (ep_message_add_inline_image_for_html (f->message, two, &error));
  g_assert_no_error (error);

  back = round_trip (f->message, NULL);
  body = g_mime_message_get_mime_part (back);
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (body)), ==, "alternative");
  related = g_mime_multipart_get_part (GMIME_MULTIPART (body), 1);
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (related)), ==, "related");
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (related, "type"), ==, "text/html");
  html = g_mime_multipart_get_part (GMIME_MULTIPART (related), 0);
  html_text = g_mime_text_part_get_text (GMIME_TEXT_PART (html));

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *needle = NULL;
      g_autofree char *original = NULL;
      g_autoptr(GBytes) content = NULL;
      gsize len;

      image = g_mime_multipart_get_part (GMIME_MULTIPART (related), i + 1);
      needle = g_strdup_printf ("cid:%s", g_mime_object_get_content_id (image));
      g_assert_nonnull (strstr (html_text, needle));
      g_assert_cmpstr (g_mime_content_disposition_get_disposition (g_mime_object_get_content_disposition (image)), ==, "inline");
      content = ep_test_part_content (image);
      g_file_get_contents (i == 0 ? one : two, &original, &len, NULL);
      g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), original, len);
    }
  g_assert_true (ep_test_part_is (g_mime_multipart_get_part (GMIME_MULTIPART (related), 1), "image/png"));
}

static void
test_attachments (Fixture *f, gconstpointer data)
{
  const char dots[] = ".\nFrom here\n..\n. \nend\n";
  g_autofree char *bin = make_binary (f, "data.bin", 70000);
  g_autofree char *txt = ep_test_write_file (f->dir, "dots.txt", dots, strlen (dots));
  g_autofree char *cjk = ep_test_write_file (f->dir, "中文附件名称很长很长很长很长很长很长很长的报告.pdf", "%PDF-1.4\n", 9);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMimeMessage) back = NULL;
  GMimeObject *body;
  const char *raw_text;

  ep_message_add_attachment (f->message, bin);
  ep_message_add_attachment (f->message, txt);
  ep_message_add_attachment (f->message, cjk);
  back = round_trip (f->message, &raw);
  body = g_mime_message_get_mime_part (back);
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (body)), ==, "mixed");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 4);
  g_assert_true (GMIME_IS_TEXT_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0)));

  for (guint i = 0; i < 3; i++)
    {
      GMimeObject *part = g_mime_multipart_get_part (GMIME_MULTIPART (body), i + 1);
      const char *path = i == 0 ? bin : i == 1 ? txt : cjk;
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *original = NULL;
      g_autoptr(GBytes) content = ep_test_part_content (part);
      gsize len;

      g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, base);
      g_assert_true (g_mime_part_is_attachment (GMIME_PART (part)));
      g_file_get_contents (path, &original, &len, NULL);
      /* Files are bytes, text files too: the LF line ends of dots.txt stay LF. */
      g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), original, len);
    }

  /* Both encodings of the Chinese name: RFC 2047 name= and RFC 2231 filename*. */
  raw_text = g_bytes_get_data (raw, NULL);
  g_assert_nonnull (g_strstr_len (raw_text, g_bytes_get_size (raw), "name=\"=?UTF-8?"));
  g_assert_nonnull (g_strstr_len (raw_text, g_bytes_get_size (raw), "filename*0*=UTF-8''"));
  g_assert_true (ep_test_part_is (g_mime_multipart_get_part (GMIME_MULTIPART (body), 3), "application/pdf"));
}

/* Every attachment decodes to exactly the bytes on disk, whatever its line ends. */
static void
test_attachment_bytes (Fixture *f, gconstpointer data)
{
#define BYTES(literal) literal, sizeof (literal) - 1
  static const struct { const char *name; const char *bytes; gsize len; } files[] = {
    { "lf.txt", BYTES ("one\ntwo\n\nthree\n") },
    { "cr.txt", BYTES ("one\rtwo\r\rthree\r") },
    { "mixed.txt", BYTES ("crlf\r\nlf\ncr\rend") },
    { "crlf.txt", BYTES ("already\r\ncanonical\r\n") },
    { "script.sh", BYTES ("#!/bin/sh\nset -e\necho \"ok\" # trailing space \nexit 0\n") },
    { "no-newline.txt", BYTES ("last line without end") },
    { "dots.csv", BYTES (".\n..\nFrom x\n.\r\n") },
    { "tab\ttrail.txt", BYTES ("a\t\nb \n") },
  };
#undef BYTES
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMimeMessage) back = NULL;
  GMimeObject *body;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = NULL;

      g_assert_cmpuint (strlen (files[i].bytes), ==, files[i].len);
      path = ep_test_write_file (f->dir, files[i].name, files[i].bytes, files[i].len);
      ep_message_add_attachment (f->message, path);
    }
  back = round_trip (f->message, &raw);
  body = g_mime_message_get_mime_part (back);
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, G_N_ELEMENTS (files) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GMimeObject *part = g_mime_multipart_get_part (GMIME_MULTIPART (body), i + 1);
      g_autoptr(GBytes) content = ep_test_part_content (part);

      g_test_message ("%s", files[i].name);
      g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), files[i].bytes, files[i].len);
      g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==, GMIME_CONTENT_ENCODING_BASE64);
    }
}

/* A file name is not a header: CR, LF and other controls in it must not end or add headers. */
static void
test_filename_injection (Fixture *f, gconstpointer data)
{
  const char *evil = "x\r\n\r\ninjected body.txt";
  const char *evil_image = "pic\r\nX-Injected: yes\x01\x7f.png";
  g_autofree char *attachment = ep_test_write_file (f->dir, evil, "attached\n", 9);
  g_autofree char *image = make_binary (f, evil_image, 100);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMimeMessage) back = NULL;
  GMimeObject *body, *part, *inline_part;
  g_autoptr(GBytes) content = NULL;
  const char *raw_text;
  gsize raw_len;

  ep_message_set_html (f->message, "<p><img src=\"cid:pic@example.com\"></p>");
  ep_message_add_inline_image (f->message, image, "pic@example.com");
  ep_message_add_attachment (f->message, attachment);
  back = round_trip (f->message, &raw);
  raw_text = g_bytes_get_data (raw, &raw_len);

  /* mixed ⊃ (alternative ⊃ (plain, related ⊃ (html, image)), attachment): nothing more. */
  body = g_mime_message_get_mime_part (back);
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  part = g_mime_multipart_get_part (GMIME_MULTIPART (body), 1);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "x____injected body.txt");
  content = ep_test_part_content (part);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), "attached\n", 9);
  inline_part = ep_test_find_part (body, "image/png", 0);
  g_assert_nonnull (inline_part);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (inline_part)), ==, "pic__X-Injected: yes__.png");
  g_assert_cmpstr (g_mime_object_get_content_id (inline_part), ==, "pic@example.com");
  g_assert_null (g_mime_object_get_header (inline_part, "X-Injected"));
  g_assert_null (g_strstr_len (raw_text, raw_len, "\r\nX-Injected"));
  g_assert_null (g_strstr_len (raw_text, raw_len, "\r\ninjected body"));
}

static void
test_content_id_injection (Fixture *f, gconstpointer data)
{
  static const char * const bad[] = { "a\r\nBcc: evil@example.com", "two words", "<x@y>", "" };
  g_autofree char *image = make_binary (f, "pic.png", 100);

  ep_message_set_html (f->message, "<p>picture</p>");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EpMessage) copy = ep_message_copy (f->message);
      g_autoptr(GError) error = NULL;
      g_autoptr(GMimeMessage) built = NULL;

      ep_message_add_inline_image (copy, image, bad[i]);
      built = ep_mime_build (copy, &error);
      g_assert_null (built);
      g_assert_error (error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER);
      g_assert_nonnull (strstr (error->message, "pic.png"));
    }
}

static void
test_everything (Fixture *f, gconstpointer data)
{
  g_autofree char *img = make_binary (f, "pic.png", 1000);
  g_autofree char *bin = make_binary (f, "x.bin", 100);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) back = NULL;
  GMimeObject *mixed, *alternative, *related;

  ep_message_set_html (f->message, "<img src=\"cid:pic.png\">");
  g_assert_true (ep_message_add_inline_image_for_html (f->message, img, &error));
  ep_message_add_attachment (f->message, bin);
  back = round_trip (f->message, NULL);

  mixed = g_mime_message_get_mime_part (back);
  alternative = g_mime_multipart_get_part (GMIME_MULTIPART (mixed), 0);
  related = g_mime_multipart_get_part (GMIME_MULTIPART (alternative), 1);
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (mixed)), ==, "mixed");
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (alternative)), ==, "alternative");
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (related)), ==, "related");
}

static void
test_long_lines (Fixture *f, gconstpointer data)
{
  g_autofree char *line = g_strnfill (5000, 'x');
  g_autofree char *html = g_strdup_printf ("<p>%s</p>", line);
  g_autoptr(GMimeMessage) back = NULL;
  g_autofree char *text = NULL;

  ep_message_set_text (f->message, line);
  ep_message_set_html (f->message, html);
  back = round_trip (f->message, NULL);   /* asserts every line ≤ 998 */
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (ep_test_find_part (g_mime_message_get_mime_part (back), "text/plain", 0)));
  g_assert_cmpstr (text, ==, line);
}

static void
test_injection (Fixture *f, gconstpointer data)
{
  static const char * const headers[][2] = {
    { "X-Ok", "fine\r\nBcc: evil@example.com" },
    { "X-Bad Name", "value" },
    { "X-Colon:", "value" },
    { "Bcc", "evil@example.com" },
    { "Subject", "override" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) mime = NULL;

  ep_message_set_subject (f->message, "hello\r\nBcc: evil@example.com");
  mime = ep_mime_build (f->message, &error);
  g_assert_null (mime);
  g_assert_error (error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "subject"));

  ep_message_set_subject (f->message, "ok");
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr(EpMessage) copy = ep_message_copy (f->message);
      g_autoptr(GError) header_error = NULL;
      g_autoptr(GMimeMessage) built = NULL;

      ep_message_add_header (copy, headers[i][0], headers[i][1]);
      built = ep_mime_build (copy, &header_error);
      g_assert_null (built);
      g_assert_error (header_error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER);
    }
}

static void
test_missing_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) mime = NULL;

  ep_message_add_attachment (f->message, "/nonexistent/报告.pdf");
  mime = ep_mime_build (f->message, &error);
  g_assert_null (mime);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "报告.pdf"));

}

static void
test_directory_attachment (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) mime = NULL;

  ep_message_add_attachment (f->message, f->dir);
  mime = ep_mime_build (f->message, &error);
  g_assert_null (mime);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
}

static void
test_measure_exact (Fixture *f, gconstpointer data)
{
  static const gsize sizes[] = { 0, 1, 2, 3, 4, 56, 57, 58, 113, 114, 115, 171, 1000, 65536, 1048577 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("size-%" G_GSIZE_FORMAT ".bin", sizes[i]);
      g_autofree char *path = make_binary (f, name, MAX (sizes[i], 1));
      g_autoptr(EpMessage) message = ep_message_copy (f->message);
      g_autoptr(GError) error = NULL;
      g_autoptr(GMimeMessage) mime = NULL;
      g_autoptr(GMimeStream) counter = g_mime_stream_null_new ();

      if (sizes[i] == 0)
        g_file_set_contents (path, "", 0, NULL);
      ep_message_add_attachment (message, path);
      ep_message_add_attachment (message, path);
      mime = ep_mime_build (message, &error);
      g_assert_no_error (error);
      g_assert_true (ep_mime_write (mime, counter, &error));
      g_assert_cmpint (ep_mime_measure (mime, &error), ==, (gint64) GMIME_STREAM_NULL (counter)->written);
      g_assert_no_error (error);
    }
}

static gboolean
collect_sink (const char *data, gsize len, gboolean last, gpointer user_data, GError **error)
{
  g_byte_array_append (user_data, (const guint8 *) data, len);
  return TRUE;
}

static void
test_dot_stuffing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GMimeStream) sink = ep_wire_stream_new (16, collect_sink, wire, NULL);
  g_autoptr(GMimeStream) stuffed = g_mime_stream_filter_new (sink);
  g_autoptr(GMimeFilter) filter = g_mime_filter_smtp_data_new ();

  ep_message_set_text (f->message, ".\n..\nplain\n.leading dot\n");
  mime = ep_mime_build (f->message, &error);
  g_mime_part_set_content_encoding (GMIME_PART (g_mime_message_get_mime_part (mime)),
                                    GMIME_CONTENT_ENCODING_8BIT);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (stuffed), filter);
  g_assert_true (ep_mime_write (mime, stuffed, &error));
  g_assert_true (ep_wire_stream_finish (EP_WIRE_STREAM (sink), &error));
  g_assert_no_error (error);
  g_byte_array_append (wire, (const guint8 *) "\0", 1);

  g_assert_nonnull (strstr ((char *) wire->data, "\r\n..\r\n...\r\nplain\r\n..leading dot\r\n"));
  g_assert_true (ep_wire_stream_ends_with_crlf (EP_WIRE_STREAM (sink)));
}

static gboolean
failing_sink (const char *data, gsize len, gboolean last, gpointer user_data, GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "gone");
  return FALSE;
}

static void
test_sink_error_propagates (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bin = make_binary (f, "big.bin", 200000);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeStream) sink = ep_wire_stream_new (4096, failing_sink, NULL, NULL);

  ep_message_add_attachment (f->message, bin);
  mime = ep_mime_build (f->message, &error);
  g_assert_false (ep_mime_write (mime, sink, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/mime/plain", test_plain);
  ADD ("/mime/html-only", test_html_only);
  ADD ("/mime/inline-images", test_inline_images);
  ADD ("/mime/attachments", test_attachments);
  ADD ("/mime/attachment-bytes", test_attachment_bytes);
  ADD ("/mime/filename-injection", test_filename_injection);
  ADD ("/mime/content-id-injection", test_content_id_injection);
  ADD ("/mime/everything", test_everything);
  ADD ("/mime/long-lines", test_long_lines);
  ADD ("/mime/injection", test_injection);
  ADD ("/mime/missing-file", test_missing_file);
  ADD ("/mime/directory-attachment", test_directory_attachment);
  ADD ("/mime/measure-exact", test_measure_exact);
  ADD ("/mime/dot-stuffing", test_dot_stuffing);
  ADD ("/mime/sink-error-propagates", test_sink_error_propagates);
#undef ADD
  return g_test_run ();
}
