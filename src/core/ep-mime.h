/* ep-mime.h — EpMessage → GMimeMessage, and writing it out in wire form
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-gmime.h"

#include "ep-message.h"

G_BEGIN_DECLS

#define EP_MIME_ERROR (ep_mime_error_quark ())

typedef enum {
  EP_MIME_ERROR_NO_SENDER,
  EP_MIME_ERROR_NO_RECIPIENTS,
  EP_MIME_ERROR_HEADER,
  EP_MIME_ERROR_WRITE,
} EpMimeError;

GQuark        ep_mime_error_quark (void);

void          ep_mime_init        (void);
GMimeMessage *ep_mime_build       (EpMessage     *message,
                                   GError       **error);
gboolean      ep_mime_write       (GMimeMessage  *mime,
                                   GMimeStream   *stream,
                                   GError       **error);
gint64        ep_mime_measure     (GMimeMessage  *mime,
                                   GError       **error);

G_END_DECLS
