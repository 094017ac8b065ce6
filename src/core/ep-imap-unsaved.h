/* ep-imap-unsaved.h — Sent copies kept on this computer, saved in the Sent folder later
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-imap.h"

G_BEGIN_DECLS

typedef struct
{
  char *path;                 /* the kept copy, still on disk */
  char *reason;               /* why it could not be saved, a sentence */
} EpImapUnsavedFailure;

typedef struct
{
  guint saved;                /* now in the Sent folder, their files removed */
  guint already;              /* of those, how many were there already */
  char *mailbox;              /* where they went; NULL if nothing was tried */
  GPtrArray *failed;          /* EpImapUnsavedFailure: kept copies left on disk */
} EpImapUnsavedReport;

char                *ep_imap_unsaved_dir           (void);
GPtrArray           *ep_imap_unsaved_list          (const char           *from_address);
EpImapUnsavedReport *ep_imap_unsaved_report_new    (void);
void                 ep_imap_unsaved_report_free   (EpImapUnsavedReport  *report);
gboolean             ep_imap_unsaved_retry         (EpImapClient         *client,
                                                    const char           *from_address,
                                                    EpImapUnsavedReport  *report,
                                                    GCancellable         *cancellable,
                                                    GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapUnsavedReport, ep_imap_unsaved_report_free)

G_END_DECLS
