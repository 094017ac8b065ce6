/* ep-window-send.c — from the composer's fields to a sent message, and what the person sees
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send runs in core's worker thread (ep_sender_send_async); this file
 * only reads the fields, asks the questions worth asking once, shows
 * progress and turns the outcome into words. On any failure every field
 * stays exactly as it was.
 */
#include <glib/gi18n.h>

#include "ep-compose-check.h"
#include "ep-dialog.h"
#include "ep-imap-worker.h"
#include "ep-server-text.h"
#include "ep-window-private.h"

#define DEMO_POLL_MS 200
#define DEMO_POLL_TRIES 50

/* What the composer held when the send began: cleared afterwards only if unchanged. */
typedef struct
{
  char *fields;
  guint n_attachments;
} Snapshot;

char *
ep_window_snapshot_fields (EpWindow *self)
{
  g_autofree char *body = ep_rich_editor_dup_text (self->editor);

  return g_strjoin ("\x1f", ep_recipient_entry_get_text (self->to_entry),
                    ep_recipient_entry_get_text (self->cc_entry),
                    ep_recipient_entry_get_text (self->bcc_entry),
                    gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)), body, NULL);
}

void
ep_window_toast (EpWindow   *self,
                 const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
ep_window_show_banner (EpWindow   *self,
                       const char *sentence)
{
  ep_window_outbox_clear_offer (self);
  if (self->signin_again_button != NULL)
    gtk_widget_set_visible (self->signin_again_button, FALSE);
  if (self->details_button != NULL)
    gtk_widget_set_visible (self->details_button, TRUE);
  g_free (self->banner);
  self->banner = g_strdup (sentence);
  gtk_label_set_text (self->banner_label, sentence ? sentence : "");
  gtk_revealer_set_reveal_child (self->banner_revealer, sentence != NULL);
}

static gboolean
add_recipients (EpMessage        *message,
                EpRecipientKind   kind,
                EpRecipientEntry *entry,
                GError          **error)
{
  g_autoptr(EpAddressList) list = ep_recipient_entry_dup_addresses (entry, error);

  if (list == NULL)
    return FALSE;
  ep_message_add_recipients (message, kind, list);
  return TRUE;
}

static EpMessage *
build_message (EpWindow  *self,
               GError   **error)
{
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_account_dup_from (self->account);
  g_auto(GStrv) paths = NULL;

  ep_message_set_from (message, from);
  if (!add_recipients (message, EP_RECIPIENT_TO, self->to_entry, error) ||
      !add_recipients (message, EP_RECIPIENT_CC, self->cc_entry, error) ||
      !add_recipients (message, EP_RECIPIENT_BCC, self->bcc_entry, error))
    return NULL;
  ep_message_set_subject (message, gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));
  /* Plain text alone when nothing is formatted; else HTML, its plain twin and inline images. */
  if (!ep_rich_editor_fill_message (self->editor, message, error))
    return NULL;
  paths = ep_attachment_bar_dup_paths (self->attachments);
  for (guint i = 0; paths[i] != NULL; i++)
    ep_message_add_attachment (message, paths[i]);
  return g_steal_pointer (&message);
}

static void
on_question_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         EpWindow         *self)
{
  if (g_str_equal (response, "send"))
    ep_window_send (self, TRUE, FALSE);
}

/* Asks once about an empty subject or a forgotten attachment; FALSE when nothing to ask. */
static gboolean
ask_before_sending (EpWindow  *self,
                    EpMessage *message)
{
  const char *subject = ep_message_get_subject (message);
  gboolean no_subject = subject == NULL || *subject == '\0';
  gboolean forgotten = ep_attachment_bar_get_n_files (self->attachments) == 0 &&
                       ep_compose_mentions_attachment (ep_message_get_text (message));
  GtkWidget *dialog;

  if (!no_subject && !forgotten)
    return FALSE;
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   forgotten ? _("Send Without an Attachment?")
                                             : _("Send Without a Subject?"),
                                   NULL);
  if (forgotten && no_subject)
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("The message mentions an attachment, but no file is attached, "
                                   "and it has no subject."));
  else if (forgotten)
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("The message mentions an attachment, but no file is attached."));
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("Recipients may overlook a message without a subject."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"),
                                    "send", _("Send Anyway"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_question_response_cb), self);
  ep_dialog_name_buttons_once (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
on_progress_cb (EpSender *sender,
                guint     stage,
                guint64   done,
                guint64   total,
                EpWindow *self)
{
  ep_send_status_progress (self->send_status, stage, done, total);
}

void
ep_window_clear_composer (EpWindow *self)
{
  ep_recipient_entry_set_text (self->to_entry, "");
  ep_recipient_entry_set_text (self->cc_entry, "");
  ep_recipient_entry_set_text (self->bcc_entry, "");
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), "");
  ep_rich_editor_set_text (self->editor, "");
  ep_attachment_bar_clear (self->attachments);
  gtk_widget_grab_focus (GTK_WIDGET (self->to_entry));
}

/* "bob@example.test, carol@example.test and 2 others" */
static char *
describe_accepted (EpSendResult *result)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n = ep_send_result_get_n_recipients (result);
  guint shown, rest;
  g_autofree char *head = NULL;

  for (guint i = 0; i < n; i++)
    {
      gboolean accepted;
      const char *address = ep_send_result_get_recipient (result, i, &accepted, NULL);

      if (accepted)
        g_ptr_array_add (names, (gpointer) address);
    }
  if (names->len == 1)
    return g_strdup (g_ptr_array_index (names, 0));
  shown = MIN (names->len, 3) - 1;
  rest = names->len - shown;
  g_ptr_array_set_size (names, shown);
  g_ptr_array_add (names, NULL);
  head = g_strjoinv (", ", (char **) names->pdata);
  if (rest == 1)
    /* Translators: "bob@example.test and carol@example.test" (the last of a list) */
    return g_strdup_printf (_("%s and %s"), head,
                            ep_send_result_get_recipient (result, n - 1, NULL, NULL));
  /* Translators: "bob@example.test, carol@example.test and 3 others" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u other", "%s and %u others", rest),
                          head, rest);
}

typedef struct
{
  EpWindow *window;
  char *address;
  guint before;
  guint tries;
} DemoPoll;

static void
demo_poll_free (gpointer data)
{
  DemoPoll *poll = data;

  g_clear_weak_pointer (&poll->window);
  g_free (poll->address);
  g_free (poll);
}

/* Demo: says how many messages the first recipient's inbox holds once the new one is in. */
static gboolean
on_demo_poll_cb (gpointer data)
{
  DemoPoll *poll = data;
  guint count;
  g_autofree char *text = NULL;

  /* Weak: the poll never keeps a closed window alive. */
  if (poll->window == NULL || poll->window->demo == NULL || poll->window->closing)
    return G_SOURCE_REMOVE;
  count = ep_demo_count_inbox (poll->window->demo, poll->address);
  if (count <= poll->before && ++poll->tries < DEMO_POLL_TRIES)
    return G_SOURCE_CONTINUE;
  /* Translators: "bob@example.test now has 3 messages in the inbox" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s now has %u message in the inbox",
                                       "%s now has %u messages in the inbox", count),
                          poll->address, count);
  ep_window_toast (poll->window, text);
  return G_SOURCE_REMOVE;
}

/* Demo: the first recipient who is a demo user, whose inbox the toast reports. */
static const char *
first_demo_recipient (EpWindow  *self,
                      EpMessage *message)
{
  EpRecipientKind kinds[] = { EP_RECIPIENT_TO, EP_RECIPIENT_CC, EP_RECIPIENT_BCC };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      const EpAddressList *list = ep_message_get_recipients (message, kinds[k]);

      for (guint i = 0; list != NULL && i < ep_address_list_get_length (list); i++)
        {
          const char *address = ep_address_get_addr_spec (ep_address_list_get (list, i));

          if (ep_demo_has_user (self->demo, address))
            return address;
        }
    }
  return NULL;
}

static void
watch_demo_inbox (EpWindow  *self,
                  EpMessage *message)
{
  const char *address = first_demo_recipient (self, message);
  DemoPoll *poll;

  if (address == NULL)
    return;
  poll = g_new0 (DemoPoll, 1);
  g_set_weak_pointer (&poll->window, self);
  poll->address = g_strdup (address);
  poll->before = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->sender), "demo-before"));
  g_timeout_add_full (G_PRIORITY_DEFAULT, DEMO_POLL_MS, on_demo_poll_cb, poll, demo_poll_free);
}

static void
remember_recipients (EpWindow  *self,
                     EpMessage *message)
{
  g_autoptr(GError) error = NULL;
  EpRecipientKind kinds[] = { EP_RECIPIENT_TO, EP_RECIPIENT_CC, EP_RECIPIENT_BCC };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    ep_recent_addresses_add_list (self->recent, ep_message_get_recipients (message, kinds[i]));
  if (self->demo == NULL && !ep_recent_addresses_save (self->recent, &error))
    g_warning ("Addresses sent to could not be saved: %s", error->message);
}

/* Copies that earlier sends kept on this computer, saved now that saving works again. */
static void
on_kept_copies_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapUnsavedReport) report = NULL;
  g_autofree char *text = NULL;

  report = ep_imap_worker_retry_unsaved_finish (EP_IMAP_WORKER (source), result, &error);
  if (report == NULL || (report->saved == 0 && report->failed->len == 0))
    return;  /* nothing was kept, or the window is closing; a failure here changes nothing kept */
  if (report->failed->len == 0)
    /* Translators: %s is a mail folder, “Sent” or “已发送” */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u earlier copy kept on this computer is now in “%s”.",
                                         "%u earlier copies kept on this computer are now in “%s”.",
                                         report->saved), report->saved, report->mailbox);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u earlier copy is still kept on this computer: %s",
                                         "%u earlier copies are still kept on this computer: %s",
                                         report->failed->len), report->failed->len,
                            ((EpImapUnsavedFailure *) g_ptr_array_index (report->failed, 0))->reason);
  ep_window_toast (self, text);
}

static void
on_sent_copy_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  gboolean already = FALSE;

  if (!ep_imap_worker_save_sent_finish (EP_IMAP_WORKER (source), result, &folder, &already, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;  /* the window is closing */
      g_free (self->sent_copy_note);
      /* Translators: %s says why, and where the message is kept instead */
      self->sent_copy_note = g_strdup_printf (_("The message was sent, but no copy could be saved in "
                                                "your Sent folder. %s"), error->message);
      ep_window_toast (self, self->sent_copy_note);
      return;
    }
  g_free (self->sent_copy_note);
  /* Translators: %s is a mail folder, “Sent” or “已发送” */
  self->sent_copy_note = g_strdup_printf (already ? _("A copy was already in “%s”.")
                                                  : _("A copy is in “%s”."), folder);
  ep_imap_worker_retry_unsaved_async (EP_IMAP_WORKER (source), ep_account_get_address (self->account),
                                      self->cancellable, on_kept_copies_cb, g_object_ref (self));
}

/* The exact bytes sent go to the account's Sent folder, unless the provider files them itself. */
static void
save_sent_copy (EpWindow     *self,
                EpSendResult *result)
{
  g_autoptr(EpImapWorker) worker = NULL;

  g_clear_pointer (&self->sent_copy_note, g_free);
  if (ep_account_get_files_sent (self->account) || ep_send_result_get_message (result) == NULL)
    return;
  worker = ep_account_create_imap_worker (self->account, self->secret);
  if (worker == NULL)
    return;   /* no IMAP server known for this account */
  ep_imap_worker_save_sent_async (worker, result, self->cancellable, on_sent_copy_cb, g_object_ref (self));
}

static void
sent (EpWindow     *self,
      EpMessage    *message,
      EpSendResult *result,
      const char   *snapshot)
{
  guint n = ep_send_result_get_n_accepted (result);
  g_autofree char *outcome = NULL;
  g_autofree char *who = describe_accepted (result);
  g_autofree char *toast = NULL;
  g_autofree char *now = ep_window_snapshot_fields (self);

  /* Translators: shown after a send */
  outcome = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sent to %u recipient",
                                          "Sent to %u recipients", n), n);
  ep_send_status_finish (self->send_status, outcome);
  /* The server's own words stay at hand: "250 2.0.0 Ok: queued as 4F3A2B" */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_status), ep_send_result_get_final_reply (result));
  /* Translators: %s lists who received it */
  toast = g_strdup_printf (_("Sent to %s"), who);
  ep_window_toast (self, toast);
  remember_recipients (self, message);
  g_set_object (&self->last_sent, message);
  save_sent_copy (self, result);
  if (self->demo != NULL)
    watch_demo_inbox (self, message);
  if (g_strcmp0 (now, snapshot) == 0 &&
      ep_message_get_n_attachments (message) == ep_attachment_bar_get_n_files (self->attachments))
    ep_window_clear_composer (self);
  else
    ep_window_toast (self, _("The message was sent; what you changed while it was sending is still here."));
  ep_window_drafts_sent (self);
}

static void
on_refused_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        EpWindow         *self)
{
  if (g_str_equal (response, "others"))
    ep_window_send (self, TRUE, TRUE);
}

/* One refused address, and under it the server's reason in its own words. */
static GtkWidget *
refusal_row (const char *address,
             const char *reply)
{
  g_autofree char *shown = ep_server_text_to_display (reply ? reply : "", -1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *who = gtk_label_new (address);
  GtkWidget *why = gtk_label_new (shown);

  gtk_label_set_xalign (GTK_LABEL (who), 0);
  gtk_label_set_wrap (GTK_LABEL (who), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (who), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (who, "heading");
  gtk_label_set_xalign (GTK_LABEL (why), 0);
  gtk_label_set_wrap (GTK_LABEL (why), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (why), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (why), TRUE);
  gtk_widget_add_css_class (why, "dim-label");
  gtk_box_append (GTK_BOX (box), who);
  gtk_box_append (GTK_BOX (box), why);
  return box;
}

/* Lists every refused address with the server's reason; offers the others if any were accepted. */
static void
ask_about_refusals (EpWindow     *self,
                    EpSendResult *result)
{
  guint n = ep_send_result_get_n_recipients (result);
  guint n_accepted = ep_send_result_get_n_accepted (result);
  guint n_refused = n - n_accepted;
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  g_autoptr(GStrvBuilder) refused = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    {
      gboolean accepted;
      const char *reply = NULL;
      const char *address = ep_send_result_get_recipient (result, i, &accepted, &reply);

      if (!accepted)
        {
          gtk_box_append (GTK_BOX (list), refusal_row (address, reply));
          g_strv_builder_add (refused, address);
        }
    }
  /* "Send to the Others" leaves out these, and only these (an Outbox try too). */
  g_strfreev (self->declined);
  self->declined = g_strv_builder_end (refused);
  if (n_accepted > 0)
    body = g_strdup (g_dngettext (GETTEXT_PACKAGE,
                                  "Nothing was sent yet. Correct the address, or send the message to "
                                  "the other recipients now.",
                                  "Nothing was sent yet. Correct the addresses, or send the message "
                                  "to the other recipients now.", n_refused));
  else
    body = g_strdup (_("Nothing was sent. Correct the addresses and send again."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   g_dngettext (GETTEXT_PACKAGE, "A Recipient Was Refused",
                                                "Some Recipients Were Refused", n_refused),
                                   body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "back", _("Go Back"), NULL);
  if (n_accepted > 0)
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "others", _("Send to the Others"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "others",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "back");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "back");
  g_signal_connect (dialog, "response", G_CALLBACK (on_refused_response_cb), self);
  ep_dialog_name_buttons_once (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(EpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpSendResult) result = NULL;
  EpMessage *message = g_object_get_data (source, "message");
  const char *snapshot = g_object_get_data (source, "snapshot");
  gboolean ok = ep_sender_send_finish (EP_SENDER (source), res, &result, &error);

  g_signal_handlers_disconnect_by_func (source, on_progress_cb, self);
  if (self->send_cancellable == NULL)
    return;  /* the window went away */
  g_clear_object (&self->send_cancellable);

  if (ok)
    sent (self, message, result, snapshot);
  else if (g_error_matches (error, EP_SMTP_ERROR, EP_SMTP_ERROR_RECIPIENTS))
    {
      ep_send_status_hide (self->send_status);
      ask_about_refusals (self, result);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ep_send_status_hide (self->send_status);
      ep_window_toast (self, _("Sending cancelled. The message was not sent."));
    }
  else
    {
      g_autofree char *sentence = ep_send_status_explain (error, ep_account_get_smtp_host (self->account),
                                                          ep_account_get_smtp_port (self->account));

      ep_send_status_hide (self->send_status);
      ep_window_show_banner (self, sentence);
      ep_window_outbox_offer (self, message, result, error, snapshot,
                              ep_sender_get_partial (EP_SENDER (source))
                                ? (const char * const *) self->declined : NULL);
    }
  ep_window_actions_update (self);
}

/**
 * ep_window_send:
 * @confirmed: the person already answered the empty-subject or attachment question
 * @partial: send to the accepted recipients even if some are refused
 */
void
ep_window_send (EpWindow *self,
                gboolean  confirmed,
                gboolean  partial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMessage) message = NULL;

  if (self->send_cancellable != NULL || self->pending != NULL || self->account == NULL ||
      self->secret == NULL)
    return;
  message = build_message (self, &error);
  if (message == NULL)
    {
      ep_window_show_banner (self, error->message);
      return;
    }
  if (!confirmed && ask_before_sending (self, message))
    return;
  if (!partial)
    g_clear_pointer (&self->declined, g_strfreev);   /* refusals of an earlier send */

  ep_window_show_banner (self, NULL);
  if (!ep_window_undo_begin (self, message, partial))
    ep_window_send_now (self, message, partial);
}

/* Sends @message (built from the composer, which has not changed since) in core's worker. */
void
ep_window_send_now (EpWindow  *self,
                    EpMessage *message,
                    gboolean   partial)
{
  g_clear_object (&self->sender);
  self->sender = ep_account_create_sender (self->account, self->secret);
  ep_sender_set_partial (self->sender, partial);
  g_object_set_data_full (G_OBJECT (self->sender), "message", g_object_ref (message), g_object_unref);
  g_object_set_data_full (G_OBJECT (self->sender), "snapshot", ep_window_snapshot_fields (self), g_free);
  if (self->demo != NULL && first_demo_recipient (self, message) != NULL)
    {
      guint before = ep_demo_count_inbox (self->demo, first_demo_recipient (self, message));

      g_object_set_data (G_OBJECT (self->sender), "demo-before", GUINT_TO_POINTER (before));
    }
  g_signal_connect (self->sender, "progress", G_CALLBACK (on_progress_cb), self);
  self->send_cancellable = g_cancellable_new ();
  ep_send_status_begin (self->send_status, ep_account_get_smtp_host (self->account));
  ep_window_actions_update (self);
  ep_sender_send_async (self->sender, message, self->send_cancellable, on_sent_cb, g_object_ref (self));
}

/* Stops the send in flight, or undoes the one waiting, if any; the message stays as it was. */
void
ep_window_cancel_send (EpWindow *self)
{
  ep_window_undo (self);
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
}

/* Returns: (nullable): where the last message's copy went, or why it did not */
const char *
ep_window_get_sent_copy_note (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), NULL);
  return self->sent_copy_note;
}
