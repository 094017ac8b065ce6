/* ep-demo-home.h — the demo's own user data dir, gone when the demo ends
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *ep_demo_home_enter  (GError     **error);
gboolean  ep_demo_home_remove (const char  *dir,
                               GError     **error);

G_END_DECLS
