/* test-window-drafts.c — the composer's drafts in-process: autosave, close, restore offer, open, delete
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/xvfb-wrapper, whose HOME is a fresh temporary
 * directory: the drafts live in its user data dir, emptied before each case.
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-buffer-html.h"
#include "ep-draft-body.h"
#include "ep-draft-store.h"
#include "ep-drafts-window.h"
#include "ep-test-utils.h"
#include "ep-window-private.h"

#define WAIT_SECONDS 10

typedef struct
{
  EpWindow *window;
  EpDraftStore *store;
  char *files;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", path);

  g_assert_cmpint (system (command), ==, 0);
}

static void
use_account (EpWindow *window)
{
  g_autoptr(EpAccount) account = ep_account_new_for_address ("alice@example.com", NULL);

  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_window_use_account (window, account, "secret", 0);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autofree char *dir = ep_draft_store_default_dir ();

  remove_tree (dir);
  f->store = ep_draft_store_new (NULL);
  f->files = g_dir_make_tmp ("epistle-drafts-XXXXXX", NULL);
  f->window = ep_window_new (NULL, FALSE);
  gtk_window_present (GTK_WINDOW (f->window));
}

/* A window closed or destroyed goes for good (with its dialogs, destroyed with their parent)
 * only when the last reference goes, which a cancelled operation (the keyring check at start)
 * may hold a moment longer: the next case starts with no toplevel of this one left. */
static void
wait_no_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (toplevels) > 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, 0);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  wait_no_toplevels ();
  g_clear_object (&f->store);
  remove_tree (f->files);
  g_free (f->files);
}

/* Iterates the main loop until the store holds @n drafts, the first passing @check (if any). */
static GPtrArray *
wait_for_drafts (Fixture   *f,
                 guint      n,
                 gboolean (*check) (EpDraft *))
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) drafts = ep_draft_store_list (f->store, NULL, NULL);

      if (drafts->len == n && (n == 0 || check == NULL || check (drafts->pdata[0])))
        return g_steal_pointer (&drafts);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  g_assert_not_reached ();
  return NULL;
}

static char *
write_png (Fixture    *f,
           const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  char *path = g_build_filename (f->files, name, NULL);

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return path;
}

static void
fill_composer (Fixture *f)
{
  EpWindow *w = f->window;
  GtkTextBuffer *buffer = ep_rich_editor_get_buffer (w->editor);
  g_autofree char *path = ep_test_write_file (f->files, "报告.txt", "report", 6);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkTextIter start, end;

  ep_recipient_entry_set_text (w->to_entry, "bob@example.test; 陈静 <carol@example.test>");
  gtk_editable_set_text (GTK_EDITABLE (w->subject_entry), "季度报告");
  gtk_text_buffer_set_text (buffer, "Hello bold world", -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, 6);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, 10);
  gtk_text_buffer_apply_tag (buffer, ep_buffer_html_get_tag (buffer, "bold"), &start, &end);
  g_assert_true (ep_attachment_bar_add_file (w->attachments, file, NULL));
}

/* The path of the first image in @editor's body. */
static const char *
first_image_path (EpRichEditor *editor)
{
  GtkTextBuffer *buffer = ep_rich_editor_get_buffer (editor);
  GtkTextIter iter;

  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter);
       gtk_text_iter_forward_char (&iter))
    {
      GdkPaintable *paintable = gtk_text_iter_get_paintable (&iter);

      if (paintable != NULL)
        return g_object_get_data (G_OBJECT (paintable), EP_BUFFER_HTML_IMAGE_PATH);
    }
  return NULL;
}

static gboolean
has_attachment (EpDraft *draft)
{
  return ep_draft_get_n_attachments (draft) == 1;
}

static GtkWindow *
find_dialog (const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
          g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
        return l->data;
    }
  return NULL;
}

/* The composer is written a moment after a change, and a second window opens it exactly. */
static void
test_autosave_and_open (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  EpDraft *draft;
  EpWindow *other;
  g_autofree char *html = NULL;

  use_account (f->window);
  fill_composer (f);
  {
    g_autofree char *image = write_png (f, "pasted.png");
    GtkTextBuffer *buffer = ep_rich_editor_get_buffer (f->window->editor);
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_place_cursor (buffer, &end);
    g_assert_true (ep_rich_editor_insert_image (f->window->editor, image, NULL));
  }
  drafts = wait_for_drafts (f, 1, has_attachment);
  draft = drafts->pdata[0];
  g_assert_cmpuint (ep_draft_get_n_images (draft), ==, 1);
  g_assert_nonnull (strstr (ep_draft_get_html (draft), "src=\"cid:image1.draft\""));
  g_assert_true (ep_draft_get_open (draft));
  g_assert_cmpstr (ep_draft_get_account (draft), ==, "alice@example.com");
  g_assert_cmpstr (ep_draft_get_to (draft), ==, "bob@example.test; 陈静 <carol@example.test>");
  g_assert_cmpstr (ep_draft_get_subject (draft), ==, "季度报告");
  g_assert_nonnull (strstr (ep_draft_get_html (draft), "Hello <b>bold</b> world"));
  g_assert_cmpstr (ep_window_drafts_get_id (f->window), ==, ep_draft_get_id (draft));

  other = ep_window_new (NULL, FALSE);
  g_assert_true (ep_window_drafts_open (other, ep_draft_get_id (draft), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ep_recipient_entry_get_text (other->to_entry), ==, ep_draft_get_to (draft));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (other->subject_entry)), ==, "季度报告");
  html = ep_buffer_html_to_html (ep_rich_editor_get_buffer (other->editor), EP_DRAFT_BODY_CID_SUFFIX, NULL, NULL);
  g_assert_cmpstr (html, ==, ep_draft_get_html (draft));
  g_assert_cmpuint (ep_attachment_bar_get_n_files (other->attachments), ==, 1);
  g_assert_cmpstr (ep_window_drafts_get_id (other), ==, ep_draft_get_id (draft));
  /* The image shown is the draft's own copy, under the image's own name. */
  {
    g_autofree char *dir = ep_draft_store_dup_draft_dir (f->store, ep_draft_get_id (draft));
    const char *shown = first_image_path (other->editor);

    g_assert_true (g_str_has_prefix (shown, dir));
    g_assert_true (g_str_has_suffix (shown, "/pasted.png"));
  }
  gtk_window_destroy (GTK_WINDOW (other));
}

/* Closing writes at once, before any autosave, and marks the draft closed. */
static void
test_close_saves (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) drafts = NULL;

  use_account (f->window);
  gtk_editable_set_text (GTK_EDITABLE (f->window->subject_entry), "typed just now");
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  drafts = ep_draft_store_list (f->store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (ep_draft_get_subject (drafts->pdata[0]), ==, "typed just now");
  g_assert_false (ep_draft_get_open (drafts->pdata[0]));
}

/* When the draft cannot be written, closing asks first, and Close Anyway closes. */
static void
test_close_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *root = ep_draft_store_default_dir ();
  g_autofree char *parent = g_path_get_dirname (root);
  GtkWindow *dialog;
  EpWindow *window = f->window;

  /* A file where the drafts folder should be: nothing can be written under it. */
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (root, "not a folder", -1, NULL));
  use_account (window);
  gtk_editable_set_text (GTK_EDITABLE (window->subject_entry), "cannot be saved");
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));   /* still open */
  dialog = find_dialog ("Close Without Saving the Draft?");
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), root));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &f->window);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");
  for (int i = 0; i < 200 && f->window != NULL; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (f->window);   /* closed as asked */
  g_assert_cmpint (g_unlink (root), ==, 0);
}

/* A plain-text message comes back as plain text, line for line. */
static void
test_plain_text (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  EpWindow *other;

  use_account (f->window);
  ep_rich_editor_set_plain_text (f->window->editor, TRUE);
  ep_rich_editor_set_text (f->window->editor, "line one\n\n  indented <b>not bold</b>\n");
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  drafts = ep_draft_store_list (f->store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_true (ep_draft_get_plain_text (drafts->pdata[0]));

  other = ep_window_new (NULL, FALSE);
  g_assert_true (ep_window_drafts_open (other, ep_draft_get_id (drafts->pdata[0]), &error));
  g_assert_no_error (error);
  g_assert_true (ep_rich_editor_get_plain_text (other->editor));
  text = ep_rich_editor_dup_text (other->editor);
  g_assert_cmpstr (text, ==, "line one\n\n  indented <b>not bold</b>\n");
  gtk_window_destroy (GTK_WINDOW (other));
}

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (shows_label (child, text))
        return TRUE;
    }
  return FALSE;
}

/* With another window still open, closing a composer says where its message went. */
static void
test_close_says_so (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GtkApplication) app = gtk_application_new ("io.github.epistle.DraftsTest", G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  EpWindow *other = ep_window_new (NULL, FALSE);
  const char *said = "The message you closed was saved in Drafts.";

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_window_set_application (GTK_WINDOW (f->window), app);
  gtk_window_set_application (GTK_WINDOW (other), app);
  gtk_window_present (GTK_WINDOW (other));
  use_account (f->window);
  gtk_editable_set_text (GTK_EDITABLE (f->window->subject_entry), "closed with another window open");
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  for (int i = 0; i < 50 && !shows_label (GTK_WIDGET (other), said); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_true (shows_label (GTK_WIDGET (other), said));
  gtk_window_destroy (GTK_WINDOW (other));
}

/* An empty composer leaves nothing behind. */
static void
test_empty_not_saved (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) drafts = NULL;

  use_account (f->window);
  gtk_editable_set_text (GTK_EDITABLE (f->window->subject_entry), "x");
  gtk_editable_set_text (GTK_EDITABLE (f->window->subject_entry), "");
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  drafts = ep_draft_store_list (f->store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 0);
}

/* A send deletes the draft; what the composer still holds starts a new one. */
static void
test_sent_deletes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *id = NULL;

  use_account (f->window);
  fill_composer (f);
  drafts = wait_for_drafts (f, 1, has_attachment);
  id = g_strdup (ep_draft_get_id (drafts->pdata[0]));
  ep_window_drafts_sent (f->window);
  g_assert_null (ep_window_drafts_get_id (f->window));
  /* The composer was not cleared (as when it changed during the send): a new draft follows. */
  after = wait_for_drafts (f, 1, has_attachment);
  g_assert_cmpstr (ep_draft_get_id (after->pdata[0]), !=, id);
}

/* A draft left open by a crash is offered at sign-in; a vanished attachment stays in the draft. */
static void
test_restore_offer (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(EpDraft) draft = ep_draft_new (NULL);
  g_autofree char *kept = ep_test_write_file (f->files, "kept.txt", "kept", 4);
  g_autofree char *gone = g_build_filename (f->files, "gone.pdf", NULL);
  g_autoptr(GPtrArray) drafts = NULL;
  GtkWindow *dialog;

  ep_draft_set_to (draft, "bob@example.test");
  ep_draft_set_bcc (draft, "boss@example.test");
  ep_draft_set_subject (draft, "left by a crash");
  ep_draft_set_html (draft, "<p>one <i>two</i></p>");
  ep_draft_set_open (draft, TRUE);
  ep_draft_add_attachment (draft, kept, NULL);
  ep_draft_add_attachment (draft, gone, NULL);
  g_assert_true (ep_draft_store_save (f->store, draft, NULL, NULL));

  use_account (f->window);
  dialog = find_dialog ("Restore the Message You Were Writing?");
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  g_assert_cmpstr (ep_recipient_entry_get_text (f->window->to_entry), ==, "bob@example.test");
  g_assert_cmpstr (ep_recipient_entry_get_text (f->window->bcc_entry), ==, "boss@example.test");
  g_assert_true (f->window->show_bcc);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->subject_entry)), ==, "left by a crash");
  g_assert_cmpuint (ep_attachment_bar_get_n_files (f->window->attachments), ==, 1);
  g_assert_cmpstr (ep_window_drafts_get_id (f->window), ==, ep_draft_get_id (draft));

  /* Written again (on close): still the same draft, still listing the vanished file. */
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  drafts = ep_draft_store_list (f->store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (ep_draft_get_id (drafts->pdata[0]), ==, ep_draft_get_id (draft));
  g_assert_cmpuint (ep_draft_get_n_attachments (drafts->pdata[0]), ==, 2);
  g_assert_cmpstr (ep_draft_get_attachment (drafts->pdata[0], 1, NULL), ==, gone);
}

static EpDraftsWindow *
find_drafts_window (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (EP_IS_DRAFTS_WINDOW (l->data) && gtk_widget_get_visible (l->data))
        return l->data;
    }
  return NULL;
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Drafts… lists the drafts; activating one opens it in the empty composer and closes the list. */
static void
test_list_opens (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(EpDraft) older = ep_draft_new (NULL);
  g_autoptr(EpDraft) newer = ep_draft_new (NULL);
  g_autoptr(GDateTime) before = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  EpDraftsWindow *list;
  GtkWidget *row;

  ep_draft_set_subject (older, "older one");
  ep_draft_set_account (older, "someone@example.org");
  ep_draft_set_modified (older, before);
  ep_draft_set_subject (newer, "newer one");
  g_assert_true (ep_draft_store_save (f->store, older, NULL, NULL));
  g_assert_true (ep_draft_store_save (f->store, newer, NULL, NULL));
  use_account (f->window);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-drafts", NULL);
  list = find_drafts_window ();
  g_assert_nonnull (list);
  g_assert_nonnull (find_row (GTK_WIDGET (list), "newer one"));
  row = find_row (GTK_WIDGET (list), "older one");
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  g_assert_null (find_drafts_window ());
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->subject_entry)), ==, "older one");
  g_assert_cmpstr (ep_window_drafts_get_id (f->window), ==, ep_draft_get_id (older));
}

/* A closed draft is not offered: it waits in the Drafts list. */
static void
test_closed_not_offered (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EpDraft) draft = ep_draft_new (NULL);

  ep_draft_set_subject (draft, "closed on purpose");
  g_assert_true (ep_draft_store_save (f->store, draft, NULL, NULL));
  use_account (f->window);
  g_assert_null (find_dialog ("Restore the Message You Were Writing?"));
}

static void
wait_toast_gone (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (*flag);
}

/* Lets a toast finish appearing, as it has before anyone can click it. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 600 * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static void
on_toast_finalized (gpointer  data,
                    GObject  *where)
{
  *(gboolean *) data = TRUE;
}

/* Delete offers Undo: undone, the draft stays; otherwise it goes with the toast. */
static void
test_delete_undo (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(EpDraft) first = ep_draft_new (NULL);
  g_autoptr(EpDraft) second = ep_draft_new (NULL);
  g_autoptr(GPtrArray) drafts = NULL;
  EpDraftsWindow *list = ep_drafts_window_new (GTK_WINDOW (f->window), f->store, NULL);
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_window_get_content (ADW_WINDOW (list)));
  gboolean gone = FALSE;
  AdwToast *toast;

  g_assert_true (ep_draft_store_save (f->store, first, NULL, NULL));
  g_assert_true (ep_draft_store_save (f->store, second, NULL, NULL));
  gtk_window_present (GTK_WINDOW (list));

  toast = ep_drafts_toast_delete (overlay, f->store, ep_draft_get_id (first), "Draft deleted", NULL, NULL);
  g_object_weak_ref (G_OBJECT (toast), on_toast_finalized, &gone);
  settle ();
  g_signal_emit_by_name (toast, "button-clicked");
  adw_toast_dismiss (toast);
  wait_toast_gone (&gone);
  drafts = ep_draft_store_list (f->store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 2);
  g_clear_pointer (&drafts, g_ptr_array_unref);

  gone = FALSE;
  toast = ep_drafts_toast_delete (overlay, f->store, ep_draft_get_id (first), "Draft deleted", NULL, NULL);
  g_object_weak_ref (G_OBJECT (toast), on_toast_finalized, &gone);
  settle ();
  adw_toast_dismiss (toast);
  wait_toast_gone (&gone);
  drafts = ep_draft_store_list (f->store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (ep_draft_get_id (drafts->pdata[0]), ==, ep_draft_get_id (second));
  gtk_window_destroy (GTK_WINDOW (list));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window-drafts/autosave-and-open", Fixture, NULL, setup, test_autosave_and_open, teardown);
  g_test_add ("/window-drafts/close-saves", Fixture, NULL, setup, test_close_saves, teardown);
  g_test_add ("/window-drafts/close-refused", Fixture, NULL, setup, test_close_refused, teardown);
  g_test_add ("/window-drafts/plain-text", Fixture, NULL, setup, test_plain_text, teardown);
  g_test_add ("/window-drafts/close-says-so", Fixture, NULL, setup, test_close_says_so, teardown);
  g_test_add ("/window-drafts/empty-not-saved", Fixture, NULL, setup, test_empty_not_saved, teardown);
  g_test_add ("/window-drafts/sent-deletes", Fixture, NULL, setup, test_sent_deletes, teardown);
  g_test_add ("/window-drafts/restore-offer", Fixture, NULL, setup, test_restore_offer, teardown);
  g_test_add ("/window-drafts/closed-not-offered", Fixture, NULL, setup, test_closed_not_offered, teardown);
  g_test_add ("/window-drafts/list-opens", Fixture, NULL, setup, test_list_opens, teardown);
  g_test_add ("/window-drafts/delete-undo", Fixture, NULL, setup, test_delete_undo, teardown);
  return g_test_run ();
}
