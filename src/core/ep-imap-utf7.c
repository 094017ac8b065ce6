/* ep-imap-utf7.c — IMAP's modified UTF-7 mailbox names (RFC 3501 §5.1.3)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Printable ASCII stands for itself, “&” is written “&-”, and any other
 * run of characters is UTF-16BE in base64 with “,” for “/” and no padding,
 * between “&” and “-”: 已发送 ⇄ &XfJT0ZABkk4-.
 */
#include "ep-imap-utf7.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-imap-parser.h"

static const char alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static gboolean
is_direct (gunichar c)
{
  return c >= 0x20 && c <= 0x7e;
}

static void
encode_run (GString         *out,
            const gunichar2 *units,
            glong            n)
{
  guint32 bits = 0;
  guint n_bits = 0;

  g_string_append_c (out, '&');
  for (glong i = 0; i < n; i++)
    {
      guint8 bytes[2] = { units[i] >> 8, units[i] & 0xff };

      for (guint j = 0; j < 2; j++)
        {
          bits = (bits << 8) | bytes[j];
          n_bits += 8;
          while (n_bits >= 6)
            {
              n_bits -= 6;
              g_string_append_c (out, alphabet[(bits >> n_bits) & 0x3f]);
            }
        }
    }
  if (n_bits > 0)
    g_string_append_c (out, alphabet[(bits << (6 - n_bits)) & 0x3f]);
  g_string_append_c (out, '-');
}

/**
 * ep_imap_utf7_encode:
 * @utf8: a mailbox name in UTF-8
 *
 * Returns: (transfer full): the name as IMAP writes it, or %NULL if @utf8 is not UTF-8
 */
char *
ep_imap_utf7_encode (const char *utf8)
{
  g_autoptr(GString) out = NULL;
  const char *p = utf8;

  g_return_val_if_fail (utf8 != NULL, NULL);

  if (!g_utf8_validate (utf8, -1, NULL))
    return NULL;
  out = g_string_new (NULL);
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *start = p;
      g_autofree gunichar2 *units = NULL;
      glong n = 0;

      if (c == '&')
        {
          g_string_append (out, "&-");
          p++;
          continue;
        }
      if (is_direct (c))
        {
          g_string_append_c (out, (char) c);
          p++;
          continue;
        }
      while (*p != '\0' && !is_direct (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      units = g_utf8_to_utf16 (start, p - start, NULL, &n, NULL);
      if (units == NULL)
        return NULL;
      encode_run (out, units, n);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
alphabet_index (char c)
{
  const char *found = c != '\0' ? strchr (alphabet, c) : NULL;
  return found != NULL ? (int) (found - alphabet) : -1;
}

static char *
invalid (const char  *mutf7,
         GError     **error)
{
  g_autofree char *shown = g_strescape (mutf7, NULL);

  g_set_error (error, EP_IMAP_PARSER_ERROR, EP_IMAP_PARSER_ERROR_SYNTAX,
               _("The server sent the mailbox name “%s”, which is not modified UTF-7"), shown);
  return NULL;
}

/* Decodes one “&…-” run starting after the “&”; moves @p past the “-”. */
static gboolean
decode_run (GString     *out,
            const char **p)
{
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (gunichar2));
  g_autofree char *utf8 = NULL;
  guint32 bits = 0;
  guint n_bits = 0;
  guint8 high = 0;
  gboolean have_high = FALSE;
  int v;

  while ((v = alphabet_index (**p)) >= 0)
    {
      bits = (bits << 6) | (guint32) v;
      n_bits += 6;
      (*p)++;
      if (n_bits < 8)
        continue;
      n_bits -= 8;
      if (!have_high)
        {
          high = (bits >> n_bits) & 0xff;
          have_high = TRUE;
        }
      else
        {
          gunichar2 unit = (gunichar2) ((high << 8) | ((bits >> n_bits) & 0xff));
          g_array_append_val (units, unit);
          have_high = FALSE;
        }
    }
  /* The run ends in “-”, with whole UTF-16 units and only zero bits left over. */
  if (**p != '-' || have_high || n_bits >= 6 || (bits & ((1u << n_bits) - 1)) != 0 || units->len == 0)
    return FALSE;
  (*p)++;
  utf8 = g_utf16_to_utf8 ((const gunichar2 *) units->data, units->len, NULL, NULL, NULL);
  if (utf8 == NULL)
    return FALSE;
  g_string_append (out, utf8);
  return TRUE;
}

/**
 * ep_imap_utf7_decode:
 * @mutf7: a mailbox name as the server sent it
 *
 * Returns: (transfer full): the name in UTF-8, or %NULL with @error set
 */
char *
ep_imap_utf7_decode (const char  *mutf7,
                     GError     **error)
{
  g_autoptr(GString) out = NULL;
  const char *p = mutf7;

  g_return_val_if_fail (mutf7 != NULL, NULL);

  out = g_string_new (NULL);
  while (*p != '\0')
    {
      if (!is_direct ((guchar) *p))
        return invalid (mutf7, error);
      if (*p != '&')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      if (*p == '-')
        {
          g_string_append_c (out, '&');
          p++;
          continue;
        }
      if (!decode_run (out, &p))
        return invalid (mutf7, error);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
