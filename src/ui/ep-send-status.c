/* ep-send-status.c — where a send is, in words and a progress bar, with Cancel
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The buttons name window actions (compose.cancel, compose.show-details):
 * this widget only shows what it is told.
 */
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-send-status.h"

struct _EpSendStatus
{
  GtkWidget parent_instance;

  /* Owned */
  char *host;

  /* Template widgets */
  GtkSpinner *spinner;
  GtkImage *done_icon;
  GtkLabel *stage_label;
  GtkButton *details_button;
  GtkButton *cancel_button;
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (EpSendStatus, ep_send_status, GTK_TYPE_WIDGET)

static void
ep_send_status_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), EP_TYPE_SEND_STATUS);
  /* Children the template does not bind are not unparented by it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ep_send_status_parent_class)->dispose (object);
}

static void
ep_send_status_finalize (GObject *object)
{
  g_free (EP_SEND_STATUS (object)->host);
  G_OBJECT_CLASS (ep_send_status_parent_class)->finalize (object);
}

static void
ep_send_status_class_init (EpSendStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ep_send_status_dispose;
  object_class->finalize = ep_send_status_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-send-status.ui");
  gtk_widget_class_bind_template_child (widget_class, EpSendStatus, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpSendStatus, done_icon);
  gtk_widget_class_bind_template_child (widget_class, EpSendStatus, stage_label);
  gtk_widget_class_bind_template_child (widget_class, EpSendStatus, details_button);
  gtk_widget_class_bind_template_child (widget_class, EpSendStatus, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EpSendStatus, progress);
  gtk_widget_class_set_css_name (widget_class, "send-status");
}

static void
ep_send_status_init (EpSendStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ep_send_status_new (void)
{
  return g_object_new (EP_TYPE_SEND_STATUS, NULL);
}

static void
set_running (EpSendStatus *self,
             gboolean      running)
{
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_widget_set_visible (GTK_WIDGET (self->done_icon), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->details_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), running);
}

/* @host: the server being sent to, named while connecting */
void
ep_send_status_begin (EpSendStatus *self,
                      const char   *host)
{
  g_return_if_fail (EP_IS_SEND_STATUS (self));

  g_free (self->host);
  self->host = g_strdup (host);
  set_running (self, TRUE);
  gtk_button_set_label (self->cancel_button, _("Cancel Sending"));
  gtk_widget_add_css_class (GTK_WIDGET (self->cancel_button), "destructive-action");
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  ep_send_status_progress (self, EP_SEND_STAGE_PREPARING, 0, 0);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

/* Before an undoable send leaves: @text counts down, and the button (compose.cancel) says Undo. */
void
ep_send_status_countdown (EpSendStatus *self,
                          const char   *text)
{
  g_return_if_fail (EP_IS_SEND_STATUS (self));

  set_running (self, TRUE);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_button_set_label (self->cancel_button, _("Undo"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->cancel_button), "destructive-action");
  gtk_label_set_text (self->stage_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

/**
 * ep_send_status_describe:
 * @host: (nullable): the server, named while connecting
 *
 * Returns: (transfer full): a sentence saying where a send or a sign-in check is
 */
char *
ep_send_status_describe (EpSendStage  stage,
                         const char  *host,
                         guint64      done,
                         guint64      total)
{
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;

  switch (stage)
    {
    case EP_SEND_STAGE_PREPARING:
      return g_strdup (_("Preparing the message…"));
    case EP_SEND_STAGE_CONNECTING:
      /* Translators: %s is a server, "smtp.qq.com" */
      return g_strdup_printf (_("Connecting to %s…"), host ? host : "");
    case EP_SEND_STAGE_TLS:
      return g_strdup (_("Securing the connection…"));
    case EP_SEND_STAGE_AUTHENTICATING:
      return g_strdup (_("Signing in…"));
    case EP_SEND_STAGE_ENVELOPE:
      return g_strdup (_("Checking the recipients…"));
    case EP_SEND_STAGE_SENDING:
      done_text = g_format_size (done);
      total_text = g_format_size (total);
      /* Translators: "Sending 12.4 MB of 25.0 MB…" */
      return g_strdup_printf (_("Sending %s of %s…"), done_text, total_text);
    case EP_SEND_STAGE_DONE:
    default:
      return g_strdup (_("Waiting for the server to accept the message…"));
    }
}

void
ep_send_status_progress (EpSendStatus *self,
                         EpSendStage   stage,
                         guint64       done,
                         guint64       total)
{
  g_autofree char *text = NULL;

  g_return_if_fail (EP_IS_SEND_STATUS (self));

  text = ep_send_status_describe (stage, self->host, done, total);
  gtk_label_set_text (self->stage_label, text);
  /* While the bar moves it shows the activity: an idle spinner would repaint every frame. */
  gtk_spinner_set_spinning (self->spinner, stage != EP_SEND_STAGE_SENDING);
  if (stage == EP_SEND_STAGE_SENDING && total > 0)
    gtk_progress_bar_set_fraction (self->progress, (double) done / (double) total);
  else if (stage == EP_SEND_STAGE_DONE)
    gtk_progress_bar_set_fraction (self->progress, 1.0);
}

/* Shows @outcome ("Sent to 2 recipients") with Show Details, until the next send. */
void
ep_send_status_finish (EpSendStatus *self,
                       const char   *outcome)
{
  g_return_if_fail (EP_IS_SEND_STATUS (self));

  set_running (self, FALSE);
  gtk_label_set_text (self->stage_label, outcome);
}

void
ep_send_status_hide (EpSendStatus *self)
{
  g_return_if_fail (EP_IS_SEND_STATUS (self));

  set_running (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

const char *
ep_send_status_get_text (EpSendStatus *self)
{
  g_return_val_if_fail (EP_IS_SEND_STATUS (self), NULL);
  return gtk_label_get_text (self->stage_label);
}

double
ep_send_status_get_fraction (EpSendStatus *self)
{
  g_return_val_if_fail (EP_IS_SEND_STATUS (self), 0.0);
  return gtk_progress_bar_get_fraction (self->progress);
}

/**
 * ep_send_status_explain:
 * @error: what a send or a sign-in check failed with
 * @host: the server it talked to
 *
 * The engine's messages are already sentences; the network failures a
 * person meets most get one that says what to check.
 *
 * Returns: (transfer full): a sentence for a banner or the sign-in page
 */
char *
ep_send_status_explain (const GError *error,
                        const char   *host,
                        guint16       port)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    /* Translators: %s is a server name */
    return g_strdup_printf (_("The server “%s” could not be found. Check its name and your "
                              "internet connection."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    /* Translators: %s is a server name, %u a port number */
    return g_strdup_printf (_("“%s” refused the connection on port %u. Check the port and "
                              "the security setting."), host, port);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup_printf (_("“%s” did not answer in time. Check your internet connection, "
                              "then try again. (%s)"), host, error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return g_strdup_printf (_("“%s” cannot be reached. Check your internet connection."), host);
  return g_strdup (error->message);
}
