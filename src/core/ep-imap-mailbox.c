/* ep-imap-mailbox.c — EpImapClient on mailboxes: LIST, CREATE, SELECT/EXAMINE, UID SEARCH,
 * UID FETCH, APPEND
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mailbox names are UTF-8 here and modified UTF-7 on the wire. APPEND
 * streams the message into its literal, never holding it in memory.
 */
#include "ep-imap.h"
#include "ep-imap-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-imap-utf7.h"
#include "ep-mime.h"
#include "ep-server-text.h"
#include "ep-wire-stream.h"

#define APPEND_CHUNK (64 * 1024)

/* LIST */

static gboolean
on_list (EpImapClient          *self,
         const EpImapResponse  *response,
         gpointer               user_data,
         GError               **error)
{
  GPtrArray *mailboxes = user_data;
  const EpImapValue *data = response->data;
  const EpImapValue *flags = ep_imap_value_get_item (data, 1);
  const EpImapValue *delimiter = ep_imap_value_get_item (data, 2);
  const EpImapValue *name = ep_imap_value_get_item (data, 3);
  g_autoptr(GPtrArray) flag_list = g_ptr_array_new ();
  g_autoptr(EpImapMailbox) mailbox = NULL;
  g_autoptr(GError) local = NULL;

  if (!ep_imap_value_is_atom (ep_imap_value_get_item (data, 0), "LIST"))
    return TRUE;
  if (flags == NULL || flags->type != EP_IMAP_VALUE_LIST || delimiter == NULL ||
      (delimiter->type != EP_IMAP_VALUE_NIL && (delimiter->type != EP_IMAP_VALUE_STRING || delimiter->len != 1)) ||
      name == NULL || (name->type != EP_IMAP_VALUE_STRING && name->type != EP_IMAP_VALUE_ATOM) ||
      memchr (name->data, '\0', name->len) != NULL)
    {
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL, _("The server sent a malformed LIST response"));
      return FALSE;
    }

  mailbox = g_new0 (EpImapMailbox, 1);
  mailbox->encoded = g_strndup (name->data, name->len);
  mailbox->delimiter = delimiter->type == EP_IMAP_VALUE_NIL ? '\0' : delimiter->data[0];
  /* Modified UTF-7, or (UTF8=ACCEPT, or a careless server) the raw bytes made displayable. */
  mailbox->name = ep_imap_utf7_decode (mailbox->encoded, &local);
  if (mailbox->name == NULL)
    mailbox->name = ep_server_text_to_display (mailbox->encoded, -1);
  for (guint i = 0; i < ep_imap_value_get_n_items (flags); i++)
    {
      const EpImapValue *flag = ep_imap_value_get_item (flags, i);

      if (flag->type == EP_IMAP_VALUE_ATOM)
        g_ptr_array_add (flag_list, g_strdup (flag->data));
    }
  g_ptr_array_add (flag_list, NULL);
  mailbox->flags = (char **) g_ptr_array_steal (flag_list, NULL);
  g_ptr_array_add (mailboxes, g_steal_pointer (&mailbox));
  return TRUE;
}

/**
 * ep_imap_client_list:
 * @pattern: a LIST pattern in UTF-8, such as “*”
 *
 * Returns: (transfer full) (element-type EpImapMailbox): the mailboxes, with
 *   their special-use flags (RFC 6154) when the server has them
 */
GPtrArray *
ep_imap_client_list (EpImapClient  *self,
                     const char    *pattern,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (pattern != NULL, NULL);

  mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_mailbox_free);
  command = ep_imap_command_new (self, "LIST");
  ep_imap_command_add_string (command, "");
  ep_imap_command_add_mailbox (command, pattern);
  if (ep_imap_client_has_capability (self, "SPECIAL-USE") &&
      ep_imap_client_has_capability (self, "LIST-EXTENDED"))
    ep_imap_command_add_text (command, " RETURN (SPECIAL-USE)");
  if (!ep_imap_client_run (self, command, on_list, mailboxes, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&mailboxes);
}

/**
 * ep_imap_client_find_sent:
 *
 * The Sent folder: the one marked \Sent (RFC 6154), else the first of the
 * names providers commonly use.
 *
 * Returns: (transfer full): its name in UTF-8, or %NULL with
 *   %EP_IMAP_ERROR_NOT_FOUND (or another error)
 */
char *
ep_imap_client_find_sent (EpImapClient  *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  static const char * const common[] = {
    "Sent", "Sent Messages", "Sent Items", "已发送", "已发送邮件", "INBOX.Sent", "INBOX/Sent",
  };
  g_autoptr(GPtrArray) mailboxes = ep_imap_client_list (self, "*", cancellable, error);

  if (mailboxes == NULL)
    return NULL;
  for (guint i = 0; i < mailboxes->len; i++)
    {
      EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      if (ep_imap_mailbox_has_flag (mailbox, "\\Sent") && !ep_imap_mailbox_has_flag (mailbox, "\\Noselect"))
        return g_strdup (mailbox->name);
    }
  for (guint j = 0; j < G_N_ELEMENTS (common); j++)
    {
      for (guint i = 0; i < mailboxes->len; i++)
        {
          EpImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

          if (g_strcmp0 (mailbox->name, common[j]) == 0 && !ep_imap_mailbox_has_flag (mailbox, "\\Noselect"))
            return g_strdup (mailbox->name);
        }
    }
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_NOT_FOUND,
               _("The server has no Sent folder (none is marked \\Sent, and none has a usual name)"));
  return NULL;
}

gboolean
ep_imap_client_create (EpImapClient  *self,
                       const char    *mailbox,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  command = ep_imap_command_new (self, "CREATE");
  ep_imap_command_add_mailbox (command, mailbox);
  return ep_imap_client_run (self, command, NULL, NULL, NULL, cancellable, error);
}

/* DELETE: the mailbox and every message in it (tests renumber a mailbox with it). */
gboolean
ep_imap_client_delete (EpImapClient  *self,
                       const char    *mailbox,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  command = ep_imap_command_new (self, "DELETE");
  ep_imap_command_add_mailbox (command, mailbox);
  return ep_imap_client_run (self, command, NULL, NULL, NULL, cancellable, error);
}

/* SELECT and EXAMINE */

static guint32
code_number (const EpImapValue *code)
{
  guint64 n = 0;

  return ep_imap_value_get_number (ep_imap_value_get_item (code, 1), G_MAXUINT32, &n) ? (guint32) n : 0;
}

static gboolean
on_select (EpImapClient          *self,
           const EpImapResponse  *response,
           gpointer               user_data,
           GError               **error)
{
  EpImapSelected *selected = user_data;
  const EpImapValue *first = ep_imap_value_get_item (response->code, 0);
  guint64 n = 0;

  if (ep_imap_value_is_atom (first, "UIDVALIDITY"))
    selected->uidvalidity = code_number (response->code);
  else if (ep_imap_value_is_atom (first, "UIDNEXT"))
    selected->uidnext = code_number (response->code);
  else if (ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 1), "EXISTS") &&
           ep_imap_value_get_number (ep_imap_value_get_item (response->data, 0), G_MAXUINT32, &n))
    selected->exists = (guint32) n;
  return TRUE;
}

/**
 * ep_imap_client_select:
 * @mailbox: the name in UTF-8
 * @read_only: EXAMINE instead of SELECT: nothing is marked read
 * @selected: (out) (optional): what the server said about the mailbox
 */
gboolean
ep_imap_client_select (EpImapClient    *self,
                       const char      *mailbox,
                       gboolean         read_only,
                       EpImapSelected  *selected,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(EpImapCommand) command = NULL;
  g_autoptr(EpImapResponse) tagged = NULL;
  EpImapSelected local = { 0 };

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  command = ep_imap_command_new (self, read_only ? "EXAMINE" : "SELECT");
  ep_imap_command_add_mailbox (command, mailbox);
  if (!ep_imap_client_run (self, command, on_select, &local, &tagged, cancellable, error))
    {
      if (error != NULL && g_error_matches (*error, EP_IMAP_ERROR, EP_IMAP_ERROR_REFUSED))
        {
          (*error)->code = EP_IMAP_ERROR_NOT_FOUND;
          g_prefix_error (error, _("Could not open the mailbox “%s”: "), mailbox);
        }
      return FALSE;
    }
  local.read_only = ep_imap_value_is_atom (ep_imap_value_get_item (tagged->code, 0), "READ-ONLY");
  if (selected != NULL)
    *selected = local;
  return TRUE;
}

/**
 * ep_imap_check_uidvalidity:
 * @expected: the UIDVALIDITY the caller's UIDs belong to; 0 checks nothing
 * @actual: the one the server gave at SELECT/EXAMINE (0 if it gave none)
 *
 * UIDs only name the same messages while a mailbox keeps its UIDVALIDITY
 * (RFC 3501 2.3.1.1): a server renumbers a mailbox when its index is
 * rebuilt, or when it was deleted and created again under the same name.
 *
 * Returns: %FALSE with %EP_IMAP_ERROR_UIDVALIDITY when they differ
 */
gboolean
ep_imap_check_uidvalidity (const char  *mailbox,
                           guint32      expected,
                           guint32      actual,
                           GError     **error)
{
  g_return_val_if_fail (mailbox != NULL, FALSE);

  if (expected == 0 || expected == actual)
    return TRUE;
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_UIDVALIDITY,
               /* Translators: %s is a mailbox name */
               _("The mailbox “%s” changed on the server (its messages were renumbered): "
                 "nothing was done, and the list must be loaded again."),
               mailbox);
  return FALSE;
}

/**
 * ep_imap_client_select_expecting:
 * @uidvalidity: the UIDVALIDITY the UIDs about to be used were listed under; 0 for any
 *
 * ep_imap_client_select (), then ep_imap_check_uidvalidity (): call it
 * before any command by UID, so that a renumbered mailbox fails with
 * %EP_IMAP_ERROR_UIDVALIDITY before a single UID is sent.
 */
gboolean
ep_imap_client_select_expecting (EpImapClient    *self,
                                 const char      *mailbox,
                                 gboolean         read_only,
                                 guint32          uidvalidity,
                                 EpImapSelected  *selected,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  EpImapSelected local = { 0 };

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  if (!ep_imap_client_select (self, mailbox, read_only, &local, cancellable, error) ||
      !ep_imap_check_uidvalidity (mailbox, uidvalidity, local.uidvalidity, error))
    return FALSE;
  if (selected != NULL)
    *selected = local;
  return TRUE;
}

/* UID SEARCH */

static gboolean
on_search (EpImapClient          *self,
           const EpImapResponse  *response,
           gpointer               user_data,
           GError               **error)
{
  GArray *uids = user_data;

  if (!ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 0), "SEARCH"))
    return TRUE;
  for (guint i = 1; i < ep_imap_value_get_n_items (response->data); i++)
    {
      guint64 n = 0;
      guint32 uid;

      if (!ep_imap_value_get_number (ep_imap_value_get_item (response->data, i), G_MAXUINT32, &n) || n == 0)
        {
          g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
                       _("The server sent a malformed SEARCH response"));
          return FALSE;
        }
      uid = (guint32) n;
      g_array_append_val (uids, uid);
    }
  return TRUE;
}

static GArray *
run_search (EpImapClient   *self,
            EpImapCommand  *command,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (!ep_imap_client_run (self, command, on_search, uids, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&uids);
}

/**
 * ep_imap_client_uid_search:
 * @criteria: search keys in IMAP syntax, such as “ALL” or “SINCE 1-Feb-2026”
 *
 * Returns: (transfer full) (element-type guint32): the matching UIDs
 */
GArray *
ep_imap_client_uid_search (EpImapClient  *self,
                           const char    *criteria,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (criteria != NULL && strpbrk (criteria, "\r\n") == NULL, NULL);

  command = ep_imap_command_new (self, "UID SEARCH ");
  ep_imap_command_add_text (command, criteria);
  return run_search (self, command, cancellable, error);
}

/* UID SEARCH HEADER @header @value, with @value sent as a string (a literal if need be). */
GArray *
ep_imap_client_uid_search_header (EpImapClient  *self,
                                  const char    *header,
                                  const char    *value,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(EpImapCommand) command = NULL;
  gboolean ascii = TRUE;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (header != NULL && value != NULL, NULL);

  for (const char *p = value; *p != '\0'; p++)
    ascii = ascii && (guchar) *p < 0x80;
  command = ep_imap_command_new (self, ascii ? "UID SEARCH HEADER" : "UID SEARCH CHARSET UTF-8 HEADER");
  ep_imap_command_add_string (command, header);
  ep_imap_command_add_string (command, value);
  return run_search (self, command, cancellable, error);
}

/* “1:3,7” from sorted or unsorted UIDs; a caller keeps sets to a sensible length. */
char *
ep_imap_uid_set (const guint32 *uids,
                 guint          n)
{
  GString *set = g_string_new (NULL);

  g_return_val_if_fail (uids != NULL || n == 0, NULL);

  for (guint i = 0; i < n; i++)
    {
      guint j = i;

      while (j + 1 < n && uids[j + 1] == uids[j] + 1)
        j++;
      g_string_append_printf (set, "%s%u", set->len ? "," : "", uids[i]);
      if (j > i)
        g_string_append_printf (set, ":%u", uids[j]);
      i = j;
    }
  return g_string_free (set, FALSE);
}

/* UID FETCH */

static gboolean
on_fetch (EpImapClient          *self,
          const EpImapResponse  *response,
          gpointer               user_data,
          GError               **error)
{
  GPtrArray *messages = user_data;
  EpImapMessage *message = NULL;

  if (!ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 1), "FETCH"))
    return TRUE;
  if (!ep_imap_parse_fetch (response, &message, error))
    return FALSE;
  /* An unsolicited FETCH (a flag changed elsewhere) has no UID: not ours. */
  if (message != NULL)
    g_ptr_array_add (messages, message);
  return TRUE;
}

/**
 * ep_imap_client_uid_fetch:
 * @uid_set: such as “1:*” or “4,7:9”
 * @header_fields: (nullable): for %EP_IMAP_FETCH_HEADERS, such as “FROM SUBJECT”
 *
 * Returns: (transfer full) (element-type EpImapMessage): the messages, in the server's order
 */
GPtrArray *
ep_imap_client_uid_fetch (EpImapClient      *self,
                          const char        *uid_set,
                          EpImapFetchItems   items,
                          const char        *header_fields,
                          GCancellable      *cancellable,
                          GError           **error)
{
  static const struct { EpImapFetchItems item; const char *name; } names[] = {
    { EP_IMAP_FETCH_FLAGS, " FLAGS" },
    { EP_IMAP_FETCH_INTERNALDATE, " INTERNALDATE" },
    { EP_IMAP_FETCH_SIZE, " RFC822.SIZE" },
    { EP_IMAP_FETCH_ENVELOPE, " ENVELOPE" },
    { EP_IMAP_FETCH_BODYSTRUCTURE, " BODYSTRUCTURE" },
    { EP_IMAP_FETCH_BODY, " BODY.PEEK[]" },
    { EP_IMAP_FETCH_HEADER, " BODY.PEEK[HEADER]" },
  };
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(EpImapCommand) command = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (self->transport != NULL, NULL);
  g_return_val_if_fail (uid_set != NULL && strspn (uid_set, "0123456789:,*") == strlen (uid_set), NULL);
  g_return_val_if_fail (!(items & EP_IMAP_FETCH_HEADERS) ||
                        (header_fields != NULL && strpbrk (header_fields, "()\r\n\"") == NULL), NULL);

  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_message_free);
  command = ep_imap_command_new (self, "UID FETCH ");
  ep_imap_command_add_text (command, uid_set);
  ep_imap_command_add_text (command, " (UID");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (items & names[i].item)
        ep_imap_command_add_text (command, names[i].name);
    }
  if (items & EP_IMAP_FETCH_HEADERS)
    {
      ep_imap_command_add_text (command, " BODY.PEEK[HEADER.FIELDS (");
      ep_imap_command_add_text (command, header_fields);
      ep_imap_command_add_text (command, ")]");
    }
  ep_imap_command_add_text (command, ")");
  if (!ep_imap_client_run (self, command, on_fetch, messages, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&messages);
}

/* APPEND */

typedef struct
{
  EpImapClient *self;
  GCancellable *cancellable;
} AppendSink;

static gboolean
append_sink (const char  *data,
             gsize        len,
             gboolean     last,
             gpointer     user_data,
             GError     **error)
{
  AppendSink *sink = user_data;

  if (len == 0 || ep_transport_write (sink->self->transport, data, len, sink->cancellable, error))
    return TRUE;
  sink->self->broken = TRUE;
  return FALSE;
}

typedef gboolean (*WriteBody) (EpImapClient  *self,
                               gpointer       source,
                               guint64        size,
                               GCancellable  *cancellable,
                               GError       **error);

static gboolean
size_mismatch (EpImapClient  *self,
               guint64        written,
               guint64        size,
               GError       **error)
{
  /* The literal's size is promised: the connection cannot be used after a short one. */
  self->broken = TRUE;
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
               _("The message was %llu bytes, not the %llu announced; the copy was not saved"),
               (unsigned long long) written, (unsigned long long) size);
  return FALSE;
}

static gboolean
write_mime (EpImapClient  *self,
            gpointer       source,
            guint64        size,
            GCancellable  *cancellable,
            GError       **error)
{
  AppendSink sink = { self, cancellable };
  g_autoptr(GMimeStream) wire = ep_wire_stream_new (APPEND_CHUNK, append_sink, &sink, cancellable);
  g_autoptr(GError) local = NULL;

  if (!ep_mime_write (GMIME_MESSAGE (source), wire, &local) ||
      !ep_wire_stream_finish (EP_WIRE_STREAM (wire), &local))
    {
      self->broken = TRUE;
      if (!ep_wire_stream_propagate_error (EP_WIRE_STREAM (wire), error))
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (ep_wire_stream_get_written (EP_WIRE_STREAM (wire)) != size)
    return size_mismatch (self, ep_wire_stream_get_written (EP_WIRE_STREAM (wire)), size, error);
  return TRUE;
}

static gboolean
write_input (EpImapClient  *self,
             gpointer       source,
             guint64        size,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *buffer = g_malloc (APPEND_CHUNK);
  guint64 written = 0;

  while (written < size)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (source), buffer,
                                      (gsize) MIN ((guint64) APPEND_CHUNK, size - written),
                                      cancellable, error);
      if (n < 0)
        {
          self->broken = TRUE;
          return FALSE;
        }
      if (n == 0)
        return size_mismatch (self, written, size, error);
      if (!ep_transport_write (self->transport, buffer, n, cancellable, error))
        {
          self->broken = TRUE;
          return FALSE;
        }
      written += n;
    }
  return TRUE;
}

static gboolean
on_append (EpImapClient          *self,
           const EpImapResponse  *response,
           gpointer               user_data,
           GError               **error)
{
  return TRUE;
}

static gboolean
append (EpImapClient  *self,
        const char    *mailbox,
        const char    *flags,
        WriteBody      write_body,
        gpointer       source,
        guint64        size,
        guint32       *uid,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(EpImapCommand) command = ep_imap_command_new (self, "APPEND");
  g_autoptr(EpImapResponse) tagged = NULL;
  g_autofree char *literal = NULL;
  gboolean plus = ep_imap_client_has_capability (self, "LITERAL+") ||
                  (ep_imap_client_has_capability (self, "LITERAL-") && size <= 4096);
  const EpImapValue *code;

  ep_imap_command_add_mailbox (command, mailbox);
  if (flags != NULL)
    {
      ep_imap_command_add_text (command, " (");
      ep_imap_command_add_text (command, flags);
      ep_imap_command_add_text (command, ")");
    }
  literal = g_strdup_printf (" {%" G_GUINT64_FORMAT "%s}", size, plus ? "+" : "");
  ep_imap_command_add_text (command, literal);
  /* The command line goes out as it is; the message follows as its literal. */
  if (!ep_imap_client_send (self, command, cancellable, error))
    return FALSE;
  if (!plus && !ep_imap_client_wait_continuation (self, ep_imap_command_get_tag (command), "APPEND", cancellable, error))
    return FALSE;
  if (self->transcript != NULL)
    ep_transcript_note (self->transcript, "(the message, %" G_GUINT64_FORMAT " bytes)", size);
  ep_transport_set_timeout (self->transport, self->timeout);
  if (!write_body (self, source, size, cancellable, error) ||
      !ep_transport_write (self->transport, "\r\n", 2, cancellable, error) ||
      !ep_imap_client_flush (self, cancellable, error))
    {
      self->broken = TRUE;
      return FALSE;
    }
  tagged = ep_imap_client_wait_tagged (self, ep_imap_command_get_tag (command), on_append, NULL, FALSE, cancellable, error);
  if (tagged == NULL || !ep_imap_client_check_tagged (self, tagged, "APPEND", error))
    return FALSE;
  code = tagged->code;
  if (uid != NULL)
    {
      guint64 n = 0;

      /* RFC 4315: [APPENDUID uidvalidity uid] */
      *uid = 0;
      if (ep_imap_value_is_atom (ep_imap_value_get_item (code, 0), "APPENDUID") &&
          ep_imap_value_get_number (ep_imap_value_get_item (code, 2), G_MAXUINT32, &n))
        *uid = (guint32) n;
    }
  return TRUE;
}

/**
 * ep_imap_client_append_stream:
 * @flags: (nullable): such as “\\Seen”
 * @size: the exact number of bytes @stream will give, CR LF line ends
 * @uid: (out) (optional): the new message's UID if the server says (UIDPLUS), else 0
 *
 * Streams the message into the APPEND literal; never holds it in memory.
 */
gboolean
ep_imap_client_append_stream (EpImapClient  *self,
                              const char    *mailbox,
                              const char    *flags,
                              GInputStream  *stream,
                              guint64        size,
                              guint32       *uid,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);
  g_return_val_if_fail (flags == NULL || strpbrk (flags, "()\r\n{") == NULL, FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  return append (self, mailbox, flags, write_input, stream, size, uid, cancellable, error);
}

/**
 * ep_imap_client_append_message:
 * @size: the message's exact size from ep_mime_measure ()
 *
 * Writes @mime into the APPEND literal as ep_mime_write () writes it for
 * SMTP: the same bytes the recipients received.
 */
gboolean
ep_imap_client_append_message (EpImapClient  *self,
                               const char    *mailbox,
                               const char    *flags,
                               GMimeMessage  *mime,
                               guint64        size,
                               guint32       *uid,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (self->transport != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);
  g_return_val_if_fail (flags == NULL || strpbrk (flags, "()\r\n{") == NULL, FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);

  return append (self, mailbox, flags, write_mime, mime, size, uid, cancellable, error);
}

