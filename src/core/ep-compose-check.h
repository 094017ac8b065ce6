/* ep-compose-check.h — questions worth asking before a send
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean ep_compose_mentions_attachment (const char *body);

G_END_DECLS
