/* ep-imap-utf7.h — IMAP's modified UTF-7 mailbox names (RFC 3501 §5.1.3)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *ep_imap_utf7_encode (const char  *utf8);
char *ep_imap_utf7_decode (const char  *mutf7,
                           GError     **error);

G_END_DECLS
