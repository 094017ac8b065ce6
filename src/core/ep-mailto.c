/* ep-mailto.c — mailto: URIs (RFC 6068) to recipients, subject and body
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mailto: link comes from a web page or another program, so it is
 * untrusted. Only the fields a person can see and change before sending are
 * taken: to (the path and any `to` fields), cc, bcc, subject and body. Every
 * other field is ignored and its name kept, so the window can say so — above
 * all `attach`/`attachment`, with which a page would otherwise make the
 * composer send a local file of its choice (CVE-2019-15522 and kin).
 *
 * Percent-escapes decode to bytes that must make UTF-8; `+` stays a plus
 * (RFC 6068 §5). Lists are split on raw commas before decoding, so an
 * escaped comma (%2C) stays inside its address. A body's CR LF and lone CR
 * become "\n"; a subject's line breaks become spaces (it is one header line).
 */
#include "ep-mailto.h"

#include <string.h>
#include <glib/gi18n-lib.h>

struct _EpMailto
{
  GPtrArray *to;        /* of char *, NULL-terminated */
  GPtrArray *cc;
  GPtrArray *bcc;
  char *subject;        /* NULL when the link has none */
  char *body;
  GPtrArray *ignored;   /* names of the fields not taken, lower case */
};

G_DEFINE_QUARK (ep-mailto-error-quark, ep_mailto_error)

static EpMailto *
ep_mailto_new (void)
{
  EpMailto *self = g_new0 (EpMailto, 1);

  self->to = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->cc = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->bcc = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->ignored = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  return self;
}

void
ep_mailto_free (EpMailto *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->to);
  g_ptr_array_unref (self->cc);
  g_ptr_array_unref (self->bcc);
  g_ptr_array_unref (self->ignored);
  g_free (self->subject);
  g_free (self->body);
  g_free (self);
}

/* TRUE when @text starts with the scheme "mailto:", in any case. */
gboolean
ep_mailto_is_mailto (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return g_ascii_strncasecmp (text, "mailto:", 7) == 0;
}

/* @field names the part in the error: "to", "subject", or NULL for a field's name. */
static char *
decode (const char  *start,
        gsize        len,
        gsize        offset,
        const char  *field,
        GError     **error)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      int high, low;

      if (start[i] != '%')
        {
          g_string_append_c (out, start[i]);
          continue;
        }
      high = i + 1 < len ? g_ascii_xdigit_value (start[i + 1]) : -1;
      low = i + 2 < len ? g_ascii_xdigit_value (start[i + 2]) : -1;
      if (high < 0 || low < 0)
        {
          /* Translators: %u is a position in the link, counted in bytes from 1 */
          g_set_error (error, EP_MAILTO_ERROR, EP_MAILTO_ERROR_ESCAPE,
                       _("The mailto: link has a broken escape at character %u: “%%” must be "
                         "followed by two hexadecimal digits"), (guint) (offset + i + 1));
          g_string_free (out, TRUE);
          return NULL;
        }
      if (high == 0 && low == 0)
        {
          g_set_error (error, EP_MAILTO_ERROR, EP_MAILTO_ERROR_ENCODING,
                       _("The mailto: link holds a NUL character (%%00) at character %u"),
                       (guint) (offset + i + 1));
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, (char) (high << 4 | low));
      i += 2;
    }
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      if (field != NULL)
        /* Translators: %s is a field of the link: to, cc, bcc, subject or body */
        g_set_error (error, EP_MAILTO_ERROR, EP_MAILTO_ERROR_ENCODING,
                     _("The mailto: link's “%s” is not valid UTF-8 text"), field);
      else
        g_set_error (error, EP_MAILTO_ERROR, EP_MAILTO_ERROR_ENCODING,
                     _("The mailto: link has a field name that is not valid UTF-8 text"));
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Adds each comma-separated, non-empty address of [start, start + len) to @list. */
static gboolean
add_addresses (GPtrArray   *list,
               const char  *start,
               gsize        len,
               gsize        offset,
               const char  *field,
               GError     **error)
{
  gsize begin = 0;

  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *address = NULL;

      if (i < len && start[i] != ',')
        continue;
      address = decode (start + begin, i - begin, offset + begin, field, error);
      if (address == NULL)
        return FALSE;
      g_strstrip (address);
      if (*address != '\0')
        g_ptr_array_add (list, g_steal_pointer (&address));
      begin = i + 1;
    }
  return TRUE;
}

/* CR LF and lone CR become LF: the editor and GMime want one line break. */
static char *
unify_line_breaks (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
flatten_line_breaks (char *text)
{
  for (char *p = text; *p != '\0'; p++)
    if (*p == '\r' || *p == '\n')
      *p = ' ';
}

/* One `name=value` field of the query; a later subject or body adds nothing. */
static gboolean
take_field (EpMailto    *self,
            const char  *start,
            gsize        len,
            gsize        offset,
            GError     **error)
{
  const char *equals = memchr (start, '=', len);
  gsize name_len = equals != NULL ? (gsize) (equals - start) : len;
  const char *value = equals != NULL ? equals + 1 : start + len;
  gsize value_len = len - name_len - (equals != NULL ? 1 : 0);
  gsize value_offset = offset + (value - start);
  g_autofree char *raw_name = decode (start, name_len, offset, NULL, error);
  g_autofree char *name = NULL;
  g_autofree char *decoded = NULL;
  char **text = NULL;

  if (raw_name == NULL)
    return FALSE;
  name = g_ascii_strdown (raw_name, -1);
  if (strcmp (name, "to") == 0)
    return add_addresses (self->to, value, value_len, value_offset, "to", error);
  if (strcmp (name, "cc") == 0)
    return add_addresses (self->cc, value, value_len, value_offset, "cc", error);
  if (strcmp (name, "bcc") == 0)
    return add_addresses (self->bcc, value, value_len, value_offset, "bcc", error);
  if (strcmp (name, "subject") == 0)
    text = &self->subject;
  else if (strcmp (name, "body") == 0)
    text = &self->body;

  /* Decoded even when ignored: a broken link is reported, whatever the field. */
  decoded = decode (value, value_len, value_offset, text != NULL ? name : NULL, error);
  if (decoded == NULL)
    return FALSE;
  if (text == NULL)
    {
      if (*name != '\0')
        g_ptr_array_add (self->ignored, g_steal_pointer (&name));
    }
  else if (text == &self->subject && self->subject == NULL)
    {
      flatten_line_breaks (decoded);
      self->subject = g_steal_pointer (&decoded);
    }
  else if (text == &self->body && self->body == NULL)
    self->body = unify_line_breaks (decoded);
  return TRUE;
}

/**
 * ep_mailto_parse:
 * @uri: a mailto: URI, as a browser or xdg-email passes it
 *
 * Returns: (transfer full) (nullable): the fields the link fills in, or
 *   NULL with @error set when it is not a mailto: link or is broken
 */
EpMailto *
ep_mailto_parse (const char  *uri,
                 GError     **error)
{
  g_autoptr(EpMailto) self = NULL;
  const char *path, *query, *end;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ep_mailto_is_mailto (uri))
    {
      g_set_error (error, EP_MAILTO_ERROR, EP_MAILTO_ERROR_NOT_MAILTO,
                   _("The link does not start with “mailto:”"));
      return NULL;
    }
  self = ep_mailto_new ();
  path = uri + strlen ("mailto:");
  end = path + strcspn (path, "#");   /* a fragment means nothing to mail */
  query = memchr (path, '?', end - path);
  if (!add_addresses (self->to, path, (query != NULL ? query : end) - path, path - uri, "to", error))
    return NULL;
  for (const char *field = query != NULL ? query + 1 : end; field < end;)
    {
      const char *amp = memchr (field, '&', end - field);
      const char *field_end = amp != NULL ? amp : end;

      if (field_end > field && !take_field (self, field, field_end - field, field - uri, error))
        return NULL;
      field = field_end + 1;
    }
  return g_steal_pointer (&self);
}

/* Returns: (array zero-terminated=1): the addresses for To, in the link's order */
const char * const *
ep_mailto_get_to (const EpMailto *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->to->pdata;
}

const char * const *
ep_mailto_get_cc (const EpMailto *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->cc->pdata;
}

const char * const *
ep_mailto_get_bcc (const EpMailto *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->bcc->pdata;
}

/* Returns: (nullable): the subject on one line, NULL when the link gives none */
const char *
ep_mailto_get_subject (const EpMailto *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->subject;
}

/* Returns: (nullable): the plain-text body with "\n" line breaks */
const char *
ep_mailto_get_body (const EpMailto *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body;
}

/* Returns: (array zero-terminated=1): the lower-cased names of the fields not taken */
const char * const *
ep_mailto_get_ignored (const EpMailto *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->ignored->pdata;
}

/* TRUE when the link tried to attach a file, which a link may never do. */
gboolean
ep_mailto_asks_to_attach (const EpMailto *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  for (guint i = 0; i < self->ignored->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (self->ignored, i), "attach"))
      return TRUE;
  return FALSE;
}
