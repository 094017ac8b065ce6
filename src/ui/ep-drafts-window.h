/* ep-drafts-window.h — the Drafts list: reopen or delete unsent messages
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ep-draft-store.h"

G_BEGIN_DECLS

#define EP_TYPE_DRAFTS_WINDOW (ep_drafts_window_get_type ())
G_DECLARE_FINAL_TYPE (EpDraftsWindow, ep_drafts_window, EP, DRAFTS_WINDOW, AdwWindow)

EpDraftsWindow *ep_drafts_window_new      (GtkWindow          *parent,
                                           EpDraftStore       *store,
                                           const char * const *open_ids);
void            ep_drafts_window_toast    (EpDraftsWindow     *self,
                                           const char         *text);
char           *ep_drafts_window_describe (EpDraft            *draft);
AdwToast       *ep_drafts_toast_delete    (AdwToastOverlay    *overlay,
                                           EpDraftStore       *store,
                                           const char         *id,
                                           const char         *title,
                                           GCallback           on_undo,
                                           gpointer            data);

G_END_DECLS
