/* ep-draft-store.c — drafts on disk, one directory each, written atomically
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each draft is a directory under g_get_user_data_dir ()/epistle/drafts/
 * named by its id, holding draft.json and a copy of each inline image in a
 * folder named by the SHA-256 of its bytes, under the image's own file name
 * (img-SUM/photo.png: the name the message shows stays, the same picture
 * twice is one file, and a copy is never overwritten by another). draft.json is written to a
 * temporary file, flushed, and renamed over the old one
 * (g_file_set_contents_full with CONSISTENT | DURABLE), then the directory
 * is flushed, so after a crash either the old or the new draft is there,
 * whole. Files no longer named, and temporary files a crash left, go after.
 *
 * Writes are serialised by one lock and numbered when they are asked for:
 * a write that was overtaken by a newer one for the same draft (or by its
 * deletion) is dropped, so a slow worker thread never puts back older text.
 */
#include "ep-draft-store.h"
#include "ep-sync-dir.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define IMAGE_FOLDER_PREFIX "img-"

typedef struct
{
  char *stored;     /* the copy in a draft's directory */
  gint64 mtime;     /* the source when it was copied: a replaced file has a new inode */
  guint64 inode;
  goffset size;
} CopiedImage;

struct _EpDraftStore
{
  GObject parent_instance;

  /* Owned */
  char *dir;
  GMutex lock;           /* one write at a time; guards the fields below */
  guint64 next_serial;
  GHashTable *written;   /* id → guint64* serial of its last write or deletion */
  GHashTable *copied;    /* source image path → CopiedImage, so an unchanged image is read once */
};

G_DEFINE_FINAL_TYPE (EpDraftStore, ep_draft_store, G_TYPE_OBJECT)

static void
copied_image_free (gpointer data)
{
  CopiedImage *copy = data;

  g_free (copy->stored);
  g_free (copy);
}

static void
ep_draft_store_finalize (GObject *object)
{
  EpDraftStore *self = EP_DRAFT_STORE (object);

  g_free (self->dir);
  g_hash_table_unref (self->written);
  g_hash_table_unref (self->copied);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ep_draft_store_parent_class)->finalize (object);
}

static void
ep_draft_store_class_init (EpDraftStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_draft_store_finalize;
}

static void
ep_draft_store_init (EpDraftStore *self)
{
  g_mutex_init (&self->lock);
  self->written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->copied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, copied_image_free);
}

/* Returns: (transfer full): g_get_user_data_dir ()/epistle/drafts */
char *
ep_draft_store_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "epistle", "drafts", NULL);
}

/**
 * ep_draft_store_new:
 * @dir: (nullable): where the drafts live; ep_draft_store_default_dir () if %NULL
 */
EpDraftStore *
ep_draft_store_new (const char *dir)
{
  EpDraftStore *self = g_object_new (EP_TYPE_DRAFT_STORE, NULL);

  self->dir = dir ? g_strdup (dir) : ep_draft_store_default_dir ();
  return self;
}

const char *
ep_draft_store_get_dir (EpDraftStore *self)
{
  g_return_val_if_fail (EP_IS_DRAFT_STORE (self), NULL);
  return self->dir;
}

char *
ep_draft_store_dup_draft_dir (EpDraftStore *self,
                              const char   *id)
{
  g_return_val_if_fail (EP_IS_DRAFT_STORE (self), NULL);
  g_return_val_if_fail (ep_draft_id_is_valid (id), NULL);

  return g_build_filename (self->dir, id, NULL);
}

static gboolean
check_id (const char  *id,
          GError     **error)
{
  if (ep_draft_id_is_valid (id))
    return TRUE;
  /* Translators: %s is what was given as a draft's id */
  g_set_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_BAD_ID, _("“%s” is not the name of a draft."), id ? id : "");
  return FALSE;
}

/* Sets an error from errno with @message (taken), which already names the file and the reason. */
static gboolean
io_error (GError **error,
          int      saved_errno,
          char    *message)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), message);
  g_free (message);
  return FALSE;
}

/* Creates @folder (and what leads to it); flushes @parent, which then names it. */
static gboolean
make_folder (const char  *folder,
             const char  *parent,
             GError     **error)
{
  if (g_file_test (folder, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      /* Translators: the first %s is a folder, the second the system's reason */
      return io_error (error, saved, g_strdup_printf (_("The folder “%s” could not be created: %s"),
                                                      folder, g_strerror (saved)));
    }
  return ep_sync_dir (parent, error);
}

/* The draft folder an image copy belongs to: DIR for DIR/img-SUM/NAME. */
static char *
image_draft_dir (const char *stored)
{
  g_autofree char *folder = g_path_get_dirname (stored);

  return g_path_get_dirname (folder);
}

/* Copies @path to @dir/img-SUM/NAME; returns the copy. Called with the lock. */
static char *
copy_image (EpDraftStore  *self,
            const char    *dir,
            const char    *path,
            GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *base = g_path_get_basename (path);
  char *stored;
  gsize length;
  GStatBuf st;
  CopiedImage *copy = g_hash_table_lookup (self->copied, path);
  g_autofree char *copy_dir = copy ? image_draft_dir (copy->stored) : NULL;

  if (copy != NULL && g_stat (path, &st) == 0 && st.st_mtime == copy->mtime && st.st_size == copy->size &&
      (guint64) st.st_ino == copy->inode &&
      g_str_equal (copy_dir, dir) && g_file_test (copy->stored, G_FILE_TEST_IS_REGULAR))
    return g_strdup (copy->stored);
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      /* Gone since it was copied (a pasted image's temporary file): the copy is what the draft has. */
      if (copy != NULL && g_str_equal (copy_dir, dir) && g_file_test (copy->stored, G_FILE_TEST_IS_REGULAR))
        return g_strdup (copy->stored);

      /* Translators: the first %s is a file, the second the system's reason */
      io_error (error, saved, g_strdup_printf (_("The image “%s” could not be read: %s"),
                                               path, g_strerror (saved)));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  name = g_strconcat (IMAGE_FOLDER_PREFIX, sum, NULL);
  folder = g_build_filename (dir, name, NULL);
  stored = g_build_filename (folder, base, NULL);
  if (!g_file_test (stored, G_FILE_TEST_IS_REGULAR) &&
      (!make_folder (folder, dir, error) ||
       !g_file_set_contents_full (stored, contents, length,
                                  G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error) ||
       !ep_sync_dir (folder, error)))
    {
      g_free (stored);
      return NULL;
    }
  copy = g_new0 (CopiedImage, 1);
  copy->stored = g_strdup (stored);
  copy->mtime = st.st_mtime;
  copy->inode = st.st_ino;
  copy->size = st.st_size;
  g_hash_table_replace (self->copied, g_strdup (path), copy);
  return stored;
}

/* Every image of @draft as a file in @dir; the draft then names the copies. */
static gboolean
keep_images (EpDraftStore  *self,
             EpDraft       *draft,
             const char    *dir,
             GError       **error)
{
  for (guint i = 0; i < ep_draft_get_n_images (draft); i++)
    {
      const char *path = ep_draft_get_image (draft, i, NULL);
      g_autofree char *owner = image_draft_dir (path);
      g_autofree char *stored = NULL;

      if (g_str_equal (owner, dir) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      stored = copy_image (self, dir, path, error);
      if (stored == NULL)
        {
          g_prefix_error (error, _("An inline image could not be kept with the draft. "));
          return FALSE;
        }
      ep_draft_set_image_path (draft, i, stored);
    }
  return TRUE;
}

static gboolean
removal_failed (GError     **error,
                const char  *path)
{
  int saved = errno;

  /* Translators: the first %s is a file or folder, the second the system's reason */
  return io_error (error, saved, g_strdup_printf (_("“%s” could not be removed: %s"), path, g_strerror (saved)));
}

/* Removes every file in @dir, and its image folders; ENOENT is not an error. */
static gboolean
remove_files (const char  *dir,
              GHashTable  *keep,
              const char  *prefix,
              GError     **error)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  gboolean ok = TRUE;

  if (listing == NULL)
    return TRUE;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *relative = prefix ? g_build_filename (prefix, name, NULL) : g_strdup (name);

      if (keep != NULL && g_hash_table_contains (keep, relative))
        continue;
      if (prefix == NULL && g_str_has_prefix (name, IMAGE_FOLDER_PREFIX) &&
          g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          /* After a first failure the rest is still removed, but only the first is told. */
          ok = remove_files (path, keep, name, ok ? error : NULL) && ok;
          if (g_rmdir (path) != 0 && errno != ENOTEMPTY && errno != EEXIST && ok)
            ok = removal_failed (error, path);
          continue;
        }
      if (g_unlink (path) != 0 && ok)
        ok = removal_failed (error, path);
    }
  return ok;
}

/* Removes what draft.json no longer names, and temporary files a crash left. */
static void
remove_unnamed (EpDraft    *draft,
                const char *dir)
{
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (named, g_strdup (EP_DRAFT_FILE_NAME));
  for (guint i = 0; i < ep_draft_get_n_images (draft); i++)
    {
      const char *path = ep_draft_get_image (draft, i, NULL);
      g_autofree char *folder = g_path_get_dirname (path);
      g_autofree char *folder_name = g_path_get_basename (folder);
      g_autofree char *name = g_path_get_basename (path);

      g_hash_table_add (named, g_build_filename (folder_name, name, NULL));
    }
  remove_files (dir, named, NULL, NULL);
}

static guint64
take_serial (EpDraftStore *self)
{
  guint64 serial;

  g_mutex_lock (&self->lock);
  serial = ++self->next_serial;
  g_mutex_unlock (&self->lock);
  return serial;
}

static gboolean
write_locked (EpDraftStore  *self,
              EpDraft       *draft,
              GError       **error)
{
  const char *id = ep_draft_get_id (draft);
  g_autofree char *dir = ep_draft_store_dup_draft_dir (self, id);
  g_autofree char *file = g_build_filename (dir, EP_DRAFT_FILE_NAME, NULL);
  g_autofree char *json = NULL;
  gsize length;

  if (!make_folder (dir, self->dir, error) || !keep_images (self, draft, dir, error))
    return FALSE;
  json = ep_draft_to_json (draft, &length);
  if (!g_file_set_contents_full (file, json, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error) ||
      !ep_sync_dir (dir, error))
    return FALSE;
  remove_unnamed (draft, dir);
  return TRUE;
}

/* Writes @draft unless a newer write or a deletion of the same draft was asked for after @serial. */
static gboolean
write_draft (EpDraftStore  *self,
             EpDraft       *draft,
             guint64        serial,
             GError       **error)
{
  const char *id = ep_draft_get_id (draft);
  guint64 *last;
  gboolean ok = TRUE;

  g_mutex_lock (&self->lock);
  last = g_hash_table_lookup (self->written, id);
  if (last == NULL || *last < serial)
    {
      ok = write_locked (self, draft, error);
      if (ok)
        {
          guint64 *mark = g_new (guint64, 1);

          *mark = serial;
          g_hash_table_replace (self->written, g_strdup (id), mark);
        }
    }
  g_mutex_unlock (&self->lock);
  if (!ok)
    /* Translators: %s is the reason */
    g_prefix_error (error, _("The draft could not be saved. "));
  return ok;
}

/**
 * ep_draft_store_save:
 *
 * Writes @draft, copying its inline images into its directory (the draft
 * then names the copies). Blocks: the window uses the async form.
 */
gboolean
ep_draft_store_save (EpDraftStore  *self,
                     EpDraft       *draft,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (EP_IS_DRAFT_STORE (self), FALSE);
  g_return_val_if_fail (EP_IS_DRAFT (draft), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return write_draft (self, draft, take_serial (self), error);
}

static const char save_tag;

typedef struct
{
  EpDraft *draft;
  guint64 serial;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_object_unref (job->draft);
  g_free (job);
}

static void
save_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (write_draft (source, job->draft, job->serial, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * ep_draft_store_save_async:
 *
 * Writes @draft in a worker thread. The caller must not change @draft
 * until the callback; saves asked for later win over this one.
 */
void
ep_draft_store_save_async (EpDraftStore        *self,
                           EpDraft             *draft,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (EP_IS_DRAFT_STORE (self));
  g_return_if_fail (EP_IS_DRAFT (draft));

  job = g_new0 (SaveJob, 1);
  job->draft = g_object_ref (draft);
  job->serial = take_serial (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) &save_tag);
  g_task_set_task_data (task, job, save_job_free);
  g_task_run_in_thread (task, save_worker);
}

gboolean
ep_draft_store_save_finish (EpDraftStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Returns: (transfer full) (nullable): the draft, EP_DRAFT_ERROR_NOT_FOUND or _CORRUPT naming the file */
EpDraft *
ep_draft_store_load (EpDraftStore  *self,
                     const char    *id,
                     GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize length;
  EpDraft *draft;

  g_return_val_if_fail (EP_IS_DRAFT_STORE (self), NULL);

  if (!check_id (id, error))
    return NULL;
  dir = ep_draft_store_dup_draft_dir (self, id);
  file = g_build_filename (dir, EP_DRAFT_FILE_NAME, NULL);
  if (!g_file_get_contents (file, &contents, &length, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        /* Translators: %s is a draft's id */
        g_set_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_NOT_FOUND, _("There is no draft “%s”."), id);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  draft = ep_draft_new_from_json (contents, length, dir, error);
  if (draft == NULL)
    /* Translators: %s is the draft file; the reason follows */
    g_prefix_error (error, _("“%s”: "), file);
  else if (!g_str_equal (ep_draft_get_id (draft), id))
    {
      g_set_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_CORRUPT,
                   /* Translators: %s is the draft file */
                   _("“%s”: The draft file is damaged: it names another draft."), file);
      g_clear_object (&draft);
    }
  return draft;
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  EpDraft *first = *(EpDraft **) a;
  EpDraft *second = *(EpDraft **) b;

  return g_date_time_compare (ep_draft_get_modified (second), ep_draft_get_modified (first));
}

/**
 * ep_draft_store_list:
 * @problems: (out) (optional) (element-type utf8): why each unreadable draft could not be read
 *
 * An unreadable draft is left where it is, and named in @problems.
 *
 * Returns: (transfer container) (element-type EpDraft): every readable draft, newest first
 */
GPtrArray *
ep_draft_store_list (EpDraftStore  *self,
                     GPtrArray    **problems,
                     GError       **error)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) trouble = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) local = NULL;
  const char *name;

  g_return_val_if_fail (EP_IS_DRAFT_STORE (self), NULL);

  listing = g_dir_open (self->dir, 0, &local);
  if (listing == NULL && !g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (self->dir, name, EP_DRAFT_FILE_NAME, NULL);
      g_autoptr(GError) why = NULL;
      EpDraft *draft;

      if (!ep_draft_id_is_valid (name) || !g_file_test (file, G_FILE_TEST_EXISTS))
        continue;   /* not a draft, or one whose first write never finished */
      draft = ep_draft_store_load (self, name, &why);
      if (draft != NULL)
        g_ptr_array_add (drafts, draft);
      else
        g_ptr_array_add (trouble, g_strdup (why->message));
    }
  g_ptr_array_sort (drafts, newest_first);
  if (problems != NULL)
    *problems = g_steal_pointer (&trouble);
  return g_steal_pointer (&drafts);
}

/* Removes the draft and its images; a save of it still in flight is dropped, a later one writes. */
gboolean
ep_draft_store_delete (EpDraftStore  *self,
                       const char    *id,
                       GError       **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) local = NULL;
  guint64 *mark;
  gboolean ok;

  g_return_val_if_fail (EP_IS_DRAFT_STORE (self), FALSE);

  if (!check_id (id, error))
    return FALSE;
  dir = ep_draft_store_dup_draft_dir (self, id);
  g_mutex_lock (&self->lock);
  /* Saves asked for before now are dropped; a save asked for later (the draft reopened) writes. */
  mark = g_new (guint64, 1);
  *mark = ++self->next_serial;
  g_hash_table_replace (self->written, g_strdup (id), mark);
  listing = g_dir_open (dir, 0, &local);
  if (listing == NULL)
    {
      g_mutex_unlock (&self->lock);
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_NOT_FOUND, _("There is no draft “%s”."), id);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  ok = remove_files (dir, NULL, NULL, error);
  if (ok && g_rmdir (dir) != 0)
    ok = removal_failed (error, dir);
  if (ok)
    ok = ep_sync_dir (self->dir, error);
  g_mutex_unlock (&self->lock);
  return ok;
}
