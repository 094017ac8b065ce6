/* ep-application.c — EpApplication: app actions, accelerators, the window
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `epistle` with no verb lands here. `--demo` starts the local test mail
 * servers and opens the composer signed in to them.
 */
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-outbox.h"
#include "ep-window.h"

struct _EpApplication
{
  AdwApplication parent_instance;

  gboolean demo;
  EpOutbox *outbox;        /* one for every window, so no two ever send the same message */
  char *outbox_problem;    /* why some of it could not be read */
  gboolean outbox_problem_said;
};

G_DEFINE_FINAL_TYPE (EpApplication, ep_application, ADW_TYPE_APPLICATION)

typedef struct
{
  const char *action;
  const char *accels[3];
} Accel;

static const Accel accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "compose.send", { "<Control>Return", "<Control>KP_Enter", NULL } },
  { "compose.attach", { "<Control><Shift>a", NULL } },
  { "compose.show-cc", { "<Control><Shift>c", NULL } },
  { "compose.show-bcc", { "<Control><Shift>b", NULL } },
  { "compose.cancel", { "Escape", NULL } },
};

static void
on_quit_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing each window lets it stop what it started (a send, the demo servers). */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
on_about_activate (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "The Epistle authors", NULL };
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (app));
  adw_about_window_set_application_name (about, _("Epistle"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_comments (about, _("Write and send mail from your desktop"));
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = on_quit_activate },
  { .name = "about", .activate = on_about_activate },
};

static void
ep_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ep_application_parent_class)->startup (app);
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
}

static void
ep_application_shutdown (GApplication *app)
{
  EpApplication *self = EP_APPLICATION (app);

  if (self->outbox != NULL)
    {
      /* A try cut off here would be “uncertain” at the next start: let each say where it ended. */
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      ep_outbox_stop (self->outbox);
      while (ep_outbox_get_n_busy (self->outbox) > 0 && g_get_monotonic_time () < deadline)
        {
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (10000);
        }
    }
  G_APPLICATION_CLASS (ep_application_parent_class)->shutdown (app);
}

static void
ep_application_dispose (GObject *object)
{
  EpApplication *self = EP_APPLICATION (object);

  g_clear_object (&self->outbox);
  g_clear_pointer (&self->outbox_problem, g_free);
  G_OBJECT_CLASS (ep_application_parent_class)->dispose (object);
}

/**
 * ep_application_get_outbox:
 * @problem: (out) (optional) (nullable): set once, to why part of the
 *   outbox could not be read, for the first window to say
 *
 * The outbox under the user data dir, loaded on first use.
 *
 * Returns: (transfer none): the outbox
 */
EpOutbox *
ep_application_get_outbox (EpApplication  *self,
                           const char    **problem)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (EP_IS_APPLICATION (self), NULL);

  if (self->outbox == NULL)
    {
      self->outbox = ep_outbox_new (NULL);
      if (!ep_outbox_load (self->outbox, &error))
        /* Translators: %s says which file and what is wrong */
        self->outbox_problem = g_strdup_printf (_("Part of the Outbox could not be read and was left "
                                                  "as it is. %s"), error->message);
    }
  if (problem != NULL)
    {
      *problem = self->outbox_problem_said ? NULL : self->outbox_problem;
      self->outbox_problem_said = TRUE;
    }
  return self->outbox;
}

static void
ep_application_activate (GApplication *app)
{
  EpApplication *self = EP_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ep_window_new (self, self->demo));
  gtk_window_present (window);
}

static int
ep_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  EpApplication *self = EP_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("epistle %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "demo"))
    {
      /* The demo servers belong to this process: never hand the demo to another instance. */
      self->demo = TRUE;
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  return -1;
}

static void
ep_application_class_init (EpApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ep_application_dispose;
  app_class->startup = ep_application_startup;
  app_class->shutdown = ep_application_shutdown;
  app_class->activate = ep_application_activate;
  app_class->handle_local_options = ep_application_handle_local_options;
}

static void
ep_application_init (EpApplication *self)
{
  const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start local test mail servers and sign in to them"), NULL },
    { "version", 'V', 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[VERB …]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Without a verb, opens the composer window. The verbs "
                                              "work from the command line, without a window:\n"
                                              "  send     send a message through an SMTP server\n"
                                              "  inbox    list a mailbox over IMAP, or export it as JSON\n"
                                              "Run “epistle VERB --help” for a verb's options."));
}

EpApplication *
ep_application_new (void)
{
  return g_object_new (EP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/epistle/Epistle",
                       NULL);
}

int
ep_application_run_main (int    argc,
                         char **argv)
{
  g_autoptr(EpApplication) app = ep_application_new ();

  g_set_application_name (_("Epistle"));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
