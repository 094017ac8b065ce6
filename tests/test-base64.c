/* test-base64.c — Epistle's base64 writer produces GMime's octets exactly
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ep-base64 and ep-mime-splice replace GMime's encoder on the send path for
 * speed only: every test here compares with what GMime itself writes.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ep-base64.h"
#include "ep-locale.h"
#include "ep-mime.h"
#include "ep-test-utils.h"
#include "ep-wire-stream.h"

/* A copy: the memory stream frees its array's data however it is referenced. */
static GByteArray *
copy_contents (GMimeStream *mem)
{
  GByteArray *array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  GByteArray *copy = g_byte_array_sized_new (array->len);

  g_byte_array_append (copy, array->data, array->len);
  return copy;
}

static GBytes *
random_bytes (gsize len)
{
  guchar *data = g_malloc (MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    data[i] = g_test_rand_int_range (0, 256);
  return g_bytes_new_take (data, len);
}

/* GMime's encoding as ep_mime_write () used it: base64, then two unix2dos. */
static GByteArray *
gmime_base64 (const guchar *data,
              gsize         len)
{
  g_autoptr(GMimeStream) mem = g_mime_stream_mem_new ();
  g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new (mem);
  g_autoptr(GMimeFilter) basic = g_mime_filter_basic_new (GMIME_CONTENT_ENCODING_BASE64, TRUE);
  g_autoptr(GMimeFilter) newline = g_mime_filter_unix2dos_new (TRUE);
  g_autoptr(GMimeFilter) crlf = g_mime_filter_unix2dos_new (FALSE);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), basic);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), newline);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), crlf);
  if (len > 0)
    g_assert_cmpint (g_mime_stream_write (filtered, (const char *) data, len), ==, (gssize) len);
  g_assert_cmpint (g_mime_stream_flush (filtered), ==, 0);
  return copy_contents (mem);
}

static void
test_encoder_matches_gmime (void)
{
  static const gsize large[] = { 57 * 1024 - 1, 57 * 1024, 57 * 1024 + 1, 1048576 + 7 };
  g_autoptr(EpBase64Encoder) encoder = ep_base64_encoder_new ();

  for (gsize i = 0; i < 200 + G_N_ELEMENTS (large); i++)
    {
      gsize len = i < 200 ? i : large[i - 200];
      g_autoptr(GBytes) bytes = random_bytes (len);
      const guchar *data = g_bytes_get_data (bytes, NULL);
      g_autoptr(GByteArray) expected = gmime_base64 (data, len);
      gsize size = ep_base64_encoded_size (len);
      g_autofree char *out = g_malloc (size + 1);
      gsize step = EP_BASE64_LINE_BYTES * (1 + i % 3);
      gsize done = 0;
      gsize written = 0;

      /* In pieces of whole lines, as a stream is encoded, then the rest. */
      while (len - done > step)
        {
          written += ep_base64_encoder_encode (encoder, data + done, step, out + written);
          done += step;
        }
      written += ep_base64_encoder_encode (encoder, data + done, len - done, out + written);

      g_assert_cmpuint (size, ==, expected->len);
      g_assert_cmpmem (out, written, expected->data, expected->len);
    }
}

/* The message as GMime alone writes it (ep_mime_write () before ep-mime-splice). */
static GByteArray *
gmime_write (GMimeMessage *mime)
{
  GMimeFormatOptions *options = g_mime_format_options_new ();
  g_autoptr(GMimeStream) mem = g_mime_stream_mem_new ();
  g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new (mem);
  g_autoptr(GMimeFilter) crlf = g_mime_filter_unix2dos_new (FALSE);

  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), crlf);
  g_assert_cmpint (g_mime_object_write_to_stream (GMIME_OBJECT (mime), options, filtered), >, 0);
  g_assert_cmpint (g_mime_stream_flush (filtered), ==, 0);
  g_mime_format_options_free (options);
  return copy_contents (mem);
}

static GByteArray *
epistle_write (GMimeMessage *mime)
{
  g_autoptr(GMimeStream) mem = g_mime_stream_mem_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ep_mime_write (mime, mem, &error));
  g_assert_no_error (error);
  return copy_contents (mem);
}

static EpMessage *
message_new (void)
{
  EpMessage *message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("张三 <zhang@example.com>", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("jane@example.com", NULL);

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "splice");
  return message;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static char *
write_random_file (const char *dir,
                   const char *name,
                   gsize       len)
{
  g_autoptr(GBytes) bytes = random_bytes (len);

  return ep_test_write_file (dir, name, g_bytes_get_data (bytes, NULL), len);
}

/* Writes @message both ways, twice, and compares every octet. */
static void
assert_same_as_gmime (EpMessage *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) mime = ep_mime_build (message, &error);
  g_autoptr(GByteArray) first = NULL;
  g_autoptr(GByteArray) expected = NULL;
  g_autoptr(GByteArray) again = NULL;

  g_assert_no_error (error);
  first = epistle_write (mime);         /* fixes the boundaries */
  expected = gmime_write (mime);
  again = epistle_write (mime);
  g_assert_cmpmem (first->data, first->len, expected->data, expected->len);
  g_assert_cmpmem (again->data, again->len, expected->data, expected->len);
  g_assert_cmpint (ep_mime_measure (mime, &error), ==, (gint64) expected->len);
  g_assert_no_error (error);
}

static void
test_message_matches_gmime (void)
{
  static const gsize sizes[] = { 0, 1, 2, 56, 57, 58, 114, 65536, 57 * 1024, 1048576 + 3 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-base64-XXXXXX", &error);
  g_autoptr(EpMessage) message = message_new ();
  g_autofree char *image = write_random_file (dir, "logo.png", 3000);
  g_autofree char *text = ep_test_write_file (dir, "notes.txt", "line\r\nline\r\n", 12);

  g_assert_no_error (error);
  ep_message_set_text (message, "Hello\n.\nFrom the team\n");
  assert_same_as_gmime (message);
  /* Mostly non-ASCII: GMime picks base64 for the body, which is spliced too. */
  ep_message_set_text (message, "你好，世界。这是一封测试邮件。\n.\n团队\n");
  assert_same_as_gmime (message);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("part-%u.bin", i);
      g_autofree char *path = write_random_file (dir, name, sizes[i]);

      ep_message_add_attachment (message, path);
    }
  ep_message_add_attachment (message, text);
  assert_same_as_gmime (message);

  ep_message_set_html (message, "<p>Hi <img src=\"cid:logo@example.com\"></p>");
  ep_message_add_inline_image (message, image, "logo@example.com");
  assert_same_as_gmime (message);
  remove_dir (dir);
}

static gboolean
collect_sink (const char  *data,
              gsize        len,
              gboolean     last,
              gpointer     user_data,
              GError     **error)
{
  g_byte_array_append (user_data, (const guint8 *) data, len);
  return TRUE;
}

/* Straight into the wire stream's chunks, whatever their size. */
static void
test_wire_chunks_match_gmime (void)
{
  static const gsize chunks[] = { 1, 16, 77, 78, 79, 155, 156, 157, 4096, 65536, 1048576 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-base64-XXXXXX", &error);
  g_autoptr(EpMessage) message = message_new ();
  g_autofree char *big = write_random_file (dir, "big.bin", 300001);
  g_autofree char *small = write_random_file (dir, "small.bin", 100);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GByteArray) expected = NULL;

  g_assert_no_error (error);
  ep_message_set_text (message, "Hello\n");
  ep_message_add_attachment (message, big);
  ep_message_add_attachment (message, small);
  mime = ep_mime_build (message, &error);
  g_assert_no_error (error);
  g_byte_array_unref (epistle_write (mime));
  expected = gmime_write (mime);

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(GByteArray) sent = g_byte_array_new ();
      g_autoptr(GMimeStream) wire = ep_wire_stream_new (chunks[i], collect_sink, sent, NULL);

      g_assert_true (ep_mime_write (mime, wire, &error));
      g_assert_no_error (error);
      g_assert_true (ep_wire_stream_finish (EP_WIRE_STREAM (wire), &error));
      g_assert_no_error (error);
      g_assert_cmpuint (ep_wire_stream_get_written (EP_WIRE_STREAM (wire)), ==, expected->len);
      g_assert_cmpint (g_mime_stream_tell (wire), ==, (gint64) expected->len);
      g_assert_true (ep_wire_stream_ends_with_crlf (EP_WIRE_STREAM (wire)));
      g_assert_cmpmem (sent->data, sent->len, expected->data, expected->len);
    }
  remove_dir (dir);
}

static gboolean
failing_sink (const char  *data,
              gsize        len,
              gboolean     last,
              gpointer     user_data,
              GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "gone");
  return FALSE;
}

static void
test_sink_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-base64-XXXXXX", &error);
  g_autoptr(EpMessage) message = message_new ();
  g_autofree char *path = write_random_file (dir, "big.bin", 500000);
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeStream) wire = ep_wire_stream_new (4096, failing_sink, NULL, NULL);
  g_autoptr(GMimeStream) full = NULL;
  int fd;

  ep_message_add_attachment (message, path);
  mime = ep_mime_build (message, &error);
  g_assert_no_error (error);
  remove_dir (dir);
  g_assert_false (ep_mime_write (mime, wire, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_clear_error (&error);

  fd = open ("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    {
      g_test_skip ("no /dev/full");
      return;
    }
  full = g_mime_stream_fs_new (fd);
  g_assert_false (ep_mime_write (mime, full, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ep_mime_init ();

  g_test_add_func ("/base64/encoder-matches-gmime", test_encoder_matches_gmime);
  g_test_add_func ("/base64/message-matches-gmime", test_message_matches_gmime);
  g_test_add_func ("/base64/wire-chunks-match-gmime", test_wire_chunks_match_gmime);
  g_test_add_func ("/base64/sink-error", test_sink_error);
  return g_test_run ();
}
