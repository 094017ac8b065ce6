/* ep-account-store.h — EpAccountStore: the saved accounts, in GSettings
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-account.h"

G_BEGIN_DECLS

#define EP_ACCOUNT_STORE_ERROR (ep_account_store_error_quark ())

typedef enum {
  EP_ACCOUNT_STORE_ERROR_NO_SCHEMA,   /* the settings schema is not installed */
  EP_ACCOUNT_STORE_ERROR_UNKNOWN,     /* no saved account has that address */
  EP_ACCOUNT_STORE_ERROR_INVALID,     /* a saved value is unusable; the message names it */
} EpAccountStoreError;

#define EP_ACCOUNT_STORE_SCHEMA APP_ID
#define EP_ACCOUNT_STORE_ACCOUNT_SCHEMA APP_ID ".Account"
#define EP_ACCOUNT_STORE_ACCOUNT_PATH "/io/github/epistle/Epistle/accounts/"

#define EP_TYPE_ACCOUNT_STORE (ep_account_store_get_type ())
G_DECLARE_FINAL_TYPE (EpAccountStore, ep_account_store, EP, ACCOUNT_STORE, GObject)

GQuark          ep_account_store_error_quark    (void);

EpAccountStore *ep_account_store_new            (GError         **error);
GPtrArray      *ep_account_store_list           (EpAccountStore  *self,
                                                 GError         **error);
char          **ep_account_store_dup_addresses  (EpAccountStore  *self);
EpAccount      *ep_account_store_lookup         (EpAccountStore  *self,
                                                 const char      *address,
                                                 GError         **error);
gboolean        ep_account_store_save           (EpAccountStore  *self,
                                                 EpAccount       *account,
                                                 GError         **error);
gboolean        ep_account_store_remove         (EpAccountStore  *self,
                                                 const char      *address,
                                                 GError         **error);
char           *ep_account_store_dup_default    (EpAccountStore  *self);
gboolean        ep_account_store_set_default    (EpAccountStore  *self,
                                                 const char      *address,
                                                 GError         **error);
gboolean        ep_account_store_migrate        (EpAccountStore  *self,
                                                 const char      *path,
                                                 char           **migrated,
                                                 GError         **error);

G_END_DECLS
