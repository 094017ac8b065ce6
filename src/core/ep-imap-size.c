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
 * Lines longer than EP_IMAP_SIZE_TAIL shows whole ask for a second round
 * with EP_IMAP_SIZE_LONG_TAIL bytes, enough for any line a mail system
 * passes on (998 characters); beyond that, the server's size if it fits, or
 * one line for the whole part, the layout such encoders write.
 *
 * The server's BINARY.SIZE is not needed for that and is not trusted over
 * it: Dovecot 2.3.19 answers wrong ones for some messages (a quarter of
 * bench/inbox's attachments). It is used only when the last bytes do not
 * settle the size and it fits what they show.
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
static EpImapSizeResult
count_whole (const guchar *data,
             gsize         len,
             gint64       *size)
{
  guint64 chars = 0;

  for (gsize i = 0; i < len; i++)
    chars += is_base64 (data[i]);
  *size = (gint64) (chars * 3 / 4);
  return EP_IMAP_SIZE_EXACT;
}

/* The server's @server_size, if it fits a part of @octets octets whose last @trailing are
 * white space, with @pad “=”, whose last line holds at least @seen characters: the rest
 * of the octets are line breaks of @width, and no line can be shorter than that last
 * one (Dovecot's wrong sizes, a byte or so too small per line, would need hundreds of
 * short lines). */
static gboolean
server_fits (guint64  octets,
             gsize    trailing,
             gsize    pad,
             guint64  seen,
             gsize    width,
             gint64   server_size,
             gint64  *size)
{
  guint64 chars, breaks;

  if (server_size < 0 || (guint64) server_size > octets || ((guint64) server_size + pad) % 3 != 0)
    return FALSE;
  chars = ((guint64) server_size + pad) / 3 * 4;
  if (chars < seen || chars > octets - trailing || (octets - trailing - chars) % width != 0)
    return FALSE;
  breaks = (octets - trailing - chars) / width;
  if (breaks > 0 && seen > chars / (breaks + 1))
    return FALSE;
  *size = server_size;
  return TRUE;
}

/* The lines are longer than @tail shows whole: fetch more, or, with EP_IMAP_SIZE_LONG_TAIL
 * bytes already, lines no mail system passes on whole; @nl is where the last line
 * starts, 0 if it starts before @tail. */
static EpImapSizeResult
long_lines (guint64       octets,
            gsize         tail_len,
            gsize         end,
            gsize         nl,
            gsize         pad,
            gsize         width,
            gint64        server_size,
            gint64       *size)
{
  if (tail_len < EP_IMAP_SIZE_LONG_TAIL)
    return EP_IMAP_SIZE_LONGER_TAIL;
  /* The server's size if it fits; else one line for the whole part, as
   * g_base64_encode () writes it, if that makes whole groups of 4. */
  if (server_fits (octets, tail_len - end, pad, end - nl, width, server_size, size))
    return EP_IMAP_SIZE_EXACT;
  if (nl == 0 && from_chars (octets - (tail_len - end), pad, size))
    return EP_IMAP_SIZE_EXACT;
  return EP_IMAP_SIZE_UNKNOWN;
}

/**
 * ep_imap_size_base64:
 * @octets: the part's encoded size, from BODYSTRUCTURE
 * @tail_offset: where @tail starts in the part
 * @tail: (array length=tail_len): the part's last bytes, to its end
 * @server_size: the server's BINARY.SIZE, or -1
 * @size: (out): the decoded size, when EP_IMAP_SIZE_EXACT is returned
 *
 * Returns: whether @size is known, or would be from a longer tail
 */
EpImapSizeResult
ep_imap_size_base64 (guint64       octets,
                     guint64       tail_offset,
                     const guchar *tail,
                     gsize         tail_len,
                     gint64        server_size,
                     gint64       *size)
{
  gsize end = tail_len, pad = 0, nl, prev, line, width;
  guint64 before;

  g_return_val_if_fail (tail != NULL || tail_len == 0, EP_IMAP_SIZE_UNKNOWN);
  g_return_val_if_fail (size != NULL, EP_IMAP_SIZE_UNKNOWN);

  if (tail_offset > octets || octets - tail_offset != tail_len)
    return EP_IMAP_SIZE_UNKNOWN;
  if (tail_offset == 0)
    return count_whole (tail, tail_len, size);

  while (end > 0 && is_space (tail[end - 1]))
    end--;
  while (pad < 2 && end > pad && tail[end - 1 - pad] == '=')
    pad++;
  for (nl = end; nl > 0 && tail[nl - 1] != '\n'; nl--)
    ;
  if (nl == 0)
    return long_lines (octets, tail_len, end, 0, pad, 2, server_size, size);   /* IMAP's CR LF */
  width = nl >= 2 && tail[nl - 2] == '\r' ? 2 : 1;
  for (prev = nl - width; prev > 0 && tail[prev - 1] != '\n'; prev--)
    ;
  if (prev == 0)
    return long_lines (octets, tail_len, end, nl, pad, width, server_size, size);

  /* A whole line above the last: every line but the last is that long. */
  line = nl - width - prev;
  before = octets - (tail_len - end) - (end - nl);
  if (line > 0 && before % (line + width) == 0 &&
      from_chars (before / (line + width) * line + (end - nl), pad, size))
    return EP_IMAP_SIZE_EXACT;
  /* Lines of different lengths: no encoder writes them, but a size that fits them is taken. */
  if (server_fits (octets, tail_len - end, pad, end - nl, width, server_size, size))
    return EP_IMAP_SIZE_EXACT;
  return EP_IMAP_SIZE_UNKNOWN;
}
