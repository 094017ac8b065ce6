/* fuzz-address.c — libFuzzer target: recipient lists (ep_address_split, ep_address_list_parse)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is what a person (or a library caller) types into To/Cc/Bcc, up
 * to its first NUL byte. Every address a list keeps is read back through its
 * accessors. Every error message is UTF-8, whatever the input (non-UTF-8
 * input is refused at the edge with its own error).
 */
#include <stdint.h>

#include "ep-address.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_error (const GError *error,
             gboolean      utf8_input)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == EP_ADDRESS_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (!utf8_input)
    g_assert_cmpint (error->code, ==, EP_ADDRESS_ERROR_ENCODING);
}

static void
check_address (const EpAddress *address)
{
  g_autofree char *shown = ep_address_to_string (address);
  const char *ascii = ep_address_get_ascii (address);
  g_autoptr(EpAddress) copy = ep_address_copy (address);

  g_assert_nonnull (shown);
  g_assert_nonnull (ep_address_get_addr_spec (address));
  g_assert_nonnull (ep_address_get_domain (address));
  g_assert_true (ascii != NULL || ep_address_needs_smtputf8 (address));
  g_assert_true (ep_address_equal (address, copy));
  (void) ep_address_get_name (address);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  gboolean utf8_input = g_utf8_validate (text, -1, NULL);
  g_autoptr(GError) split_error = NULL;
  g_autoptr(GError) list_error = NULL;
  g_auto(GStrv) entries = ep_address_split (text, &split_error);
  g_autoptr(EpAddressList) list = ep_address_list_parse (text, &list_error);

  if (entries == NULL)
    check_error (split_error, utf8_input);
  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpAddress) address = ep_address_parse (entries[i], &error);

      if (address != NULL)
        check_address (address);
      else
        check_error (error, utf8_input);
    }

  if (list == NULL)
    {
      check_error (list_error, utf8_input);
      return 0;
    }
  for (guint i = 0; i < ep_address_list_get_length (list); i++)
    {
      const EpAddress *address = ep_address_list_get (list, i);

      check_address (address);
      g_assert_true (ep_address_list_contains (list, address));
    }
  return 0;
}
