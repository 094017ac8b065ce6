/* ep-signin-page.c — the account form: provider presets, hints, background verification
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The address's domain picks the servers from core's preset table; any
 * other domain opens the manual fields: outgoing (SMTP) and incoming (IMAP),
 * whose server may be left empty (then no Sent copy is saved and there is no
 * Inbox). "Sign In" verifies both servers in the background
 * (ep-signin-page-check.c), then this page emits "signed-in" with the
 * account, the secret and what the SMTP server announced. The secret is
 * never stored by this page.
 */
#include <glib/gi18n.h>

#include <adwaita.h>

#include "ep-application.h"
#include "ep-provider.h"
#include "ep-signin-page.h"
#include "ep-signin-page-private.h"

G_DEFINE_FINAL_TYPE (EpSigninPage, ep_signin_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SIGNED_IN,
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

EpSecurity
ep_signin_page_security_from_row (guint row)
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

void
ep_signin_page_show_error (EpSigninPage *self,
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
  g_autofree char *old_port = g_strdup_printf ("%u", default_port (ep_signin_page_security_from_row (old_row)));
  g_autofree char *new_port = g_strdup_printf ("%u", default_port (ep_signin_page_security_from_row (new_row)));
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

/* Both servers answered: the window takes the account. */
void
ep_signin_page_signed_in (EpSigninPage *self,
                          EpServerInfo *info)
{
  g_autoptr(EpAccount) account = g_object_ref (self->account);

  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, account,
                 gtk_editable_get_text (GTK_EDITABLE (self->password_entry)), info);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
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
    g_signal_handlers_disconnect_by_data (self->sender, self);   /* its progress */
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
  ep_signin_page_show_error (self, NULL);
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
  *security = ep_signin_page_security_from_row (gtk_drop_down_get_selected (self->security_dropdown));
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
  *security = ep_signin_page_security_from_row (gtk_drop_down_get_selected (self->imap_security_dropdown));
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
