/* ep-signin-page.h — the account form: provider presets, hints, background verification
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ep-account.h"
#include "ep-sender.h"

G_BEGIN_DECLS

#define EP_TYPE_SIGNIN_PAGE (ep_signin_page_get_type ())
G_DECLARE_FINAL_TYPE (EpSigninPage, ep_signin_page, EP, SIGNIN_PAGE, GtkWidget)

GtkWidget  *ep_signin_page_new            (void);
void        ep_signin_page_set_account    (EpSigninPage *self,
                                           EpAccount    *account);
void        ep_signin_page_set_can_go_back (EpSigninPage *self,
                                           gboolean      can_go_back);
void        ep_signin_page_sign_in        (EpSigninPage *self);
void        ep_signin_page_focus_first_empty (EpSigninPage *self);
const char *ep_signin_page_get_hint       (EpSigninPage *self);
const char *ep_signin_page_get_error      (EpSigninPage *self);
gboolean    ep_signin_page_get_busy       (EpSigninPage *self);
void        ep_signin_page_get_server     (EpSigninPage *self,
                                           const char  **host,
                                           const char  **port,
                                           EpSecurity   *security,
                                           gboolean     *manual);
void        ep_signin_page_get_imap_server (EpSigninPage *self,
                                           const char  **host,
                                           const char  **port,
                                           EpSecurity   *security);
const char *ep_signin_page_get_imap_note  (EpSigninPage *self);
void        ep_signin_page_fill           (EpSigninPage *self,
                                           const char   *name,
                                           const char   *address,
                                           const char   *password);

void        ep_signin_page_set_keyring    (EpSigninPage *self,
                                           gboolean      available,
                                           const char   *reason);
gboolean    ep_signin_page_get_remember   (EpSigninPage *self);
void        ep_signin_page_set_remember   (EpSigninPage *self,
                                           gboolean      remember);
const char *ep_signin_page_get_remember_note (EpSigninPage *self);

G_END_DECLS
