/* ep-outbox-view.h — the Outbox page: each waiting message, its state, Retry Now, Edit, Delete
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ep-outbox.h"

G_BEGIN_DECLS

#define EP_TYPE_OUTBOX_VIEW (ep_outbox_view_get_type ())
G_DECLARE_FINAL_TYPE (EpOutboxView, ep_outbox_view, EP, OUTBOX_VIEW, GtkWidget)

GtkWidget *ep_outbox_view_new            (void);
void       ep_outbox_view_set_outbox     (EpOutboxView  *self,
                                          EpOutbox      *outbox);
char      *ep_outbox_view_describe_state (EpOutbox      *outbox,
                                          EpOutboxEntry *entry);

G_END_DECLS
