/* test-i18n-runtime.c — the built zh_CN catalogue reaches ui, cli and core strings at run time
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The program binds its domain to the install prefix's locale dir; this test binds it to the
 * build tree's po/ (EP_TEST_LOCALEDIR), where meson compiles po/zh_CN.po, and picks Chinese with
 * LANGUAGE under C.UTF-8, so it needs no generated zh_CN locale.
 */
#include <locale.h>
#include <glib/gi18n.h>

#include "ep-address.h"
#include "ep-locale.h"

/* A string the window and the CLI both use, through the default domain. */
static void
test_ui_string (void)
{
  g_assert_cmpstr (_("Subject"), ==, "主题");
  g_assert_cmpstr (_("Cancel Sending"), ==, "取消发送");
}

/* Core uses <glib/gi18n-lib.h>, i.e. dgettext (GETTEXT_PACKAGE): its errors arrive in Chinese. */
static void
test_core_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddressList) list = ep_address_list_parse ("bob@qq", &error);

  g_assert_null (list);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "“bob@qq”缺少顶级域名（如 .com 或 .cn）");
}

/* zh_CN has one plural form: every count takes msgstr[0]. */
static void
test_plural (void)
{
  g_autofree char *one = NULL;
  g_autofree char *many = NULL;

  one = g_strdup_printf (ngettext ("Sent to %u recipient", "Sent to %u recipients", 1), 1);
  many = g_strdup_printf (ngettext ("Sent to %u recipient", "Sent to %u recipients", 3), 3);
  g_assert_cmpstr (one, ==, "已发送给 1 位收件人");
  g_assert_cmpstr (many, ==, "已发送给 3 位收件人");
}

/* The translation reorders arguments with %3$s…: GLib's printf must honour them. */
static void
test_positional (void)
{
  g_autofree char *text = g_strdup_printf (_("“%s” in [%s] of “%s” is wrong: %s"),
                                           "Port", "SMTP", "account.ini", "x");

  g_assert_cmpstr (text, ==, "“account.ini”的 [SMTP] 中的“Port”有误：x");
}

/* g_date_time_format () returns NULL for a format it cannot read, which msgfmt cannot see. */
static void
test_date_formats (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 5, 9, 7, 0);
  g_autofree char *list = g_date_time_format (date, _("%-d %b"));
  g_autofree char *pane = g_date_time_format (date, _("%A, %-d %B %Y, %H:%M"));

  g_assert_cmpstr (list, ==, "3月5日");
  g_assert_nonnull (pane);
  g_assert_true (g_str_has_prefix (pane, "2026年3月5日 "));
  g_assert_true (g_str_has_suffix (pane, " 09:07"));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, EP_TEST_LOCALEDIR);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/i18n/zh_CN/ui-string", test_ui_string);
  g_test_add_func ("/i18n/zh_CN/core-error", test_core_error);
  g_test_add_func ("/i18n/zh_CN/plural", test_plural);
  g_test_add_func ("/i18n/zh_CN/positional", test_positional);
  g_test_add_func ("/i18n/zh_CN/date-formats", test_date_formats);
  return g_test_run ();
}
