/* ep-imap-export.h — a fetched message as readable text and as JSON, for both front ends
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ep-gmime.h"
#include "ep-imap.h"
#include "ep-imap-digest.h"
#include "ep-imap-structure.h"

G_BEGIN_DECLS

char         *ep_imap_export_html_to_text  (const char           *html,
                                            gsize                 len);
char         *ep_imap_export_body_text     (GMimeMessage         *mime);
gboolean      ep_imap_export_is_attachment (GMimeObject          *part);
char         *ep_imap_export_dup_attachment_name (GMimeObject    *part);
GBytes       *ep_imap_export_dup_attachment_content (GMimeObject *part);
GMimeMessage *ep_imap_export_parse         (const EpImapMessage  *message);
JsonNode     *ep_imap_export_message       (const EpImapMessage  *message);
char         *ep_imap_export_part_text     (const EpImapPart     *part,
                                            gboolean              html,
                                            const char           *data,
                                            gsize                 len);
JsonNode     *ep_imap_export_digest        (const EpImapDigest   *digest);
char         *ep_imap_export_subject       (const EpImapMessage  *message);
char         *ep_imap_export_sender        (const EpImapMessage  *message);
GDateTime    *ep_imap_export_date          (const EpImapMessage  *message);

G_END_DECLS
