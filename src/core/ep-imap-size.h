/* ep-imap-size.h — a base64 part's decoded size from its encoded size and its last bytes
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How many of a base64 part's last bytes the export fetches (BODY.PEEK[n]<offset.length>):
 * the last line and the whole line before it for lines of up to about 120 characters,
 * and in a second round, for the parts that needed it, for lines of up to 1,000
 * (RFC 5322 §2.1.1 allows 998). */
#define EP_IMAP_SIZE_TAIL 256
#define EP_IMAP_SIZE_LONG_TAIL 2048

typedef enum
{
  EP_IMAP_SIZE_EXACT,
  EP_IMAP_SIZE_LONGER_TAIL,   /* no whole line in the tail: fetch EP_IMAP_SIZE_LONG_TAIL bytes */
  EP_IMAP_SIZE_UNKNOWN,
} EpImapSizeResult;

EpImapSizeResult  ep_imap_size_base64  (guint64       octets,
                                        guint64       tail_offset,
                                        const guchar *tail,
                                        gsize         tail_len,
                                        gint64        server_size,
                                        gint64       *size);

G_END_DECLS
