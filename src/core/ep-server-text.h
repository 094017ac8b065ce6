/* ep-server-text.h — text from a server, whatever its encoding, as UTF-8 safe to show
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *ep_server_text_to_utf8    (const char *bytes,
                                 gssize      len);
char *ep_server_text_escape     (const char *text);
char *ep_server_text_to_display (const char *bytes,
                                 gssize      len);

G_END_DECLS
