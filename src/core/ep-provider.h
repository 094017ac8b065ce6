/* ep-provider.h — provider presets: one table keyed by mail domain
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ep-types.h"

G_BEGIN_DECLS

typedef struct
{
  const char *domains;            /* space-separated, lower case: "qq.com foxmail.com" */
  const char *name;               /* untranslated; show ep_provider_get_name () */
  const char *smtp_host;
  guint16     smtp_port;
  EpSecurity  smtp_security;
  const char *imap_host;
  guint16     imap_port;
  EpSecurity  imap_security;
  gboolean    files_sent;         /* the provider stores sent mail itself (Gmail, Outlook…) */
  gboolean    needs_app_password; /* an authorization code (授权码) or app password */
  gboolean    authorization_code; /* the secret is called an authorization code, not an app password */
  const char *help_url;           /* how to get the authorization code / app password */
} EpProvider;

const EpProvider *ep_provider_lookup          (const char        *domain);
const EpProvider *ep_provider_lookup_address  (const char        *address);
const char       *ep_provider_get_name        (const EpProvider  *provider);
char             *ep_provider_dup_hint        (const EpProvider  *provider);
void              ep_provider_manual_defaults (const char        *domain,
                                               char             **smtp_host,
                                               guint16           *port,
                                               EpSecurity        *security);
void              ep_provider_manual_imap_defaults (const char   *domain,
                                               char             **imap_host,
                                               guint16           *port,
                                               EpSecurity        *security);

G_END_DECLS
