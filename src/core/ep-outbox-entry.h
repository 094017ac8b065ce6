/* ep-outbox-entry.h — one outbox message: its exact bytes and its state, on disk
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ep-address.h"
#include "ep-gmime.h"
#include "ep-message.h"

G_BEGIN_DECLS

#define EP_OUTBOX_ERROR (ep_outbox_error_quark ())

typedef enum {
  EP_OUTBOX_ERROR_CORRUPT,    /* an entry's state file cannot be understood; the message names it */
  EP_OUTBOX_ERROR_BUSY,       /* the entry is being sent right now */
  EP_OUTBOX_ERROR_NO_RECIPIENTS, /* every recipient was left out */
} EpOutboxError;

/* On disk as "queued", "sending", "sent", "failed", "uncertain". */
typedef enum {
  EP_OUTBOX_STATE_QUEUED,     /* waits for its next try */
  EP_OUTBOX_STATE_SENDING,    /* a try is under way */
  EP_OUTBOX_STATE_SENT,       /* delivered; the entry goes once its Sent copy is settled */
  EP_OUTBOX_STATE_FAILED,     /* refused for good (5xx, sign-in): never retried by itself */
  EP_OUTBOX_STATE_UNCERTAIN,  /* a try ended without knowing whether it was delivered */
} EpOutboxState;

#define EP_TYPE_OUTBOX_ENTRY (ep_outbox_entry_get_type ())
G_DECLARE_FINAL_TYPE (EpOutboxEntry, ep_outbox_entry, EP, OUTBOX_ENTRY, GObject)

GQuark               ep_outbox_error_quark              (void);
const char          *ep_outbox_state_to_string          (EpOutboxState   state);

EpOutboxEntry       *ep_outbox_entry_create             (const char     *dir,
                                                         const char     *account,
                                                         EpMessage      *draft,
                                                         GMimeMessage   *mime,
                                                         const char * const *declined,
                                                         const char     *last_error,
                                                         gint64          next_attempt,
                                                         GError        **error);
EpOutboxEntry       *ep_outbox_entry_load               (const char     *dir,
                                                         GError        **error);
gboolean             ep_outbox_entry_save               (EpOutboxEntry  *self,
                                                         GError        **error);
gboolean             ep_outbox_entry_delete             (EpOutboxEntry  *self,
                                                         GError        **error);

const char          *ep_outbox_entry_get_id             (EpOutboxEntry  *self);
const char          *ep_outbox_entry_get_dir            (EpOutboxEntry  *self);
char                *ep_outbox_entry_dup_message_path   (EpOutboxEntry  *self);
const char          *ep_outbox_entry_get_account        (EpOutboxEntry  *self);
const EpAddress     *ep_outbox_entry_get_from           (EpOutboxEntry  *self);
const EpAddressList *ep_outbox_entry_get_recipients     (EpOutboxEntry  *self);
const char * const  *ep_outbox_entry_get_declined       (EpOutboxEntry  *self);
const char          *ep_outbox_entry_get_subject        (EpOutboxEntry  *self);
const char          *ep_outbox_entry_get_message_id     (EpOutboxEntry  *self);
EpMessage           *ep_outbox_entry_dup_draft          (EpOutboxEntry  *self);
gint64               ep_outbox_entry_get_created        (EpOutboxEntry  *self);

EpOutboxState        ep_outbox_entry_get_state          (EpOutboxEntry  *self);
void                 ep_outbox_entry_set_state          (EpOutboxEntry  *self,
                                                         EpOutboxState   state);
guint                ep_outbox_entry_get_attempts       (EpOutboxEntry  *self);
void                 ep_outbox_entry_set_attempts       (EpOutboxEntry  *self,
                                                         guint           attempts);
gint64               ep_outbox_entry_get_next_attempt   (EpOutboxEntry  *self);
void                 ep_outbox_entry_set_next_attempt   (EpOutboxEntry  *self,
                                                         gint64          unix_time);
const char          *ep_outbox_entry_get_last_error     (EpOutboxEntry  *self);
void                 ep_outbox_entry_set_last_error     (EpOutboxEntry  *self,
                                                         const char     *last_error);

G_END_DECLS
