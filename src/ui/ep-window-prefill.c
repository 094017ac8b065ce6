/* ep-window-prefill.c — a composer filled in from a mailto: link and files to attach
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `epistle 'mailto:…' --attach FILE` asks for goes straight into the
 * composer's fields, whether or not the window is signed in yet: signing in
 * keeps the composer's contents, so nothing waits in a side list that could
 * be lost. A file that cannot be attached is named in a toast.
 */
#include <glib/gi18n.h>

#include "ep-window-private.h"

static void
fill_recipients (EpWindow           *self,
                 EpRecipientEntry   *entry,
                 const char * const *addresses,
                 const char         *shown_property)
{
  g_autofree char *text = NULL;

  if (addresses == NULL || addresses[0] == NULL)
    return;
  text = g_strjoinv (", ", (char **) addresses);
  ep_recipient_entry_set_text (entry, text);
  if (shown_property != NULL)
    g_object_set (self, shown_property, TRUE, NULL);
}

static void
on_map_focus_cb (EpWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, on_map_focus_cb, NULL);
  ep_window_focus_first_empty (self);
}

/**
 * ep_window_prefill:
 * @mailto: (nullable): the link's fields
 * @files: (element-type GFile): files to attach
 *
 * Fills the composer: recipients, subject, the body as plain text in the
 * editor, and attachments. A field the link leaves out keeps what it had.
 */
void
ep_window_prefill (EpWindow       *self,
                   const EpMailto *mailto,
                   GList          *files)
{
  g_autoptr(GSList) list = NULL;

  g_return_if_fail (EP_IS_WINDOW (self));

  if (mailto != NULL)
    {
      fill_recipients (self, self->to_entry, ep_mailto_get_to (mailto), NULL);
      fill_recipients (self, self->cc_entry, ep_mailto_get_cc (mailto), "show-cc");
      fill_recipients (self, self->bcc_entry, ep_mailto_get_bcc (mailto), "show-bcc");
      if (ep_mailto_get_subject (mailto) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), ep_mailto_get_subject (mailto));
      if (ep_mailto_get_body (mailto) != NULL)
        ep_rich_editor_set_text (self->editor, ep_mailto_get_body (mailto));
      if (ep_mailto_asks_to_attach (mailto))
        ep_window_toast (self, _("The link asked to attach a file, which a link may not do: "
                                 "attach files yourself"));
    }
  for (GList *l = files; l != NULL; l = l->next)
    list = g_slist_prepend (list, l->data);
  list = g_slist_reverse (list);
  /* Each refusal reaches on_attachment_refused_cb, which names the file in a toast. */
  ep_attachment_bar_add_files (self->attachments, list);
  ep_window_actions_update (self);
  if (g_strcmp0 (ep_window_get_page (self), "signin") == 0)
    ep_window_toast (self, _("Once you sign in, the composer opens with what you asked to send"));
  if (g_strcmp0 (ep_window_get_page (self), "compose") != 0)
    return;   /* signing in sets the focus */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ep_window_focus_first_empty (self);
  else   /* a new window gives its first focus when shown */
    g_signal_connect (self, "map", G_CALLBACK (on_map_focus_cb), NULL);
}

/* The composer's focus where writing goes on: To, else the subject, else the end of the
 * body, so a composer filled in by a link never has its recipients selected for typing over. */
void
ep_window_focus_first_empty (EpWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_assert (EP_IS_WINDOW (self));

  if (*ep_recipient_entry_get_text (self->to_entry) == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->to_entry));
      return;
    }
  if (*gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)) == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->subject_entry));
      return;
    }
  buffer = ep_rich_editor_get_buffer (self->editor);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_widget_grab_focus (GTK_WIDGET (ep_rich_editor_get_view (self->editor)));
}

/* Shows @text in a toast over the window, for the application's news. */
void
ep_window_add_toast (EpWindow   *self,
                     const char *text)
{
  g_return_if_fail (EP_IS_WINDOW (self));
  g_return_if_fail (text != NULL);
  ep_window_toast (self, text);
}

/* TRUE once an account and its secret are in memory, so a new window can share them. */
gboolean
ep_window_is_signed_in (EpWindow *self)
{
  g_return_val_if_fail (EP_IS_WINDOW (self), FALSE);
  return self->account != NULL && self->secret != NULL;
}

/**
 * ep_window_share_account:
 * @signed_in: a window that is signed in
 *
 * Signs @self in with @signed_in's account and secret, without asking for
 * the password again: a second composer in the same run.
 */
void
ep_window_share_account (EpWindow *self,
                         EpWindow *signed_in)
{
  g_return_if_fail (EP_IS_WINDOW (self));
  g_return_if_fail (EP_IS_WINDOW (signed_in));
  g_return_if_fail (ep_window_is_signed_in (signed_in));

  ep_window_use_account (self, signed_in->account, signed_in->secret, signed_in->size_limit);
}
