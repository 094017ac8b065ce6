/* ep-imap-worker-private.h — what ep-imap-worker.c shares with ep-imap-worker-message.c
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-imap-worker.h"

G_BEGIN_DECLS

EpImapWorker *ep_imap_worker_freeze  (EpImapWorker  *self);
EpImapClient *ep_imap_worker_sign_in (EpImapWorker  *settings,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
