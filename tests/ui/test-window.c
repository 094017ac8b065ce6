/* test-window.c — the compose window in-process: sign-in presets, Send's state, questions, failures
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-transcript-window.h"
#include "ep-window-private.h"

typedef struct
{
  EpWindow *window;
  char *dir;
  guint refused;
} Fixture;

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
on_refused_cb (EpAttachmentBar *bar,
               const char      *message,
               Fixture         *fixture)
{
  fixture->refused++;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->window = ep_window_new (NULL, FALSE);
  fixture->dir = g_dir_make_tmp ("epistle-window-XXXXXX", NULL);
  g_signal_connect (fixture->window->attachments, "refused", G_CALLBACK (on_refused_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->dir);
}

/* Signs in without a server: an account pointing at a port nobody listens on. */
static void
use_dead_account (Fixture *fixture)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("alice@example.com", NULL);

  ep_account_set_display_name (account, "Alice Liddell");
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, closed_port ());
  ep_account_set_smtp_security (account, EP_SECURITY_STARTTLS);
  ep_window_use_account (fixture->window, account, "secret", 0);
}

static gboolean
send_enabled (Fixture *fixture)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (fixture->window->send_button));
}

static void
test_first_run_signin (Fixture       *fixture,
                       gconstpointer  data)
{
  g_assert_cmpstr (ep_window_get_page (fixture->window), ==, "signin");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window->send_button)));
}

typedef struct
{
  const char *address;
  const char *host;
  const char *port;
  EpSecurity security;
  gboolean manual;
  const char *hint_has;
} Preset;

static const Preset presets[] = {
  { "someone@qq.com", "smtp.qq.com", "465", EP_SECURITY_TLS, FALSE, "授权码" },
  { "someone@163.com", "smtp.163.com", "465", EP_SECURITY_TLS, FALSE, "授权码" },
  { "Someone@Gmail.com", "smtp.gmail.com", "465", EP_SECURITY_TLS, FALSE, "app password" },
  { "someone@outlook.com", "smtp-mail.outlook.com", "587", EP_SECURITY_STARTTLS, FALSE, NULL },
  { "someone@example.org", "smtp.example.org", "465", EP_SECURITY_TLS, TRUE, NULL },
};

static void
test_signin_presets (Fixture       *fixture,
                     gconstpointer  data)
{
  EpSigninPage *page = fixture->window->signin_page;

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      const char *host, *port;
      EpSecurity security;
      gboolean manual;

      ep_signin_page_set_account (page, NULL);
      ep_signin_page_fill (page, "Someone", presets[i].address, "");
      ep_signin_page_get_server (page, &host, &port, &security, &manual);
      g_assert_cmpstr (host, ==, presets[i].host);
      g_assert_cmpstr (port, ==, presets[i].port);
      g_assert_cmpint (security, ==, presets[i].security);
      g_assert_cmpint (manual, ==, presets[i].manual);
      if (presets[i].hint_has == NULL)
        g_assert_null (ep_signin_page_get_hint (page));
      else
        g_assert_nonnull (strstr (ep_signin_page_get_hint (page), presets[i].hint_has));
    }
}

/* An empty password is refused in the page before anything is sent. */
static void
test_signin_needs_password (Fixture       *fixture,
                            gconstpointer  data)
{
  EpSigninPage *page = fixture->window->signin_page;

  ep_signin_page_fill (page, "Someone", "someone@qq.com", "");
  ep_signin_page_sign_in (page);
  g_assert_false (ep_signin_page_get_busy (page));
  g_assert_nonnull (strstr (ep_signin_page_get_error (page), "authorization code"));
  g_assert_cmpstr (ep_window_get_page (fixture->window), ==, "signin");
}

static void
test_send_enabled (Fixture       *fixture,
                   gconstpointer  data)
{
  EpWindow *window = fixture->window;

  use_dead_account (fixture);
  g_assert_cmpstr (ep_window_get_page (window), ==, "compose");
  g_assert_false (send_enabled (fixture));

  ep_recipient_entry_set_text (window->to_entry, "bob@example.com");
  g_assert_true (send_enabled (fixture));
  g_object_set (window, "show-cc", TRUE, NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->cc_entry)));
  ep_recipient_entry_set_text (window->cc_entry, "carol@example");
  g_assert_false (send_enabled (fixture));
  ep_recipient_entry_set_text (window->cc_entry, "carol@example.com");
  g_assert_true (send_enabled (fixture));
  ep_recipient_entry_set_text (window->to_entry, "");
  g_assert_true (send_enabled (fixture));          /* Cc alone is enough */
  ep_recipient_entry_set_text (window->cc_entry, "");
  g_assert_false (send_enabled (fixture));
  ep_recipient_entry_set_text (window->bcc_entry, "dave@example.com");
  g_assert_true (send_enabled (fixture));          /* so is Bcc, even hidden */
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.show-bcc", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->bcc_entry)));
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.show-bcc", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->bcc_entry)));
  ep_recipient_entry_set_text (window->to_entry, "张三 <zhang@qq.com>; bad@@example.com");
  g_assert_false (send_enabled (fixture));
}

static AdwMessageDialog *
find_dialog (EpWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)) &&
          gtk_window_get_transient_for (GTK_WINDOW (item)) == GTK_WINDOW (window))
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static EpTranscriptWindow *
find_transcript (EpWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (EP_IS_TRANSCRIPT_WINDOW (item) &&
          gtk_window_get_transient_for (GTK_WINDOW (item)) == GTK_WINDOW (window))
        return EP_TRANSCRIPT_WINDOW (item);
    }
  return NULL;
}

static void
cancel_and_wait (EpWindow *window)
{
  ep_window_cancel_send (window);
  while (ep_window_is_sending (window))
    g_main_context_iteration (NULL, TRUE);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_forgotten_attachment (Fixture       *fixture,
                           gconstpointer  data)
{
  EpWindow *window = fixture->window;
  g_autofree char *path = write_file (fixture->dir, "报告.txt", "quarterly figures\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwMessageDialog *dialog;

  use_dead_account (fixture);
  ep_recipient_entry_set_text (window->to_entry, "bob@example.com");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), "Figures");
  ep_rich_editor_set_text (window->editor, "Hi Bob,\n\n请查收附件。\n");

  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  dialog = find_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Send Without an Attachment?");
  answer (dialog, "cancel");
  g_assert_false (ep_window_is_sending (window));

  /* Quoted words are someone else's: no question for them. */
  ep_rich_editor_set_text (window->editor, "Thanks.\n\n> see the attached file\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_null (find_dialog (window));
  g_assert_true (ep_window_is_sending (window));
  cancel_and_wait (window);

  /* With the file attached and a subject, the mention asks nothing… */
  ep_rich_editor_set_text (window->editor, "The report is attached.\n");
  g_assert_true (ep_attachment_bar_add_file (window->attachments, file, NULL));
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), "");
  /* …but an empty subject asks once, and "Send Anyway" sends. */
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  dialog = find_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Send Without a Subject?");
  answer (dialog, "send");
  g_assert_true (ep_window_is_sending (window));
  cancel_and_wait (window);
}

static void
test_failed_send_keeps_fields (Fixture       *fixture,
                               gconstpointer  data)
{
  EpWindow *window = fixture->window;
  g_autofree char *path = write_file (fixture->dir, "notes.txt", "a\nb\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *body = NULL;
  const char *to = "张三 <zhang@qq.com>; bob@example.com";
  const char *subject = "季度报告 — Q3";
  const char *text = "你好，\n\n报告见附件。\n";
  g_auto(GStrv) paths = NULL;

  use_dead_account (fixture);
  ep_recipient_entry_set_text (window->to_entry, to);
  g_object_set (window, "show-cc", TRUE, NULL);
  ep_recipient_entry_set_text (window->cc_entry, "carol@example.com");
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), subject);
  ep_rich_editor_set_text (window->editor, text);
  g_assert_true (ep_attachment_bar_add_file (window->attachments, file, NULL));

  gtk_widget_activate_action (GTK_WIDGET (window), "compose.send", NULL);
  g_assert_true (ep_window_is_sending (window));
  g_assert_false (send_enabled (fixture));
  while (ep_window_is_sending (window))
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (ep_window_get_banner (window));
  g_assert_nonnull (strstr (ep_window_get_banner (window), "refused the connection"));
  g_assert_cmpstr (ep_recipient_entry_get_text (window->to_entry), ==, to);
  g_assert_cmpstr (ep_recipient_entry_get_text (window->cc_entry), ==, "carol@example.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->subject_entry)), ==, subject);
  body = ep_rich_editor_dup_text (window->editor);
  g_assert_cmpstr (body, ==, text);
  paths = ep_attachment_bar_dup_paths (window->attachments);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, path);
  g_assert_true (send_enabled (fixture));

  /* Show Details: the transcript of that attempt, in its own window. */
  gtk_widget_activate_action (GTK_WIDGET (window), "compose.show-details", NULL);
  g_assert_nonnull (find_transcript (window));
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* A file manager's drop of a file, a folder and a vanished file onto the composer. */
static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  EpWindow *window = fixture->window;
  g_autofree char *path = write_file (fixture->dir, "photo.jpg", "not really a jpeg");
  g_autofree char *folder = g_build_filename (fixture->dir, "folder", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.pdf", NULL);
  GtkDropTarget *target = find_drop_target (window->compose_box);
  GSList *files = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean handled = FALSE;
  g_auto(GStrv) paths = NULL;

  use_dead_account (fixture);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_nonnull (target);
  files = g_slist_append (files, g_file_new_for_path (path));
  files = g_slist_append (files, g_file_new_for_path (folder));
  files = g_slist_append (files, g_file_new_for_path (missing));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_slist_free_full (files, g_object_unref);

  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_assert_true (handled);
  paths = ep_attachment_bar_dup_paths (window->attachments);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, path);
  g_assert_cmpuint (fixture->refused, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window/first-run-signin", Fixture, NULL, setup, test_first_run_signin, teardown);
  g_test_add ("/window/signin-presets", Fixture, NULL, setup, test_signin_presets, teardown);
  g_test_add ("/window/signin-needs-password", Fixture, NULL, setup, test_signin_needs_password, teardown);
  g_test_add ("/window/send-enabled", Fixture, NULL, setup, test_send_enabled, teardown);
  g_test_add ("/window/forgotten-attachment", Fixture, NULL, setup, test_forgotten_attachment, teardown);
  g_test_add ("/window/failed-send-keeps-fields", Fixture, NULL, setup, test_failed_send_keeps_fields, teardown);
  g_test_add ("/window/drop", Fixture, NULL, setup, test_drop, teardown);
  return g_test_run ();
}
