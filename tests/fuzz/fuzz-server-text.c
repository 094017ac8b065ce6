/* fuzz-server-text.c — libFuzzer target: the server-text decoder (ep-server-text)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any bytes a server sends (UTF-8, GBK, garbage) must come out as valid
 * UTF-8, whether the length is given or the text is NUL-terminated.
 */
#include <stdint.h>

#include "ep-server-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *terminated = g_strndup ((const char *) data, size);
  g_autofree char *with_length = ep_server_text_to_utf8 ((const char *) data, size);
  g_autofree char *without_length = ep_server_text_to_utf8 (terminated, -1);

  g_assert_nonnull (with_length);
  g_assert_nonnull (without_length);
  g_assert_true (g_utf8_validate (with_length, -1, NULL));
  g_assert_true (g_utf8_validate (without_length, -1, NULL));
  return 0;
}
