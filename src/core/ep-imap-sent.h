/* ep-imap-sent.h — a sent message's copy in the Sent folder, once, or kept locally
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-gmime.h"
#include "ep-imap.h"

G_BEGIN_DECLS

gboolean  ep_imap_sent_save          (EpImapClient   *client,
                                      const char     *mailbox,
                                      GMimeMessage   *mime,
                                      guint64         size,
                                      char          **saved_in,
                                      gboolean       *already_there,
                                      GCancellable   *cancellable,
                                      GError        **error);
gboolean  ep_imap_sent_save_file     (EpImapClient   *client,
                                      const char     *mailbox,
                                      const char     *path,
                                      const char     *message_id,
                                      char          **saved_in,
                                      gboolean       *already_there,
                                      GCancellable   *cancellable,
                                      GError        **error);
char     *ep_imap_sent_keep_locally  (GMimeMessage   *mime,
                                      GError        **error);
char     *ep_imap_sent_keep_file_locally (const char *path,
                                      const char     *message_id,
                                      GError        **error);

G_END_DECLS
