/* ep-smtp-hint.c — turn a provider's refusal into a sentence a person can act on
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The big Chinese providers refuse the account password for SMTP: they
 * want an authorization code (授权码) generated in their web mail settings.
 * 163 and 126 also answer “554 DT:SPM” when their spam filter objects.
 */
#include "ep-smtp-hint.h"

#include <string.h>
#include <glib/gi18n-lib.h>

typedef enum {
  PROVIDER_OTHER,
  PROVIDER_QQ,
  PROVIDER_NETEASE,
  PROVIDER_SINA,
  PROVIDER_SOHU,
  PROVIDER_GMAIL,
  PROVIDER_OUTLOOK,
} Provider;

static const struct { const char *domain; Provider provider; } domains[] = {
  { "qq.com", PROVIDER_QQ }, { "foxmail.com", PROVIDER_QQ }, { "exmail.qq.com", PROVIDER_QQ },
  { "163.com", PROVIDER_NETEASE }, { "126.com", PROVIDER_NETEASE }, { "yeah.net", PROVIDER_NETEASE },
  { "sina.com", PROVIDER_SINA }, { "sina.cn", PROVIDER_SINA }, { "sohu.com", PROVIDER_SOHU },
  { "gmail.com", PROVIDER_GMAIL }, { "googlemail.com", PROVIDER_GMAIL },
  { "outlook.com", PROVIDER_OUTLOOK }, { "hotmail.com", PROVIDER_OUTLOOK },
  { "live.com", PROVIDER_OUTLOOK }, { "office365.com", PROVIDER_OUTLOOK },
};

/* Whether @name is @domain or ends in “.@domain”. */
static gboolean
in_domain (const char *name,
           const char *domain)
{
  gsize n = strlen (name), d = strlen (domain);

  if (n < d || g_ascii_strcasecmp (name + n - d, domain) != 0)
    return FALSE;
  return n == d || name[n - d - 1] == '.' || name[n - d - 1] == '@';
}

static Provider
provider_of (const char *host,
             const char *user)
{
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      if ((host && in_domain (host, domains[i].domain)) ||
          (user && in_domain (user, domains[i].domain)))
        return domains[i].provider;
    }
  return PROVIDER_OTHER;
}

/* Returns: (transfer full): why sign-in failed and what to do about it */
char *
ep_smtp_hint_auth_failure (const char        *host,
                           const char        *user,
                           const EpSmtpReply *reply)
{
  g_autofree char *said = ep_smtp_reply_to_string (reply);

  switch (provider_of (host, user))
    {
    case PROVIDER_QQ:
      return g_strdup_printf (_("QQ Mail refused the sign-in (%s). QQ Mail needs an authorization "
                                "code (授权码), not your QQ password: in QQ Mail on the web open "
                                "Settings → Account, turn on the POP3/IMAP/SMTP service and "
                                "generate an authorization code, then use that code as the password."),
                              said);
    case PROVIDER_NETEASE:
      return g_strdup_printf (_("NetEase Mail (163/126) refused the sign-in (%s). It needs an "
                                "authorization code (授权码), not your login password: on the web "
                                "open Settings → POP3/SMTP/IMAP, turn on the SMTP service and "
                                "create an authorization code, then use that code as the password."),
                              said);
    case PROVIDER_SINA:
    case PROVIDER_SOHU:
      return g_strdup_printf (_("The server refused the sign-in (%s). This provider needs the SMTP "
                                "service turned on in its web mail settings, and the authorization "
                                "code (授权码) it gives you, not your login password."), said);
    case PROVIDER_GMAIL:
      return g_strdup_printf (_("Gmail refused the sign-in (%s). With 2-Step Verification on, Gmail "
                                "needs an app password (Google Account → Security → App passwords) "
                                "or OAuth2 (XOAUTH2), not your Google password."), said);
    case PROVIDER_OUTLOOK:
      return g_strdup_printf (_("Outlook refused the sign-in (%s). Microsoft accounts no longer accept "
                                "a password over SMTP: sign in with OAuth2 (XOAUTH2)."), said);
    case PROVIDER_OTHER:
    default:
      return g_strdup_printf (_("The server refused the user name or password (%s). Check both; "
                                "some providers need an app password or authorization code "
                                "instead of the account password."), said);
    }
}

/* Returns: (transfer full): the server's refusal of a message, explained when we can */
char *
ep_smtp_hint_rejection (const char        *host,
                        const EpSmtpReply *reply)
{
  g_autofree char *said = ep_smtp_reply_to_string (reply);

  if (strstr (said, "DT:SPM") != NULL)
    return g_strdup_printf (_("The server's spam filter refused the message (%s). Change the "
                              "subject and body so they read less like bulk mail — a real "
                              "subject, a few sentences of text, no bare links or test words — "
                              "and send again."), said);
  if (strstr (said, "MI:") != NULL || strstr (said, "RP:") != NULL)
    return g_strdup_printf (_("The server refused the message (%s). It limits how often and to "
                              "how many people an account may send; wait a while and try again."),
                            said);
  if (ep_smtp_reply_is_transient (reply))
    return g_strdup_printf (_("The server could not take the message now (%s). Try again later."),
                            said);
  return g_strdup_printf (_("The server refused the message (%s)."), said);
}
