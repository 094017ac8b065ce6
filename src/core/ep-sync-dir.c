/* ep-sync-dir.c — flushing a folder so that a rename or a new file in it survives a crash
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-sync-dir.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/**
 * ep_sync_dir:
 * @dir: a folder
 *
 * Flushes @dir to disk: a file renamed into it is durable only then.
 *
 * Returns: %TRUE on success, or %FALSE with @error set from errno
 */
gboolean
ep_sync_dir (const char  *dir,
             GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  /* EINVAL: a file system that cannot flush a folder (its entries are then as safe as it gets). */
  if (fd < 0 || (fsync (fd) != 0 && errno != EINVAL))
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      /* Translators: the first %s is a folder, the second says why */
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not write “%s” to disk: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}
