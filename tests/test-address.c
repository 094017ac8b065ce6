/* test-address.c — recipient parsing and validation
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ep-address.h"
#include "ep-locale.h"

typedef struct { const char *input; const char *name; const char *addr; const char *ascii; } Good;
typedef struct { const char *input; int code; const char *mentions; } Bad;

static const Good good[] = {
  { "zhang@qq.com", NULL, "zhang@qq.com", "zhang@qq.com" },
  { "  bob@example.com  ", NULL, "bob@example.com", "bob@example.com" },
  { "张三 <zhang@qq.com>", "张三", "zhang@qq.com", "zhang@qq.com" },
  { "\"Doe, Jane\" <jane@example.com>", "Doe, Jane", "jane@example.com", "jane@example.com" },
  { "\"Say \\\"hi\\\"\" <hi@example.com>", "Say \"hi\"", "hi@example.com", "hi@example.com" },
  { "<only@example.com>", NULL, "only@example.com", "only@example.com" },
  { "user@例子.中国", NULL, "user@例子.中国", "user@xn--fsqu00a.xn--fiqs8s" },
  { "user@bücher.de", NULL, "user@bücher.de", "user@xn--bcher-kva.de" },
  { "\"john doe\"@example.com", NULL, "\"john doe\"@example.com", "\"john doe\"@example.com" },
  { "\"a@b\"@example.com", NULL, "\"a@b\"@example.com", "\"a@b\"@example.com" },
  { "first.last+tag@sub.example.co.uk", NULL, "first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk" },
  { "a!#$%&'*/=?^_`{|}~-@example.org", NULL, "a!#$%&'*/=?^_`{|}~-@example.org", "a!#$%&'*/=?^_`{|}~-@example.org" },
  { "user@[192.0.2.1]", NULL, "user@[192.0.2.1]", "user@[192.0.2.1]" },
  { "用户@例子.中国", NULL, "用户@例子.中国", NULL },
};

static const Bad bad[] = {
  { "bob@qq", EP_ADDRESS_ERROR_NO_TLD, "bob@qq" },
  { "bob@qq.123", EP_ADDRESS_ERROR_NO_TLD, "bob@qq.123" },
  { "a b@x.cn", EP_ADDRESS_ERROR_SPACE, "a b@x.cn" },
  { "bob@ex ample.com", EP_ADDRESS_ERROR_SPACE, "bob@ex ample.com" },
  { "bob", EP_ADDRESS_ERROR_NO_AT, "bob" },
  { "@example.com", EP_ADDRESS_ERROR_LOCAL_PART, "@example.com" },
  { "bob@", EP_ADDRESS_ERROR_DOMAIN, "bob@" },
  { "a@b@example.com", EP_ADDRESS_ERROR_SYNTAX, "a@b@example.com" },
  { ".bob@example.com", EP_ADDRESS_ERROR_LOCAL_PART, ".bob@example.com" },
  { "bob.@example.com", EP_ADDRESS_ERROR_LOCAL_PART, "bob.@example.com" },
  { "b..ob@example.com", EP_ADDRESS_ERROR_LOCAL_PART, "b..ob@example.com" },
  { "bo(b@example.com", EP_ADDRESS_ERROR_LOCAL_PART, "bo(b@example.com" },
  { "bob@-example.com", EP_ADDRESS_ERROR_DOMAIN, "bob@-example.com" },
  { "bob@example..com", EP_ADDRESS_ERROR_DOMAIN, "bob@example..com" },
  { "bob@exa_mple.com", EP_ADDRESS_ERROR_DOMAIN, "bob@exa_mple.com" },
  { "bob@[999.1.1.1]", EP_ADDRESS_ERROR_DOMAIN, "bob@[999.1.1.1]" },
  { "Bob <bob@example.com", EP_ADDRESS_ERROR_SYNTAX, "Bob <bob@example.com" },
  { "bob@example.com>", EP_ADDRESS_ERROR_SYNTAX, "bob@example.com>" },
  { "Bob <bob@example.com> x", EP_ADDRESS_ERROR_SYNTAX, "Bob <bob@example.com> x" },
  { "bob@example.com\r\nBcc: evil@example.com", EP_ADDRESS_ERROR_CONTROL, "evil" },
  { "Evil\nBcc: x@y.com <bob@example.com>", EP_ADDRESS_ERROR_CONTROL, "Evil" },
  { "", EP_ADDRESS_ERROR_EMPTY, NULL },
};

static void
test_good (gconstpointer data)
{
  const Good *row = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddress) address = ep_address_parse (row->input, &error);

  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_assert_cmpstr (ep_address_get_name (address), ==, row->name);
  g_assert_cmpstr (ep_address_get_addr_spec (address), ==, row->addr);
  g_assert_cmpstr (ep_address_get_ascii (address), ==, row->ascii);
  g_assert_cmpint (ep_address_needs_smtputf8 (address), ==, row->ascii == NULL);
}

static void
test_bad (gconstpointer data)
{
  const Bad *row = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddress) address = ep_address_parse (row->input, &error);

  g_assert_null (address);
  g_assert_error (error, EP_ADDRESS_ERROR, row->code);
  if (row->mentions != NULL)
    g_assert_nonnull (strstr (error->message, row->mentions));
}

static void
test_lengths (void)
{
  g_autofree char *local64 = g_strnfill (64, 'a');
  g_autofree char *local65 = g_strnfill (65, 'a');
  g_autofree char *label = g_strnfill (63, 'b');
  g_autofree char *label64 = g_strnfill (64, 'b');
  g_autofree char *ok = g_strdup_printf ("%s@example.com", local64);
  g_autofree char *long_local = g_strdup_printf ("%s@example.com", local65);
  g_autofree char *long_label = g_strdup_printf ("x@%s.com", label64);
  g_autofree char *long_path = g_strdup_printf ("%s@%s.%s.%s.com", local64, label, label, label);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddress) address = ep_address_parse (ok, &error);

  g_assert_no_error (error);
  g_assert_nonnull (address);

  g_assert_null (ep_address_parse (long_local, &error));
  g_assert_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_null (ep_address_parse (long_label, &error));
  g_assert_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_DOMAIN);
  g_clear_error (&error);
  g_assert_null (ep_address_parse (long_path, &error));
  g_assert_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_TOO_LONG);
}

static void
test_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddressList) list =
    ep_address_list_parse ("a@example.com; \"Doe, Jane\" <jane@example.com>,张三 <zhang@qq.com>\n"
                           "A@EXAMPLE.COM;;  ", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ep_address_list_get_length (list), ==, 3);
  g_assert_cmpstr (ep_address_get_name (ep_address_list_get (list, 1)), ==, "Doe, Jane");
  g_assert_cmpstr (ep_address_get_name (ep_address_list_get (list, 2)), ==, "张三");
}

static void
test_list_names_bad_entry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddressList) list = ep_address_list_parse ("ok@example.com; bob@qq; x@y.cn", &error);

  g_assert_null (list);
  g_assert_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_NO_TLD);
  g_assert_nonnull (strstr (error->message, "“bob@qq”"));
}

static void
test_split (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = ep_address_split ("\"Doe; Jane\" <j@x.com>, <a,b@x.com>;c@x.com", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_cmpstr (parts[0], ==, "\"Doe; Jane\" <j@x.com>");
  g_assert_cmpstr (parts[1], ==, "<a,b@x.com>");
  g_assert_cmpstr (parts[2], ==, "c@x.com");

  g_assert_null (ep_address_split ("\"unterminated <x@y.com>", &error));
  g_assert_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_SYNTAX);
}

/* Bytes that are not UTF-8 get their own error, and every message stays UTF-8. */
static void
test_not_utf8 (void)
{
  static const char * const inputs[] = {
    "\"caf\xe9 <x@example.com>",            /* Latin-1 inside an unterminated quote */
    "\"caf\xe9\" <x@example.com>",
    "bob@ex\xe9mple.com",
    "ok@example.com; \xff\xfe@example.com",
    "\xc3",                                 /* a truncated sequence */
    "\"\xed\xa0\x80",                       /* an encoded surrogate, then no closing quote */
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) split_error = NULL;
      g_autoptr(GError) list_error = NULL;
      g_autoptr(GError) parse_error = NULL;
      g_auto(GStrv) parts = ep_address_split (inputs[i], &split_error);
      g_autoptr(EpAddressList) list = ep_address_list_parse (inputs[i], &list_error);
      g_autoptr(EpAddress) address = ep_address_parse (inputs[i], &parse_error);

      g_test_message ("input %u", i);
      g_assert_null (parts);
      g_assert_null (list);
      g_assert_null (address);
      g_assert_error (split_error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_ENCODING);
      g_assert_error (list_error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_ENCODING);
      g_assert_error (parse_error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_ENCODING);
      g_assert_true (g_utf8_validate (split_error->message, -1, NULL));
      g_assert_true (g_utf8_validate (list_error->message, -1, NULL));
      g_assert_true (g_utf8_validate (parse_error->message, -1, NULL));
      g_assert_nonnull (strstr (parse_error->message, "UTF-8"));
    }
}

/* Every message a bad entry can produce is UTF-8, whatever the entry holds. */
static void
test_messages_are_utf8 (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpAddress) address = ep_address_parse (bad[i].input, &error);

      g_assert_null (address);
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_equal (void)
{
  g_autoptr(EpAddress) a = ep_address_parse ("Bob <Bob@Example.COM>", NULL);
  g_autoptr(EpAddress) b = ep_address_parse ("bob@example.com", NULL);
  g_autoptr(EpAddress) c = ep_address_parse ("user@例子.中国", NULL);
  g_autoptr(EpAddress) d = ep_address_parse ("user@xn--fsqu00a.xn--fiqs8s", NULL);

  g_assert_true (ep_address_equal (a, b));
  g_assert_true (ep_address_equal (c, d));
  g_assert_false (ep_address_equal (a, c));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *path = g_strdup_printf ("/address/accept/%u", i);
      g_test_add_data_func (path, &good[i], test_good);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/address/reject/%u", i);
      g_test_add_data_func (path, &bad[i], test_bad);
    }
  g_test_add_func ("/address/lengths", test_lengths);
  g_test_add_func ("/address/list", test_list);
  g_test_add_func ("/address/list-names-bad-entry", test_list_names_bad_entry);
  g_test_add_func ("/address/split", test_split);
  g_test_add_func ("/address/equal", test_equal);
  g_test_add_func ("/address/not-utf8", test_not_utf8);
  g_test_add_func ("/address/messages-are-utf8", test_messages_are_utf8);
  return g_test_run ();
}
