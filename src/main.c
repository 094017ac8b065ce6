/* main.c — the one program, `epistle`
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A known verb (`send`) runs the command line without ever initialising
 * GTK. Anything else will open the window; until the window lands, it
 * prints the verbs.
 */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "ep-cli.h"
#include "ep-cli-exit.h"
#include "ep-locale.h"

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("");

  if (argc > 1 && ep_cli_is_verb (argv[1]))
    return ep_cli_run (argc, argv);

  if (argc > 1 && (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "-V")))
    {
      printf ("epistle %s\n", PACKAGE_VERSION);
      return EP_EXIT_OK;
    }
  if (argc > 1 && !g_str_equal (argv[1], "--help") && !g_str_equal (argv[1], "-h"))
    {
      fprintf (stderr, _("epistle: unknown verb “%s”\n\n"), argv[1]);
      ep_cli_print_usage (stderr);
      return EP_EXIT_USAGE;
    }
  ep_cli_print_usage (stdout);
  return EP_EXIT_OK;
}
