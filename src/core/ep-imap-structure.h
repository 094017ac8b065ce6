/* ep-imap-structure.h — a FETCH BODYSTRUCTURE as a tree of parts with their section numbers
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ep-gmime.h"
#include "ep-imap-parser.h"

G_BEGIN_DECLS

typedef struct _EpImapPart EpImapPart;

struct _EpImapPart
{
  char *type;                 /* as the server wrote it: “text”, “MULTIPART” */
  char *subtype;
  GMimeParamList *params;     /* Content-Type parameters, RFC 2231/2047 decoded */
  char *encoding;             /* lower case; NULL for a multipart */
  guint64 octets;             /* the encoded size; 0 for a multipart */
  char *disposition;          /* NULL when none */
  GMimeParamList *disposition_params;
  char *section;              /* “1”, “2.1”; “” for a multipart root */
  char *message_subject;      /* message/rfc822: its ENVELOPE's subject, raw; else NULL */
  GPtrArray *children;        /* EpImapPart; NULL unless a multipart */
};

EpImapPart       *ep_imap_part_parse          (const EpImapValue  *value,
                                               GError            **error);
void              ep_imap_part_free           (EpImapPart         *part);

gboolean          ep_imap_part_is_type        (const EpImapPart   *part,
                                               const char         *type,
                                               const char         *subtype);
char             *ep_imap_part_dup_mime_type  (const EpImapPart   *part);
const char       *ep_imap_part_get_param      (const EpImapPart   *part,
                                               const char         *name);
const char       *ep_imap_part_get_filename   (const EpImapPart   *part);
gboolean          ep_imap_part_is_message     (const EpImapPart   *part);
char             *ep_imap_part_dup_attachment_name (const EpImapPart *part);
char             *ep_imap_attached_message_name (const char       *subject);
const EpImapPart *ep_imap_part_find_body      (const EpImapPart   *root,
                                               gboolean           *html);
GPtrArray        *ep_imap_part_dup_attachments (const EpImapPart  *root);
gint64            ep_imap_part_estimate_size  (const EpImapPart   *part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapPart, ep_imap_part_free)

G_END_DECLS
