/* test-imap-parser.c — the IMAP response parser: RFC 3501's examples and hostile input
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ep-imap-parser.h"
#include "ep-locale.h"

/* Feeds @input in pieces of @step bytes (0: all at once); the responses, or NULL and @error. */
static GPtrArray *
parse_in_steps (EpImapParser  *parser,
                const char    *input,
                gsize          len,
                gsize          step,
                GError       **error)
{
  g_autoptr(GPtrArray) responses = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_imap_response_free);
  gsize pos = 0;

  while (pos < len)
    {
      gsize piece = step == 0 ? len - pos : MIN (step, len - pos);
      gsize off = 0;

      while (off < piece)
        {
          EpImapResponse *response = NULL;
          gsize consumed = 0;

          if (!ep_imap_parser_feed (parser, input + pos + off, piece - off, &consumed, &response, error))
            return NULL;
          g_assert_cmpuint (consumed, >, 0);
          off += consumed;
          if (response != NULL)
            g_ptr_array_add (responses, response);
        }
      pos += piece;
    }
  return g_steal_pointer (&responses);
}

static GPtrArray *
parse_ok (const char *input,
          gsize       len)
{
  g_autoptr(EpImapParser) whole = ep_imap_parser_new ();
  g_autoptr(EpImapParser) bytewise = ep_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GPtrArray) again = NULL;

  responses = parse_in_steps (whole, input, len, 0, &error);
  g_assert_no_error (error);
  g_assert_true (ep_imap_parser_is_idle (whole));
  /* One byte at a time gives the same responses. */
  again = parse_in_steps (bytewise, input, len, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, responses->len);
  for (guint i = 0; i < responses->len; i++)
    {
      const EpImapResponse *a = g_ptr_array_index (responses, i);
      const EpImapResponse *b = g_ptr_array_index (again, i);

      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpint (a->status, ==, b->status);
      g_assert_cmpstr (a->text, ==, b->text);
      g_assert_cmpuint (ep_imap_value_get_n_items (a->data), ==, ep_imap_value_get_n_items (b->data));
    }
  return g_steal_pointer (&responses);
}

#define RESPONSE(r, i) ((const EpImapResponse *) g_ptr_array_index ((r), (i)))
#define ITEM(v, i) ep_imap_value_get_item ((v), (i))

static void
assert_string (const EpImapValue *value,
               const char        *expected)
{
  g_assert_nonnull (value);
  g_assert_true (value->type == EP_IMAP_VALUE_STRING || value->type == EP_IMAP_VALUE_ATOM);
  g_assert_cmpmem (value->data, value->len, expected, strlen (expected));
}

static void
test_status_responses (void)
{
  static const char input[] =
    "* OK IMAP4rev1 Service Ready\r\n"
    "* OK [UNSEEN 12] Message 12 is first unseen\r\n"
    "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
    "A142 OK [READ-WRITE] SELECT completed\r\n"
    "a002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
    "* BYE IMAP4rev1 Server logging out\r\n"
    "+ Ready for literal data\r\n"
    "+\r\n"
    "a3 OK done {5}\r\n"
    "* PREAUTH\r\n";
  g_autoptr(GPtrArray) r = parse_ok (input, strlen (input));
  const EpImapValue *flags;

  g_assert_cmpuint (r->len, ==, 10);
  g_assert_cmpint (RESPONSE (r, 0)->kind, ==, EP_IMAP_RESPONSE_UNTAGGED);
  g_assert_cmpint (RESPONSE (r, 0)->status, ==, EP_IMAP_STATUS_OK);
  g_assert_null (RESPONSE (r, 0)->code);
  g_assert_cmpstr (RESPONSE (r, 0)->text, ==, "IMAP4rev1 Service Ready");

  g_assert_cmpuint (ep_imap_value_get_n_items (RESPONSE (r, 1)->code), ==, 2);
  g_assert_true (ep_imap_value_is_atom (ITEM (RESPONSE (r, 1)->code, 0), "unseen"));
  assert_string (ITEM (RESPONSE (r, 1)->code, 1), "12");
  g_assert_cmpstr (RESPONSE (r, 1)->text, ==, "Message 12 is first unseen");

  flags = ITEM (RESPONSE (r, 2)->code, 1);
  g_assert_cmpuint (ep_imap_value_get_n_items (flags), ==, 3);
  assert_string (ITEM (flags, 0), "\\Deleted");
  assert_string (ITEM (flags, 2), "\\*");

  g_assert_cmpint (RESPONSE (r, 3)->kind, ==, EP_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (RESPONSE (r, 3)->tag, ==, "A142");
  g_assert_true (ep_imap_value_is_atom (ITEM (RESPONSE (r, 3)->code, 0), "READ-WRITE"));
  g_assert_cmpstr (RESPONSE (r, 3)->text, ==, "SELECT completed");

  g_assert_cmpint (RESPONSE (r, 4)->status, ==, EP_IMAP_STATUS_NO);
  g_assert_cmpint (RESPONSE (r, 5)->status, ==, EP_IMAP_STATUS_BYE);
  g_assert_cmpint (RESPONSE (r, 6)->kind, ==, EP_IMAP_RESPONSE_CONTINUATION);
  g_assert_cmpstr (RESPONSE (r, 6)->text, ==, "Ready for literal data");
  g_assert_cmpstr (RESPONSE (r, 7)->text, ==, "");
  /* A status text ending in “{5}” announces no literal. */
  g_assert_cmpstr (RESPONSE (r, 8)->text, ==, "done {5}");
  g_assert_cmpint (RESPONSE (r, 9)->status, ==, EP_IMAP_STATUS_PREAUTH);
}

static void
test_untagged_data (void)
{
  static const char input[] =
    "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n"
    "* 172 EXISTS\r\n"
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
    "* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n"
    "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent \\\"Items\\\" \\\\ x\"\r\n"
    "* SEARCH 2 84 882\r\n"
    "* SEARCH\r\n"
    "* LIST () NIL \"&XfJT0ZAB-\"\r\n"
    "* LIST () \"/\" [Gmail]/Sent\r\n";
  g_autoptr(GPtrArray) r = parse_ok (input, strlen (input));
  const EpImapValue *data;
  guint64 n = 0;

  g_assert_cmpuint (r->len, ==, 9);
  data = RESPONSE (r, 0)->data;
  g_assert_cmpint (RESPONSE (r, 0)->status, ==, EP_IMAP_STATUS_NONE);
  g_assert_cmpuint (ep_imap_value_get_n_items (data), ==, 5);
  g_assert_true (ep_imap_value_is_atom (ITEM (data, 0), "CAPABILITY"));
  assert_string (ITEM (data, 3), "AUTH=GSSAPI");

  data = RESPONSE (r, 1)->data;
  g_assert_true (ep_imap_value_get_number (ITEM (data, 0), G_MAXUINT32, &n));
  g_assert_cmpuint (n, ==, 172);
  g_assert_true (ep_imap_value_is_atom (ITEM (data, 1), "EXISTS"));
  g_assert_false (ep_imap_value_get_number (ITEM (data, 1), G_MAXUINT32, &n));

  g_assert_cmpuint (ep_imap_value_get_n_items (ITEM (RESPONSE (r, 2)->data, 1)), ==, 5);

  data = RESPONSE (r, 3)->data;
  assert_string (ITEM (ITEM (data, 1), 0), "\\Noselect");
  g_assert_true (ep_imap_value_is_string (ITEM (data, 2)));
  assert_string (ITEM (data, 3), "~/Mail/foo");

  data = RESPONSE (r, 4)->data;
  assert_string (ITEM (data, 3), "Sent \"Items\" \\ x");
  g_assert_false (ITEM (data, 3)->literal);

  g_assert_cmpuint (ep_imap_value_get_n_items (RESPONSE (r, 5)->data), ==, 4);
  g_assert_cmpuint (ep_imap_value_get_n_items (RESPONSE (r, 6)->data), ==, 1);

  data = RESPONSE (r, 7)->data;
  g_assert_cmpuint (ep_imap_value_get_n_items (ITEM (data, 1)), ==, 0);
  g_assert_cmpint (ITEM (data, 2)->type, ==, EP_IMAP_VALUE_NIL);
  g_assert_null (ep_imap_value_dup_nstring (ITEM (data, 2)));
  assert_string (ITEM (RESPONSE (r, 8)->data, 3), "[Gmail]/Sent");
}

/* RFC 3501 §8's FETCH, with its ENVELOPE, a BODY[HEADER.FIELDS …] name and literals. */
static void
test_fetch (void)
{
  static const char input[] =
    "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
    "RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
    "\"IMAP4rev1 WG mtg summary and minutes\" "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((NIL NIL \"imap\" \"cac.washington.edu\")) "
    "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\") "
    "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
    "\"<B27397-0100000@cac.washington.edu>\") "
    "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n"
    "* 3 FETCH (UID 9 BODY[HEADER.FIELDS (FROM SUBJECT)]<0> {22}\r\n"
    "Subject: hi\r\nFrom: a\r\n UID 9)\r\n"
    "* 4 FETCH (BODY[] {7}\r\na\r\n\0b\r\n)\r\n"
    "* 5 FETCH (BODY[] {0}\r\n X {2+}\r\n{}  Y {3}\r\n))))\r\n"
    "* 6 FETCH (UID 1 BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 2 0)"
    "(\"text\" \"html\" NIL NIL NIL \"7bit\" 2 0) \"alternative\"))\r\n";
  g_autoptr(GPtrArray) r = parse_ok (input, sizeof input - 1);
  const EpImapValue *data, *items, *envelope, *cc, *value;
  guint64 n = 0;

  g_assert_cmpuint (r->len, ==, 5);
  data = RESPONSE (r, 0)->data;
  g_assert_true (ep_imap_value_is_atom (ITEM (data, 1), "FETCH"));
  items = ITEM (data, 2);
  g_assert_cmpuint (ep_imap_value_get_n_items (items), ==, 10);
  g_assert_true (ep_imap_value_is_atom (ITEM (items, 4), "RFC822.SIZE"));
  g_assert_true (ep_imap_value_get_number (ITEM (items, 5), G_MAXUINT64, &n));
  g_assert_cmpuint (n, ==, 4286);
  envelope = ITEM (items, 7);
  g_assert_cmpuint (ep_imap_value_get_n_items (envelope), ==, 10);
  assert_string (ITEM (envelope, 1), "IMAP4rev1 WG mtg summary and minutes");
  cc = ITEM (envelope, 6);
  g_assert_cmpuint (ep_imap_value_get_n_items (cc), ==, 2);
  assert_string (ITEM (ITEM (cc, 1), 0), "John Klensin");
  g_assert_cmpint (ITEM (ITEM (cc, 0), 0)->type, ==, EP_IMAP_VALUE_NIL);
  g_assert_cmpint (ITEM (envelope, 7)->type, ==, EP_IMAP_VALUE_NIL);
  assert_string (ITEM (envelope, 9), "<B27397-0100000@cac.washington.edu>");
  g_assert_cmpuint (ep_imap_value_get_n_items (ITEM (items, 9)), ==, 8);

  items = ITEM (RESPONSE (r, 1)->data, 2);
  g_assert_true (ep_imap_value_is_atom (ITEM (items, 2), "BODY[HEADER.FIELDS (FROM SUBJECT)]<0>"));
  value = ITEM (items, 3);
  g_assert_true (value->literal);
  assert_string (value, "Subject: hi\r\nFrom: a\r\n");
  g_assert_true (ep_imap_value_is_atom (ITEM (items, 4), "UID"));

  /* A literal holds any byte, NUL and CR LF included, exactly. */
  value = ITEM (ITEM (RESPONSE (r, 2)->data, 2), 1);
  g_assert_cmpmem (value->data, value->len, "a\r\n\0b\r\n", 7);
  g_assert_cmpint (value->data[value->len], ==, '\0');
  g_assert_cmpuint (ep_imap_response_get_n_lines (RESPONSE (r, 2)), ==, 3);

  items = ITEM (RESPONSE (r, 3)->data, 2);
  g_assert_cmpuint (ep_imap_value_get_n_items (items), ==, 6);
  assert_string (ITEM (items, 1), "");
  g_assert_true (ITEM (items, 1)->literal);
  assert_string (ITEM (items, 3), "{}");
  g_assert_true (ep_imap_value_is_atom (ITEM (items, 4), "Y"));
  assert_string (ITEM (items, 5), ")))");

  /* A multipart BODYSTRUCTURE: parts with no space between them. */
  value = ITEM (ITEM (RESPONSE (r, 4)->data, 2), 3);
  g_assert_cmpuint (ep_imap_value_get_n_items (value), ==, 3);
  assert_string (ITEM (ITEM (value, 1), 1), "html");
  assert_string (ITEM (value, 2), "alternative");
}

typedef struct
{
  const char *input;
  gsize len;          /* 0: strlen */
  int code;
} Bad;

static const Bad bad[] = {
  { "* 1 FETCH (FLAGS (\\Seen)\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* 1 FETCH (FLAGS (\\Seen)))\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* LIST () \"/\" \"INBOX\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* 1 FETCH (BODY[HEADER (FROM) {3}\r\nabc)\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "a1 FETCH (UID 1)\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* OK [ALERT\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* OK []\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "*\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* \r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* 1 EXISTS\0\r\n", 13, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* 1 FETCH (X \"a\"b)\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* 1 FETCH ({3}x\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* 1 \x01\r\n", 0, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "* 1 FETCH (BODY[] {9223372036854775808}\r\nabc", 0, EP_IMAP_PARSER_ERROR_TOO_BIG },
  { "* 1 FETCH (BODY[] {18446744073709551615}\r\nabc", 0, EP_IMAP_PARSER_ERROR_TOO_BIG },
  { "* 1 FETCH (BODY[] {99999999999999999999999}\r\nabc", 0, EP_IMAP_PARSER_ERROR_TOO_BIG },
  { "* 1 FETCH (BODY[] {67108865}\r\nabc", 0, EP_IMAP_PARSER_ERROR_TOO_BIG },
};

static void
test_rejects (gconstpointer data)
{
  const Bad *row = data;
  g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) responses = NULL;

  responses = parse_in_steps (parser, row->input, row->len ? row->len : strlen (row->input), 0, &error);
  g_assert_null (responses);
  g_assert_error (error, EP_IMAP_PARSER_ERROR, row->code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* The parser starts afresh afterwards. */
  g_assert_true (ep_imap_parser_is_idle (parser));
}

/* A literal that stops short is held as far as it arrived, and asked for. */
static void
test_truncated_literal (void)
{
  static const char input[] = "* 1 FETCH (BODY[] {1000}\r\n0123456789";
  g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) responses = parse_in_steps (parser, input, strlen (input), 3, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (responses->len, ==, 0);
  g_assert_false (ep_imap_parser_is_idle (parser));
  g_assert_cmpuint (ep_imap_parser_get_wanted (parser), ==, 990);
}

/* Deep nesting stops at the limit, however deep the input goes. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) input = g_string_new ("* 1 FETCH ");
  g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) responses = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (input, '(');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (input, ')');
  g_string_append (input, "\r\n");
  responses = parse_in_steps (parser, input->str, input->len, 0, &error);
  g_assert_error (error, EP_IMAP_PARSER_ERROR, EP_IMAP_PARSER_ERROR_TOO_DEEP);

  /* 31 levels under the top are fine. */
  g_clear_error (&error);
  g_string_assign (input, "* 1 FETCH ");
  for (guint i = 0; i < EP_IMAP_PARSER_MAX_DEPTH - 1; i++)
    g_string_append_c (input, '(');
  g_string_append (input, "x");
  for (guint i = 0; i < EP_IMAP_PARSER_MAX_DEPTH - 1; i++)
    g_string_append_c (input, ')');
  g_string_append (input, "\r\n");
  responses = parse_in_steps (parser, input->str, input->len, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (responses->len, ==, 1);
}

/* A 100 MB line with no CR LF ends at the line limit, not at the 100th megabyte. */
static void
test_endless_line (void)
{
  g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
  g_autofree char *block = g_malloc (1024 * 1024);
  g_autoptr(GError) error = NULL;
  gsize total = 0;

  memset (block, 'a', 1024 * 1024);
  memcpy (block, "* 1 FETCH (X ", 13);
  while (total < 100 * 1024 * 1024)
    {
      EpImapResponse *response = NULL;
      gsize consumed = 0;

      if (!ep_imap_parser_feed (parser, block, 1024 * 1024, &consumed, &response, &error))
        break;
      g_assert_null (response);
      total += consumed;
    }
  g_assert_error (error, EP_IMAP_PARSER_ERROR, EP_IMAP_PARSER_ERROR_TOO_BIG);
  g_assert_cmpuint (total, <=, EP_IMAP_PARSER_MAX_LINE + 1);
}

/* Many literals that each fit still cannot make one response exceed the limit. */
static void
test_response_limit (void)
{
  g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
  g_autoptr(GString) input = g_string_new ("* 1 FETCH (");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) responses = NULL;

  ep_imap_parser_set_limits (parser, 4096, 1024, 1000);
  for (guint i = 0; i < 10; i++)
    {
      g_string_append (input, "X {500}\r\n");
      for (guint j = 0; j < 500; j++)
        g_string_append_c (input, 'z');
      g_string_append_c (input, ' ');
    }
  g_string_append (input, ")\r\n");
  responses = parse_in_steps (parser, input->str, input->len, 0, &error);
  g_assert_error (error, EP_IMAP_PARSER_ERROR, EP_IMAP_PARSER_ERROR_TOO_BIG);

  /* Too many values. */
  g_clear_error (&error);
  g_string_assign (input, "* SEARCH");
  for (guint i = 0; i < 1001; i++)
    g_string_append (input, " 1");
  g_string_append (input, "\r\n");
  responses = parse_in_steps (parser, input->str, input->len, 0, &error);
  g_assert_error (error, EP_IMAP_PARSER_ERROR, EP_IMAP_PARSER_ERROR_TOO_BIG);
}

/* Random bytes and mangled real responses: errors or responses, never a crash. */
static void
test_garbage (void)
{
  static const char real[] =
    "* 12 FETCH (FLAGS (\\Seen) BODY[] {5}\r\nhello UID 3)\r\n* OK [UIDNEXT 4] x\r\na1 OK y\r\n";
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(EpImapParser) parser = ep_imap_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) responses = NULL;
      char input[256];
      gsize len;

      if (round % 2 == 0)
        {
          len = g_rand_int_range (rand, 1, sizeof input);
          for (gsize i = 0; i < len; i++)
            input[i] = (char) g_rand_int_range (rand, 0, 256);
        }
      else
        {
          len = sizeof real - 1;
          memcpy (input, real, len);
          for (guint k = 0; k < 4; k++)
            input[g_rand_int_range (rand, 0, len)] = (char) g_rand_int_range (rand, 0, 256);
        }
      ep_imap_parser_set_limits (parser, 1024, 512, 64);
      responses = parse_in_steps (parser, input, len, g_rand_int_range (rand, 0, 8), &error);
      g_assert_true ((responses == NULL) == (error != NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/imap-parser/status", test_status_responses);
  g_test_add_func ("/imap-parser/untagged", test_untagged_data);
  g_test_add_func ("/imap-parser/fetch", test_fetch);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/imap-parser/reject/%u", i);
      g_test_add_data_func (path, &bad[i], test_rejects);
    }
  g_test_add_func ("/imap-parser/truncated-literal", test_truncated_literal);
  g_test_add_func ("/imap-parser/deep-nesting", test_deep_nesting);
  g_test_add_func ("/imap-parser/endless-line", test_endless_line);
  g_test_add_func ("/imap-parser/response-limit", test_response_limit);
  g_test_add_func ("/imap-parser/garbage", test_garbage);
  return g_test_run ();
}
