/* test-imap-structure.c — BODYSTRUCTURE as parts: sections, body choice, names, sizes
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case is a FETCH response as Dovecot writes it, read by the real
 * parser; a malformed structure is an error, never a crash.
 */
#include <string.h>

#include "ep-imap.h"
#include "ep-imap-parser.h"
#include "ep-imap-structure.h"
#include "ep-locale.h"

/* The part tree of “* 1 FETCH (BODYSTRUCTURE @structure)”, or NULL with @error. */
static EpImapPart *
parse (const char  *structure,
       GError     **error)
{
  g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
  g_autofree char *line = g_strdup_printf ("* 1 FETCH (BODYSTRUCTURE %s)\r\n", structure);
  g_autoptr(EpImapResponse) response = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize consumed = 0;

  ep_imap_parser_feed (parser, line, strlen (line), &consumed, &response, &parse_error);
  g_assert_no_error (parse_error);
  g_assert_nonnull (response);
  return ep_imap_part_parse (ep_imap_value_get_item (ep_imap_value_get_item (response->data, 2), 1), error);
}

#define PLAIN_QP "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 30 1 NIL NIL NIL NIL)"
#define HTML "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 40 1 NIL NIL NIL NIL)"
#define PNG "(\"image\" \"png\" (\"name\" \"logo.png\") \"<logo>\" NIL \"base64\" 1064 NIL (\"inline\" (\"filename\" \"logo.png\")) NIL NIL)"

static void
test_sections (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapPart) root = parse ("((" PLAIN_QP "(" HTML PNG " \"related\" (\"boundary\" \"R\") NIL NIL)"
                                      " \"alternative\" (\"boundary\" \"A\") NIL NIL)"
                                      "(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 13516 NIL"
                                      " (\"attachment\" (\"filename*0*\" \"utf-8''%E6%8A%A5%E5%91%8A\""
                                      " \"filename*1*\" \"%E4%B8%80.bin\")) NIL NIL)"
                                      " \"mixed\" (\"boundary\" \"M\") NIL NIL)", &error);
  g_autoptr(GPtrArray) attachments = NULL;
  const EpImapPart *body;
  const EpImapPart *alternative, *related;
  gboolean html = TRUE;

  g_assert_no_error (error);
  g_assert_cmpstr (root->section, ==, "");
  g_assert_cmpuint (root->children->len, ==, 2);
  alternative = g_ptr_array_index (root->children, 0);
  related = g_ptr_array_index (alternative->children, 1);
  g_assert_cmpstr (alternative->subtype, ==, "alternative");
  g_assert_cmpstr (related->section, ==, "1.2");
  g_assert_cmpstr (((EpImapPart *) g_ptr_array_index (related->children, 1))->section, ==, "1.2.2");

  body = ep_imap_part_find_body (root, &html);
  g_assert_nonnull (body);
  g_assert_false (html);
  g_assert_cmpstr (body->section, ==, "1.1");
  g_assert_cmpstr (body->encoding, ==, "quoted-printable");
  g_assert_cmpstr (ep_imap_part_get_param (body, "charset"), ==, "utf-8");

  attachments = ep_imap_part_dup_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 2);
  g_assert_cmpstr (ep_imap_part_get_filename (g_ptr_array_index (attachments, 0)), ==, "logo.png");
  g_assert_cmpstr (((EpImapPart *) g_ptr_array_index (attachments, 0))->section, ==, "1.2.2");
  g_assert_cmpstr (ep_imap_part_get_filename (g_ptr_array_index (attachments, 1)), ==, "报告一.bin");
  g_assert_cmpstr (((EpImapPart *) g_ptr_array_index (attachments, 1))->section, ==, "2");
  {
    g_autofree char *type = ep_imap_part_dup_mime_type (g_ptr_array_index (attachments, 1));
    g_assert_cmpstr (type, ==, "application/octet-stream");
  }
}

/* A single part is section 1; HTML alone is the body; an RFC 2047 name is decoded. */
static void
test_single (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapPart) root = parse (HTML, &error);
  g_autoptr(EpImapPart) named = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  gboolean html = FALSE;

  g_assert_no_error (error);
  g_assert_cmpstr (ep_imap_part_find_body (root, &html)->section, ==, "1");
  g_assert_true (html);

  named = parse ("(\"text\" \"csv\" (\"name\" \"=?UTF-8?B?5pWw5o2uLmNzdg==?=\") NIL NIL \"7bit\" 8 2 NIL"
                 " (\"attachment\" NIL) NIL NIL)", &error);
  g_assert_no_error (error);
  attachments = ep_imap_part_dup_attachments (named);
  g_assert_cmpuint (attachments->len, ==, 1);
  g_assert_cmpstr (ep_imap_part_get_filename (g_ptr_array_index (attachments, 0)), ==, "数据.csv");
  g_assert_null (ep_imap_part_find_body (named, &html));
}

/* Without BINARY: exact for 7bit, ×3/4 of the octets without line breaks for base64. */
static void
test_estimate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapPart) png = parse (PNG, &error);
  g_autoptr(EpImapPart) html = parse (HTML, &error);
  gint64 estimate;

  g_assert_no_error (error);
  /* 777 bytes are 1036 base64 characters in 14 lines of at most 76: 1064 octets. */
  estimate = ep_imap_part_estimate_size (png);
  g_assert_cmpint (estimate, >=, 777 - 8);
  g_assert_cmpint (estimate, <=, 777 + 8);
  g_assert_cmpint (ep_imap_part_estimate_size (html), ==, 40);
}

static void
test_malformed (void)
{
  static const char * const bad[] = {
    "NIL",
    "()",
    "(\"text\" \"plain\" NIL NIL NIL \"7bit\")",                     /* no size */
    "(\"text\" \"plain\" NIL NIL NIL \"7bit\" \"big\" 1)",           /* size not a number */
    "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 99999999999999999999 1)",
    "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1))",               /* multipart without subtype */
    "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) NIL)",
    "(((((((((((((((((((((((((((((((((((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"a\") \"a\") \"a\")"
    " \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\")"
    " \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\") \"a\")",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
      g_autofree char *line = g_strdup_printf ("* 1 FETCH (BODYSTRUCTURE %s)\r\n", bad[i]);
      g_autoptr(EpImapResponse) response = NULL;
      g_autoptr(EpImapPart) part = NULL;
      gsize consumed = 0;

      /* Too deep for the parser is its error; the rest are the structure's. */
      if (!ep_imap_parser_feed (parser, line, strlen (line), &consumed, &response, &error))
        {
          g_assert_error (error, EP_IMAP_PARSER_ERROR, EP_IMAP_PARSER_ERROR_TOO_DEEP);
          continue;
        }
      part = ep_imap_part_parse (ep_imap_value_get_item (ep_imap_value_get_item (response->data, 2), 1), &error);
      g_assert_null (part);
      g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_PROTOCOL);
    }
}

/* message/rfc822 (RFC 3501 7.4.2: ENVELOPE, BODYSTRUCTURE, lines, then MD5 and disposition): an
 * attachment named by its file name, else its subject; never entered for a body or attachments. */
static void
test_attached_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapPart) root = parse (
    "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 531"
    " (\"Sun, 29 Nov 2026 09:00:00 +0800\" \"=?UTF-8?B?5Lya6K6u6K6w5b2V?=\" NIL NIL NIL NIL NIL NIL NIL NIL)"
    " ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 40 1 NIL NIL NIL NIL)"
    "(\"application\" \"pdf\" (\"name\" \"inner.pdf\") NIL NIL \"base64\" 20 NIL"
    " (\"attachment\" (\"filename\" \"inner.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"inner\") NIL NIL NIL)"
    " 20 NIL NIL NIL NIL)"
    PLAIN_QP
    "(\"message\" \"rfc822\" (\"name\" \"note.eml\") NIL NIL \"7bit\" 52"
    " (NIL \"second\" NIL NIL NIL NIL NIL NIL NIL NIL)"
    " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0 NIL NIL NIL NIL) 3 NIL"
    " (\"attachment\" (\"filename\" \"note.eml\")) NIL NIL)"
    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 10 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"
    " (\"text\" \"plain\" NIL NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) 1 NIL NIL NIL NIL)"
    " \"mixed\" (\"boundary\" \"outer\") NIL NIL)", &error);
  g_autoptr(GPtrArray) attachments = NULL;
  const EpImapPart *body;
  gboolean html = TRUE;
  const char *names[] = { "会议记录.eml", "note.eml", NULL };
  const char *sections[] = { "1", "3", "4" };

  g_assert_no_error (error);
  body = ep_imap_part_find_body (root, &html);
  g_assert_nonnull (body);
  g_assert_cmpstr (body->section, ==, "2");
  attachments = ep_imap_part_dup_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 3);
  for (guint i = 0; i < attachments->len; i++)
    {
      const EpImapPart *part = g_ptr_array_index (attachments, i);
      g_autofree char *name = ep_imap_part_dup_attachment_name (part);
      g_autofree char *type = ep_imap_part_dup_mime_type (part);

      g_assert_cmpstr (name, ==, names[i]);   /* the last has no name and no subject */
      g_assert_cmpstr (type, ==, "message/rfc822");
      g_assert_cmpstr (part->section, ==, sections[i]);
      g_assert_true (ep_imap_part_is_message (part));
    }
  g_assert_cmpstr (((EpImapPart *) g_ptr_array_index (attachments, 1))->disposition, ==, "attachment");
  g_assert_cmpint (ep_imap_part_estimate_size (g_ptr_array_index (attachments, 0)), ==, 531);
}

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/imap-structure/sections", test_sections);
  g_test_add_func ("/imap-structure/single", test_single);
  g_test_add_func ("/imap-structure/estimate", test_estimate);
  g_test_add_func ("/imap-structure/malformed", test_malformed);
  g_test_add_func ("/imap-structure/attached-message", test_attached_message);
  return g_test_run ();
}
