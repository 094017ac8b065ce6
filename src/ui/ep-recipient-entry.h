/* ep-recipient-entry.h — a `;`/`,` list of addresses that marks and explains bad entries
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ep-address.h"
#include "ep-recent-addresses.h"

G_BEGIN_DECLS

#define EP_TYPE_RECIPIENT_ENTRY (ep_recipient_entry_get_type ())
G_DECLARE_FINAL_TYPE (EpRecipientEntry, ep_recipient_entry, EP, RECIPIENT_ENTRY, GtkWidget)

GtkWidget     *ep_recipient_entry_new            (void);
GtkEditable   *ep_recipient_entry_get_editable   (EpRecipientEntry   *self);
const char    *ep_recipient_entry_get_text       (EpRecipientEntry   *self);
void           ep_recipient_entry_set_text       (EpRecipientEntry   *self,
                                                  const char         *text);
gboolean       ep_recipient_entry_get_valid      (EpRecipientEntry   *self);
guint          ep_recipient_entry_get_n_addresses (EpRecipientEntry  *self);
const char    *ep_recipient_entry_get_problem    (EpRecipientEntry   *self);
void           ep_recipient_entry_check_now      (EpRecipientEntry   *self);
EpAddressList *ep_recipient_entry_dup_addresses  (EpRecipientEntry   *self,
                                                  GError            **error);
void           ep_recipient_entry_set_recent     (EpRecipientEntry   *self,
                                                  EpRecentAddresses  *recent);

G_END_DECLS
