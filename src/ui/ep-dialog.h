/* ep-dialog.h — what every message dialog of Epistle's needs
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ep_dialog_name_buttons_once (GtkWidget *dialog);

G_END_DECLS
