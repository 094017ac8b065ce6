/* ep-attachment-bar.h — the files attached to a message: rows, total, size limit
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EP_TYPE_ATTACHMENT_BAR (ep_attachment_bar_get_type ())
G_DECLARE_FINAL_TYPE (EpAttachmentBar, ep_attachment_bar, EP, ATTACHMENT_BAR, GtkWidget)

GtkWidget  *ep_attachment_bar_new            (void);
gboolean    ep_attachment_bar_add_file       (EpAttachmentBar *self,
                                              GFile           *file,
                                              GError         **error);
guint       ep_attachment_bar_add_files      (EpAttachmentBar *self,
                                              GSList          *files);
void        ep_attachment_bar_remove         (EpAttachmentBar *self,
                                              guint            position);
void        ep_attachment_bar_clear          (EpAttachmentBar *self);
GListModel *ep_attachment_bar_get_model      (EpAttachmentBar *self);
guint       ep_attachment_bar_get_n_files    (EpAttachmentBar *self);
guint64     ep_attachment_bar_get_total_size (EpAttachmentBar *self);
guint64     ep_attachment_bar_get_encoded_size (EpAttachmentBar *self);
char      **ep_attachment_bar_dup_paths      (EpAttachmentBar *self);
void        ep_attachment_bar_set_size_limit (EpAttachmentBar *self,
                                              guint64          limit);
const char *ep_attachment_bar_get_summary    (EpAttachmentBar *self);
const char *ep_attachment_bar_get_limit_warning (EpAttachmentBar *self);
void        ep_attachment_bar_choose_files   (EpAttachmentBar *self);

G_END_DECLS
