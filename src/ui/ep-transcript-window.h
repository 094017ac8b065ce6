/* ep-transcript-window.h — the protocol transcript of the last attempt, selectable and copyable
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EP_TYPE_TRANSCRIPT_WINDOW (ep_transcript_window_get_type ())
G_DECLARE_FINAL_TYPE (EpTranscriptWindow, ep_transcript_window, EP, TRANSCRIPT_WINDOW, AdwWindow)

EpTranscriptWindow *ep_transcript_window_new (GtkWindow  *parent,
                                              const char *transcript);

G_END_DECLS
