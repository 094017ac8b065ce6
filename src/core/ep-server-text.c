/* ep-server-text.c — text from a server, whatever its encoding, as UTF-8
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Server replies are ASCII by the RFCs but not in practice: QQ Mail answers
 * in GBK. Valid UTF-8 is kept; anything else is read as GB18030 (a superset
 * of GBK and GB2312); failing that, invalid bytes become U+FFFD.
 */
#include "ep-server-text.h"

#include <string.h>

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
