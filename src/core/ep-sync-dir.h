/* ep-sync-dir.h — flushing a folder so that a rename or a new file in it survives a crash
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean ep_sync_dir (const char  *dir,
                      GError     **error);

G_END_DECLS
