/* ep-window-check.c — a saved account checked in the background once the window uses it
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An account signed in from the keyring at start (or chosen in the From
 * chooser) skips the sign-in page, so nothing has asked its server yet. The
 * same check the page runs (connect, TLS, AUTH, EHLO SIZE) runs here in
 * EpSender's worker thread with the secret already in memory — the keyring
 * is not asked again. Success brings the server's SIZE limit to the
 * attachment bar; a refused password says so in the banner with "Sign In
 * Again…", before the person has written the whole message; a server out of
 * reach says nothing (the Outbox keeps what is sent meanwhile), and is asked
 * again when the network comes back (the Outbox's network monitor says so).
 */
#include <glib/gi18n.h>

#include "ep-outbox.h"
#include "ep-window-private.h"

typedef struct
{
  EpWindow *window;
  EpAccount *account;
} Check;

static void
check_free (Check *check)
{
  g_object_unref (check->window);
  g_object_unref (check->account);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Check, check_free)

static void
show_refused (EpWindow *self)
{
  g_autofree char *sentence = NULL;

  /* Translators: %s is an email address */
  sentence = g_strdup_printf (_("The server refused the saved password for %s. It may have been changed, "
                                "or the authorization code revoked."),
                              ep_account_get_address (self->account));
  ep_window_show_banner (self, sentence);
  gtk_widget_set_visible (self->signin_again_button, TRUE);
  gtk_widget_set_visible (self->details_button, FALSE);   /* no send to show the details of */
}

static void
on_checked_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Check) check = user_data;
  EpWindow *self = check->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpServerInfo) info = ep_sender_check_finish (EP_SENDER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->account != check->account)
    return;   /* the window went, or another account is in use */
  g_clear_object (&self->check_cancellable);
  if (info != NULL)
    {
      self->size_limit = ep_server_info_get_size_limit (info);
      ep_attachment_bar_set_size_limit (self->attachments, self->size_limit);
      ep_window_actions_update (self);
    }
  else if (g_error_matches (error, EP_SMTP_ERROR, EP_SMTP_ERROR_AUTH))
    show_refused (self);
  else if (ep_outbox_error_is_temporary (error, NULL))
    {
      g_debug ("%s is out of reach for now: %s", ep_account_get_smtp_host (check->account), error->message);
      self->check_when_online = TRUE;
    }
  else
    g_message ("The saved account %s could not be checked: %s",
               ep_account_get_address (check->account), error->message);
}

/**
 * ep_window_check_account:
 *
 * Checks the account in use with its secret in the background, unless it
 * was just checked by the sign-in page. Never blocks: the check runs in a
 * worker thread and reports back on the main loop.
 */
void
ep_window_check_account (EpWindow *self)
{
  g_autoptr(EpSender) sender = NULL;
  Check *check;

  g_return_if_fail (EP_IS_WINDOW (self));

  if (self->account == NULL || self->secret == NULL || self->demo != NULL)
    return;
  ep_window_check_reset (self);
  self->check_when_online = FALSE;
  sender = ep_account_create_sender (self->account, self->secret);
  if (sender == NULL)
    return;
  check = g_new0 (Check, 1);
  check->window = g_object_ref (self);
  check->account = g_object_ref (self->account);
  self->check_cancellable = g_cancellable_new ();
  ep_sender_check_async (sender, self->check_cancellable, on_checked_cb, check);
}

/* Another account, or the same signed in anew: the check under way and its banner go. */
void
ep_window_check_reset (EpWindow *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->signin_again_button != NULL && gtk_widget_get_visible (self->signin_again_button))
    ep_window_show_banner (self, NULL);
}

/* Whether a background check is under way. */
gboolean
ep_window_check_is_running (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), FALSE);
  return self->check_cancellable != NULL;
}

/* "Sign In Again…": the sign-in page for the account in use. The composer page is only
 * hidden behind it, so what is written stays (and the draft autosave keeps running). */
static void
sign_in_again_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpWindow *self = EP_WINDOW (widget);

  if (self->account == NULL)
    return;
  ep_window_show_banner (self, NULL);
  ep_window_accounts_show_signin (self, self->account);
}

static void
on_network_available_cb (EpWindow *self)
{
  if (self->check_when_online && self->outbox != NULL && ep_outbox_get_network_available (self->outbox))
    ep_window_check_account (self);
}

/* The check that found the server out of reach runs again when @outbox says the network is back. */
void
ep_window_check_watch (EpWindow *self,
                       EpOutbox *outbox)
{
  g_signal_connect_object (outbox, "notify::network-available", G_CALLBACK (on_network_available_cb), self,
                           G_CONNECT_SWAPPED);
}

void
ep_window_check_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "compose.sign-in-again", NULL, sign_in_again_cb);
}

void
ep_window_check_dispose (EpWindow *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
}
