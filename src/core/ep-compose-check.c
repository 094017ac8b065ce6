/* ep-compose-check.c — questions worth asking before a send
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "See the attached report" with nothing attached is the most common
 * mistake in mail. The words are matched case-insensitively, ignoring
 * quoted lines (starting with '>'), which are someone else's words.
 */
#include "ep-compose-check.h"

/* Casefolded; "attach" also covers "attached", "attachment", "attaching". */
static const char * const attachment_words[] = {
  "attach",
  "enclosed",
  "附件",
  "附上",
};

/**
 * ep_compose_mentions_attachment:
 * @body: (nullable): the message text, UTF-8
 *
 * Returns: %TRUE when the text (outside quoted lines) speaks of an attachment
 */
gboolean
ep_compose_mentions_attachment (const char *body)
{
  g_auto(GStrv) lines = NULL;

  if (body == NULL || !g_utf8_validate (body, -1, NULL))
    return FALSE;

  lines = g_strsplit (body, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autofree char *folded = NULL;

      while (*line == ' ' || *line == '\t')
        line++;
      if (*line == '>')
        continue;
      folded = g_utf8_casefold (line, -1);
      for (guint w = 0; w < G_N_ELEMENTS (attachment_words); w++)
        if (strstr (folded, attachment_words[w]) != NULL)
          return TRUE;
    }
  return FALSE;
}
