/* test-attachment-bar.c — attachments by picker or drop: rows, total, refusals, size limit
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-attachment-bar.h"

typedef struct
{
  char *dir;
  EpAttachmentBar *bar;
  GPtrArray *refusals;
} Fixture;

static char *
write_file (const char *dir,
            const char *name,
            gsize       size)
{
  g_autofree char *contents = g_malloc0 (size + 1);
  char *path = g_build_filename (dir, name, NULL);

  memset (contents, 'x', size);
  g_assert_true (g_file_set_contents (path, contents, size, NULL));
  return path;
}

static void
on_refused_cb (EpAttachmentBar *bar,
               const char      *message,
               Fixture         *fixture)
{
  g_ptr_array_add (fixture->refusals, g_strdup (message));
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("epistle-attach-XXXXXX", NULL);
  fixture->bar = g_object_ref_sink (EP_ATTACHMENT_BAR (ep_attachment_bar_new ()));
  fixture->refusals = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->bar, "refused", G_CALLBACK (on_refused_cb), fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->dir);
  g_object_unref (fixture->bar);
  g_ptr_array_unref (fixture->refusals);
}

static guint
count_rows (EpAttachmentBar *bar)
{
  GtkWidget *list = gtk_widget_get_first_child (GTK_WIDGET (bar));
  guint n = 0;

  /* summary, warning, scroller ▸ viewport ▸ list box */
  while (list != NULL && !GTK_IS_SCROLLED_WINDOW (list))
    list = gtk_widget_get_next_sibling (list);
  list = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (list));
  if (GTK_IS_VIEWPORT (list))
    list = gtk_viewport_get_child (GTK_VIEWPORT (list));
  g_assert_true (GTK_IS_LIST_BOX (list));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

/* A file, a folder and a missing path, as a file manager's drop would bring them. */
static void
test_file_folder_missing (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *file = write_file (fixture->dir, "报告.txt", 1500);
  g_autofree char *folder = g_build_filename (fixture->dir, "photos", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "gone.pdf", NULL);
  GSList *files = NULL;
  g_auto(GStrv) paths = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  files = g_slist_append (files, g_file_new_for_path (file));
  files = g_slist_append (files, g_file_new_for_path (folder));
  files = g_slist_append (files, g_file_new_for_path (missing));
  g_assert_cmpuint (ep_attachment_bar_add_files (fixture->bar, files), ==, 1);
  g_slist_free_full (files, g_object_unref);

  g_assert_cmpuint (ep_attachment_bar_get_n_files (fixture->bar), ==, 1);
  g_assert_cmpuint (count_rows (fixture->bar), ==, 1);
  paths = ep_attachment_bar_dup_paths (fixture->bar);
  g_assert_cmpstr (paths[0], ==, file);
  g_assert_null (paths[1]);
  g_assert_cmpuint (fixture->refusals->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->refusals, 0), "photos"));
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->refusals, 0), "folder"));
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->refusals, 1), "gone.pdf"));
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->refusals, 1), "does not exist"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->bar)));
}

static void
test_rows_and_total (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *a = write_file (fixture->dir, "a.bin", 1000000);
  g_autofree char *b = write_file (fixture->dir, "b.bin", 500000);
  g_autoptr(GFile) fa = g_file_new_for_path (a);
  g_autoptr(GFile) fb = g_file_new_for_path (b);
  g_autoptr(GError) error = NULL;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->bar)));
  g_assert_true (ep_attachment_bar_add_file (fixture->bar, fa, &error));
  g_assert_true (ep_attachment_bar_add_file (fixture->bar, fb, &error));
  g_assert_cmpuint (count_rows (fixture->bar), ==, 2);
  g_assert_cmpuint (ep_attachment_bar_get_total_size (fixture->bar), ==, 1500000);
  g_assert_cmpstr (ep_attachment_bar_get_summary (fixture->bar), ==, "2 attachments, 1.5\u00a0MB");

  /* The same file twice is refused, by name. */
  g_assert_false (ep_attachment_bar_add_file (fixture->bar, fa, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "a.bin"));

  ep_attachment_bar_remove (fixture->bar, 0);
  g_assert_cmpuint (count_rows (fixture->bar), ==, 1);
  g_assert_cmpstr (ep_attachment_bar_get_summary (fixture->bar), ==, "1 attachment, 500.0\u00a0kB");
  ep_attachment_bar_clear (fixture->bar);
  g_assert_cmpuint (count_rows (fixture->bar), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->bar)));
}

/* Over the server's SIZE once base64-encoded: the bar says so, with both sizes. */
static void
test_size_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *a = write_file (fixture->dir, "big.bin", 160000);
  g_autoptr(GFile) fa = g_file_new_for_path (a);
  const char *warning;

  ep_attachment_bar_set_size_limit (fixture->bar, 200000);
  g_assert_true (ep_attachment_bar_add_file (fixture->bar, fa, NULL));
  /* 160000 bytes are 213336 octets of base64 in 2808 lines of 76, each ending in CRLF */
  g_assert_cmpuint (ep_attachment_bar_get_encoded_size (fixture->bar), ==, 218952);
  warning = ep_attachment_bar_get_limit_warning (fixture->bar);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "219.0\u00a0kB"));
  g_assert_nonnull (strstr (warning, "200.0\u00a0kB"));

  ep_attachment_bar_set_size_limit (fixture->bar, 300000);
  g_assert_null (ep_attachment_bar_get_limit_warning (fixture->bar));
  ep_attachment_bar_set_size_limit (fixture->bar, 0);
  g_assert_null (ep_attachment_bar_get_limit_warning (fixture->bar));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/attachment-bar/file-folder-missing", Fixture, NULL, setup, test_file_folder_missing, teardown);
  g_test_add ("/attachment-bar/rows-and-total", Fixture, NULL, setup, test_rows_and_total, teardown);
  g_test_add ("/attachment-bar/size-limit", Fixture, NULL, setup, test_size_limit, teardown);
  return g_test_run ();
}
