/* ep-window.c — the compose window: account, recipients, subject, body, attachments, send
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three pages in a stack: the demo servers starting, the sign-in form, and
 * the signed-in views, Compose and Inbox, under a view switcher. The window keeps the account and its secret (in memory
 * only); actions live in ep-window-actions.c and the send in
 * ep-window-send.c.
 */
#include <glib/gi18n.h>

#include "ep-bench-probe.h"
#include "ep-window-private.h"

G_DEFINE_FINAL_TYPE (EpWindow, ep_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SHOW_CC,
  PROP_SHOW_BCC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The mailbox the Inbox view shows, under the name its selector gives it ("Sent", "已发送"). */
static const char *
mailbox_title (EpWindow *self)
{
  GtkDropDown *dropdown = ep_inbox_view_get_mailbox_dropdown (self->inbox_view);
  gpointer item = dropdown != NULL ? gtk_drop_down_get_selected_item (dropdown) : NULL;

  return GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (item) : _("Inbox");
}

/* The header follows the page: the Compose/Inbox switcher once signed in, Send and Attach
 * while composing. Called for every change of page or view, and of the switcher's width. */
static void
on_view_changed_cb (EpWindow *self)
{
  const char *page, *view;
  gboolean signed_in, composing;

  if (self->main_stack == NULL || self->view_stack == NULL || self->window_title == NULL ||
      self->switcher_bar == NULL)
    return;   /* the template is still being built */
  page = gtk_stack_get_visible_child_name (self->main_stack);
  view = adw_view_stack_get_visible_child_name (self->view_stack);
  signed_in = g_strcmp0 (page, "compose") == 0;
  composing = signed_in && g_strcmp0 (view, "compose") == 0;
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title, signed_in);
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    signed_in && adw_view_switcher_title_get_title_visible (self->window_title));
  adw_view_switcher_title_set_title (self->window_title,
                                     composing ? _("New Message")
                                     : !signed_in ? _("Epistle")
                                     : g_strcmp0 (view, "outbox") == 0 ? _("Outbox") : mailbox_title (self));
  gtk_widget_set_visible (GTK_WIDGET (self->send_button), composing);
  gtk_widget_set_visible (GTK_WIDGET (self->attach_button), composing);
  ep_window_actions_update (self);
}

static void
show_page (EpWindow   *self,
           const char *name)
{
  gtk_stack_set_visible_child_name (self->main_stack, name);
  on_view_changed_cb (self);
}

static char *
describe_sender (EpAccount *account)
{
  const char *name = ep_account_get_display_name (account);

  if (name == NULL || *name == '\0')
    return g_strdup (ep_account_get_address (account));
  return g_strdup_printf ("%s <%s>", name, ep_account_get_address (account));
}

static void
wipe_secret (EpWindow *self)
{
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_clear_pointer (&self->secret, g_free);
}

/**
 * ep_window_use_account:
 * @secret: kept in memory for this run only
 * @size_limit: the SIZE the server announced, 0 if none
 *
 * Switches to the composer for @account. The composer's contents stay.
 */
void
ep_window_use_account (EpWindow   *self,
                       EpAccount  *account,
                       const char *secret,
                       guint64     size_limit)
{
  g_autofree char *from = NULL;
  g_autoptr(EpImapWorker) worker = NULL;

  g_return_if_fail (EP_IS_WINDOW (self));
  g_return_if_fail (EP_IS_ACCOUNT (account));

  ep_window_check_reset (self);   /* a check of the account used before is moot */
  g_set_object (&self->account, account);
  wipe_secret (self);
  self->secret = g_strdup (secret);
  self->size_limit = size_limit;
  ep_attachment_bar_set_size_limit (self->attachments, size_limit);

  /* The Inbox reads the same account's IMAP server with the same secret, when it is shown. */
  worker = ep_account_create_imap_worker (account, secret);
  ep_inbox_view_set_worker (self->inbox_view, worker, ep_account_get_imap_host (account),
                            ep_account_get_imap_port (account));
  ep_window_outbox_use_account (self);

  if (secret != NULL && self->session_secrets != NULL)
    g_hash_table_replace (self->session_secrets, g_ascii_strdown (ep_account_get_address (account), -1),
                          g_strdup (secret));
  from = describe_sender (account);
  gtk_label_set_text (self->from_label, from);
  ep_window_accounts_refresh (self);
  adw_view_switcher_title_set_subtitle (self->window_title, ep_account_get_address (account));
  show_page (self, "compose");
  ep_window_focus_first_empty (self);
  ep_window_drafts_signed_in (self);
}

static void
on_signed_in_cb (EpWindow     *self,
                 EpAccount    *account,
                 const char   *secret,
                 EpServerInfo *info)
{
  if (self->demo == NULL)
    ep_window_accounts_signed_in (self, account, secret);
  ep_window_use_account (self, account, secret, ep_server_info_get_size_limit (info));
}

static void
on_signin_back_cb (EpWindow *self)
{
  if (self->account != NULL && self->secret != NULL)
    show_page (self, "compose");
  ep_window_accounts_refresh (self);   /* the From chooser shows the account still in use */
}

static void
on_banner_dismiss_cb (EpWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  g_clear_pointer (&self->banner, g_free);
}

static void
on_attachment_refused_cb (EpWindow   *self,
                          const char *message)
{
  ep_window_toast (self, message);
}

static void
on_recipients_changed_cb (EpWindow *self)
{
  ep_window_actions_update (self);
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            EpWindow      *self)
{
  GSList *files;
  GSList *rest = NULL;
  double editor_x, editor_y;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->account == NULL || self->pending != NULL)
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  /* Images dropped onto the text go inline; everything else is attached. */
  if (gtk_widget_translate_coordinates (self->compose_box, GTK_WIDGET (self->editor), x, y,
                                        &editor_x, &editor_y))
    rest = ep_rich_editor_drop_files (self->editor, files, editor_x, editor_y);
  else
    rest = g_slist_copy (files);
  ep_attachment_bar_add_files (self->attachments, rest);
  g_slist_free (rest);
  g_slist_free (files);
  return TRUE;
}

/* Demo: the servers are up and alice is signed in. */
static void
on_demo_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(EpAccount) account = ep_demo_start_finish (EP_DEMO (source), result, &secret, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (self->starting_spinner, FALSE);
  if (account == NULL)
    {
      adw_status_page_set_title (self->starting_page, _("The Demo Could Not Start"));
      adw_status_page_set_description (self->starting_page, error->message);
      adw_status_page_set_icon_name (self->starting_page, "dialog-error-symbolic");
      return;
    }
  gtk_label_set_text (self->demo_label,
                      _("Demo: you are alice@example.test on mail servers running on this computer. "
                        "Write to bob@example.test or carol@example.test; nothing leaves this computer."));
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), TRUE);
  ep_window_use_account (self, account, secret, ep_demo_get_size_limit (EP_DEMO (source)));
  wipe_secret (self);
  self->secret = g_steal_pointer (&secret);
}

static void
start_demo (EpWindow *self)
{
  self->demo = ep_demo_new ();
  show_page (self, "starting");
  gtk_spinner_set_spinning (self->starting_spinner, TRUE);
  ep_demo_start_async (self->demo, self->cancellable, on_demo_started_cb, g_object_ref (self));
}

static void
start_signed_out (EpWindow *self)
{
  show_page (self, "signin");
  ep_window_accounts_start (self);   /* the saved accounts, and their secrets from the keyring */
}

static void
load_recent (EpWindow *self)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "epistle", "recent-addresses", NULL);
  g_autoptr(GError) error = NULL;
  EpRecipientEntry *entries[] = { self->to_entry, self->cc_entry, self->bcc_entry };

  self->recent = ep_recent_addresses_new (path);
  if (!ep_recent_addresses_load (self->recent, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("Addresses sent to before could not be read: %s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    ep_recipient_entry_set_recent (entries[i], self->recent);
}

static void
on_demo_stopped_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (!ep_demo_stop_finish (EP_DEMO (source), result, &error))
    g_warning ("The demo mail servers did not stop cleanly: %s", error->message);
  gtk_window_destroy (GTK_WINDOW (self));
  if (app != NULL)
    g_application_release (app);
}

static gboolean
ep_window_close_request (GtkWindow *window)
{
  EpWindow *self = EP_WINDOW (window);
  GApplication *app = G_APPLICATION (gtk_window_get_application (window));

  if (!ep_window_drafts_close (self))   /* nothing typed is lost */
    return TRUE;
  ep_window_cancel_send (self);
  g_cancellable_cancel (self->cancellable);
  if (self->demo != NULL && !self->closing)
    {
      /* The window goes at once; the servers take a second or two to stop behind it. */
      self->closing = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      if (app != NULL)
        g_application_hold (app);
      ep_demo_stop_async (self->demo, on_demo_stopped_cb, g_object_ref (self));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (ep_window_parent_class)->close_request (window);
}

static void
ep_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EpWindow *self = EP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_CC:
      g_value_set_boolean (value, self->show_cc);
      break;
    case PROP_SHOW_BCC:
      g_value_set_boolean (value, self->show_bcc);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reveal_field (EpWindow         *self,
              GtkWidget        *label,
              EpRecipientEntry *entry,
              gboolean          shown)
{
  gtk_widget_set_visible (label, shown);
  gtk_widget_set_visible (GTK_WIDGET (entry), shown);
  if (shown && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (entry));
}

static void
ep_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EpWindow *self = EP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_CC:
      if (self->show_cc == g_value_get_boolean (value))
        break;
      self->show_cc = g_value_get_boolean (value);
      reveal_field (self, self->cc_label, self->cc_entry, self->show_cc);
      g_object_notify_by_pspec (object, pspec);   /* the Cc button shows the state */
      break;
    case PROP_SHOW_BCC:
      if (self->show_bcc == g_value_get_boolean (value))
        break;
      self->show_bcc = g_value_get_boolean (value);
      reveal_field (self, self->bcc_label, self->bcc_entry, self->show_bcc);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ep_window_dispose (GObject *object)
{
  EpWindow *self = EP_WINDOW (object);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  ep_window_drafts_dispose (self);
  ep_window_undo_dispose (self);
  ep_window_outbox_dispose (self);
  ep_window_check_dispose (self);
  g_clear_object (&self->demo);
  ep_window_accounts_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_WINDOW);
  g_clear_object (&self->send_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sender);
  g_clear_object (&self->account);
  g_clear_object (&self->recent);
  g_clear_object (&self->last_sent);
  G_OBJECT_CLASS (ep_window_parent_class)->dispose (object);
}

static void
ep_window_finalize (GObject *object)
{
  EpWindow *self = EP_WINDOW (object);

  wipe_secret (self);
  g_free (self->banner);
  g_free (self->sent_copy_note);
  g_strfreev (self->declined);
  G_OBJECT_CLASS (ep_window_parent_class)->finalize (object);
}

static void
ep_window_class_init (EpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = ep_window_get_property;
  object_class->set_property = ep_window_set_property;
  object_class->dispose = ep_window_dispose;
  object_class->finalize = ep_window_finalize;
  window_class->close_request = ep_window_close_request;

  properties[PROP_SHOW_CC] =
    g_param_spec_boolean ("show-cc", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_BCC] =
    g_param_spec_boolean ("show-bcc", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (EP_TYPE_ATTACHMENT_BAR);
  g_type_ensure (EP_TYPE_INBOX_VIEW);
  g_type_ensure (EP_TYPE_OUTBOX_VIEW);
  g_type_ensure (EP_TYPE_RECIPIENT_ENTRY);
  g_type_ensure (EP_TYPE_RICH_EDITOR);
  g_type_ensure (EP_TYPE_SEND_STATUS);
  g_type_ensure (EP_TYPE_SIGNIN_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, inbox_view);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, outbox_view);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, outbox_page);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, move_button);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, signin_again_button);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, attach_button);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, starting_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, starting_page);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, signin_page);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, compose_box);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, from_label);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, cc_label);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, bcc_label);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, to_entry);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, cc_entry);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, bcc_entry);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, editor);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, attachments);
  gtk_widget_class_bind_template_child (widget_class, EpWindow, send_status);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_signin_back_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_dismiss_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_attachment_refused_cb);

  ep_window_actions_install (widget_class);
  ep_window_check_install (widget_class);
}

static void
name_recipient_field (EpRecipientEntry *entry,
                      const char       *name)
{
  GtkEditable *editable = ep_recipient_entry_get_editable (entry);

  gtk_accessible_update_property (GTK_ACCESSIBLE (editable), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
ep_window_init (EpWindow *self)
{
  EpRecipientEntry *entries[3];
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  ep_window_accounts_init (self);
  ep_window_actions_init (self);

  entries[0] = self->to_entry;
  entries[1] = self->cc_entry;
  entries[2] = self->bcc_entry;
  name_recipient_field (self->to_entry, _("To"));
  name_recipient_field (self->cc_entry, _("Cc"));
  name_recipient_field (self->bcc_entry, _("Bcc"));
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_signal_connect_swapped (entries[i], "notify::valid", G_CALLBACK (on_recipients_changed_cb), self);
      g_signal_connect_swapped (entries[i], "notify::n-addresses", G_CALLBACK (on_recipients_changed_cb), self);
    }

  /* Files dropped anywhere on the composer are attachments, even over the text. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drop), GTK_PHASE_CAPTURE);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (self->compose_box, GTK_EVENT_CONTROLLER (drop));

  /* The title names the mailbox shown, which its selector changes. */
  g_signal_connect_object (ep_inbox_view_get_mailbox_dropdown (self->inbox_view), "notify::selected-item",
                           G_CALLBACK (on_view_changed_cb), self, G_CONNECT_SWAPPED);

  load_recent (self);
  ep_window_drafts_init (self);

  ep_bench_probe_attach (GTK_WINDOW (self));   /* bench/window: inert unless EPISTLE_BENCH_* is set */
}

EpWindow *
ep_window_new (EpApplication *app,
               gboolean       demo)
{
  EpWindow *self = g_object_new (EP_TYPE_WINDOW, "application", app, NULL);

  ep_window_outbox_init (self, app);
  if (demo)
    start_demo (self);
  else
    start_signed_out (self);
  return self;
}

/* Returns: "starting", "signin" or "compose" */
const char *
ep_window_get_page (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/* Returns: (nullable): the failure sentence shown over the composer */
const char *
ep_window_get_banner (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), NULL);
  return self->banner;
}

gboolean
ep_window_is_sending (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), FALSE);
  return self->send_cancellable != NULL || self->pending != NULL;
}
