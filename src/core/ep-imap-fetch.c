/* ep-imap-fetch.c — a FETCH response as an EpImapMessage: UID, FLAGS, INTERNALDATE,
 * RFC822.SIZE, ENVELOPE, BODYSTRUCTURE, BODY[HEADER.FIELDS …], BODY[]
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's values are checked for shape; a value of the wrong type is
 * a protocol error, never a crash. Strings keep the server's bytes (an
 * ENVELOPE subject may still be RFC 2047 encoded).
 */
#include "ep-imap.h"
#include "ep-imap-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

void
ep_imap_address_free (EpImapAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->name);
  g_free (address->mailbox);
  g_free (address->host);
  g_free (address);
}

/* “mailbox@host”, or “mailbox” without a host. */
char *
ep_imap_address_dup_display (const EpImapAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  if (address->host == NULL)
    return g_strdup (address->mailbox != NULL ? address->mailbox : "");
  return g_strdup_printf ("%s@%s", address->mailbox != NULL ? address->mailbox : "", address->host);
}

void
ep_imap_envelope_free (EpImapEnvelope *envelope)
{
  if (envelope == NULL)
    return;
  g_free (envelope->date);
  g_free (envelope->subject);
  g_clear_pointer (&envelope->from, g_ptr_array_unref);
  g_clear_pointer (&envelope->to, g_ptr_array_unref);
  g_clear_pointer (&envelope->cc, g_ptr_array_unref);
  g_free (envelope->in_reply_to);
  g_free (envelope->message_id);
  g_free (envelope);
}

void
ep_imap_message_free (EpImapMessage *message)
{
  if (message == NULL)
    return;
  g_strfreev (message->flags);
  g_clear_pointer (&message->internaldate, g_date_time_unref);
  g_clear_pointer (&message->envelope, ep_imap_envelope_free);
  g_clear_pointer (&message->headers, g_bytes_unref);
  g_clear_pointer (&message->body, g_bytes_unref);
  g_free (message);
}

static gboolean
malformed (const char  *item,
           GError     **error)
{
  g_set_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL,
               /* Translators: %s is a FETCH item such as ENVELOPE */
               _("The server sent a malformed %s in a FETCH response"), item);
  return FALSE;
}

static gboolean
is_nstring (const EpImapValue *value)
{
  return value != NULL && (value->type == EP_IMAP_VALUE_NIL || value->type == EP_IMAP_VALUE_STRING ||
                           value->type == EP_IMAP_VALUE_ATOM);
}

/* NIL, or a list of (name adl mailbox host); group markers are left out. */
static gboolean
parse_addresses (const EpImapValue  *value,
                 GPtrArray         **out)
{
  *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_address_free);
  if (value != NULL && value->type == EP_IMAP_VALUE_NIL)
    return TRUE;
  if (value == NULL || value->type != EP_IMAP_VALUE_LIST)
    return FALSE;
  for (guint i = 0; i < ep_imap_value_get_n_items (value); i++)
    {
      const EpImapValue *item = ep_imap_value_get_item (value, i);
      EpImapAddress *address;

      if (ep_imap_value_get_n_items (item) != 4)
        return FALSE;
      for (guint j = 0; j < 4; j++)
        {
          if (!is_nstring (ep_imap_value_get_item (item, j)))
            return FALSE;
        }
      if (ep_imap_value_get_item (item, 3)->type == EP_IMAP_VALUE_NIL)
        continue;
      address = g_new0 (EpImapAddress, 1);
      address->name = ep_imap_value_dup_nstring (ep_imap_value_get_item (item, 0));
      address->mailbox = ep_imap_value_dup_nstring (ep_imap_value_get_item (item, 2));
      address->host = ep_imap_value_dup_nstring (ep_imap_value_get_item (item, 3));
      g_ptr_array_add (*out, address);
    }
  return TRUE;
}

static gboolean
parse_envelope (const EpImapValue  *value,
                EpImapEnvelope    **out,
                GError            **error)
{
  g_autoptr(GPtrArray) ignored = NULL;
  EpImapEnvelope *envelope;
  gboolean ok;

  if (ep_imap_value_get_n_items (value) != 10)
    return malformed ("ENVELOPE", error);
  for (guint i = 0; i < 10; i++)
    {
      const EpImapValue *item = ep_imap_value_get_item (value, i);

      if ((i < 2 || i > 7) && !is_nstring (item))
        return malformed ("ENVELOPE", error);
    }
  envelope = g_new0 (EpImapEnvelope, 1);
  envelope->date = ep_imap_value_dup_nstring (ep_imap_value_get_item (value, 0));
  envelope->subject = ep_imap_value_dup_nstring (ep_imap_value_get_item (value, 1));
  envelope->in_reply_to = ep_imap_value_dup_nstring (ep_imap_value_get_item (value, 8));
  envelope->message_id = ep_imap_value_dup_nstring (ep_imap_value_get_item (value, 9));
  ok = parse_addresses (ep_imap_value_get_item (value, 2), &envelope->from);
  ok = parse_addresses (ep_imap_value_get_item (value, 5), &envelope->to) && ok;
  ok = parse_addresses (ep_imap_value_get_item (value, 6), &envelope->cc) && ok;
  for (guint i = 3; i <= 7; i += (i == 4 ? 3 : 1))
    {
      g_clear_pointer (&ignored, g_ptr_array_unref);
      ok = parse_addresses (ep_imap_value_get_item (value, i), &ignored) && ok;
    }
  if (!ok)
    {
      ep_imap_envelope_free (envelope);
      return malformed ("ENVELOPE", error);
    }
  *out = envelope;
  return TRUE;
}

/* Whether a BODYSTRUCTURE part, or any under it, is an attachment: a disposition of
 * “attachment”, a non-text leaf with a file name, or an attached message. */
static gboolean
has_attachment (const EpImapValue *body)
{
  const EpImapValue *first = ep_imap_value_get_item (body, 0);
  gboolean text;

  if (first == NULL)
    return FALSE;
  if (first->type == EP_IMAP_VALUE_LIST)
    {
      for (guint i = 0; i < ep_imap_value_get_n_items (body); i++)
        {
          const EpImapValue *part = ep_imap_value_get_item (body, i);

          if (part->type == EP_IMAP_VALUE_LIST && ep_imap_value_get_item (part, 0) != NULL &&
              has_attachment (part))
            return TRUE;
        }
      return FALSE;
    }
  text = ep_imap_value_is_string (first) && g_ascii_strcasecmp (first->data, "TEXT") == 0;
  /* A forwarded message is an attachment; what it holds is not looked into. */
  if (ep_imap_value_is_string (first) && g_ascii_strcasecmp (first->data, "MESSAGE") == 0 &&
      ep_imap_value_is_string (ep_imap_value_get_item (body, 1)) &&
      (g_ascii_strcasecmp (ep_imap_value_get_item (body, 1)->data, "RFC822") == 0 ||
       g_ascii_strcasecmp (ep_imap_value_get_item (body, 1)->data, "GLOBAL") == 0))
    return TRUE;
  for (guint i = 2; i < ep_imap_value_get_n_items (body); i++)
    {
      const EpImapValue *item = ep_imap_value_get_item (body, i);
      const EpImapValue *head = ep_imap_value_get_item (item, 0);

      if (!ep_imap_value_is_string (head))
        continue;
      if (g_ascii_strcasecmp (head->data, "ATTACHMENT") == 0)
        return TRUE;
      /* The parameter list: (“NAME” “x.pdf” …) on a part that is not text. */
      for (guint j = 0; !text && j + 1 < ep_imap_value_get_n_items (item); j += 2)
        {
          const EpImapValue *key = ep_imap_value_get_item (item, j);

          if (ep_imap_value_is_string (key) && g_ascii_strcasecmp (key->data, "NAME") == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static int
month_number (const char *name)
{
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

  for (int i = 0; i < 12; i++)
    {
      if (g_ascii_strncasecmp (name, months + 3 * i, 3) == 0)
        return i + 1;
    }
  return 0;
}

/* RFC 3501 date-time: “17-Jul-1996 02:44:25 -0700” (the day may start with a space). */
static GDateTime *
parse_internaldate (const char *text)
{
  char month[4] = { 0 };
  int day, year, hour, minute, second, zone;
  char sign;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *offset = NULL;

  if (sscanf (text, "%2d-%3c-%4d %2d:%2d:%2d %c%4d", &day, month, &year, &hour, &minute, &second,
              &sign, &zone) != 8 || (sign != '+' && sign != '-') || month_number (month) == 0 ||
      zone < 0 || zone > 2359)
    return NULL;
  offset = g_strdup_printf ("%c%02d:%02d", sign, zone / 100, zone % 100);
  tz = g_time_zone_new_identifier (offset);
  if (tz == NULL)
    return NULL;
  return g_date_time_new (tz, year, month_number (month), day, hour, minute, second);
}

/* A copy with a NUL after its end (not counted), so that it may be read as a string. */
static GBytes *
nul_terminated_bytes (const char *data,
                      gsize       len)
{
  char *copy = g_malloc (len + 1);

  memcpy (copy, data, len);
  copy[len] = '\0';
  return g_bytes_new_take (copy, len);
}

static gboolean
parse_item (EpImapMessage      *message,
            const EpImapValue  *name,
            const EpImapValue  *value,
            GError            **error)
{
  guint64 n = 0;

  if (ep_imap_value_is_atom (name, "UID"))
    {
      if (!ep_imap_value_get_number (value, G_MAXUINT32, &n) || n == 0)
        return malformed ("UID", error);
      message->uid = (guint32) n;
    }
  else if (ep_imap_value_is_atom (name, "RFC822.SIZE"))
    {
      if (!ep_imap_value_get_number (value, G_MAXUINT64, &n))
        return malformed ("RFC822.SIZE", error);
      message->size = n;
    }
  else if (ep_imap_value_is_atom (name, "FLAGS"))
    {
      g_autoptr(GStrvBuilder) flags = g_strv_builder_new ();

      if (value->type != EP_IMAP_VALUE_LIST)
        return malformed ("FLAGS", error);
      for (guint i = 0; i < ep_imap_value_get_n_items (value); i++)
        {
          const EpImapValue *flag = ep_imap_value_get_item (value, i);

          if (flag->type != EP_IMAP_VALUE_ATOM)
            return malformed ("FLAGS", error);
          g_strv_builder_add (flags, flag->data);
        }
      g_strfreev (message->flags);
      message->flags = g_strv_builder_end (flags);
    }
  else if (ep_imap_value_is_atom (name, "INTERNALDATE"))
    {
      if (!ep_imap_value_is_string (value))
        return malformed ("INTERNALDATE", error);
      g_clear_pointer (&message->internaldate, g_date_time_unref);
      message->internaldate = parse_internaldate (value->data);
      if (message->internaldate == NULL)
        return malformed ("INTERNALDATE", error);
    }
  else if (ep_imap_value_is_atom (name, "ENVELOPE"))
    {
      g_clear_pointer (&message->envelope, ep_imap_envelope_free);
      return parse_envelope (value, &message->envelope, error);
    }
  else if (ep_imap_value_is_atom (name, "BODYSTRUCTURE"))
    {
      if (value->type != EP_IMAP_VALUE_LIST)
        return malformed ("BODYSTRUCTURE", error);
      message->has_attachments = has_attachment (value);
    }
  else if (name->type == EP_IMAP_VALUE_ATOM && g_ascii_strncasecmp (name->data, "BODY[", 5) == 0)
    {
      GBytes **where = g_ascii_strcasecmp (name->data, "BODY[]") == 0 ? &message->body
                                                                        : &message->headers;
      if (!is_nstring (value))
        return malformed ("BODY[]", error);
      g_clear_pointer (where, g_bytes_unref);
      *where = nul_terminated_bytes (value->type == EP_IMAP_VALUE_NIL ? "" : value->data,
                                     value->type == EP_IMAP_VALUE_NIL ? 0 : value->len);
    }
  return TRUE;
}

/**
 * ep_imap_parse_fetch:
 * @message: (out): the message, or %NULL for a FETCH without a UID
 */
gboolean
ep_imap_parse_fetch (const EpImapResponse  *response,
                     EpImapMessage        **message,
                     GError               **error)
{
  const EpImapValue *items = ep_imap_value_get_item (response->data, 2);
  g_autoptr(EpImapMessage) result = NULL;

  *message = NULL;
  if (items == NULL || items->type != EP_IMAP_VALUE_LIST || ep_imap_value_get_n_items (items) % 2 != 0)
    return malformed ("FETCH", error);
  result = g_new0 (EpImapMessage, 1);
  for (guint i = 0; i < ep_imap_value_get_n_items (items); i += 2)
    {
      if (!parse_item (result, ep_imap_value_get_item (items, i), ep_imap_value_get_item (items, i + 1),
                       error))
        return FALSE;
    }
  if (result->uid != 0)
    *message = g_steal_pointer (&result);
  return TRUE;
}
