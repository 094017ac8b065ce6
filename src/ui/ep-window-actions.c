/* ep-window-actions.c — the compose.* and win.* actions and their enabled state
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Buttons, menus and shortcuts all name these actions; one function,
 * ep_window_actions_update (), decides which are enabled.
 */
#include <glib/gi18n.h>

#include "ep-transcript-window.h"
#include "ep-window-private.h"

static void
send_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ep_window_send (EP_WINDOW (widget), FALSE, FALSE);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ep_window_cancel_send (EP_WINDOW (widget));
}

static void
undo_send_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ep_window_undo (EP_WINDOW (widget));
}

static void
move_to_outbox_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ep_window_outbox_move (EP_WINDOW (widget));
}

static void
attach_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ep_attachment_bar_choose_files (EP_WINDOW (widget)->attachments);
}

static void
show_details_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EpWindow *self = EP_WINDOW (widget);
  g_autofree char *text = NULL;

  if (self->sender == NULL)
    return;
  text = ep_transcript_dup_text (ep_sender_get_transcript (self->sender));
  gtk_window_present (GTK_WINDOW (ep_transcript_window_new (GTK_WINDOW (self), text)));
}

static void
sign_in_again_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  EpWindow *self = user_data;

  ep_signin_page_set_account (self->signin_page, self->account);
  ep_signin_page_set_can_go_back (self->signin_page, self->account != NULL && self->secret != NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "signin");   /* the header follows */
  ep_signin_page_focus_first_empty (self->signin_page);
}

static void
add_account_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EpWindow *self = user_data;

  sign_in_again_action_cb (action, parameter, user_data);
  ep_signin_page_set_account (self->signin_page, NULL);
  ep_signin_page_focus_first_empty (self->signin_page);
}

static void
remove_account_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  ep_window_accounts_remove_current (user_data);
}

void
ep_window_actions_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "compose.send", NULL, send_action_cb);
  gtk_widget_class_install_action (widget_class, "compose.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "compose.undo-send", NULL, undo_send_action_cb);
  gtk_widget_class_install_action (widget_class, "compose.move-to-outbox", NULL, move_to_outbox_action_cb);
  gtk_widget_class_install_action (widget_class, "compose.attach", NULL, attach_action_cb);
  gtk_widget_class_install_action (widget_class, "compose.show-details", NULL, show_details_action_cb);
  gtk_widget_class_install_property_action (widget_class, "compose.show-cc", "show-cc");
  gtk_widget_class_install_property_action (widget_class, "compose.show-bcc", "show-bcc");
}

static const GActionEntry win_actions[] = {
  { .name = "sign-in-again", .activate = sign_in_again_action_cb },
  { .name = "add-account", .activate = add_account_action_cb },
  { .name = "remove-account", .activate = remove_account_action_cb },
};

void
ep_window_actions_init (EpWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
}

static void
set_win_enabled (EpWindow   *self,
                 const char *name,
                 gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* Returns: %TRUE with at least one recipient and no bad entry in To, Cc or Bcc */
static gboolean
recipients_ready (EpWindow *self)
{
  EpRecipientEntry *entries[] = { self->to_entry, self->cc_entry, self->bcc_entry };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      if (!ep_recipient_entry_get_valid (entries[i]))
        return FALSE;
      n += ep_recipient_entry_get_n_addresses (entries[i]);
    }
  return n > 0;
}

void
ep_window_actions_update (EpWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean composing = g_strcmp0 (page, "compose") == 0 && g_strcmp0 (view, "compose") == 0;
  gboolean waiting = self->pending != NULL;
  gboolean sending = self->send_cancellable != NULL || waiting;

  gtk_widget_action_set_enabled (widget, "compose.send",
                                 composing && !sending && self->secret != NULL && recipients_ready (self));
  gtk_widget_action_set_enabled (widget, "compose.cancel", sending);
  gtk_widget_action_set_enabled (widget, "compose.undo-send", waiting);
  gtk_widget_action_set_enabled (widget, "compose.move-to-outbox", self->offer_message != NULL && !sending);
  gtk_widget_action_set_enabled (widget, "compose.attach", composing && !waiting);
  gtk_widget_action_set_enabled (widget, "compose.show-cc", composing && !waiting);
  gtk_widget_action_set_enabled (widget, "compose.show-bcc", composing && !waiting);
  gtk_widget_action_set_enabled (widget, "compose.show-details", self->sender != NULL && !sending);
  set_win_enabled (self, "sign-in-again", !sending && self->demo == NULL &&
                   g_strcmp0 (page, "starting") != 0);
  set_win_enabled (self, "add-account", !sending && self->demo == NULL &&
                   g_strcmp0 (page, "starting") != 0);
  set_win_enabled (self, "remove-account", !sending && self->demo == NULL && self->store != NULL &&
                   self->account != NULL && g_strcmp0 (page, "compose") == 0);
}
