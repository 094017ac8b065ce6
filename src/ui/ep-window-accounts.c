/* ep-window-accounts.c — the window's saved accounts: From chooser, keyring, add and remove
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The accounts are core's EpAccountStore (GSettings) and their secrets core's
 * EpSecretStore (the keyring). At start the default account signs in by
 * itself when the keyring holds its secret; otherwise the sign-in page asks.
 * The From chooser (shown with two accounts or more) switches the account a
 * message is sent from: a secret used this run is kept in memory for the run
 * (session_secrets), one in the keyring is fetched when chosen, and an
 * account with neither goes to the sign-in page.
 */
#include <glib/gi18n.h>

#include "ep-dialog.h"
#include "ep-window-private.h"

static void
show_signin (EpWindow  *self,
             EpAccount *account)
{
  ep_signin_page_set_account (self->signin_page, account);
  ep_signin_page_set_can_go_back (self->signin_page, self->account != NULL && self->secret != NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "signin");   /* the header follows */
  ep_signin_page_focus_first_empty (self->signin_page);
}

/* The sign-in page, prefilled with @account (for "Sign In Again…" after a refused password). */
void
ep_window_accounts_show_signin (EpWindow  *self,
                                EpAccount *account)
{
  show_signin (self, account);
}

static char *
session_key (EpAccount *account)
{
  return g_ascii_strdown (ep_account_get_address (account), -1);
}

/* ---------------------------------------------------------------- choosing an account */

typedef struct
{
  EpWindow *window;
  EpAccount *account;
  gboolean at_start;     /* signing in the default account by itself */
} Choice;

static void
choice_free (Choice *choice)
{
  g_object_unref (choice->window);
  g_object_unref (choice->account);
  g_free (choice);
}

static void
on_secret_found_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Choice *choice = user_data;
  EpWindow *self = choice->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpSecret) secret = ep_secret_store_lookup_finish (EP_SECRET_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      choice_free (choice);
      return;
    }
  if (error != NULL && choice->at_start)
    g_message ("The keyring could not be read: %s", error->message);
  else if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Your keyring could not be read, so please enter the "
                                                 "password. %s"), error->message);
      ep_window_toast (self, text);
    }
  /* At start, signing in by hand meanwhile wins over the keyring. */
  if (choice->at_start &&
      (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "signin") != 0 ||
       ep_signin_page_get_busy (self->signin_page)))
    ;
  else if (secret != NULL)
    {
      ep_window_use_account (self, choice->account, secret, 0);
      ep_window_check_account (self);   /* its SIZE limit, and whether the password still works */
    }
  else if (!choice->at_start)
    show_signin (self, choice->account);
  choice_free (choice);
}

static void
look_up_secret (EpWindow  *self,
                EpAccount *account,
                gboolean   at_start)
{
  Choice *choice = g_new0 (Choice, 1);

  choice->window = g_object_ref (self);
  choice->account = g_object_ref (account);
  choice->at_start = at_start;
  ep_secret_store_lookup_async (self->secrets, ep_account_get_address (account), self->cancellable,
                                on_secret_found_cb, choice);
}

/* Sends from @account: with the secret of this run, the keyring's, or after signing in. */
static void
choose_account (EpWindow  *self,
                EpAccount *account)
{
  g_autofree char *key = session_key (account);
  const char *secret = g_hash_table_lookup (self->session_secrets, key);

  if (secret != NULL)
    {
      g_autofree char *copy = g_strdup (secret);   /* use_account replaces the table's copy */

      ep_window_use_account (self, account, copy, 0);
      memset (copy, 0, strlen (copy));
      ep_window_check_account (self);
    }
  else if (self->keyring_available)
    look_up_secret (self, account, FALSE);
  else
    show_signin (self, account);
}

static void
on_from_selected_cb (EpWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->from_dropdown);
  g_autoptr(EpAccount) account = NULL;

  if (self->from_filling || selected == GTK_INVALID_LIST_POSITION || selected >= self->accounts->len)
    return;
  account = g_object_ref (self->accounts->pdata[selected]);   /* the list is refilled meanwhile */
  if (self->account != NULL &&
      g_ascii_strcasecmp (ep_account_get_address (account), ep_account_get_address (self->account)) == 0)
    return;
  choose_account (self, account);
}

static char *
describe (EpAccount *account)
{
  const char *name = ep_account_get_display_name (account);

  if (*name == '\0')
    return g_strdup (ep_account_get_address (account));
  return g_strdup_printf ("%s <%s>", name, ep_account_get_address (account));
}

static gboolean
same_items (GListModel *old,
            GListModel *new)
{
  guint n = g_list_model_get_n_items (new);

  if (old == NULL || g_list_model_get_n_items (old) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (old), i),
                   gtk_string_list_get_string (GTK_STRING_LIST (new), i)) != 0)
      return FALSE;
  return TRUE;
}

/**
 * ep_window_accounts_refresh:
 *
 * Fills the From chooser from the saved accounts and selects the one in
 * use; shows it instead of the plain From label when there are two or more.
 */
void
ep_window_accounts_refresh (EpWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint current = GTK_INVALID_LIST_POSITION;

  if (self->accounts == NULL)
    return;   /* disposed */
  if (self->store != NULL && self->demo == NULL)
    accounts = ep_account_store_list (self->store, &error);
  if (error != NULL)
    g_message ("The saved accounts could not be read: %s", error->message);
  g_ptr_array_set_size (self->accounts, 0);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      EpAccount *account = accounts->pdata[i];
      g_autofree char *text = describe (account);

      g_ptr_array_add (self->accounts, g_object_ref (account));
      gtk_string_list_append (model, text);
      if (self->account != NULL &&
          g_ascii_strcasecmp (ep_account_get_address (account), ep_account_get_address (self->account)) == 0)
        current = i;
    }
  self->from_filling = TRUE;
  /* The same list keeps its model: this runs inside the chooser's own "selected" notification. */
  if (!same_items (gtk_drop_down_get_model (self->from_dropdown), G_LIST_MODEL (model)))
    gtk_drop_down_set_model (self->from_dropdown, G_LIST_MODEL (model));
  if (gtk_drop_down_get_selected (self->from_dropdown) != current)
    gtk_drop_down_set_selected (self->from_dropdown, current);
  self->from_filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->from_dropdown),
                          self->accounts->len >= 2 && current != GTK_INVALID_LIST_POSITION);
  gtk_widget_set_visible (GTK_WIDGET (self->from_label),
                          !gtk_widget_get_visible (GTK_WIDGET (self->from_dropdown)));
  ep_window_actions_update (self);
}

/* ---------------------------------------------------------------- start */

static void
on_keyring_checked_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autoptr(EpAccount) account = NULL;

  self->keyring_available = ep_secret_store_check_finish (EP_SECRET_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ep_signin_page_set_keyring (self->signin_page, self->keyring_available,
                              error != NULL ? error->message : NULL);
  if (!self->keyring_available || self->store == NULL || self->account != NULL)
    return;
  address = ep_account_store_dup_default (self->store);
  if (address != NULL)
    account = ep_account_store_lookup (self->store, address, NULL);
  if (account != NULL)
    look_up_secret (self, account, TRUE);
}

/**
 * ep_window_accounts_start:
 *
 * Migrates the window issue's account file once, puts the default account
 * on the sign-in page, and asks the keyring for its secret.
 */
void
ep_window_accounts_start (EpWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ep_account_default_path ();
  g_autofree char *address = NULL;
  g_autoptr(EpAccount) saved = NULL;

  if (self->store != NULL && !ep_account_store_migrate (self->store, path, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Your saved account could not be read, so "
                                                 "please sign in again. %s"), error->message);
      ep_window_toast (self, text);
      g_clear_error (&error);
    }
  if (self->store != NULL && (address = ep_account_store_dup_default (self->store)) != NULL)
    saved = ep_account_store_lookup (self->store, address, &error);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Your saved account could not be read, so "
                                                 "please sign in again. %s"), error->message);
      ep_window_toast (self, text);
    }
  show_signin (self, saved);
  ep_secret_store_check_async (self->secrets, self->cancellable, on_keyring_checked_cb,
                               g_object_ref (self));
}

/* ---------------------------------------------------------------- after signing in */

static void
on_secret_saved_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ep_secret_store_save_finish (EP_SECRET_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Your password could not be remembered; Epistle "
                                                 "will ask for it next time. %s"), error->message);
      ep_window_toast (self, text);
    }
}

static void
on_secret_forgotten_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ep_secret_store_forget_finish (EP_SECRET_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, EP_SECRET_STORE_ERROR, EP_SECRET_STORE_ERROR_UNAVAILABLE))
    {
      g_autofree char *text = g_strdup_printf (_("The saved password could not be removed from "
                                                 "your keyring. %s"), error->message);
      ep_window_toast (self, text);
    }
}

/**
 * ep_window_accounts_signed_in:
 *
 * Saves the verified account, and its secret in the keyring when the page's
 * Remember switch is on (a secret remembered before is forgotten when off).
 */
void
ep_window_accounts_signed_in (EpWindow   *self,
                              EpAccount  *account,
                              const char *secret)
{
  g_autoptr(GError) error = NULL;
  const char *address = ep_account_get_address (account);

  if (self->store == NULL)
    {
      /* The store could not be opened when the window was made; say why (it may open now). */
      g_autoptr(EpAccountStore) none = ep_account_store_new (&error);
      g_autofree char *text = NULL;

      if (none == NULL)
        {
          text = g_strdup_printf (_("Your account settings could not be saved; you will "
                                    "need to enter them again next time. %s"), error->message);
          ep_window_toast (self, text);
        }
    }
  else if (!ep_account_store_save (self->store, account, &error) ||
           !ep_account_store_set_default (self->store, address, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Your account settings could not be saved; you will "
                                                 "need to enter them again next time. %s"),
                                               error->message);
      ep_window_toast (self, text);
    }
  if (ep_signin_page_get_remember (self->signin_page))
    ep_secret_store_save_async (self->secrets, address, secret, self->cancellable,
                                on_secret_saved_cb, g_object_ref (self));
  else if (self->keyring_available)
    ep_secret_store_forget_async (self->secrets, address, self->cancellable,
                                  on_secret_forgotten_cb, g_object_ref (self));
}

/* ---------------------------------------------------------------- removing */

static void
on_remove_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  EpWindow *self = user_data;
  g_autoptr(EpAccount) removed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *next = NULL;
  g_autoptr(EpAccount) account = NULL;

  if (g_strcmp0 (response, "remove") != 0 || self->account == NULL || self->store == NULL)
    return;
  removed = g_object_ref (self->account);
  if (!ep_account_store_remove (self->store, ep_account_get_address (removed), &error))
    {
      ep_window_toast (self, error->message);
      return;
    }
  key = session_key (removed);
  g_hash_table_remove (self->session_secrets, key);
  ep_secret_store_forget_async (self->secrets, ep_account_get_address (removed), self->cancellable,
                                on_secret_forgotten_cb, g_object_ref (self));

  /* On to the default account left, or to the sign-in page when none is. */
  g_clear_object (&self->account);
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_clear_pointer (&self->secret, g_free);
  next = ep_account_store_dup_default (self->store);
  if (next != NULL)
    account = ep_account_store_lookup (self->store, next, NULL);
  ep_window_accounts_refresh (self);
  if (account != NULL)
    {
      show_signin (self, account);   /* until its secret is found */
      choose_account (self, account);
    }
  else
    show_signin (self, NULL);
}

/* Asks, then forgets the account in use: its settings and its secret in the keyring. */
void
ep_window_accounts_remove_current (EpWindow *self)
{
  AdwMessageDialog *dialog;

  if (self->account == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  /* Translators: %s is an email address */
  adw_message_dialog_format_heading (dialog, _("Remove %s?"), ep_account_get_address (self->account));
  adw_message_dialog_set_body (dialog, _("Its settings and its remembered password will be removed "
                                         "from this computer. Mail on the server stays as it is."));
  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "remove", _("Remove"), NULL);
  ep_dialog_name_buttons_once (GTK_WIDGET (dialog));
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------- life */

void
ep_window_accounts_init (EpWindow *self)
{
  g_autoptr(GError) error = NULL;

  self->session_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) ep_secret_free);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->secrets = ep_secret_store_new ();
  self->store = ep_account_store_new (&error);
  if (self->store == NULL)
    g_message ("Accounts will not be saved: %s", error->message);
  g_signal_connect_swapped (self->from_dropdown, "notify::selected", G_CALLBACK (on_from_selected_cb), self);
}

void
ep_window_accounts_dispose (EpWindow *self)
{
  if (self->from_dropdown != NULL)
    g_signal_handlers_disconnect_by_func (self->from_dropdown, on_from_selected_cb, self);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->session_secrets, g_hash_table_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
}
