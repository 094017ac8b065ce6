/* ep-cli-exit.h — GError domain/code → sysexits.h status, in one table
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EP_CLI_ERROR (ep_cli_error_quark ())

typedef enum {
  EP_CLI_ERROR_USAGE,   /* the command line itself is wrong */
  EP_CLI_ERROR_INPUT,   /* an input file or value is bad */
  EP_CLI_ERROR_CREATE,  /* an output file cannot be created */
  EP_CLI_ERROR_OUTPUT,  /* writing an output file failed */
} EpCliError;

/* sysexits.h, as msmtp uses them */
enum {
  EP_EXIT_OK = 0,
  EP_EXIT_USAGE = 64,
  EP_EXIT_DATAERR = 65,
  EP_EXIT_NOHOST = 68,
  EP_EXIT_UNAVAILABLE = 69,
  EP_EXIT_SOFTWARE = 70,
  EP_EXIT_CANTCREAT = 73,
  EP_EXIT_IOERR = 74,
  EP_EXIT_TEMPFAIL = 75,
  EP_EXIT_PROTOCOL = 76,
  EP_EXIT_NOPERM = 77,
  EP_EXIT_CONFIG = 78,
};

GQuark ep_cli_error_quark     (void);
int    ep_cli_exit_from_error (const GError *error);

G_END_DECLS
