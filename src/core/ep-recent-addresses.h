/* ep-recent-addresses.h — addresses sent to before, for completion in the composer
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ep-address.h"

G_BEGIN_DECLS

#define EP_RECENT_ADDRESSES_MAX 500

#define EP_TYPE_RECENT_ADDRESSES (ep_recent_addresses_get_type ())
G_DECLARE_FINAL_TYPE (EpRecentAddresses, ep_recent_addresses, EP, RECENT_ADDRESSES, GObject)

EpRecentAddresses *ep_recent_addresses_new          (const char              *path);
char              *ep_recent_addresses_default_path (void);
const char        *ep_recent_addresses_get_path     (EpRecentAddresses       *self);
gboolean           ep_recent_addresses_load         (EpRecentAddresses       *self,
                                                     GError                 **error);
gboolean           ep_recent_addresses_save         (EpRecentAddresses       *self,
                                                     GError                 **error);
void               ep_recent_addresses_add          (EpRecentAddresses       *self,
                                                     const EpAddress         *address);
void               ep_recent_addresses_add_list     (EpRecentAddresses       *self,
                                                     const EpAddressList     *list);
guint              ep_recent_addresses_get_length   (EpRecentAddresses       *self);
GPtrArray         *ep_recent_addresses_complete     (EpRecentAddresses       *self,
                                                     const char              *prefix,
                                                     guint                    max);

G_END_DECLS
