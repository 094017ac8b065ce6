/* ep-window-private.h — EpWindow's fields, shared with ep-window-actions.c and ep-window-send.c
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-account-store.h"
#include "ep-attachment-bar.h"
#include "ep-demo.h"
#include "ep-draft.h"
#include "ep-inbox-view.h"
#include "ep-message.h"
#include "ep-outbox-view.h"
#include "ep-recent-addresses.h"
#include "ep-recipient-entry.h"
#include "ep-rich-editor.h"
#include "ep-secret-store.h"
#include "ep-send-status.h"
#include "ep-sender.h"
#include "ep-signin-page.h"
#include "ep-window.h"

struct _EpWindow
{
  AdwApplicationWindow parent_instance;

  /* Owned */
  EpAccount *account;
  char *secret;                  /* in memory for this run only; wiped in finalize */
  guint64 size_limit;            /* SIZE the server announced at sign-in, 0 if none */
  EpRecentAddresses *recent;
  EpSender *sender;              /* the send in flight, or the last one (for its transcript) */
  GCancellable *send_cancellable;
  GCancellable *cancellable;     /* everything else this window starts; cancelled in dispose */
  EpMessage *last_sent;          /* the last message sent, as composed */
  char *sent_copy_note;          /* what became of its copy in the Sent folder */
  char *banner;
  EpDemo *demo;
  gboolean closing;              /* the demo servers are stopping behind a hidden window */
  gboolean show_cc;
  gboolean show_bcc;
  struct _EpWindowDrafts *drafts;   /* ep-window-drafts.c: autosave and restore */

  /* Owned, accounts (ep-window-accounts.c) */
  EpAccountStore *store;         /* NULL when the settings schema is missing: nothing is saved */
  EpSecretStore *secrets;
  GHashTable *session_secrets;   /* lower-case address → secret used this run; wiped */
  GPtrArray *accounts;           /* the saved accounts, as the From chooser lists them */
  gboolean keyring_available;
  gboolean from_filling;         /* the From chooser is being filled, not chosen from */
  EpMessage *pending;            /* sent, waiting for its undo time to pass (ep-window-undo.c) */
  gboolean pending_partial;
  guint pending_left;            /* seconds */
  guint pending_timer;
  AdwToast *undo_toast;
  EpOutbox *outbox;              /* the application's, or this window's own (ep-window-outbox.c) */
  gboolean outbox_owned;
  EpMessage *offer_message;      /* a failed send the banner offers to move to the Outbox */
  EpSendResult *offer_result;
  char *offer_snapshot;
  char *offer_error;
  GStrv offer_declined;          /* recipients that send left out ("Send to the Others") */
  GStrv declined;                /* refused, listed in the dialog that offered "Send to the Others" */
  GCancellable *check_cancellable;   /* the saved account's background check (ep-window-check.c) */
  gboolean check_when_online;        /* that check found the server out of reach: again when online */

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwViewSwitcherTitle *window_title;
  AdwViewStack *view_stack;
  AdwViewSwitcherBar *switcher_bar;
  EpInboxView *inbox_view;
  EpOutboxView *outbox_view;
  AdwViewStackPage *outbox_page;
  GtkWidget *move_button;
  GtkWidget *signin_again_button;
  GtkWidget *details_button;
  GtkButton *attach_button;
  GtkButton *send_button;
  GtkStack *main_stack;
  GtkSpinner *starting_spinner;
  AdwStatusPage *starting_page;
  EpSigninPage *signin_page;
  GtkWidget *compose_box;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkLabel *demo_label;
  GtkLabel *from_label;
  GtkDropDown *from_dropdown;
  GtkWidget *cc_label;
  GtkWidget *bcc_label;
  EpRecipientEntry *to_entry;
  EpRecipientEntry *cc_entry;
  EpRecipientEntry *bcc_entry;
  GtkEntry *subject_entry;
  EpRichEditor *editor;
  EpAttachmentBar *attachments;
  EpSendStatus *send_status;
};

/* ep-window-actions.c */
void ep_window_actions_install (GtkWidgetClass *widget_class);
void ep_window_actions_init    (EpWindow       *self);
void ep_window_actions_update  (EpWindow       *self);

/* ep-window-prefill.c */
void ep_window_focus_first_empty (EpWindow     *self);
/* ep-window-drafts.c */
void        ep_window_drafts_init      (EpWindow    *self);
void        ep_window_drafts_dispose   (EpWindow    *self);
void        ep_window_drafts_signed_in (EpWindow    *self);
gboolean    ep_window_drafts_close     (EpWindow    *self);
gboolean    ep_window_drafts_save      (EpWindow    *self,
                                        GError     **error);
void        ep_window_drafts_sent      (EpWindow    *self);
void        ep_window_drafts_restore   (EpWindow    *self,
                                        EpDraft     *draft);
gboolean    ep_window_drafts_open      (EpWindow    *self,
                                        const char  *id,
                                        GError     **error);
const char *ep_window_drafts_get_id    (EpWindow    *self);
/* ep-window-accounts.c */
void ep_window_accounts_init   (EpWindow       *self);
void ep_window_accounts_start  (EpWindow       *self);
void ep_window_accounts_signed_in (EpWindow    *self,
                                EpAccount      *account,
                                const char     *secret);
void ep_window_accounts_refresh (EpWindow      *self);
void ep_window_accounts_remove_current (EpWindow *self);
void ep_window_accounts_dispose (EpWindow      *self);
void ep_window_accounts_show_signin (EpWindow  *self,
                                     EpAccount *account);

/* ep-window-check.c */
void     ep_window_check_install    (GtkWidgetClass *widget_class);
void     ep_window_check_account    (EpWindow       *self);
void     ep_window_check_reset      (EpWindow       *self);
gboolean ep_window_check_is_running (EpWindow       *self);
void     ep_window_check_dispose    (EpWindow       *self);
void     ep_window_check_watch      (EpWindow       *self,
                                     EpOutbox       *outbox);

/* ep-window-send.c */
void ep_window_send            (EpWindow       *self,
                                gboolean        confirmed,
                                gboolean        partial);
void ep_window_send_now        (EpWindow       *self,
                                EpMessage      *message,
                                gboolean        partial);
void ep_window_cancel_send     (EpWindow       *self);
char *ep_window_snapshot_fields (EpWindow      *self);
void ep_window_clear_composer  (EpWindow       *self);
void ep_window_show_banner     (EpWindow       *self,
                                const char     *sentence);
void ep_window_toast           (EpWindow       *self,
                                const char     *text);

/* ep-window-undo.c */
gboolean ep_window_undo_begin      (EpWindow   *self,
                                    EpMessage  *message,
                                    gboolean    partial);
gboolean ep_window_undo_is_pending (EpWindow   *self);
void     ep_window_undo            (EpWindow   *self);
void     ep_window_undo_dispose    (EpWindow   *self);

/* ep-window-outbox.c */
void     ep_window_outbox_init         (EpWindow      *self,
                                        EpApplication *app);
void     ep_window_outbox_use_account  (EpWindow      *self);
void     ep_window_outbox_offer        (EpWindow      *self,
                                        EpMessage     *message,
                                        EpSendResult  *result,
                                        const GError  *error,
                                        const char    *snapshot,
                                        const char * const *declined);
void     ep_window_outbox_clear_offer  (EpWindow      *self);
void     ep_window_outbox_move         (EpWindow      *self);
void     ep_window_outbox_dispose      (EpWindow      *self);
