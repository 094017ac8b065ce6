/* ep-imap-sent.c — a sent message's copy in the Sent folder, once, or kept locally
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The copy is the message written again from the same GMimeMessage that
 * went over SMTP, streamed into the APPEND literal: the exact bytes the
 * recipients received, never held in memory. A UID SEARCH for its
 * Message-ID first makes sure that a retry never leaves two copies.
 */
#include "ep-imap-sent.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ep-mime.h"
#include "ep-sync-dir.h"

/**
 * ep_imap_sent_save:
 * @client: connected and signed in
 * @mailbox: (nullable): where to save; %NULL for the Sent folder (\Sent, then usual names)
 * @size: the message's exact size, as sent
 * @saved_in: (out) (optional): the mailbox used
 * @already_there: (out) (optional): set when a copy with the same Message-ID exists
 *
 * Appends @mime with \Seen unless it is there already.
 */
/* Where the copy goes, and whether a copy with @message_id is there already. */
static char *
find_copy (EpImapClient  *client,
           const char    *mailbox,
           const char    *message_id,
           gboolean      *found,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *sent = NULL;
  g_autoptr(GArray) uids = NULL;

  *found = FALSE;
  sent = mailbox != NULL ? g_strdup (mailbox) : ep_imap_client_find_sent (client, cancellable, error);
  if (sent == NULL || message_id == NULL)
    return g_steal_pointer (&sent);
  if (!ep_imap_client_select (client, sent, TRUE, NULL, cancellable, error))
    return NULL;
  uids = ep_imap_client_uid_search_header (client, "Message-ID", message_id, cancellable, error);
  if (uids == NULL)
    return NULL;
  *found = uids->len > 0;
  return g_steal_pointer (&sent);
}

gboolean
ep_imap_sent_save (EpImapClient   *client,
                   const char     *mailbox,
                   GMimeMessage   *mime,
                   guint64         size,
                   char          **saved_in,
                   gboolean       *already_there,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autofree char *sent = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (client), FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);

  if (already_there != NULL)
    *already_there = FALSE;
  sent = find_copy (client, mailbox, g_mime_message_get_message_id (mime), &found, cancellable, error);
  if (sent == NULL)
    return FALSE;
  if (found)
    {
      if (already_there != NULL)
        *already_there = TRUE;
    }
  else if (!ep_imap_client_append_message (client, sent, "\\Seen", mime, size, NULL, cancellable, error))
    {
      g_prefix_error (error, _("The copy could not be saved in “%s”: "), sent);
      return FALSE;
    }
  if (saved_in != NULL)
    *saved_in = g_steal_pointer (&sent);
  return TRUE;
}

/**
 * ep_imap_sent_save_file:
 * @path: the message as sent, in wire form
 * @message_id: (nullable): its Message-ID, to find an earlier copy
 *
 * As ep_imap_sent_save (), for a message kept in a file (an outbox message).
 */
gboolean
ep_imap_sent_save_file (EpImapClient   *client,
                        const char     *mailbox,
                        const char     *path,
                        const char     *message_id,
                        char          **saved_in,
                        gboolean       *already_there,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *sent = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (client), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (already_there != NULL)
    *already_there = FALSE;
  file = g_file_new_for_path (path);
  input = g_file_read (file, cancellable, error);
  info = input ? g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error) : NULL;
  if (info == NULL)
    return FALSE;
  sent = find_copy (client, mailbox, message_id, &found, cancellable, error);
  if (sent == NULL)
    return FALSE;
  if (found)
    {
      if (already_there != NULL)
        *already_there = TRUE;
    }
  else if (!ep_imap_client_append_stream (client, sent, "\\Seen", G_INPUT_STREAM (input),
                                          (guint64) g_file_info_get_size (info), NULL, cancellable, error))
    {
      g_prefix_error (error, _("The copy could not be saved in “%s”: "), sent);
      return FALSE;
    }
  if (saved_in != NULL)
    *saved_in = g_steal_pointer (&sent);
  return TRUE;
}

/* epistle/unsaved-sent/ID.eml under the user data dir, the folder made if need be. */
static char *
unsaved_path (const char  *message_id,
              GError     **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "epistle", "unsaved-sent", NULL);
  g_autofree char *id = g_strdup (message_id);
  g_autofree char *name = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  if (id == NULL)
    id = g_uuid_string_random ();
  g_strcanon (id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@", '_');
  name = g_strdup_printf ("%s.eml", id);
  return g_build_filename (dir, name, NULL);
}

/* Writes @mime, or else a copy of the file @source, to @path durably: a flushed temporary
 * file in the same folder, renamed, and the folder flushed. On failure nothing is left. */
static gboolean
write_durably (const char    *path,
               GMimeMessage  *mime,
               const char    *source,
               GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  g_autoptr(GMimeStream) out = NULL;
  g_autoptr(GMimeStream) in = NULL;
  g_autoptr(GError) local_error = NULL;
  int saved_errno = 0;
  gboolean ok;
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create “%s”: %s"), tmp, g_strerror (saved_errno));
      return FALSE;
    }
  out = g_mime_stream_fs_new (fd);
  g_mime_stream_fs_set_owner (GMIME_STREAM_FS (out), FALSE);
  if (mime != NULL)
    ok = ep_mime_write (mime, out, &local_error);
  else
    {
      int src = g_open (source, O_RDONLY | O_CLOEXEC, 0);

      if (src < 0)
        {
          saved_errno = errno;
          g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not read the message “%s”: %s"), source, g_strerror (saved_errno));
          ok = FALSE;
        }
      else
        {
          in = g_mime_stream_fs_new (src);
          errno = 0;
          ok = g_mime_stream_write_to_stream (in, out) >= 0;
          saved_errno = errno;
        }
    }
  if (ok)
    {
      errno = 0;
      ok = g_mime_stream_flush (out) == 0 && fsync (fd) == 0;
      saved_errno = errno;
    }
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (ok && g_rename (tmp, path) != 0)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (!ok)
    {
      g_unlink (tmp);
      if (local_error != NULL)
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("Could not write “%s”: "), path);
      else
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno != 0 ? saved_errno : EIO),
                     _("Could not write “%s”: %s"), path, g_strerror (saved_errno != 0 ? saved_errno : EIO));
      return FALSE;
    }
  return ep_sync_dir (dir, error);
}

/**
 * ep_imap_sent_keep_locally:
 *
 * Writes @mime under the user data dir (epistle/unsaved-sent/), to be
 * saved in the Sent folder later. The file is on disk when this returns;
 * on failure none is left behind.
 *
 * Returns: (transfer full): the file's path, or %NULL with @error set
 */
char *
ep_imap_sent_keep_locally (GMimeMessage  *mime,
                           GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), NULL);

  path = unsaved_path (g_mime_message_get_message_id (mime), error);
  if (path == NULL || !write_durably (path, mime, NULL, error))
    return NULL;
  return g_steal_pointer (&path);
}

/**
 * ep_imap_sent_keep_file_locally:
 * @path: a message as sent, in wire form
 *
 * As ep_imap_sent_keep_locally (), for a message kept in a file: copies it,
 * durably, so that @path may be deleted once this returns.
 *
 * Returns: (transfer full): the copy's path, or %NULL with @error set
 */
char *
ep_imap_sent_keep_file_locally (const char  *path,
                                const char  *message_id,
                                GError     **error)
{
  g_autofree char *kept = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  kept = unsaved_path (message_id, error);
  if (kept == NULL || !write_durably (kept, NULL, path, error))
    return NULL;
  return g_steal_pointer (&kept);
}
