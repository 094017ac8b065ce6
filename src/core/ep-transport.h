/* ep-transport.h — a connection to a server: TCP, TLS, buffered CRLF lines
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-transcript.h"

G_BEGIN_DECLS

#define EP_TRANSPORT_ERROR (ep_transport_error_quark ())

typedef enum {
  EP_TRANSPORT_ERROR_CLOSED,      /* the server closed the connection */
  EP_TRANSPORT_ERROR_LINE_TOO_LONG,
  EP_TRANSPORT_ERROR_STARTTLS,    /* data arrived before the TLS handshake */
} EpTransportError;

#define EP_TYPE_TRANSPORT (ep_transport_get_type ())
G_DECLARE_FINAL_TYPE (EpTransport, ep_transport, EP, TRANSPORT, GObject)

GQuark       ep_transport_error_quark   (void);

EpTransport *ep_transport_connect       (const char     *host,
                                         guint16         port,
                                         guint           timeout_seconds,
                                         EpTranscript   *transcript,
                                         GCancellable   *cancellable,
                                         GError        **error);
gboolean     ep_transport_start_tls     (EpTransport    *self,
                                         const char     *ca_file,
                                         const char     *pin,
                                         GCancellable   *cancellable,
                                         GError        **error);
gboolean     ep_transport_is_encrypted  (EpTransport    *self);
const char  *ep_transport_get_host      (EpTransport    *self);
void         ep_transport_set_timeout   (EpTransport    *self,
                                         guint           seconds);
void         ep_transport_set_deadline  (EpTransport    *self,
                                         guint           seconds);
void         ep_transport_set_secret    (EpTransport    *self,
                                         gboolean        secret);
gboolean     ep_transport_has_input     (EpTransport    *self);
char        *ep_transport_read_line     (EpTransport    *self,
                                         GCancellable   *cancellable,
                                         GError        **error);
gboolean     ep_transport_write         (EpTransport    *self,
                                         const void     *data,
                                         gsize           size,
                                         GCancellable   *cancellable,
                                         GError        **error);
gboolean     ep_transport_write_line    (EpTransport    *self,
                                         const char     *line,
                                         GCancellable   *cancellable,
                                         GError        **error);
gboolean     ep_transport_flush         (EpTransport    *self,
                                         GCancellable   *cancellable,
                                         GError        **error);
void         ep_transport_close         (EpTransport    *self);
void         ep_transport_abort         (EpTransport    *self);

G_END_DECLS
