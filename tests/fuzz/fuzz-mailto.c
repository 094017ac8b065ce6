/* fuzz-mailto.c — libFuzzer target: mailto: links (ep_mailto_parse)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a link a web page hands to the desktop, up to its first NUL
 * byte. A link either parses, with every field UTF-8, a subject on one line,
 * a body without CR and no attachment taken, or is refused with a UTF-8
 * error of the mailto domain.
 */
#include <stdint.h>
#include <string.h>

#include "ep-mailto.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_list (const char * const *list)
{
  g_assert_nonnull (list);
  for (guint i = 0; list[i] != NULL; i++)
    {
      g_assert_true (g_utf8_validate (list[i], -1, NULL));
      g_assert_cmpint (*list[i], !=, '\0');
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMailto) mailto = ep_mailto_parse (text, &error);
  const char *subject, *body;

  if (mailto == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == EP_MAILTO_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_null (error);
  check_list (ep_mailto_get_to (mailto));
  check_list (ep_mailto_get_cc (mailto));
  check_list (ep_mailto_get_bcc (mailto));
  check_list (ep_mailto_get_ignored (mailto));
  subject = ep_mailto_get_subject (mailto);
  body = ep_mailto_get_body (mailto);
  if (subject != NULL)
    {
      g_assert_true (g_utf8_validate (subject, -1, NULL));
      g_assert_null (strpbrk (subject, "\r\n"));
    }
  if (body != NULL)
    {
      g_assert_true (g_utf8_validate (body, -1, NULL));
      g_assert_null (strchr (body, '\r'));
    }
  return 0;
}
