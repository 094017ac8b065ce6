/* ep-base64.c — base64 in 76-column CRLF lines, as a message carries it
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GMime encodes base64 a byte at a time and ends its lines with LF, which two
 * unix2dos filters then turn into CR LF, again a byte at a time: for a 100 MiB
 * attachment that was 5 of the 5.6 billion instructions of a whole send. This
 * encoder writes whole CRLF lines directly, two characters per table lookup,
 * and produces exactly GMime's octets (tests/test-base64.c compares them).
 */
#include "ep-base64.h"

#include <string.h>

struct _EpBase64Encoder
{
  char pairs[4096][2];   /* the two characters of every 12-bit value */
};

static const char alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * ep_base64_encoder_new:
 *
 * Returns: (transfer full): an encoder; it holds no state between calls
 */
EpBase64Encoder *
ep_base64_encoder_new (void)
{
  EpBase64Encoder *self = g_new (EpBase64Encoder, 1);

  for (guint i = 0; i < 4096; i++)
    {
      self->pairs[i][0] = alphabet[i >> 6];
      self->pairs[i][1] = alphabet[i & 63];
    }
  return self;
}

void
ep_base64_encoder_free (EpBase64Encoder *self)
{
  g_free (self);
}

/* Octets of base64 for @len bytes: 4 characters per 3 bytes, CR LF after
 * every 76 characters and after a last, shorter line. */
guint64
ep_base64_encoded_size (guint64 len)
{
  return 4 * ((len + 2) / 3) + 2 * ((len + EP_BASE64_LINE_BYTES - 1) / EP_BASE64_LINE_BYTES);
}

static inline void
encode_triple (const char   (*pairs)[2],
               const guchar  *in,
               char          *out)
{
  guint32 v = ((guint32) in[0] << 16) | ((guint32) in[1] << 8) | in[2];

  memcpy (out, pairs[v >> 12], 2);
  memcpy (out + 2, pairs[v & 0xfff], 2);
}

/* 57 bytes → 76 characters and CR LF: nine groups of six bytes, each read
 * as one big-endian load of eight (never past the line's end), then three. */
static inline void
encode_line (const char   (*pairs)[2],
             const guchar  *in,
             char          *out)
{
  for (guint i = 0; i < 9; i++)
    {
      guint64 v;

      memcpy (&v, in + 6 * i, 8);
      v = GUINT64_FROM_BE (v);
      memcpy (out + 8 * i, pairs[v >> 52], 2);
      memcpy (out + 8 * i + 2, pairs[(v >> 40) & 0xfff], 2);
      memcpy (out + 8 * i + 4, pairs[(v >> 28) & 0xfff], 2);
      memcpy (out + 8 * i + 6, pairs[(v >> 16) & 0xfff], 2);
    }
  encode_triple (pairs, in + 54, out + 72);
  out[76] = '\r';
  out[77] = '\n';
}

/**
 * ep_base64_encoder_encode:
 * @in: bytes to encode: a whole number of lines (a multiple of 57 bytes),
 *   except in the last call for a stream
 * @out: room for ep_base64_encoded_size (@len) octets
 *
 * Encodes @in as lines of 76 characters ending in CR LF; bytes after the
 * last whole line become a shorter, padded line with its own CR LF.
 *
 * Returns: the octets written to @out
 */
gsize
ep_base64_encoder_encode (EpBase64Encoder *self,
                          const guchar    *in,
                          gsize            len,
                          char            *out)
{
  const char (*pairs)[2];
  char *start = out;
  gsize rest;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (in != NULL || len == 0, 0);

  pairs = (const char (*)[2]) self->pairs;
  for (; len >= EP_BASE64_LINE_BYTES; len -= EP_BASE64_LINE_BYTES)
    {
      encode_line (pairs, in, out);
      in += EP_BASE64_LINE_BYTES;
      out += EP_BASE64_LINE_OCTETS;
    }
  if (len == 0)
    return out - start;

  for (rest = len; rest >= 3; rest -= 3)
    {
      encode_triple (pairs, in, out);
      in += 3;
      out += 4;
    }
  if (rest > 0)
    {
      guint32 v = ((guint32) in[0] << 16) | (rest == 2 ? (guint32) in[1] << 8 : 0);

      out[0] = alphabet[v >> 18];
      out[1] = alphabet[(v >> 12) & 63];
      out[2] = rest == 2 ? alphabet[(v >> 6) & 63] : '=';
      out[3] = '=';
      out += 4;
    }
  *out++ = '\r';
  *out++ = '\n';
  return out - start;
}
