/* ep-mime-splice.c — a message written with its base64 parts encoded by ep-base64
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GMime still writes every header, boundary and text body. Each base64 part
 * with raw content (an attachment or inline image streamed from its file)
 * is first given a one-line marker as already-encoded content, so GMime
 * copies the marker where the encoded lines belong; the parts then get their
 * content back. The small skeleton is then written out with, in place of
 * each marker, the part's content encoded by ep-base64 straight into the
 * output in large blocks: the same octets GMime would write, without its
 * byte-at-a-time encoder and the two newline filters it runs after it.
 */
#include "ep-mime-splice.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-base64.h"
#include "ep-mime.h"
#include "ep-wire-stream.h"

/* 57 KiB of a file per read, 78 KiB of base64 per write. */
#define BLOCK_LINES 1024
#define IN_BLOCK    (EP_BASE64_LINE_BYTES * BLOCK_LINES)
#define OUT_BLOCK   (EP_BASE64_LINE_OCTETS * BLOCK_LINES)

typedef struct
{
  GMimePart *part;             /* Borrowed: the message holds it */
  GMimeDataWrapper *content;   /* Owned: the raw content, while a marker stands in */
  char *marker;                /* Owned */
} Spliced;

static void
spliced_clear (gpointer data)
{
  Spliced *spliced = data;

  g_clear_object (&spliced->content);
  g_clear_pointer (&spliced->marker, g_free);
}

static gboolean
is_spliceable (GMimeObject *object)
{
  GMimeDataWrapper *content;

  if (!GMIME_IS_PART (object) ||
      g_mime_part_get_content_encoding (GMIME_PART (object)) != GMIME_CONTENT_ENCODING_BASE64)
    return FALSE;
  content = g_mime_part_get_content (GMIME_PART (object));
  return content != NULL && g_mime_data_wrapper_get_stream (content) != NULL &&
         g_mime_data_wrapper_get_encoding (content) == GMIME_CONTENT_ENCODING_DEFAULT;
}

static void
find_spliceable (GMimeObject *parent,
                 GMimeObject *object,
                 gpointer     user_data)
{
  gboolean *found = user_data;

  *found = *found || is_spliceable (object);
}

/* Whether @mime has a part ep_mime_splice_write () would encode itself. */
gboolean
ep_mime_splice_wanted (GMimeMessage *mime)
{
  gboolean found = FALSE;

  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);

  g_mime_message_foreach (mime, find_spliceable, &found);
  return found;
}

static void
collect_spliceable (GMimeObject *parent,
                    GMimeObject *object,
                    gpointer     user_data)
{
  GArray *parts = user_data;
  Spliced spliced = { 0 };

  if (!is_spliceable (object))
    return;
  spliced.part = GMIME_PART (object);
  spliced.content = g_object_ref (g_mime_part_get_content (spliced.part));
  g_array_append_val (parts, spliced);
}

/* Lets GMime write the message with a marker line as each part's content. */
static GMimeStream *
write_skeleton (GMimeMessage  *mime,
                GArray        *parts,
                GError       **error)
{
  g_autoptr(GMimeStream) skeleton = g_mime_stream_mem_new ();
  g_autofree char *token = g_uuid_string_random ();
  gboolean ok;

  for (guint i = 0; i < parts->len; i++)
    {
      Spliced *spliced = &g_array_index (parts, Spliced, i);
      g_autoptr(GMimeStream) stream = NULL;
      g_autoptr(GMimeDataWrapper) marker = NULL;

      spliced->marker = g_strdup_printf ("epistle-splice-%s-%u\r\n", token, i);
      stream = g_mime_stream_mem_new_with_buffer (spliced->marker, strlen (spliced->marker));
      marker = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_BASE64);
      g_mime_part_set_content (spliced->part, marker);
    }

  /* No part is spliceable now, so this is GMime's own writer. */
  ok = ep_mime_write (mime, skeleton, error);

  for (guint i = 0; i < parts->len; i++)
    {
      Spliced *spliced = &g_array_index (parts, Spliced, i);

      g_mime_part_set_content (spliced->part, spliced->content);
    }
  return ok ? g_steal_pointer (&skeleton) : NULL;
}

/* A wire stream keeps its sink's error; other streams leave errno. */
static gboolean
write_failed (GMimeStream  *stream,
              int           saved_errno,
              GError      **error)
{
  if (EP_IS_WIRE_STREAM (stream) && ep_wire_stream_propagate_error (EP_WIRE_STREAM (stream), error))
    return FALSE;
  g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_WRITE, _("Could not write the message: %s"),
               saved_errno != 0 ? g_strerror (saved_errno) : _("the output stream failed"));
  return FALSE;
}

static gboolean
write_all (GMimeStream  *stream,
           const void   *data,
           gsize         len,
           GError      **error)
{
  errno = 0;
  if (len == 0 || g_mime_stream_write (stream, data, len) == (gssize) len)
    return TRUE;
  return write_failed (stream, errno, error);
}

/* Encodes @len bytes into @stream. A wire stream (the SMTP chunk being
 * filled) is written in place, whole lines at a time, saving a copy of every
 * octet; only a line that straddles two chunks goes through @out. */
static gboolean
write_block (EpBase64Encoder  *encoder,
             const guchar     *in,
             gsize             len,
             char             *out,
             GMimeStream      *stream,
             GError          **error)
{
  EpWireStream *wire;

  if (!EP_IS_WIRE_STREAM (stream))
    return write_all (stream, out, ep_base64_encoder_encode (encoder, in, len, out), error);

  wire = EP_WIRE_STREAM (stream);
  while (len > 0)
    {
      gsize space;
      char *dest = ep_wire_stream_peek_space (wire, &space);
      gsize take = MIN (len, space / EP_BASE64_LINE_OCTETS * EP_BASE64_LINE_BYTES);

      if (take == 0)
        {
          take = MIN (len, EP_BASE64_LINE_BYTES);
          if (!write_all (stream, out, ep_base64_encoder_encode (encoder, in, take, out), error))
            return FALSE;
        }
      else if (!ep_wire_stream_commit (wire, ep_base64_encoder_encode (encoder, in, take, dest)))
        return write_failed (stream, 0, error);
      in += take;
      len -= take;
    }
  return TRUE;
}

/* Encodes one part's raw content into @stream, a block at a time. */
static gboolean
write_encoded (Spliced          *spliced,
               EpBase64Encoder  *encoder,
               guchar           *in,
               char             *out,
               GMimeStream      *stream,
               GError          **error)
{
  GMimeStream *source = g_mime_data_wrapper_get_stream (spliced->content);
  gboolean eof = FALSE;

  g_mime_stream_reset (source);
  while (!eof)
    {
      gsize have = 0;

      /* Whole blocks, so that only the last line of the part is short. */
      while (have < IN_BLOCK && !eof)
        {
          gssize n = g_mime_stream_read (source, (char *) in + have, IN_BLOCK - have);

          if (n < 0)
            {
              int saved_errno = errno;
              const char *name = g_mime_part_get_filename (spliced->part);

              g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           /* Translators: %s is a file name, then the system's reason */
                           _("Cannot read “%s”: %s"), name ? name : _("an attachment"),
                           g_strerror (saved_errno));
              return FALSE;
            }
          eof = n == 0;
          have += n;
        }
      if (!write_block (encoder, in, have, out, stream, error))
        return FALSE;
    }
  g_mime_stream_reset (source);
  return TRUE;
}

/* Writes the skeleton to @stream with each marker replaced by its part's content. */
static gboolean
write_spliced (GByteArray   *skeleton,
               GArray       *parts,
               GMimeStream  *stream,
               GError      **error)
{
  g_autoptr(EpBase64Encoder) encoder = ep_base64_encoder_new ();
  g_autofree guchar *in = g_malloc (IN_BLOCK);
  g_autofree char *out = g_malloc (OUT_BLOCK);
  gsize pos = 0;

  for (guint i = 0; i < parts->len; i++)
    {
      Spliced *spliced = &g_array_index (parts, Spliced, i);
      gsize marker_len = strlen (spliced->marker);
      const guint8 *at = memmem (skeleton->data + pos, skeleton->len - pos,
                                 spliced->marker, marker_len);

      if (at == NULL)
        {
          /* GMime copies content of the part's own encoding as is: this is a bug. */
          g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_WRITE,
                       _("Could not write the message: an attachment lost its place in it"));
          return FALSE;
        }
      if (!write_all (stream, skeleton->data + pos, at - (skeleton->data + pos), error) ||
          !write_encoded (spliced, encoder, in, out, stream, error))
        return FALSE;
      pos = at - skeleton->data + marker_len;
    }
  return write_all (stream, skeleton->data + pos, skeleton->len - pos, error);
}

/**
 * ep_mime_splice_write:
 * @stream: where the message goes, with CRLF line ends
 *
 * Writes @mime exactly as ep_mime_write () does, encoding its base64 parts
 * with raw content itself (see ep_mime_splice_wanted ()).
 */
gboolean
ep_mime_splice_write (GMimeMessage  *mime,
                      GMimeStream   *stream,
                      GError       **error)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (Spliced));
  g_autoptr(GMimeStream) skeleton = NULL;

  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);
  g_return_val_if_fail (GMIME_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_array_set_clear_func (parts, spliced_clear);
  g_mime_message_foreach (mime, collect_spliceable, parts);

  skeleton = write_skeleton (mime, parts, error);
  if (skeleton == NULL)
    return FALSE;
  return write_spliced (g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (skeleton)),
                        parts, stream, error);
}
