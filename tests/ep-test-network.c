/* ep-test-network.c — a GNetworkMonitor whose availability the test flips
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stands in for the operating system's network monitor, which a test cannot
 * unplug; the mail servers the tests use stay real. Available: connectivity
 * FULL; unavailable: LOCAL, and "network-changed" is emitted on each flip.
 */
#include "ep-test-network.h"

struct _TestNetwork
{
  GObject parent_instance;
  gboolean available;
};

enum { PROP_NET_0, PROP_NET_AVAILABLE, PROP_NET_METERED, PROP_NET_CONNECTIVITY };

static void test_network_iface_init (GNetworkMonitorInterface *iface);
static void test_network_initable_init (GInitableIface *iface);

/* GNetworkMonitor requires GInitable. */
G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetwork, test_network, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_network_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_network_iface_init))

static gboolean
test_network_initable (GInitable     *initable,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return TRUE;
}

static void
test_network_initable_init (GInitableIface *iface)
{
  iface->init = test_network_initable;
}

static void
test_network_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestNetwork *self = TEST_NETWORK (object);

  switch (prop_id)
    {
    case PROP_NET_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NET_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_NET_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
test_network_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  if (TEST_NETWORK (monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network unreachable");
  return FALSE;
}

static void
test_network_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_can_reach;
}

static void
test_network_class_init (TestNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_get_property;
  g_object_class_override_property (object_class, PROP_NET_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NET_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_NET_CONNECTIVITY, "connectivity");
}

static void
test_network_init (TestNetwork *self)
{
  self->available = TRUE;
}

void
test_network_set (TestNetwork *self,
                  gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "connectivity");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* Returns: (transfer full): a network monitor that says "online" until test_network_set () */
TestNetwork *
test_network_new (void)
{
  return g_object_new (TEST_TYPE_NETWORK, NULL);
}
