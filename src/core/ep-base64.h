/* ep-base64.h — base64 in 76-column CRLF lines, as a message carries it
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Input bytes per full line, and the octets of that line with its CR LF. */
#define EP_BASE64_LINE_BYTES  57
#define EP_BASE64_LINE_OCTETS 78

typedef struct _EpBase64Encoder EpBase64Encoder;

EpBase64Encoder *ep_base64_encoder_new      (void);
void             ep_base64_encoder_free     (EpBase64Encoder *self);
gsize            ep_base64_encoder_encode   (EpBase64Encoder *self,
                                             const guchar    *in,
                                             gsize            len,
                                             char            *out);
guint64          ep_base64_encoded_size     (guint64          len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpBase64Encoder, ep_base64_encoder_free)

G_END_DECLS
