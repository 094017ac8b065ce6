/* fuzz-imap-size.c — libFuzzer target: a base64 part's size from its last bytes (ep-imap-size)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is 8 bytes of numbers, then the tail a server sent: where the
 * tail starts in the part (4 bytes, big-endian) and the server's
 * BINARY.SIZE (4 bytes; the top bit set means none). The part ends where the
 * tail ends. A size that comes out can never be more than its characters
 * could carry: 3 bytes for every 4 octets.
 */
#include <stdint.h>
#include <string.h>

#include "ep-imap-size.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint32 offset, server;
  guint64 octets;
  gint64 result = -1;

  if (size < 8)
    return 0;
  offset = (guint32) data[0] << 24 | (guint32) data[1] << 16 | (guint32) data[2] << 8 | data[3];
  server = (guint32) data[4] << 24 | (guint32) data[5] << 16 | (guint32) data[6] << 8 | data[7];
  octets = (guint64) offset + (size - 8);

  if (ep_imap_size_base64 (octets, offset, data + 8, size - 8, server & 0x80000000u ? -1 : (gint64) server,
                           &result) == EP_IMAP_SIZE_EXACT)
    {
      g_assert_cmpint (result, >=, 0);
      g_assert_cmpuint ((guint64) result, <=, octets * 3 / 4);
    }
  /* The same bytes, but not the part's end: never a size. */
  g_assert_cmpint (ep_imap_size_base64 (octets + 1, offset, data + 8, size - 8, -1, &result), ==,
                   EP_IMAP_SIZE_UNKNOWN);
  return 0;
}
