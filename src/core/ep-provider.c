/* ep-provider.c — provider presets: one table keyed by mail domain
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Servers and ports are the ones each provider documents for mail clients.
 * Chinese providers (and Gmail, Yahoo, iCloud) refuse the account password
 * over SMTP: they want an authorization code (授权码) or app password made in
 * the web mailbox, so the sign-in form must say so.
 */
#include "ep-provider.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define TLS EP_SECURITY_TLS
#define STARTTLS EP_SECURITY_STARTTLS

static const EpProvider providers[] = {
  { "qq.com foxmail.com", N_("QQ Mail"),
    "smtp.qq.com", 465, TLS, "imap.qq.com", 993, TLS, FALSE, TRUE, TRUE,
    "https://service.mail.qq.com/detail/0/75" },
  { "163.com", N_("NetEase 163 Mail"),
    "smtp.163.com", 465, TLS, "imap.163.com", 993, TLS, FALSE, TRUE, TRUE,
    "https://help.mail.163.com/faqDetail.do?code=d7a5dc8471cd0c0e8b4b8f4f8e49998b374173cfe9171305fa1ce630d7f67ac2a5feb28b66796d3b" },
  { "126.com", N_("NetEase 126 Mail"),
    "smtp.126.com", 465, TLS, "imap.126.com", 993, TLS, FALSE, TRUE, TRUE,
    "https://help.mail.126.com/" },
  { "yeah.net", N_("NetEase Yeah.net Mail"),
    "smtp.yeah.net", 465, TLS, "imap.yeah.net", 993, TLS, FALSE, TRUE, TRUE,
    "https://help.mail.163.com/" },
  { "sina.com", N_("Sina Mail"),
    "smtp.sina.com", 465, TLS, "imap.sina.com", 993, TLS, FALSE, TRUE, TRUE,
    "https://help.sina.com.cn/" },
  { "sina.cn", N_("Sina Mail"),
    "smtp.sina.cn", 465, TLS, "imap.sina.cn", 993, TLS, FALSE, TRUE, TRUE,
    "https://help.sina.com.cn/" },
  { "sohu.com", N_("Sohu Mail"),
    "smtp.sohu.com", 465, TLS, "imap.sohu.com", 993, TLS, FALSE, TRUE, TRUE,
    "https://mail.sohu.com/" },
  { "aliyun.com", N_("Aliyun Mail"),
    "smtp.aliyun.com", 465, TLS, "imap.aliyun.com", 993, TLS, FALSE, FALSE, FALSE,
    "https://help.aliyun.com/" },
  { "139.com", N_("China Mobile 139 Mail"),
    "smtp.139.com", 465, TLS, "imap.139.com", 993, TLS, FALSE, TRUE, TRUE,
    "https://mail.10086.cn/" },
  { "gmail.com googlemail.com", N_("Gmail"),
    "smtp.gmail.com", 465, TLS, "imap.gmail.com", 993, TLS, TRUE, TRUE, FALSE,
    "https://support.google.com/accounts/answer/185833" },
  { "outlook.com hotmail.com live.com", N_("Outlook.com"),
    "smtp-mail.outlook.com", 587, STARTTLS, "outlook.office365.com", 993, TLS, TRUE, FALSE, FALSE,
    "https://support.microsoft.com/office/d088b986-291d-42b8-9564-9c414e2aa040" },
  { "yahoo.com", N_("Yahoo Mail"),
    "smtp.mail.yahoo.com", 465, TLS, "imap.mail.yahoo.com", 993, TLS, FALSE, TRUE, FALSE,
    "https://help.yahoo.com/kb/SLN15241.html" },
  { "icloud.com me.com", N_("iCloud Mail"),
    "smtp.mail.me.com", 587, STARTTLS, "imap.mail.me.com", 993, TLS, FALSE, TRUE, FALSE,
    "https://support.apple.com/102654" },
};

#undef TLS
#undef STARTTLS

/* Whether @domain (lower case, no trailing dot) is one of @list's words. */
static gboolean
domain_in_list (const char *list,
                const char *domain,
                gsize       len)
{
  const char *p = list;

  while (*p != '\0')
    {
      gsize word = strcspn (p, " ");

      if (word == len && memcmp (p, domain, len) == 0)
        return TRUE;
      p += word;
      while (*p == ' ')
        p++;
    }
  return FALSE;
}

/**
 * ep_provider_lookup:
 * @domain: a mail domain such as "qq.com"; case and one trailing dot do not matter
 *
 * Returns: (nullable) (transfer none): the preset, or %NULL for an unknown domain
 */
const EpProvider *
ep_provider_lookup (const char *domain)
{
  g_autofree char *folded = NULL;
  gsize len;

  g_return_val_if_fail (domain != NULL, NULL);

  folded = g_ascii_strdown (domain, -1);
  g_strstrip (folded);
  len = strlen (folded);
  if (len > 0 && folded[len - 1] == '.')
    folded[--len] = '\0';
  if (len == 0 || strchr (folded, ' ') != NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      if (domain_in_list (providers[i].domains, folded, len))
        return &providers[i];
    }
  return NULL;
}

/**
 * ep_provider_lookup_address:
 * @address: an e-mail address; the domain is what follows the last “@”
 *
 * Returns: (nullable) (transfer none): the preset, or %NULL when the address
 *   has no “@” or its domain is unknown
 */
const EpProvider *
ep_provider_lookup_address (const char *address)
{
  g_autofree char *domain = NULL;
  const char *at;

  g_return_val_if_fail (address != NULL, NULL);

  at = strrchr (address, '@');
  if (at == NULL)
    return NULL;
  /* "Name <a@qq.com>" as typed: ignore the closing bracket. */
  domain = g_strdup (at + 1);
  g_strstrip (domain);
  if (g_str_has_suffix (domain, ">"))
    domain[strlen (domain) - 1] = '\0';
  return ep_provider_lookup (domain);
}

/* The provider's name in the user's language. */
const char *
ep_provider_get_name (const EpProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return _(provider->name);
}

/**
 * ep_provider_dup_hint:
 *
 * Returns: (nullable) (transfer full): one sentence telling what the password
 *   field takes, or %NULL when the provider takes the account password
 */
char *
ep_provider_dup_hint (const EpProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  if (!provider->needs_app_password)
    return NULL;
  if (provider->authorization_code)
    /* Translators: %s is a provider such as “QQ Mail”; keep “授权码”, it is what the site shows */
    return g_strdup_printf (_("%s needs an authorization code (授权码) from the web mailbox's "
                              "settings, not your account password."),
                            ep_provider_get_name (provider));
  /* Translators: %s is a provider such as “Gmail” */
  return g_strdup_printf (_("%s needs an app password from your account's security settings, "
                            "not your account password."),
                          ep_provider_get_name (provider));
}

/* The domain as a server name's tail: lower case, no spaces, no final dot. */
static char *
fold_domain (const char *domain)
{
  char *folded = g_ascii_strdown (domain, -1);
  gsize len;

  g_strstrip (folded);
  len = strlen (folded);
  if (len > 0 && folded[len - 1] == '.')
    folded[len - 1] = '\0';
  return folded;
}

/**
 * ep_provider_manual_defaults:
 * @domain: the mail domain of an address no preset knows
 * @smtp_host: (out) (transfer full) (optional): "smtp." followed by @domain,
 *   or "" when @domain is empty
 * @port: (out) (optional): 465
 * @security: (out) (optional): implicit TLS
 *
 * What the manual fields start with for an unknown domain.
 */
void
ep_provider_manual_defaults (const char  *domain,
                             char       **smtp_host,
                             guint16     *port,
                             EpSecurity  *security)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (domain != NULL);

  folded = fold_domain (domain);
  if (smtp_host != NULL)
    *smtp_host = *folded != '\0' ? g_strconcat ("smtp.", folded, NULL) : g_strdup ("");
  if (port != NULL)
    *port = 465;
  if (security != NULL)
    *security = EP_SECURITY_TLS;
}

/**
 * ep_provider_manual_imap_defaults:
 * @domain: the mail domain of an address no preset knows
 * @imap_host: (out) (transfer full) (optional): "imap." followed by @domain,
 *   or "" when @domain is empty
 * @port: (out) (optional): 993
 * @security: (out) (optional): implicit TLS
 *
 * What the manual incoming-mail fields start with for an unknown domain.
 */
void
ep_provider_manual_imap_defaults (const char  *domain,
                                  char       **imap_host,
                                  guint16     *port,
                                  EpSecurity  *security)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (domain != NULL);

  folded = fold_domain (domain);
  if (imap_host != NULL)
    *imap_host = *folded != '\0' ? g_strconcat ("imap.", folded, NULL) : g_strdup ("");
  if (port != NULL)
    *port = ep_security_default_imap_port (EP_SECURITY_TLS);
  if (security != NULL)
    *security = EP_SECURITY_TLS;
}
