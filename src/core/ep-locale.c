/* ep-locale.c — locale and gettext set-up shared by main.c and the tests
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-locale.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

/* The catalogue's folder: $EPISTLE_LOCALEDIR when set; the build tree's po/ when this
 * program runs from the build tree (build/src/epistle, the tests), where meson compiles
 * po/zh_CN.po, so `LANG=zh_CN.UTF-8 build/src/epistle` speaks Chinese before any install;
 * else the install prefix's. */
static char *
locale_dir (void)
{
  const char *env = g_getenv ("EPISTLE_LOCALEDIR");
  g_autofree char *exe = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
#ifdef EP_BUILD_ROOT
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL && g_str_has_prefix (exe, EP_BUILD_ROOT G_DIR_SEPARATOR_S))
    return g_build_filename (EP_BUILD_ROOT, "po", NULL);
#endif
  return g_strdup (LOCALEDIR);
}

/* @locale: a locale name, or "" for the user's environment. */
void
ep_locale_init (const char *locale)
{
  g_autofree char *dir = locale_dir ();

  g_return_if_fail (locale != NULL);

  setlocale (LC_ALL, locale);
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
