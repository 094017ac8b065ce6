/* ep-draft.h — EpDraft: an unsent message as typed, and its JSON form
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EP_DRAFT_ERROR (ep_draft_error_quark ())

typedef enum {
  EP_DRAFT_ERROR_CORRUPT,     /* the file is not a draft this version can read */
  EP_DRAFT_ERROR_NOT_FOUND,   /* no draft by that id */
  EP_DRAFT_ERROR_BAD_ID,      /* an id that could name a path outside the store */
} EpDraftError;

/* The draft file inside each draft's directory. */
#define EP_DRAFT_FILE_NAME "draft.json"

#define EP_TYPE_DRAFT (ep_draft_get_type ())
G_DECLARE_FINAL_TYPE (EpDraft, ep_draft, EP, DRAFT, GObject)

GQuark       ep_draft_error_quark         (void);

EpDraft     *ep_draft_new                 (const char  *id);
EpDraft     *ep_draft_new_from_json       (const char  *data,
                                           gssize       length,
                                           const char  *dir,
                                           GError     **error);
char        *ep_draft_to_json             (EpDraft     *self,
                                           gsize       *length);
gboolean     ep_draft_id_is_valid         (const char  *id);

const char  *ep_draft_get_id              (EpDraft     *self);
void         ep_draft_set_account         (EpDraft     *self,
                                           const char  *address);
const char  *ep_draft_get_account         (EpDraft     *self);
void         ep_draft_set_to              (EpDraft     *self,
                                           const char  *text);
const char  *ep_draft_get_to              (EpDraft     *self);
void         ep_draft_set_cc              (EpDraft     *self,
                                           const char  *text);
const char  *ep_draft_get_cc              (EpDraft     *self);
void         ep_draft_set_bcc             (EpDraft     *self,
                                           const char  *text);
const char  *ep_draft_get_bcc             (EpDraft     *self);
void         ep_draft_set_subject         (EpDraft     *self,
                                           const char  *subject);
const char  *ep_draft_get_subject         (EpDraft     *self);
void         ep_draft_set_html            (EpDraft     *self,
                                           const char  *html);
const char  *ep_draft_get_html            (EpDraft     *self);
void         ep_draft_set_plain_text      (EpDraft     *self,
                                           gboolean     plain);
gboolean     ep_draft_get_plain_text      (EpDraft     *self);
void         ep_draft_set_open            (EpDraft     *self,
                                           gboolean     open);
gboolean     ep_draft_get_open            (EpDraft     *self);
void         ep_draft_set_modified        (EpDraft     *self,
                                           GDateTime   *modified);
GDateTime   *ep_draft_get_modified        (EpDraft     *self);

void         ep_draft_add_image           (EpDraft     *self,
                                           const char  *content_id,
                                           const char  *path);
guint        ep_draft_get_n_images        (EpDraft     *self);
const char  *ep_draft_get_image           (EpDraft     *self,
                                           guint        index,
                                           const char **content_id);
void         ep_draft_set_image_path      (EpDraft     *self,
                                           guint        index,
                                           const char  *path);
GHashTable  *ep_draft_dup_content_ids     (EpDraft     *self);

void         ep_draft_add_attachment      (EpDraft     *self,
                                           const char  *path,
                                           const char  *name);
guint        ep_draft_get_n_attachments   (EpDraft     *self);
const char  *ep_draft_get_attachment      (EpDraft     *self,
                                           guint        index,
                                           const char **name);
GPtrArray   *ep_draft_dup_missing_attachments (EpDraft *self);

G_END_DECLS
