/* test-cli-inbox.c — `epistle inbox` against the real Postfix and Dovecot
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Messages go in with `epistle send` (a Chinese subject with an attachment,
 * an HTML message) and with APPEND (an HTML-only message, which `epistle
 * send` never writes: it always adds a plain alternative). `epistle inbox
 * --json -` must give them back newest first; its output is parsed with
 * json-glib and compared field by field, never as text.
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ep-cli-exit.h"
#include "ep-imap-export.h"
#include "ep-imap.h"
#include "ep-locale.h"
#include "ep-test-utils.h"

typedef struct
{
  EpTestStack *stack;
  char *dir;
} World;

#define PASSWORD(w) ep_test_stack_get ((w)->stack, "PASSWORD")
#define CA(w) ep_test_stack_get ((w)->stack, "CA_FILE")

static char *
server (World      *w,
        const char *key)
{
  return g_strdup_printf ("127.0.0.1:%s", ep_test_stack_get (w->stack, key));
}

/* Sends with `epistle send`; the Message-ID it printed, without <>. */
static char *
send_one (World       *w,
          const char  *to,
          const char **extra)
{
  g_autofree char *srv = server (w, "SMTP_STARTTLS_PORT");
  const char *base[] = { "send", "--server", srv, "--user", "user7@example.test", "--from",
                         "user7@example.test", "--from-name", "发件人 Seven", "--to", to,
                         "--ca-file", CA (w), NULL };
  g_autofree char *out = NULL;
  const char *id;

  g_assert_cmpint (ep_test_run_cli (base, extra, PASSWORD (w), &out, NULL), ==, EP_EXIT_OK);
  id = strstr (out, "message-id: <");
  g_assert_nonnull (id);
  id += strlen ("message-id: <");
  return g_strndup (id, strcspn (id, ">"));
}

static void
append_html_only (World      *w,
                  const char *user,
                  const char *message_id)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *text = g_strdup_printf (
    "From: Web Shop <shop@example.test>\r\n"
    "To: %s\r\n"
    "Cc: \"=?UTF-8?B?5a6i5pyN?=\" <help@example.test>\r\n"
    "Subject: =?UTF-8?B?6K6i5Y2V?= HTML only\r\n"
    "Message-ID: <%s>\r\n"
    "Date: Mon, 30 Nov 2026 09:30:00 +0800\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<html><head><title>t</title><style>p{color:red}</style></head>"
    "<body><p>Hello <b>world</b>,</p><p>你好 &amp; goodbye</p><script>alert(1)</script>"
    "<ul><li>one</li><li>two</li></ul><img src=\"http://example.invalid/x.png\"></body></html>\r\n",
    user, message_id);
  guint16 port = (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);

  ep_imap_client_connect (client, "127.0.0.1", port, EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, user, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);
  stream = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
  ep_imap_client_append_stream (client, "INBOX", NULL, stream, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_logout (client);
}

static int
run_inbox (World       *w,
           const char  *user,
           const char  *password,
           const char **extra,
           char       **out,
           char       **err)
{
  g_autofree char *srv = server (w, "IMAPS_PORT");
  const char *base[] = { "inbox", "--server", srv, "--user", user, NULL };

  return ep_test_run_cli (base, extra, password, out, err);
}

static JsonObject *
entry (JsonArray *array,
       guint      index)
{
  return json_array_get_object_element (array, index);
}

static const char *
address_of (JsonObject *object,
            const char *member,
            guint       index,
            const char *field)
{
  JsonArray *list = json_object_get_array_member (object, member);

  return json_object_get_string_member (json_array_get_object_element (list, index), field);
}

static void
test_json (gconstpointer data)
{
  World *w = (World *) data;
  const char *user = "user8@example.test";
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject_a = g_strdup_printf ("季度报告 %s", token);
  g_autofree char *subject_b = g_strdup_printf ("HTML %s", token);
  g_autofree char *html_only_id = g_strdup_printf ("%s-html@example.test", token);
  g_autofree char *attachment = NULL;
  g_autofree char *html_file = ep_test_write_file (w->dir, "body.html",
                                                   "<p>Dear <i>team</i></p><p>see below</p>", 39);
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;
  g_autofree char *out = NULL;
  g_autofree char *fetched = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = NULL;
  JsonArray *array, *flags, *attachments;
  JsonObject *a, *b, *c, *file;
  guchar csv[300];
  gsize len = 0;

  for (guint i = 0; i < sizeof csv; i++)
    csv[i] = (guchar) (i * 7);
  attachment = ep_test_write_file (w->dir, "数据.csv", csv, sizeof csv);
  {
    const char *extra[] = { "--subject", subject_a, "--body", "第一行\n第二行\n", "--attach", attachment,
                            "--cc", "user9@example.test", NULL };
    id_a = send_one (w, user, extra);
  }
  fetched = ep_test_stack_fetch (w->stack, user, "Subject", token, &len);
  g_assert_nonnull (fetched);
  {
    const char *extra[] = { "--subject", subject_b, "--html-file", html_file, NULL };
    id_b = send_one (w, user, extra);
  }
  g_free (fetched);
  fetched = ep_test_stack_fetch (w->stack, user, "Message-ID", id_b, &len);
  g_assert_nonnull (fetched);
  append_html_only (w, user, html_only_id);

  {
    const char *extra[] = { "--ca-file", CA (w), "--json", "-", "--limit", "3", NULL };
    g_assert_cmpint (run_inbox (w, user, PASSWORD (w), extra, &out, NULL), ==, EP_EXIT_OK);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  /* Newest first: the appended HTML-only message, then B, then A. */
  c = entry (array, 0);
  b = entry (array, 1);
  a = entry (array, 2);
  g_assert_cmpstr (json_object_get_string_member (a, "message_id"), ==, id_a);
  g_assert_cmpstr (json_object_get_string_member (b, "message_id"), ==, id_b);
  g_assert_cmpstr (json_object_get_string_member (c, "message_id"), ==, html_only_id);
  g_assert_cmpint (json_object_get_int_member (a, "uid"), <, json_object_get_int_member (b, "uid"));

  g_assert_cmpstr (json_object_get_string_member (a, "subject"), ==, subject_a);
  g_assert_cmpstr (address_of (a, "from", 0, "address"), ==, "user7@example.test");
  g_assert_cmpstr (address_of (a, "from", 0, "name"), ==, "发件人 Seven");
  g_assert_cmpstr (address_of (a, "to", 0, "address"), ==, user);
  g_assert_cmpstr (address_of (a, "cc", 0, "address"), ==, "user9@example.test");
  g_assert_cmpstr (json_object_get_string_member (a, "body"), ==, "第一行\n第二行\n");
  g_assert_cmpint (json_object_get_int_member (a, "size"), >, sizeof csv);
  date = g_date_time_new_from_iso8601 (json_object_get_string_member (a, "date"), NULL);
  g_assert_nonnull (date);
  flags = json_object_get_array_member (a, "flags");
  for (guint i = 0; i < json_array_get_length (flags); i++)
    g_assert_cmpstr (json_array_get_string_element (flags, i), !=, "\\Seen");
  attachments = json_object_get_array_member (a, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  file = json_array_get_object_element (attachments, 0);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, "数据.csv");
  g_assert_cmpstr (json_object_get_string_member (file, "content_type"), ==, "text/csv");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, sizeof csv);

  /* `epistle send` adds a plain alternative to HTML: that is the body. */
  g_assert_cmpstr (json_object_get_string_member (b, "subject"), ==, subject_b);
  g_assert_nonnull (strstr (json_object_get_string_member (b, "body"), "Dear team"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (b, "attachments")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (b, "cc")), ==, 0);

  /* HTML only: converted to text, no markup, no script, nothing fetched. */
  g_assert_cmpstr (json_object_get_string_member (c, "subject"), ==, "订单 HTML only");
  g_assert_cmpstr (json_object_get_string_member (c, "body"), ==,
                   "Hello world,\n\n你好 & goodbye\n\n• one\n• two");
  g_assert_cmpstr (address_of (c, "cc", 0, "name"), ==, "客服");
  g_assert_cmpstr (json_object_get_string_member (c, "date"), ==, "2026-11-30T09:30:00+08");

  /* The readable list: newest first, decoded, with the attachment marker on A only. */
  {
    const char *extra[] = { "--ca-file", CA (w), "--limit", "3", NULL };
    g_autofree char *list = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (run_inbox (w, user, PASSWORD (w), extra, &list, NULL), ==, EP_EXIT_OK);
    lines = g_strsplit (list, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_nonnull (strstr (lines[0], "订单 HTML only"));
    g_assert_nonnull (strstr (lines[1], subject_b));
    g_assert_null (strstr (lines[1], "[attachment]"));
    g_assert_nonnull (strstr (lines[2], subject_a));
    g_assert_nonnull (strstr (lines[2], "发件人 Seven <user7@example.test>"));
    g_assert_nonnull (strstr (lines[2], "[attachment]"));
  }

  /* --json FILE writes the same. */
  {
    g_autofree char *path = g_build_filename (w->dir, "inbox.json", NULL);
    const char *extra[] = { "--ca-file", CA (w), "--json", path, "--limit", "1", NULL };
    g_autoptr(JsonParser) again = json_parser_new ();

    g_assert_cmpint (run_inbox (w, user, PASSWORD (w), extra, NULL, NULL), ==, EP_EXIT_OK);
    json_parser_load_from_file (again, path, &error);
    g_assert_no_error (error);
    array = json_node_get_array (json_parser_get_root (again));
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (entry (array, 0), "message_id"), ==, html_only_id);
  }
}

/* Base64 in lines of 76, as mailers write it. */
static void
append_base64 (GString      *out,
               const guchar *data,
               gsize         len)
{
  g_autofree char *text = g_base64_encode (data, len);

  for (gsize i = 0, n = strlen (text); i < n; i += 76)
    {
      g_string_append_len (out, text + i, MIN (76, n - i));
      g_string_append (out, "\r\n");
    }
}

/* Quoted-printable of any bytes: every byte that is not printable ASCII as =XX, soft
 * breaks before 76 columns, CR LF kept as line ends. */
static void
append_qp (GString    *out,
           const char *data,
           gsize       len)
{
  gsize column = 0;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) data[i];

      if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
        {
          g_string_append (out, "\r\n");
          i++;
          column = 0;
          continue;
        }
      if (column > 70)
        {
          g_string_append (out, "=\r\n");
          column = 0;
        }
      if (c >= 33 && c <= 126 && c != '=')
        {
          g_string_append_c (out, (char) c);
          column++;
        }
      else
        {
          g_string_append_printf (out, "=%02X", c);
          column += 3;
        }
    }
}

static GBytes *
random_bytes (gsize len)
{
  guchar *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guchar) g_random_int_range (0, 256);
  return g_bytes_new_take (data, len);
}

static void
append_raw (World      *w,
            const char *user,
            GString    *text)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint16 port = (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);

  ep_imap_client_connect (client, "127.0.0.1", port, EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, user, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);
  stream = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  ep_imap_client_append_stream (client, "INBOX", NULL, stream, text->len, NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_logout (client);
}

#define HEAD(id, subject, type) \
  "From: =?UTF-8?B?5byg5LiJ?= <zhang@example.test>\r\nTo: user3@example.test\r\n" \
  "Subject: " subject "\r\nMessage-ID: <" id "@example.test>\r\n" \
  "Date: Mon, 30 Nov 2026 08:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: " type "\r\n"

/* Every entry of `epistle inbox --json` equals what the whole message gives (BODY[] parsed
 * with GMime, as before the export fetched only the parts it needs). */
static void
assert_same_as_whole (World     *w,
                      const char *user,
                      JsonArray *array)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;
  guint16 port = (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);

  ep_imap_client_connect (client, "127.0.0.1", port, EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, user, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_select (client, "INBOX", TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *got = json_array_get_element (array, i);
      g_autofree char *set = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              json_object_get_int_member (json_node_get_object (got), "uid"));
      g_autoptr(GPtrArray) whole = ep_imap_client_uid_fetch (client, set, EP_IMAP_FETCH_BODY | EP_IMAP_FETCH_FLAGS |
                                                             EP_IMAP_FETCH_SIZE | EP_IMAP_FETCH_INTERNALDATE,
                                                             NULL, NULL, &error);
      g_autoptr(JsonNode) expected = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (whole->len, ==, 1);
      expected = ep_imap_export_message (g_ptr_array_index (whole, 0));
      if (!json_node_equal (got, expected))
        {
          g_autofree char *a = json_to_string (got, TRUE);
          g_autofree char *b = json_to_string (expected, TRUE);

          g_printerr ("# from the parts:\n%s\n# from the whole message:\n%s\n", a, b);
          g_assert_not_reached ();
        }
    }
  ep_imap_client_logout (client);
}

/* The export fetches BODYSTRUCTURE and only the body part: HTML only, alternatives with
 * related images, quoted-printable GB18030, RFC 2231 and 2047 names, exact sizes. */
static void
test_json_parts (gconstpointer data)
{
  World *w = (World *) data;
  const char *user = "user3@example.test";
  g_autoptr(GBytes) png = random_bytes (777);
  g_autoptr(GBytes) blob = random_bytes (10007);
  g_autoptr(GBytes) file_bytes = random_bytes (12345);
  g_autofree char *file = ep_test_write_file (w->dir, "年度报告.pdf", g_bytes_get_data (file_bytes, NULL),
                                               g_bytes_get_size (file_bytes));
  g_autofree char *gb = NULL;
  g_autofree char *out = NULL;
  g_autofree char *transcript = g_build_filename (w->dir, "inbox-parts.log", NULL);
  g_autofree char *log = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *html_body = "<html><body><p>只有 <b>HTML</b></p><p>second</p></body></html>";
  const char *gb_text = "第一行 GB18030 €5\r\n第二行=end, 很长的一行很长的一行很长的一行很长的一行很长的一行\r\n";
  JsonArray *array, *files;
  JsonObject *e;
  gsize gb_len = 0;

  /* 1. HTML only, base64. */
  {
    g_autoptr(GString) m = g_string_new (HEAD ("parts-html", "html only", "text/html; charset=utf-8")
                                         "Content-Transfer-Encoding: base64\r\n\r\n");
    append_base64 (m, (const guchar *) html_body, strlen (html_body));
    append_raw (w, user, m);
  }
  /* 2. alternative ⊃ (plain QP, related ⊃ (html, inline image)). */
  {
    g_autoptr(GString) m = g_string_new (HEAD ("parts-alt", "=?UTF-8?B?5pu/5Luj?=",
                                               "multipart/alternative; boundary=\"A\"")
                                         "\r\n--A\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                         "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    append_qp (m, "纯文本 plain = text\r\n", strlen ("纯文本 plain = text\r\n"));
    g_string_append (m, "\r\n--A\r\nContent-Type: multipart/related; boundary=\"R\"\r\n\r\n"
                        "--R\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                        "<p>HTML <img src=\"cid:logo\"></p>\r\n"
                        "--R\r\nContent-Type: image/png; name=\"logo.png\"\r\nContent-ID: <logo>\r\n"
                        "Content-Disposition: inline; filename=\"logo.png\"\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n");
    append_base64 (m, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
    g_string_append (m, "--R--\r\n\r\n--A--\r\n");
    append_raw (w, user, m);
  }
  /* 3. GB18030, quoted-printable. */
  {
    g_autoptr(GString) m = g_string_new (HEAD ("parts-gb", "=?GB18030?B?1tDOxA==?=",
                                               "text/plain; charset=GB18030")
                                         "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    gb = g_convert (gb_text, -1, "GB18030", "UTF-8", NULL, &gb_len, &error);
    g_assert_no_error (error);
    append_qp (m, gb, gb_len);
    append_raw (w, user, m);
  }
  /* 4. mixed: Latin-1 plain, an RFC 2231 continued name, an RFC 2047 name, a message/rfc822. */
  {
    g_autoptr(GString) m = g_string_new (HEAD ("parts-mixed", "mixed", "multipart/mixed; boundary=\"M\"")
                                         "\r\n--M\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
                                         "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                                         "caf=E9 attached\r\n"
                                         "--M\r\nContent-Type: application/octet-stream\r\n"
                                         "Content-Disposition: attachment;\r\n"
                                         " filename*0*=utf-8''%E6%8A%A5%E5%91%8A;\r\n filename*1*=%E4%B8%80.bin\r\n"
                                         "Content-Transfer-Encoding: base64\r\n\r\n");
    append_base64 (m, g_bytes_get_data (blob, NULL), g_bytes_get_size (blob));
    g_string_append (m, "--M\r\nContent-Type: text/csv; name=\"=?UTF-8?B?5pWw5o2uLmNzdg==?=\"\r\n"
                        "Content-Disposition: attachment\r\n\r\na,b\r\n1,2\r\n"
                        "--M\r\nContent-Type: message/rfc822\r\n\r\n"
                        "From: x@example.test\r\nSubject: inner\r\n\r\ninner body\r\n"
                        "--M--\r\n");
    append_raw (w, user, m);
  }
  /* 5. An attachment through `epistle send`, its size compared with the file's. */
  {
    const char *extra[] = { "--subject", "sent with a file", "--body", "文件见附件", "--attach", file, NULL };
    g_autofree char *id = send_one (w, user, extra);
    gsize len = 0;
    g_autofree char *fetched = ep_test_stack_fetch (w->stack, user, "Message-ID", id, &len);

    g_assert_nonnull (fetched);
  }

  {
    g_autofree char *transcript_arg = g_strdup (transcript);
    const char *extra[] = { "--ca-file", CA (w), "--json", "-", "--limit", "5", "--transcript", transcript_arg, NULL };
    g_assert_cmpint (run_inbox (w, user, PASSWORD (w), extra, &out, NULL), ==, EP_EXIT_OK);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 5);

  /* Newest first: 5, 4, 3, 2, 1. */
  e = entry (array, 4);
  g_assert_cmpstr (json_object_get_string_member (e, "message_id"), ==, "parts-html@example.test");
  g_assert_cmpstr (json_object_get_string_member (e, "body"), ==, "只有 HTML\n\nsecond");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (e, "attachments")), ==, 0);
  g_assert_cmpstr (address_of (e, "from", 0, "name"), ==, "张三");

  e = entry (array, 3);
  g_assert_cmpstr (json_object_get_string_member (e, "subject"), ==, "替代");
  g_assert_cmpstr (json_object_get_string_member (e, "body"), ==, "纯文本 plain = text\n");
  files = json_object_get_array_member (e, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0), "name"), ==, "logo.png");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0), "content_type"), ==,
                   "image/png");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 0), "size"), ==,
                   g_bytes_get_size (png));

  e = entry (array, 2);
  g_assert_cmpstr (json_object_get_string_member (e, "subject"), ==, "中文");
  {
    g_autofree char *expected = g_strdup (gb_text);
    char *w_ = expected;

    for (const char *r = gb_text; *r != '\0'; r++)
      if (*r != '\r')
        *w_++ = *r;
    *w_ = '\0';
    g_assert_cmpstr (json_object_get_string_member (e, "body"), ==, expected);
  }

  e = entry (array, 1);
  g_assert_cmpstr (json_object_get_string_member (e, "body"), ==, "café attached");
  files = json_object_get_array_member (e, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 3);
  /* The attached message, named by its subject, its size the bytes between its boundaries. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 2), "name"), ==,
                   "inner.eml");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 2), "content_type"), ==,
                   "message/rfc822");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 2), "size"), ==,
                   strlen ("From: x@example.test\r\nSubject: inner\r\n\r\ninner body"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0), "name"), ==, "报告一.bin");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 0), "size"), ==,
                   g_bytes_get_size (blob));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 1), "name"), ==, "数据.csv");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 1), "content_type"), ==,
                   "text/csv");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 1), "size"), ==, 8);

  e = entry (array, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "body"), ==, "文件见附件");
  files = json_object_get_array_member (e, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0), "name"), ==, "年度报告.pdf");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 0), "size"), ==,
                   g_bytes_get_size (file_bytes));

  /* Only structures and body parts crossed the wire, never a whole message. */
  g_file_get_contents (transcript, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "BODYSTRUCTURE"));
  g_assert_nonnull (strstr (log, "BODY.PEEK[2]<"));   /* the last bytes of a base64 attachment */
  g_assert_nonnull (strstr (log, "(UID BODY.PEEK[1])"));
  g_assert_null (strstr (log, "BODY.PEEK[]"));

  assert_same_as_whole (w, user, array);
}

/* A message with two forwarded messages attached (message/rfc822), one of them multipart with a
 * text and an attachment of its own: both are listed as attachments, named by file name or
 * subject, with their exact sizes; the outer text is the body; nothing inside them is listed. */
static void
test_json_forwarded (gconstpointer data)
{
  World *w = (World *) data;
  const char *user = "bob@example.test";
  g_autoptr(GBytes) inner = NULL;
  g_autoptr(GBytes) note = NULL;
  g_autoptr(GString) message = ep_test_forwarded_message (user, &inner, &note);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonArray *array, *files;
  JsonObject *e, *file;

  append_raw (w, user, message);
  {
    const char *extra[] = { "--ca-file", CA (w), "--json", "-", NULL };

    g_assert_cmpint (run_inbox (w, user, PASSWORD (w), extra, &out, NULL), ==, EP_EXIT_OK);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  e = entry (array, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "subject"), ==, "Fwd: 会议记录");
  g_assert_cmpstr (json_object_get_string_member (e, "body"), ==, "The outer text: see the forwarded messages.");
  files = json_object_get_array_member (e, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);   /* not inner.pdf, which is inside the first */

  file = json_array_get_object_element (files, 0);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, "会议记录.eml");
  g_assert_cmpstr (json_object_get_string_member (file, "content_type"), ==, "message/rfc822");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, g_bytes_get_size (inner));
  file = json_array_get_object_element (files, 1);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, "note.eml");
  g_assert_cmpstr (json_object_get_string_member (file, "content_type"), ==, "message/rfc822");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, g_bytes_get_size (note));

  /* The whole message parsed with GMime (the window's export) says the same. */
  assert_same_as_whole (w, user, array);
}

/* Base64 of @data in lines of @line characters (0: one line), as other encoders write it. */
static void
append_base64_lines (GString      *out,
                     const guchar *data,
                     gsize         len,
                     gsize         line)
{
  g_autofree char *text = g_base64_encode (data, len);
  gsize n = strlen (text);

  if (line == 0)
    line = n;
  for (gsize i = 0; i < n; i += line)
    {
      g_string_append_len (out, text + i, MIN (line, n - i));
      if (i + line < n)
        g_string_append (out, "\r\n");
    }
}

#define ATTACH(name) \
  "--S\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"" name \
  "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"

/* Attachment sizes are exact for base64 however it is laid out: in one line of 936
 * characters (as tests/ui/test-inbox-view.c appends it; once 684 from an estimate that
 * assumed 76 columns, against the window's 700), lines of 64, 100 and 300, a line
 * break before the boundary or none. The window's reading of the whole message agrees. */
static void
test_json_sizes (gconstpointer data)
{
  World *w = (World *) data;
  const char *user = "user6@example.test";
  g_autoptr(GBytes) b64 = random_bytes (4099);
  g_autoptr(GBytes) b100 = random_bytes (10007);
  g_autoptr(GBytes) b300 = random_bytes (20000);
  g_autoptr(GBytes) bone = random_bytes (5000);
  g_autofree char *transcript = g_build_filename (w->dir, "inbox-sizes.log", NULL);
  g_autofree char *log = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guchar pattern[700];
  const gsize expected[] = { g_bytes_get_size (b64), g_bytes_get_size (b100), g_bytes_get_size (b300),
                             g_bytes_get_size (bone) };
  JsonArray *array, *files;

  for (guint i = 0; i < sizeof pattern; i++)
    pattern[i] = (guchar) (i * 13 + 1);
  /* 1. The window test's message: 8bit text, then 700 bytes in one base64 line. */
  {
    g_autoptr(GString) m = g_string_new (HEAD ("sizes-one-line", "one line", "multipart/mixed; boundary=\"S\"")
                                         "\r\n--S\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                         "Content-Transfer-Encoding: 8bit\r\n\r\n第一行\r\n第二行\r\n"
                                         ATTACH ("数据.bin"));
    append_base64_lines (m, pattern, sizeof pattern, 0);
    g_string_append (m, "\r\n--S--\r\n");
    append_raw (w, user, m);
  }
  /* 2. Four layouts in one message; the last with a blank line before the boundary. */
  {
    g_autoptr(GString) m = g_string_new (HEAD ("sizes-layouts", "layouts", "multipart/mixed; boundary=\"S\"")
                                         "\r\n--S\r\nContent-Type: text/plain\r\n\r\nfour files\r\n"
                                         ATTACH ("64.bin"));
    append_base64_lines (m, g_bytes_get_data (b64, NULL), g_bytes_get_size (b64), 64);
    g_string_append (m, "\r\n" ATTACH ("100.bin"));
    append_base64_lines (m, g_bytes_get_data (b100, NULL), g_bytes_get_size (b100), 100);
    g_string_append (m, "\r\n" ATTACH ("300.bin"));
    append_base64_lines (m, g_bytes_get_data (b300, NULL), g_bytes_get_size (b300), 300);
    g_string_append (m, "\r\n" ATTACH ("one.bin"));
    append_base64_lines (m, g_bytes_get_data (bone, NULL), g_bytes_get_size (bone), 0);
    g_string_append (m, "\r\n\r\n--S--\r\n");
    append_raw (w, user, m);
  }

  {
    const char *extra[] = { "--ca-file", CA (w), "--json", "-", "--transcript", transcript, NULL };
    g_assert_cmpint (run_inbox (w, user, PASSWORD (w), extra, &out, NULL), ==, EP_EXIT_OK);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  files = json_object_get_array_member (entry (array, 1), "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0), "name"), ==, "数据.bin");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 0), "size"), ==, 700);

  files = json_object_get_array_member (entry (array, 0), "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, i), "size"), ==,
                     expected[i]);

  /* The last bytes of each base64 part were fetched, never a whole attachment; the
   * lines of 300 needed a second, longer look, and the server's size was asked then. */
  g_file_get_contents (transcript, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "BODY.PEEK[2]<"));
  g_assert_nonnull (strstr (log, ".2048>"));
  g_assert_nonnull (strstr (log, "BINARY.SIZE[4]"));
  g_assert_null (strstr (log, "BODY.PEEK[2])"));
  g_assert_null (strstr (log, "BODY.PEEK[]"));

  assert_same_as_whole (w, user, array);
}

/* Sets @bytes/@len to the one message of @user's @mailbox whose Message-ID is @id. */
static void
fetch_one (World       *w,
           const char  *user,
           const char  *mailbox,
           const char  *id,
           GBytes     **bytes,
           char      ***flags)
{
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *set = NULL;
  guint16 port = (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);
  EpImapMessage *message;

  ep_imap_client_connect (client, "127.0.0.1", port, EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, user, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_select (client, mailbox, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  uids = ep_imap_client_uid_search_header (client, "Message-ID", id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 1);
  set = ep_imap_uid_set ((guint32 *) uids->data, 1);
  messages = ep_imap_client_uid_fetch (client, set, EP_IMAP_FETCH_BODY | EP_IMAP_FETCH_FLAGS, NULL, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  *bytes = g_bytes_ref (message->body);
  *flags = g_strdupv (message->flags);
  ep_imap_client_logout (client);
}

/* `epistle send --imap`: the Sent copy holds exactly what the recipient received. */
static void
test_sent_copy (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *smtp = server (w, "SMTP_TLS_PORT");
  g_autofree char *imap = server (w, "IMAP_PORT");
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *delivered = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_auto(GStrv) flags = NULL;
  gsize len = 0, copy_len = 0;
  const char *copy_data;
  const char *args[] = { "send", "--server", smtp, "--security", "tls", "--user", "user10@example.test",
                         "--from", "user10@example.test", "--to", "user11@example.test",
                         "--subject", token, "--body", "正文\n.\nlast line", "--attach",
                         g_getenv ("EPISTLE_MAILSTACK"), "--ca-file", CA (w), "--imap", imap,
                         "--imap-security", "starttls", NULL };

  g_assert_cmpint (ep_test_run_cli (args, NULL, PASSWORD (w), &out, &err), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "sent-copy: saved in Sent"));
  id = g_strndup (strstr (out, "message-id: <") + 13, strcspn (strstr (out, "message-id: <") + 13, ">"));
  delivered = ep_test_stack_fetch (w->stack, "user11@example.test", "Subject", token, &len);
  g_assert_nonnull (delivered);
  fetch_one (w, "user10@example.test", "Sent", id, &copy, &flags);
  g_assert_true (g_strv_contains ((const char * const *) flags, "\\Seen"));

  /* The delivered message is the copy under the trace headers Postfix and Dovecot add. */
  copy_data = g_bytes_get_data (copy, &copy_len);
  g_assert_cmpuint (copy_len, >, 1000);
  g_assert_cmpuint (len, >, copy_len);
  g_assert_cmpmem (delivered + len - copy_len, copy_len, copy_data, copy_len);
  g_assert_true (g_str_has_prefix (copy_data, "Date: ") || g_str_has_prefix (copy_data, "From: ") ||
                 g_str_has_prefix (copy_data, "MIME-Version: ") || g_str_has_prefix (copy_data, "Message-ID: ") ||
                 g_str_has_prefix (copy_data, "Subject: ") || g_str_has_prefix (copy_data, "To: "));
}

/* A Sent copy that cannot be saved leaves the send a success, with a warning. */
static void
test_sent_copy_fails (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *smtp = server (w, "SMTP_STARTTLS_PORT");
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  const char *args[] = { "send", "--server", smtp, "--user", "user12@example.test",
                         "--from", "user12@example.test", "--to", "user12@example.test",
                         "--subject", "no copy", "--body", "x", "--ca-file", CA (w),
                         "--imap", "127.0.0.1:1", NULL };

  /* Nothing listens on port 1: the IMAP side fails, the send does not. */
  g_assert_cmpint (ep_test_run_cli (args, NULL, PASSWORD (w), &out, &err), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "accepted user12@example.test"));
  g_assert_nonnull (strstr (err, "warning: the message was sent"));
  /* Kept under the user data dir (XDG_DATA_HOME, set by main), named by its Message-ID. */
  id = g_strndup (strstr (out, "message-id: <") + 13, strcspn (strstr (out, "message-id: <") + 13, ">"));
  name = g_strdup_printf ("%s.eml", id);
  kept = g_build_filename (g_getenv ("XDG_DATA_HOME"), "epistle", "unsaved-sent", name, NULL);
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (err, kept));
  g_remove (kept);
}

/* Sends one message from user4 with a Sent copy through Dovecot; its Message-ID. */
static char *
send_with_copy (World      *w,
                const char *subject,
                char      **err)
{
  g_autofree char *smtp = server (w, "SMTP_TLS_PORT");
  g_autofree char *imap = server (w, "IMAP_PORT");
  g_autofree char *out = NULL;
  const char *args[] = { "send", "--server", smtp, "--security", "tls", "--user", "user4@example.test",
                         "--from", "user4@example.test", "--to", "user5@example.test", "--subject", subject,
                         "--body", "正文", "--ca-file", CA (w), "--imap", imap, "--imap-security", "starttls",
                         NULL };
  const char *id;

  g_assert_cmpint (ep_test_run_cli (args, NULL, PASSWORD (w), &out, err), ==, EP_EXIT_OK);
  id = strstr (out, "message-id: <");
  g_assert_nonnull (id);
  id += strlen ("message-id: <");
  return g_strndup (id, strcspn (id, ">"));
}

/* A copy Dovecot refused is kept; the next send with --imap saves it, once, byte for
 * byte, removes the file and says so on one line; the send after that says nothing. */
static void
test_retry_kept (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *tmp = g_build_filename (ep_test_stack_get (w->stack, "MAILSTACK_DIR"), "mail", "example.test",
                                           "user4", "Maildir", ".Sent", "tmp", NULL);
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_bytes = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) flags = NULL;
  gsize kept_len = 0;

  /* Dovecot creates Sent when it is first opened. */
  {
    g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 30);
    guint16 port = (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);

    ep_imap_client_connect (client, "127.0.0.1", port, EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
    g_assert_no_error (error);
    ep_imap_client_login (client, "user4@example.test", PASSWORD (w), EP_SASL_NONE, NULL, &error);
    g_assert_no_error (error);
    ep_imap_client_select (client, "Sent", TRUE, NULL, NULL, &error);
    g_assert_no_error (error);
    ep_imap_client_logout (client);
  }

  /* Dovecot runs as another user than root: with tmp/ closed, its APPEND fails. */
  g_assert_cmpint (g_chmod (tmp, 0), ==, 0);
  id = send_with_copy (w, token, &err);
  g_assert_cmpint (g_chmod (tmp, 0700), ==, 0);
  g_assert_nonnull (strstr (err, "warning: the message was sent"));
  name = g_strdup_printf ("%s.eml", id);
  kept = g_build_filename (g_getenv ("XDG_DATA_HOME"), "epistle", "unsaved-sent", name, NULL);
  g_file_get_contents (kept, &kept_bytes, &kept_len, &error);
  g_assert_no_error (error);

  g_clear_pointer (&err, g_free);
  second = send_with_copy (w, "second", &err);
  g_assert_nonnull (strstr (err, "1 copy of an earlier message, kept on this computer, was saved in the Sent folder"));
  g_assert_false (g_file_test (kept, G_FILE_TEST_EXISTS));
  fetch_one (w, "user4@example.test", "Sent", id, &copy, &flags);
  g_assert_cmpmem (g_bytes_get_data (copy, NULL), g_bytes_get_size (copy), kept_bytes, kept_len);
  g_assert_true (g_strv_contains ((const char * const *) flags, "\\Seen"));

  g_clear_pointer (&err, g_free);
  third = send_with_copy (w, "third", &err);
  g_assert_null (strstr (err, "kept on this computer"));
  /* Still once (fetch_one asserts a single match). */
  g_clear_pointer (&copy, g_bytes_unref);
  g_clear_pointer (&flags, g_strfreev);
  fetch_one (w, "user4@example.test", "Sent", id, &copy, &flags);
}

/* A message over 32 MiB is exported from its header, with a warning; memory stays bounded. */
static void
test_large_message (gconstpointer data)
{
  World *w = (World *) data;
  const char *user = "user2@example.test";
  g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 60);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("From: big@example.test\r\nTo: user2@example.test\r\n"
                                          "Subject: large\r\nMessage-ID: <large@example.test>\r\n"
                                          "Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n\r\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint16 port = (guint16) g_ascii_strtoull (ep_test_stack_get (w->stack, "IMAPS_PORT"), NULL, 10);
  JsonObject *big;

  while (text->len < 33 * 1024 * 1024)
    g_string_append (text, "0123456789012345678901234567890123456789012345678901234567890123456789012\r\n");
  ep_imap_client_connect (client, "127.0.0.1", port, EP_SECURITY_TLS, CA (w), NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_login (client, user, PASSWORD (w), EP_SASL_NONE, NULL, &error);
  g_assert_no_error (error);
  stream = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  ep_imap_client_append_stream (client, "INBOX", NULL, stream, text->len, NULL, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_logout (client);

  {
    const char *extra[] = { "--ca-file", CA (w), "--json", "-", NULL };
    g_assert_cmpint (run_inbox (w, user, PASSWORD (w), extra, &out, &err), ==, EP_EXIT_OK);
  }
  g_assert_nonnull (strstr (err, "larger than 32 MiB"));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  big = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (big, "subject"), ==, "large");
  g_assert_cmpstr (json_object_get_string_member (big, "body"), ==, "");
  g_assert_cmpint (json_object_get_int_member (big, "size"), ==, text->len);
}

/* The same failures give the same exit codes as `epistle send`. */
static void
test_failures (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *err = NULL;

  {
    const char *extra[] = { "--ca-file", CA (w), NULL };
    g_assert_cmpint (run_inbox (w, "user1@example.test", "wrong", extra, NULL, &err), ==, EP_EXIT_NOPERM);
    g_assert_nonnull (strstr (err, "user1@example.test"));
  }
  {
    g_autofree char *srv = server (w, "SMTP_STARTTLS_PORT");
    const char *args[] = { "send", "--server", srv, "--user", "user1@example.test", "--from",
                           "user1@example.test", "--to", "user1@example.test", "--ca-file", CA (w), NULL };
    g_assert_cmpint (ep_test_run_cli (args, NULL, "wrong", NULL, NULL), ==, EP_EXIT_NOPERM);
  }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_inbox (w, "user1@example.test", PASSWORD (w), NULL, NULL, &err), ==, EP_EXIT_CONFIG);
  g_assert_nonnull (strstr (err, "--pin"));
  {
    const char *extra[] = { "--ca-file", CA (w), "--mailbox", "No Such Box", NULL };
    g_assert_cmpint (run_inbox (w, "user1@example.test", PASSWORD (w), extra, NULL, NULL), ==,
                     EP_EXIT_UNAVAILABLE);
  }
  {
    const char *extra[] = { "--limit", "0", NULL };
    g_assert_cmpint (run_inbox (w, "user1@example.test", PASSWORD (w), extra, NULL, NULL), ==, EP_EXIT_USAGE);
  }
  {
    g_autofree char *srv = server (w, "IMAP_PORT");
    const char *args[] = { "inbox", "--server", srv, "--security", "starttls", "--user",
                           "user1@example.test", "--ca-file", CA (w), "--mailbox", "Sent", NULL };
    g_assert_cmpint (ep_test_run_cli (args, NULL, PASSWORD (w), NULL, NULL), ==, EP_EXIT_OK);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  World world = { 0 };
  int status;

  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  world.stack = ep_test_stack_start ();
  if (world.stack == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        {
          g_printerr ("# Postfix and Dovecot could not start; under CI this is a failure\n");
          return 1;
        }
      g_test_skip ("Postfix and Dovecot could not start (run as root with the README's packages)");
    }
  world.dir = g_dir_make_tmp ("test-cli-inbox-XXXXXX", &error);
  g_assert_no_error (error);
  {
    /* A copy that cannot be saved is kept under here, not in the real home. */
    g_autofree char *data_home = g_build_filename (world.dir, "data", NULL);
    g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  }
  if (world.stack != NULL)
    {
      g_test_add_data_func ("/cli-inbox/json", &world, test_json);
      g_test_add_data_func ("/cli-inbox/json-parts", &world, test_json_parts);
      g_test_add_data_func ("/cli-inbox/json-forwarded", &world, test_json_forwarded);
      g_test_add_data_func ("/cli-inbox/json-sizes", &world, test_json_sizes);
      g_test_add_data_func ("/cli-inbox/failures", &world, test_failures);
      g_test_add_data_func ("/cli-inbox/sent-copy", &world, test_sent_copy);
      g_test_add_data_func ("/cli-inbox/large-message", &world, test_large_message);
      g_test_add_data_func ("/cli-inbox/sent-copy-fails", &world, test_sent_copy_fails);
      g_test_add_data_func ("/cli-inbox/retry-kept", &world, test_retry_kept);
    }
  status = g_test_run ();

  if (world.stack != NULL && status != 0)
    ep_test_stack_dump_logs (world.stack);
  if (world.stack != NULL)
    ep_test_stack_stop (world.stack);
  {
    g_autoptr(GDir) dir = g_dir_open (world.dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (world.dir, name, NULL);
        g_remove (path);
      }
    {
      g_autofree char *kept = g_build_filename (world.dir, "data", "epistle", "unsaved-sent", NULL);
      g_autofree char *epistle = g_build_filename (world.dir, "data", "epistle", NULL);
      g_autofree char *data = g_build_filename (world.dir, "data", NULL);
      g_rmdir (kept);
      g_rmdir (epistle);
      g_rmdir (data);
    }
    g_rmdir (world.dir);
    g_free (world.dir);
  }
  return status;
}
