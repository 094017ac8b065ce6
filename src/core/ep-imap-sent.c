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
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ep-mime.h"

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
  g_autoptr(GArray) uids = NULL;
  const char *message_id;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (client), FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);

  if (already_there != NULL)
    *already_there = FALSE;
  sent = mailbox != NULL ? g_strdup (mailbox) : ep_imap_client_find_sent (client, cancellable, error);
  if (sent == NULL)
    return FALSE;

  message_id = g_mime_message_get_message_id (mime);
  if (message_id != NULL)
    {
      if (!ep_imap_client_select (client, sent, TRUE, NULL, cancellable, error))
        return FALSE;
      uids = ep_imap_client_uid_search_header (client, "Message-ID", message_id, cancellable, error);
      if (uids == NULL)
        return FALSE;
    }
  if (uids != NULL && uids->len > 0)
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
 * ep_imap_sent_keep_locally:
 *
 * Writes @mime under the user data dir (epistle/unsaved-sent/), to be
 * saved in the Sent folder later.
 *
 * Returns: (transfer full): the file's path, or %NULL with @error set
 */
char *
ep_imap_sent_keep_locally (GMimeMessage  *mime,
                           GError       **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "epistle", "unsaved-sent", NULL);
  g_autofree char *id = g_strdup (g_mime_message_get_message_id (mime));
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GMimeStream) file = NULL;
  int fd;

  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), NULL);

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
  path = g_build_filename (dir, name, NULL);
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  file = g_mime_stream_fs_new (fd);
  if (!ep_mime_write (mime, file, error) || g_mime_stream_flush (file) != 0)
    {
      g_prefix_error (error, _("Could not write “%s”: "), path);
      return NULL;
    }
  return g_steal_pointer (&path);
}
