/* ep-tls.c — GnuTLS over a GSocket: system trust, host name, SHA-256 pin
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GnuTLS reads and writes through callbacks on the GSocket with the current
 * operation's cancellable, as GIO's own GnuTLS backend does: a cancel or a
 * timeout stops a TLS read exactly as it stops a plain one. When a callback
 * fails it keeps the GError and the caller returns it instead of GnuTLS's
 * generic pull/push error. Reads honour the transport's deadline for the
 * current step, so a server cannot keep a step alive by dripping records.
 */
#include "ep-tls.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#ifndef MSG_MORE
#define MSG_MORE 0   /* not Linux: each record is sent as it comes */
#endif

struct _EpTls
{
  gnutls_session_t session;
  gnutls_certificate_credentials_t credentials;
  GSocket *socket;            /* Owned */
  char *host;
  char *pin;                  /* normalized, or NULL */
  GCancellable *cancellable;  /* Borrowed, during one operation */
  GError *io_error;           /* from the last failed callback */
  gint64 deadline;            /* monotonic µs by which reads must end; 0: none */
  gboolean more;              /* the record being pushed is not a write's last */
};

G_DEFINE_QUARK (ep-tls-error-quark, ep_tls_error)

static ssize_t
push_func (gnutls_transport_ptr_t  ptr,
           const void             *data,
           size_t                  size)
{
  EpTls *self = ptr;
  gssize n;

  g_clear_error (&self->io_error);
  if (self->more)
    {
      /* MSG_MORE: the kernel fills whole segments instead of sending each record apart. */
      GOutputVector vector = { data, size };

      n = g_socket_send_message (self->socket, NULL, &vector, 1, NULL, 0, MSG_MORE,
                                 self->cancellable, &self->io_error);
    }
  else
    n = g_socket_send (self->socket, data, size, self->cancellable, &self->io_error);
  if (n < 0)
    {
      gnutls_transport_set_errno (self->session, EIO);
      return -1;
    }
  return n;
}

/* Microseconds left before the deadline (at least 1), -1 for none, or 0 when
 * it has passed, with io_error set. */
static gint64
remaining_time (EpTls *self)
{
  gint64 left;

  if (self->deadline == 0)
    return -1;
  left = self->deadline - g_get_monotonic_time ();
  if (left > 0)
    return left;
  g_set_error_literal (&self->io_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "deadline");
  return 0;
}

static ssize_t
pull_func (gnutls_transport_ptr_t  ptr,
           void                   *data,
           size_t                  size)
{
  EpTls *self = ptr;
  gint64 left;
  gssize n = -1;

  g_clear_error (&self->io_error);
  left = remaining_time (self);
  if (left != 0 &&
      (left < 0 || g_socket_condition_timed_wait (self->socket, G_IO_IN, left, self->cancellable,
                                                  &self->io_error)))
    n = g_socket_receive (self->socket, data, size, self->cancellable, &self->io_error);
  if (n < 0)
    {
      gnutls_transport_set_errno (self->session, EIO);
      return -1;
    }
  return n;
}

static int
pull_timeout_func (gnutls_transport_ptr_t ptr,
                   unsigned int           ms)
{
  EpTls *self = ptr;
  gint64 timeout = ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (gint64) ms * 1000;
  gint64 left;
  gboolean deadline_first;

  g_clear_error (&self->io_error);
  left = remaining_time (self);
  if (left == 0)
    {
      gnutls_transport_set_errno (self->session, EIO);
      return -1;
    }
  deadline_first = left > 0 && (timeout < 0 || left < timeout);
  if (deadline_first)
    timeout = left;
  if (g_socket_condition_timed_wait (self->socket, G_IO_IN, timeout, self->cancellable,
                                     &self->io_error))
    return 1;
  /* GnuTLS's own timeout is a 0; the step's deadline is an error that says so. */
  if (g_error_matches (self->io_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) && !deadline_first)
    {
      g_clear_error (&self->io_error);
      return 0;
    }
  gnutls_transport_set_errno (self->session, EIO);
  return -1;
}

/* Turns a GnuTLS failure into the callback's own error, or a TLS error. */
static void
set_error (EpTls       *self,
           int          code,
           GError     **error)
{
  if (self->io_error != NULL && (code == GNUTLS_E_PULL_ERROR || code == GNUTLS_E_PUSH_ERROR))
    {
      g_propagate_error (error, g_steal_pointer (&self->io_error));
      return;
    }
  if (code == GNUTLS_E_PREMATURE_TERMINATION || code == GNUTLS_E_UNEXPECTED_PACKET_LENGTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                   _("%s closed the encrypted connection"), self->host);
      return;
    }
  g_set_error (error, EP_TLS_ERROR, EP_TLS_ERROR_FAILED,
               _("The encrypted connection to %s failed: %s"), self->host, gnutls_strerror (code));
}

/**
 * ep_tls_normalize_pin:
 * @pin: a SHA-256 fingerprint, 64 hex digits, colons optional, `sha256:` prefix optional
 *
 * Returns: (transfer full): the fingerprint as upper-case hex pairs joined by colons
 */
char *
ep_tls_normalize_pin (const char  *pin,
                      GError     **error)
{
  GString *out = g_string_new (NULL);
  guint digits = 0;

  g_return_val_if_fail (pin != NULL, NULL);

  if (g_ascii_strncasecmp (pin, "sha256:", 7) == 0 || g_ascii_strncasecmp (pin, "sha256/", 7) == 0)
    pin += 7;
  for (const char *p = pin; *p; p++)
    {
      if (*p == ':' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p))
        break;
      if (digits > 0 && digits % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (*p));
      digits++;
    }
  if (digits != 64 || out->len != 95)
    {
      g_string_free (out, TRUE);
      g_set_error (error, EP_TLS_ERROR, EP_TLS_ERROR_BAD_PIN,
                   _("“%s” is not a SHA-256 fingerprint (64 hexadecimal digits)"), pin);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* The SHA-256 fingerprint of the peer's own certificate, as AB:CD:… */
static char *
peer_fingerprint (EpTls *self)
{
  const gnutls_datum_t *chain;
  unsigned int n = 0;
  guchar digest[32];
  size_t size = sizeof digest;
  GString *out;

  chain = gnutls_certificate_get_peers (self->session, &n);
  if (chain == NULL || n == 0 ||
      gnutls_fingerprint (GNUTLS_DIG_SHA256, &chain[0], digest, &size) != GNUTLS_E_SUCCESS)
    return NULL;

  out = g_string_new (NULL);
  for (size_t i = 0; i < size; i++)
    g_string_append_printf (out, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (out, FALSE);
}

EpTls *
ep_tls_new (GSocket     *socket,
            const char  *host,
            const char  *ca_file,
            const char  *pin,
            GError     **error)
{
  g_autoptr(EpTls) self = g_new0 (EpTls, 1);
  int rc;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  self->socket = g_object_ref (socket);
  self->host = g_strdup (host);
  if (pin != NULL && (self->pin = ep_tls_normalize_pin (pin, error)) == NULL)
    return NULL;

  gnutls_certificate_allocate_credentials (&self->credentials);
  gnutls_certificate_set_x509_system_trust (self->credentials);
  if (ca_file != NULL)
    {
      rc = gnutls_certificate_set_x509_trust_file (self->credentials, ca_file, GNUTLS_X509_FMT_PEM);
      if (rc <= 0)
        {
          g_autofree char *display = g_filename_display_name (ca_file);
          g_set_error (error, EP_TLS_ERROR, EP_TLS_ERROR_CA_FILE,
                       _("No CA certificate could be loaded from “%s”: %s"), display,
                       rc < 0 ? gnutls_strerror (rc) : _("the file holds no PEM certificate"));
          return NULL;
        }
    }

  gnutls_init (&self->session, GNUTLS_CLIENT);
  gnutls_set_default_priority (self->session);
  gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE, self->credentials);
  if (!g_hostname_is_ip_address (host))
    gnutls_server_name_set (self->session, GNUTLS_NAME_DNS, host, strlen (host));
  gnutls_transport_set_ptr (self->session, self);
  gnutls_transport_set_push_function (self->session, push_func);
  gnutls_transport_set_pull_function (self->session, pull_func);
  gnutls_transport_set_pull_timeout_function (self->session, pull_timeout_func);
  return g_steal_pointer (&self);
}

void
ep_tls_free (EpTls *self)
{
  if (self == NULL)
    return;
  if (self->session != NULL)
    gnutls_deinit (self->session);
  if (self->credentials != NULL)
    gnutls_certificate_free_credentials (self->credentials);
  g_clear_object (&self->socket);
  g_clear_error (&self->io_error);
  g_free (self->host);
  g_free (self->pin);
  g_free (self);
}

/* Sets the monotonic time (µs) by which reads must end; 0 for none. */
void
ep_tls_set_deadline (EpTls  *self,
                     gint64  deadline)
{
  g_return_if_fail (self != NULL);
  self->deadline = deadline;
}

/* Why a certificate failed, as a person would say it. */
static char *
describe_status (unsigned int status)
{
  static const struct { unsigned int flag; const char *text; } reasons[] = {
    { GNUTLS_CERT_SIGNER_NOT_FOUND, N_("its issuer is unknown") },
    { GNUTLS_CERT_UNEXPECTED_OWNER, N_("it was issued for a different host name") },
    { GNUTLS_CERT_EXPIRED, N_("it has expired") },
    { GNUTLS_CERT_NOT_ACTIVATED, N_("it is not valid yet") },
    { GNUTLS_CERT_REVOKED, N_("it has been revoked") },
    { GNUTLS_CERT_INSECURE_ALGORITHM, N_("it is signed with an insecure algorithm") },
    { GNUTLS_CERT_SIGNER_NOT_CA, N_("its issuer is not a certificate authority") },
    { GNUTLS_CERT_SIGNATURE_FAILURE, N_("its signature is invalid") },
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if (status & reasons[i].flag)
        g_string_append_printf (out, "%s%s", out->len ? ", " : "", _(reasons[i].text));
    }
  if (out->len == 0)
    g_string_append (out, _("it could not be verified"));
  return g_string_free (out, FALSE);
}

/* Checks the chain against the trust store and the host name; a pin overrides. */
static gboolean
verify_peer (EpTls   *self,
             GError **error)
{
  g_autofree char *fingerprint = peer_fingerprint (self);
  g_autofree char *reason = NULL;
  unsigned int status = 0;
  int rc;

  rc = gnutls_certificate_verify_peers3 (self->session, self->host, &status);
  if (rc == GNUTLS_E_SUCCESS && status == 0)
    return TRUE;
  if (self->pin != NULL && fingerprint != NULL && g_str_equal (self->pin, fingerprint))
    return TRUE;

  reason = rc == GNUTLS_E_SUCCESS ? describe_status (status) : g_strdup (gnutls_strerror (rc));
  g_set_error (error, EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED,
               /* Translators: %1 host, %2 why (“its issuer is unknown”), %3 a SHA-256 fingerprint */
               _("The certificate of %s is not trusted: %s. Its SHA-256 fingerprint is %s"),
               self->host, reason, fingerprint ? fingerprint : _("unknown"));
  return FALSE;
}

gboolean
ep_tls_handshake (EpTls         *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);

  self->cancellable = cancellable;
  do
    rc = gnutls_handshake (self->session);
  while (rc == GNUTLS_E_AGAIN || (rc < 0 && !gnutls_error_is_fatal (rc)));
  self->cancellable = NULL;

  if (rc < 0)
    {
      set_error (self, rc, error);
      return FALSE;
    }
  return verify_peer (self, error);
}

/* Returns the number of bytes read, 0 at the end of the stream, -1 on error. */
gssize
ep_tls_read (EpTls         *self,
             void          *buffer,
             gsize          size,
             GCancellable  *cancellable,
             GError       **error)
{
  gssize n;

  g_return_val_if_fail (self != NULL, -1);

  self->cancellable = cancellable;
  do
    n = gnutls_record_recv (self->session, buffer, size);
  while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_REHANDSHAKE);
  self->cancellable = NULL;

  if (n < 0)
    {
      set_error (self, (int) n, error);
      return -1;
    }
  return n;
}

/* Whether decrypted bytes wait in GnuTLS's buffer, so a read would not touch the socket. */
gboolean
ep_tls_has_pending (EpTls *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return gnutls_record_check_pending (self->session) > 0;
}

gboolean
ep_tls_write_all (EpTls         *self,
                  const void    *data,
                  gsize          size,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const char *p = data;
  gsize record;

  g_return_val_if_fail (self != NULL, FALSE);

  record = gnutls_record_get_max_size (self->session);
  self->cancellable = cancellable;
  while (size > 0)
    {
      gssize n;

      /* One record per call; all but the last are pushed with MSG_MORE. */
      self->more = size > record;
      n = gnutls_record_send (self->session, p, MIN (size, record));

      if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
        continue;
      if (n < 0)
        {
          self->more = FALSE;
          self->cancellable = NULL;
          set_error (self, (int) n, error);
          return FALSE;
        }
      p += n;
      size -= n;
    }
  self->more = FALSE;
  self->cancellable = NULL;
  return TRUE;
}

/* Sends close_notify without waiting for the peer's. */
void
ep_tls_close (EpTls *self)
{
  g_return_if_fail (self != NULL);
  gnutls_bye (self->session, GNUTLS_SHUT_WR);
}

/* “TLS1.3 / AES-256-GCM” for the transcript. */
char *
ep_tls_dup_description (EpTls *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("%s, %s",
                          gnutls_protocol_get_name (gnutls_protocol_get_version (self->session)),
                          gnutls_cipher_get_name (gnutls_cipher_get (self->session)));
}

/* Whether @p starts a fingerprint as peer_fingerprint () writes it: 32 hex pairs joined by colons. */
static gboolean
is_fingerprint_at (const char *p)
{
  for (guint i = 0; i < 32; i++)
    {
      if (!g_ascii_isxdigit (p[3 * i]) || !g_ascii_isxdigit (p[3 * i + 1]))
        return FALSE;
      if (i < 31 && p[3 * i + 2] != ':')
        return FALSE;
    }
  return !g_ascii_isxdigit (p[95]) && p[95] != ':';
}

/**
 * ep_tls_error_dup_fingerprint:
 * @error: (nullable): an error from a connection, handshake, check or send,
 *   possibly with context prefixed
 *
 * An untrusted certificate (#EP_TLS_ERROR_UNTRUSTED) is reported with the
 * SHA-256 fingerprint of the server's certificate in the message, in every
 * language. This returns that fingerprint, ready for ep_account_set_pin ()
 * or ep_sender_set_trust ().
 *
 * Returns: (transfer full) (nullable): the fingerprint as upper-case hex
 *   pairs joined by colons, or %NULL when @error is not an untrusted
 *   certificate or the fingerprint was unknown
 */
char *
ep_tls_error_dup_fingerprint (const GError *error)
{
  if (!g_error_matches (error, EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED))
    return NULL;

  /* The last one: a prefix added by a caller comes before ours. */
  for (gsize len = strlen (error->message); len >= 95; len--)
    {
      const char *p = error->message + len - 95;

      if ((p == error->message || (!g_ascii_isxdigit (p[-1]) && p[-1] != ':')) &&
          is_fingerprint_at (p))
        return g_ascii_strup (p, 95);
    }
  return NULL;
}
