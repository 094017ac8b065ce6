/* test-imap-utf7.c — modified UTF-7 mailbox names, both ways
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-imap.h"
#include "ep-imap-parser.h"
#include "ep-imap-utf7.h"
#include "ep-locale.h"

typedef struct { const char *utf8; const char *mutf7; } Pair;

static const Pair pairs[] = {
  { "INBOX", "INBOX" },
  { "", "" },
  { "已发送", "&XfJT0ZAB-" },
  { "已发送邮件", "&XfJT0ZABkK5O9g-" },
  { "草稿箱", "&g0l6P3ux-" },
  { "Sent & Co", "Sent &- Co" },
  { "&", "&-" },
  { "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
  { "Entwürfe", "Entw&APw-rfe" },
  { "a😀b", "a&2D3eAA-b" },
  { "工作/报告 & 总结", "&XeVPXA-/&YqVUSg- &- &YDt+0w-" },
};

static void
test_pair (gconstpointer data)
{
  const Pair *pair = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = ep_imap_utf7_encode (pair->utf8);
  g_autofree char *decoded = ep_imap_utf7_decode (pair->mutf7, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (encoded, ==, pair->mutf7);
  g_assert_cmpstr (decoded, ==, pair->utf8);
}

static const char * const bad[] = {
  "&",              /* unterminated */
  "&XfJT0ZABkk4",   /* no “-” */
  "&-&Xf-",         /* half a UTF-16 unit */
  "&2D3-",          /* a lone surrogate */
  "&A-",            /* too few bits */
  "&AGE=-",         /* padding is not modified base64 */
  "caf\xc3\xa9",    /* raw 8-bit */
  "a\tb",           /* a control character */
  "&2D3eAA",
};

static void
test_bad (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = ep_imap_utf7_decode (data, &error);

  g_assert_null (decoded);
  g_assert_error (error, EP_IMAP_PARSER_ERROR, EP_IMAP_PARSER_ERROR_SYNTAX);
}

static void
test_not_utf8 (void)
{
  g_assert_null (ep_imap_utf7_encode ("\xff\xfe"));
}

typedef struct
{
  const char *name;
  char delimiter;
  const char *path;    /* levels joined by " | " */
} PathCase;

static const PathCase path_cases[] = {
  { "Archive/2025", '/', "Archive | 2025" },
  { "INBOX.Work.2026", '.', "INBOX | Work | 2026" },
  { "项目/二〇二六", '/', "项目 | 二〇二六" },
  { "Archive/2025", '.', "Archive/2025" },       /* another server's delimiter: one level */
  { "Flat.Name", '\0', "Flat.Name" },              /* NIL: no hierarchy */
  { "/Lead//Double/", '/', "Lead | Double" },      /* empty levels skipped */
  { "/", '/', "/" },                               /* nothing but the delimiter: the name */
  { "aéb", (char) 0xc3, "aéb" },                  /* a byte outside ASCII never splits UTF-8 */
};

/* A mailbox's levels, split at the delimiter LIST gave. */
static void
test_path (gconstpointer data)
{
  const PathCase *row = data;
  EpImapMailbox mailbox = { .name = (char *) row->name, .delimiter = row->delimiter };
  g_auto(GStrv) path = ep_imap_mailbox_dup_path (&mailbox);
  g_autofree char *joined = g_strjoinv (" | ", path);

  g_assert_cmpstr (joined, ==, row->path);
}

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/imap-utf7/pair/%u", i);
      g_test_add_data_func (path, &pairs[i], test_pair);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/imap-utf7/bad/%u", i);
      g_test_add_data_func (path, bad[i], test_bad);
    }
  g_test_add_func ("/imap-utf7/not-utf8", test_not_utf8);
  for (guint i = 0; i < G_N_ELEMENTS (path_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/imap-utf7/mailbox-path/%u", i);

      g_test_add_data_func (path, &path_cases[i], test_path);
    }
  return g_test_run ();
}
