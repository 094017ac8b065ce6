/* ep-types.c — names for the shared enums
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-types.h"

#include <glib/gi18n-lib.h>

static const char * const security_names[] = {
  [EP_SECURITY_STARTTLS] = "starttls",
  [EP_SECURITY_TLS] = "tls",
  [EP_SECURITY_NONE] = "none",
};

const char *
ep_security_to_string (EpSecurity security)
{
  g_return_val_if_fail (security <= EP_SECURITY_NONE, NULL);

  return security_names[security];
}

gboolean
ep_security_from_string (const char *text,
                         EpSecurity *security)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (security != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (security_names); i++)
    {
      if (g_ascii_strcasecmp (text, security_names[i]) == 0)
        {
          *security = (EpSecurity) i;
          return TRUE;
        }
    }

  return FALSE;
}

guint16
ep_security_default_smtp_port (EpSecurity security)
{
  switch (security)
    {
    case EP_SECURITY_TLS:
      return 465;
    case EP_SECURITY_NONE:
      return 25;
    case EP_SECURITY_STARTTLS:
    default:
      return 587;
    }
}

/* 993 for implicit TLS, 143 for STARTTLS or none (RFC 8314, RFC 3501) */
guint16
ep_security_default_imap_port (EpSecurity security)
{
  return security == EP_SECURITY_TLS ? 993 : 143;
}

const char *
ep_send_stage_to_string (EpSendStage stage)
{
  switch (stage)
    {
    case EP_SEND_STAGE_PREPARING:
      return _("Preparing");
    case EP_SEND_STAGE_CONNECTING:
      return _("Connecting");
    case EP_SEND_STAGE_TLS:
      return _("Securing the connection");
    case EP_SEND_STAGE_AUTHENTICATING:
      return _("Signing in");
    case EP_SEND_STAGE_ENVELOPE:
      return _("Checking recipients");
    case EP_SEND_STAGE_SENDING:
      return _("Sending");
    case EP_SEND_STAGE_DONE:
      return _("Sent");
    default:
      return "";
    }
}
