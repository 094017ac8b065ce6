/* test-faults.c — misbehaving servers: drops, 4xx, stalls, no STARTTLS, garbage
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No real server misbehaves on demand, so a small scripted one runs in a
 * thread on 127.0.0.1 and `epistle send` is run against it. Each case must
 * end with the right exit status and a clear sentence, never a crash or hang.
 */
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "ep-cli-exit.h"
#include "ep-locale.h"
#include "ep-mime.h"
#include "ep-outbox.h"
#include "ep-sasl.h"
#include "ep-sender.h"
#include "ep-test-utils.h"

typedef enum {
  SEND,          /* write text, lines separated by \n */
  EXPECT,        /* read one line, which must start with text */
  READ_DATA,     /* read up to the lone “.”, keeping the raw lines; “.” is then a received line */
  READ_SOME,     /* read some of the message, then close */
  STALL,         /* read nothing and answer nothing until the client leaves */
  CLOSE,
  FLOOD,         /* write text (\n → CR LF, nothing added) again and again until the client leaves */
  DRIP,          /* write text and CR LF one byte every DRIP_MS, again and again, until the client leaves */
  DRIP_LINES,    /* write text and CR LF every DRIP_LINE_MS, until the client leaves */
  READ_BDAT,     /* read one “BDAT n [LAST]” (starting with text) and its n bytes */
  READ_BDATS,    /* read BDAT chunks up to LAST, answering each with text */
  READ_BDAT_SOME,/* read one BDAT command and part of its chunk, then close */
  REFUSE_BDATS,  /* answer every BDAT with text, and the RSET that must follow with 250 */
  START_TLS,     /* the TLS handshake as the server, with the test certificate */
  END,
} StepKind;

typedef struct
{
  StepKind kind;
  const char *text;
} Step;

#define DRIP_MS 250
#define DRIP_LINE_MS 500
#define STEP_LIMIT_SECONDS 60   /* FLOOD and the DRIPs give up after this */
#define FLOOD_LIMIT (16 * 1024 * 1024)   /* bytes; a client without bounds fails the test, not the machine */

/* The server's end of the connection: plain, or TLS after START_TLS. */
typedef struct
{
  GSocket *socket;
  gnutls_session_t tls;
  gnutls_certificate_credentials_t credentials;
  char buffer[16384];
  gsize start;
  gsize end;
} Peer;

typedef struct
{
  const Step *steps;
  GSocketListener *listener;
  guint16 port;
  GThread *thread;

  /* Shared with the server thread: under lock, signalled on cond. */
  GMutex lock;
  GCond cond;
  GString *received;   /* every command line */
  GString *data;       /* the DATA section as sent, dot-stuffing and all, or the BDAT chunks */
  guint n_bdat;        /* BDAT commands read */
  gboolean bdat_last;  /* a BDAT … LAST was read */
  char *failure;
  gboolean done;
} Script;

#define EHLO_PLAIN "250-fake.example.test\n250-PIPELINING\n250-8BITMIME\n250 ENHANCEDSTATUSCODES"

/* A throwaway self-signed certificate for 127.0.0.1 and localhost, valid until 2126. */
static const char test_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBmzCCAUGgAwIBAgIUGWVqz50/7Tqx/bZkTqNvDwT3aN0wCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEzMDAwMTUwMloYDzIxMjYxMTA2\n"
  "MDAxNTAyWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAT4yINJEcp85FS4tWX/Jcxnc1Vjv9Kr8AXWcNwOLgFODsvqg1qMX+gw\n"
  "flzvwpMiTtao2S7xIb1L7+pN33ZrZghto28wbTAdBgNVHQ4EFgQULd/67bUd+dAY\n"
  "zb0uaW1ZKOgFx3owHwYDVR0jBBgwFoAULd/67bUd+dAYzb0uaW1ZKOgFx3owDwYD\n"
  "VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI\n"
  "zj0EAwIDSAAwRQIgSgCerEq0DNps+y//WNpbdsq4kxcYIRxMhLvsH5/QeugCIQDu\n"
  "xIGpeVtBSkSNGgp2WLeycMot4UNLdFTO6QaHYW2Yeg==\n"
  "-----END CERTIFICATE-----\n";
static const char test_key_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOlVcEBO78lcSdhkx\n"
  "lsmrilyRn3o46q43FnLo2+NQtxyhRANCAAT4yINJEcp85FS4tWX/Jcxnc1Vjv9Kr\n"
  "8AXWcNwOLgFODsvqg1qMX+gwflzvwpMiTtao2S7xIb1L7+pN33ZrZght\n"
  "-----END PRIVATE KEY-----\n";

/* The test certificate's SHA-256 fingerprint as the client prints it, AB:CD:… */
static char *
test_cert_fingerprint (void)
{
  gnutls_datum_t pem = { (unsigned char *) test_cert_pem, sizeof test_cert_pem - 1 };
  gnutls_x509_crt_t crt;
  guchar digest[32];
  size_t size = sizeof digest;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &pem, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, digest, &size), ==, 0);
  gnutls_x509_crt_deinit (crt);
  for (size_t i = 0; i < size; i++)
    g_string_append_printf (out, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (out, FALSE);
}

static gssize
peer_read (Peer   *p,
           char   *buffer,
           gsize   size)
{
  gssize n;

  if (p->end > p->start)
    {
      n = MIN (size, p->end - p->start);
      memcpy (buffer, p->buffer + p->start, n);
      p->start += n;
      return n;
    }
  if (p->tls == NULL)
    return g_socket_receive (p->socket, buffer, size, NULL, NULL);
  do
    n = gnutls_record_recv (p->tls, buffer, size);
  while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
  return n < 0 ? -1 : n;
}

static gboolean
peer_write (Peer       *p,
            const char *data,
            gsize       size)
{
  while (size > 0)
    {
      gssize n;

      if (p->tls != NULL)
        {
          do
            n = gnutls_record_send (p->tls, data, size);
          while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
        }
      else
        n = g_socket_send (p->socket, data, size, NULL, NULL);
      if (n <= 0)
        return FALSE;
      data += n;
      size -= n;
    }
  return TRUE;
}

/* Reads exactly @size bytes; FALSE if the client left first. */
static gboolean
peer_read_exact (Peer  *p,
                 char  *buffer,
                 gsize  size)
{
  while (size > 0)
    {
      gssize n = peer_read (p, buffer, size);

      if (n <= 0)
        return FALSE;
      buffer += n;
      size -= n;
    }
  return TRUE;
}

/* One line without its CR LF, or NULL when the client left. */
static char *
peer_read_line (Peer *p)
{
  for (;;)
    {
      char *newline = memchr (p->buffer + p->start, '\n', p->end - p->start);
      gssize n;

      if (newline != NULL)
        {
          gsize len = newline - (p->buffer + p->start);
          char *line = g_strndup (p->buffer + p->start, len > 0 && newline[-1] == '\r' ? len - 1 : len);

          p->start += len + 1;
          return line;
        }
      if (p->start > 0)
        {
          memmove (p->buffer, p->buffer + p->start, p->end - p->start);
          p->end -= p->start;
          p->start = 0;
        }
      if (p->end == sizeof p->buffer)
        return NULL;
      if (p->tls == NULL)
        n = g_socket_receive (p->socket, p->buffer + p->end, sizeof p->buffer - p->end, NULL, NULL);
      else
        {
          do
            n = gnutls_record_recv (p->tls, p->buffer + p->end, sizeof p->buffer - p->end);
          while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
        }
      if (n <= 0)
        return NULL;
      p->end += n;
    }
}

static gboolean
peer_start_tls (Peer *p)
{
  gnutls_datum_t cert = { (unsigned char *) test_cert_pem, sizeof test_cert_pem - 1 };
  gnutls_datum_t key = { (unsigned char *) test_key_pem, sizeof test_key_pem - 1 };
  int rc;

  g_assert_cmpint (gnutls_certificate_allocate_credentials (&p->credentials), ==, 0);
  g_assert_cmpint (gnutls_certificate_set_x509_key_mem (p->credentials, &cert, &key, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_init (&p->tls, GNUTLS_SERVER), ==, 0);
  gnutls_set_default_priority (p->tls);
  gnutls_credentials_set (p->tls, GNUTLS_CRD_CERTIFICATE, p->credentials);
  gnutls_transport_set_int (p->tls, g_socket_get_fd (p->socket));
  do
    rc = gnutls_handshake (p->tls);
  while (rc < 0 && !gnutls_error_is_fatal (rc));
  return rc == 0;
}

static void
peer_clear (Peer *p)
{
  if (p->tls != NULL)
    gnutls_deinit (p->tls);
  if (p->credentials != NULL)
    gnutls_certificate_free_credentials (p->credentials);
}

/* The text of a step as it goes on the wire: every \n becomes CR LF. */
static char *
wire_text (const char *text,
           gboolean    add_crlf)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *joined = g_strjoinv ("\r\n", lines);

  return add_crlf ? g_strconcat (joined, "\r\n", NULL) : g_steal_pointer (&joined);
}

/* Sends every line of @text in one write, as a server would send a pipelined burst. */
static gboolean
write_text (Peer       *p,
            const char *text)
{
  g_autofree char *burst = wire_text (text, TRUE);

  return peer_write (p, burst, strlen (burst));
}

static void
script_fail (Script     *s,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
script_fail (Script     *s,
             const char *format,
             ...)
{
  va_list args;

  g_mutex_lock (&s->lock);
  if (s->failure == NULL)
    {
      va_start (args, format);
      s->failure = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static gboolean
script_failed (Script *s)
{
  gboolean failed;

  g_mutex_lock (&s->lock);
  failed = s->failure != NULL;
  g_mutex_unlock (&s->lock);
  return failed;
}

static void
record_line (Script     *s,
             const char *line)
{
  g_mutex_lock (&s->lock);
  g_string_append_printf (s->received, "%s\n", line);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
record_data (Script     *s,
             const char *data,
             gsize       len)
{
  g_mutex_lock (&s->lock);
  g_string_append_len (s->data, data, len);
  g_mutex_unlock (&s->lock);
}

/* Writes @text over and over: at once (FLOOD), a byte at a time (DRIP) or a line at a
 * time (DRIP_LINES) with a pause, until the client leaves or STEP_LIMIT_SECONDS pass. */
static void
pour (Peer       *p,
      const char *text,
      StepKind    kind)
{
  g_autofree char *unit = wire_text (text, kind != FLOOD);
  gsize len = strlen (unit);
  gint64 stop = g_get_monotonic_time () + STEP_LIMIT_SECONDS * G_USEC_PER_SEC;
  GString *burst = g_string_new (NULL);
  gsize poured = 0;

  while (kind == FLOOD && burst->len < 65536)
    g_string_append_len (burst, unit, len);
  while (g_get_monotonic_time () < stop && poured < FLOOD_LIMIT)
    {
      gboolean ok = TRUE;

      if (kind == DRIP)
        {
          for (gsize i = 0; ok && i < len; i++)
            {
              ok = peer_write (p, unit + i, 1);
              g_usleep (DRIP_MS * 1000);
            }
        }
      else if (kind == DRIP_LINES)
        {
          ok = peer_write (p, unit, len);
          g_usleep (DRIP_LINE_MS * 1000);
        }
      else
        {
          ok = peer_write (p, burst->str, burst->len);
          poured += burst->len;
        }
      if (!ok)
        break;
    }
  g_string_free (burst, TRUE);
}

/* Reads “BDAT n [LAST]”; returns n, or -1 after recording a failure. */
static gssize
read_bdat_command (Script     *s,
                   Peer       *p,
                   const char *prefix,
                   gboolean   *last)
{
  g_autofree char *line = peer_read_line (p);
  char *end = NULL;
  guint64 size;

  if (line == NULL)
    {
      script_fail (s, "expected BDAT, got (closed)");
      return -1;
    }
  record_line (s, line);
  if (!g_str_has_prefix (line, "BDAT ") || (prefix != NULL && !g_str_has_prefix (line, prefix)))
    {
      script_fail (s, "expected “%s”, got “%s”", prefix ? prefix : "BDAT", line);
      return -1;
    }
  size = g_ascii_strtoull (line + 5, &end, 10);
  *last = g_str_equal (end, " LAST");
  g_mutex_lock (&s->lock);
  s->n_bdat++;
  s->bdat_last |= *last;
  g_mutex_unlock (&s->lock);
  return (gssize) size;
}

static gboolean
read_bdat_chunk (Script     *s,
                 Peer       *p,
                 const char *prefix,
                 gboolean   *last)
{
  gssize size = read_bdat_command (s, p, prefix, last);
  g_autofree char *chunk = NULL;

  if (size < 0)
    return FALSE;
  chunk = g_malloc (MAX (size, 1));
  if (!peer_read_exact (p, chunk, size))
    {
      script_fail (s, "the client left in a chunk");
      return FALSE;
    }
  record_data (s, chunk, size);
  return TRUE;
}

/* Answers every BDAT with @reply until RSET, which gets 250. */
static void
refuse_bdats (Script     *s,
              Peer       *p,
              const char *reply)
{
  for (;;)
    {
      g_autofree char *line = peer_read_line (p);
      g_autofree char *chunk = NULL;
      guint64 size;

      if (line == NULL)
        {
          script_fail (s, "expected BDAT or RSET, got (closed)");
          return;
        }
      record_line (s, line);
      if (g_str_equal (line, "RSET"))
        {
          write_text (p, "250 2.0.0 Ok");
          return;
        }
      if (!g_str_has_prefix (line, "BDAT "))
        {
          script_fail (s, "expected BDAT or RSET, got “%s”", line);
          return;
        }
      size = g_ascii_strtoull (line + 5, NULL, 10);
      g_mutex_lock (&s->lock);
      s->n_bdat++;
      s->bdat_last |= g_str_has_suffix (line, " LAST");
      g_mutex_unlock (&s->lock);
      chunk = g_malloc (MAX (size, 1));
      if (!peer_read_exact (p, chunk, size))
        {
          script_fail (s, "the client left in a chunk");
          return;
        }
      write_text (p, reply);
    }
}

/* Runs one step; FALSE when the script ends here (the connection is closed). */
static gboolean
run_step (Script     *s,
          Peer       *p,
          const Step *step)
{
  g_autofree char *line = NULL;
  gboolean last = FALSE;
  char buffer[4096];

  switch (step->kind)
    {
    case SEND:
      write_text (p, step->text);
      return TRUE;
    case EXPECT:
      line = peer_read_line (p);
      if (line != NULL)
        record_line (s, line);
      if (line == NULL || !g_str_has_prefix (line, step->text))
        script_fail (s, "expected “%s”, got “%s”", step->text, line ? line : "(closed)");
      return TRUE;
    case READ_DATA:
      while ((line = peer_read_line (p)) != NULL && !g_str_equal (line, "."))
        {
          record_data (s, line, strlen (line));
          record_data (s, "\r\n", 2);
          g_clear_pointer (&line, g_free);
        }
      if (line != NULL)
        record_line (s, line);   /* the message is all there: script_wait_for (s, "\n.\n") */
      return TRUE;
    case READ_SOME:
      peer_read (p, buffer, sizeof buffer);
      return FALSE;
    case CLOSE:
      return FALSE;
    case STALL:
      while (peer_read (p, buffer, sizeof buffer) > 0)
        ;
      return TRUE;
    case FLOOD:
    case DRIP:
    case DRIP_LINES:
      pour (p, step->text, step->kind);
      return FALSE;
    case READ_BDAT:
      read_bdat_chunk (s, p, step->text, &last);
      return TRUE;
    case READ_BDATS:
      while (!last && read_bdat_chunk (s, p, NULL, &last))
        write_text (p, step->text);
      return TRUE;
    case READ_BDAT_SOME:
      if (read_bdat_command (s, p, step->text, &last) > 0)
        peer_read_exact (p, buffer, sizeof buffer);
      return FALSE;
    case REFUSE_BDATS:
      refuse_bdats (s, p, step->text);
      return TRUE;
    case START_TLS:
      if (!peer_start_tls (p))
        script_fail (s, "the TLS handshake failed");
      return TRUE;
    case END:
    default:
      g_assert_not_reached ();
    }
}

static gpointer
script_thread (gpointer user_data)
{
  Script *s = user_data;
  g_autoptr(GSocketConnection) conn = g_socket_listener_accept (s->listener, NULL, NULL, NULL);
  Peer peer = { 0 };

  if (conn != NULL)
    {
      peer.socket = g_socket_connection_get_socket (conn);
      g_socket_set_timeout (peer.socket, 30);
      for (const Step *step = s->steps; step->kind != END && !script_failed (s); step++)
        {
          if (!run_step (s, &peer, step))
            break;
        }
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      peer_clear (&peer);
    }

  g_mutex_lock (&s->lock);
  s->done = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  return NULL;
}

static Script *
script_start_on (const Step     *steps,
                 GSocketFamily   family)
{
  Script *s = g_new0 (Script, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (family);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  s->steps = steps;
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->received = g_string_new (NULL);
  s->data = g_string_new (NULL);
  s->listener = g_socket_listener_new ();
  g_socket_listener_add_address (s->listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  s->thread = g_thread_new ("script", script_thread, s);
  return s;
}

static Script *
script_start (const Step *steps)
{
  return script_start_on (steps, G_SOCKET_FAMILY_IPV4);
}

/* Waits until the server has read a line containing @needle; FALSE after @seconds. */
static gboolean
script_wait_for (Script     *s,
                 const char *needle,
                 guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  gboolean found;

  g_mutex_lock (&s->lock);
  for (;;)
    {
      found = strstr (s->received->str, needle) != NULL;
      if (found || s->done || !g_cond_wait_until (&s->cond, &s->lock, deadline))
        break;
    }
  found = strstr (s->received->str, needle) != NULL;
  g_mutex_unlock (&s->lock);
  return found;
}

/* Waits for the server thread to end, after which its buffers may be read without a lock. */
static void
script_join (Script *s)
{
  if (s->thread != NULL)
    g_thread_join (g_steal_pointer (&s->thread));
}

static void
script_finish (Script *s)
{
  script_join (s);
  g_socket_listener_close (s->listener);
  g_object_unref (s->listener);
  if (s->failure != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (s->received->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        g_test_message ("server saw: %s", lines[i]);
    }
  g_assert_null (s->failure);
  g_string_free (s->received, TRUE);
  g_string_free (s->data, TRUE);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

/* Runs `epistle send` against the script with --security none unless @security is given. */
static int
send_to (Script      *s,
         const char  *security,
         const char  *extra[],
         const char  *password,
         char       **out,
         char       **err)
{
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", s->port);
  const char *base[] = { "send", "--server", server, "--security", security ? security : "none",
                         "--from", "me@example.test", "--to", "you@example.test",
                         "--subject", "fault test", "--body", "hello", "--timeout", "20", NULL };

  return ep_test_run_cli (base, extra, password, out, err);
}

static void
test_greeting_421 (void)
{
  static const Step steps[] = { { SEND, "421 4.3.2 Service shutting down, try later" }, { CLOSE }, { END } };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "421 4.3.2 Service shutting down"));
  script_finish (s);
}

static void
test_drop_mid_data (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { EXPECT, "RCPT TO:<you@example.test>" },
    { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" }, { EXPECT, "DATA" }, { SEND, "354 go ahead" },
    { READ_SOME }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("faults-XXXXXX", &error);
  g_autofree char *big = NULL;
  g_autofree char *blob = g_malloc0 (4 * 1024 * 1024);
  g_autofree char *err = NULL;
  const char *extra[] = { "--attach", NULL, NULL };

  big = ep_test_write_file (dir, "big.bin", blob, 4 * 1024 * 1024);
  extra[1] = big;
  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "The connection was lost during the upload of the message"));
  g_assert_nonnull (strstr (err, "nothing was delivered"));
  g_assert_nonnull (strstr (err, "127.0.0.1"));
  script_finish (s);
  g_remove (big);
  g_rmdir (dir);
}

static void
test_data_451 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "451 4.3.0 Error: queue file write error" }, { EXPECT, "RSET" }, { SEND, "250 Ok" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "451 4.3.0"));
  g_assert_nonnull (strstr (err, "Try again later"));
  script_finish (s);
}

static void
test_rcpt_452 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" },
    { SEND, "250 2.1.0 Ok\n452 4.5.3 Error: too many recipients" },
    { EXPECT, "RSET" }, { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, &out, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (out, "rejected you@example.test: 452 4.5.3"));
  script_finish (s);
}

static void
test_stall_times_out (void)
{
  static const Step steps[] = { { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { STALL }, { END } };
  Script *s = script_start (steps);
  const char *extra[] = { "--timeout", "2", NULL };
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (err, "did not answer within 2 seconds"));
  script_finish (s);
}

static void
test_no_starttls (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" },
    { SEND, "250-fake.example.test\n250-AUTH PLAIN LOGIN\n250 8BITMIME" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--user", "me@example.test", NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (send_to (s, "starttls", extra, "never-sent", NULL, &err), ==, EP_EXIT_CONFIG);
  g_assert_nonnull (strstr (err, "STARTTLS"));
  g_assert_nonnull (strstr (err, "clear text"));
  script_join (s);
  g_assert_null (strstr (s->received->str, "AUTH"));
  script_finish (s);
}

static void
test_starttls_injection (void)
{
  /* CVE-2011-0411: a command smuggled in clear text behind the go-ahead must not survive. */
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 STARTTLS" },
    { EXPECT, "STARTTLS" }, { SEND, "220 2.0.0 Ready\n250 injected" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, "starttls", NULL, NULL, NULL, &err), ==, EP_EXIT_CONFIG);
  g_assert_nonnull (strstr (err, "before the encrypted connection began"));
  script_finish (s);
}

static void
test_malformed_reply (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "hello, I am not SMTP" }, { CLOSE }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_PROTOCOL);
  g_assert_nonnull (strstr (err, "malformed"));
  script_finish (s);
}

static void
test_size_limit (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" },
    { SEND, "250-fake.example.test\n250-SIZE 1000\n250 PIPELINING" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *body = g_strnfill (5000, 'y');
  const char *extra[] = { "--body", body, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (err, "(1000 bytes)"));
  script_join (s);
  g_assert_null (strstr (s->received->str, "MAIL"));
  script_finish (s);
}

static void
test_data_dot_stuffing (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 SIZE 100000" },
    { EXPECT, "MAIL FROM:<me@example.test> SIZE=" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<other@example.test>" }, { SEND, "550 5.1.1 <other@example.test>: User unknown" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 2.0.0 Ok: queued as F00D" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("faults-XXXXXX", &error);
  const char text[] = "first\n.\n..\n.hidden\nlast";
  g_autofree char *file = ep_test_write_file (dir, "body.txt", text, strlen (text));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *unstuffed = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *body = NULL;

  {
    g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", s->port);
    const char *args[] = { "send", "--server", server, "--security", "none", "--from", "me@example.test",
                           "--to", "you@example.test", "--cc", "other@example.test", "--partial",
                           "--body-file", file, "--subject", "dots", NULL };
    g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, &out, &err), ==, EP_EXIT_OK);
  }
  g_assert_nonnull (strstr (out, "accepted you@example.test\n"));
  g_assert_nonnull (strstr (out, "rejected other@example.test: 550 5.1.1"));
  g_assert_nonnull (strstr (out, "server: 250 2.0.0 Ok: queued as F00D"));

  /* On the wire each line starting with “.” has one more. */
  script_join (s);
  g_assert_nonnull (strstr (s->data->str, "\r\nfirst\r\n..\r\n...\r\n..hidden\r\nlast"));
  regex = g_regex_new ("^\\.", G_REGEX_MULTILINE, 0, NULL);
  unstuffed = g_regex_replace_literal (regex, s->data->str, -1, 0, "", 0, NULL);
  mime = ep_test_parse_message (unstuffed, strlen (unstuffed));
  body = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_message_get_mime_part (mime)));
  /* SMTP ends every message with CRLF, so the last line gains one. */
  g_assert_cmpstr (body, ==, "first\r\n.\r\n..\r\n.hidden\r\nlast\r\n");
  script_finish (s);
  g_remove (file);
  g_rmdir (dir);
}

static void
test_helo_fallback (void)
{
  static const Step steps[] = {
    { SEND, "220 old.example.test SMTP ready" }, { EXPECT, "EHLO" },
    { SEND, "502 5.5.2 Command not recognized" }, { EXPECT, "HELO" }, { SEND, "250 old.example.test" },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok: queued" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, &out, &err), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "server: 250 Ok: queued"));
  script_join (s);
  g_assert_nonnull (strstr (s->data->str, "Subject: fault test\r\n"));
  script_finish (s);
}

static int
send_args (Script      *s,
           const char  *host,
           const char  *extra[],
           const char  *password,
           char       **out,
           char       **err)
{
  g_autofree char *srv = g_strdup_printf ("%s:%u", host, s->port);
  const char *base[] = { "send", "--server", srv, "--security", "none", "--subject", "t",
                         "--body", "b", "--timeout", "20", NULL };

  return ep_test_run_cli (base, extra, password, out, err);
}

static void
test_smtputf8 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250-SMTPUTF8\n250 8BITMIME" },
    { EXPECT, "MAIL FROM:<me@example.test> SMTPUTF8 BODY=8BITMIME" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<用户@例子.中国>" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@example.test", "--to", "用户@例子.中国", NULL };

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, NULL, NULL, NULL), ==, EP_EXIT_OK);
  script_join (s);
  g_assert_nonnull (strstr (s->data->str, "用户@"));
  script_finish (s);
}

static void
test_smtputf8_missing (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 8BITMIME" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@example.test", "--to", "用户@例子.中国", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, NULL, NULL, &err), ==, EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (err, "“用户@例子.中国”"));
  g_assert_nonnull (strstr (err, "SMTPUTF8"));
  script_join (s);
  g_assert_null (strstr (s->received->str, "MAIL"));
  script_finish (s);
}

static void
test_idn_recipient (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250 fake" },
    { EXPECT, "MAIL FROM:<me@xn--bcher-kva.de>" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<user@xn--fsqu00a.xn--fiqs8s>" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@bücher.de", "--to", "user@例子.中国", NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, NULL, &out, NULL), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "accepted user@例子.中国"));
  script_join (s);
  g_assert_nonnull (strstr (s->data->str, "user@xn--fsqu00a.xn--fiqs8s"));
  script_finish (s);
}

static void
test_xoauth2 (void)
{
  g_autofree char *payload = ep_sasl_xoauth2 ("me@example.test", "ya29.token");
  g_autofree char *auth = g_strdup_printf ("AUTH XOAUTH2 %s", payload);
  const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 AUTH PLAIN XOAUTH2" },
    { EXPECT, auth }, { SEND, "235 2.7.0 Accepted" },
    { EXPECT, "MAIL FROM" }, { SEND, "250 Ok" }, { EXPECT, "RCPT TO" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@example.test", "--to", "you@example.test",
                          "--user", "me@example.test", "--auth", "xoauth2", "--allow-plaintext-auth", NULL };

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, "ya29.token", NULL, NULL), ==, EP_EXIT_OK);
  script_finish (s);
}

static void
test_xoauth2_refused (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 AUTH XOAUTH2" },
    { EXPECT, "AUTH XOAUTH2 " },
    { SEND, "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==" },
    { EXPECT, "" }, { SEND, "535 5.7.8 Username and Password not accepted" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@gmail.com", "--to", "you@example.test",
                          "--user", "me@gmail.com", "--auth", "xoauth2", "--allow-plaintext-auth", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, "expired-token", NULL, &err), ==, EP_EXIT_NOPERM);
  g_assert_nonnull (strstr (err, "535 5.7.8"));
  g_assert_nonnull (strstr (err, "OAuth2 access token"));
  script_finish (s);
}

static void
test_ipv6 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250 fake" },
    { EXPECT, "MAIL FROM" }, { SEND, "250 Ok" }, { EXPECT, "RCPT TO" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) any = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  const char *extra[] = { "--from", "me@example.test", "--to", "you@example.test", NULL };
  Script *s;

  if (probe == NULL || !g_socket_bind (probe, address, FALSE, NULL))
    {
      g_test_skip ("this machine has no IPv6 loopback");
      return;
    }
  s = script_start_on (steps, G_SOCKET_FAMILY_IPV6);
  g_assert_cmpint (send_args (s, "[::1]", extra, NULL, NULL, NULL), ==, EP_EXIT_OK);
  script_finish (s);
}

static void
test_cancel_by_signal (void)
{
  static const Step steps[] = { { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { STALL }, { END } };
  Script *s = script_start (steps);
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", s->port);
  const char *argv[] = { g_getenv ("EPISTLE_BIN"), "send", "--server", server, "--security", "none",
                         "--from", "me@example.test", "--to", "you@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_autofree char *err = NULL;
  gint64 start;

  g_assert_no_error (error);
  /* Once the server has read EHLO, the client waits for the reply (or is about to). */
  g_assert_true (script_wait_for (s, "EHLO", 20));
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "cancelled"));
  script_finish (s);
}

/* The whole message went out and the server closed without a verdict: say so, never “not delivered”. */
static void
test_data_unconfirmed (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA }, { CLOSE }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "The whole message was sent, but the server did not confirm it"));
  g_assert_nonnull (strstr (err, "127.0.0.1 closed the connection unexpectedly"));
  g_assert_null (strstr (err, "nothing was delivered"));
  script_finish (s);
}

/* A file of @size bytes that base64 cannot shrink, in a fresh directory. */
static char *
make_attachment (char  **dir,
                 gsize   size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blob = g_malloc (size);
  guint32 x = 2463534242u;

  *dir = g_dir_make_tmp ("faults-XXXXXX", &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < size; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      blob[i] = (char) x;
    }
  return ep_test_write_file (*dir, "big.bin", blob, size);
}

static void
remove_attachment (char *dir,
                   char *file)
{
  g_remove (file);
  g_rmdir (dir);
  g_free (file);
  g_free (dir);
}

/* A server that never ends its EHLO reply: a protocol error that names the limit, fast. */
static void
test_endless_reply (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake.example.test" },
    { FLOOD, "250-PIPELINING and more, and more, and more\n" }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("faults-XXXXXX", &error);
  g_autofree char *log = g_build_filename (dir, "transcript.txt", NULL);
  const char *extra[] = { "--transcript", log, NULL };
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_PROTOCOL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (err, "longer than 1000 lines"));

  /* The transcript keeps the start and says what it dropped. */
  g_assert_true (g_file_get_contents (log, &text, &len, NULL));
  g_assert_cmpuint (len, <, 64 * 1024);
  g_assert_nonnull (strstr (text, "S: 250-fake.example.test\n"));
  g_assert_nonnull (strstr (text, " lines dropped\n"));
  script_finish (s);
  g_remove (log);
  g_rmdir (dir);
}

/* One line without an end is bounded by the line reader. */
static void
test_endless_line (void)
{
  static const Step steps[] = { { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { FLOOD, "250-xxxxxxxx" }, { END } };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_PROTOCOL);
  g_assert_nonnull (strstr (err, "sent a line longer than 65536 bytes"));
  script_finish (s);
}

/* --timeout bounds a whole step, however the server paces its bytes. */
static void
assert_times_out (Script      *s,
                  const char  *security,
                  const char  *more[])
{
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 took;

  g_ptr_array_add (extra, (gpointer) "--timeout");
  g_ptr_array_add (extra, (gpointer) "2");
  for (guint i = 0; more != NULL && more[i] != NULL; i++)
    g_ptr_array_add (extra, (gpointer) more[i]);
  g_ptr_array_add (extra, NULL);

  g_assert_cmpint (send_to (s, security, (const char **) extra->pdata, NULL, NULL, &err), ==,
                   EP_EXIT_TEMPFAIL);
  took = g_get_monotonic_time () - start;
  g_test_message ("ended after %.1f s: %s", took / 1e6, err);
  /* What ended it first: a failure here names the real cause, not just the time. */
  g_assert_nonnull (strstr (err, "Timed out: 127.0.0.1 began to answer but did not finish within 2 seconds"));
  g_assert_cmpint (took, >=, 2 * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (took, <, 6 * G_USEC_PER_SEC);
}

static void
test_drip_bytes (void)
{
  /* A byte every 250 ms: never idle for 2 s, never done either. */
  static const Step steps[] = { { DRIP, "220-slowly, slowly" }, { END } };
  Script *s = script_start (steps);

  assert_times_out (s, NULL, NULL);
  script_finish (s);
}

static void
test_drip_lines (void)
{
  /* One continuation line every 500 ms, as in the review: 30 s with --timeout 2, before. */
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { DRIP_LINES, "250-still thinking" }, { END }
  };
  Script *s = script_start (steps);

  assert_times_out (s, NULL, NULL);
  script_finish (s);
}

/* The deadline holds inside TLS records too (the pin makes the test certificate trusted). */
static void
test_drip_tls (void)
{
  static const Step steps[] = { { START_TLS }, { DRIP, "220-slowly, over TLS" }, { END } };
  Script *s = script_start (steps);
  g_autofree char *fingerprint = test_cert_fingerprint ();
  const char *extra[] = { "--pin", fingerprint, NULL };

  assert_times_out (s, "tls", extra);
  script_finish (s);
}

/* No byte of a control character reaches the terminal or the transcript file. */
static void
assert_no_controls (const char *what,
                    const char *text)
{
  g_test_message ("checking %s", what);
  g_assert_nonnull (text);
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      g_assert_false ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f);
      g_assert_false (c == 0xc2 && (guchar) p[1] >= 0x80 && (guchar) p[1] <= 0x9f);
    }
}

static void
test_control_characters (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP \x1b]0;you have been retitled\x07" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" },
    { SEND, "250 2.1.0 Ok\n550 5.1.1 \x1b[2J\x1b[Hall clear\b\b\b\b\b\b\b\b\bhidden \xc2\x9b" "31m red" },
    { EXPECT, "RSET" }, { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye \x1b]0;bye\x07" }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("faults-XXXXXX", &error);
  g_autofree char *log = g_build_filename (dir, "transcript.txt", NULL);
  const char *extra[] = { "--transcript", log, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  const char *shown = "550 5.1.1 \\x1b[2J\\x1b[Hall clear\\x08\\x08\\x08\\x08\\x08\\x08\\x08\\x08\\x08"
                      "hidden \\u009b31m red";

  g_assert_cmpint (send_to (s, NULL, extra, NULL, &out, &err), ==, EP_EXIT_UNAVAILABLE);
  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  assert_no_controls ("stdout", out);
  assert_no_controls ("stderr", err);
  assert_no_controls ("transcript", text);

  g_assert_nonnull (strstr (out, "rejected you@example.test: "));
  g_assert_nonnull (strstr (out, shown));
  g_assert_nonnull (strstr (err, shown));
  g_assert_nonnull (strstr (text, "S: 220 fake ESMTP \\x1b]0;you have been retitled\\x07\n"));
  g_assert_nonnull (strstr (text, shown));
  g_assert_nonnull (strstr (text, "S: 221 Bye \\x1b]0;bye\\x07\n"));
  script_finish (s);
  g_remove (log);
  g_rmdir (dir);
}

#define EHLO_CHUNKING "250-fake.example.test\n250-CHUNKING\n250-8BITMIME\n250 ENHANCEDSTATUSCODES"
#define EHLO_CHUNKING_PIPELINING \
  "250-fake.example.test\n250-PIPELINING\n250-CHUNKING\n250-8BITMIME\n250 ENHANCEDSTATUSCODES"

/* RFC 3030: after a refused chunk, not one more is sent; the server's reply is the outcome. */
static void
test_bdat_refused (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_CHUNKING },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { SEND, "250 2.1.0 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 2.1.5 Ok" },
    { READ_BDAT, "BDAT 1048576" }, { SEND, "552 5.3.4 Message too big for system" },
    { EXPECT, "RSET" }, { SEND, "250 2.0.0 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  char *dir = NULL;
  char *big = make_attachment (&dir, 3 * 1024 * 1024);
  const char *extra[] = { "--attach", big, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, extra, NULL, &out, &err), ==, EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (err, "552 5.3.4 Message too big for system"));
  g_assert_nonnull (strstr (out, "server: 552 5.3.4 Message too big for system"));
  script_join (s);
  g_assert_cmpuint (s->n_bdat, ==, 1);
  g_assert_false (s->bdat_last);
  script_finish (s);
  remove_attachment (dir, big);
}

/* With PIPELINING the client learns of the refusal a little late, but stops then, reads the
 * replies still owed and resets. */
static void
test_bdat_refused_pipelined (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_CHUNKING_PIPELINING },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { EXPECT, "RCPT TO:<you@example.test>" },
    { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" },
    { READ_BDAT, "BDAT 1048576" }, { SEND, "554 5.6.0 Your message looks like spam" },
    { REFUSE_BDATS, "503 5.5.1 Error: no transaction" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  char *dir = NULL;
  char *big = make_attachment (&dir, 24 * 1024 * 1024);
  const char *extra[] = { "--attach", big, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (err, "554 5.6.0 Your message looks like spam"));
  script_join (s);
  /* Socket buffers may take a few chunks before the refusal is seen; never the rest. */
  g_test_message ("chunks sent: %u of about 33", s->n_bdat);
  g_assert_false (s->bdat_last);
  g_assert_cmpuint (s->n_bdat, <, 12);
  script_finish (s);
  remove_attachment (dir, big);
}

static void
test_bdat_drop_mid_chunk (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_CHUNKING },
    { EXPECT, "MAIL FROM" }, { SEND, "250 2.1.0 Ok" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.5 Ok" },
    { READ_BDAT_SOME, "BDAT 1048576" }, { END }
  };
  Script *s = script_start (steps);
  char *dir = NULL;
  char *big = make_attachment (&dir, 4 * 1024 * 1024);
  const char *extra[] = { "--attach", big, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "The connection was lost during the upload of the message"));
  g_assert_nonnull (strstr (err, "127.0.0.1"));
  script_finish (s);
  remove_attachment (dir, big);
}

/* A wrong pin is refused (78), and the message shows the certificate's real fingerprint. */
static void
test_wrong_pin (void)
{
  static const Step steps[] = { { START_TLS }, { STALL }, { END } };
  Script *s = script_start (steps);
  g_autofree char *fingerprint = test_cert_fingerprint ();
  const char *extra[] = {
    "--pin", "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
    NULL
  };
  g_autofree char *expected = g_strdup_printf ("Its SHA-256 fingerprint is %s", fingerprint);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, "tls", extra, NULL, NULL, &err), ==, EP_EXIT_CONFIG);
  g_assert_nonnull (strstr (err, "The certificate of 127.0.0.1 is not trusted"));
  g_assert_nonnull (strstr (err, expected));
  script_finish (s);
}

/* The right pin is enough for an untrusted certificate. */
static void
test_right_pin (void)
{
  static const Step steps[] = {
    { START_TLS }, { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250 fake" },
    { EXPECT, "MAIL FROM" }, { SEND, "250 Ok" }, { EXPECT, "RCPT TO" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 2.0.0 Ok: queued over TLS" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *fingerprint = test_cert_fingerprint ();
  g_autofree char *lower = g_ascii_strdown (fingerprint, -1);
  const char *extra[] = { "--pin", lower, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (send_to (s, "tls", extra, NULL, &out, NULL), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "server: 250 2.0.0 Ok: queued over TLS"));
  script_finish (s);
}

typedef struct
{
  guint64 done;
  guint64 total;
  guint calls;
  gboolean finished;
  gboolean ok;
  EpSendResult *result;
  GError *error;
} ProgressRun;

static void
on_progress (EpSender *sender,
             guint     stage,
             guint64   done,
             guint64   total,
             gpointer  user_data)
{
  ProgressRun *run = user_data;

  /* Never backwards, never past the total, and the total never changes once known. */
  g_assert_cmpuint (done, >=, run->done);
  g_assert_cmpuint (done, <=, total);
  if (run->total != 0)
    g_assert_cmpuint (total, ==, run->total);
  run->done = done;
  run->total = total;
  run->calls++;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ProgressRun *run = user_data;

  run->ok = ep_sender_send_finish (EP_SENDER (source), result, &run->result, &run->error);
  run->finished = TRUE;
}

/* EpSender's progress is monotonic and ends at the exact number of bytes the server got. */
static void
test_sender_progress (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_CHUNKING },
    { EXPECT, "MAIL FROM" }, { SEND, "250 2.1.0 Ok" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.5 Ok" },
    { READ_BDATS, "250 2.0.0 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  char *dir = NULL;
  char *big = make_attachment (&dir, 3 * 1024 * 1024 + 12345);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("me@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("you@example.test", NULL);
  g_autoptr(EpSender) sender = ep_sender_new ("127.0.0.1", s->port, EP_SECURITY_NONE);
  EpSmtpTimeouts timeouts;
  ProgressRun run = { 0 };

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "progress");
  ep_message_set_text (message, "counted");
  ep_message_add_attachment (message, big);
  ep_smtp_timeouts_init (&timeouts, 20);
  ep_sender_set_timeouts (sender, &timeouts);

  g_signal_connect (sender, "progress", G_CALLBACK (on_progress), &run);
  ep_sender_send_async (sender, message, NULL, on_sent, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  script_join (s);
  g_assert_cmpuint (s->n_bdat, >=, 4);
  g_assert_true (s->bdat_last);
  g_assert_cmpuint (run.calls, >=, 1);
  g_assert_cmpuint (run.total, ==, s->data->len);
  g_assert_cmpuint (run.done, ==, s->data->len);
  g_assert_cmpuint (ep_send_result_get_size (run.result), ==, s->data->len);
  g_assert_true (ep_send_result_get_delivered (run.result));
  g_object_unref (run.result);
  script_finish (s);
  remove_attachment (dir, big);
}

static EpMessage *
short_message (void)
{
  EpMessage *message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("me@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("you@example.test", NULL);

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "once");
  ep_message_set_text (message, "Sent once, or said to be uncertain.");
  return message;
}

static EpSender *
sender_for (Script *s)
{
  EpSender *sender = ep_sender_new ("127.0.0.1", s->port, EP_SECURITY_NONE);
  EpSmtpTimeouts timeouts;

  ep_smtp_timeouts_init (&timeouts, 30);
  ep_sender_set_timeouts (sender, &timeouts);
  return sender;
}

/* Waits in the main loop until @s has read a line holding @needle. */
static void
iterate_until_received (Script     *s,
                        const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!script_wait_for (s, needle, 0) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_true (script_wait_for (s, needle, 0));
}

/* Cancelled once the whole message went out, before the server's verdict: the server may
 * have it, so the send is "unconfirmed" (never sent again by itself), not merely cancelled. */
static void
test_cancel_after_data (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA }, { STALL }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(EpMessage) message = short_message ();
  g_autoptr(EpSender) sender = sender_for (s);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ProgressRun run = { 0 };

  ep_sender_send_async (sender, message, cancellable, on_sent, &run);
  iterate_until_received (s, "\n.\n");
  g_cancellable_cancel (cancellable);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (run.result);
  g_assert_true (ep_send_result_get_unconfirmed (run.result));
  g_assert_false (ep_send_result_get_delivered (run.result));
  g_clear_error (&run.error);
  g_object_unref (run.result);
  script_finish (s);
}

/* Cancelled after the server's 250, while QUIT waits for its answer (Epistle closing):
 * the message was delivered, and the send says so. Reporting it cancelled would put it
 * back in the queue, to be delivered twice. */
static void
test_cancel_after_250 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA }, { SEND, "250 2.0.0 Ok: queued as 4F3A" },
    { EXPECT, "QUIT" }, { STALL }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(EpMessage) message = short_message ();
  g_autoptr(EpSender) sender = sender_for (s);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ProgressRun run = { 0 };

  ep_sender_send_async (sender, message, cancellable, on_sent, &run);
  iterate_until_received (s, "QUIT");
  g_cancellable_cancel (cancellable);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_true (ep_send_result_get_delivered (run.result));
  g_assert_cmpstr (ep_send_result_get_final_reply (run.result), ==, "250 2.0.0 Ok: queued as 4F3A");
  g_object_unref (run.result);
  script_finish (s);
}

/* The Outbox stopped (Epistle quitting) in the middle of a try that had sent the whole
 * message: the entry is "uncertain" on disk, waiting for the person, never queued again. */
static void
test_outbox_stop_mid_send (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA }, { STALL }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(EpMessage) message = short_message ();
  g_autoptr(EpSender) sender = sender_for (s);
  g_autoptr(GMimeMessage) mime = ep_mime_build (message, NULL);
  g_autofree char *dir = g_dir_make_tmp ("faults-outbox-XXXXXX", NULL);
  g_autoptr(EpOutbox) outbox = ep_outbox_new (dir);
  g_autoptr(EpOutboxEntry) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *entry_dir = NULL;
  EpOutboxEntry *entry;
  gint64 deadline;

  entry = ep_outbox_add (outbox, "me@example.test", message, mime, NULL, "offline", &error);
  g_assert_no_error (error);
  entry_dir = g_strdup (ep_outbox_entry_get_dir (entry));
  ep_outbox_set_account (outbox, "me@example.test", sender, NULL);
  g_assert_true (ep_outbox_retry_now (outbox, entry, &error));
  iterate_until_received (s, "\n.\n");

  ep_outbox_stop (outbox);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (ep_outbox_get_n_busy (outbox) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpuint (ep_outbox_get_n_busy (outbox), ==, 0);
  g_assert_cmpint (ep_outbox_entry_get_state (entry), ==, EP_OUTBOX_STATE_UNCERTAIN);

  reloaded = ep_outbox_entry_load (entry_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ep_outbox_entry_get_state (reloaded), ==, EP_OUTBOX_STATE_UNCERTAIN);
  g_assert_true (ep_outbox_entry_delete (reloaded, &error));
  g_assert_no_error (error);
  g_rmdir (dir);
  script_finish (s);
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The scripted server writes to clients that may have left; GnuTLS uses the bare fd. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/faults/greeting-421", test_greeting_421);
  g_test_add_func ("/faults/drop-mid-data", test_drop_mid_data);
  g_test_add_func ("/faults/data-451", test_data_451);
  g_test_add_func ("/faults/rcpt-452", test_rcpt_452);
  g_test_add_func ("/faults/stall-times-out", test_stall_times_out);
  g_test_add_func ("/faults/no-starttls", test_no_starttls);
  g_test_add_func ("/faults/starttls-injection", test_starttls_injection);
  g_test_add_func ("/faults/malformed-reply", test_malformed_reply);
  g_test_add_func ("/faults/size-limit", test_size_limit);
  g_test_add_func ("/faults/data-dot-stuffing", test_data_dot_stuffing);
  g_test_add_func ("/faults/helo-fallback", test_helo_fallback);
  g_test_add_func ("/faults/smtputf8", test_smtputf8);
  g_test_add_func ("/faults/smtputf8-missing", test_smtputf8_missing);
  g_test_add_func ("/faults/idn-recipient", test_idn_recipient);
  g_test_add_func ("/faults/xoauth2", test_xoauth2);
  g_test_add_func ("/faults/xoauth2-refused", test_xoauth2_refused);
  g_test_add_func ("/faults/ipv6", test_ipv6);
  g_test_add_func ("/faults/cancel-by-signal", test_cancel_by_signal);
  g_test_add_func ("/faults/endless-reply", test_endless_reply);
  g_test_add_func ("/faults/endless-line", test_endless_line);
  g_test_add_func ("/faults/drip-bytes", test_drip_bytes);
  g_test_add_func ("/faults/drip-lines", test_drip_lines);
  g_test_add_func ("/faults/drip-tls", test_drip_tls);
  g_test_add_func ("/faults/control-characters", test_control_characters);
  g_test_add_func ("/faults/bdat-refused", test_bdat_refused);
  g_test_add_func ("/faults/bdat-refused-pipelined", test_bdat_refused_pipelined);
  g_test_add_func ("/faults/bdat-drop-mid-chunk", test_bdat_drop_mid_chunk);
  g_test_add_func ("/faults/data-unconfirmed", test_data_unconfirmed);
  g_test_add_func ("/faults/cancel-after-data", test_cancel_after_data);
  g_test_add_func ("/faults/cancel-after-250", test_cancel_after_250);
  g_test_add_func ("/faults/outbox-stop-mid-send", test_outbox_stop_mid_send);
  g_test_add_func ("/faults/wrong-pin", test_wrong_pin);
  g_test_add_func ("/faults/right-pin", test_right_pin);
  g_test_add_func ("/faults/sender-progress", test_sender_progress);
  return g_test_run ();
}
