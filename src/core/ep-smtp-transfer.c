/* ep-smtp-transfer.c — the message itself: DATA with dot-stuffing, or BDAT chunks
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After the envelope (MAIL, RCPT) the message goes out through an
 * EpWireStream, which cuts it into blocks: dot-stuffed and ended with “.”
 * after DATA (RFC 5321 §4.1.1.4), or as BDAT chunks when the server offers
 * CHUNKING (RFC 3030), their replies read as they come when it also offers
 * PIPELINING. What the server says of the message, or how far the upload got
 * when the connection failed, is the outcome.
 */
#include "ep-smtp-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-mime.h"
#include "ep-tls.h"
#include "ep-transport.h"

#define DATA_CHUNK (64 * 1024)
#define BDAT_CHUNK (1024 * 1024)

typedef struct
{
  EpSmtpClient *self;
  GCancellable *cancellable;
  gboolean pipelining;
  guint pending;          /* BDAT replies not read yet */
  EpSmtpReply *failure;   /* the first refusal of a chunk */
  EpSmtpReply *last;      /* the reply to BDAT LAST */
  gboolean incomplete;    /* an I/O failure stopped the upload before its end */
} Chunks;

/* Reads one pending BDAT reply and keeps it if it is the first refusal or the last. */
static gboolean
read_chunk_reply (Chunks   *chunks,
                  guint     timeout,
                  GError  **error)
{
  EpSmtpReply *reply = ep_smtp_client_read_reply (chunks->self, timeout, chunks->cancellable, error);

  if (reply == NULL)
    return FALSE;
  chunks->pending--;
  if (!ep_smtp_reply_is_positive (reply) && chunks->failure == NULL)
    chunks->failure = reply;
  else if (chunks->pending == 0)
    {
      g_clear_pointer (&chunks->last, ep_smtp_reply_free);
      chunks->last = reply;
    }
  else
    ep_smtp_reply_free (reply);
  return TRUE;
}

static gboolean
read_chunk_replies (Chunks   *chunks,
                    guint     timeout,
                    GError  **error)
{
  while (chunks->pending > 0)
    {
      if (!read_chunk_reply (chunks, timeout, error))
        return FALSE;
    }
  return TRUE;
}

/* With PIPELINING, reads the replies that have already arrived, without waiting for more. */
static gboolean
read_arrived_replies (Chunks   *chunks,
                      GError  **error)
{
  while (chunks->pending > 0 && ep_transport_has_input (chunks->self->transport))
    {
      if (!read_chunk_reply (chunks, chunks->self->timeouts.data_block, error))
        return FALSE;
    }
  return TRUE;
}

/* RFC 3030 §2: after a refused chunk the client MUST NOT send more. The
 * error only stops the stream; ep_smtp_client_transfer () reports the server's reply. */
static gboolean
stop_after_refusal (Chunks   *chunks,
                    GError  **error)
{
  if (chunks->failure == NULL)
    return TRUE;
  g_set_error_literal (error, EP_SMTP_ERROR, EP_SMTP_ERROR_REJECTED, "chunk refused");
  return FALSE;
}

static gboolean
bdat_sink (const char  *data,
           gsize        len,
           gboolean     last,
           gpointer     user_data,
           GError     **error)
{
  Chunks *chunks = user_data;
  EpTransport *transport = chunks->self->transport;
  g_autofree char *line = g_strdup_printf ("BDAT %" G_GSIZE_FORMAT "%s", len, last ? " LAST" : "");

  if (!ep_transport_write_line (transport, line, chunks->cancellable, error) ||
      !ep_transport_write (transport, data, len, chunks->cancellable, error) ||
      !ep_transport_flush (transport, chunks->cancellable, error))
    {
      chunks->incomplete = TRUE;
      return FALSE;
    }
  chunks->pending++;
  if (chunks->pipelining && !last)
    {
      /* A failure to read here is a failure before BDAT LAST: nothing can have been delivered. */
      chunks->incomplete = !read_arrived_replies (chunks, error);
      return !chunks->incomplete && stop_after_refusal (chunks, error);
    }
  if (!read_chunk_replies (chunks, last ? chunks->self->timeouts.data_end
                                        : chunks->self->timeouts.data_block, error))
    {
      chunks->incomplete = !last;
      return FALSE;
    }
  return stop_after_refusal (chunks, error);
}

static gboolean
data_sink (const char  *data,
           gsize        len,
           gboolean     last,
           gpointer     user_data,
           GError     **error)
{
  Chunks *chunks = user_data;

  if (ep_transport_write (chunks->self->transport, data, len, chunks->cancellable, error))
    return TRUE;
  chunks->incomplete = TRUE;
  return FALSE;
}

static gboolean
write_source (const EpSmtpSource  *source,
              GMimeStream         *target,
              GError             **error)
{
  if (source->mime != NULL)
    return ep_mime_write (source->mime, target, error);

  if (g_mime_stream_reset (source->raw) < 0 ||
      g_mime_stream_write_to_stream (source->raw, target) < 0 || g_mime_stream_flush (target) < 0)
    {
      if (!EP_IS_WIRE_STREAM (target) || !ep_wire_stream_propagate_error (EP_WIRE_STREAM (target), error))
        g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_WRITE,
                     _("Could not write the message: its file could not be read"));
      return FALSE;
    }
  return TRUE;
}

/* Streams the message through @wire: dot-stuffed for DATA, as-is for BDAT. */
static gboolean
write_message (const EpSmtpSource  *source,
               GMimeStream         *wire,
               gboolean             dot_stuff,
               GError             **error)
{
  g_autoptr(GMimeStream) stuffed = NULL;
  g_autoptr(GMimeFilter) filter = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!dot_stuff)
    return write_source (source, wire, error);

  stuffed = g_mime_stream_filter_new (wire);
  filter = g_mime_filter_smtp_data_new ();
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (stuffed), filter);
  if (write_source (source, stuffed, &local_error))
    return TRUE;
  if (!ep_wire_stream_propagate_error (EP_WIRE_STREAM (wire), error))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Says where an I/O failure left the message: cut off during the upload (so not
 * delivered), or sent whole with the server's verdict unknown. */
static void
explain_upload_failure (const Chunks  *chunks,
                        EpWireStream  *wire,
                        guint64        size,
                        GError       **error)
{
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;

  if (error == NULL || *error == NULL ||
      g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      ((*error)->domain != G_IO_ERROR && (*error)->domain != EP_TRANSPORT_ERROR &&
       (*error)->domain != EP_TLS_ERROR))
    return;
  if (!chunks->incomplete)
    {
      g_prefix_error (error, _("The whole message was sent, but the server did not confirm it, "
                               "so it may or may not have been delivered. "));
      return;
    }
  done = g_format_size (ep_wire_stream_get_written (wire));
  total = g_format_size (size);
  /* Translators: %1 and %2 are sizes (“1.0 MB of 4.2 MB”), then the cause follows */
  g_prefix_error (error, _("The connection was lost during the upload of the message "
                           "(%s of %s sent); nothing was delivered. "), done, total);
}

/* After a refused BDAT chunk: the replies to chunks still in flight, so RSET comes in turn. */
static void
drain_chunk_replies (Chunks *chunks)
{
  g_autoptr(GError) ignored = NULL;

  if (!read_chunk_replies (chunks, chunks->self->timeouts.data_block, &ignored))
    chunks->self->broken = TRUE;
}

/**
 * ep_smtp_client_transfer:
 * @size: the message's exact size, to say how far an upload got
 * @unconfirmed: set when it fails after the whole message went out (the verdict is unknown)
 *
 * The message itself, after the envelope was accepted: DATA, or BDAT chunks
 * when the server offers CHUNKING.
 *
 * Returns: (transfer full): the server's verdict (a chunk's refusal, or the
 *   reply to the end of the message), or %NULL with @error set
 */
EpSmtpReply *
ep_smtp_client_transfer (EpSmtpClient        *self,
                         const EpSmtpSource  *source,
                         guint64              size,
                         gboolean            *unconfirmed,
                         EpWireProgressFunc   progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GError             **error)
{
  gboolean bdat = self->use_chunking && ep_smtp_client_has_extension (self, "CHUNKING");
  Chunks chunks = { self, cancellable, ep_smtp_client_has_extension (self, "PIPELINING"), 0, NULL, NULL, FALSE };
  g_autoptr(GMimeStream) wire = NULL;
  g_autoptr(EpSmtpReply) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!bdat)
    {
      reply = ep_smtp_client_command (self, "DATA", self->timeouts.data_start, cancellable, error);
      if (reply == NULL)
        return NULL;
      if (ep_smtp_reply_get_code (reply) != 354)
        return g_steal_pointer (&reply);
      g_clear_pointer (&reply, ep_smtp_reply_free);
    }

  wire = ep_wire_stream_new (bdat ? BDAT_CHUNK : DATA_CHUNK, bdat ? bdat_sink : data_sink,
                             &chunks, cancellable);
  ep_wire_stream_set_progress (EP_WIRE_STREAM (wire), progress, progress_data);
  ep_transport_set_timeout (self->transport, self->timeouts.data_block);

  ok = write_message (source, wire, !bdat, &local_error) &&
       ep_wire_stream_finish (EP_WIRE_STREAM (wire), &local_error);
  if (ok && !bdat)
    {
      const char *end = ep_wire_stream_ends_with_crlf (EP_WIRE_STREAM (wire)) ? ".\r\n" : "\r\n.\r\n";

      if (self->transcript != NULL)
        ep_transcript_note (self->transcript, "message sent (%" G_GUINT64_FORMAT " bytes), then “.”",
                            ep_wire_stream_get_written (EP_WIRE_STREAM (wire)));
      ok = ep_transport_write (self->transport, end, strlen (end), cancellable, &local_error) &&
           ep_transport_flush (self->transport, cancellable, &local_error);
      chunks.incomplete = !ok;
      if (ok)
        chunks.last = ep_smtp_client_read_reply (self, self->timeouts.data_end, cancellable, &local_error);
      ok = ok && chunks.last != NULL;
    }

  if (chunks.failure != NULL)
    {
      /* A refused chunk: the server's reply is the outcome, as for DATA. */
      if (self->transcript != NULL)
        ep_transcript_note (self->transcript, "a chunk was refused after %" G_GUINT64_FORMAT
                            " bytes; no more are sent", ep_wire_stream_get_written (EP_WIRE_STREAM (wire)));
      if (!self->broken)
        drain_chunk_replies (&chunks);
      g_clear_pointer (&chunks.last, ep_smtp_reply_free);
      return g_steal_pointer (&chunks.failure);
    }
  if (!ok)
    {
      self->broken = TRUE;
      g_clear_pointer (&chunks.last, ep_smtp_reply_free);
      *unconfirmed = !chunks.incomplete && local_error != NULL &&
                     (local_error->domain == G_IO_ERROR || local_error->domain == EP_TRANSPORT_ERROR ||
                      local_error->domain == EP_TLS_ERROR);
      explain_upload_failure (&chunks, EP_WIRE_STREAM (wire), size, &local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&chunks.last);
}
