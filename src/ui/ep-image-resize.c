/* ep-image-resize.c — the smaller copy of a large photo offered before it goes inline
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A photo over 2 MB or 2000 pixels is slow to send and to open. The copy is
 * 1600 pixels on its long side: a JPEG for photos, a PNG for an image with
 * transparency (a screenshot or a logo), which JPEG would spoil. The
 * original file is never touched.
 */
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "ep-image-resize.h"

/* TRUE when @path is an image worth offering to shrink; its size and pixels go out. */
gboolean
ep_image_is_large (const char *path,
                   guint64    *size,
                   int        *width,
                   int        *height)
{
  GStatBuf st;
  int w = 0, h = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) != 0 || gdk_pixbuf_get_file_info (path, &w, &h) == NULL)
    return FALSE;
  if (size != NULL)
    *size = (guint64) st.st_size;
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  return (guint64) st.st_size > EP_IMAGE_LARGE_BYTES || MAX (w, h) > EP_IMAGE_LARGE_PIXELS;
}

/**
 * ep_image_resize_copy:
 * @dir: the folder the copy is written to (made if missing)
 *
 * Returns: (transfer full) (nullable): the path of a copy of @path at most
 * EP_IMAGE_RESIZED_PIXELS on its long side, named like the original
 */
char *
ep_image_resize_copy (const char  *path,
                      const char  *dir,
                      GError     **error)
{
  g_autoptr(GdkPixbuf) original = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  g_autofree char *unique = NULL;
  g_autofree char *copy = NULL;
  gboolean alpha;
  int width, height;
  double scale;
  char *dot;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  original = gdk_pixbuf_new_from_file (path, error);
  if (original == NULL)
    return NULL;
  /* Cameras store the picture sideways and say so in EXIF: turn it first. */
  oriented = gdk_pixbuf_apply_embedded_orientation (original);
  width = gdk_pixbuf_get_width (oriented);
  height = gdk_pixbuf_get_height (oriented);
  scale = MIN (1.0, (double) EP_IMAGE_RESIZED_PIXELS / MAX (width, height));
  scaled = gdk_pixbuf_scale_simple (oriented, MAX (1, (int) (width * scale + .5)),
                                    MAX (1, (int) (height * scale + .5)), GDK_INTERP_HYPER);
  alpha = gdk_pixbuf_get_has_alpha (scaled);

  basename = g_path_get_basename (path);
  stem = g_strdup (basename);
  dot = strrchr (stem, '.');
  if (dot != NULL && dot != stem)
    *dot = '\0';
  name = g_strconcat (stem, alpha ? ".png" : ".jpg", NULL);
  /* A folder per copy keeps the original's name without clashing. */
  unique = g_build_filename (dir, "resized-XXXXXX", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_mkdtemp (unique) == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not make a folder for the smaller copy: %s"), g_strerror (saved));
      return NULL;
    }
  copy = g_build_filename (unique, name, NULL);
  if (alpha ? !gdk_pixbuf_save (scaled, copy, "png", error, NULL)
            : !gdk_pixbuf_save (scaled, copy, "jpeg", error, "quality", "85", NULL))
    return NULL;
  return g_steal_pointer (&copy);
}
