/* ep-inline-image.h — an image in the body, shown no wider than the text
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EP_TYPE_INLINE_IMAGE (ep_inline_image_get_type ())
G_DECLARE_FINAL_TYPE (EpInlineImage, ep_inline_image, EP, INLINE_IMAGE, GObject)

EpInlineImage *ep_inline_image_new_from_file  (const char     *path,
                                               GError        **error);
EpInlineImage *ep_inline_image_new_rule       (void);
void           ep_inline_image_set_max_width  (EpInlineImage  *self,
                                               int             max_width);
int            ep_inline_image_get_max_width  (EpInlineImage  *self);

G_END_DECLS
