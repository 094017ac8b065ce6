/* ep-server-info.h — what an SMTP server told about itself: greeting and EHLO extensions
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EP_TYPE_SERVER_INFO (ep_server_info_get_type ())

typedef struct _EpServerInfo EpServerInfo;

GType         ep_server_info_get_type        (void) G_GNUC_CONST;

EpServerInfo *ep_server_info_new             (const char          *host,
                                              const char          *greeting,
                                              GHashTable          *extensions);
EpServerInfo *ep_server_info_copy            (const EpServerInfo  *info);
void          ep_server_info_free            (EpServerInfo        *info);

const char   *ep_server_info_get_host        (const EpServerInfo  *info);
const char   *ep_server_info_get_greeting    (const EpServerInfo  *info);
guint64       ep_server_info_get_size_limit  (const EpServerInfo  *info);
gboolean      ep_server_info_get_chunking    (const EpServerInfo  *info);
gboolean      ep_server_info_get_smtputf8    (const EpServerInfo  *info);
gboolean      ep_server_info_get_pipelining  (const EpServerInfo  *info);
gboolean      ep_server_info_get_8bitmime    (const EpServerInfo  *info);
gboolean      ep_server_info_has_extension   (const EpServerInfo  *info,
                                              const char          *keyword);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpServerInfo, ep_server_info_free)

G_END_DECLS
