/* ep-smtp-hint.h — turn a provider's refusal into a sentence a person can act on
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-smtp-reply.h"

G_BEGIN_DECLS

char *ep_smtp_hint_auth_failure (const char        *host,
                                 const char        *user,
                                 const EpSmtpReply *reply);
char *ep_smtp_hint_rejection    (const char        *host,
                                 const EpSmtpReply *reply);

G_END_DECLS
