/* ep-signin-page-check.c — EpSigninPage's Sign In: the form read, then both servers checked
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Sign In" builds an account from the form (or says what is missing), asks
 * core to verify it in a worker thread (connect, TLS, EHLO, AUTH, QUIT:
 * nothing is sent), then the IMAP server the same way (connect, TLS, LOGIN,
 * LOGOUT), and hands the account to ep_signin_page_signed_in (). Meanwhile
 * the form is insensitive, Cancel has the keyboard, and the progress line
 * says which step runs. A failure says which server and why, and keeps
 * every field; an untrusted certificate shows its fingerprint to trust.
 */
#include <string.h>
#include <glib/gi18n.h>

#include "ep-imap-worker.h"
#include "ep-send-status.h"
#include "ep-signin-page-private.h"
#include "ep-tls.h"

static void
set_busy (EpSigninPage *self,
          gboolean      busy)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  /* The keyboard goes to Cancel while the fields it was in are insensitive, and back to
   * Sign In after; a focused entry made insensitive would keep its cursor blinking. */
  if (busy && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->servers_expander), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remember_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->signin_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  if (!busy)
    gtk_label_set_text (self->progress_label, "");
  if (!busy && focus != NULL && (focus == GTK_WIDGET (self->cancel_button) ||
                                 gtk_widget_is_ancestor (focus, GTK_WIDGET (self->cancel_button))))
    gtk_widget_grab_focus (GTK_WIDGET (self->signin_button));
}

static void
on_check_progress_cb (EpSender     *sender,
                      guint         stage,
                      guint64       done,
                      guint64       total,
                      EpSigninPage *self)
{
  g_autofree char *text = ep_send_status_describe (stage, ep_account_get_smtp_host (self->account),
                                                   done, total);

  gtk_label_set_text (self->progress_label, text);
}

/* Shows the end of the page (the certificate and the buttons), for a few frames while it is
 * laid out. */
static gboolean
scroll_to_end_cb (GtkWidget     *scroller,
                  GdkFrameClock *clock,
                  gpointer       frames_left)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  guint left = GPOINTER_TO_UINT (frames_left);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  if (left <= 1)
    return G_SOURCE_REMOVE;
  gtk_widget_add_tick_callback (scroller, scroll_to_end_cb, GUINT_TO_POINTER (left - 1), NULL);
  return G_SOURCE_REMOVE;
}

static void
show_check_error (EpSigninPage *self,
                  const GError *error)
{
  g_autofree char *sentence = ep_send_status_explain (error, ep_account_get_smtp_host (self->account),
                                                      ep_account_get_smtp_port (self->account));
  g_autofree char *fingerprint = ep_tls_error_dup_fingerprint (error);

  ep_signin_page_show_error (self, sentence);
  gtk_label_set_text (self->fingerprint_label, fingerprint ? fingerprint : "");
  gtk_widget_set_visible (self->certificate_box, fingerprint != NULL);
  /* Below the form on a small screen: scrolled into view once laid out. */
  if (fingerprint != NULL)
    gtk_widget_add_tick_callback (self->scroller, scroll_to_end_cb, GUINT_TO_POINTER (3), NULL);
}

/* Sending works but the IMAP server does not: say which server, and what to do. An
 * untrusted certificate may be trusted here unless the account already trusts another
 * one (for SMTP), since an account pins a single certificate. */
static void
show_imap_check_error (EpSigninPage *self,
                       const GError *error)
{
  const char *host = ep_account_get_imap_host (self->account);
  const char *pin = ep_account_get_pin (self->account);
  g_autofree char *fingerprint = ep_tls_error_dup_fingerprint (error);
  g_autofree char *reason = NULL;
  g_autofree char *sentence = NULL;

  /* A provider's servers are folded away: the fields to correct or empty are shown. */
  gtk_expander_set_expanded (self->servers_expander, TRUE);
  if (fingerprint != NULL && pin != NULL && g_strcmp0 (fingerprint, pin) != 0)
    {
      /* Translators: %1$s and %2$s are server names, %3$s a SHA-256 fingerprint */
      sentence = g_strdup_printf (_("The IMAP server %1$s presents a different certificate from the one "
                                    "you trusted for the SMTP server %2$s, and Epistle trusts only one "
                                    "certificate per account. The IMAP server’s SHA-256 fingerprint is "
                                    "%3$s. Ask your provider which certificate is right, or leave the "
                                    "IMAP server empty to sign in without a Sent copy and Inbox."),
                                  host, ep_account_get_smtp_host (self->account), fingerprint);
      ep_signin_page_show_error (self, sentence);
      gtk_widget_add_tick_callback (self->scroller, scroll_to_end_cb, GUINT_TO_POINTER (3), NULL);
      return;
    }
  reason = ep_send_status_explain (error, host, ep_account_get_imap_port (self->account));
  /* Translators: %1$s is the IMAP server's name, %2$s says what went wrong (a sentence) */
  sentence = g_strdup_printf (_("Sending works, but the IMAP server %1$s could not be used. %2$s "
                                "Correct the IMAP settings, or leave the IMAP server empty to sign in "
                                "without a Sent copy and Inbox."), host, reason);
  ep_signin_page_show_error (self, sentence);
  gtk_label_set_text (self->fingerprint_label, fingerprint ? fingerprint : "");
  gtk_widget_set_visible (self->certificate_box, fingerprint != NULL);
  /* Below the IMAP fields, out of sight on a small screen: scrolled into view. */
  gtk_widget_add_tick_callback (self->scroller, scroll_to_end_cb, GUINT_TO_POINTER (3), NULL);
}

static void
on_imap_check_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EpSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpServerInfo) info = NULL;
  gboolean ok = ep_imap_worker_check_finish (EP_IMAP_WORKER (source), result, &error);

  if (self->cancellable == NULL)
    return;  /* disposed meanwhile */
  g_clear_object (&self->imap_worker);
  info = g_steal_pointer (&self->info);
  set_busy (self, FALSE);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->progress_label, _("Sign-in cancelled."));
      else
        show_imap_check_error (self, error);
      return;
    }
  ep_signin_page_signed_in (self, info);
}

/* After the SMTP check: signs in to the IMAP server too, when the account names one. */
static void
check_imap (EpSigninPage *self,
            EpServerInfo *info)
{
  g_autofree char *text = NULL;

  self->imap_worker = ep_account_create_imap_worker (self->account,
                                                     gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  if (self->imap_worker == NULL)
    {
      set_busy (self, FALSE);
      ep_signin_page_signed_in (self, info);
      ep_server_info_free (info);
      return;
    }
  self->info = info;
  /* Translators: %s is the IMAP server's name */
  text = g_strdup_printf (_("Checking the IMAP server %s…"), ep_account_get_imap_host (self->account));
  gtk_label_set_text (self->progress_label, text);
  ep_imap_worker_check_async (self->imap_worker, self->cancellable, on_imap_check_done_cb,
                              g_object_ref (self));
}

static void
on_check_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EpSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpServerInfo) info = ep_sender_check_finish (EP_SENDER (source), result, &error);

  if (self->cancellable == NULL)
    return;  /* disposed meanwhile */
  g_signal_handlers_disconnect_by_func (source, on_check_progress_cb, self);
  g_clear_object (&self->sender);
  if (info == NULL)
    {
      set_busy (self, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->progress_label, _("Sign-in cancelled."));
      else
        show_check_error (self, error);
      return;
    }
  check_imap (self, g_steal_pointer (&info));
}

/* Builds the account from the form, or says what is missing. */
static EpAccount *
account_from_form (EpSigninPage  *self,
                   GError       **error)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_entry));
  const char *port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_entry));
  const char *imap_host = gtk_editable_get_text (GTK_EDITABLE (self->imap_host_entry));
  const char *imap_port_text = gtk_editable_get_text (GTK_EDITABLE (self->imap_port_entry));
  g_autoptr(EpAddress) parsed = NULL;
  g_autoptr(EpAccount) account = NULL;
  guint64 port = 0;
  guint64 imap_port = 0;

  if (*address == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter your email address."));
      return NULL;
    }
  parsed = ep_address_parse (address, error);
  if (parsed == NULL)
    return NULL;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->password_entry)) == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           self->hint ? _("Enter the authorization code or app password.")
                                      : _("Enter your password."));
      return NULL;
    }
  if (*host == '\0' || strchr (host, ' ') != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the SMTP server’s name, such as smtp.example.com."));
      return NULL;
    }
  if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a port number; ports run from 1 to 65535."), port_text);
      return NULL;
    }
  if (strchr (imap_host, ' ') != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the IMAP server’s name, such as imap.example.com, or leave it empty."));
      return NULL;
    }
  if (*imap_host != '\0' && !g_ascii_string_to_unsigned (imap_port_text, 10, 1, 65535, &imap_port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IMAP port number; ports run from 1 to 65535."), imap_port_text);
      return NULL;
    }

  account = ep_account_new_for_address (ep_address_get_addr_spec (parsed), error);
  if (account == NULL)
    return NULL;
  ep_account_set_display_name (account, gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  ep_account_set_smtp_host (account, host);
  ep_account_set_smtp_port (account, (guint16) port);
  ep_account_set_smtp_security (account, ep_signin_page_security_from_row (gtk_drop_down_get_selected (self->security_dropdown)));
  ep_account_set_allow_plaintext_auth (account, gtk_check_button_get_active (self->plaintext_check));
  /* Empty: no Sent copy and no Inbox. */
  ep_account_set_imap_host (account, imap_host);
  ep_account_set_imap_security (account,
                                ep_signin_page_security_from_row (gtk_drop_down_get_selected (self->imap_security_dropdown)));
  ep_account_set_imap_port (account, (guint16) imap_port);
  if (self->account != NULL && g_strcmp0 (ep_account_get_smtp_host (self->account), host) == 0)
    {
      ep_account_set_pin (account, ep_account_get_pin (self->account), NULL);
      ep_account_set_ca_file (account, ep_account_get_ca_file (self->account));
    }
  if (self->pin != NULL)
    ep_account_set_pin (account, self->pin, NULL);
  return g_steal_pointer (&account);
}

/* Starts the background check of what the form says. */
void
ep_signin_page_sign_in (EpSigninPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccount) account = NULL;

  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));

  if (self->sender != NULL || self->imap_worker != NULL)
    return;
  account = account_from_form (self, &error);
  if (account == NULL)
    {
      ep_signin_page_show_error (self, error->message);
      return;
    }
  ep_signin_page_show_error (self, NULL);
  g_set_object (&self->account, account);
  self->sender = ep_account_create_sender (account,
                                           gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  g_signal_connect (self->sender, "progress", G_CALLBACK (on_check_progress_cb), self);
  g_cancellable_reset (self->cancellable);
  set_busy (self, TRUE);
  gtk_label_set_text (self->progress_label, _("Checking your account…"));
  ep_sender_check_async (self->sender, self->cancellable, on_check_done_cb, g_object_ref (self));
}
