/* ep-inbox-view-flags.c — the Inbox's read and unread messages
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An unread message's row shows its sender and subject in bold, and tells
 * a screen reader “Unread”. Opening a message marks it read on the server
 * (the worker stores \Seen after fetching it); “Mark as Unread” in the
 * message's menu takes \Seen away again. The list changes once the server
 * has said yes, so it never shows a state the server does not have.
 */
#include <glib/gi18n.h>

#include "ep-inbox-view-private.h"
#include "ep-send-status.h"

gboolean
ep_inbox_message_is_unread (const EpImapMessage *message)
{
  return message->flags != NULL && !g_strv_contains ((const char * const *) message->flags, "\\Seen");
}

void
ep_inbox_message_set_seen (EpImapMessage *message,
                           gboolean       seen)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; message->flags != NULL && message->flags[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (message->flags[i], "\\Seen") != 0)
        g_strv_builder_add (builder, message->flags[i]);
    }
  if (seen)
    g_strv_builder_add (builder, "\\Seen");
  g_strfreev (message->flags);
  message->flags = g_strv_builder_end (builder);
}

/* Bold sender and subject, and the description “Unread”; the row keeps its name. */
void
ep_inbox_row_set_unread (GtkWidget *row,
                         gboolean   unread)
{
  const char * const labels[] = { "ep-sender-label", "ep-subject-label" };
  PangoAttrList *bold = pango_attr_list_new ();

  /* Bold at the list's own size (libadwaita's .heading would make the row taller). */
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkWidget *label = g_object_get_data (G_OBJECT (row), labels[i]);

      if (label == NULL)
        continue;
      gtk_label_set_attributes (GTK_LABEL (label), unread ? bold : NULL);
      if (unread)
        gtk_widget_add_css_class (label, "unread");
      else
        gtk_widget_remove_css_class (label, "unread");
    }
  pango_attr_list_unref (bold);
  if (unread)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    /* Translators: a screen reader says this of an unread message */
                                    _("Unread"), -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* The server has the message read (or unread) now: the list and the fetched copy say so too. */
void
ep_inbox_view_note_seen (EpInboxView *self,
                         guint32      uid,
                         gboolean     seen)
{
  GtkWidget *row = NULL;
  EpImapMessage *listed = ep_inbox_view_find_listed (self, uid, &row);
  EpImapMessage *full = g_hash_table_lookup (self->full, GUINT_TO_POINTER (uid));

  if (listed != NULL)
    {
      ep_inbox_message_set_seen (listed, seen);
      ep_inbox_row_set_unread (row, !seen);
    }
  if (full != NULL)
    ep_inbox_message_set_seen (full, seen);
  ep_inbox_view_update_actions (self);
}

typedef struct
{
  EpInboxView *view;
  char *mailbox;        /* where @uid is: another mailbox chosen since has its own UIDs */
  guint32 uidvalidity;  /* and under which numbering */
  guint32 uid;
  gboolean seen;
} SeenChange;

static void
on_seen_set_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SeenChange *change = user_data;
  g_autoptr(EpInboxView) self = change->view;
  g_autoptr(GError) error = NULL;

  if (ep_imap_worker_set_seen_finish (EP_IMAP_WORKER (source), result, &error))
    {
      if (g_strcmp0 (change->mailbox, self->mailbox) == 0 && change->uidvalidity == self->uidvalidity)
        ep_inbox_view_note_seen (self, change->uid, change->seen);
    }
  else if (g_error_matches (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY))
    {
      /* Nothing was marked; the list is reloaded unless another mailbox or numbering is shown by now. */
      if (g_strcmp0 (change->mailbox, self->mailbox) == 0 && change->uidvalidity == self->uidvalidity)
        ep_inbox_view_check_renumbered (self, error);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *sentence = ep_send_status_explain (error, self->host, self->port);
      g_autofree char *text = change->seen
        /* Translators: the reason follows */
        ? g_strdup_printf (_("The message could not be marked as read: %s"), sentence)
        : g_strdup_printf (_("The message could not be marked as unread: %s"), sentence);

      ep_inbox_view_toast (self, text);
    }
  g_free (change->mailbox);
  g_free (change);
}

static void
set_seen (EpInboxView *self,
          guint32      uid,
          gboolean     seen)
{
  SeenChange *change = g_new0 (SeenChange, 1);

  change->view = g_object_ref (self);
  change->mailbox = g_strdup (self->mailbox);
  change->uidvalidity = self->uidvalidity;
  change->uid = uid;
  change->seen = seen;
  ep_imap_worker_set_seen_async (self->worker, self->mailbox, self->uidvalidity, uid, seen, self->cancellable,
                                 on_seen_set_cb, change);
}

/* A message shown from what was fetched before, but marked unread since: read now. */
void
ep_inbox_view_mark_read (EpInboxView *self,
                         guint32      uid)
{
  EpImapMessage *listed = ep_inbox_view_find_listed (self, uid, NULL);

  if (self->worker != NULL && listed != NULL && ep_inbox_message_is_unread (listed))
    set_seen (self, uid, TRUE);
}

static void
mark_unread_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  EpInboxView *self = EP_INBOX_VIEW (widget);
  EpImapMessage *listed = ep_inbox_view_find_listed (self, self->shown_uid, NULL);

  if (self->worker != NULL && listed != NULL && !ep_inbox_message_is_unread (listed))
    set_seen (self, self->shown_uid, FALSE);
}

void
ep_inbox_view_flags_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "inbox.mark-unread", NULL, mark_unread_action_cb);
}
