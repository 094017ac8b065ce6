/* ep-mime-splice.h — a message written with its base64 parts encoded by ep-base64
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-gmime.h"

G_BEGIN_DECLS

gboolean ep_mime_splice_wanted (GMimeMessage  *mime);
gboolean ep_mime_splice_write  (GMimeMessage  *mime,
                                GMimeStream   *stream,
                                GError       **error);

G_END_DECLS
