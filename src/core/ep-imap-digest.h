/* ep-imap-digest.h — what the JSON export needs of a message, without fetching it whole
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-imap.h"
#include "ep-imap-structure.h"

G_BEGIN_DECLS

/* The header fields the export reads, fetched with BODY.PEEK[HEADER.FIELDS (…)]. */
#define EP_IMAP_DIGEST_HEADER_FIELDS "DATE FROM TO CC SUBJECT MESSAGE-ID"

typedef struct _EpImapSizeClue EpImapSizeClue;

typedef struct
{
  EpImapMessage *message;     /* UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE, the header fields */
  EpImapPart *structure;      /* BODYSTRUCTURE */
  const EpImapPart *body_part;  /* within structure: the part the body comes from, or NULL */
  gboolean body_is_html;
  char *body;                 /* UTF-8, LF line ends; NULL until fetched */
  gboolean body_left_out;     /* the part was over the size given to _fill () */
  GPtrArray *attachments;     /* EpImapPart, within structure */
  gint64 *sizes;              /* the attachments' decoded sizes: exact for 7bit/8bit/binary
                               * and for base64 from its last bytes (ep_imap_size_base64 ()),
                               * quoted-printable from BINARY.SIZE, else
                               * ep_imap_part_estimate_size () */
  EpImapSizeClue *clues;      /* per attachment, while _fill () runs */
} EpImapDigest;

void        ep_imap_digest_free             (EpImapDigest   *digest);

GPtrArray  *ep_imap_client_fetch_digests    (EpImapClient   *self,
                                             const guint32  *uids,
                                             guint           n,
                                             GCancellable   *cancellable,
                                             GError        **error);
gboolean    ep_imap_client_fill_digests     (EpImapClient   *self,
                                             EpImapDigest  **digests,
                                             guint           n,
                                             guint64         max_body,
                                             GCancellable   *cancellable,
                                             GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapDigest, ep_imap_digest_free)

G_END_DECLS
