/* ep-inbox-view-private.h — EpInboxView's fields, shared with ep-inbox-view-save.c,
 * -mailboxes.c and -flags.c
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ep-gmime.h"
#include "ep-inbox-view.h"

/* The list: headers only. A message shown or exported: the whole of it, as `epistle inbox --json`. */
#define EP_INBOX_LIST_ITEMS (EP_IMAP_FETCH_FLAGS | EP_IMAP_FETCH_INTERNALDATE | EP_IMAP_FETCH_SIZE | \
                             EP_IMAP_FETCH_ENVELOPE | EP_IMAP_FETCH_BODYSTRUCTURE)
#define EP_INBOX_FULL_ITEMS (EP_IMAP_FETCH_FLAGS | EP_IMAP_FETCH_INTERNALDATE | EP_IMAP_FETCH_SIZE | \
                             EP_IMAP_FETCH_ENVELOPE | EP_IMAP_FETCH_BODY)

struct _EpInboxView
{
  GtkWidget parent_instance;

  /* Owned */
  EpImapWorker *worker;
  char *host;
  GPtrArray *messages;           /* EpImapMessage, headers only, newest first, one per row */
  GHashTable *full;              /* UID → EpImapMessage fetched whole */
  GMimeMessage *shown;           /* the message in the pane, parsed */
  GPtrArray *attachments;        /* GMimePart of @shown, one per attachment row */
  GCancellable *cancellable;     /* exports; cancelled in dispose */
  GCancellable *list_cancellable;
  GCancellable *body_cancellable;
  GtkFileChooserNative *chooser;
  char *error;
  char *mailbox;                 /* UTF-8, NULL for INBOX; kept while the view lives */
  GPtrArray *mailbox_names;      /* UTF-8, one per item of the mailbox selector */
  GCancellable *mailboxes_cancellable;
  guint16 port;
  guint page_size;
  guint requested;               /* the limit of the fetch in flight */
  guint32 shown_uid;
  guint32 uidvalidity;           /* of the mailbox listed: every UID above belongs to it; 0 before */
  gboolean loaded;
  gboolean more;                 /* the last fetch was full: there may be older messages */
  gboolean busy;                 /* a list fetch is in flight */
  gboolean rebuilding;           /* rows replaced: a selection now is GTK's, not the person's */
  gboolean reselecting;          /* the message shown, selected again: it is not opened anew */
  guint32 fetching_uid;          /* the message whose fetch body_cancellable stops, or 0 */
  gboolean fetching_more;
  gboolean exporting;
  gboolean mailboxes_listed;     /* listed (or being listed) for this worker */
  gboolean filling_selector;     /* the selector changes, not by a person's choice */

  /* Template widgets */
  AdwLeaflet *leaflet;
  GtkWidget *pane_separator;
  GtkWidget *message_box;
  GtkWidget *back_bar;
  GtkDropDown *mailbox_dropdown;
  GtkLabel *count_label;
  GtkStack *list_stack;
  GtkSpinner *loading_spinner;
  AdwStatusPage *error_page;
  GtkScrolledWindow *scrolled;
  GtkListBox *list;
  GtkStack *more_stack;
  GtkSpinner *more_spinner;
  GtkStack *message_stack;
  GtkSpinner *message_spinner;
  AdwStatusPage *message_error_page;
  GtkScrolledWindow *message_scrolled;
  GtkLabel *subject_label;
  GtkWidget *message_menu_button;
  GtkGrid *header_grid;
  GtkTextView *body_view;
  GtkWidget *attachments_box;
  GtkListBox *attachment_list;
};

void ep_inbox_view_update_actions      (EpInboxView    *self);
void ep_inbox_view_open_mailbox        (EpInboxView    *self);
gboolean ep_inbox_view_check_renumbered (EpInboxView   *self,
                                        const GError   *error);
EpImapMessage *ep_inbox_view_find_listed (EpInboxView  *self,
                                        guint32         uid,
                                        GtkWidget     **row);

/* ep-inbox-view-save.c */
void ep_inbox_view_toast               (EpInboxView    *self,
                                        const char     *text);
void ep_inbox_view_save_install        (GtkWidgetClass *widget_class);
void ep_inbox_view_list_attachments    (EpInboxView    *self);

/* ep-inbox-view-mailboxes.c */
void ep_inbox_view_mailboxes_install   (GtkWidgetClass *widget_class);
void ep_inbox_view_reset_mailboxes     (EpInboxView    *self);
void ep_inbox_view_list_mailboxes      (EpInboxView    *self);

/* ep-inbox-view-flags.c */
gboolean ep_inbox_message_is_unread    (const EpImapMessage *message);
void ep_inbox_message_set_seen         (EpImapMessage  *message,
                                        gboolean        seen);
void ep_inbox_row_set_unread           (GtkWidget      *row,
                                        gboolean        unread);
void ep_inbox_view_note_seen           (EpInboxView    *self,
                                        guint32         uid,
                                        gboolean        seen);
void ep_inbox_view_mark_read           (EpInboxView    *self,
                                        guint32         uid);
void ep_inbox_view_flags_install       (GtkWidgetClass *widget_class);
