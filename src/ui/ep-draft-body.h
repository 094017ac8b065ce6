/* ep-draft-body.h — the message body into a draft and back
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-draft.h"
#include "ep-rich-editor.h"

G_BEGIN_DECLS

/* What follows “imageN.” in a draft's Content-IDs. */
#define EP_DRAFT_BODY_CID_SUFFIX "draft"

void     ep_draft_body_fill    (EpDraft       *draft,
                                EpRichEditor  *editor);
gboolean ep_draft_body_restore (EpDraft       *draft,
                                EpRichEditor  *editor,
                                GError       **error);

G_END_DECLS
