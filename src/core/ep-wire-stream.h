/* ep-wire-stream.h — a GMimeStream sink that hands a message to the server in chunks
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-gmime.h"

G_BEGIN_DECLS

/* Called with each full chunk, and once with @last set by ep_wire_stream_finish (). */
typedef gboolean (*EpWireSinkFunc)     (const char  *data,
                                        gsize        len,
                                        gboolean     last,
                                        gpointer     user_data,
                                        GError     **error);
typedef void     (*EpWireProgressFunc) (guint64      written,
                                        gpointer     user_data);

#define EP_TYPE_WIRE_STREAM (ep_wire_stream_get_type ())
G_DECLARE_FINAL_TYPE (EpWireStream, ep_wire_stream, EP, WIRE_STREAM, GMimeStream)

GMimeStream *ep_wire_stream_new             (gsize               chunk_size,
                                             EpWireSinkFunc      sink,
                                             gpointer            sink_data,
                                             GCancellable       *cancellable);
void         ep_wire_stream_set_progress    (EpWireStream       *self,
                                             EpWireProgressFunc  progress,
                                             gpointer            user_data);
gboolean     ep_wire_stream_finish          (EpWireStream       *self,
                                             GError            **error);
char        *ep_wire_stream_peek_space      (EpWireStream       *self,
                                             gsize              *len);
gboolean     ep_wire_stream_commit          (EpWireStream       *self,
                                             gsize               len);
guint64      ep_wire_stream_get_written     (EpWireStream       *self);
gboolean     ep_wire_stream_ends_with_crlf  (EpWireStream       *self);
gboolean     ep_wire_stream_propagate_error (EpWireStream       *self,
                                             GError            **error);

G_END_DECLS
