/* ep-test-network.h — a GNetworkMonitor whose availability the test flips
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TEST_TYPE_NETWORK (test_network_get_type ())
G_DECLARE_FINAL_TYPE (TestNetwork, test_network, TEST, NETWORK, GObject)

TestNetwork *test_network_new (void);
void         test_network_set (TestNetwork *self,
                               gboolean     available);

G_END_DECLS
