/* test-recent-addresses.c — addresses sent to before: order, matching, file, bounds
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "ep-locale.h"
#include "ep-recent-addresses.h"

static void
add_text (EpRecentAddresses *recent,
          const char        *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddressList) list = ep_address_list_parse (text, &error);

  g_assert_no_error (error);
  ep_recent_addresses_add_list (recent, list);
}

/* The results joined by " | ", for one comparison. */
static char *
complete (EpRecentAddresses *recent,
          const char        *prefix,
          guint              max)
{
  g_autoptr(GPtrArray) found = ep_recent_addresses_complete (recent, prefix, max);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (out, "%s%s", i ? " | " : "", (char *) g_ptr_array_index (found, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_complete(recent, prefix, max, expected) \
  G_STMT_START { \
    g_autofree char *got_ = complete ((recent), (prefix), (max)); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

static EpRecentAddresses *
sample (void)
{
  EpRecentAddresses *recent = ep_recent_addresses_new (NULL);

  add_text (recent, "张三 <zhang.san@qq.com>, Li Si <lisi@163.com>");
  add_text (recent, "bob@example.test");
  add_text (recent, "\"Müller, Jörg\" <joerg@example.de>; ÅSA <asa@example.se>");
  return recent;
}

static void
test_order_and_match (void)
{
  g_autoptr(EpRecentAddresses) recent = sample ();

  g_assert_cmpuint (ep_recent_addresses_get_length (recent), ==, 5);
  /* Every address, most recent first; the first of a list is the most recent of it. */
  assert_complete (recent, "@", 0, "");
  assert_complete (recent, "zhang", 0, "张三 <zhang.san@qq.com>");
  assert_complete (recent, "张", 0, "张三 <zhang.san@qq.com>");
  assert_complete (recent, "si", 0, "Li Si <lisi@163.com>");
  assert_complete (recent, "LI", 0, "Li Si <lisi@163.com>");
  assert_complete (recent, "b", 0, "bob@example.test");
  /* Case folding beyond ASCII, and a name with a comma comes back quoted. */
  assert_complete (recent, "MÜL", 0, "\"Müller, Jörg\" <joerg@example.de>");
  assert_complete (recent, "jörg", 0, "\"Müller, Jörg\" <joerg@example.de>");
  assert_complete (recent, "jo", 0, "\"Müller, Jörg\" <joerg@example.de>");
  assert_complete (recent, "åsa", 0, "ÅSA <asa@example.se>");
  /* Compatibility forms: full-width letters match. */
  assert_complete (recent, "ＢＯＢ", 0, "bob@example.test");
  /* Several matches, most recent first, and the limit. */
  assert_complete (recent, "l", 0, "Li Si <lisi@163.com>");
  add_text (recent, "Lina <lina@example.test>");
  assert_complete (recent, "li", 0, "Lina <lina@example.test> | Li Si <lisi@163.com>");
  assert_complete (recent, "li", 1, "Lina <lina@example.test>");
  /* No match, nothing typed, a prefix that is only inside a word. */
  assert_complete (recent, "nobody", 0, "");
  assert_complete (recent, "", 0, "");
  assert_complete (recent, "   ", 0, "");
  assert_complete (recent, "ang", 0, "");
  assert_complete (recent, " zhang ", 0, "张三 <zhang.san@qq.com>");
  assert_complete (recent, "\xff\xfe", 0, "");
}

static void
test_readd_moves_first (void)
{
  g_autoptr(EpRecentAddresses) recent = sample ();

  assert_complete (recent, "li", 0, "Li Si <lisi@163.com>");
  add_text (recent, "zhang@example.test");
  assert_complete (recent, "zhang", 0, "zhang@example.test | 张三 <zhang.san@qq.com>");
  /* The same mailbox again (other case, no name) moves first and keeps its name. */
  add_text (recent, "ZHANG.SAN@QQ.COM");
  g_assert_cmpuint (ep_recent_addresses_get_length (recent), ==, 6);
  assert_complete (recent, "zhang", 0, "张三 <ZHANG.SAN@QQ.COM> | zhang@example.test");
  /* A new name replaces the old one. */
  add_text (recent, "Zhang San <zhang.san@qq.com>");
  assert_complete (recent, "zhang", 0, "Zhang San <zhang.san@qq.com> | zhang@example.test");
  assert_complete (recent, "张", 0, "");
}

static void
test_bounded (void)
{
  g_autoptr(EpRecentAddresses) recent = ep_recent_addresses_new (NULL);
  g_autofree char *first = NULL;

  for (guint i = 0; i < EP_RECENT_ADDRESSES_MAX + 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("user%u@example.test", i);
      add_text (recent, text);
    }
  g_assert_cmpuint (ep_recent_addresses_get_length (recent), ==, EP_RECENT_ADDRESSES_MAX);
  /* The oldest went first. */
  assert_complete (recent, "user0@", 0, "");
  assert_complete (recent, "user19@", 0, "");
  assert_complete (recent, "user20@", 0, "user20@example.test");
  first = complete (recent, "user", 1);
  g_assert_cmpstr (first, ==, "user519@example.test");
}

static void
test_round_trip (void)
{
  g_autoptr(EpRecentAddresses) recent = sample ();
  g_autoptr(EpRecentAddresses) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ep_recent_addresses_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "epistle", "recent-addresses", NULL);
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (ep_recent_addresses_get_path (recent), ==, expected);
  g_assert_true (ep_recent_addresses_save (recent, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "\"Müller, Jörg\" <joerg@example.de>\n"
                   "ÅSA <asa@example.se>\n"
                   "bob@example.test\n"
                   "张三 <zhang.san@qq.com>\n"
                   "Li Si <lisi@163.com>\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = ep_recent_addresses_new (path);
  g_assert_true (ep_recent_addresses_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ep_recent_addresses_get_length (again), ==, 5);
  assert_complete (again, "m", 0, "\"Müller, Jörg\" <joerg@example.de>");
  assert_complete (again, "z", 0, "张三 <zhang.san@qq.com>");
  {
    g_autofree char *all_before = complete (recent, "e", 0);
    g_autofree char *all_after = complete (again, "e", 0);
    g_assert_cmpstr (all_after, ==, all_before);
  }
}

static void
test_load_missing_and_bad (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "x", NULL);
  g_autofree char *path = g_build_filename (dir, "recent", NULL);
  g_autoptr(EpRecentAddresses) recent = ep_recent_addresses_new (path);
  static const char bad[] =
    "good@example.test\n"
    "\n"
    "not an address\n"
    "   Spaced <spaced@example.test>   \n"
    "\xff\xfe broken utf-8 <x@example.test>\n"
    "\"unterminated <u@example.test>\n"
    "good@example.test\n"
    "last@example.test";

  add_text (recent, "stale@example.test");
  g_assert_true (ep_recent_addresses_load (recent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ep_recent_addresses_get_length (recent), ==, 0);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, bad, -1, NULL));
  g_assert_true (ep_recent_addresses_load (recent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ep_recent_addresses_get_length (recent), ==, 3);
  assert_complete (recent, "s", 0, "Spaced <spaced@example.test>");
  assert_complete (recent, "g", 0, "good@example.test");
  assert_complete (recent, "st", 0, "");

  /* A folder where the file should be cannot be read, and says so. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_false (ep_recent_addresses_load (recent, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_FILE_ERROR);
  g_clear_error (&error);
  g_assert_false (ep_recent_addresses_save (recent, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/recent-addresses/order-and-match", test_order_and_match);
  g_test_add_func ("/recent-addresses/readd-moves-first", test_readd_moves_first);
  g_test_add_func ("/recent-addresses/bounded", test_bounded);
  g_test_add_func ("/recent-addresses/round-trip", test_round_trip);
  g_test_add_func ("/recent-addresses/load-missing-and-bad", test_load_missing_and_bad);
  return g_test_run ();
}
