/* ep-mailto.h — mailto: URIs (RFC 6068) to recipients, subject and body
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EP_MAILTO_ERROR (ep_mailto_error_quark ())

typedef enum
{
  EP_MAILTO_ERROR_NOT_MAILTO,   /* the text does not start with "mailto:" */
  EP_MAILTO_ERROR_ESCAPE,       /* a '%' not followed by two hexadecimal digits */
  EP_MAILTO_ERROR_ENCODING,     /* a part that is not UTF-8 once decoded, or holds a NUL */
} EpMailtoError;

typedef struct _EpMailto EpMailto;

GQuark              ep_mailto_error_quark (void);
gboolean            ep_mailto_is_mailto   (const char     *text);
EpMailto           *ep_mailto_parse       (const char     *uri,
                                           GError        **error);
void                ep_mailto_free        (EpMailto       *self);
const char * const *ep_mailto_get_to      (const EpMailto *self);
const char * const *ep_mailto_get_cc      (const EpMailto *self);
const char * const *ep_mailto_get_bcc     (const EpMailto *self);
const char         *ep_mailto_get_subject (const EpMailto *self);
const char         *ep_mailto_get_body    (const EpMailto *self);
const char * const *ep_mailto_get_ignored (const EpMailto *self);
gboolean            ep_mailto_asks_to_attach (const EpMailto *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpMailto, ep_mailto_free)

G_END_DECLS
