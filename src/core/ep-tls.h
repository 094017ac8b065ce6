/* ep-tls.h — GnuTLS over a GSocket: system trust, host name, SHA-256 pin
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EP_TLS_ERROR (ep_tls_error_quark ())

typedef enum {
  EP_TLS_ERROR_FAILED,        /* handshake or record layer failure */
  EP_TLS_ERROR_UNTRUSTED,     /* certificate not trusted and not pinned */
  EP_TLS_ERROR_CA_FILE,       /* the extra CA file could not be loaded */
  EP_TLS_ERROR_BAD_PIN,       /* a pin that is not a SHA-256 fingerprint */
} EpTlsError;

typedef struct _EpTls EpTls;

GQuark    ep_tls_error_quark        (void);

char     *ep_tls_normalize_pin      (const char    *pin,
                                     GError       **error);
EpTls    *ep_tls_new                (GSocket       *socket,
                                     const char    *host,
                                     const char    *ca_file,
                                     const char    *pin,
                                     GError       **error);
void      ep_tls_free               (EpTls         *self);
void      ep_tls_set_deadline       (EpTls         *self,
                                     gint64         deadline);
gboolean  ep_tls_handshake          (EpTls         *self,
                                     GCancellable  *cancellable,
                                     GError       **error);
gssize    ep_tls_read               (EpTls         *self,
                                     void          *buffer,
                                     gsize          size,
                                     GCancellable  *cancellable,
                                     GError       **error);
gboolean  ep_tls_has_pending        (EpTls         *self);
gboolean  ep_tls_write_all          (EpTls         *self,
                                     const void    *data,
                                     gsize          size,
                                     GCancellable  *cancellable,
                                     GError       **error);
void      ep_tls_close              (EpTls         *self);
char     *ep_tls_dup_description    (EpTls         *self);

char     *ep_tls_error_dup_fingerprint (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpTls, ep_tls_free)

G_END_DECLS
