/* ep-inline-image.c — an image in the body, shown no wider than the text
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GdkPaintable for GtkTextBuffer: its intrinsic size is the picture's,
 * scaled down to the width the editor sets (the view's, less its margins),
 * so the text view lays it out to fit and lays it out again when the window
 * is resized. Only the file on disk is ever sent; what is kept in memory is
 * at most DECODED_MAX pixels wide. Without a picture it is a horizontal
 * rule: a line across the whole width.
 */
#include "ep-inline-image.h"

#define DECODED_MAX 1600
#define DEFAULT_MAX_WIDTH 560
#define RULE_HEIGHT 13

struct _EpInlineImage
{
  GObject parent_instance;

  /* Owned */
  GdkTexture *texture;          /* NULL for a rule */
  int max_width;
};

static void ep_inline_image_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EpInlineImage, ep_inline_image, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      ep_inline_image_paintable_init))

static int
shown_width (EpInlineImage *self)
{
  if (self->texture == NULL)
    return self->max_width;
  return MAX (1, MIN (gdk_texture_get_width (self->texture), self->max_width));
}

static int
ep_inline_image_get_intrinsic_width (GdkPaintable *paintable)
{
  return shown_width (EP_INLINE_IMAGE (paintable));
}

static int
ep_inline_image_get_intrinsic_height (GdkPaintable *paintable)
{
  EpInlineImage *self = EP_INLINE_IMAGE (paintable);
  int width;

  if (self->texture == NULL)
    return RULE_HEIGHT;
  width = gdk_texture_get_width (self->texture);
  return MAX (1, (int) ((double) gdk_texture_get_height (self->texture) * shown_width (self) / width + .5));
}

static double
ep_inline_image_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  EpInlineImage *self = EP_INLINE_IMAGE (paintable);

  if (self->texture == NULL)
    return 0;
  return (double) gdk_texture_get_width (self->texture) / gdk_texture_get_height (self->texture);
}

static void
ep_inline_image_snapshot (GdkPaintable *paintable,
                          GdkSnapshot  *snapshot,
                          double        width,
                          double        height)
{
  EpInlineImage *self = EP_INLINE_IMAGE (paintable);
  GdkRGBA grey = { 0.5, 0.5, 0.5, 0.6 };

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
  else
    gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &grey,
                               &GRAPHENE_RECT_INIT (0, (float) (height / 2), (float) width, 1));
}

static void
ep_inline_image_paintable_init (GdkPaintableInterface *iface)
{
  iface->get_intrinsic_width = ep_inline_image_get_intrinsic_width;
  iface->get_intrinsic_height = ep_inline_image_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = ep_inline_image_get_intrinsic_aspect_ratio;
  iface->snapshot = ep_inline_image_snapshot;
}

static void
ep_inline_image_finalize (GObject *object)
{
  EpInlineImage *self = EP_INLINE_IMAGE (object);

  g_clear_object (&self->texture);
  G_OBJECT_CLASS (ep_inline_image_parent_class)->finalize (object);
}

static void
ep_inline_image_class_init (EpInlineImageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_inline_image_finalize;
}

static void
ep_inline_image_init (EpInlineImage *self)
{
  self->max_width = DEFAULT_MAX_WIDTH;
}

/**
 * ep_inline_image_new_from_file:
 *
 * Returns: (transfer full) (nullable): the image in @path, or NULL with
 * @error set when it is no image GdkPixbuf can read
 */
EpInlineImage *
ep_inline_image_new_from_file (const char  *path,
                               GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  EpInlineImage *self;
  int width, height;

  g_return_val_if_fail (path != NULL, NULL);

  if (gdk_pixbuf_get_file_info (path, &width, &height) != NULL && width > DECODED_MAX)
    pixbuf = gdk_pixbuf_new_from_file_at_scale (path, DECODED_MAX, -1, TRUE, error);
  else
    pixbuf = gdk_pixbuf_new_from_file (path, error);
  if (pixbuf == NULL)
    return NULL;
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  self = g_object_new (EP_TYPE_INLINE_IMAGE, NULL);
  self->texture = gdk_texture_new_for_pixbuf (oriented);
  return self;
}

/**
 * ep_inline_image_new_rule:
 *
 * Returns: (transfer full): a horizontal rule, as wide as the width set
 */
EpInlineImage *
ep_inline_image_new_rule (void)
{
  return g_object_new (EP_TYPE_INLINE_IMAGE, NULL);
}

/* The widest the image may be shown; it is never shown wider than it is. */
void
ep_inline_image_set_max_width (EpInlineImage *self,
                               int            max_width)
{
  g_return_if_fail (EP_IS_INLINE_IMAGE (self));

  max_width = MAX (max_width, 16);
  if (max_width == self->max_width)
    return;
  self->max_width = max_width;
  gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
}

int
ep_inline_image_get_max_width (EpInlineImage *self)
{
  g_return_val_if_fail (EP_IS_INLINE_IMAGE (self), 0);
  return self->max_width;
}
