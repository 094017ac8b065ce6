/* ep-locale.c — locale and gettext set-up shared by main.c and the tests
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-locale.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

/* @locale: a locale name, or "" for the user's environment. */
void
ep_locale_init (const char *locale)
{
  g_return_if_fail (locale != NULL);

  setlocale (LC_ALL, locale);
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
