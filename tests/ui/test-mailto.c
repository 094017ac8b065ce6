/* test-mailto.c — `epistle 'mailto:…'` and `--attach` fill a composer, in this and a second launch
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test process runs the real EpApplication on the private session bus
 * that tests/ui/xvfb-wrapper starts, so it is the one instance: its own
 * command line opens the first composer, then the real program
 * ($EPISTLE_BIN) launched a second and a third time forwards its command
 * line here, and the composers it opens are read in-process. Last, GApplication's
 * open (the desktop's D-Bus Open) with a link and a file.
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-window-private.h"

#define FIRST_LINK "mailto:a@x.test?cc=b@x.test&subject=%E4%BD%A0%E5%A5%BD&body=hi"
#define SECOND_LINK "mailto:?to=c@x.test,d@x.test&bcc=e@x.test&subject=Second&body=line1%0D%0Aline2" \
                    "&attach=/etc/passwd"
#define BAD_LINK "mailto:f@x.test?subject=%ZZ"

typedef struct
{
  EpApplication *app;
  char *dir;
  guint step;
  guint refused;
  EpWindow *first;
  int launch_status;   /* the last launch's exit status, -1 while it runs */
} Launches;

static void
on_refused_cb (EpAttachmentBar *bar,
               const char      *message,
               Launches        *launches)
{
  g_test_message ("refused: %s", message);
  launches->refused++;
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    Launches       *launches)
{
  g_signal_connect (EP_WINDOW (window)->attachments, "refused", G_CALLBACK (on_refused_cb), launches);
}

static void
on_launch_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Launches *launches = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  launches->launch_status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
}

/* The real program again, from @launches->dir, as a file manager or browser would start it. */
static void
launch (Launches   *launches,
        const char *link,
        const char *file)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_cwd (launcher, launches->dir);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("EPISTLE_BIN"), link, file, NULL);
  g_assert_no_error (error);
  launches->launch_status = -1;
  g_subprocess_wait_async (process, NULL, on_launch_done_cb, launches);
}

static EpWindow *
newest_window (Launches *launches,
               guint     n_windows)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (launches->app));

  if (g_list_length (windows) != n_windows || !gtk_widget_get_mapped (windows->data))
    return NULL;
  return windows->data;   /* most recently focused first: the one just presented */
}

static char *
body_of (EpWindow *window)
{
  return ep_rich_editor_dup_text (window->editor);
}

static void
check_first (Launches *launches,
             EpWindow *window)
{
  g_autofree char *body = body_of (window);
  g_auto(GStrv) paths = ep_attachment_bar_dup_paths (window->attachments);
  g_autofree char *attached = g_build_filename (launches->dir, "report.txt", NULL);
  g_autoptr(EpAccount) account = ep_account_new_for_address ("alice@example.com", NULL);

  g_assert_cmpstr (ep_window_get_page (window), ==, "signin");
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "a@x.test");
  g_assert_cmpstr (ep_recipient_entry_get_text (window->cc_entry), ==, "b@x.test");
  g_assert_true (window->show_cc);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->cc_entry)));
  g_assert_false (window->show_bcc);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, "你好");
  g_assert_cmpstr (body, ==, "hi");
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, attached);
  g_assert_cmpuint (launches->refused, ==, 1);   /* the missing file, named in a toast */

  /* Signing in keeps what the link filled in. */
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_window_use_account (window, account, "secret", 0);
  g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "a@x.test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, "你好");
  g_assert_cmpuint (ep_attachment_bar_get_n_files (window->attachments), ==, 1);
  /* To and Subject are filled: the focus goes to the body, never selects the recipients. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (ep_rich_editor_get_view (window->editor)));
  launches->first = window;
}

static void
check_second (Launches *launches,
              EpWindow *window)
{
  g_autofree char *body = body_of (window);
  g_auto(GStrv) paths = ep_attachment_bar_dup_paths (window->attachments);
  g_autofree char *attached = g_build_filename (launches->dir, "relative.txt", NULL);

  g_assert_true (window != launches->first);
  /* Signed in with the first window's account and secret: no password asked. */
  g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
  g_assert_true (window->account == launches->first->account);
  g_assert_cmpstr (window->secret, ==, "secret");
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "c@x.test, d@x.test");
  g_assert_cmpuint (ep_recipient_entry_get_n_addresses (window->to_entry), ==, 2);
  g_assert_cmpstr (ep_recipient_entry_get_text (window->cc_entry), ==, "");
  g_assert_cmpstr (ep_recipient_entry_get_text (window->bcc_entry), ==, "e@x.test");
  g_assert_true (window->show_bcc);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, "Second");
  g_assert_cmpstr (body, ==, "line1\nline2");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (ep_rich_editor_get_view (window->editor)));
  /* The relative name is the launcher's; the link's attach=/etc/passwd is never taken. */
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, attached);
  /* The first composer is untouched. */
  g_assert_cmpstr (ep_recipient_entry_get_text (launches->first->to_entry), ==, "a@x.test");
}

/* What a desktop does for a DBusActivatable handler: GApplication's open, with GFiles. */
static void
open_over_dbus (Launches *launches)
{
  g_autofree char *path = g_build_filename (launches->dir, "report.txt", NULL);
  GFile *files[2];

  files[0] = g_file_new_for_uri ("mailto:g@x.test?subject=Opened&body=By%20D-Bus");
  files[1] = g_file_new_for_path (path);
  g_application_open (G_APPLICATION (launches->app), files, 2, "");
  g_object_unref (files[0]);
  g_object_unref (files[1]);
}

static void
check_opened (Launches *launches,
              EpWindow *window)
{
  g_autofree char *body = body_of (window);
  g_auto(GStrv) paths = ep_attachment_bar_dup_paths (window->attachments);

  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "g@x.test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, "Opened");
  g_assert_cmpstr (body, ==, "By D-Bus");
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_true (g_str_has_suffix (paths[0], "/report.txt"));
}

static gboolean
step_cb (gpointer user_data)
{
  Launches *launches = user_data;
  EpWindow *window;

  switch (launches->step)
    {
    case 0:   /* this process's own command line */
      if ((window = newest_window (launches, 1)) == NULL)
        return G_SOURCE_CONTINUE;
      g_assert_false (g_application_get_is_remote (G_APPLICATION (launches->app)));
      check_first (launches, window);
      launch (launches, SECOND_LINK, "relative.txt");
      break;
    case 1:   /* a second launch: a new window here, and the launch ends at once with 0 */
      if (launches->launch_status < 0 || (window = newest_window (launches, 2)) == NULL)
        return G_SOURCE_CONTINUE;
      g_assert_cmpint (launches->launch_status, ==, 0);
      check_second (launches, window);
      launch (launches, BAD_LINK, NULL);
      break;
    case 2:   /* a broken link: the launch says so (EX_DATAERR); its composer opens, with To */
      if (launches->launch_status < 0 || (window = newest_window (launches, 3)) == NULL)
        return G_SOURCE_CONTINUE;
      g_assert_cmpint (launches->launch_status, ==, 65);
      g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, "");
      g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
      open_over_dbus (launches);
      break;
    case 3:   /* the desktop's D-Bus Open: a link and a file */
      if ((window = newest_window (launches, 4)) == NULL)
        return G_SOURCE_CONTINUE;
      check_opened (launches, window);
      while (gtk_application_get_windows (GTK_APPLICATION (launches->app)) != NULL)
        gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (launches->app))->data);
      return G_SOURCE_REMOVE;
    default:
      g_assert_not_reached ();
    }
  launches->step++;
  return G_SOURCE_CONTINUE;
}

static void
test_launches (void)
{
  Launches launches = { 0 };
  g_autofree char *report = NULL, *relative = NULL, *missing = NULL;
  g_autofree char *command = NULL;
  char *argv[7];

  launches.dir = g_dir_make_tmp ("epistle-mailto-XXXXXX", NULL);
  report = g_build_filename (launches.dir, "report.txt", NULL);
  relative = g_build_filename (launches.dir, "relative.txt", NULL);
  missing = g_build_filename (launches.dir, "missing.pdf", NULL);
  g_assert_true (g_file_set_contents (report, "report\n", -1, NULL));
  g_assert_true (g_file_set_contents (relative, "relative\n", -1, NULL));

  launches.app = ep_application_new ();
  g_signal_connect (launches.app, "window-added", G_CALLBACK (on_window_added_cb), &launches);
  g_timeout_add (50, step_cb, &launches);
  argv[0] = (char *) "epistle";
  argv[1] = (char *) FIRST_LINK;
  argv[2] = (char *) "--attach";
  argv[3] = report;
  argv[4] = (char *) "--attach";
  argv[5] = missing;
  argv[6] = NULL;
  g_assert_cmpint (g_application_run (G_APPLICATION (launches.app), 6, argv), ==, 0);
  g_assert_cmpuint (launches.step, ==, 3);
  g_clear_object (&launches.app);

  command = g_strdup_printf ("rm -rf '%s'", launches.dir);
  g_assert_cmpint (system (command), ==, 0);
  g_free (launches.dir);
}

/* What opens a window rather than naming a verb (main.c asks before GTK starts). */
static void
test_window_arguments (void)
{
  g_assert_true (ep_application_is_window_argument ("mailto:a@x.test"));
  g_assert_true (ep_application_is_window_argument ("MAILTO:"));
  g_assert_true (ep_application_is_window_argument ("report.pdf"));
  g_assert_true (ep_application_is_window_argument ("/tmp"));
  g_assert_true (ep_application_is_window_argument ("file:///tmp/x"));
  g_assert_false (ep_application_is_window_argument ("send"));
  g_assert_false (ep_application_is_window_argument ("sned"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/mailto/window-arguments", test_window_arguments);
  g_test_add_func ("/mailto/launches", test_launches);
  return g_test_run ();
}
