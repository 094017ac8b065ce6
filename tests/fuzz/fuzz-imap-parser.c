/* fuzz-imap-parser.c — libFuzzer target: the IMAP response parser (ep-imap-parser)
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is what a server sends. Its first byte picks how it is cut into
 * pieces (1 to 64 bytes, as reads from a socket would be), and the rest is
 * fed piece by piece under small limits, so that the limits, not the
 * fuzzer's input size, are what is tested. Every value of every response
 * is walked; an error must say something in UTF-8 and leave the parser
 * idle. The same bytes fed in one piece must give the same number of
 * responses before any error.
 */
#include <stdint.h>
#include <string.h>

#include "ep-imap-parser.h"
#include "ep-imap-structure.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gsize
walk (const EpImapValue *value,
      guint              depth)
{
  gsize n = 1;

  g_assert_cmpuint (depth, <=, EP_IMAP_PARSER_MAX_DEPTH + 1);
  if (value == NULL)
    return 0;
  switch (value->type)
    {
    case EP_IMAP_VALUE_ATOM:
    case EP_IMAP_VALUE_STRING:
      g_assert_nonnull (value->data);
      g_assert_cmpint (value->data[value->len], ==, '\0');
      g_free (ep_imap_value_dup_nstring (value));
      break;
    case EP_IMAP_VALUE_NIL:
      break;
    case EP_IMAP_VALUE_LIST:
      for (guint i = 0; i < ep_imap_value_get_n_items (value); i++)
        n += walk (ep_imap_value_get_item (value, i), depth + 1);
      break;
    default:
      g_assert_not_reached ();
    }
  return n;
}

/* A BODYSTRUCTURE in a FETCH is read as parts (ep-imap-structure), as the inbox
 * export does; whatever it holds, an error or a tree, never a crash. */
static void
check_structure (const EpImapResponse *response)
{
  const EpImapValue *items = ep_imap_value_get_item (response->data, 2);

  if (!ep_imap_value_is_atom (ep_imap_value_get_item (response->data, 1), "FETCH"))
    return;
  for (guint i = 0; i + 1 < ep_imap_value_get_n_items (items); i += 2)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpImapPart) root = NULL;
      g_autoptr(GPtrArray) attachments = NULL;
      gboolean html = FALSE;

      if (!ep_imap_value_is_atom (ep_imap_value_get_item (items, i), "BODYSTRUCTURE"))
        continue;
      root = ep_imap_part_parse (ep_imap_value_get_item (items, i + 1), &error);
      if (root == NULL)
        {
          g_assert_nonnull (error);
          continue;
        }
      (void) ep_imap_part_find_body (root, &html);
      attachments = ep_imap_part_dup_attachments (root);
      for (guint j = 0; j < attachments->len; j++)
        {
          const EpImapPart *part = g_ptr_array_index (attachments, j);
          g_free (ep_imap_part_dup_mime_type (part));
          (void) ep_imap_part_get_filename (part);
          g_assert_cmpint (ep_imap_part_estimate_size (part), >=, 0);
        }
    }
}

static void
check (const EpImapResponse *response)
{
  gsize n = walk (response->data, 0) + walk (response->code, 0);

  if (response->kind == EP_IMAP_RESPONSE_UNTAGGED)
    check_structure (response);

  g_assert_cmpuint (n, <=, 2 * 512);
  g_assert_nonnull (response->text);
  if (response->kind == EP_IMAP_RESPONSE_TAGGED)
    g_assert_nonnull (response->tag);
  for (guint i = 0; i < ep_imap_response_get_n_lines (response); i++)
    (void) ep_imap_response_get_line (response, i, NULL);
}

/* The number of responses before the end or an error. */
static guint
run (const char *p,
     gsize       len,
     gsize       step)
{
  g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
  guint count = 0;
  gsize pos = 0;

  ep_imap_parser_set_limits (parser, 64 * 1024, 4096, 512);
  while (pos < len)
    {
      gsize piece = MIN (step, len - pos);
      EpImapResponse *response = NULL;
      g_autoptr(GError) error = NULL;
      gsize consumed = 0;

      if (!ep_imap_parser_feed (parser, p + pos, piece, &consumed, &response, &error))
        {
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_true (ep_imap_parser_is_idle (parser));
          return count;
        }
      g_assert_cmpuint (consumed, >, 0);
      g_assert_cmpuint (consumed, <=, piece);
      pos += consumed;
      if (response != NULL)
        {
          check (response);
          ep_imap_response_free (response);
          count++;
        }
    }
  return count;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize step;

  if (size < 1)
    return 0;
  step = (data[0] % 64) + 1;
  g_assert_cmpuint (run ((const char *) data + 1, size - 1, step), ==,
                    run ((const char *) data + 1, size - 1, size));
  return 0;
}
