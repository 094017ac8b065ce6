/* ep-imap-size.c — a base64 part's decoded size from its encoded size and its last bytes
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Base64 carries 3 bytes in every 4 characters; the last group may end in
 * one or two “=”. The decoded size is therefore exact once the number of
 * characters is known, which is the encoded size (BODYSTRUCTURE's octets)
 * less the line breaks. Encoders write every line but the last at the same
 * length (76 for MIME, or one line for the whole part), so the last bytes
 * of the part tell everything: the padding, the last line and, above it, a
 * whole line with its break — the length of every other line. The octets
 * before the last line must then be a whole number of such lines.
 *
 * The server's BINARY.SIZE is not needed for that and is not trusted over
 * it: Dovecot 2.3.19 answers wrong ones for some messages (a quarter of
 * bench/inbox's attachments). It is used only when the last bytes do not
 * show a whole line (lines longer than about EP_IMAP_SIZE_TAIL / 2, not
 * one line for the whole part) and it fits what they do show.
 */
#include "ep-imap-size.h"

static gboolean
is_space (guchar c)
{
  return c == '\r' || c == '\n' || c == ' ' || c == '\t';
}

static gboolean
is_base64 (guchar c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* The decoded size of @chars base64 characters (a multiple of 4) ending in @pad “=”. */
static gboolean
from_chars (guint64  chars,
            gsize    pad,
            gint64  *size)
{
  if (chars % 4 != 0 || chars < pad || chars / 4 * 3 < pad || chars / 4 * 3 - pad > G_MAXINT64)
    return FALSE;
  *size = (gint64) (chars / 4 * 3 - pad);
  return TRUE;
}

/* Every character counted: the part was short enough to fetch whole. */
static gboolean
count_whole (const guchar *data,
             gsize         len,
             gint64       *size)
{
  guint64 chars = 0;

  for (gsize i = 0; i < len; i++)
    chars += is_base64 (data[i]);
  *size = (gint64) (chars * 3 / 4);
  return TRUE;
}

/* The server's @server_size, if it fits a part of @octets octets whose last @trailing are
 * white space, with @pad “=”, whose characters cannot be fewer than @seen. */
static gboolean
server_fits (guint64  octets,
             gsize    trailing,
             gsize    pad,
             guint64  seen,
             gint64   server_size,
             gint64  *size)
{
  guint64 chars;

  if (server_size < 0 || ((guint64) server_size + pad) % 3 != 0)
    return FALSE;
  chars = ((guint64) server_size + pad) / 3 * 4;
  if (chars < seen || chars > octets - trailing)
    return FALSE;
  *size = server_size;
  return TRUE;
}

/**
 * ep_imap_size_base64:
 * @octets: the part's encoded size, from BODYSTRUCTURE
 * @tail_offset: where @tail starts in the part
 * @tail: (array length=tail_len): the part's last bytes, to its end
 * @server_size: the server's BINARY.SIZE, or -1
 * @size: (out): the decoded size
 *
 * Returns: whether @size could be worked out; if not, only an estimate is left
 */
gboolean
ep_imap_size_base64 (guint64       octets,
                     guint64       tail_offset,
                     const guchar *tail,
                     gsize         tail_len,
                     gint64        server_size,
                     gint64       *size)
{
  gsize end = tail_len, pad = 0, nl, prev, line, last_len, width;
  guint64 before;

  g_return_val_if_fail (tail != NULL || tail_len == 0, FALSE);
  g_return_val_if_fail (size != NULL, FALSE);

  if (tail_offset > octets || octets - tail_offset != tail_len)
    return FALSE;
  if (tail_offset == 0)
    return count_whole (tail, tail_len, size);

  while (end > 0 && is_space (tail[end - 1]))
    end--;
  while (pad < 2 && end > pad && tail[end - 1 - pad] == '=')
    pad++;
  for (nl = end; nl > 0 && tail[nl - 1] != '\n'; nl--)
    ;
  if (nl == 0)
    {
      /* No line break in sight: the whole part one line, as g_base64_encode () and
       * many web mailers write it, if that makes whole groups of 4; else lines
       * longer than the tail. */
      if (from_chars (octets - (tail_len - end), pad, size))
        return TRUE;
      return server_fits (octets, tail_len - end, pad, end, server_size, size);
    }
  last_len = end - nl;
  width = nl >= 2 && tail[nl - 2] == '\r' ? 2 : 1;
  for (prev = nl - width; prev > 0 && tail[prev - 1] != '\n'; prev--)
    ;
  if (prev == 0)
    return server_fits (octets, tail_len - end, pad, end - nl, server_size, size);

  /* A whole line above the last: every line but the last is that long. */
  line = nl - width - prev;
  before = octets - (tail_len - end) - last_len;
  if (line == 0 || before % (line + width) != 0)
    return server_fits (octets, tail_len - end, pad, end - nl, server_size, size);
  return from_chars (before / (line + width) * line + last_len, pad, size);
}
