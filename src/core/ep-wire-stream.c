/* ep-wire-stream.c — a GMimeStream sink that hands a message to the server in chunks
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GMime writes a message in pieces of a few KiB; this stream gathers them into
 * chunks (one BDAT chunk, or one large TLS write for DATA), counts the bytes
 * for progress and stops at once when the operation is cancelled. A sink
 * error is kept here, since GMime's write API can only return -1.
 */
#include "ep-wire-stream.h"

#include <string.h>

struct _EpWireStream
{
  GMimeStream parent_instance;

  /* Owned */
  char *buffer;
  GCancellable *cancellable;
  GError *error;

  /* Borrowed */
  EpWireSinkFunc sink;
  gpointer sink_data;
  EpWireProgressFunc progress;
  gpointer progress_data;

  gsize chunk_size;
  gsize used;
  guint64 written;
  char tail[2];   /* the last two bytes seen */
};

G_DEFINE_FINAL_TYPE (EpWireStream, ep_wire_stream, GMIME_TYPE_STREAM)

static gboolean
flush_chunk (EpWireStream *self,
             gboolean      last)
{
  if (self->error != NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &self->error))
    return FALSE;
  if ((self->used > 0 || last) &&
      !self->sink (self->buffer, self->used, last, self->sink_data, &self->error))
    return FALSE;
  self->written += self->used;
  self->used = 0;
  if (self->progress != NULL)
    self->progress (self->written, self->progress_data);
  return TRUE;
}

static void
remember_tail (EpWireStream *self,
               const char   *buf,
               gsize         len)
{
  if (len >= 2)
    memcpy (self->tail, buf + len - 2, 2);
  else if (len == 1)
    {
      self->tail[0] = self->tail[1];
      self->tail[1] = buf[0];
    }
}

static ssize_t
ep_wire_stream_write (GMimeStream *stream,
                      const char  *buf,
                      size_t       len)
{
  EpWireStream *self = EP_WIRE_STREAM (stream);
  size_t done = 0;

  if (self->error != NULL)
    return -1;

  remember_tail (self, buf, len);

  while (done < len)
    {
      size_t n = MIN (len - done, self->chunk_size - self->used);

      memcpy (self->buffer + self->used, buf + done, n);
      self->used += n;
      done += n;
      if (self->used == self->chunk_size && !flush_chunk (self, FALSE))
        return -1;
    }
  stream->position += len;
  return len;
}

static int
ep_wire_stream_flush (GMimeStream *stream)
{
  return EP_WIRE_STREAM (stream)->error != NULL ? -1 : 0;
}

static int
ep_wire_stream_close (GMimeStream *stream)
{
  return 0;
}

static gboolean
ep_wire_stream_eos (GMimeStream *stream)
{
  return FALSE;
}

static int
ep_wire_stream_reset (GMimeStream *stream)
{
  return -1;
}

static gint64
ep_wire_stream_seek (GMimeStream     *stream,
                     gint64           offset,
                     GMimeSeekWhence  whence)
{
  return -1;
}

static gint64
ep_wire_stream_tell (GMimeStream *stream)
{
  return stream->position;
}

static gint64
ep_wire_stream_length (GMimeStream *stream)
{
  return -1;
}

static ssize_t
ep_wire_stream_read (GMimeStream *stream,
                     char        *buf,
                     size_t       len)
{
  return -1;
}

static GMimeStream *
ep_wire_stream_substream (GMimeStream *stream,
                          gint64       start,
                          gint64       end)
{
  return NULL;
}

static void
ep_wire_stream_finalize (GObject *object)
{
  EpWireStream *self = EP_WIRE_STREAM (object);

  g_free (self->buffer);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (ep_wire_stream_parent_class)->finalize (object);
}

static void
ep_wire_stream_class_init (EpWireStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GMimeStreamClass *stream_class = GMIME_STREAM_CLASS (klass);

  object_class->finalize = ep_wire_stream_finalize;
  stream_class->read = ep_wire_stream_read;
  stream_class->write = ep_wire_stream_write;
  stream_class->flush = ep_wire_stream_flush;
  stream_class->close = ep_wire_stream_close;
  stream_class->eos = ep_wire_stream_eos;
  stream_class->reset = ep_wire_stream_reset;
  stream_class->seek = ep_wire_stream_seek;
  stream_class->tell = ep_wire_stream_tell;
  stream_class->length = ep_wire_stream_length;
  stream_class->substream = ep_wire_stream_substream;
}

static void
ep_wire_stream_init (EpWireStream *self)
{
}

/**
 * ep_wire_stream_new:
 * @chunk_size: bytes gathered before @sink is called
 * @sink: receives each chunk
 *
 * Returns: (transfer full): a write-only stream
 */
GMimeStream *
ep_wire_stream_new (gsize           chunk_size,
                    EpWireSinkFunc  sink,
                    gpointer        sink_data,
                    GCancellable   *cancellable)
{
  EpWireStream *self;

  g_return_val_if_fail (chunk_size > 0, NULL);
  g_return_val_if_fail (sink != NULL, NULL);

  self = g_object_new (EP_TYPE_WIRE_STREAM, NULL);
  g_mime_stream_construct (GMIME_STREAM (self), 0, -1);
  self->chunk_size = chunk_size;
  self->buffer = g_malloc (chunk_size);
  self->sink = sink;
  self->sink_data = sink_data;
  if (cancellable != NULL)
    self->cancellable = g_object_ref (cancellable);
  return GMIME_STREAM (self);
}

void
ep_wire_stream_set_progress (EpWireStream       *self,
                             EpWireProgressFunc  progress,
                             gpointer            user_data)
{
  g_return_if_fail (EP_IS_WIRE_STREAM (self));

  self->progress = progress;
  self->progress_data = user_data;
}

/* Hands the last, possibly empty, chunk to the sink with last set. */
gboolean
ep_wire_stream_finish (EpWireStream  *self,
                       GError       **error)
{
  g_return_val_if_fail (EP_IS_WIRE_STREAM (self), FALSE);

  if (flush_chunk (self, TRUE))
    return TRUE;
  ep_wire_stream_propagate_error (self, error);
  return FALSE;
}

/**
 * ep_wire_stream_peek_space:
 * @len: (out): the free bytes at the returned address; at least one unless
 *   the stream has failed (then ep_wire_stream_commit () returns %FALSE)
 *
 * Lends the free end of the current chunk, so that a producer can write
 * there directly instead of into a buffer of its own that
 * g_mime_stream_write () would copy; ep_wire_stream_commit () then says how
 * much it wrote.
 *
 * Returns: (transfer none): where the next bytes go
 */
char *
ep_wire_stream_peek_space (EpWireStream *self,
                           gsize        *len)
{
  g_return_val_if_fail (EP_IS_WIRE_STREAM (self), NULL);
  g_return_val_if_fail (len != NULL, NULL);

  *len = self->chunk_size - self->used;
  return self->buffer + self->used;
}

/* Takes @len bytes written at ep_wire_stream_peek_space () as written to the
 * stream, and hands the chunk on if it is full. FALSE: the stream's error is set. */
gboolean
ep_wire_stream_commit (EpWireStream *self,
                       gsize         len)
{
  g_return_val_if_fail (EP_IS_WIRE_STREAM (self), FALSE);
  g_return_val_if_fail (len <= self->chunk_size - self->used, FALSE);

  if (self->error != NULL)
    return FALSE;
  remember_tail (self, self->buffer + self->used, len);
  self->used += len;
  GMIME_STREAM (self)->position += len;
  return self->used < self->chunk_size || flush_chunk (self, FALSE);
}

guint64
ep_wire_stream_get_written (EpWireStream *self)
{
  g_return_val_if_fail (EP_IS_WIRE_STREAM (self), 0);
  return self->written + self->used;
}

gboolean
ep_wire_stream_ends_with_crlf (EpWireStream *self)
{
  g_return_val_if_fail (EP_IS_WIRE_STREAM (self), FALSE);
  return self->tail[0] == '\r' && self->tail[1] == '\n';
}

/* Moves the stream's error, if any, to @error; returns whether there was one. */
gboolean
ep_wire_stream_propagate_error (EpWireStream  *self,
                                GError       **error)
{
  g_return_val_if_fail (EP_IS_WIRE_STREAM (self), FALSE);

  if (self->error == NULL)
    return FALSE;
  g_propagate_error (error, g_steal_pointer (&self->error));
  return TRUE;
}
