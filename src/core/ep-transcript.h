/* ep-transcript.h — protocol log with AUTH payloads and passwords redacted
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EP_TYPE_TRANSCRIPT (ep_transcript_get_type ())
G_DECLARE_FINAL_TYPE (EpTranscript, ep_transcript, EP, TRANSCRIPT, GObject)

EpTranscript *ep_transcript_new           (void);
void          ep_transcript_client        (EpTranscript *self,
                                           const char   *line);
void          ep_transcript_server        (EpTranscript *self,
                                           const char   *line);
void          ep_transcript_note          (EpTranscript *self,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
void          ep_transcript_client_redacted (EpTranscript *self);
char         *ep_transcript_dup_text      (EpTranscript *self);

G_END_DECLS
