/* ep-demo-home.c — the demo's own user data dir, gone when the demo ends
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `epistle --demo` signs in as alice@example.test on servers that last as
 * long as the process. What the window keeps under the user data dir
 * (drafts, the Outbox, recent addresses, Sent copies kept to retry) would
 * otherwise be mixed with the person's own and offered back later for an
 * account that no longer exists. So before anything reads it, the demo has
 * GLib take a fresh private folder as the user data dir (through
 * XDG_DATA_HOME, set back afterwards), and removes the folder at the end.
 */
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ep-demo-home.h"

/**
 * ep_demo_home_enter:
 *
 * Makes a private folder and makes it this process's user data dir. Call
 * before anything asks for the user data dir: GLib reads XDG_DATA_HOME once,
 * and keeps what it read. The variable is then set back as it was, so that a
 * program started from here (one opening an attachment) has the person's own.
 *
 * Returns: (transfer full): the folder, or %NULL with @error set
 */
char *
ep_demo_home_enter (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("epistle-demo-XXXXXX", error);
  g_autofree char *before = g_strdup (g_getenv ("XDG_DATA_HOME"));
  gboolean taken;

  if (dir == NULL)
    return NULL;
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  taken = g_strcmp0 (g_get_user_data_dir (), dir) == 0;
  if (before != NULL)
    g_setenv ("XDG_DATA_HOME", before, TRUE);
  else
    g_unsetenv ("XDG_DATA_HOME");
  if (!taken)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("The demo could not keep its files apart: the data folder “%s” was already in use"),
                   g_get_user_data_dir ());
      g_rmdir (dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

/* Removes @path and everything under it, never following a symbolic link. */
static gboolean
remove_tree (const char  *path,
             GError     **error)
{
  GStatBuf st;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_lstat (path, &st) != 0)
    {
      if (errno == ENOENT)
        return TRUE;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", path, g_strerror (errno));
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      dir = g_dir_open (path, 0, error);
      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_remove (path) != 0 && errno != ENOENT)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* Removes the folder ep_demo_home_enter () made, with all the demo left in it. */
gboolean
ep_demo_home_remove (const char  *dir,
                     GError     **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);
  return remove_tree (dir, error);
}
