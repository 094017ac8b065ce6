/* test-compose-check.c — the forgotten-attachment question: which bodies mention one
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-compose-check.h"

typedef struct
{
  const char *body;
  gboolean mentions;
} Case;

static const Case cases[] = {
  { "Please find the report attached.", TRUE },
  { "I'll ATTACH the slides tomorrow.", TRUE },
  { "See the attachment.", TRUE },
  { "Enclosed is the invoice.", TRUE },
  { "报告见附件。", TRUE },
  { "附上会议纪要，请查收。", TRUE },
  { "Lunch at noon?", FALSE },
  { "", FALSE },
  { "Thanks!\n\n> I attached the file\n>> enclosed too", FALSE },
  { "Thanks!\n   > quoted with indent: attached", FALSE },
  { "Reply below.\n> old text\nNow attached for real", TRUE },
  { "\xff\xfe attached", FALSE },  /* not UTF-8: never a question */
};

static void
test_mentions (gconstpointer data)
{
  const Case *row = data;

  g_assert_cmpint (ep_compose_mentions_attachment (row->body), ==, row->mentions);
}

static void
test_null (void)
{
  g_assert_false (ep_compose_mentions_attachment (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/compose-check/mentions/%u", i);

      g_test_add_data_func (path, &cases[i], test_mentions);
    }
  g_test_add_func ("/compose-check/null", test_null);
  return g_test_run ();
}
