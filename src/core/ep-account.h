/* ep-account.h — EpAccount: identity, servers, security, pinned fingerprint — never a secret
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ep-address.h"
#include "ep-imap-worker.h"
#include "ep-sender.h"
#include "ep-types.h"

G_BEGIN_DECLS

#define EP_ACCOUNT_ERROR (ep_account_error_quark ())

typedef enum {
  EP_ACCOUNT_ERROR_MISSING,   /* a required key is absent from the account file */
  EP_ACCOUNT_ERROR_INVALID,   /* a key's value is unusable; the message names the key */
} EpAccountError;

#define EP_TYPE_ACCOUNT (ep_account_get_type ())
G_DECLARE_FINAL_TYPE (EpAccount, ep_account, EP, ACCOUNT, GObject)

GQuark      ep_account_error_quark              (void);

EpAccount  *ep_account_new_for_address          (const char   *address,
                                                 GError      **error);
EpAccount  *ep_account_load                     (const char   *path,
                                                 GError      **error);
gboolean    ep_account_save                     (EpAccount    *self,
                                                 const char   *path,
                                                 GError      **error);
char       *ep_account_default_path             (void);

const char *ep_account_get_address              (EpAccount    *self);
gboolean    ep_account_set_address              (EpAccount    *self,
                                                 const char   *address,
                                                 GError      **error);
const char *ep_account_get_display_name         (EpAccount    *self);
void        ep_account_set_display_name         (EpAccount    *self,
                                                 const char   *display_name);
EpAddress  *ep_account_dup_from                 (EpAccount    *self);
const char *ep_account_get_user_name            (EpAccount    *self);
void        ep_account_set_user_name            (EpAccount    *self,
                                                 const char   *user_name);

const char *ep_account_get_smtp_host            (EpAccount    *self);
void        ep_account_set_smtp_host            (EpAccount    *self,
                                                 const char   *host);
guint16     ep_account_get_smtp_port            (EpAccount    *self);
void        ep_account_set_smtp_port            (EpAccount    *self,
                                                 guint16       port);
EpSecurity  ep_account_get_smtp_security        (EpAccount    *self);
void        ep_account_set_smtp_security        (EpAccount    *self,
                                                 EpSecurity    security);

const char *ep_account_get_imap_host            (EpAccount    *self);
void        ep_account_set_imap_host            (EpAccount    *self,
                                                 const char   *host);
guint16     ep_account_get_imap_port            (EpAccount    *self);
void        ep_account_set_imap_port            (EpAccount    *self,
                                                 guint16       port);
EpSecurity  ep_account_get_imap_security        (EpAccount    *self);
void        ep_account_set_imap_security        (EpAccount    *self,
                                                 EpSecurity    security);

const char *ep_account_get_pin                  (EpAccount    *self);
gboolean    ep_account_set_pin                  (EpAccount    *self,
                                                 const char   *pin,
                                                 GError      **error);
const char *ep_account_get_ca_file              (EpAccount    *self);
void        ep_account_set_ca_file              (EpAccount    *self,
                                                 const char   *ca_file);
gboolean    ep_account_get_allow_plaintext_auth (EpAccount    *self);
void        ep_account_set_allow_plaintext_auth (EpAccount    *self,
                                                 gboolean      allow);
gboolean    ep_account_get_files_sent           (EpAccount    *self);
void        ep_account_set_files_sent           (EpAccount    *self,
                                                 gboolean      files_sent);

EpSender   *ep_account_create_sender            (EpAccount    *self,
                                                 const char   *secret);
EpImapWorker *ep_account_create_imap_worker     (EpAccount    *self,
                                                 const char   *secret);

G_END_DECLS
