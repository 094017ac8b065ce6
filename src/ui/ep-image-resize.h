/* ep-image-resize.h — the smaller copy of a large photo offered before it goes inline
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EP_IMAGE_LARGE_BYTES (2 * 1000 * 1000)
#define EP_IMAGE_LARGE_PIXELS 2000
#define EP_IMAGE_RESIZED_PIXELS 1600

gboolean  ep_image_is_large    (const char  *path,
                                guint64     *size,
                                int         *width,
                                int         *height);
char     *ep_image_resize_copy (const char  *path,
                                const char  *dir,
                                GError     **error);

G_END_DECLS
