/* test-provider.c — provider presets: every domain, case, unknown, address form, bad input
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-provider.h"

typedef struct
{
  const char *domain;
  const char *name;
  const char *smtp_host;
  guint16 smtp_port;
  EpSecurity smtp_security;
  const char *imap_host;
  gboolean files_sent;
  gboolean needs_app_password;
} Expected;

static const Expected expected[] = {
  { "qq.com", "QQ Mail", "smtp.qq.com", 465, EP_SECURITY_TLS, "imap.qq.com", FALSE, TRUE },
  { "foxmail.com", "QQ Mail", "smtp.qq.com", 465, EP_SECURITY_TLS, "imap.qq.com", FALSE, TRUE },
  { "163.com", "NetEase 163 Mail", "smtp.163.com", 465, EP_SECURITY_TLS, "imap.163.com", FALSE, TRUE },
  { "126.com", "NetEase 126 Mail", "smtp.126.com", 465, EP_SECURITY_TLS, "imap.126.com", FALSE, TRUE },
  { "yeah.net", "NetEase Yeah.net Mail", "smtp.yeah.net", 465, EP_SECURITY_TLS, "imap.yeah.net", FALSE, TRUE },
  { "sina.com", "Sina Mail", "smtp.sina.com", 465, EP_SECURITY_TLS, "imap.sina.com", FALSE, TRUE },
  { "sina.cn", "Sina Mail", "smtp.sina.cn", 465, EP_SECURITY_TLS, "imap.sina.cn", FALSE, TRUE },
  { "sohu.com", "Sohu Mail", "smtp.sohu.com", 465, EP_SECURITY_TLS, "imap.sohu.com", FALSE, TRUE },
  { "aliyun.com", "Aliyun Mail", "smtp.aliyun.com", 465, EP_SECURITY_TLS, "imap.aliyun.com", FALSE, FALSE },
  { "139.com", "China Mobile 139 Mail", "smtp.139.com", 465, EP_SECURITY_TLS, "imap.139.com", FALSE, TRUE },
  { "gmail.com", "Gmail", "smtp.gmail.com", 465, EP_SECURITY_TLS, "imap.gmail.com", TRUE, TRUE },
  { "outlook.com", "Outlook.com", "smtp-mail.outlook.com", 587, EP_SECURITY_STARTTLS, "outlook.office365.com", TRUE, FALSE },
  { "hotmail.com", "Outlook.com", "smtp-mail.outlook.com", 587, EP_SECURITY_STARTTLS, "outlook.office365.com", TRUE, FALSE },
  { "live.com", "Outlook.com", "smtp-mail.outlook.com", 587, EP_SECURITY_STARTTLS, "outlook.office365.com", TRUE, FALSE },
  { "yahoo.com", "Yahoo Mail", "smtp.mail.yahoo.com", 465, EP_SECURITY_TLS, "imap.mail.yahoo.com", FALSE, TRUE },
  { "icloud.com", "iCloud Mail", "smtp.mail.me.com", 587, EP_SECURITY_STARTTLS, "imap.mail.me.com", FALSE, TRUE },
  { "me.com", "iCloud Mail", "smtp.mail.me.com", 587, EP_SECURITY_STARTTLS, "imap.mail.me.com", FALSE, TRUE },
};

static void
test_domain (gconstpointer data)
{
  const Expected *row = data;
  const EpProvider *p = ep_provider_lookup (row->domain);

  g_assert_nonnull (p);
  g_assert_cmpstr (p->name, ==, row->name);
  g_assert_cmpstr (ep_provider_get_name (p), ==, row->name);
  g_assert_cmpstr (p->smtp_host, ==, row->smtp_host);
  g_assert_cmpuint (p->smtp_port, ==, row->smtp_port);
  g_assert_cmpint (p->smtp_security, ==, row->smtp_security);
  g_assert_cmpstr (p->imap_host, ==, row->imap_host);
  g_assert_cmpuint (p->imap_port, ==, 993);
  g_assert_cmpint (p->imap_security, ==, EP_SECURITY_TLS);
  g_assert_cmpint (p->files_sent, ==, row->files_sent);
  g_assert_cmpint (p->needs_app_password, ==, row->needs_app_password);
  g_assert_true (g_str_has_prefix (p->help_url, "https://"));
  g_assert_nonnull (strstr (p->domains, row->domain));
}

static void
test_case_and_dot (void)
{
  const EpProvider *qq = ep_provider_lookup ("qq.com");

  g_assert_true (ep_provider_lookup ("QQ.COM") == qq);
  g_assert_true (ep_provider_lookup ("Qq.Com") == qq);
  g_assert_true (ep_provider_lookup (" qq.com ") == qq);
  g_assert_true (ep_provider_lookup ("qq.com.") == qq);
  g_assert_true (ep_provider_lookup ("FoxMail.com") == qq);
  g_assert_true (ep_provider_lookup ("Gmail.com") == ep_provider_lookup ("gmail.com"));
}

static void
test_unknown (void)
{
  static const char * const unknown[] = {
    "", " ", ".", "example.com", "qq", "com", "qq.co", "qq.com.cn", "mail.qq.com", "xqq.com",
    "qq.comx", "qq.com foxmail.com", "foxmail", "163.com..", "sina", "中国.cn",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_test_message ("%s", unknown[i]);
      g_assert_null (ep_provider_lookup (unknown[i]));
    }
}

static void
test_address (void)
{
  const EpProvider *qq = ep_provider_lookup ("qq.com");
  const EpProvider *outlook = ep_provider_lookup ("outlook.com");

  g_assert_true (ep_provider_lookup_address ("zhang@qq.com") == qq);
  g_assert_true (ep_provider_lookup_address ("Zhang.San@QQ.com") == qq);
  g_assert_true (ep_provider_lookup_address ("\"a@b\"@foxmail.com") == qq);
  g_assert_true (ep_provider_lookup_address ("张三 <zhang@qq.com>") == qq);
  g_assert_true (ep_provider_lookup_address ("someone@hotmail.com") == outlook);
  g_assert_true (ep_provider_lookup_address ("@live.com") == outlook);
  g_assert_null (ep_provider_lookup_address ("zhang@example.com"));
  g_assert_null (ep_provider_lookup_address ("qq.com"));
  g_assert_null (ep_provider_lookup_address ("zhang@"));
  g_assert_null (ep_provider_lookup_address (""));
  g_assert_null (ep_provider_lookup_address ("@"));
  g_assert_null (ep_provider_lookup_address ("zhang@qq.com@evil.test"));
}

static void
test_hint (void)
{
  g_autofree char *qq = ep_provider_dup_hint (ep_provider_lookup ("qq.com"));
  g_autofree char *gmail = ep_provider_dup_hint (ep_provider_lookup ("gmail.com"));
  g_autofree char *outlook = ep_provider_dup_hint (ep_provider_lookup ("outlook.com"));
  g_autofree char *aliyun = ep_provider_dup_hint (ep_provider_lookup ("aliyun.com"));

  g_assert_cmpstr (qq, ==, "QQ Mail needs an authorization code (授权码) from the web mailbox's "
                           "settings, not your account password.");
  g_assert_cmpstr (gmail, ==, "Gmail needs an app password from your account's security "
                              "settings, not your account password.");
  g_assert_null (outlook);
  g_assert_null (aliyun);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const EpProvider *p = ep_provider_lookup (expected[i].domain);
      g_autofree char *hint = ep_provider_dup_hint (p);

      g_assert_cmpint (hint != NULL, ==, p->needs_app_password);
      if (hint != NULL)
        g_assert_true (g_str_has_prefix (hint, p->name));
    }
}

static void
test_manual_defaults (void)
{
  g_autofree char *host = NULL;
  g_autofree char *empty = NULL;
  guint16 port = 0;
  EpSecurity security = EP_SECURITY_NONE;

  ep_provider_manual_defaults ("Example.ORG", &host, &port, &security);
  g_assert_cmpstr (host, ==, "smtp.example.org");
  g_assert_cmpuint (port, ==, 465);
  g_assert_cmpint (security, ==, EP_SECURITY_TLS);

  g_clear_pointer (&host, g_free);
  ep_provider_manual_defaults ("mail.example.cn.", &host, NULL, NULL);
  g_assert_cmpstr (host, ==, "smtp.mail.example.cn");

  ep_provider_manual_defaults ("", &empty, &port, NULL);
  g_assert_cmpstr (empty, ==, "");
}

/* The incoming-mail fields for an unknown domain; the port follows the security (RFC 8314). */
static void
test_manual_imap_defaults (void)
{
  g_autofree char *host = NULL;
  g_autofree char *empty = NULL;
  guint16 port = 0;
  EpSecurity security = EP_SECURITY_NONE;

  ep_provider_manual_imap_defaults ("Example.ORG", &host, &port, &security);
  g_assert_cmpstr (host, ==, "imap.example.org");
  g_assert_cmpuint (port, ==, 993);
  g_assert_cmpint (security, ==, EP_SECURITY_TLS);

  g_clear_pointer (&host, g_free);
  ep_provider_manual_imap_defaults ("mail.example.cn.", &host, NULL, NULL);
  g_assert_cmpstr (host, ==, "imap.mail.example.cn");

  ep_provider_manual_imap_defaults ("", &empty, NULL, NULL);
  g_assert_cmpstr (empty, ==, "");

  g_assert_cmpuint (ep_security_default_imap_port (EP_SECURITY_TLS), ==, 993);
  g_assert_cmpuint (ep_security_default_imap_port (EP_SECURITY_STARTTLS), ==, 143);
  g_assert_cmpuint (ep_security_default_imap_port (EP_SECURITY_NONE), ==, 143);
}

static void
test_null (void)
{
  if (g_test_subprocess ())
    {
      g_assert_null (ep_provider_lookup (NULL));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*domain != NULL*");
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_strdup_printf ("/provider/domain/%s", expected[i].domain);
      g_test_add_data_func (path, &expected[i], test_domain);
    }
  g_test_add_func ("/provider/case-and-dot", test_case_and_dot);
  g_test_add_func ("/provider/unknown", test_unknown);
  g_test_add_func ("/provider/address", test_address);
  g_test_add_func ("/provider/hint", test_hint);
  g_test_add_func ("/provider/manual-defaults", test_manual_defaults);
  g_test_add_func ("/provider/manual-imap-defaults", test_manual_imap_defaults);
  g_test_add_func ("/provider/null", test_null);
  return g_test_run ();
}
