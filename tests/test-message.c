/* test-message.c — the composer model: recipients, inline images, copies
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-message.h"

static EpAddressList *
list (const char *text)
{
  g_autoptr(GError) error = NULL;
  EpAddressList *parsed = ep_address_list_parse (text, &error);

  g_assert_no_error (error);
  return parsed;
}

static void
test_dedup_across_fields (void)
{
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddressList) to = list ("a@example.com, b@example.com");
  g_autoptr(EpAddressList) cc = list ("B@EXAMPLE.COM; c@example.com");
  g_autoptr(EpAddressList) bcc = list ("a@example.com, c@example.com, d@example.com");
  g_autoptr(EpAddressList) all = NULL;

  g_assert_cmpuint (ep_message_add_recipients (message, EP_RECIPIENT_TO, to), ==, 2);
  g_assert_cmpuint (ep_message_add_recipients (message, EP_RECIPIENT_CC, cc), ==, 1);
  g_assert_cmpuint (ep_message_add_recipients (message, EP_RECIPIENT_BCC, bcc), ==, 1);

  all = ep_message_dup_envelope_recipients (message);
  g_assert_cmpuint (ep_address_list_get_length (all), ==, 4);
  g_assert_cmpstr (ep_address_get_addr_spec (ep_address_list_get (all, 3)), ==, "d@example.com");
}

static void
test_inline_rewrite (void)
{
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(GError) error = NULL;
  const char *cid = NULL;
  g_autofree char *expected = NULL;

  ep_message_set_html (message, "<img src=\"cid:logo.png\"><img src='cid:logo.png'> cid:logo.png.bak");
  g_assert_true (ep_message_add_inline_image_for_html (message, "/tmp/x/logo.png", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ep_message_get_n_inline_images (message), ==, 1);
  g_assert_cmpstr (ep_message_get_inline_image (message, 0, &cid), ==, "/tmp/x/logo.png");

  expected = g_strdup_printf ("<img src=\"cid:%s\"><img src='cid:%s'> cid:logo.png.bak", cid, cid);
  g_assert_cmpstr (ep_message_get_html (message), ==, expected);
}

static void
test_inline_unreferenced (void)
{
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ep_message_add_inline_image_for_html (message, "a.png", &error));
  g_assert_error (error, EP_MESSAGE_ERROR, EP_MESSAGE_ERROR_NO_HTML);
  g_clear_error (&error);

  ep_message_set_html (message, "<p>no image</p>");
  g_assert_false (ep_message_add_inline_image_for_html (message, "a.png", &error));
  g_assert_error (error, EP_MESSAGE_ERROR, EP_MESSAGE_ERROR_NO_REFERENCE);
  g_assert_nonnull (strstr (error->message, "a.png"));
  g_assert_cmpuint (ep_message_get_n_inline_images (message), ==, 0);
  g_assert_cmpstr (ep_message_get_html (message), ==, "<p>no image</p>");
}

static void
test_copy (void)
{
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpMessage) copy = NULL;
  g_autoptr(EpAddressList) to = list ("张三 <zhang@qq.com>");
  g_autoptr(EpAddress) from = ep_address_parse ("me@example.com", NULL);
  const char *value;

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "主题");
  ep_message_set_text (message, "body");
  ep_message_add_attachment (message, "/tmp/a.bin");
  ep_message_add_inline_image (message, "/tmp/i.png", "id@x");
  ep_message_add_header (message, "X-Test", "1");

  copy = ep_message_copy (message);
  ep_message_set_subject (message, "changed");
  g_assert_cmpstr (ep_message_get_subject (copy), ==, "主题");
  g_assert_cmpstr (ep_message_get_text (copy), ==, "body");
  g_assert_cmpstr (ep_address_get_addr_spec (ep_message_get_from (copy)), ==, "me@example.com");
  g_assert_cmpuint (ep_address_list_get_length (ep_message_get_recipients (copy, EP_RECIPIENT_TO)), ==, 1);
  g_assert_cmpstr (ep_message_get_attachment (copy, 0), ==, "/tmp/a.bin");
  g_assert_cmpstr (ep_message_get_inline_image (copy, 0, NULL), ==, "/tmp/i.png");
  g_assert_cmpstr (ep_message_get_header (copy, 0, &value), ==, "X-Test");
  g_assert_cmpstr (value, ==, "1");
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/message/dedup-across-fields", test_dedup_across_fields);
  g_test_add_func ("/message/inline-rewrite", test_inline_rewrite);
  g_test_add_func ("/message/inline-unreferenced", test_inline_unreferenced);
  g_test_add_func ("/message/copy", test_copy);
  return g_test_run ();
}
