/* ep-window-undo.c — a sent message waits a few seconds, with Undo, before it leaves
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message is built when Send is pressed and held here for the seconds
 * of the setting `undo-send-seconds`. Meanwhile the composer keeps showing
 * exactly what is being sent, but cannot be edited (what would an edit
 * mean for a message already on its way?); a toast counts down, and its
 * Undo (or Escape) gives the composer back, untouched, to be edited. Should
 * another toast push it away, the status line takes over the countdown and
 * the Undo button, so the two never say the same thing at once. When the time is up the send starts as ep_window_send_now ()
 * always did. Closing the window while the message waits undoes it: nothing
 * leaves without the window there to say how it went.
 */
#include <glib/gi18n.h>

#include "ep-window-private.h"

#define UNDO_KEY "undo-send-seconds"
#define UNDO_DEFAULT 5

/* The setting, or its default when the schema is not installed (running from the build tree). */
static guint
undo_seconds (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, UNDO_KEY))
    return UNDO_DEFAULT;
  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_uint (settings, UNDO_KEY);
}

/* Everything in the composer but the banner and the status line, which speak during the wait. */
static void
lock_composer (EpWindow *self,
               gboolean  locked)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->compose_box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child != GTK_WIDGET (self->send_status) && child != GTK_WIDGET (self->banner_revealer))
        gtk_widget_set_sensitive (child, !locked);
    }
}

static char *
countdown_text (guint seconds)
{
  /* Translators: shown while a sent message can still be undone; %u counts down in seconds */
  return g_strdup_printf (_("Sending in %u s…"), seconds);
}

static void
show_countdown (EpWindow *self)
{
  g_autofree char *text = countdown_text (self->pending_left);

  if (self->undo_toast != NULL)
    adw_toast_set_title (self->undo_toast, text);
  else
    ep_send_status_countdown (self->send_status, text);
}

static void
drop_toast (EpWindow *self)
{
  AdwToast *toast = g_steal_pointer (&self->undo_toast);

  if (toast == NULL)
    return;
  g_signal_handlers_disconnect_by_data (toast, self);
  adw_toast_dismiss (toast);
  g_object_unref (toast);
}

/* The toast may go by itself (another toast, the overlay disposed): the status line takes over. */
static void
on_toast_dismissed_cb (AdwToast *toast,
                       EpWindow *self)
{
  if (self->undo_toast == toast)
    {
      g_signal_handlers_disconnect_by_data (toast, self);
      g_clear_object (&self->undo_toast);
      if (self->pending != NULL)
        show_countdown (self);
    }
}

static void
end_wait (EpWindow *self)
{
  g_clear_handle_id (&self->pending_timer, g_source_remove);
  drop_toast (self);
  lock_composer (self, FALSE);
}

static gboolean
on_tick_cb (gpointer data)
{
  EpWindow *self = data;
  g_autoptr(EpMessage) message = NULL;

  if (--self->pending_left > 0)
    {
      show_countdown (self);
      return G_SOURCE_CONTINUE;
    }
  self->pending_timer = 0;
  end_wait (self);
  message = g_steal_pointer (&self->pending);
  ep_window_send_now (self, message, self->pending_partial);
  return G_SOURCE_REMOVE;
}

/**
 * ep_window_undo_begin:
 * @message: built from the composer as it is now
 *
 * Holds @message for the undo time. Returns: %FALSE when the setting is 0,
 * and the caller sends at once
 */
gboolean
ep_window_undo_begin (EpWindow  *self,
                      EpMessage *message,
                      gboolean   partial)
{
  guint seconds = undo_seconds ();
  g_autofree char *text = NULL;

  if (seconds == 0)
    return FALSE;
  g_set_object (&self->pending, message);
  self->pending_partial = partial;
  self->pending_left = seconds;
  /* A focused entry made insensitive never hears its focus-out (GTK 4.8 warns). */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  lock_composer (self, TRUE);

  text = countdown_text (seconds);
  self->undo_toast = adw_toast_new (text);
  adw_toast_set_timeout (self->undo_toast, 0);   /* it goes when the send starts */
  adw_toast_set_priority (self->undo_toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (self->undo_toast, _("Undo"));
  adw_toast_set_action_name (self->undo_toast, "compose.undo-send");
  g_signal_connect (self->undo_toast, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->undo_toast));
  ep_send_status_hide (self->send_status);   /* the last send's outcome is old news */

  self->pending_timer = g_timeout_add (1000, on_tick_cb, self);   /* not _seconds: it may fire late */
  ep_window_actions_update (self);
  return TRUE;
}

/* Whether a message is waiting for its undo time to pass. */
gboolean
ep_window_undo_is_pending (EpWindow *self)
{
  return self->pending != NULL;
}

/* Undo: nothing is sent, and the composer is as it was when Send was pressed. */
void
ep_window_undo (EpWindow *self)
{
  if (self->pending == NULL)
    return;
  end_wait (self);
  g_clear_object (&self->pending);
  ep_send_status_hide (self->send_status);
  ep_window_actions_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

/* The window is going: the waiting message is not sent. */
void
ep_window_undo_dispose (EpWindow *self)
{
  g_clear_handle_id (&self->pending_timer, g_source_remove);
  if (self->undo_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->undo_toast, self);
  g_clear_object (&self->undo_toast);
  g_clear_object (&self->pending);
}
