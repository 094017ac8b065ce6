/* ep-transport.c — a connection to a server: TCP, TLS, buffered CRLF lines
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call blocks and stops at once when its GCancellable is cancelled.
 * The same calls carry plain text and, after ep_transport_start_tls (), TLS.
 *
 * Reads honour a deadline for the whole protocol step (RFC 5321 §4.5.3.2
 * times a command's reply, not each packet of it): a server that drips a
 * byte or a line a second cannot keep a step alive past its timeout. The
 * deadline reaches the TLS layer's pull callbacks too. Writes keep an idle
 * timeout, the socket's: a large message may take long as long as it moves.
 */
#include "ep-transport.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-server-text.h"
#include "ep-tls.h"

#define READ_BUFFER 65536
#define WRITE_BUFFER 65536

struct _EpTransport
{
  GObject parent_instance;

  /* Owned */
  GSocketConnection *connection;
  EpTls *tls;
  EpTranscript *transcript;
  char *host;
  char *read_buffer;
  char *write_buffer;

  /* Borrowed */
  GSocket *socket;

  gsize read_start;
  gsize read_end;
  gsize write_used;
  guint timeout;        /* seconds, for the current step */
  gint64 deadline;      /* monotonic µs by which the step's reads must end; 0: none */
  gsize step_read;      /* bytes read since the deadline was set */
  gboolean secret;      /* command lines are logged as redacted */
};

G_DEFINE_FINAL_TYPE (EpTransport, ep_transport, G_TYPE_OBJECT)
G_DEFINE_QUARK (ep-transport-error-quark, ep_transport_error)

static void
ep_transport_finalize (GObject *object)
{
  EpTransport *self = EP_TRANSPORT (object);

  ep_transport_close (self);
  g_clear_pointer (&self->tls, ep_tls_free);
  g_clear_object (&self->connection);
  g_clear_object (&self->transcript);
  g_free (self->host);
  g_free (self->read_buffer);
  g_free (self->write_buffer);

  G_OBJECT_CLASS (ep_transport_parent_class)->finalize (object);
}

static void
ep_transport_class_init (EpTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_transport_finalize;
}

static void
ep_transport_init (EpTransport *self)
{
  self->read_buffer = g_malloc (READ_BUFFER);
  self->write_buffer = g_malloc (WRITE_BUFFER);
}

/* Gives an I/O failure a sentence that names the server (and the wait, for a timeout). */
static void
explain_io_error (EpTransport  *self,
                  GError      **error)
{
  if (error == NULL || *error == NULL)
    return;
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_clear_error (error);
      if (self->step_read > 0 || self->read_end > self->read_start)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     ngettext ("Timed out: %s began to answer but did not finish within %u second",
                               "Timed out: %s began to answer but did not finish within %u seconds",
                               self->timeout),
                     self->host, self->timeout);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     ngettext ("Timed out: %s did not answer within %u second",
                               "Timed out: %s did not answer within %u seconds", self->timeout),
                     self->host, self->timeout);
    }
  else if ((*error)->domain == G_IO_ERROR && (*error)->code != G_IO_ERROR_CANCELLED)
    g_prefix_error (error, _("Lost the connection to %s: "), self->host);
}

/**
 * ep_transport_connect:
 * @timeout_seconds: for the connection and, until changed, every read and write
 * @transcript: (nullable): where lines are logged
 *
 * Returns: (transfer full): the transport, or %NULL with @error set
 */
EpTransport *
ep_transport_connect (const char    *host,
                      guint16        port,
                      guint          timeout_seconds,
                      EpTranscript  *transcript,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(EpTransport) self = NULL;
  GSocketConnection *connection;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, timeout_seconds);
  if (transcript != NULL)
    ep_transcript_note (transcript, "connecting to %s port %u", host, port);

  connection = g_socket_client_connect_to_host (client, host, port, cancellable, error);
  if (connection == NULL)
    {
      g_prefix_error (error, _("Could not connect to %s port %u: "), host, port);
      return NULL;
    }

  self = g_object_new (EP_TYPE_TRANSPORT, NULL);
  self->connection = connection;
  self->socket = g_socket_connection_get_socket (connection);
  self->host = g_strdup (host);
  /* Writes are already gathered into whole commands and chunks: without this,
   * Nagle's algorithm holds each command back until the previous one's delayed
   * ACK arrives, 40 ms a round trip. */
  g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  if (transcript != NULL)
    self->transcript = g_object_ref (transcript);
  ep_transport_set_timeout (self, timeout_seconds);
  return g_steal_pointer (&self);
}

/**
 * ep_transport_start_tls:
 *
 * Runs the TLS handshake and verifies the server. For STARTTLS this must be
 * called right after the server's go-ahead: any byte already buffered would
 * have come in clear text and is refused (CVE-2011-0411).
 */
gboolean
ep_transport_start_tls (EpTransport   *self,
                        const char    *ca_file,
                        const char    *pin,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(EpTls) tls = NULL;

  g_return_val_if_fail (EP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (self->tls == NULL, FALSE);

  if (self->read_end > self->read_start)
    {
      g_set_error (error, EP_TRANSPORT_ERROR, EP_TRANSPORT_ERROR_STARTTLS,
                   _("%s sent data before the encrypted connection began; "
                     "the connection may have been tampered with"), self->host);
      return FALSE;
    }

  tls = ep_tls_new (self->socket, self->host, ca_file, pin, error);
  if (tls != NULL)
    {
      ep_transport_set_deadline (self, self->timeout);
      ep_tls_set_deadline (tls, self->deadline);
    }
  if (tls == NULL || !ep_tls_handshake (tls, cancellable, error))
    {
      explain_io_error (self, error);
      return FALSE;
    }
  self->tls = g_steal_pointer (&tls);
  if (self->transcript != NULL)
    {
      g_autofree char *description = ep_tls_dup_description (self->tls);
      ep_transcript_note (self->transcript, "TLS established (%s), certificate verified",
                          description);
    }
  return TRUE;
}

gboolean
ep_transport_is_encrypted (EpTransport *self)
{
  g_return_val_if_fail (EP_IS_TRANSPORT (self), FALSE);
  return self->tls != NULL;
}

const char *
ep_transport_get_host (EpTransport *self)
{
  g_return_val_if_fail (EP_IS_TRANSPORT (self), NULL);
  return self->host;
}

/* Sets how long one read or write may wait idle; 0 waits forever. Clears any deadline. */
void
ep_transport_set_timeout (EpTransport *self,
                          guint        seconds)
{
  g_return_if_fail (EP_IS_TRANSPORT (self));

  self->timeout = seconds;
  self->deadline = 0;
  self->step_read = 0;
  g_socket_set_timeout (self->socket, seconds);
  if (self->tls != NULL)
    ep_tls_set_deadline (self->tls, 0);
}

/**
 * ep_transport_set_deadline:
 * @seconds: the whole step's time, from now; 0 waits forever
 *
 * Starts a protocol step: every read from now on must end within @seconds
 * in all, however the server paces its bytes (RFC 5321 §4.5.3.2). Writes
 * wait at most @seconds each while idle.
 */
void
ep_transport_set_deadline (EpTransport *self,
                           guint        seconds)
{
  g_return_if_fail (EP_IS_TRANSPORT (self));

  ep_transport_set_timeout (self, seconds);
  if (seconds > 0)
    self->deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  if (self->tls != NULL)
    ep_tls_set_deadline (self->tls, self->deadline);
}

/* Waits until the socket is readable or the step's deadline has passed. */
static gboolean
wait_readable (EpTransport   *self,
               GCancellable  *cancellable,
               GError       **error)
{
  gint64 remaining;

  if (self->deadline == 0)
    return TRUE;
  remaining = self->deadline - g_get_monotonic_time ();
  if (remaining <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "deadline");
      return FALSE;
    }
  return g_socket_condition_timed_wait (self->socket, G_IO_IN, remaining, cancellable, error);
}

/* While set, lines written are logged as redacted: for SASL responses. */
void
ep_transport_set_secret (EpTransport *self,
                         gboolean     secret)
{
  g_return_if_fail (EP_IS_TRANSPORT (self));
  self->secret = secret;
}

static gssize
raw_read (EpTransport   *self,
          char          *buffer,
          gsize          size,
          GCancellable  *cancellable,
          GError       **error)
{
  gssize n;

  if (self->tls != NULL)
    n = ep_tls_read (self->tls, buffer, size, cancellable, error);
  else if (wait_readable (self, cancellable, error))
    n = g_socket_receive (self->socket, buffer, size, cancellable, error);
  else
    n = -1;

  if (n == 0)
    g_set_error (error, EP_TRANSPORT_ERROR, EP_TRANSPORT_ERROR_CLOSED,
                 _("%s closed the connection unexpectedly"), self->host);
  if (n <= 0)
    {
      explain_io_error (self, error);
      return -1;
    }
  self->step_read += n;
  return n;
}

static gboolean
raw_write (EpTransport   *self,
           const char    *data,
           gsize          size,
           GCancellable  *cancellable,
           GError       **error)
{
  gboolean ok;

  if (self->tls != NULL)
    ok = ep_tls_write_all (self->tls, data, size, cancellable, error);
  else
    ok = g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (self->connection)),
                                    data, size, NULL, cancellable, error);
  if (!ok)
    explain_io_error (self, error);
  return ok;
}

/**
 * ep_transport_read_line:
 *
 * Reads up to READ_BUFFER bytes for a line, never more, within the step's
 * deadline.
 *
 * Returns: (transfer full): the next line without its CR LF, as the bytes
 *   the server sent (not necessarily UTF-8), or %NULL with @error set
 */
char *
ep_transport_read_line (EpTransport   *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (EP_IS_TRANSPORT (self), NULL);

  for (;;)
    {
      char *start = self->read_buffer + self->read_start;
      gsize avail = self->read_end - self->read_start;
      char *newline = memchr (start, '\n', avail);
      gssize n;

      if (newline != NULL)
        {
          gsize len = newline - start;
          char *line;

          self->read_start += len + 1;
          if (len > 0 && start[len - 1] == '\r')
            len--;
          line = g_strndup (start, len);
          if (self->transcript != NULL)
            {
              g_autofree char *shown = ep_server_text_to_display (line, -1);
              ep_transcript_server (self->transcript, shown);
            }
          return line;
        }

      if (self->read_start > 0)
        {
          memmove (self->read_buffer, start, avail);
          self->read_start = 0;
          self->read_end = avail;
        }
      if (self->read_end == READ_BUFFER)
        {
          g_set_error (error, EP_TRANSPORT_ERROR, EP_TRANSPORT_ERROR_LINE_TOO_LONG,
                       _("%s sent a line longer than %d bytes"), self->host, READ_BUFFER);
          return NULL;
        }

      n = raw_read (self, self->read_buffer + self->read_end, READ_BUFFER - self->read_end,
                    cancellable, error);
      if (n < 0)
        return NULL;
      self->read_end += n;
    }
}

/* Whether a read would find something at once: buffered bytes, a TLS record, or the socket
 * readable (an end of stream included). Never blocks. */
gboolean
ep_transport_has_input (EpTransport *self)
{
  g_return_val_if_fail (EP_IS_TRANSPORT (self), FALSE);

  if (self->read_end > self->read_start)
    return TRUE;
  if (self->tls != NULL && ep_tls_has_pending (self->tls))
    return TRUE;
  return (g_socket_condition_check (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0);
}

/* Buffers @data; large writes go straight through. */
gboolean
ep_transport_write (EpTransport   *self,
                    const void    *data,
                    gsize          size,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (EP_IS_TRANSPORT (self), FALSE);

  if (self->write_used + size > WRITE_BUFFER && !ep_transport_flush (self, cancellable, error))
    return FALSE;
  if (size >= WRITE_BUFFER)
    return raw_write (self, data, size, cancellable, error);
  memcpy (self->write_buffer + self->write_used, data, size);
  self->write_used += size;
  return TRUE;
}

/* Buffers one command line, adding CR LF, and logs it. */
gboolean
ep_transport_write_line (EpTransport   *self,
                         const char    *line,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (EP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  if (self->transcript != NULL && self->secret)
    ep_transcript_client_redacted (self->transcript);
  else if (self->transcript != NULL)
    ep_transcript_client (self->transcript, line);
  return ep_transport_write (self, line, strlen (line), cancellable, error) &&
         ep_transport_write (self, "\r\n", 2, cancellable, error);
}

gboolean
ep_transport_flush (EpTransport   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gsize used;

  g_return_val_if_fail (EP_IS_TRANSPORT (self), FALSE);

  used = self->write_used;
  self->write_used = 0;
  return used == 0 || raw_write (self, self->write_buffer, used, cancellable, error);
}

/* Closes the connection without waiting for anything; safe to call twice. */
void
ep_transport_close (EpTransport *self)
{
  g_return_if_fail (EP_IS_TRANSPORT (self));

  if (self->connection == NULL || g_io_stream_is_closed (G_IO_STREAM (self->connection)))
    return;
  g_socket_set_timeout (self->socket, 1);
  if (self->tls != NULL)
    ep_tls_close (self->tls);
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
}

/* Drops the connection at once, without TLS close_notify: for a dialogue
 * broken mid-way (a cancel during DATA), where even that alert could wait
 * behind a full send buffer. */
void
ep_transport_abort (EpTransport *self)
{
  g_return_if_fail (EP_IS_TRANSPORT (self));

  if (self->connection == NULL || g_io_stream_is_closed (G_IO_STREAM (self->connection)))
    return;
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
}
