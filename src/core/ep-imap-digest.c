/* ep-imap-digest.c — what the JSON export needs of a message, without fetching it whole
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two steps per batch, each one round trip, and at times a third:
 *
 * 1. ep_imap_client_fetch_digests (): one UID FETCH of FLAGS, INTERNALDATE,
 *    RFC822.SIZE, ENVELOPE, BODYSTRUCTURE and the header fields the export
 *    reads. The structure says which part is the body and which parts are
 *    attachments (name, type, encoded size).
 * 2. ep_imap_client_fill_digests (): the body parts alone (BODY.PEEK[1.1]…),
 *    one UID FETCH per section number, and the attachments' decoded sizes
 *    all sent before the first answer is read: for a base64 attachment its
 *    last EP_IMAP_SIZE_TAIL bytes (BODY.PEEK[2]<offset.length>), from which
 *    ep_imap_size_base64 () works out the exact size, and with BINARY the
 *    server's BINARY.SIZE (RFC 3516) of quoted-printable ones.
 *    A body is decoded as soon as it arrives, so its encoded bytes are not
 *    kept.
 * 3. Only if some base64 part's tail did not settle its size, one more
 *    round: a longer tail for lines too long for the first, and with BINARY
 *    the part's BINARY.SIZE. A size that still cannot be known is estimated
 *    from the structure (ep_imap_part_estimate_size ()).
 */
#include "ep-imap-digest.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-imap-export.h"
#include "ep-imap-private.h"
#include "ep-imap-size.h"

/* What the server said of one attachment's size. */
struct _EpImapSizeClue
{
  gint64 server_size;         /* BINARY.SIZE, or -1 */
  guint64 tail_offset;
  GBytes *tail;               /* the part's last bytes, or NULL */
};

static void
clues_free (EpImapDigest *digest)
{
  if (digest->clues == NULL)
    return;
  for (guint i = 0; i < digest->attachments->len; i++)
    g_clear_pointer (&digest->clues[i].tail, g_bytes_unref);
  g_clear_pointer (&digest->clues, g_free);
}

void
ep_imap_digest_free (EpImapDigest *digest)
{
  if (digest == NULL)
    return;
  clues_free (digest);
  g_clear_pointer (&digest->message, ep_imap_message_free);
  g_clear_pointer (&digest->attachments, g_ptr_array_unref);
  g_clear_pointer (&digest->structure, ep_imap_part_free);
  g_free (digest->body);
  g_free (digest->sizes);
  g_free (digest);
}

static const EpImapValue *
fetch_item (const EpImapResponse *response,
            const char           *name)
{
  const EpImapValue *items = ep_imap_value_get_item (response->data, 2);

  for (guint i = 0; i + 1 < ep_imap_value_get_n_items (items); i += 2)
    {
      if (ep_imap_value_is_atom (ep_imap_value_get_item (items, i), name))
        return ep_imap_value_get_item (items, i + 1);
    }
  return NULL;
}

static gboolean
is_fetch (const EpImapResponse *response)
{
  return response->kind == EP_IMAP_RESPONSE_UNTAGGED &&
         ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 1), "FETCH");
}

static gboolean
on_structure (EpImapClient          *self,
              const EpImapResponse  *response,
              gpointer               user_data,
              GError               **error)
{
  GPtrArray *digests = user_data;
  g_autoptr(EpImapMessage) message = NULL;
  g_autoptr(EpImapDigest) digest = NULL;
  const EpImapValue *structure;

  if (!is_fetch (response))
    return TRUE;
  if (!ep_imap_parse_fetch (response, &message, error))
    return FALSE;
  /* An unsolicited FETCH (a flag changed elsewhere) has no UID: not ours. */
  if (message == NULL)
    return TRUE;
  /* A FETCH with a UID but no structure is a flag change the server reported meanwhile
   * (RFC 3501 7.4.2 lets it come at any time): not the answer to this command. */
  structure = fetch_item (response, "BODYSTRUCTURE");
  if (structure == NULL)
    return TRUE;
  digest = g_new0 (EpImapDigest, 1);
  digest->structure = ep_imap_part_parse (structure, error);
  if (digest->structure == NULL)
    return FALSE;
  digest->message = g_steal_pointer (&message);
  digest->body_part = ep_imap_part_find_body (digest->structure, &digest->body_is_html);
  digest->attachments = ep_imap_part_dup_attachments (digest->structure);
  digest->sizes = g_new0 (gint64, MAX (digest->attachments->len, 1));
  for (guint i = 0; i < digest->attachments->len; i++)
    digest->sizes[i] = ep_imap_part_estimate_size (g_ptr_array_index (digest->attachments, i));
  g_ptr_array_add (digests, g_steal_pointer (&digest));
  return TRUE;
}

/**
 * ep_imap_client_fetch_digests:
 * @uids: (array length=n): UIDs in the selected mailbox
 *
 * Returns: (transfer full) (element-type EpImapDigest): the messages' digests, in the
 *   server's order, with no body yet (see ep_imap_client_fill_digests ())
 */
GPtrArray *
ep_imap_client_fetch_digests (EpImapClient   *self,
                              const guint32  *uids,
                              guint           n,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(GPtrArray) digests = NULL;
  g_autoptr(EpImapCommand) command = NULL;
  g_autofree char *set = NULL;

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (uids != NULL || n == 0, NULL);

  digests = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_digest_free);
  if (n == 0)
    return g_steal_pointer (&digests);
  set = ep_imap_uid_set (uids, n);
  command = ep_imap_command_new (self, "UID FETCH ");
  ep_imap_command_add_text (command, set);
  ep_imap_command_add_text (command, " (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE "
                                     "BODY.PEEK[HEADER.FIELDS (" EP_IMAP_DIGEST_HEADER_FIELDS ")])");
  if (!ep_imap_client_run (self, command, on_structure, digests, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&digests);
}

/* Filling in bodies and sizes */

typedef struct
{
  GHashTable *by_uid;         /* UID → EpImapDigest, borrowed */
} Fill;

/* “BODY[1.2]” → “1.2”, in @buffer; NULL if @name is not @prefix[…]. */
static const char *
section_of (const EpImapValue *name,
            const char        *prefix,
            char              *buffer,
            gsize              size)
{
  gsize len = strlen (prefix);
  const char *end;

  if (name == NULL || name->type != EP_IMAP_VALUE_ATOM || g_ascii_strncasecmp (name->data, prefix, len) != 0)
    return NULL;
  end = strchr (name->data + len, ']');
  if (end == NULL || (gsize) (end - name->data - len) >= size)
    return NULL;
  memcpy (buffer, name->data + len, end - name->data - len);
  buffer[end - name->data - len] = '\0';
  return buffer;
}

/* “BODY[2]<680>” → “2” in @buffer and 680; NULL if @name is not a partial BODY[…]. */
static const char *
partial_of (const EpImapValue *name,
            char              *buffer,
            gsize              size,
            guint64           *offset)
{
  const char *open;
  char *end = NULL;

  if (section_of (name, "BODY[", buffer, size) == NULL)
    return NULL;
  open = strchr (name->data, ']') + 1;
  if (*open != '<' || !g_ascii_isdigit (open[1]))
    return NULL;
  *offset = g_ascii_strtoull (open + 1, &end, 10);
  return end != NULL && end[0] == '>' && end[1] == '\0' ? buffer : NULL;
}

/* Whether a BINARY.SIZE fits the part's encoded size, when the last bytes of a base64
 * part could not settle it. Dovecot 2.3.19 answers some wrong ones for Maildir files
 * it did not write itself (2^64 − 38256; 8,900 for a base64 part that BINARY[2]
 * gives as 10,948 bytes; on bench/inbox's mailbox about a quarter of the sizes, each
 * 1.2 % or more too small): such a size is replaced by the estimate. */
static gboolean
plausible (const EpImapPart *part,
           guint64           size)
{
  guint64 estimate = (guint64) ep_imap_part_estimate_size (part);

  if (size > part->octets)
    return FALSE;
  if (g_strcmp0 (part->encoding, "base64") != 0)
    return TRUE;
  return size + estimate / 100 + 4 >= estimate && size <= estimate + estimate / 100 + 4;
}

static gboolean
take_item (EpImapDigest       *digest,
           const EpImapValue  *name,
           const EpImapValue  *value,
           GError            **error)
{
  char section[64];
  guint64 size, offset;

  if (partial_of (name, section, sizeof section, &offset) != NULL)
    {
      if (value->type != EP_IMAP_VALUE_NIL && !ep_imap_value_is_string (value))
        goto malformed;
      for (guint i = 0; i < digest->attachments->len && value->type != EP_IMAP_VALUE_NIL; i++)
        {
          const EpImapPart *part = g_ptr_array_index (digest->attachments, i);

          if (g_strcmp0 (part->section, section) == 0 &&
              (digest->clues[i].tail == NULL || g_bytes_get_size (digest->clues[i].tail) < value->len))
            {
              g_clear_pointer (&digest->clues[i].tail, g_bytes_unref);
              digest->clues[i].tail = g_bytes_new (value->data, value->len);
              digest->clues[i].tail_offset = offset;
            }
        }
    }
  else if (section_of (name, "BODY[", section, sizeof section) != NULL)
    {
      if (digest->body_part == NULL || g_strcmp0 (section, digest->body_part->section) != 0)
        return TRUE;
      if (value->type != EP_IMAP_VALUE_NIL && !ep_imap_value_is_string (value))
        goto malformed;
      g_free (digest->body);
      digest->body = ep_imap_export_part_text (digest->body_part, digest->body_is_html,
                                               value->type == EP_IMAP_VALUE_NIL ? "" : value->data,
                                               value->type == EP_IMAP_VALUE_NIL ? 0 : value->len);
    }
  else if (section_of (name, "BINARY.SIZE[", section, sizeof section) != NULL)
    {
      if (!ep_imap_value_get_number (value, G_MAXUINT64, &size))
        goto malformed;
      for (guint i = 0; i < digest->attachments->len; i++)
        {
          const EpImapPart *part = g_ptr_array_index (digest->attachments, i);

          if (g_strcmp0 (part->section, section) == 0 && size <= G_MAXINT64)
            digest->clues[i].server_size = (gint64) size;
        }
    }
  return TRUE;

malformed:
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
               _("The server sent a malformed %s in a FETCH response"), name->data);
  return FALSE;
}

static gboolean
on_fill (const EpImapResponse  *response,
         Fill                  *fill,
         GError               **error)
{
  const EpImapValue *items = ep_imap_value_get_item (response->data, 2);
  const EpImapValue *uid_value = fetch_item (response, "UID");
  EpImapDigest *digest;
  guint64 uid = 0;

  if (items == NULL || items->type != EP_IMAP_VALUE_LIST || ep_imap_value_get_n_items (items) % 2 != 0)
    {
      g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
                   _("The server sent a malformed %s in a FETCH response"), "FETCH");
      return FALSE;
    }
  if (uid_value == NULL || !ep_imap_value_get_number (uid_value, G_MAXUINT32, &uid))
    return TRUE;
  digest = g_hash_table_lookup (fill->by_uid, GUINT_TO_POINTER ((guint) uid));
  if (digest == NULL)
    return TRUE;
  for (guint i = 0; i < ep_imap_value_get_n_items (items); i += 2)
    {
      if (!take_item (digest, ep_imap_value_get_item (items, i), ep_imap_value_get_item (items, i + 1), error))
        return FALSE;
    }
  return TRUE;
}

static void
append_tail (GString          *items,
             const EpImapPart *part,
             guint64           length)
{
  length = MIN (part->octets, length);
  g_string_append_printf (items, "%sBODY.PEEK[%s]<%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT ">",
                          items->len > 0 ? " " : "", part->section, part->octets - length, length);
}

/* The FETCH items for @digest's attachment sizes, or NULL when the structure says them
 * all: 7bit, 8bit and binary parts are their encoded size. A base64 part's last
 * bytes are asked for (the server's BINARY.SIZE means decoding the whole part, and
 * is asked for later only if those bytes do not settle it); with @binary, a
 * quoted-printable part's BINARY.SIZE (never another encoding's: x-uuencode would
 * make the server refuse the whole FETCH). */
static char *
size_items (EpImapDigest *digest,
            gboolean      binary)
{
  g_autoptr(GString) items = g_string_new (NULL);

  for (guint i = 0; i < digest->attachments->len; i++)
    {
      const EpImapPart *part = g_ptr_array_index (digest->attachments, i);
      gboolean base64 = g_strcmp0 (part->encoding, "base64") == 0;

      if (base64 && part->octets > 0)
        append_tail (items, part, EP_IMAP_SIZE_TAIL);
      if (binary && g_strcmp0 (part->encoding, "quoted-printable") == 0)
        g_string_append_printf (items, "%sBINARY.SIZE[%s]", items->len > 0 ? " " : "", part->section);
    }
  return items->len > 0 ? g_string_free (g_steal_pointer (&items), FALSE) : NULL;
}

static EpImapSizeResult
size_from_tail (EpImapDigest *digest,
                guint         i,
                gint64       *size)
{
  const EpImapPart *part = g_ptr_array_index (digest->attachments, i);
  const EpImapSizeClue *clue = &digest->clues[i];

  if (clue->tail == NULL)
    return EP_IMAP_SIZE_UNKNOWN;
  return ep_imap_size_base64 (part->octets, clue->tail_offset, g_bytes_get_data (clue->tail, NULL),
                              g_bytes_get_size (clue->tail), clue->server_size, size);
}

/* The FETCH items of the second round, or NULL: for each base64 part its first tail
 * did not settle, a longer tail if that would help and, with @binary, its BINARY.SIZE. */
static char *
second_items (EpImapDigest *digest,
              gboolean      binary)
{
  g_autoptr(GString) items = g_string_new (NULL);

  for (guint i = 0; i < digest->attachments->len; i++)
    {
      const EpImapPart *part = g_ptr_array_index (digest->attachments, i);
      EpImapSizeResult result;
      gint64 size;

      if (g_strcmp0 (part->encoding, "base64") != 0 || part->octets == 0)
        continue;
      result = size_from_tail (digest, i, &size);
      if (result == EP_IMAP_SIZE_LONGER_TAIL)
        append_tail (items, part, EP_IMAP_SIZE_LONG_TAIL);
      if (result != EP_IMAP_SIZE_EXACT && binary)
        g_string_append_printf (items, "%sBINARY.SIZE[%s]", items->len > 0 ? " " : "", part->section);
    }
  return items->len > 0 ? g_string_free (g_steal_pointer (&items), FALSE) : NULL;
}

/* The sizes from what the server said: the last bytes of a base64 part first. */
static void
settle_sizes (EpImapDigest *digest)
{
  for (guint i = 0; i < digest->attachments->len; i++)
    {
      const EpImapPart *part = g_ptr_array_index (digest->attachments, i);
      gint64 server_size = digest->clues[i].server_size;
      gint64 size;

      if (size_from_tail (digest, i, &size) == EP_IMAP_SIZE_EXACT)
        digest->sizes[i] = size;
      else if (server_size >= 0 && plausible (part, (guint64) server_size))
        digest->sizes[i] = server_size;
    }
  clues_free (digest);
}

static void
group_add (GHashTable *groups,
           char       *items,
           guint32     uid)
{
  GArray *uids = g_hash_table_lookup (groups, items);

  if (uids == NULL)
    {
      uids = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_hash_table_insert (groups, items, uids);
    }
  else
    g_free (items);
  g_array_append_val (uids, uid);
}

static int
compare_uid (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Sends one UID FETCH per group; their tags go into @tags, binary ones marked with a “B”. */
static gboolean
send_groups (EpImapClient  *self,
             GHashTable    *groups,
             gboolean       binary,
             GPtrArray     *tags,
             GCancellable  *cancellable,
             GError       **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray *uids = value;
      g_autoptr(EpImapCommand) command = ep_imap_command_new (self, "UID FETCH ");
      g_autofree char *set = NULL;

      g_array_sort (uids, compare_uid);
      set = ep_imap_uid_set ((const guint32 *) uids->data, uids->len);
      ep_imap_command_add_text (command, set);
      ep_imap_command_add_text (command, " (UID ");
      ep_imap_command_add_text (command, key);
      ep_imap_command_add_text (command, ")");
      if (!ep_imap_client_send (self, command, cancellable, error))
        return FALSE;
      g_ptr_array_add (tags, g_strdup_printf ("%c%s", binary ? 'B' : 'T', ep_imap_command_get_tag (command)));
    }
  return TRUE;
}

static guint
find_tag (GPtrArray  *tags,
          const char *tag)
{
  for (guint i = 0; i < tags->len; i++)
    {
      if (g_strcmp0 ((const char *) g_ptr_array_index (tags, i) + 1, tag) == 0)
        return i;
    }
  return G_MAXUINT;
}

/* Reads until every command in @tags is answered; a refused BINARY.SIZE leaves estimates. */
static gboolean
read_answers (EpImapClient  *self,
              GPtrArray     *tags,
              Fill          *fill,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) first_error = NULL;

  while (tags->len > 0)
    {
      g_autoptr(EpImapResponse) response = ep_imap_client_read (self, cancellable, error);
      guint index;

      if (response == NULL)
        return FALSE;
      if (response->kind == EP_IMAP_RESPONSE_UNTAGGED)
        {
          if (is_fetch (response) && first_error == NULL && !on_fill (response, fill, &first_error))
            self->broken = TRUE;
          continue;
        }
      index = response->kind == EP_IMAP_RESPONSE_TAGGED ? find_tag (tags, response->tag) : G_MAXUINT;
      if (index == G_MAXUINT)
        {
          self->broken = TRUE;
          g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
                       _("The server answered a command Epistle did not send"));
          return FALSE;
        }
      if (((const char *) g_ptr_array_index (tags, index))[0] == 'T' || response->status != EP_IMAP_STATUS_NO)
        {
          if (first_error == NULL)
            ep_imap_client_check_tagged (self, response, "UID FETCH", &first_error);
        }
      g_ptr_array_remove_index (tags, index);
    }
  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * ep_imap_client_fill_digests:
 * @digests: (array length=n): from ep_imap_client_fetch_digests ()
 * @max_body: a body part larger than this (encoded) is left out, and
 *   marked so with body_left_out
 *
 * Fetches the body part of each digest and, with BINARY, its attachments'
 * decoded sizes: all the commands are sent before the first answer is read.
 */
gboolean
ep_imap_client_fill_digests (EpImapClient   *self,
                             EpImapDigest  **digests,
                             guint           n,
                             guint64         max_body,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GHashTable) by_uid = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  gboolean binary;
  Fill fill = { by_uid };

  g_return_val_if_fail (EP_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (digests != NULL || n == 0, FALSE);

  binary = ep_imap_client_has_capability (self, "BINARY");
  for (guint i = 0; i < n; i++)
    {
      EpImapDigest *digest = digests[i];
      guint32 uid = digest->message->uid;
      char *items;

      g_hash_table_insert (by_uid, GUINT_TO_POINTER (uid), digest);
      if (digest->body_part == NULL)
        digest->body = g_strdup ("");
      else if (digest->body_part->octets > max_body)
        {
          digest->body = g_strdup ("");
          digest->body_left_out = TRUE;
        }
      else
        group_add (bodies, g_strdup_printf ("BODY.PEEK[%s]", digest->body_part->section), uid);
      clues_free (digest);
      digest->clues = g_new0 (EpImapSizeClue, MAX (digest->attachments->len, 1));
      for (guint j = 0; j < digest->attachments->len; j++)
        digest->clues[j].server_size = -1;
      if ((items = size_items (digest, binary)) != NULL)
        group_add (sizes, items, uid);
    }
  if (!send_groups (self, bodies, FALSE, tags, cancellable, error) ||
      !send_groups (self, sizes, TRUE, tags, cancellable, error) ||
      !read_answers (self, tags, &fill, cancellable, error))
    return FALSE;
  /* Base64 the first tails did not settle: lines too long for them, or not all alike. */
  g_hash_table_remove_all (sizes);
  for (guint i = 0; i < n; i++)
    {
      char *items = second_items (digests[i], binary);

      if (items != NULL)
        group_add (sizes, items, digests[i]->message->uid);
    }
  if (!send_groups (self, sizes, TRUE, tags, cancellable, error) ||
      !read_answers (self, tags, &fill, cancellable, error))
    return FALSE;
  /* A server that answered OK without a body it was asked for: an empty body, never a crash. */
  for (guint i = 0; i < n; i++)
    {
      settle_sizes (digests[i]);
      if (digests[i]->body == NULL)
        digests[i]->body = g_strdup ("");
    }
  return TRUE;
}
