/* ep-inbox-view.c — the Inbox: newest messages first, one shown read-only, JSON export
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view never speaks IMAP: every fetch goes through EpImapWorker. The
 * list examines the mailbox read-only and holds headers only (ENVELOPE,
 * BODYSTRUCTURE, size), a page at a time; a message is fetched whole, by
 * its UID, when it is selected — which marks it read on the server — and
 * shown as text: HTML is turned into text by core, never rendered, and
 * nothing remote is ever loaded. Saving attachments and the JSON export
 * are in ep-inbox-view-save.c, the mailbox selector in -mailboxes.c, read
 * and unread in -flags.c.
 *
 * The UIDs listed belong to the mailbox's UIDVALIDITY at listing time;
 * every later job by UID (open, read/unread, Load More) states it, and when
 * the server has renumbered the mailbox since, the job does nothing and the
 * list is loaded again (RFC 3501 2.3.1.1).
 */
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "ep-application.h"
#include "ep-imap-export.h"
#include "ep-inbox-view-private.h"
#include "ep-send-status.h"
#include "ep-server-text.h"

G_DEFINE_FINAL_TYPE (EpInboxView, ep_inbox_view, GTK_TYPE_WIDGET)

static void show_selected (EpInboxView *self);
static void clear_pane (EpInboxView *self);

void
ep_inbox_view_update_actions (EpInboxView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->worker != NULL;
  EpImapMessage *shown = self->shown != NULL ? ep_inbox_view_find_listed (self, self->shown_uid, NULL) : NULL;

  gtk_widget_action_set_enabled (widget, "inbox.refresh", ready);
  gtk_widget_action_set_enabled (widget, "inbox.load-more",
                                 ready && self->loaded && self->more && !self->busy);
  gtk_widget_action_set_enabled (widget, "inbox.export",
                                 ready && self->messages->len > 0 && !self->exporting);
  gtk_widget_action_set_enabled (widget, "inbox.mark-unread",
                                 ready && shown != NULL && !ep_inbox_message_is_unread (shown));
  gtk_widget_set_visible (GTK_WIDGET (self->more_stack), self->more || self->busy);
  gtk_stack_set_visible_child_name (self->more_stack, self->busy ? "spinner" : "button");
  gtk_spinner_set_spinning (self->more_spinner, self->busy && self->loaded);
}

static void
update_count (EpInboxView *self)
{
  g_autofree char *text = NULL;
  guint n = self->messages->len;

  if (self->loaded)
    /* Translators: above the message list */
    text = g_strdup_printf (ngettext ("%u message", "%u messages", n), n);
  gtk_label_set_text (self->count_label, text != NULL ? text : "");
}

/* The reading pane only beside a list: a spinner, an error or an empty mailbox takes the width. */
static void
set_list_state (EpInboxView *self,
                const char  *state)
{
  gboolean list = g_str_equal (state, "list");

  gtk_stack_set_visible_child_name (self->list_stack, state);
  gtk_widget_set_visible (self->message_box, list);
  gtk_widget_set_visible (self->pane_separator, list);
  if (!list && self->leaflet != NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
show_list_error (EpInboxView *self,
                 const char  *sentence)
{
  g_free (self->error);
  self->error = g_strdup (sentence);
  adw_status_page_set_description (self->error_page, sentence);
  set_list_state (self, "error");
}

/* A short date for a row: the time today, the day this year, else the full date. */
static char *
format_short_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (date == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (date);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a date in the message list, this year: see g_date_time_format () */
    return g_date_time_format (local, _("%-d %b"));
  return g_date_time_format (local, "%Y-%m-%d");
}

static GtkWidget *
new_label (const char *text,
           gboolean    expand,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), expand ? 0.0f : 1.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), expand ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, expand);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

/* “Name <address>” → “Name”: the list shows who, the tooltip and the pane the address too. */
static char *
short_sender (const char *sender)
{
  const char *open = strstr (sender, " <");

  if (open != NULL && g_str_has_suffix (sender, ">") && open > sender)
    return g_strndup (sender, open - sender);
  return g_strdup (sender);
}

/* Sender and date above, subject, attachment marker and size below. */
static GtkWidget *
new_row (const EpImapMessage *message)
{
  g_autofree char *sender = ep_imap_export_sender (message);
  g_autofree char *who = short_sender (sender);
  g_autofree char *subject = ep_imap_export_subject (message);
  g_autoptr(GDateTime) date = ep_imap_export_date (message);
  g_autofree char *when = format_short_date (date);
  g_autofree char *size = g_format_size (message->size);
  g_autofree char *name = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *sender_label = new_label (who, TRUE, NULL);
  GtkWidget *subject_label = new_label (*subject ? subject : _("(no subject)"), TRUE, NULL);
  GtkWidget *marker = gtk_image_new_from_icon_name ("mail-attachment-symbolic");
  GtkWidget *tail = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  gtk_widget_set_margin_top (grid, 9);
  gtk_widget_set_margin_bottom (grid, 9);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_widget_set_tooltip_text (sender_label, sender);
  gtk_grid_attach (GTK_GRID (grid), sender_label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), new_label (when, FALSE, "dim-label"), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), subject_label, 0, 1, 1, 1);
  gtk_widget_set_visible (marker, message->has_attachments);
  gtk_widget_add_css_class (marker, "dim-label");
  gtk_widget_set_tooltip_text (marker, _("Has attachments"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (marker), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Has attachments"), -1);
  gtk_widget_set_halign (tail, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (tail), marker);
  gtk_box_append (GTK_BOX (tail), new_label (size, FALSE, "dim-label"));
  gtk_grid_attach (GTK_GRID (grid), tail, 1, 1, 1, 1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);

  /* One name for screen readers: who, what, when, how big, with what. */
  name = g_strdup_printf ("%s, %s, %s, %s%s", sender, *subject ? subject : _("(no subject)"), when, size,
                          message->has_attachments ? _(", has attachments") : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data (G_OBJECT (row), "ep-sender-label", sender_label);
  g_object_set_data (G_OBJECT (row), "ep-subject-label", subject_label);
  ep_inbox_row_set_unread (row, ep_inbox_message_is_unread (message));
  return row;
}

static void
clear_list (EpInboxView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->messages, 0);
}

/* After the rows were replaced: the message shown before is selected again, or none is. */
static void
reselect (EpInboxView *self)
{
  for (guint i = 0; i < self->messages->len; i++)
    {
      EpImapMessage *message = g_ptr_array_index (self->messages, i);

      if (message->uid == self->shown_uid)
        {
          /* Shown again as it is: one the person marked unread since stays unread. */
          self->reselecting = TRUE;
          gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, (int) i));
          self->reselecting = FALSE;
          return;
        }
    }
  self->shown_uid = 0;
  gtk_list_box_unselect_all (self->list);
  show_selected (self);
}

/* Adds the fetched messages the list does not show yet: all of them after a refresh, the older
 * ones after "load more" (a message listed meanwhile is never listed twice). */
static void
take_page (EpInboxView *self,
           GPtrArray   *page,
           gboolean     more)
{
  guint32 oldest = G_MAXUINT32;

  if (!more)
    clear_list (self);
  else if (self->messages->len > 0)
    oldest = ((EpImapMessage *) g_ptr_array_index (self->messages, self->messages->len - 1))->uid;
  for (guint i = 0; i < page->len; i++)
    {
      EpImapMessage *message = g_ptr_array_index (page, i);

      if (message->uid >= oldest)
        continue;
      gtk_list_box_append (self->list, new_row (message));
      g_ptr_array_add (self->messages, g_steal_pointer (&page->pdata[i]));
    }
}

static void
on_list_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EpInboxView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint32 uidvalidity = 0;
  g_autoptr(GPtrArray) page = ep_imap_worker_fetch_finish (EP_IMAP_WORKER (source), result, &uidvalidity,
                                                           &error);
  gboolean more = self->loaded && self->fetching_more;
  guint32 shown = self->shown_uid;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
  if (ep_inbox_view_check_renumbered (self, error))
    return;
  if (page != NULL && !more && self->uidvalidity != 0 && uidvalidity != self->uidvalidity)
    {
      /* Renumbered since the last listing: the UID shown may name another message now. */
      shown = 0;
      clear_pane (self);
      ep_inbox_view_toast (self, _("The mailbox changed on the server; the list was reloaded."));
    }
  if (page != NULL && !more)
    self->uidvalidity = uidvalidity;
  if (page == NULL && more)
    {
      g_autofree char *sentence = ep_send_status_explain (error, self->host, self->port);
      /* Translators: the reason follows */
      g_autofree char *text = g_strdup_printf (_("Older messages could not be loaded: %s"), sentence);

      /* What is listed stays; Load More can try again. */
      ep_inbox_view_toast (self, text);
      ep_inbox_view_update_actions (self);
      return;
    }
  if (page == NULL)
    {
      g_autofree char *sentence = ep_send_status_explain (error, self->host, self->port);

      self->loaded = FALSE;
      self->more = FALSE;
      clear_list (self);
      show_list_error (self, sentence);
      update_count (self);
      ep_inbox_view_update_actions (self);
      return;
    }
  g_clear_pointer (&self->error, g_free);
  self->more = page->len >= self->requested;
  /* Replacing rows, and the stack showing the list again (it gives the focus back to the row
   * that had it), move the list's cursor and so its selection: nothing is opened (and so
   * marked read) for that. The message shown stays shown. */
  self->rebuilding = TRUE;
  take_page (self, page, more);
  self->shown_uid = shown;
  self->loaded = TRUE;
  set_list_state (self, self->messages->len > 0 ? "list" : "empty");
  self->rebuilding = FALSE;
  if (!more)
    reselect (self);
  update_count (self);
  ep_inbox_view_update_actions (self);
}

/* The newest @limit messages, or with @before_uid the @limit older than it ("load more"). */
static void
fetch_list (EpInboxView *self,
            guint        limit,
            guint32      before_uid)
{
  gboolean more = before_uid > 0;

  g_assert (self->worker != NULL);

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  self->busy = TRUE;
  self->fetching_more = more;
  self->requested = limit;
  if (!more)
    {
      set_list_state (self, "loading");
      gtk_spinner_set_spinning (self->loading_spinner, TRUE);
    }
  ep_inbox_view_update_actions (self);
  ep_imap_worker_fetch_older_async (self->worker, self->mailbox, more ? self->uidvalidity : 0, before_uid,
                                    limit, EP_INBOX_LIST_ITEMS, self->list_cancellable, on_list_fetched_cb,
                                    g_object_ref (self));
}

/**
 * ep_inbox_view_refresh:
 *
 * Fetches the newest page again; the message shown stays if it is still there.
 */
void
ep_inbox_view_refresh (EpInboxView *self)
{
  g_return_if_fail (EP_IS_INBOX_VIEW (self));

  if (self->worker == NULL)
    return;
  g_hash_table_remove_all (self->full);
  fetch_list (self, self->page_size, 0);
  ep_inbox_view_list_mailboxes (self);
}

/* Another mailbox was chosen: its newest page, nothing shown yet. */
void
ep_inbox_view_open_mailbox (EpInboxView *self)
{
  g_cancellable_cancel (self->body_cancellable);
  g_clear_object (&self->body_cancellable);
  self->shown_uid = 0;
  self->uidvalidity = 0;
  self->loaded = self->more = FALSE;
  clear_list (self);
  clear_pane (self);
  gtk_stack_set_visible_child_name (self->message_stack, "none");
  update_count (self);
  ep_inbox_view_refresh (self);
}

/**
 * ep_inbox_view_check_renumbered:
 * @error: (nullable): how a job by UID failed
 *
 * When @error says the mailbox was renumbered on the server (another
 * UIDVALIDITY), nothing was done to any message: forgets every UID, loads
 * the list again and says so.
 *
 * Returns: whether it was that
 */
gboolean
ep_inbox_view_check_renumbered (EpInboxView  *self,
                                const GError *error)
{
  if (!g_error_matches (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY))
    return FALSE;
  ep_inbox_view_toast (self, _("The mailbox changed on the server; the list was reloaded."));
  ep_inbox_view_open_mailbox (self);
  return TRUE;
}

/* Returns: (nullable): the listed message with @uid, and its row */
EpImapMessage *
ep_inbox_view_find_listed (EpInboxView  *self,
                           guint32       uid,
                           GtkWidget   **row)
{
  for (guint i = 0; i < self->messages->len; i++)
    {
      EpImapMessage *message = g_ptr_array_index (self->messages, i);

      if (message->uid == uid)
        {
          if (row != NULL)
            *row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, (int) i));
          return message;
        }
    }
  return NULL;
}

/* The next page of older messages, when the list has shown a full page. */
void
ep_inbox_view_load_more (EpInboxView *self)
{
  EpImapMessage *oldest;

  g_return_if_fail (EP_IS_INBOX_VIEW (self));

  if (self->worker == NULL || !self->loaded || !self->more || self->busy || self->messages->len == 0)
    return;
  oldest = g_ptr_array_index (self->messages, self->messages->len - 1);
  fetch_list (self, self->page_size, oldest->uid);
}

static void
on_edge_reached_cb (EpInboxView     *self,
                    GtkPositionType  position)
{
  if (position == GTK_POS_BOTTOM)
    ep_inbox_view_load_more (self);
}

/* The message pane */

static void
add_header (EpInboxView *self,
            int          row,
            const char  *name,
            const char  *value)
{
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *text = gtk_label_new (value);

  if (value == NULL || *value == '\0')
    {
      g_object_ref_sink (label);
      g_object_ref_sink (text);
      g_object_unref (label);
      g_object_unref (text);
      return;
    }
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_grid_attach (self->header_grid, label, 0, row, 1, 1);
  gtk_grid_attach (self->header_grid, text, 1, row, 1, 1);
}

static char *
address_list_text (InternetAddressList *list)
{
  g_autofree char *text = NULL;

  if (list == NULL || internet_address_list_length (list) == 0)
    return NULL;
  text = internet_address_list_to_string (list, NULL, FALSE);
  return ep_server_text_to_utf8 (text != NULL ? text : "", -1);
}

static char *
format_long_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return NULL;
  local = g_date_time_to_local (date);
  /* Translators: the date of the message shown: see g_date_time_format () */
  return g_date_time_format (local, _("%A, %-d %B %Y, %H:%M"));
}

static void
clear_pane (EpInboxView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->header_grid))) != NULL)
    gtk_grid_remove (self->header_grid, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachment_list))) != NULL)
    gtk_list_box_remove (self->attachment_list, child);
  g_ptr_array_set_size (self->attachments, 0);
  g_clear_object (&self->shown);
}

static void
display (EpInboxView         *self,
         const EpImapMessage *message)
{
  g_autofree char *subject = ep_imap_export_subject (message);
  g_autofree char *sender = ep_imap_export_sender (message);
  g_autoptr(GDateTime) date = ep_imap_export_date (message);
  g_autofree char *when = format_long_date (date);
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *body = NULL;

  clear_pane (self);
  self->shown = ep_imap_export_parse (message);
  if (self->shown == NULL)
    self->shown = g_mime_message_new (FALSE);
  to = address_list_text (g_mime_message_get_to (self->shown));
  cc = address_list_text (g_mime_message_get_cc (self->shown));
  body = ep_imap_export_body_text (self->shown);

  gtk_label_set_text (self->subject_label, *subject ? subject : _("(no subject)"));
  add_header (self, 0, _("From"), sender);
  add_header (self, 1, _("To"), to);
  add_header (self, 2, _("Cc"), cc);
  add_header (self, 3, _("Date"), when);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body, -1);
  ep_inbox_view_list_attachments (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->message_scrolled), 0);
  gtk_stack_set_visible_child_name (self->message_stack, "message");
}

static void
on_message_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EpInboxView) self = user_data;
  g_autoptr(GError) error = NULL;
  EpImapMessage *message = ep_imap_worker_fetch_message_finish (EP_IMAP_WORKER (source), result, &error);
  guint32 uid;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->fetching_uid = 0;   /* only the latest fetch is not cancelled */
  gtk_spinner_set_spinning (self->message_spinner, FALSE);
  if (ep_inbox_view_check_renumbered (self, error))
    return;
  if (message == NULL)
    {
      g_autofree char *sentence = ep_send_status_explain (error, self->host, self->port);

      adw_status_page_set_description (self->message_error_page, sentence);
      gtk_stack_set_visible_child_name (self->message_stack, "error");
      return;
    }
  uid = message->uid;
  g_hash_table_replace (self->full, GUINT_TO_POINTER (uid), message);
  /* The row shows the flags the fetch found: read, unless it only looked again after a refresh. */
  ep_inbox_view_note_seen (self, uid, !ep_inbox_message_is_unread (message));
  if (uid == self->shown_uid)
    {
      display (self, message);
      ep_inbox_view_update_actions (self);
    }
}

/* Shows the selected row's message, fetching it whole (by its UID) if needed; either way it is
 * read, unless it is only selected again after a refresh. */
static void
show_selected (EpInboxView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  EpImapMessage *message, *full;
  int index;

  if (self->reselecting && row != NULL && self->body_cancellable != NULL &&
      (index = gtk_list_box_row_get_index (row)) >= 0 && (guint) index < self->messages->len &&
      ((EpImapMessage *) g_ptr_array_index (self->messages, index))->uid == self->fetching_uid)
    return;   /* the person's own opening of it is still under way (and marks it read) */
  g_cancellable_cancel (self->body_cancellable);
  g_clear_object (&self->body_cancellable);
  if (row == NULL || (index = gtk_list_box_row_get_index (row)) < 0 ||
      (guint) index >= self->messages->len)
    {
      self->shown_uid = 0;
      clear_pane (self);
      gtk_stack_set_visible_child_name (self->message_stack, "none");
      ep_inbox_view_update_actions (self);
      return;
    }
  message = g_ptr_array_index (self->messages, index);
  self->shown_uid = message->uid;
  full = g_hash_table_lookup (self->full, GUINT_TO_POINTER (message->uid));
  if (full != NULL)
    {
      display (self, full);
      if (!self->reselecting)
        ep_inbox_view_mark_read (self, message->uid);
      ep_inbox_view_update_actions (self);
      return;
    }
  self->body_cancellable = g_cancellable_new ();
  self->fetching_uid = message->uid;
  gtk_stack_set_visible_child_name (self->message_stack, "loading");
  gtk_spinner_set_spinning (self->message_spinner, TRUE);
  ep_imap_worker_fetch_message_async (self->worker, self->mailbox, self->uidvalidity, message->uid,
                                      !self->reselecting,
                                      self->body_cancellable, on_message_fetched_cb, g_object_ref (self));
}

static void
on_row_selected_cb (EpInboxView   *self,
                    GtkListBoxRow *row)
{
  if (self->list == NULL || self->rebuilding)
    return;   /* disposing (the rows go with the list), or rows being replaced */
  show_selected (self);
}

/* Narrow (folded): the list, or the message with a Back button. A click or Enter on a row
 * opens it, even the one already selected. */
static void
on_row_activated_cb (EpInboxView   *self,
                     GtkListBoxRow *row)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "message");
}

static void
on_back_clicked_cb (EpInboxView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_folded_cb (EpInboxView *self)
{
  if (self->back_bar == NULL)
    return;   /* the template is still being built */
  gtk_widget_set_visible (self->back_bar, adw_leaflet_get_folded (self->leaflet));
}

/* Actions and life cycle */

static void
refresh_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ep_inbox_view_refresh (EP_INBOX_VIEW (widget));
}

static void
load_more_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ep_inbox_view_load_more (EP_INBOX_VIEW (widget));
}

/* The first time the view is seen, it loads: no connection before anyone looks. */
static void
ep_inbox_view_map (GtkWidget *widget)
{
  EpInboxView *self = EP_INBOX_VIEW (widget);

  GTK_WIDGET_CLASS (ep_inbox_view_parent_class)->map (widget);
  if (self->worker != NULL && !self->loaded && !self->busy && self->error == NULL)
    ep_inbox_view_refresh (self);
}

static void
ep_inbox_view_dispose (GObject *object)
{
  EpInboxView *self = EP_INBOX_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_cancellable_cancel (self->body_cancellable);
  g_cancellable_cancel (self->mailboxes_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_INBOX_VIEW);
  g_clear_object (&self->worker);
  g_clear_object (&self->shown);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->body_cancellable);
  g_clear_object (&self->mailboxes_cancellable);
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (ep_inbox_view_parent_class)->dispose (object);
}

static void
ep_inbox_view_finalize (GObject *object)
{
  EpInboxView *self = EP_INBOX_VIEW (object);

  g_ptr_array_unref (self->messages);
  g_ptr_array_unref (self->attachments);
  g_hash_table_unref (self->full);
  g_free (self->host);
  g_free (self->error);
  g_free (self->mailbox);
  g_ptr_array_unref (self->mailbox_names);
  G_OBJECT_CLASS (ep_inbox_view_parent_class)->finalize (object);
}

static void
ep_inbox_view_class_init (EpInboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ep_inbox_view_dispose;
  object_class->finalize = ep_inbox_view_finalize;
  widget_class->map = ep_inbox_view_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-inbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, pane_separator);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, message_box);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, back_bar);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, count_label);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, error_page);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, list);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, more_stack);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, more_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, message_stack);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, message_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, message_error_page);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, message_scrolled);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, subject_label);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, message_menu_button);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, header_grid);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, body_view);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, EpInboxView, attachment_list);
  gtk_widget_class_bind_template_callback (widget_class, on_edge_reached_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "inbox.refresh", NULL, refresh_action_cb);
  gtk_widget_class_install_action (widget_class, "inbox.load-more", NULL, load_more_action_cb);
  ep_inbox_view_save_install (widget_class);
  ep_inbox_view_mailboxes_install (widget_class);
  ep_inbox_view_flags_install (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "inbox.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "inbox.refresh", NULL);
}

static void
ep_inbox_view_init (EpInboxView *self)
{
  self->mailbox_names = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_message_free);
  self->attachments = g_ptr_array_new_with_free_func (g_object_unref);
  self->full = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) ep_imap_message_free);
  self->cancellable = g_cancellable_new ();
  self->page_size = EP_INBOX_VIEW_PAGE_SIZE;
  on_folded_cb (self);
  ep_inbox_view_set_worker (self, NULL, NULL, 0);
}

GtkWidget *
ep_inbox_view_new (void)
{
  return g_object_new (EP_TYPE_INBOX_VIEW, NULL);
}

/**
 * ep_inbox_view_set_worker:
 * @worker: (nullable): for the account's IMAP server, or %NULL when it has none
 * @host: the server's name, for error sentences
 *
 * Forgets what was listed; the view loads again when it is next shown.
 */
void
ep_inbox_view_set_worker (EpInboxView  *self,
                          EpImapWorker *worker,
                          const char   *host,
                          guint16       port)
{
  g_return_if_fail (EP_IS_INBOX_VIEW (self));
  g_return_if_fail (worker == NULL || EP_IS_IMAP_WORKER (worker));

  g_cancellable_cancel (self->list_cancellable);
  g_cancellable_cancel (self->body_cancellable);
  g_set_object (&self->worker, worker);
  ep_inbox_view_reset_mailboxes (self);
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;
  self->loaded = self->more = self->busy = FALSE;
  self->uidvalidity = 0;
  g_clear_pointer (&self->error, g_free);
  g_hash_table_remove_all (self->full);
  clear_list (self);
  clear_pane (self);
  self->shown_uid = 0;
  gtk_stack_set_visible_child_name (self->message_stack, "none");
  if (worker == NULL)
    show_list_error (self, _("This account has no incoming mail (IMAP) server."));
  else
    set_list_state (self, "loading");
  update_count (self);
  ep_inbox_view_update_actions (self);
  if (worker != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    ep_inbox_view_refresh (self);
}

/* How many messages a page holds (tests use small pages). */
void
ep_inbox_view_set_page_size (EpInboxView *self,
                             guint        page_size)
{
  g_return_if_fail (EP_IS_INBOX_VIEW (self));
  g_return_if_fail (page_size > 0);
  self->page_size = page_size;
}

/* Whether a list has been fetched (and not failed since). */
gboolean
ep_inbox_view_get_loaded (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), FALSE);
  return self->loaded;
}

/* Whether a list fetch is in flight. */
gboolean
ep_inbox_view_is_busy (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), FALSE);
  return self->busy;
}

/* Returns: "loading", "empty", "error" or "list" */
const char *
ep_inbox_view_get_state (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->list_stack);
}

/* Returns: (nullable): the sentence the error page shows */
const char *
ep_inbox_view_get_error (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);
  return self->error;
}

guint
ep_inbox_view_get_n_messages (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), 0);
  return self->messages->len;
}

GtkListBox *
ep_inbox_view_get_list (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);
  return self->list;
}

void
ep_inbox_view_select (EpInboxView *self,
                      guint        index)
{
  g_return_if_fail (EP_IS_INBOX_VIEW (self));
  g_return_if_fail (index < self->messages->len);

  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, (int) index));
}

/* Returns: "none", "loading", "error" or "message" */
const char *
ep_inbox_view_get_message_state (EpInboxView *self)
{
  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->message_stack);
}

/* Returns: (transfer full): the text of the message shown */
char *
ep_inbox_view_dup_message_text (EpInboxView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->body_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Returns: (transfer full): the subject, then each header as “Name: value”, one a line */
char *
ep_inbox_view_dup_headers_text (EpInboxView *self)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (EP_IS_INBOX_VIEW (self), NULL);

  text = g_string_new (gtk_label_get_text (self->subject_label));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->header_grid)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int column;

      gtk_grid_query_child (self->header_grid, child, &column, NULL, NULL, NULL);
      g_string_append (text, column == 0 ? "\n" : ": ");
      g_string_append (text, gtk_label_get_text (GTK_LABEL (child)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
