/* ep-application.h — EpApplication: app actions, accelerators, the window
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ep-outbox.h"

G_BEGIN_DECLS

#define EP_RESOURCE_PATH "/io/github/epistle/Epistle/"

#define EP_TYPE_APPLICATION (ep_application_get_type ())
G_DECLARE_FINAL_TYPE (EpApplication, ep_application, EP, APPLICATION, AdwApplication)

EpApplication *ep_application_new (void);
gboolean       ep_application_is_window_argument (const char *arg);
EpOutbox      *ep_application_get_outbox (EpApplication  *self,
                                          const char    **problem);
int            ep_application_run_main (int    argc,
                                        char **argv);

G_END_DECLS
