/* ep-bench-probe.h — first-frame stamp and main-loop stall meter for bench/window
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ep_bench_probe_attach (GtkWindow *window);

G_END_DECLS
