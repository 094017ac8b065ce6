/* ep-locale.h — locale and gettext set-up shared by main.c and the tests
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void ep_locale_init (const char *locale);

G_END_DECLS
