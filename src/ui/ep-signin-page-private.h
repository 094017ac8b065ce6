/* ep-signin-page-private.h — what ep-signin-page.c shares with ep-signin-page-check.c
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ep-imap-worker.h"
#include "ep-signin-page.h"

G_BEGIN_DECLS

enum { SECURITY_ROW_TLS, SECURITY_ROW_STARTTLS, SECURITY_ROW_NONE };

struct _EpSigninPage
{
  GtkWidget parent_instance;

  /* Owned */
  EpAccount *account;          /* being verified, or the saved one being signed in again */
  EpSender *sender;            /* during the SMTP check */
  EpImapWorker *imap_worker;   /* during the IMAP check, after it */
  EpServerInfo *info;          /* what the SMTP server announced, while IMAP is checked */
  GCancellable *cancellable;
  char *pin;                   /* a fingerprint the person chose to trust */
  char *hint;
  char *error;
  gboolean filling;            /* servers being set from a preset, not edited */
  gboolean servers_edited;
  guint smtp_security_row;     /* the choice before a change, so that the port can follow it */
  guint imap_security_row;

  /* Template widgets */
  GtkWidget *content;          /* bound, so that dispose unparents it */
  GtkWidget *scroller;
  GtkEntry *name_entry;
  GtkEntry *address_entry;
  GtkPasswordEntry *password_entry;
  GtkLabel *hint_label;
  GtkExpander *servers_expander;
  GtkLabel *provider_label;
  AdwActionRow *remember_row;
  GtkSwitch *remember_switch;
  GtkEntry *host_entry;
  GtkEntry *port_entry;
  GtkDropDown *security_dropdown;
  AdwPreferencesGroup *imap_group;
  GtkEntry *imap_host_entry;
  GtkEntry *imap_port_entry;
  GtkDropDown *imap_security_dropdown;
  GtkWidget *plaintext_grid;
  GtkCheckButton *plaintext_check;
  GtkLabel *plaintext_label;
  GtkLabel *error_label;
  GtkWidget *certificate_box;
  GtkLabel *fingerprint_label;
  GtkSpinner *spinner;
  GtkLabel *progress_label;
  GtkButton *back_button;
  GtkButton *cancel_button;
  GtkButton *signin_button;
};

EpSecurity ep_signin_page_security_from_row (guint         row);
void       ep_signin_page_show_error        (EpSigninPage *self,
                                             const char   *error);
void       ep_signin_page_signed_in         (EpSigninPage *self,
                                             EpServerInfo *info);

G_END_DECLS
