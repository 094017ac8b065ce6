/* ep-secret-store.h — EpSecretStore: passwords and authorization codes in the keyring (libsecret)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EP_SECRET_STORE_ERROR (ep_secret_store_error_quark ())

typedef enum {
  EP_SECRET_STORE_ERROR_UNAVAILABLE,   /* no Secret Service is reachable on the session bus */
  EP_SECRET_STORE_ERROR_FAILED,        /* the keyring refused (locked, a prompt dismissed …) */
} EpSecretStoreError;

/* The libsecret schema's name; its attributes are "address" and "kind". */
#define EP_SECRET_SCHEMA_NAME APP_ID ".Account"
#define EP_SECRET_KIND_PASSWORD "password"

#define EP_TYPE_SECRET_STORE (ep_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (EpSecretStore, ep_secret_store, EP, SECRET_STORE, GObject)

GQuark         ep_secret_store_error_quark  (void);

EpSecretStore *ep_secret_store_new          (void);
gboolean       ep_secret_store_check        (EpSecretStore  *self,
                                             GCancellable   *cancellable,
                                             GError        **error);
gboolean       ep_secret_store_save         (EpSecretStore  *self,
                                             const char     *address,
                                             const char     *secret,
                                             GCancellable   *cancellable,
                                             GError        **error);
char          *ep_secret_store_lookup       (EpSecretStore  *self,
                                             const char     *address,
                                             GCancellable   *cancellable,
                                             GError        **error);
gboolean       ep_secret_store_forget       (EpSecretStore  *self,
                                             const char     *address,
                                             GCancellable   *cancellable,
                                             GError        **error);
void           ep_secret_free               (char           *secret);

void           ep_secret_store_check_async  (EpSecretStore       *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       ep_secret_store_check_finish (EpSecretStore  *self,
                                             GAsyncResult   *result,
                                             GError        **error);
void           ep_secret_store_lookup_async (EpSecretStore       *self,
                                             const char          *address,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char          *ep_secret_store_lookup_finish (EpSecretStore *self,
                                             GAsyncResult   *result,
                                             GError        **error);
void           ep_secret_store_save_async   (EpSecretStore       *self,
                                             const char          *address,
                                             const char          *secret,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       ep_secret_store_save_finish  (EpSecretStore  *self,
                                             GAsyncResult   *result,
                                             GError        **error);
void           ep_secret_store_forget_async (EpSecretStore       *self,
                                             const char          *address,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       ep_secret_store_forget_finish (EpSecretStore *self,
                                             GAsyncResult   *result,
                                             GError        **error);

/* g_autoptr(EpSecret) wipes a secret before freeing it. */
typedef char EpSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpSecret, ep_secret_free)

G_END_DECLS
