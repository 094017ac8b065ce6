/* ep-imap-store.c — EpImapClient: UID STORE, to mark messages read or unread
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Flags change with the .SILENT form (RFC 3501 §6.4.6): the caller knows
 * what it asked for, so the server need not echo the new flags back.
 */
#include "ep-imap.h"
#include "ep-imap-private.h"

#include <string.h>

static gboolean
is_flag_list (const char *flags)
{
  /* System flags (\Seen) and keywords: atoms, separated by single spaces. */
  if (*flags == '\0')
    return FALSE;
  for (const char *p = flags; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 && *p != ' ')
        return FALSE;
      if ((guchar) *p >= 0x7f || strchr ("(){%*\"]", *p) != NULL)
        return FALSE;
    }
  return strstr (flags, "  ") == NULL && flags[0] != ' ' && flags[strlen (flags) - 1] != ' ';
}

/**
 * ep_imap_client_uid_store_flags:
 * @uid_set: such as “7” or “4,7:9”, in the selected (not examined) mailbox
 * @add: %TRUE adds @flags (+FLAGS.SILENT), %FALSE removes them (-FLAGS.SILENT)
 * @flags: such as “\Seen”, several separated by spaces
 *
 * Returns: whether the server stored them
 */
gboolean
ep_imap_client_uid_store_flags (EpImapClient  *self,
                                const char    *uid_set,
                                gboolean       add,
                                const char    *flags,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (uid_set != NULL && *uid_set != '\0' &&
                        strspn (uid_set, "0123456789:,*") == strlen (uid_set), FALSE);
  g_return_val_if_fail (flags != NULL && is_flag_list (flags), FALSE);

  command = ep_imap_command_new (self, "UID STORE ");
  ep_imap_command_add_text (command, uid_set);
  ep_imap_command_add_text (command, add ? " +FLAGS.SILENT (" : " -FLAGS.SILENT (");
  ep_imap_command_add_text (command, flags);
  ep_imap_command_add_text (command, ")");
  /* Untagged FETCH responses (flags another client changed) are not ours to read here. */
  return ep_imap_client_run (self, command, NULL, NULL, NULL, cancellable, error);
}
