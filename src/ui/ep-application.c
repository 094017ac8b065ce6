/* ep-application.c — EpApplication: app actions, accelerators, the window
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `epistle` with no verb lands here. `--demo` starts the local test mail
 * servers and opens the composer signed in to them.
 *
 * One instance per session: `epistle 'mailto:…'`, `epistle --attach FILE`
 * or `epistle FILE…` (a file manager's "Send by Email", through xdg-email)
 * in a second launch forwards its command line here, and a new composer
 * opens, filled in, signed in with the account a window already holds.
 */
#include <signal.h>
#include <string.h>
#include <sysexits.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ep-application.h"
#include "ep-demo-home.h"
#include "ep-mailto.h"
#include "ep-outbox.h"
#include "ep-window.h"

struct _EpApplication
{
  AdwApplication parent_instance;

  gboolean demo;
  char *demo_home;         /* the demo's private user data dir, removed at the end */
  guint sigint_source;
  guint sigterm_source;
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
  /* Closing a window may destroy it and take it off the application's list: walk a copy. */
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);
  /* Closing each window lets it stop what it started (a send, the demo servers). */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
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
  /* Translators: your names, one per line, as you want them credited in the About window */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = on_quit_activate },
  { .name = "about", .activate = on_about_activate },
};

/* SIGINT (Ctrl+C in a terminal) or SIGTERM (logging out): Quit, as Ctrl+Q would, so every
 * window saves its draft and the demo stops its servers and removes its files. Once only:
 * with the watch gone the signal kills again, so a second Ctrl+C always ends Epistle. */
static gboolean
on_sigint_cb (gpointer data)
{
  EpApplication *self = data;

  self->sigint_source = 0;
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_sigterm_cb (gpointer data)
{
  EpApplication *self = data;

  self->sigterm_source = 0;
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
ep_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ep_application_parent_class)->startup (app);
  gtk_window_set_default_icon_name (APP_ID);
  EP_APPLICATION (app)->sigint_source = g_unix_signal_add (SIGINT, on_sigint_cb, app);
  EP_APPLICATION (app)->sigterm_source = g_unix_signal_add (SIGTERM, on_sigterm_cb, app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
}

/* Chinese, Japanese and Korean text may break between any two characters, and GTK 4.8
 * then sizes a tooltip to a narrow balanced wrap (清除 / 格式). A tooltip is a CSS child of
 * its widget, so style.css gives the tooltips of a `.cjk` window a minimum width. */
static gboolean
interface_is_cjk (void)
{
  const char *language = g_get_language_names ()[0];

  return g_str_has_prefix (language, "zh") || g_str_has_prefix (language, "ja") ||
         g_str_has_prefix (language, "ko");
}

static void
ep_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (ep_application_parent_class)->window_added (app, window);
  if (interface_is_cjk ())
    gtk_widget_add_css_class (GTK_WIDGET (window), "cjk");
}

static void
ep_application_shutdown (GApplication *app)
{
  EpApplication *self = EP_APPLICATION (app);

  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
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
  g_clear_pointer (&self->demo_home, g_free);
  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
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

/* A composer for one launch's request: the first window, or a new one signed in like another. */
static EpWindow *
new_composer (EpApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  EpWindow *window;

  if (windows == NULL)
    return ep_window_new (self, self->demo);
  window = ep_window_new (self, FALSE);
  for (GList *l = windows; l != NULL; l = l->next)
    if (EP_IS_WINDOW (l->data) && l->data != window && ep_window_is_signed_in (l->data))
      {
        ep_window_share_account (window, l->data);
        break;
      }
  return window;
}

/* Opens one composer per link (the files go to the first), or one for the files alone.
 * Returns: FALSE when a link could not be read: its composer opens anyway and says why. */
static gboolean
compose (EpApplication  *self,
         GPtrArray      *links,
         GList          *files,
         GError        **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < MAX (links->len, 1); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(EpMailto) mailto = NULL;
      EpWindow *window = new_composer (self);

      if (i < links->len)
        mailto = ep_mailto_parse (g_ptr_array_index (links, i), &local_error);
      ep_window_prefill (window, mailto, i == 0 ? files : NULL);
      if (local_error != NULL)
        {
          ep_window_add_toast (window, local_error->message);
          if (ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      gtk_window_present (GTK_WINDOW (window));
    }
  return ok;
}

/* Also where a second launch's command line arrives, with its own working directory. */
static int
ep_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  EpApplication *self = EP_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autolist(GFile) files = NULL;
  g_autofree const char **attach = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  int argc;

  argv = g_application_command_line_get_arguments (cmdline, &argc);
  for (int i = 1; i < argc; i++)
    {
      if (ep_mailto_is_mailto (argv[i]))
        g_ptr_array_add (links, g_strdup (argv[i]));
      else
        files = g_list_prepend (files, g_application_command_line_create_file_for_arg (cmdline, argv[i]));
    }
  if (g_variant_dict_lookup (options, "attach", "^a&ay", &attach))
    for (guint i = 0; attach[i] != NULL; i++)
      files = g_list_prepend (files, g_application_command_line_create_file_for_arg (cmdline, attach[i]));
  files = g_list_reverse (files);

  if (links->len == 0 && files == NULL)
    {
      g_application_activate (app);
      return 0;
    }
  if (!compose (self, links, files, &error))
    {
      g_application_command_line_printerr (cmdline, "epistle: %s\n", error->message);
      return EX_DATAERR;   /* as the command line's verbs for bad input */
    }
  return 0;
}

/* The desktop's D-Bus Open: mailto: links and files to attach. */
static void
ep_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autolist(GFile) attach = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < n_files; i++)
    {
      if (g_file_has_uri_scheme (files[i], "mailto"))
        g_ptr_array_add (links, g_file_get_uri (files[i]));
      else
        attach = g_list_prepend (attach, g_object_ref (files[i]));
    }
  attach = g_list_reverse (attach);
  if (!compose (EP_APPLICATION (app), links, attach, &error))
    g_warning ("A mailto: link could not be read: %s", error->message);
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
      g_autoptr(GError) error = NULL;

      self->demo = TRUE;
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
      /* Its drafts, Outbox and addresses are not the person's own: without a folder of its
       * own the demo does not start, rather than write alice's mail among them. */
      self->demo_home = ep_demo_home_enter (&error);
      if (self->demo_home == NULL)
        {
          g_printerr (_("epistle: the demo cannot start: %s\n"), error->message);
          return EX_CANTCREAT;
        }
    }
  return -1;
}

static void
ep_application_class_init (EpApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ep_application_dispose;
  app_class->startup = ep_application_startup;
  app_class->shutdown = ep_application_shutdown;
  app_class->activate = ep_application_activate;
  app_class->handle_local_options = ep_application_handle_local_options;
  app_class->command_line = ep_application_command_line;
  app_class->open = ep_application_open;
  gtk_app_class->window_added = ep_application_window_added;
}

static void
ep_application_init (EpApplication *self)
{
  const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start local test mail servers and sign in to them"), NULL },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
      N_("Open a composer with FILE attached (may be repeated)"), N_("FILE") },
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
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("“epistle mailto:LINK”, “epistle --attach FILE” or "
                                                  "“epistle FILE…” opens a composer filled in, in the "
                                                  "Epistle already running."));
}

EpApplication *
ep_application_new (void)
{
  return g_object_new (EP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/epistle/Epistle",
                       NULL);
}

/* TRUE for what opens a composer rather than naming a verb: a mailto: link, or a file
 * (an existing name, a path or URI with a '/', or a name with a dot, which no verb has). */
gboolean
ep_application_is_window_argument (const char *arg)
{
  g_return_val_if_fail (arg != NULL, FALSE);

  return ep_mailto_is_mailto (arg) || strchr (arg, '/') != NULL || strchr (arg, '.') != NULL ||
         g_file_test (arg, G_FILE_TEST_EXISTS);
}

int
ep_application_run_main (int    argc,
                         char **argv)
{
  g_autoptr(EpApplication) app = ep_application_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_set_application_name (_("Epistle"));
  status = g_application_run (G_APPLICATION (app), argc, argv);
  if (app->demo_home != NULL && !ep_demo_home_remove (app->demo_home, &error))
    g_warning ("The demo's files were not all removed: %s", error->message);
  return status;
}
