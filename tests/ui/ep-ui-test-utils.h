/* ep-ui-test-utils.h — what the window's tests share: screenshots, labels, the main loop
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       ep_ui_test_iterate_for (guint        ms);
GtkLabel  *ep_ui_test_find_label  (GtkWidget   *widget,
                                   const char  *prefix);
GtkLabel  *ep_ui_test_wait_label  (GtkWidget   *widget,
                                   const char  *prefix);
GtkWidget *ep_ui_test_find_field  (GtkWidget   *widget,
                                   const char  *name);
GtkWidget *ep_ui_test_find_button (GtkWidget   *widget,
                                   const char  *label);
void       ep_ui_test_shoot       (GtkWidget   *widget,
                                   const char  *name);

G_END_DECLS
