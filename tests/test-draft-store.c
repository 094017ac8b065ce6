/* test-draft-store.c — drafts on disk: round trip, atomic replace, damage, vanished files
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "ep-draft-store.h"
#include "ep-locale.h"
#include "ep-test-utils.h"

#define HTML "<!DOCTYPE html>\n<html>\n<body>\n<p><b>粗体</b> and <span style=\"color:#c01c28\">red</span></p>\n" \
             "<p><img src=\"cid:image1.draft\" alt=\"\"></p>\n</body>\n</html>\n"

typedef struct
{
  char *root;
  char *files;
  EpDraftStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->root = g_build_filename (g_get_user_data_dir (), "drafts-test", NULL);
  f->files = g_build_filename (g_get_user_data_dir (), "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->files, 0700), ==, 0);
  f->store = ep_draft_store_new (f->root);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->root);
  g_free (f->files);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* The names in @dir, sorted, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static EpDraft *
sample_draft (Fixture *f)
{
  EpDraft *draft = ep_draft_new (NULL);
  g_autofree char *image = ep_test_write_file (f->files, "photo.PNG", "\x89PNG not really", 15);
  g_autofree char *report = ep_test_write_file (f->files, "报告.pdf", "%PDF-1.4", 8);
  g_autofree char *notes = ep_test_write_file (f->files, "notes.txt", "notes", 5);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 30, 3, 14, 15.5);

  ep_draft_set_account (draft, "alice@example.test");
  ep_draft_set_to (draft, "bob@example.test; 陈静 <chen@example.test>,");   /* as typed, trailing comma too */
  ep_draft_set_cc (draft, "carol@example.test");
  ep_draft_set_bcc (draft, "");
  ep_draft_set_subject (draft, "季度报告 \"quoted\" \\ back");
  ep_draft_set_html (draft, HTML);
  ep_draft_set_plain_text (draft, FALSE);
  ep_draft_set_open (draft, TRUE);
  ep_draft_set_modified (draft, when);
  ep_draft_add_image (draft, "image1.draft", image);
  ep_draft_add_attachment (draft, report, NULL);
  ep_draft_add_attachment (draft, notes, "Notes for Bob.txt");
  return draft;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpDraft) draft = sample_draft (f);
  g_autofree char *source = g_strdup (ep_draft_get_image (draft, 0, NULL));
  g_autoptr(EpDraft) back = NULL;
  g_autofree char *dir = ep_draft_store_dup_draft_dir (f->store, ep_draft_get_id (draft));
  g_autofree char *copy = NULL;
  g_autofree char *original = NULL;
  g_autofree char *modified = NULL;
  g_autoptr(GHashTable) ids = NULL;
  const char *cid = NULL;
  const char *name = NULL;
  gsize copy_len, original_len;

  g_assert_true (ep_draft_store_save (f->store, draft, NULL, &error));
  g_assert_no_error (error);
  back = ep_draft_store_load (f->store, ep_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  g_assert_cmpstr (ep_draft_get_id (back), ==, ep_draft_get_id (draft));
  g_assert_cmpstr (ep_draft_get_account (back), ==, "alice@example.test");
  g_assert_cmpstr (ep_draft_get_to (back), ==, "bob@example.test; 陈静 <chen@example.test>,");
  g_assert_cmpstr (ep_draft_get_cc (back), ==, "carol@example.test");
  g_assert_cmpstr (ep_draft_get_bcc (back), ==, "");
  g_assert_cmpstr (ep_draft_get_subject (back), ==, "季度报告 \"quoted\" \\ back");
  g_assert_cmpstr (ep_draft_get_html (back), ==, HTML);
  g_assert_false (ep_draft_get_plain_text (back));
  g_assert_true (ep_draft_get_open (back));
  modified = g_date_time_format_iso8601 (ep_draft_get_modified (back));
  g_assert_cmpstr (modified, ==, "2026-11-30T03:14:15.500000Z");

  /* The image is a copy inside the draft's directory, byte for byte. */
  g_assert_cmpuint (ep_draft_get_n_images (back), ==, 1);
  copy = g_strdup (ep_draft_get_image (back, 0, &cid));
  g_assert_cmpstr (cid, ==, "image1.draft");
  g_assert_true (g_str_has_prefix (copy, dir));
  g_assert_true (g_str_has_suffix (copy, "/photo.PNG"));   /* its own name: the message shows it */
  g_assert_cmpstr (ep_draft_get_image (draft, 0, NULL), ==, copy);   /* the saved draft names the copy */
  ids = ep_draft_dup_content_ids (back);
  g_assert_cmpstr (g_hash_table_lookup (ids, "image1.draft"), ==, ep_draft_get_image (back, 0, NULL));
  {
    g_autofree char *bytes = NULL;

    g_assert_true (g_file_get_contents (ep_draft_get_image (back, 0, NULL), &bytes, &copy_len, NULL));
    g_assert_true (g_file_get_contents (source, &original, &original_len, NULL));
    g_assert_cmpmem (bytes, copy_len, original, original_len);
  }
  /* The source may go: the draft keeps its copy. */
  g_assert_cmpint (g_unlink (source), ==, 0);
  g_assert_true (g_file_test (ep_draft_get_image (back, 0, NULL), G_FILE_TEST_IS_REGULAR));

  g_assert_cmpuint (ep_draft_get_n_attachments (back), ==, 2);
  g_assert_true (g_str_has_suffix (ep_draft_get_attachment (back, 0, &name), "/报告.pdf"));
  g_assert_cmpstr (name, ==, "报告.pdf");
  g_assert_true (g_str_has_suffix (ep_draft_get_attachment (back, 1, &name), "/notes.txt"));
  g_assert_cmpstr (name, ==, "Notes for Bob.txt");
}

static void
test_atomic_replace (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpDraft) draft = sample_draft (f);
  g_autoptr(EpDraft) second = ep_draft_new (ep_draft_get_id (draft));
  g_autoptr(EpDraft) back = NULL;
  g_autofree char *dir = ep_draft_store_dup_draft_dir (f->store, ep_draft_get_id (draft));
  g_autofree char *file = g_build_filename (dir, EP_DRAFT_FILE_NAME, NULL);
  g_autofree char *leftover = NULL;
  g_autofree char *names = NULL;
  g_autofree char *image_name = NULL;
  g_autofree char *want = NULL;
  GStatBuf before, after;

  g_assert_true (ep_draft_store_save (f->store, draft, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *folder = g_path_get_dirname (ep_draft_get_image (draft, 0, NULL));
    g_autofree char *inside = list_dir (folder);

    image_name = g_path_get_basename (folder);
    g_assert_cmpstr (inside, ==, "photo.PNG");
  }
  names = list_dir (dir);
  want = g_strdup_printf ("%s %s", EP_DRAFT_FILE_NAME, image_name);
  g_assert_cmpstr (names, ==, want);

  /* A temporary file such as a crash mid-write leaves behind goes with the next save. */
  leftover = ep_test_write_file (dir, EP_DRAFT_FILE_NAME ".K3X9QZ", "{\"half", 6);
  g_assert_cmpint (g_stat (file, &before), ==, 0);

  /* The same draft again, without its image: replaced by a rename (a new inode), nothing else left. */
  ep_draft_set_subject (second, "second version");
  ep_draft_set_html (second, "<p>two</p>");
  g_assert_true (ep_draft_store_save (f->store, second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (file, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  g_assert_cmpuint (after.st_mode & 0777, ==, 0600);
  g_clear_pointer (&names, g_free);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, EP_DRAFT_FILE_NAME);

  back = ep_draft_store_load (f->store, ep_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ep_draft_get_subject (back), ==, "second version");
  g_assert_cmpstr (ep_draft_get_html (back), ==, "<p>two</p>");
  g_assert_cmpuint (ep_draft_get_n_images (back), ==, 0);
}

/* An image changed on disk between two saves is copied again; the old copy goes. */
static void
test_image_changed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpDraft) draft = sample_draft (f);
  g_autofree char *source = g_strdup (ep_draft_get_image (draft, 0, NULL));
  g_autofree char *first = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(EpDraft) again = ep_draft_new (ep_draft_get_id (draft));
  g_autofree char *dir = ep_draft_store_dup_draft_dir (f->store, ep_draft_get_id (draft));
  g_autofree char *names = NULL;
  g_autofree char *want = NULL;
  g_autofree char *base = NULL;

  g_assert_true (ep_draft_store_save (f->store, draft, NULL, &error));
  first = g_strdup (ep_draft_get_image (draft, 0, NULL));
  g_assert_true (g_file_set_contents (source, "a different picture", -1, NULL));
  ep_draft_add_image (again, "image1.draft", source);
  g_assert_true (ep_draft_store_save (f->store, again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ep_draft_get_image (again, 0, NULL), !=, first);
  g_assert_true (g_file_get_contents (ep_draft_get_image (again, 0, NULL), &bytes, NULL, NULL));
  g_assert_cmpstr (bytes, ==, "a different picture");
  {
    g_autofree char *folder = g_path_get_dirname (ep_draft_get_image (again, 0, NULL));

    base = g_path_get_basename (folder);
  }
  names = list_dir (dir);
  want = g_strdup_printf ("%s %s", EP_DRAFT_FILE_NAME, base);
  g_assert_cmpstr (names, ==, want);
}

/* The image's file goes after the first save (a pasted image's temporary file): later saves keep the copy. */
static void
test_image_source_gone (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpDraft) draft = sample_draft (f);
  g_autofree char *source = g_strdup (ep_draft_get_image (draft, 0, NULL));
  g_autofree char *copy = NULL;
  g_autoptr(EpDraft) again = ep_draft_new (ep_draft_get_id (draft));
  g_autoptr(EpDraft) missing = ep_draft_new (NULL);

  g_assert_true (ep_draft_store_save (f->store, draft, NULL, &error));
  copy = g_strdup (ep_draft_get_image (draft, 0, NULL));
  g_assert_cmpint (g_unlink (source), ==, 0);
  ep_draft_add_image (again, "image1.draft", source);
  g_assert_true (ep_draft_store_save (f->store, again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ep_draft_get_image (again, 0, NULL), ==, copy);
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));

  /* Never copied: a clear error that names the file, and nothing written. */
  ep_draft_add_image (missing, "image1.draft", source);
  g_assert_false (ep_draft_store_save (f->store, missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, source));
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  static const char *damaged[] = {
    "{\"format\": 1, \"id\": \"abc\", \"modified\": \"2026-11-30T03:00:00Z\", \"subject\": ",
    "[1, 2]",
    "",
    "{\"format\": 1, \"id\": \"abc\", \"modified\": \"2026-11-30T03:00:00Z\", \"subject\": 5}",
    "{\"format\": 99, \"id\": \"abc\", \"modified\": \"2026-11-30T03:00:00Z\"}",
    "{\"format\": 1, \"id\": \"abc\", \"modified\": \"yesterday\"}",
    "{\"format\": 1, \"id\": \"abc\", \"modified\": \"2026-11-30T03:00:00Z\", "
      "\"images\": [{\"cid\": \"a\", \"file\": \"../../etc/passwd\"}]}",
    "{\"format\": 1, \"id\": \"abc\", \"modified\": \"2026-11-30T03:00:00Z\", "
      "\"images\": [{\"cid\": \"a\", \"file\": \"img-1/..\"}]}",
    "{\"format\": 1, \"id\": \"abc\", \"modified\": \"2026-11-30T03:00:00Z\", "
      "\"images\": [{\"cid\": \"a\", \"file\": \"photo.png\"}]}",
  };
  g_autoptr(EpDraft) good = sample_draft (f);

  g_assert_true (ep_draft_store_save (f->store, good, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_build_filename (f->root, "abc", NULL);
      g_autofree char *file = NULL;
      g_autofree char *kept = NULL;
      g_autoptr(EpDraft) draft = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) drafts = NULL;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      file = ep_test_write_file (dir, EP_DRAFT_FILE_NAME, damaged[i], strlen (damaged[i]));
      draft = ep_draft_store_load (f->store, "abc", &error);
      g_assert_null (draft);
      g_assert_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_CORRUPT);
      /* The message names the file and says what is wrong with it. */
      g_assert_nonnull (strstr (error->message, file));
      g_assert_nonnull (strstr (error->message, "damaged"));
      /* Nothing is deleted or changed. */
      g_assert_true (g_file_get_contents (file, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, damaged[i]);
      g_clear_error (&error);
      /* The list shows the good draft and names the damaged one. */
      drafts = ep_draft_store_list (f->store, &problems, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (drafts->len, ==, 1);
      g_assert_cmpstr (ep_draft_get_id (drafts->pdata[0]), ==, ep_draft_get_id (good));
      g_assert_cmpuint (problems->len, ==, 1);
      g_assert_nonnull (strstr (problems->pdata[0], file));
      g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
    }
}

static void
test_vanished_attachment (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpDraft) draft = sample_draft (f);
  g_autoptr(EpDraft) back = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autofree char *gone = g_strdup (ep_draft_get_attachment (draft, 0, NULL));

  g_assert_true (ep_draft_store_save (f->store, draft, NULL, &error));
  g_assert_cmpint (g_unlink (gone), ==, 0);
  back = ep_draft_store_load (f->store, ep_draft_get_id (draft), &error);
  g_assert_no_error (error);
  missing = ep_draft_dup_missing_attachments (back);
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (missing->pdata[0], ==, gone);
  /* Still listed: the draft does not drop it. */
  g_assert_cmpuint (ep_draft_get_n_attachments (back), ==, 2);
  g_assert_cmpstr (ep_draft_get_attachment (back, 0, NULL), ==, gone);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ep_draft_store_save_finish (EP_DRAFT_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* A save asked for earlier never overwrites one asked for later, whichever thread runs first. */
static void
test_older_never_wins (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpDraft) older = sample_draft (f);
  g_autoptr(EpDraft) newer = ep_draft_new (ep_draft_get_id (older));
  g_autoptr(EpDraft) back = NULL;
  gboolean done = FALSE;

  ep_draft_set_subject (newer, "newer");
  ep_draft_store_save_async (f->store, older, NULL, on_saved_cb, &done);
  g_assert_true (ep_draft_store_save (f->store, newer, NULL, &error));
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  back = ep_draft_store_load (f->store, ep_draft_get_id (older), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ep_draft_get_subject (back), ==, "newer");
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpDraft) draft = sample_draft (f);
  g_autofree char *dir = ep_draft_store_dup_draft_dir (f->store, ep_draft_get_id (draft));
  g_autoptr(EpDraft) back = NULL;
  gboolean done = FALSE;

  g_assert_true (ep_draft_store_save (f->store, draft, NULL, &error));
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  /* A save still in flight when the draft is deleted (a send ended) does not bring it back. */
  ep_draft_store_save_async (f->store, draft, NULL, on_saved_cb, &done);
  g_assert_true (ep_draft_store_delete (f->store, ep_draft_get_id (draft), &error));
  g_assert_no_error (error);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  back = ep_draft_store_load (f->store, ep_draft_get_id (draft), &error);
  g_assert_null (back);
  g_assert_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ep_draft_store_delete (f->store, ep_draft_get_id (draft), &error));
  g_assert_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Saved again after the deletion (the draft still open somewhere): never a silent success.
   * Its inline image's copy went with the deletion, so the save says which image it lost. */
  g_assert_false (ep_draft_store_save (f->store, draft, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "photo.PNG"));
}

static void
test_bad_id (Fixture       *f,
             gconstpointer  data)
{
  const char *bad[] = { "../drafts-test", "a/b", "", ".." };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpDraft) draft = ep_draft_store_load (f->store, bad[i], &error);

      g_assert_null (draft);
      g_assert_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_BAD_ID);
      g_clear_error (&error);
      g_assert_false (ep_draft_store_delete (f->store, bad[i], &error));
      g_assert_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_BAD_ID);
    }
}

static void
test_list_newest_first (Fixture       *f,
                        gconstpointer  data)
{
  const char *subjects[] = { "middle", "oldest", "newest" };
  const int days[] = { 2, 1, 3 };
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  drafts = ep_draft_store_list (f->store, &problems, &error);   /* no folder yet: none */
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 0);
  g_clear_pointer (&drafts, g_ptr_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
    {
      g_autoptr(EpDraft) draft = ep_draft_new (NULL);
      g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, days[i], 12, 0, 0);

      ep_draft_set_subject (draft, subjects[i]);
      ep_draft_set_modified (draft, when);
      g_assert_true (ep_draft_store_save (f->store, draft, NULL, &error));
    }
  drafts = ep_draft_store_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 3);
  g_assert_cmpstr (ep_draft_get_subject (drafts->pdata[0]), ==, "newest");
  g_assert_cmpstr (ep_draft_get_subject (drafts->pdata[1]), ==, "middle");
  g_assert_cmpstr (ep_draft_get_subject (drafts->pdata[2]), ==, "oldest");
}

int
main (int   argc,
      char *argv[])
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/draft-store/round-trip", test_round_trip);
  ADD ("/draft-store/atomic-replace", test_atomic_replace);
  ADD ("/draft-store/image-changed", test_image_changed);
  ADD ("/draft-store/image-source-gone", test_image_source_gone);
  ADD ("/draft-store/corrupt", test_corrupt);
  ADD ("/draft-store/vanished-attachment", test_vanished_attachment);
  ADD ("/draft-store/older-never-wins", test_older_never_wins);
  ADD ("/draft-store/delete", test_delete);
  ADD ("/draft-store/bad-id", test_bad_id);
  ADD ("/draft-store/list-newest-first", test_list_newest_first);
#undef ADD
  return g_test_run ();
}
