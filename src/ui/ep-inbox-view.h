/* ep-inbox-view.h — the Inbox: newest messages first, one shown read-only, JSON export
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ep-imap-worker.h"

G_BEGIN_DECLS

#define EP_INBOX_VIEW_PAGE_SIZE 50

#define EP_TYPE_INBOX_VIEW (ep_inbox_view_get_type ())
G_DECLARE_FINAL_TYPE (EpInboxView, ep_inbox_view, EP, INBOX_VIEW, GtkWidget)

GtkWidget  *ep_inbox_view_new              (void);
void        ep_inbox_view_set_worker       (EpInboxView          *self,
                                            EpImapWorker         *worker,
                                            const char           *host,
                                            guint16               port);
void        ep_inbox_view_set_page_size    (EpInboxView          *self,
                                            guint                 page_size);
void        ep_inbox_view_refresh          (EpInboxView          *self);
void        ep_inbox_view_load_more        (EpInboxView          *self);
gboolean    ep_inbox_view_get_loaded       (EpInboxView          *self);
gboolean    ep_inbox_view_is_busy          (EpInboxView          *self);
const char *ep_inbox_view_get_state        (EpInboxView          *self);
const char *ep_inbox_view_get_error        (EpInboxView          *self);
guint       ep_inbox_view_get_n_messages   (EpInboxView          *self);
GtkListBox *ep_inbox_view_get_list         (EpInboxView          *self);
void        ep_inbox_view_select           (EpInboxView          *self,
                                            guint                 index);
const char *ep_inbox_view_get_message_state (EpInboxView         *self);
char       *ep_inbox_view_dup_message_text (EpInboxView          *self);
char       *ep_inbox_view_dup_headers_text (EpInboxView          *self);
GStrv       ep_inbox_view_dup_attachment_names (EpInboxView      *self);
void        ep_inbox_view_save_attachment_async  (EpInboxView    *self,
                                            guint                 index,
                                            GFile                *file,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    ep_inbox_view_save_attachment_finish (EpInboxView    *self,
                                            GAsyncResult         *result,
                                            GError              **error);
const char *ep_inbox_view_get_mailbox      (EpInboxView          *self);
GtkDropDown *ep_inbox_view_get_mailbox_dropdown (EpInboxView     *self);

void        ep_inbox_view_export_async     (EpInboxView          *self,
                                            GFile                *file,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    ep_inbox_view_export_finish    (EpInboxView          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
