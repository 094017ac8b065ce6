/* main.c — the one program, `epistle`
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A known verb (`send`) runs the command line without ever initialising
 * GTK. Anything else opens the window (`--demo` with the local test
 * servers, a mailto: link or files to attach); a word that is not a verb
 * is a usage error, not a window.
 */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "ep-application.h"
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

  if (argc > 1 && argv[1][0] != '-' && !ep_application_is_window_argument (argv[1]))
    {
      fprintf (stderr, _("epistle: unknown verb “%s”\n\n"), argv[1]);
      ep_cli_print_usage (stderr);
      return EP_EXIT_USAGE;
    }
  return ep_application_run_main (argc, argv);
}
