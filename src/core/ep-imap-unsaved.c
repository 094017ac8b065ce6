/* ep-imap-unsaved.c — Sent copies kept on this computer, saved in the Sent folder later
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When the Sent copy of a message that was sent cannot be saved,
 * ep_imap_sent_keep_locally () writes it under the user data dir
 * (epistle/unsaved-sent/<Message-ID>.eml). ep_imap_unsaved_retry () saves
 * each such file in the Sent folder with \Seen, streaming the file's own
 * bytes into the APPEND literal, after a UID SEARCH for its Message-ID so
 * that no copy ever appears twice. A file is removed only once the server
 * has answered OK (or already holds that Message-ID); any other outcome
 * leaves it where it is, with the reason in the report.
 *
 * The files do not say which account sent them: with a @from_address only
 * the copies sent from that address are taken, so another account's copy
 * never lands in this account's Sent folder.
 */
#include "ep-imap-unsaved.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ep-mime.h"

static void
failure_free (EpImapUnsavedFailure *failure)
{
  g_free (failure->path);
  g_free (failure->reason);
  g_free (failure);
}

EpImapUnsavedReport *
ep_imap_unsaved_report_new (void)
{
  EpImapUnsavedReport *report = g_new0 (EpImapUnsavedReport, 1);

  report->failed = g_ptr_array_new_with_free_func ((GDestroyNotify) failure_free);
  return report;
}

void
ep_imap_unsaved_report_free (EpImapUnsavedReport *report)
{
  if (report == NULL)
    return;
  g_free (report->mailbox);
  g_ptr_array_unref (report->failed);
  g_free (report);
}

static void
add_failure (EpImapUnsavedReport *report,
             const char          *path,
             const char          *reason)
{
  EpImapUnsavedFailure *failure = g_new0 (EpImapUnsavedFailure, 1);

  failure->path = g_strdup (path);
  failure->reason = g_strdup (reason);
  g_ptr_array_add (report->failed, failure);
}

/* Returns: (transfer full): where kept copies live */
char *
ep_imap_unsaved_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "epistle", "unsaved-sent", NULL);
}

/* The kept copy at @path, parsed; its content stays in the file. */
static GMimeMessage *
parse_file (const char  *path,
            GError     **error)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  GMimeMessage *mime;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not read “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  ep_mime_init ();
  stream = g_mime_stream_fs_new (fd);
  parser = g_mime_parser_new_with_stream (stream);
  mime = g_mime_parser_construct_message (parser, NULL);
  if (mime == NULL)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("“%s” is not a mail message"), path);
  return mime;
}

static gboolean
sent_from (GMimeMessage *mime,
           const char   *address)
{
  InternetAddressList *from = g_mime_message_get_from (mime);

  for (int i = 0; from != NULL && i < internet_address_list_length (from); i++)
    {
      InternetAddress *item = internet_address_list_get_address (from, i);

      if (INTERNET_ADDRESS_IS_MAILBOX (item) &&
          g_ascii_strcasecmp (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (item)), address) == 0)
        return TRUE;
    }
  return FALSE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * ep_imap_unsaved_list:
 * @from_address: (nullable): only the copies sent from this address
 *
 * Returns: (transfer full) (element-type filename): the kept copies' paths, sorted;
 *   empty when there are none (or the folder cannot be read)
 */
GPtrArray *
ep_imap_unsaved_list (const char *from_address)
{
  g_autofree char *dir_path = ep_imap_unsaved_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_suffix (name, ".eml"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (from_address != NULL)
        {
          g_autoptr(GMimeMessage) mime = parse_file (path, NULL);

          /* A file that cannot be parsed is listed, so the retry reports it. */
          if (mime != NULL && !sent_from (mime, from_address))
            continue;
        }
      g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

/* Appends the file's bytes as they are, unless its Message-ID is in @mailbox already. */
static gboolean
save_file (EpImapClient   *client,
           const char     *mailbox,
           const char     *path,
           gboolean       *already,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(GMimeMessage) mime = parse_file (path, error);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  const char *message_id;

  if (mime == NULL)
    return FALSE;
  message_id = g_mime_message_get_message_id (mime);
  if (message_id != NULL)
    {
      g_autoptr(GArray) uids = NULL;

      if (!ep_imap_client_select (client, mailbox, TRUE, NULL, cancellable, error))
        return FALSE;
      uids = ep_imap_client_uid_search_header (client, "Message-ID", message_id, cancellable, error);
      if (uids == NULL)
        return FALSE;
      *already = uids->len > 0;
      if (*already)
        return TRUE;
    }
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable, error);
  stream = info != NULL ? g_file_read (file, cancellable, error) : NULL;
  if (stream == NULL)
    return FALSE;
  return ep_imap_client_append_stream (client, mailbox, "\\Seen", G_INPUT_STREAM (stream),
                                       (guint64) g_file_info_get_size (info), NULL, cancellable, error);
}

/**
 * ep_imap_unsaved_retry:
 * @client: connected and signed in
 * @from_address: (nullable): only the copies sent from this address
 * @report: filled in: how many were saved, which are still kept and why
 *
 * Saves every kept copy in the Sent folder. A copy that cannot be saved is
 * not an error: it stays on disk and is listed in @report.
 *
 * Returns: %FALSE with @error set when no copy could be tried: the Sent
 *   folder cannot be found, or @cancellable was cancelled
 */
gboolean
ep_imap_unsaved_retry (EpImapClient         *client,
                       const char           *from_address,
                       EpImapUnsavedReport  *report,
                       GCancellable         *cancellable,
                       GError              **error)
{
  g_autoptr(GPtrArray) paths = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (client), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  paths = ep_imap_unsaved_list (from_address);
  if (paths->len == 0)
    return TRUE;
  if (report->mailbox == NULL)
    report->mailbox = ep_imap_client_find_sent (client, cancellable, error);
  if (report->mailbox == NULL)
    return FALSE;
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GError) local_error = NULL;
      gboolean already = FALSE;

      if (!save_file (client, report->mailbox, path, &already, cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          add_failure (report, path, local_error->message);
          continue;
        }
      /* In the Sent folder now: the local copy has done its job. */
      if (g_remove (path) != 0)
        {
          int saved_errno = errno;
          g_autofree char *reason = g_strdup_printf (_("It was saved, but “%s” could not be removed: %s"),
                                                     path, g_strerror (saved_errno));
          add_failure (report, path, reason);
          continue;
        }
      report->saved++;
      if (already)
        report->already++;
    }
  return TRUE;
}
