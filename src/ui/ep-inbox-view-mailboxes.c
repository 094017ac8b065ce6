/* ep-inbox-view-mailboxes.c — the Inbox's mailbox selector
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A drop-down above the list names the account's mailboxes: the inbox
 * first, then those with a special use (RFC 6154) under their translated
 * names — Sent, Drafts, Archive, Junk, Trash — then the others by name,
 * decoded from modified UTF-7 by core (已发送 shows as such). A mailbox
 * inside another shows its path, level by level, at the delimiter the
 * server gave (“Archive/2025” and “INBOX.Work” as “Archive › 2025” and
 * “Inbox › Work”), sorted after its parent; SELECT gets the real name. A
 * \Noselect mailbox (a level that only holds others) is not offered. The list is
 * asked for once per account, when the view first loads; the choice stays
 * while the view (the window) lives.
 */
#include <glib/gi18n.h>

#include "ep-inbox-view-private.h"
#include "ep-send-status.h"

typedef struct
{
  const char *flag;
  const char *name;
} SpecialUse;

/* In the order the selector lists them. */
static const SpecialUse special_uses[] = {
  { "\\Sent", N_("Sent") },
  { "\\Drafts", N_("Drafts") },
  { "\\Archive", N_("Archive") },
  { "\\Junk", N_("Junk") },
  { "\\Trash", N_("Trash") },
};

static gboolean
is_inbox (const char *name)
{
  return name == NULL || g_ascii_strcasecmp (name, "INBOX") == 0;
}

/* Where a mailbox goes: 0 the inbox, 1… special uses, then the rest. */
static guint
rank (const EpImapMailbox *mailbox)
{
  if (is_inbox (mailbox->name))
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (special_uses); i++)
    {
      if (ep_imap_mailbox_has_flag (mailbox, special_uses[i].flag))
        return i + 1;
    }
  return G_N_ELEMENTS (special_uses) + 1;
}

/* The rank of the mailbox's top level: "Inbox › Work" goes with the Inbox, "Sent › 2025" with
 * Sent. @tops maps each top-level mailbox's path to its rank. */
static guint
group_rank (const EpImapMailbox *mailbox,
            GHashTable          *tops)
{
  g_auto(GStrv) path = ep_imap_mailbox_dup_path (mailbox);
  gpointer top_rank;

  if (path[0] == NULL || path[1] == NULL)
    return rank (mailbox);
  if (is_inbox (path[0]))
    return 0;
  if (g_hash_table_lookup_extended (tops, path[0], NULL, &top_rank))
    return GPOINTER_TO_UINT (top_rank);
  return rank (mailbox);
}

/* Level by level, so that a mailbox follows its parent and precedes the parent's next sibling. */
static int
by_rank_then_path (gconstpointer a,
                   gconstpointer b,
                   gpointer      tops)
{
  const EpImapMailbox *x = *(EpImapMailbox * const *) a;
  const EpImapMailbox *y = *(EpImapMailbox * const *) b;
  guint rx = group_rank (x, tops), ry = group_rank (y, tops);
  g_auto(GStrv) px = NULL;
  g_auto(GStrv) py = NULL;
  guint i;

  if (rx != ry)
    return rx < ry ? -1 : 1;
  px = ep_imap_mailbox_dup_path (x);
  py = ep_imap_mailbox_dup_path (y);
  /* The Inbox is INBOX on the wire whatever its case: it leads its own group. */
  if (is_inbox (px[0]) != is_inbox (py[0]))
    return is_inbox (px[0]) ? -1 : 1;
  for (i = 0; px[i] != NULL && py[i] != NULL; i++)
    {
      int order = g_utf8_collate (px[i], py[i]);

      if (order != 0)
        return order;
    }
  return px[i] == NULL ? (py[i] == NULL ? 0 : -1) : 1;
}

/* The name a person reads: a special use by its translated name, else the path, “Archive › 2025”. */
static char *
display_name (const EpImapMailbox *mailbox)
{
  guint r = rank (mailbox);
  g_auto(GStrv) path = NULL;

  if (r == 0)
    return g_strdup (_("Inbox"));
  if (r <= G_N_ELEMENTS (special_uses))
    return g_strdup (_(special_uses[r - 1].name));
  path = ep_imap_mailbox_dup_path (mailbox);
  if (is_inbox (path[0]))
    {
      g_free (path[0]);
      path[0] = g_strdup (_("Inbox"));
    }
  /* Translators: between the levels of a mailbox inside another, as in “Archive › 2025” */
  return g_strjoinv (_(" › "), path);
}

/* Replaces the selector's items, choosing @current (an index into @names) without reloading. */
static void
fill (EpInboxView *self,
      GStrv        names,
      GStrv        shown,
      guint        current)
{
  GtkStringList *model = gtk_string_list_new ((const char * const *) shown);

  self->filling_selector = TRUE;
  g_ptr_array_set_size (self->mailbox_names, 0);
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (self->mailbox_names, g_strdup (names[i]));
  gtk_drop_down_set_model (self->mailbox_dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->mailbox_dropdown, current);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mailbox_dropdown), g_strv_length (names) > 1);
  self->filling_selector = FALSE;
  g_object_unref (model);
}

/* Before the list comes (or when it cannot): the mailbox shown, alone. */
void
ep_inbox_view_reset_mailboxes (EpInboxView *self)
{
  const char *name = self->mailbox != NULL ? self->mailbox : "INBOX";
  const char *names[] = { name, NULL };
  const char *shown[] = { is_inbox (name) ? _("Inbox") : name, NULL };

  g_cancellable_cancel (self->mailboxes_cancellable);
  g_clear_object (&self->mailboxes_cancellable);
  self->mailboxes_listed = FALSE;
  fill (self, (GStrv) names, (GStrv) shown, 0);
}

static void
on_mailboxes_listed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(EpInboxView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = ep_imap_worker_list_mailboxes_finish (EP_IMAP_WORKER (source), result,
                                                                         &error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) shown = g_strv_builder_new ();
  g_auto(GStrv) name_list = NULL;
  g_auto(GStrv) shown_list = NULL;
  g_autoptr(GHashTable) tops = NULL;
  guint current = G_MAXUINT, n = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (mailboxes == NULL)
    {
      g_autofree char *sentence = ep_send_status_explain (error, self->host, self->port);
      /* Translators: the reason follows */
      g_autofree char *text = g_strdup_printf (_("The mailboxes could not be listed: %s"), sentence);

      self->mailboxes_listed = FALSE;   /* Refresh tries again */
      ep_inbox_view_toast (self, text);
      return;
    }
  tops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);
      g_auto(GStrv) path = ep_imap_mailbox_dup_path (mailbox);

      if (path[0] != NULL && path[1] == NULL)
        g_hash_table_insert (tops, g_strdup (path[0]), GUINT_TO_POINTER (rank (mailbox)));
    }
  g_ptr_array_sort_with_data (mailboxes, by_rank_then_path, tops);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);
      g_autofree char *shown_name = NULL;

      if (ep_imap_mailbox_has_flag (mailbox, "\\Noselect") || ep_imap_mailbox_has_flag (mailbox, "\\NonExistent"))
        continue;
      if ((self->mailbox == NULL && is_inbox (mailbox->name)) || g_strcmp0 (self->mailbox, mailbox->name) == 0)
        current = n;
      g_strv_builder_add (names, mailbox->name);
      shown_name = display_name (mailbox);
      g_strv_builder_add (shown, shown_name);
      n++;
    }
  name_list = g_strv_builder_end (names);
  shown_list = g_strv_builder_end (shown);
  if (n == 0)
    return;   /* a server that lists nothing: the selector keeps the mailbox shown */
  if (current == G_MAXUINT)
    {
      /* The mailbox chosen before is not this account's: the first, its inbox (sorted first). */
      g_free (self->mailbox);
      self->mailbox = is_inbox (name_list[0]) ? NULL : g_strdup (name_list[0]);
      fill (self, name_list, shown_list, 0);
      ep_inbox_view_open_mailbox (self);
      return;
    }
  fill (self, name_list, shown_list, current);
}

/* Asks the server for its mailboxes, once per account. */
void
ep_inbox_view_list_mailboxes (EpInboxView *self)
{
  if (self->worker == NULL || self->mailboxes_listed)
    return;
  self->mailboxes_listed = TRUE;
  g_clear_object (&self->mailboxes_cancellable);
  self->mailboxes_cancellable = g_cancellable_new ();
  ep_imap_worker_list_mailboxes_async (self->worker, self->mailboxes_cancellable, on_mailboxes_listed_cb,
                                       g_object_ref (self));
}

static void
on_mailbox_selected_cb (EpInboxView *self)
{
  guint selected = gtk_drop_down_get_selected (self->mailbox_dropdown);
  const char *name;

  if (self->filling_selector || self->mailbox_names == NULL || selected >= self->mailbox_names->len)
    return;
  name = g_ptr_array_index (self->mailbox_names, selected);
  if (g_strcmp0 (name, self->mailbox != NULL ? self->mailbox : "INBOX") == 0)
    return;
  g_free (self->mailbox);
  self->mailbox = is_inbox (name) ? NULL : g_strdup (name);
  ep_inbox_view_open_mailbox (self);
}

/**
 * ep_inbox_view_get_mailbox:
 *
 * Returns: the name (UTF-8) of the mailbox listed, “INBOX” for the inbox
 */
const char *
ep_inbox_view_get_mailbox (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);
  return self->mailbox != NULL ? self->mailbox : "INBOX";
}

/* The selector, for tests and screenshots: its items are the names shown. */
GtkDropDown *
ep_inbox_view_get_mailbox_dropdown (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);
  return self->mailbox_dropdown;
}

void
ep_inbox_view_mailboxes_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, mailbox_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_mailbox_selected_cb);
}
