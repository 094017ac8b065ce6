/* ep-imap-structure.c — a FETCH BODYSTRUCTURE as a tree of parts with their section numbers
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 3501 §7.4.2: a multipart is its parts followed by its subtype and
 * extension data; a leaf is type, subtype, parameters, id, description,
 * encoding and size, then lines (text), envelope, body and lines
 * (message/rfc822), then MD5 and the disposition. Parameters arrive as the
 * header had them (RFC 2231 continuations, RFC 2047 words): they are
 * written back as a header value and read with GMime's parser, so a name
 * decodes exactly as it does when the whole message is parsed.
 *
 * Which part is the body and which are attachments follows ep-imap-export's
 * reading of a whole message with GMime: parts in order, multiparts
 * descended into; an attached message (message/rfc822) is an attachment of
 * its own, named by its subject when it has no file name, and never entered:
 * its text is not the body, its attachments not the outer message's.
 */
#include "ep-imap-structure.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-imap.h"
#include "ep-mime.h"
#include "ep-server-text.h"

void
ep_imap_part_free (EpImapPart *part)
{
  if (part == NULL)
    return;
  g_free (part->type);
  g_free (part->subtype);
  g_clear_object (&part->params);
  g_free (part->encoding);
  g_free (part->disposition);
  g_clear_object (&part->disposition_params);
  g_free (part->section);
  g_free (part->message_subject);
  g_clear_pointer (&part->children, g_ptr_array_unref);
  g_free (part);
}

static gboolean
malformed (GError **error)
{
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
               /* Translators: %s is a FETCH item such as ENVELOPE */
               _("The server sent a malformed %s in a FETCH response"), "BODYSTRUCTURE");
  return FALSE;
}

/* (“name” “value” …) or NIL, as GMime reads a header's parameters. */
static GMimeParamList *
parse_params (const EpImapValue *value)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (value == NULL || value->type != EP_IMAP_VALUE_LIST)
    return g_mime_param_list_new ();
  for (guint i = 0; i + 1 < ep_imap_value_get_n_items (value); i += 2)
    {
      const EpImapValue *name = ep_imap_value_get_item (value, i);
      const EpImapValue *val = ep_imap_value_get_item (value, i + 1);

      if (!ep_imap_value_is_string (name) || !ep_imap_value_is_string (val) ||
          strpbrk (name->data, " \t\r\n;=\"()<>@,:\\/[]?") != NULL || memchr (val->data, '\0', val->len) != NULL)
        continue;
      g_string_append_printf (text, "; %s=\"", name->data);
      for (const char *p = val->data; *p != '\0'; p++)
        {
          if (*p == '\r' || *p == '\n')
            continue;
          if (*p == '"' || *p == '\\')
            g_string_append_c (text, '\\');
          g_string_append_c (text, *p);
        }
      g_string_append_c (text, '"');
    }
  ep_mime_init ();
  return g_mime_param_list_parse (NULL, text->str);
}

static char *
dup_string (const EpImapValue *value,
            const char        *fallback)
{
  if (ep_imap_value_is_string (value) && memchr (value->data, '\0', value->len) == NULL)
    return g_strdup (value->data);
  return g_strdup (fallback);
}

/* (“attachment” (“filename” “x”)) or NIL */
static void
parse_disposition (EpImapPart        *part,
                   const EpImapValue *value)
{
  if (value == NULL || value->type != EP_IMAP_VALUE_LIST || ep_imap_value_get_n_items (value) < 1 ||
      !ep_imap_value_is_string (ep_imap_value_get_item (value, 0)))
    return;
  part->disposition = dup_string (ep_imap_value_get_item (value, 0), NULL);
  part->disposition_params = parse_params (ep_imap_value_get_item (value, 1));
}

static EpImapPart *parse_part (const EpImapValue *value, const char *section, guint depth, GError **error);

static EpImapPart *
parse_multipart (const EpImapValue  *value,
                 const char         *section,
                 guint               depth,
                 GError            **error)
{
  g_autoptr(EpImapPart) part = g_new0 (EpImapPart, 1);
  guint n = ep_imap_value_get_n_items (value);
  guint i;

  part->type = g_strdup ("multipart");
  part->section = g_strdup (section);
  part->children = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_part_free);
  for (i = 0; i < n && ep_imap_value_get_item (value, i)->type == EP_IMAP_VALUE_LIST; i++)
    {
      g_autofree char *child_section = *section != '\0' ? g_strdup_printf ("%s.%u", section, i + 1)
                                                        : g_strdup_printf ("%u", i + 1);
      EpImapPart *child = parse_part (ep_imap_value_get_item (value, i), child_section, depth + 1, error);

      if (child == NULL)
        return NULL;
      g_ptr_array_add (part->children, child);
    }
  if (i == 0 || i >= n || !ep_imap_value_is_string (ep_imap_value_get_item (value, i)))
    return malformed (error), NULL;
  part->subtype = dup_string (ep_imap_value_get_item (value, i), "mixed");
  part->params = parse_params (ep_imap_value_get_item (value, i + 1));
  parse_disposition (part, ep_imap_value_get_item (value, i + 2));
  return g_steal_pointer (&part);
}

static EpImapPart *
parse_part (const EpImapValue  *value,
            const char         *section,
            guint               depth,
            GError            **error)
{
  g_autoptr(EpImapPart) part = NULL;
  guint disposition_at;

  if (value == NULL || value->type != EP_IMAP_VALUE_LIST || depth > EP_IMAP_PARSER_MAX_DEPTH)
    return malformed (error), NULL;
  if (ep_imap_value_get_n_items (value) > 0 && ep_imap_value_get_item (value, 0)->type == EP_IMAP_VALUE_LIST)
    return parse_multipart (value, section, depth, error);
  if (ep_imap_value_get_n_items (value) < 7 || !ep_imap_value_is_string (ep_imap_value_get_item (value, 0)) ||
      !ep_imap_value_is_string (ep_imap_value_get_item (value, 1)))
    return malformed (error), NULL;

  part = g_new0 (EpImapPart, 1);
  part->type = dup_string (ep_imap_value_get_item (value, 0), "application");
  part->subtype = dup_string (ep_imap_value_get_item (value, 1), "octet-stream");
  part->params = parse_params (ep_imap_value_get_item (value, 2));
  part->encoding = g_ascii_strdown (ep_imap_value_is_string (ep_imap_value_get_item (value, 5))
                                      ? ep_imap_value_get_item (value, 5)->data : "7bit", -1);
  if (!ep_imap_value_get_number (ep_imap_value_get_item (value, 6), G_MAXINT64, &part->octets))
    return malformed (error), NULL;
  part->section = g_strdup (*section != '\0' ? section : "1");
  if (ep_imap_part_is_type (part, "text", NULL))
    disposition_at = 9;
  else if (ep_imap_part_is_message (part))
    {
      /* Then ENVELOPE, BODYSTRUCTURE and lines of the message inside (RFC 3501 7.4.2). */
      const EpImapValue *envelope = ep_imap_value_get_item (value, 7);

      if (envelope != NULL && envelope->type == EP_IMAP_VALUE_LIST)
        part->message_subject = dup_string (ep_imap_value_get_item (envelope, 1), NULL);
      disposition_at = 11;
    }
  else
    disposition_at = 8;
  parse_disposition (part, ep_imap_value_get_item (value, disposition_at));
  return g_steal_pointer (&part);
}

/**
 * ep_imap_part_parse:
 * @value: the value after BODYSTRUCTURE in a FETCH response
 *
 * Returns: (transfer full): the root part, or %NULL with @error set
 */
EpImapPart *
ep_imap_part_parse (const EpImapValue  *value,
                    GError            **error)
{
  g_return_val_if_fail (value != NULL, NULL);

  return parse_part (value, "", 0, error);
}

/* @subtype may be %NULL for any. */
gboolean
ep_imap_part_is_type (const EpImapPart *part,
                      const char       *type,
                      const char       *subtype)
{
  g_return_val_if_fail (part != NULL, FALSE);

  return g_ascii_strcasecmp (part->type, type) == 0 &&
         (subtype == NULL || (part->subtype != NULL && g_ascii_strcasecmp (part->subtype, subtype) == 0));
}

char *
ep_imap_part_dup_mime_type (const EpImapPart *part)
{
  GMimeContentType *type;
  char *mime_type;

  g_return_val_if_fail (part != NULL, NULL);

  /* GMime's own spelling, as when the whole message is parsed. */
  ep_mime_init ();
  type = g_mime_content_type_new (part->type, part->subtype);
  mime_type = g_mime_content_type_get_mime_type (type);
  g_object_unref (type);
  return mime_type;
}

static const char *
param_value (GMimeParamList *list,
             const char     *name)
{
  GMimeParam *param = list != NULL ? g_mime_param_list_get_parameter (list, name) : NULL;

  return param != NULL ? g_mime_param_get_value (param) : NULL;
}

const char *
ep_imap_part_get_param (const EpImapPart *part,
                        const char       *name)
{
  g_return_val_if_fail (part != NULL, NULL);

  return param_value (part->params, name);
}

/* The disposition's filename, else the type's name (as g_mime_part_get_filename ()). */
const char *
ep_imap_part_get_filename (const EpImapPart *part)
{
  const char *name;

  g_return_val_if_fail (part != NULL, NULL);

  name = param_value (part->disposition_params, "filename");
  return name != NULL ? name : param_value (part->params, "name");
}

/**
 * ep_imap_attached_message_name:
 * @subject: (nullable): an attached message's subject, decoded
 *
 * Returns: (transfer full) (nullable): “SUBJECT.eml” in UTF-8, or %NULL when
 *   the subject is empty: the name an attached message without one goes by
 */
char *
ep_imap_attached_message_name (const char *subject)
{
  g_autofree char *text = ep_server_text_to_utf8 (subject != NULL ? subject : "", -1);

  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_strconcat (text, ".eml", NULL);
}

/* message/rfc822, or message/global (RFC 6532): a whole message inside this one. */
gboolean
ep_imap_part_is_message (const EpImapPart *part)
{
  g_return_val_if_fail (part != NULL, FALSE);

  return part->children == NULL &&
         (ep_imap_part_is_type (part, "message", "rfc822") || ep_imap_part_is_type (part, "message", "global"));
}

/**
 * ep_imap_part_dup_attachment_name:
 *
 * Returns: (transfer full) (nullable): the part's file name; for an attached
 *   message without one, its subject (decoded) and “.eml”, as
 *   ep_imap_export_dup_attachment_name () says of the same part parsed whole
 */
char *
ep_imap_part_dup_attachment_name (const EpImapPart *part)
{
  const char *name;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (part != NULL, NULL);

  name = ep_imap_part_get_filename (part);
  if (name != NULL || !ep_imap_part_is_message (part))
    return g_strdup (name);
  if (part->message_subject == NULL)
    return NULL;
  ep_mime_init ();
  subject = g_mime_utils_header_decode_text (NULL, part->message_subject);
  return ep_imap_attached_message_name (subject);
}

static gboolean
is_attachment (const EpImapPart *part)
{
  if (part->children != NULL)
    return FALSE;
  if (ep_imap_part_is_message (part))
    return TRUE;
  if (part->disposition != NULL && g_ascii_strcasecmp (part->disposition, "attachment") == 0)
    return TRUE;
  return ep_imap_part_get_filename (part) != NULL && !ep_imap_part_is_type (part, "text", NULL);
}

typedef struct
{
  const EpImapPart *plain;
  const EpImapPart *html;
  GPtrArray *attachments;
} Found;

static void
walk (const EpImapPart *part,
      Found            *found)
{
  if (part->children != NULL)
    {
      for (guint i = 0; i < part->children->len; i++)
        walk (g_ptr_array_index (part->children, i), found);
      return;
    }
  if (is_attachment (part))
    {
      if (found->attachments != NULL)
        g_ptr_array_add (found->attachments, (gpointer) part);
    }
  else if (found->plain == NULL && ep_imap_part_is_type (part, "text", "plain"))
    found->plain = part;
  else if (found->html == NULL && ep_imap_part_is_type (part, "text", "html"))
    found->html = part;
}

/**
 * ep_imap_part_find_body:
 * @html: (out): set when the part found is HTML
 *
 * Returns: (nullable): the first text/plain part that is not an attachment,
 *   else the first text/html one
 */
const EpImapPart *
ep_imap_part_find_body (const EpImapPart *root,
                        gboolean         *html)
{
  Found found = { 0 };

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (html != NULL, NULL);

  walk (root, &found);
  *html = found.plain == NULL && found.html != NULL;
  return found.plain != NULL ? found.plain : found.html;
}

/**
 * ep_imap_part_dup_attachments:
 *
 * Returns: (transfer container) (element-type EpImapPart): the attachments, in order
 */
GPtrArray *
ep_imap_part_dup_attachments (const EpImapPart *root)
{
  Found found = { 0 };

  g_return_val_if_fail (root != NULL, NULL);

  found.attachments = g_ptr_array_new ();
  walk (root, &found);
  return found.attachments;
}

/**
 * ep_imap_part_estimate_size:
 *
 * The decoded size, when the server cannot say (no BINARY, RFC 3516).
 * Exact for 7bit, 8bit and binary. Base64 carries 3 bytes in 4 characters
 * and a line break every 76 (RFC 2045 §6.8): without the bytes the count
 * of line breaks and of “=” padding is unknown, so this is
 * (octets − 2 × ⌈octets / 78⌉) × 3 / 4, within about 1 % for mail as
 * mailers write it. Quoted-printable gives its encoded size, an upper bound.
 */
gint64
ep_imap_part_estimate_size (const EpImapPart *part)
{
  guint64 lines;

  g_return_val_if_fail (part != NULL, 0);

  if (part->encoding == NULL || g_strcmp0 (part->encoding, "base64") != 0)
    return (gint64) part->octets;
  lines = (part->octets + 77) / 78;
  return (gint64) ((part->octets - MIN (part->octets, 2 * lines)) * 3 / 4);
}
