/* ep-server-text.c — text from a server, whatever its encoding, as UTF-8 safe to show
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Server replies are ASCII by the RFCs but not in practice: QQ Mail answers
 * in GBK. Valid UTF-8 is kept; anything else is read as GB18030 (a superset
 * of GBK and GB2312); failing that, invalid bytes become U+FFFD.
 *
 * A hostile server may also put terminal controls in its text (ESC ] 0 ;
 * retitles a terminal, ESC [ 2 J clears it, backspaces hide what came
 * before). Before any server text is shown — on a terminal, in a transcript
 * file or in a window — C0 and C1 control characters other than tab become
 * visible escapes: “\x1b” for C0 and DEL, “\u009b” for C1. The escapes are
 * printable ASCII, so escaping twice changes nothing.
 */
#include "ep-server-text.h"

#include <string.h>

/**
 * ep_server_text_to_utf8:
 * @bytes: text as the server sent it
 * @len: its length, or -1 if NUL-terminated
 *
 * Returns: (transfer full): the text as valid UTF-8; control characters are
 *   kept (see ep_server_text_to_display ())
 */
char *
ep_server_text_to_utf8 (const char *bytes,
                        gssize      len)
{
  g_autofree char *converted = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (len < 0)
    len = strlen (bytes);
  if (g_utf8_validate_len (bytes, len, NULL))
    return g_strndup (bytes, len);

  converted = g_convert (bytes, len, "UTF-8", "GB18030", NULL, NULL, NULL);
  if (converted != NULL && g_utf8_validate (converted, -1, NULL))
    return g_steal_pointer (&converted);
  return g_utf8_make_valid (bytes, len);
}

/* The length of the control character at @p (1 for C0 or DEL, 2 for C1 in UTF-8), or 0. */
static gsize
control_length (const char *p)
{
  guchar c = (guchar) p[0];

  if ((c < 0x20 && c != '\t') || c == 0x7f)
    return 1;
  if (c == 0xc2 && (guchar) p[1] >= 0x80 && (guchar) p[1] <= 0x9f)
    return 2;
  return 0;
}

/**
 * ep_server_text_escape:
 * @text: UTF-8 text, as from ep_server_text_to_utf8 ()
 *
 * Replaces every C0 and C1 control character except tab with a visible
 * escape, so that a terminal or a label shows it instead of obeying it.
 *
 * Returns: (transfer full): the text, safe to show
 */
char *
ep_server_text_escape (const char *text)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  for (p = text; *p != '\0' && control_length (p) == 0; p++)
    ;
  if (*p == '\0')
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 16);
  g_string_append_len (out, text, p - text);
  while (*p != '\0')
    {
      gsize n = control_length (p);

      if (n == 1)
        g_string_append_printf (out, "\\x%02x", (guchar) p[0]);
      else if (n == 2)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) p[1]);
      else
        g_string_append_c (out, p[0]);
      p += MAX (n, 1);
    }
  return g_string_free (out, FALSE);
}

/**
 * ep_server_text_to_display:
 * @bytes: text as the server sent it
 * @len: its length, or -1 if NUL-terminated
 *
 * The one function that makes server text fit to show: UTF-8 whatever the
 * server's encoding, with control characters escaped. Use it for anything a
 * person will see — a terminal, a transcript, a window.
 *
 * Returns: (transfer full): the text, valid UTF-8 without control characters but tab
 */
char *
ep_server_text_to_display (const char *bytes,
                           gssize      len)
{
  g_autofree char *utf8 = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  utf8 = ep_server_text_to_utf8 (bytes, len);
  return ep_server_text_escape (utf8);
}
