/* ep-signin-page.c — the account form: provider presets, hints, background verification
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The address's domain picks the servers from core's preset table; any
 * other domain opens the manual fields: outgoing (SMTP) and incoming (IMAP),
 * whose server may be left empty (then no Sent copy is saved and there is no
 * Inbox). "Sign In" asks core to verify the account in a worker thread
 * (connect, TLS, EHLO, AUTH, QUIT — nothing is sent), then the IMAP server
 * the same way (connect, TLS, LOGIN, LOGOUT), and emits "signed-in" with the
 * account, the secret and what the SMTP server announced. The secret is
 * never stored by this page.
 */
#include <glib/gi18n.h>

#include <adwaita.h>

#include "ep-application.h"
#include "ep-imap-worker.h"
#include "ep-provider.h"
#include "ep-send-status.h"
#include "ep-signin-page.h"
#include "ep-tls.h"

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

G_DEFINE_FINAL_TYPE (EpSigninPage, ep_signin_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SIGNED_IN,
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static EpSecurity
security_from_row (guint row)
{
  return row == SECURITY_ROW_TLS ? EP_SECURITY_TLS
       : row == SECURITY_ROW_STARTTLS ? EP_SECURITY_STARTTLS : EP_SECURITY_NONE;
}

static guint
security_to_row (EpSecurity security)
{
  return security == EP_SECURITY_TLS ? SECURITY_ROW_TLS
       : security == EP_SECURITY_STARTTLS ? SECURITY_ROW_STARTTLS : SECURITY_ROW_NONE;
}

static void
show_error (EpSigninPage *self,
            const char   *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
  gtk_label_set_text (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error == NULL)
    gtk_widget_set_visible (self->certificate_box, FALSE);
}

static void
fill_servers (EpSigninPage *self,
              const char   *host,
              guint16       port,
              EpSecurity    security)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), host);
  gtk_editable_set_text (GTK_EDITABLE (self->port_entry), port_text);
  gtk_drop_down_set_selected (self->security_dropdown, security_to_row (security));
  self->smtp_security_row = security_to_row (security);
  self->filling = FALSE;
}

/* @host: (nullable): %NULL or "" for no IMAP server */
static void
fill_imap (EpSigninPage *self,
           const char   *host,
           guint16       port,
           EpSecurity    security)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port ? port : ep_security_default_imap_port (security));

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->imap_host_entry), host ? host : "");
  gtk_editable_set_text (GTK_EDITABLE (self->imap_port_entry), port_text);
  gtk_drop_down_set_selected (self->imap_security_dropdown, security_to_row (security));
  self->imap_security_row = security_to_row (security);
  self->filling = FALSE;
}

static void
show_hint (EpSigninPage     *self,
           const EpProvider *provider)
{
  g_autofree char *sentence = provider ? ep_provider_dup_hint (provider) : NULL;
  g_autofree char *markup = NULL;

  g_clear_pointer (&self->hint, g_free);
  if (sentence != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (sentence, -1);
      g_autofree char *url = g_markup_escape_text (provider->help_url, -1);

      self->hint = g_steal_pointer (&sentence);
      /* Translators: a link after the authorization-code sentence */
      markup = g_strdup_printf ("%s <a href=\"%s\">%s</a>", escaped, url, _("How to get one"));
    }
  gtk_label_set_markup (self->hint_label, markup ? markup : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), markup != NULL);
  g_object_set (self->password_entry, "placeholder-text",
                self->hint ? _("Authorization code or app password") : NULL, NULL);
}

static void
on_address_changed_cb (EpSigninPage *self)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
  const char *at = strrchr (address, '@');
  const EpProvider *provider = ep_provider_lookup_address (address);

  show_hint (self, provider);
  if (provider != NULL)
    {
      /* Translators: "QQ Mail sends through smtp.qq.com, port 465, with TLS." */
      g_autofree char *where = g_strdup_printf (_("%s sends through %s, port %u, with %s."),
                                                _(provider->name), provider->smtp_host,
                                                provider->smtp_port,
                                                provider->smtp_security == EP_SECURITY_TLS
                                                  ? "TLS" : "STARTTLS");
      gtk_label_set_text (self->provider_label, where);
      if (!self->servers_edited)
        {
          fill_servers (self, provider->smtp_host, provider->smtp_port, provider->smtp_security);
          fill_imap (self, provider->imap_host, provider->imap_port, provider->imap_security);
          gtk_expander_set_expanded (self->servers_expander, FALSE);
        }
    }
  else if (at != NULL && strchr (at + 1, '.') != NULL && !self->servers_edited)
    {
      g_autofree char *host = NULL;
      g_autofree char *imap_host = NULL;
      guint16 port, imap_port;
      EpSecurity security, imap_security;

      ep_provider_manual_defaults (at + 1, &host, &port, &security);
      fill_servers (self, host, port, security);
      ep_provider_manual_imap_defaults (at + 1, &imap_host, &imap_port, &imap_security);
      fill_imap (self, imap_host, imap_port, imap_security);
      gtk_expander_set_expanded (self->servers_expander, TRUE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->provider_label), provider != NULL);
}

static void
on_server_edited_cb (EpSigninPage *self)
{
  if (!self->filling)
    self->servers_edited = TRUE;
}

/* The password question is asked when either server is chosen without encryption. */
static void
update_plaintext (EpSigninPage *self)
{
  gboolean none = gtk_drop_down_get_selected (self->security_dropdown) == SECURITY_ROW_NONE ||
                  gtk_drop_down_get_selected (self->imap_security_dropdown) == SECURITY_ROW_NONE;

  gtk_widget_set_visible (self->plaintext_grid, none);
  if (!none)
    gtk_check_button_set_active (self->plaintext_check, FALSE);
}

/* A port that was the old choice's usual one follows the new choice (465 → 587, 993 → 143). */
static void
follow_port (GtkEntry *port_entry,
             guint     old_row,
             guint     new_row,
             guint16 (*default_port) (EpSecurity))
{
  g_autofree char *old_port = g_strdup_printf ("%u", default_port (security_from_row (old_row)));
  g_autofree char *new_port = g_strdup_printf ("%u", default_port (security_from_row (new_row)));
  const char *port = gtk_editable_get_text (GTK_EDITABLE (port_entry));

  if (*port == '\0' || g_str_equal (port, old_port))
    gtk_editable_set_text (GTK_EDITABLE (port_entry), new_port);
}

static void
on_security_changed_cb (EpSigninPage *self)
{
  guint row = gtk_drop_down_get_selected (self->security_dropdown);

  on_server_edited_cb (self);
  if (!self->filling)
    follow_port (self->port_entry, self->smtp_security_row, row, ep_security_default_smtp_port);
  self->smtp_security_row = row;
  update_plaintext (self);
}

static void
on_imap_security_changed_cb (EpSigninPage *self)
{
  guint row = gtk_drop_down_get_selected (self->imap_security_dropdown);

  on_server_edited_cb (self);
  if (!self->filling)
    follow_port (self->imap_port_entry, self->imap_security_row, row, ep_security_default_imap_port);
  self->imap_security_row = row;
  update_plaintext (self);
}

/* An empty IMAP server is allowed; the group says what the account then goes without. */
static void
update_imap_note (EpSigninPage *self)
{
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->imap_host_entry));
  gboolean none = *host == '\0';

  adw_preferences_group_set_description (self->imap_group,
                                         none ? _("With no IMAP server, no copy of what you send is saved "
                                                  "in a Sent folder, and the Inbox is unavailable.")
                                              : _("Epistle saves a copy of each message you send on this "
                                                  "server, and reads your Inbox from it."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->imap_port_entry), !none);
  gtk_widget_set_sensitive (GTK_WIDGET (self->imap_security_dropdown), !none);
}

static void
on_imap_host_changed_cb (EpSigninPage *self)
{
  on_server_edited_cb (self);
  update_imap_note (self);
}

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

  show_error (self, sentence);
  gtk_label_set_text (self->fingerprint_label, fingerprint ? fingerprint : "");
  gtk_widget_set_visible (self->certificate_box, fingerprint != NULL);
  /* Below the form on a small screen: scrolled into view once laid out. */
  if (fingerprint != NULL)
    gtk_widget_add_tick_callback (self->scroller, scroll_to_end_cb, GUINT_TO_POINTER (3), NULL);
}

/* Both servers answered: the window takes the account. */
static void
signed_in (EpSigninPage *self,
           EpServerInfo *info)
{
  g_autoptr(EpAccount) account = g_object_ref (self->account);

  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, account,
                 gtk_editable_get_text (GTK_EDITABLE (self->password_entry)), info);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
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
      show_error (self, sentence);
      gtk_widget_add_tick_callback (self->scroller, scroll_to_end_cb, GUINT_TO_POINTER (3), NULL);
      return;
    }
  reason = ep_send_status_explain (error, host, ep_account_get_imap_port (self->account));
  /* Translators: %1$s is the IMAP server's name, %2$s says what went wrong (a sentence) */
  sentence = g_strdup_printf (_("Sending works, but the IMAP server %1$s could not be used. %2$s "
                                "Correct the IMAP settings, or leave the IMAP server empty to sign in "
                                "without a Sent copy and Inbox."), host, reason);
  show_error (self, sentence);
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
  signed_in (self, info);
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
      signed_in (self, info);
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
  ep_account_set_smtp_security (account, security_from_row (gtk_drop_down_get_selected (self->security_dropdown)));
  ep_account_set_allow_plaintext_auth (account, gtk_check_button_get_active (self->plaintext_check));
  /* Empty: no Sent copy and no Inbox. */
  ep_account_set_imap_host (account, imap_host);
  ep_account_set_imap_security (account,
                                security_from_row (gtk_drop_down_get_selected (self->imap_security_dropdown)));
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
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  g_set_object (&self->account, account);
  self->sender = ep_account_create_sender (account,
                                           gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  g_signal_connect (self->sender, "progress", G_CALLBACK (on_check_progress_cb), self);
  g_cancellable_reset (self->cancellable);
  set_busy (self, TRUE);
  gtk_label_set_text (self->progress_label, _("Checking your account…"));
  ep_sender_check_async (self->sender, self->cancellable, on_check_done_cb, g_object_ref (self));
}

static void
on_signin_clicked_cb (EpSigninPage *self)
{
  ep_signin_page_sign_in (self);
}

static void
on_cancel_clicked_cb (EpSigninPage *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
on_back_clicked_cb (EpSigninPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

/* Pins the certificate just shown for this account, and tries again. */
static void
on_trust_clicked_cb (EpSigninPage *self)
{
  g_free (self->pin);
  self->pin = g_strdup (gtk_label_get_text (self->fingerprint_label));
  ep_signin_page_sign_in (self);
}

/* Enter in any field signs in while the page is shown. */
static void
ep_signin_page_map (GtkWidget *widget)
{
  EpSigninPage *self = EP_SIGNIN_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  GTK_WIDGET_CLASS (ep_signin_page_parent_class)->map (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), GTK_WIDGET (self->signin_button));
}

static void
ep_signin_page_unmap (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), NULL);
  GTK_WIDGET_CLASS (ep_signin_page_parent_class)->unmap (widget);
}

static void
ep_signin_page_dispose (GObject *object)
{
  EpSigninPage *self = EP_SIGNIN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_func (self->sender, on_check_progress_cb, self);
  g_clear_object (&self->sender);
  g_clear_object (&self->imap_worker);
  g_clear_pointer (&self->info, ep_server_info_free);
  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_SIGNIN_PAGE);
  G_OBJECT_CLASS (ep_signin_page_parent_class)->dispose (object);
}

static void
ep_signin_page_finalize (GObject *object)
{
  EpSigninPage *self = EP_SIGNIN_PAGE (object);

  g_free (self->pin);
  g_free (self->hint);
  g_free (self->error);
  G_OBJECT_CLASS (ep_signin_page_parent_class)->finalize (object);
}

static void
ep_signin_page_class_init (EpSigninPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ep_signin_page_dispose;
  object_class->finalize = ep_signin_page_finalize;
  widget_class->map = ep_signin_page_map;
  widget_class->unmap = ep_signin_page_unmap;

  /**
   * EpSigninPage::signed-in:
   * @account: the verified account (no secret in it)
   * @secret: the password or authorization code, to keep in memory only
   * @info: (type gpointer): the #EpServerInfo the server announced
   */
  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, EP_TYPE_ACCOUNT, G_TYPE_STRING, G_TYPE_POINTER);
  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-signin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, content);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, address_entry);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, servers_expander);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, provider_label);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, remember_row);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, host_entry);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, port_entry);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, security_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, imap_group);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, imap_host_entry);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, imap_port_entry);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, imap_security_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, plaintext_grid);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, plaintext_check);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, plaintext_label);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, certificate_box);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EpSigninPage, signin_button);
  gtk_widget_class_bind_template_callback (widget_class, on_address_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_server_edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_security_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_imap_security_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_imap_host_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_signin_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_trust_clicked_cb);
}

static void
ep_signin_page_init (EpSigninPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_imap_note (self);
}

GtkWidget *
ep_signin_page_new (void)
{
  return g_object_new (EP_TYPE_SIGNIN_PAGE, NULL);
}

/**
 * ep_signin_page_set_account:
 * @account: (nullable): a saved account to sign in to again, or %NULL for a new one
 */
void
ep_signin_page_set_account (EpSigninPage *self,
                            EpAccount    *account)
{
  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->account, account);
  g_clear_pointer (&self->pin, g_free);
  self->servers_edited = FALSE;
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry),
                         account ? ep_account_get_display_name (account) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry),
                         account ? ep_account_get_address (account) : "");
  if (account != NULL)
    {
      fill_servers (self, ep_account_get_smtp_host (account), ep_account_get_smtp_port (account),
                    ep_account_get_smtp_security (account));
      fill_imap (self, ep_account_get_imap_host (account), ep_account_get_imap_port (account),
                 ep_account_get_imap_security (account));
      gtk_check_button_set_active (self->plaintext_check, ep_account_get_allow_plaintext_auth (account));
      self->servers_edited = TRUE;  /* what was saved wins over the preset */
    }
}

void
ep_signin_page_set_can_go_back (EpSigninPage *self,
                                gboolean      can_go_back)
{
  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_go_back);
}

/* Puts the cursor in the first field still to fill (the password when signing in again). */
void
ep_signin_page_focus_first_empty (EpSigninPage *self)
{
  GtkWidget *fields[] = { GTK_WIDGET (self->name_entry), GTK_WIDGET (self->address_entry),
                          GTK_WIDGET (self->password_entry) };

  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (*gtk_editable_get_text (GTK_EDITABLE (fields[i])) == '\0')
      {
        gtk_widget_grab_focus (fields[i]);
        return;
      }
  gtk_widget_grab_focus (GTK_WIDGET (self->signin_button));
}

/* Returns: (nullable): the authorization-code sentence shown for the address's provider */
const char *
ep_signin_page_get_hint (EpSigninPage *self)
{
  g_return_val_if_fail (EP_IS_SIGNIN_PAGE (self), NULL);
  return self->hint;
}

/* Returns: (nullable): the error sentence shown in the page */
const char *
ep_signin_page_get_error (EpSigninPage *self)
{
  g_return_val_if_fail (EP_IS_SIGNIN_PAGE (self), NULL);
  return self->error;
}

gboolean
ep_signin_page_get_busy (EpSigninPage *self)
{
  g_return_val_if_fail (EP_IS_SIGNIN_PAGE (self), FALSE);
  return self->sender != NULL || self->imap_worker != NULL;
}

/**
 * ep_signin_page_get_server:
 * @manual: (out): whether the server fields are open for editing
 *
 * What the server fields say now (for tests and the window).
 */
void
ep_signin_page_get_server (EpSigninPage *self,
                           const char  **host,
                           const char  **port,
                           EpSecurity   *security,
                           gboolean     *manual)
{
  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));

  *host = gtk_editable_get_text (GTK_EDITABLE (self->host_entry));
  *port = gtk_editable_get_text (GTK_EDITABLE (self->port_entry));
  *security = security_from_row (gtk_drop_down_get_selected (self->security_dropdown));
  *manual = gtk_expander_get_expanded (self->servers_expander);
}

/**
 * ep_signin_page_get_imap_server:
 * @host: (out): "" for none
 *
 * What the incoming-mail (IMAP) fields say now (for tests and the window).
 */
void
ep_signin_page_get_imap_server (EpSigninPage *self,
                                const char  **host,
                                const char  **port,
                                EpSecurity   *security)
{
  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));

  *host = gtk_editable_get_text (GTK_EDITABLE (self->imap_host_entry));
  *port = gtk_editable_get_text (GTK_EDITABLE (self->imap_port_entry));
  *security = security_from_row (gtk_drop_down_get_selected (self->imap_security_dropdown));
}

/* The sentence under Incoming Mail (IMAP): what the server is for, or what goes without it. */
const char *
ep_signin_page_get_imap_note (EpSigninPage *self)
{
  g_return_val_if_fail (EP_IS_SIGNIN_PAGE (self), NULL);
  return adw_preferences_group_get_description (self->imap_group);
}

/* Types into the form's first fields, as a person would. */
void
ep_signin_page_fill (EpSigninPage *self,
                     const char   *name,
                     const char   *address,
                     const char   *password)
{
  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), address);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), password);
}

/**
 * ep_signin_page_set_keyring:
 * @available: whether a Secret Service answered
 * @reason: (nullable): why not, for the log
 *
 * With no keyring the Remember switch is off and insensitive, and its
 * subtitle says why: the password is asked each time Epistle starts.
 */
void
ep_signin_page_set_keyring (EpSigninPage *self,
                            gboolean      available,
                            const char   *reason)
{
  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->remember_switch), available);
  gtk_switch_set_active (self->remember_switch, available);
  adw_action_row_set_subtitle (self->remember_row,
                               available
                                 ? _("Kept in your keyring, so Epistle signs in by itself next time")
                                 : _("No keyring is running on this computer, so Epistle cannot "
                                     "remember passwords and will ask each time it starts"));
  if (!available && reason != NULL)
    g_debug ("No keyring: %s", reason);
}

/* Whether the password is to be kept in the keyring after a successful check. */
gboolean
ep_signin_page_get_remember (EpSigninPage *self)
{
  g_return_val_if_fail (EP_IS_SIGNIN_PAGE (self), FALSE);
  return gtk_widget_get_sensitive (GTK_WIDGET (self->remember_switch)) &&
         gtk_switch_get_active (self->remember_switch);
}

void
ep_signin_page_set_remember (EpSigninPage *self,
                             gboolean      remember)
{
  g_return_if_fail (EP_IS_SIGNIN_PAGE (self));
  /* Without a keyring the switch stays off. */
  gtk_switch_set_active (self->remember_switch,
                         remember && gtk_widget_get_sensitive (GTK_WIDGET (self->remember_switch)));
}

/* The sentence under Remember Password (what the keyring will do, or why there is none). */
const char *
ep_signin_page_get_remember_note (EpSigninPage *self)
{
  g_return_val_if_fail (EP_IS_SIGNIN_PAGE (self), NULL);
  return adw_action_row_get_subtitle (self->remember_row);
}
