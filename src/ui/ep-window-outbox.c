/* ep-window-outbox.c — the window's side of the Outbox: Move to Outbox, the page, Edit
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When a send fails for a reason that may pass (offline, the server away,
 * a 4xx reply, a timeout), the failure banner offers “Move to Outbox”. It
 * is offered, not done: the composer still holds the message, and the
 * person may rather fix a setting or send it elsewhere; moving it clears
 * the composer, which should never happen behind their back. The Outbox
 * page lists what waits, with a badge; Edit brings a message back here.
 *
 * The outbox itself belongs to the application (one per user, so two
 * windows never send the same entry, and the demo's is under its own
 * data dir); a window made without an application (tests) has its own.
 */
#include <glib/gi18n.h>

#include "ep-window-private.h"

static void
update_page (EpWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->outbox));

  adw_view_stack_page_set_badge_number (self->outbox_page, n);
  adw_view_stack_page_set_needs_attention (self->outbox_page, ep_outbox_get_n_attention (self->outbox) > 0);
}

static void
on_delivered_cb (EpOutbox      *outbox,
                 EpOutboxEntry *entry,
                 const char    *saved_in,
                 const char    *copy_error,
                 EpWindow      *self)
{
  const char *subject = ep_outbox_entry_get_subject (entry);
  const char * const *declined = ep_outbox_entry_get_declined (entry);
  g_autofree char *text = NULL;

  if (subject == NULL || *subject == '\0')
    subject = _("(No Subject)");
  if (declined != NULL)
    {
      /* Sent to the others after "Send to the Others", whose dialog gave the server's reasons. */
      g_autofree char *who = g_strjoinv (", ", (GStrv) declined);

      /* Translators: the first %s is a message's subject, the second lists addresses */
      text = g_strdup_printf (_("“%s” was sent from the Outbox, but not to %s."), subject, who);
    }
  else
    /* Translators: %s is a message's subject */
    text = g_strdup_printf (_("“%s” was sent from the Outbox."), subject);
  ep_window_toast (self, text);
  if (copy_error != NULL)
    {
      g_autofree char *note = g_strdup_printf (_("The message was sent, but no copy could be saved in "
                                                 "your Sent folder. %s"), copy_error);
      ep_window_toast (self, note);
    }
}

static void
on_view_toast_cb (EpOutboxView *view,
                  const char   *text,
                  EpWindow     *self)
{
  ep_window_toast (self, text);
}

static gboolean
composer_is_empty (EpWindow *self)
{
  g_autofree char *body = ep_rich_editor_dup_text (self->editor);
  EpRecipientEntry *entries[] = { self->to_entry, self->cc_entry, self->bcc_entry };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      if (*ep_recipient_entry_get_text (entries[i]) != '\0')
        return FALSE;
    }
  return *gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)) == '\0' &&
         (body == NULL || *body == '\0') && ep_attachment_bar_get_n_files (self->attachments) == 0;
}

static void
fill_recipients (EpWindow        *self,
                 EpRecipientEntry *entry,
                 const char      *property,
                 const EpAddressList *list)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; list != NULL && i < ep_address_list_get_length (list); i++)
    g_ptr_array_add (parts, ep_address_to_string (ep_address_list_get (list, i)));
  g_ptr_array_add (parts, NULL);
  if (property != NULL && parts->len > 1)
    g_object_set (self, property, TRUE, NULL);
  {
    g_autofree char *text = g_strjoinv ("; ", (char **) parts->pdata);
    ep_recipient_entry_set_text (entry, text);
  }
}

/* The HTML names inline images as cid:…; the editor reads them from their files. */
static char *
html_with_files (EpMessage *draft)
{
  GString *html = g_string_new (ep_message_get_html (draft));

  for (guint i = 0; i < ep_message_get_n_inline_images (draft); i++)
    {
      const char *content_id = NULL;
      const char *path = ep_message_get_inline_image (draft, i, &content_id);
      g_autofree char *cid = g_strconcat ("cid:", content_id, NULL);
      g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

      if (uri != NULL)
        g_string_replace (html, cid, uri, 0);
    }
  return g_string_free (html, FALSE);
}

/* Attaches what still exists; returns the names of the files that are gone. */
static char *
fill_attachments (EpWindow  *self,
                  EpMessage *draft)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();

  for (guint i = 0; i < ep_message_get_n_attachments (draft); i++)
    {
      const char *path = ep_message_get_attachment (draft, i);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      if (!ep_attachment_bar_add_file (self->attachments, file, NULL))
        g_ptr_array_add (missing, (gpointer) path);
    }
  if (missing->len == 0)
    return NULL;
  g_ptr_array_add (missing, NULL);
  return g_strjoinv (", ", (char **) missing->pdata);
}

static void
fill_composer (EpWindow  *self,
               EpMessage *draft)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;

  fill_recipients (self, self->to_entry, NULL, ep_message_get_recipients (draft, EP_RECIPIENT_TO));
  fill_recipients (self, self->cc_entry, "show-cc", ep_message_get_recipients (draft, EP_RECIPIENT_CC));
  fill_recipients (self, self->bcc_entry, "show-bcc", ep_message_get_recipients (draft, EP_RECIPIENT_BCC));
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), ep_message_get_subject (draft) ?: "");
  if (ep_message_get_html (draft) != NULL)
    {
      g_autofree char *html = html_with_files (draft);

      if (!ep_rich_editor_load_html (self->editor, html, -1, NULL, &error))
        {
          ep_rich_editor_set_text (self->editor, ep_message_get_text (draft) ?: "");
          ep_window_toast (self, error->message);
        }
    }
  else
    ep_rich_editor_set_text (self->editor, ep_message_get_text (draft) ?: "");
  missing = fill_attachments (self, draft);
  if (missing != NULL)
    {
      /* Translators: %s lists files by their paths */
      g_autofree char *text = g_strdup_printf (_("These attachments no longer exist and were left out: %s"),
                                               missing);
      ep_window_toast (self, text);
    }
}

static void
on_edit_cb (EpOutboxView  *view,
            EpOutboxEntry *entry,
            EpWindow      *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMessage) draft = NULL;

  if (self->pending != NULL || self->send_cancellable != NULL || !composer_is_empty (self))
    {
      ep_window_toast (self, _("Send or clear the message you are writing first, then edit this one."));
      return;
    }
  draft = ep_outbox_dup_draft (self->outbox, entry, &error);
  if (draft == NULL)
    {
      ep_window_toast (self, error->message);
      return;
    }
  /* The entry leaves the Outbox only once the message is safe in Drafts. */
  fill_composer (self, draft);
  adw_view_stack_set_visible_child_name (self->view_stack, "compose");
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
  if (!ep_window_drafts_save (self, &error))
    {
      g_autofree char *text = NULL;

      /* Translators: %s says why */
      text = g_strdup_printf (_("The message could not be saved in Drafts, so it also stays in the Outbox: %s"),
                              error->message);
      ep_window_toast (self, text);
      return;
    }
  if (!ep_outbox_remove (self->outbox, entry, &error))
    ep_window_toast (self, error->message);
}

/**
 * ep_window_set_outbox:
 *
 * Uses @outbox for Move to Outbox and the Outbox page.
 */
void
ep_window_set_outbox (EpWindow *self,
                      EpOutbox *outbox)
{
  g_return_if_fail (EP_IS_WINDOW (self));
  g_return_if_fail (EP_IS_OUTBOX (outbox));

  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->outbox != NULL && self->outbox_owned)
    ep_outbox_stop (self->outbox);
  self->outbox_owned = FALSE;
  g_set_object (&self->outbox, outbox);
  ep_outbox_view_set_outbox (self->outbox_view, outbox);
  g_signal_connect_object (outbox, "delivered", G_CALLBACK (on_delivered_cb), self, 0);
  g_signal_connect_object (outbox, "items-changed", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  ep_window_check_watch (self, outbox);
  update_page (self);
  if (self->account != NULL && self->secret != NULL)
    ep_window_outbox_use_account (self);
}

EpOutbox *
ep_window_get_outbox (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), NULL);
  return self->outbox;
}

/* From ep_window_new (): the application's outbox, or the window's own. */
void
ep_window_outbox_init (EpWindow      *self,
                       EpApplication *app)
{
  g_autoptr(EpOutbox) own = NULL;
  const char *problem = NULL;

  g_signal_connect_object (self->outbox_view, "edit", G_CALLBACK (on_edit_cb), self, 0);
  g_signal_connect_object (self->outbox_view, "toast", G_CALLBACK (on_view_toast_cb), self, 0);
  if (app != NULL)
    {
      /* For the demo too: its user data dir is its own (ep-demo-home.c). */
      ep_window_set_outbox (self, ep_application_get_outbox (app, &problem));
      if (problem != NULL)
        ep_window_toast (self, problem);
      return;
    }
  own = ep_outbox_new (NULL);   /* not loaded: only what this window adds */
  ep_window_set_outbox (self, own);
  self->outbox_owned = TRUE;
}

/* The signed-in account's messages in the outbox may be tried now. */
void
ep_window_outbox_use_account (EpWindow *self)
{
  g_autoptr(EpSender) sender = NULL;
  g_autoptr(EpImapWorker) sent_worker = NULL;

  if (self->outbox == NULL || self->account == NULL || self->secret == NULL)
    return;
  sender = ep_account_create_sender (self->account, self->secret);
  if (!ep_account_get_files_sent (self->account))
    sent_worker = ep_account_create_imap_worker (self->account, self->secret);
  ep_outbox_set_account (self->outbox, ep_account_get_address (self->account), sender, sent_worker);
}

/* Forgets the failed send the banner offered to move. */
void
ep_window_outbox_clear_offer (EpWindow *self)
{
  g_clear_object (&self->offer_message);
  g_clear_object (&self->offer_result);
  g_clear_pointer (&self->offer_snapshot, g_free);
  g_clear_pointer (&self->offer_error, g_free);
  g_clear_pointer (&self->offer_declined, g_strfreev);
  if (self->move_button != NULL)
    gtk_widget_set_visible (self->move_button, FALSE);
  if (self->outbox_page != NULL)
    ep_window_actions_update (self);
}

/**
 * ep_window_outbox_offer:
 * @snapshot: the composer's fields when the send began
 * @declined: (nullable): the refused recipients the person chose to leave out
 *   ("Send to the Others"): every try from the Outbox leaves them out too
 *
 * After a failed send (the banner already says why): offers Move to Outbox
 * when the failure may pass and the message was built.
 */
void
ep_window_outbox_offer (EpWindow     *self,
                        EpMessage    *message,
                        EpSendResult *result,
                        const GError *error,
                        const char   *snapshot,
                        const char * const *declined)
{
  ep_window_outbox_clear_offer (self);
  if (self->outbox == NULL || result == NULL || ep_send_result_get_message (result) == NULL ||
      !ep_outbox_error_is_temporary (error, result))
    return;
  self->offer_message = g_object_ref (message);
  self->offer_result = g_object_ref (result);
  self->offer_snapshot = g_strdup (snapshot);
  self->offer_error = g_strdup (self->banner ? self->banner : error->message);
  self->offer_declined = declined != NULL ? g_strdupv ((GStrv) declined) : NULL;
  gtk_widget_set_visible (self->move_button, TRUE);
  ep_window_actions_update (self);
}

/* Move to Outbox: the message as it was built for the failed send goes to the outbox. */
void
ep_window_outbox_move (EpWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  EpOutboxEntry *entry;

  if (self->offer_message == NULL || self->account == NULL)
    return;
  entry = ep_outbox_add (self->outbox, ep_account_get_address (self->account), self->offer_message,
                         ep_send_result_get_message (self->offer_result),
                         (const char * const *) self->offer_declined,
                         self->offer_error, &error);
  if (entry == NULL)
    {
      ep_window_show_banner (self, error->message);
      return;
    }
  now = ep_window_snapshot_fields (self);
  if (g_strcmp0 (now, self->offer_snapshot) == 0 &&
      ep_message_get_n_attachments (self->offer_message) == ep_attachment_bar_get_n_files (self->attachments))
    {
      ep_window_clear_composer (self);
      ep_window_toast (self, _("The message is in the Outbox. Epistle will send it as soon as it can."));
    }
  else
    ep_window_toast (self, _("The message as it was sent is in the Outbox; what you changed since "
                             "is still here."));
  ep_window_show_banner (self, NULL);
}

void
ep_window_outbox_dispose (EpWindow *self)
{
  ep_window_outbox_clear_offer (self);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->outbox != NULL && self->outbox_owned)
    ep_outbox_stop (self->outbox);
  g_clear_object (&self->outbox);
}
