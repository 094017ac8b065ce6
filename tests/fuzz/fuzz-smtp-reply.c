/* fuzz-smtp-reply.c — libFuzzer target: the SMTP reply parser (ep-smtp-reply)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is what a server sends: lines ending in LF or CR LF. They are
 * fed one by one, as ep-smtp's reader does; each complete reply is read back
 * through every accessor and parsed as an EHLO answer, then a new reply
 * starts. A line with a NUL byte ends at it, like the C string a reader
 * returns. Every text that comes out must be UTF-8.
 */
#include <stdint.h>
#include <string.h>

#include "ep-smtp-reply.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_reply (const EpSmtpReply *reply)
{
  g_autofree char *text = ep_smtp_reply_to_string (reply);
  g_autoptr(GHashTable) extensions = ep_smtp_reply_parse_ehlo (reply);
  const char *enhanced = ep_smtp_reply_get_enhanced (reply);
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (ep_smtp_reply_get_code (reply), >=, 200);
  g_assert_cmpuint (ep_smtp_reply_get_code (reply), <=, 599);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (enhanced == NULL || g_utf8_validate (enhanced, -1, NULL));
  (void) ep_smtp_reply_is_positive (reply);
  (void) ep_smtp_reply_is_transient (reply);
  for (guint i = 0; i < ep_smtp_reply_get_n_lines (reply); i++)
    g_assert_true (g_utf8_validate (ep_smtp_reply_get_line (reply, i), -1, NULL));

  g_hash_table_iter_init (&iter, extensions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_true (g_utf8_validate (key, -1, NULL));
      g_assert_true (g_utf8_validate (value, -1, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(EpSmtpReply) reply = NULL;
  const char *p = (const char *) data;
  const char *end = p + size;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      g_autofree char *line = NULL;
      g_autoptr(GError) error = NULL;
      gboolean complete = FALSE;

      if (line_end > p && line_end[-1] == '\r')
        line_end--;
      line = g_strndup (p, line_end - p);
      p = newline != NULL ? newline + 1 : end;

      if (reply == NULL)
        reply = ep_smtp_reply_new ();
      if (!ep_smtp_reply_add_line (reply, line, &complete, &error))
        {
          /* A malformed line ends the session, as in ep-smtp. */
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          return 0;
        }
      g_assert_null (error);
      if (complete)
        {
          check_reply (reply);
          g_clear_pointer (&reply, ep_smtp_reply_free);
        }
    }
  return 0;
}
