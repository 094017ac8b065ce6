/* test-imap-size.c — a base64 part's decoded size from its encoded size and its last bytes
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case encodes real bytes with GLib, lays the text out in lines as
 * encoders do, hands ep_imap_size_base64 () the octets and the last
 * EP_IMAP_SIZE_TAIL bytes as the export fetches them, and compares with
 * the true size — with the server's size right, absent, or wrong as
 * Dovecot 2.3.19 answers it for some messages.
 */
#include <string.h>

#include "ep-imap-size.h"
#include "ep-imap-structure.h"
#include "ep-locale.h"

typedef struct
{
  guint line;                 /* characters per line; 0: the whole part on one line */
  const char *brk;            /* the line break */
  const char *trailing;       /* after the last line */
} Layout;

static const Layout layouts[] = {
  { 0, "\r\n", "" },          /* g_base64_encode (), as the window test's attachment */
  { 0, "\r\n", "\r\n" },
  { 76, "\r\n", "" },         /* MIME */
  { 76, "\r\n", "\r\n" },
  { 76, "\n", "\n" },
  { 72, "\r\n", "" },
  { 64, "\r\n", "\r\n" },     /* PEM */
  { 60, "\r\n", "" },
  { 120, "\r\n", "" },
  { 300, "\r\n", "" },        /* longer than the first tail shows whole */
  { 998, "\r\n", "\r\n" },    /* the longest line RFC 5322 allows */
};

static const gsize lengths[] = { 1, 2, 3, 4, 5, 57, 100, 191, 192, 193, 700, 777, 4096, 10007, 12345 };

static GString *
encode (gsize         len,
        const Layout *layout)
{
  g_autofree guchar *data = g_malloc (MAX (len, 1));
  g_autofree char *text = NULL;
  GString *out = g_string_new (NULL);
  gsize n;

  for (gsize i = 0; i < len; i++)
    data[i] = (guchar) (i * 13 + 1);
  text = g_base64_encode (data, len);
  n = strlen (text);
  for (gsize i = 0; i < n; i += layout->line == 0 ? n : layout->line)
    {
      if (i > 0)
        g_string_append (out, layout->brk);
      g_string_append_len (out, text + i, layout->line == 0 ? n : MIN (layout->line, n - i));
    }
  g_string_append (out, layout->trailing);
  return out;
}

/* What the export does: the octets and the last bytes, as BODY.PEEK[n]<offset.length> gives
 * them, and a longer tail when asked for. */
static gboolean
size_of (const GString *encoded,
         gint64         server_size,
         gint64        *size)
{
  gsize tail = EP_IMAP_SIZE_TAIL;
  EpImapSizeResult result;

  for (;;)
    {
      gsize offset = encoded->len - MIN (encoded->len, tail);

      result = ep_imap_size_base64 (encoded->len, offset, (const guchar *) encoded->str + offset,
                                    encoded->len - offset, server_size, size);
      if (result != EP_IMAP_SIZE_LONGER_TAIL)
        return result == EP_IMAP_SIZE_EXACT;
      g_assert_cmpuint (tail, ==, EP_IMAP_SIZE_TAIL);   /* one more round at most */
      tail = EP_IMAP_SIZE_LONG_TAIL;
    }
}

static void
test_layouts (void)
{
  for (gsize l = 0; l < G_N_ELEMENTS (layouts); l++)
    for (gsize i = 0; i < G_N_ELEMENTS (lengths); i++)
      {
        g_autoptr(GString) encoded = encode (lengths[i], &layouts[l]);
        gint64 truth = (gint64) lengths[i];
        /* Dovecot's wrong answers were 1.2 % or more too small. */
        gint64 wrong[] = { -1, truth, truth - truth / 80 - 1, truth + 1, G_MAXINT64 };

        for (gsize s = 0; s < G_N_ELEMENTS (wrong); s++)
          {
            gint64 size = -1;

            g_test_message ("line %u, %zu bytes, server %" G_GINT64_FORMAT, layouts[l].line, lengths[i], wrong[s]);
            g_assert_true (size_of (encoded, wrong[s], &size));
            g_assert_cmpint (size, ==, truth);
          }
      }
}

/* The message of tests/ui/test-inbox-view.c: 700 bytes in one line of 936 characters.
 * The old estimate (a CR LF every 78) said 684 and a right BINARY.SIZE was thrown away. */
static void
test_one_line (void)
{
  g_autoptr(GString) encoded = encode (700, &layouts[0]);
  EpImapPart part = { .encoding = (char *) "base64", .octets = 936 };
  gint64 size = 0;

  g_assert_cmpuint (encoded->len, ==, 936);
  g_assert_cmpint (ep_imap_part_estimate_size (&part), ==, 684);
  g_assert_true (size_of (encoded, 700, &size));
  g_assert_cmpint (size, ==, 700);
  g_assert_true (size_of (encoded, 684, &size));
  g_assert_cmpint (size, ==, 700);
}

/* Lines longer than even the second tail shows whole (RFC 5322 forbids them): the
 * server's size if it fits, else one line for the whole part if that can be. */
static void
test_long_lines (void)
{
  static const Layout wide = { 3000, "\r\n", "" };
  g_autoptr(GString) encoded = encode (20000, &wide);
  g_autoptr(GString) one = encode (20000, &layouts[0]);
  gint64 size = 0;

  g_assert_true (size_of (encoded, 20000, &size));
  g_assert_cmpint (size, ==, 20000);
  g_assert_true (size_of (one, -1, &size));
  g_assert_cmpint (size, ==, 20000);
  g_assert_true (size_of (one, 20000 * 2, &size));     /* more characters than octets: not taken */
  g_assert_cmpint (size, ==, 20000);
  g_assert_true (size_of (one, 19999, &size));         /* not whole groups of 4 with “=” */
  g_assert_cmpint (size, ==, 20000);
}

/* Bytes that are not the part's end, or not base64 laid out in lines: no answer, no crash. */
static void
test_bad (void)
{
  const char *odd = "QUJD\r\nREVGRw\r\nSElK\r\n";   /* a line of 6 between lines of 4 */
  g_autofree char *junk = g_strnfill (400, 'A');
  gint64 size = 0;

  g_assert_cmpint (ep_imap_size_base64 (1000, 744, (const guchar *) junk, 100, -1, &size), ==,
                   EP_IMAP_SIZE_UNKNOWN);                                        /* not the end */
  g_assert_cmpint (ep_imap_size_base64 (10, 20, (const guchar *) junk, 0, -1, &size), ==, EP_IMAP_SIZE_UNKNOWN);
  g_assert_cmpint (ep_imap_size_base64 (1000, 744, (const guchar *) junk, 256, -1, &size), ==,
                   EP_IMAP_SIZE_LONGER_TAIL);
  junk = g_realloc (junk, 2049);
  memset (junk, 'A', 2048);
  g_assert_cmpint (ep_imap_size_base64 (3001, 953, (const guchar *) junk, 2048, -1, &size), ==,
                   EP_IMAP_SIZE_UNKNOWN);                                        /* 3001 % 4 */
  g_assert_cmpint (ep_imap_size_base64 (3000, 952, (const guchar *) junk, 2048, -1, &size), ==,
                   EP_IMAP_SIZE_EXACT);
  g_assert_cmpint (size, ==, 2250);
  g_assert_cmpint (ep_imap_size_base64 (300 + strlen (odd), 300, (const guchar *) odd, strlen (odd), -1, &size), ==,
                   EP_IMAP_SIZE_UNKNOWN);
  g_assert_cmpint (ep_imap_size_base64 (0, 0, (const guchar *) "", 0, -1, &size), ==, EP_IMAP_SIZE_EXACT);
  g_assert_cmpint (size, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/imap-size/layouts", test_layouts);
  g_test_add_func ("/imap-size/one-line", test_one_line);
  g_test_add_func ("/imap-size/long-lines", test_long_lines);
  g_test_add_func ("/imap-size/bad", test_bad);
  return g_test_run ();
}
