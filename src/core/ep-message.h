/* ep-message.h — EpMessage, the composer model
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ep-address.h"
#include "ep-types.h"

G_BEGIN_DECLS

#define EP_MESSAGE_ERROR (ep_message_error_quark ())

typedef enum {
  EP_MESSAGE_ERROR_NO_REFERENCE,
  EP_MESSAGE_ERROR_NO_HTML,
} EpMessageError;

#define EP_TYPE_MESSAGE (ep_message_get_type ())
G_DECLARE_FINAL_TYPE (EpMessage, ep_message, EP, MESSAGE, GObject)

GQuark               ep_message_error_quark          (void);

EpMessage           *ep_message_new                  (void);
EpMessage           *ep_message_copy                 (EpMessage        *self);

void                 ep_message_set_from             (EpMessage        *self,
                                                      const EpAddress  *from);
const EpAddress     *ep_message_get_from             (EpMessage        *self);

guint                ep_message_add_recipients       (EpMessage        *self,
                                                      EpRecipientKind   kind,
                                                      const EpAddressList *list);
const EpAddressList *ep_message_get_recipients       (EpMessage        *self,
                                                      EpRecipientKind   kind);
EpAddressList       *ep_message_dup_envelope_recipients (EpMessage     *self);

void                 ep_message_set_subject          (EpMessage        *self,
                                                      const char       *subject);
const char          *ep_message_get_subject          (EpMessage        *self);
void                 ep_message_set_text             (EpMessage        *self,
                                                      const char       *text);
const char          *ep_message_get_text             (EpMessage        *self);
void                 ep_message_set_html             (EpMessage        *self,
                                                      const char       *html);
const char          *ep_message_get_html             (EpMessage        *self);

void                 ep_message_add_attachment       (EpMessage        *self,
                                                      const char       *path);
guint                ep_message_get_n_attachments    (EpMessage        *self);
const char          *ep_message_get_attachment       (EpMessage        *self,
                                                      guint             index);

void                 ep_message_add_inline_image     (EpMessage        *self,
                                                      const char       *path,
                                                      const char       *content_id);
gboolean             ep_message_add_inline_image_for_html (EpMessage   *self,
                                                      const char       *path,
                                                      GError          **error);
guint                ep_message_get_n_inline_images  (EpMessage        *self);
const char          *ep_message_get_inline_image     (EpMessage        *self,
                                                      guint             index,
                                                      const char      **content_id);

void                 ep_message_add_header           (EpMessage        *self,
                                                      const char       *name,
                                                      const char       *value);
guint                ep_message_get_n_headers        (EpMessage        *self);
const char          *ep_message_get_header           (EpMessage        *self,
                                                      guint             index,
                                                      const char      **value);

G_END_DECLS
