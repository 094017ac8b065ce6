/* test-roundtrip.c — send through a real Postfix, fetch back from a real Dovecot
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/servers/mailstack starts both servers on 127.0.0.1 with a throwaway
 * CA. Every case sends with `epistle send` (or EpSender), fetches the
 * message over IMAPS, parses it with GMime and compares: headers decoded,
 * body text exact, every attachment byte for byte (text files too: no
 * line-end normalisation anywhere in this file's comparisons of files).
 * A stack that cannot start fails the run, unless EPISTLE_ALLOW_SKIP=1 lets
 * the cases skip.
 */
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ep-cli-exit.h"
#include "ep-locale.h"
#include "ep-sender.h"
#include "ep-test-utils.h"

typedef struct
{
  EpTestStack *stack;
  char *dir;
} World;


static char *
server (World *w, const char *key)
{
  return g_strdup_printf ("127.0.0.1:%s", ep_test_stack_get (w->stack, key));
}

static char *
make_file (World *w, const char *name, gsize size, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint32 *data = g_malloc ((size + 3) / 4 * 4);

  for (gsize i = 0; i < (size + 3) / 4; i++)
    data[i] = g_rand_int (rand);
  ((guchar *) data)[0] = 0;
  if (size > 10)
    ((guchar *) data)[size / 2] = 0;
  return ep_test_write_file (w->dir, name, data, size);
}

static char *
crlf_to_lf (const char *data, gsize len, gsize *out_len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
      g_string_append_c (out, data[i]);
  *out_len = out->len;
  return g_string_free (out, FALSE);
}

/* @part decodes to exactly the bytes of @path, and carries its name. */
static void
assert_same_file (GMimeObject *part, const char *path)
{
  g_autoptr(GBytes) content = NULL;
  g_autofree char *original = NULL;
  g_autofree char *base = g_path_get_basename (path);
  gsize len = 0;

  g_assert_nonnull (part);
  content = ep_test_part_content (part);
  g_assert_true (g_file_get_contents (path, &original, &len, NULL));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, base);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), original, len);
}

static char *
body_text (GMimeMessage *mime)
{
  GMimeObject *part = ep_test_find_part (g_mime_message_get_mime_part (mime), "text/plain", 0);
  g_autofree char *text = NULL;
  gsize len;

  g_assert_nonnull (part);
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
  return crlf_to_lf (text, strlen (text), &len);
}

/* Fetches the message whose subject holds @token from @user's INBOX and parses it. */
static GMimeMessage *
fetch (World *w, const char *user, const char *token)
{
  gsize len = 0;
  g_autofree char *raw = ep_test_stack_fetch (w->stack, user, "Subject", token, &len);

  g_assert_nonnull (raw);
  return ep_test_parse_message (raw, len);
}

static int
send_cli (World       *w,
          const char  *key,
          const char  *security,
          const char  *password,
          const char **extra,
          char       **out,
          char       **err)
{
  g_autofree char *srv = server (w, key);
  const char *base[] = { "send", "--server", srv, "--security", security,
                         "--user", "user1@example.test", "--from", "user1@example.test", NULL };

  return ep_test_run_cli (base, extra, password, out, err);
}

#define PASSWORD(w) ep_test_stack_get ((w)->stack, "PASSWORD")
#define CA(w) ep_test_stack_get ((w)->stack, "CA_FILE")

static void
test_ascii (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Plain ASCII %s", token);
  const char *extra[] = { "--ca-file", CA (w), "--to", "user2@example.test", "--subject", subject,
                          "--body", "Hello,\nthis is plain text.\n", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "accepted user2@example.test\n"));
  g_assert_nonnull (strstr (out, "server: 250 2.0.0 Ok"));
  mime = fetch (w, "user2@example.test", token);
  text = body_text (mime);
  g_assert_cmpstr (g_mime_message_get_subject (mime), ==, subject);
  g_assert_cmpstr (text, ==, "Hello,\nthis is plain text.\n");
}

static void
test_chinese (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("季度报告：请查收附件 %s", token);
  g_autofree char *attachment = make_file (w, "二〇二六年第三季度销售数据汇总表（最终版）.xlsx", 20000, 3);
  const char *body = "各位同事：\n\n附件是本季度的销售数据，请查收。\n\n此致\n敬礼";
  const char *extra[] = { "--ca-file", CA (w), "--from-name", "张三", "--to", "李四 <user2@example.test>",
                          "--subject", subject, "--body", body, "--attach", attachment, NULL };
  g_autoptr(GMimeMessage) mime = NULL;
  g_autofree char *text = NULL;
  InternetAddressList *from, *to;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, NULL, NULL), ==, 0);
  mime = fetch (w, "user2@example.test", token);
  from = g_mime_message_get_from (mime);
  to = g_mime_message_get_to (mime);
  g_assert_cmpstr (g_mime_message_get_subject (mime), ==, subject);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (from, 0)), ==, "张三");
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 0)), ==, "李四");
  text = body_text (mime);
  g_assert_cmpstr (text, ==, body);
  assert_same_file (ep_test_find_part (g_mime_message_get_mime_part (mime),
                                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 0), attachment);
}

static void
test_html_inline (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("HTML 图片 %s", token);
  g_autofree char *one = make_file (w, "chart.png", 30000, 1);
  g_autofree char *two = make_file (w, "photo.jpg", 60000, 2);
  const char *html_text = "<html><body><p>图表：<img src=\"cid:chart.png\"></p>\n"
                          "<p>照片：<img src=\"cid:photo.jpg\"></p></body></html>\n";
  g_autofree char *html = ep_test_write_file (w->dir, "mail.html", html_text, strlen (html_text));
  const char *extra[] = { "--ca-file", CA (w), "--to", "user3@example.test", "--subject", subject,
                          "--body", "图表和照片见 HTML 版本。", "--html-file", html,
                          "--inline", one, "--inline", two, NULL };
  g_autoptr(GMimeMessage) mime = NULL;
  GMimeObject *root, *related, *html_part;
  g_autofree char *got_html = NULL;
  g_autofree char *got_plain = NULL;
  g_autofree char *expected_html = NULL;
  const char *ids[2];
  gsize len;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, NULL, NULL), ==, 0);
  mime = fetch (w, "user3@example.test", token);
  root = g_mime_message_get_mime_part (mime);
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (root)), ==, "alternative");
  related = ep_test_find_part (root, "multipart/related", 0);
  g_assert_nonnull (related);
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (related, "type"), ==, "text/html");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (related)), ==, 3);
  html_part = g_mime_multipart_get_part (GMIME_MULTIPART (related), 0);
  g_assert_true (ep_test_part_is (html_part, "text/html"));
  {
    g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (html_part));
    got_html = crlf_to_lf (text, strlen (text), &len);
  }
  got_plain = body_text (mime);

  for (guint i = 0; i < 2; i++)
    {
      GMimeObject *image = g_mime_multipart_get_part (GMIME_MULTIPART (related), i + 1);

      ids[i] = g_mime_object_get_content_id (image);
      g_assert_nonnull (ids[i]);
      g_assert_cmpstr (g_mime_content_disposition_get_disposition (g_mime_object_get_content_disposition (image)), ==, "inline");
      assert_same_file (image, i == 0 ? one : two);
    }
  /* The HTML exactly as written, each cid: now naming its part's Content-ID; the plain text exactly. */
  expected_html = g_strdup_printf ("<html><body><p>图表：<img src=\"cid:%s\"></p>\n"
                                   "<p>照片：<img src=\"cid:%s\"></p></body></html>\n", ids[0], ids[1]);
  g_assert_cmpstr (got_html, ==, expected_html);
  g_assert_cmpstr (got_plain, ==, "图表和照片见 HTML 版本。");
}

static void
test_three_attachments (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Three attachments %s", token);
  const char dots[] = ".\nFrom the start of a line\n..\n.\nFrom again\n. trailing\nend\n";
  g_autofree char *bin = make_file (w, "nul-bytes.bin", 100000, 4);
  g_autofree char *txt = ep_test_write_file (w->dir, "dots.txt", dots, strlen (dots));
  g_autofree char *pdf = make_file (w, "report.pdf", 5000, 5);
  const char *extra[] = { "--ca-file", CA (w), "--to", "user4@example.test", "--subject", subject,
                          "--body", "Line one\n.\nFrom here\n", "--attach", bin, "--attach", txt,
                          "--attach", pdf, "--no-chunking", NULL };
  g_autoptr(GMimeMessage) mime = NULL;
  GMimeObject *root;
  g_autofree char *text = NULL;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, NULL, NULL), ==, 0);
  mime = fetch (w, "user4@example.test", token);
  root = g_mime_message_get_mime_part (mime);
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (root)), ==, 4);
  text = body_text (mime);
  g_assert_cmpstr (text, ==, "Line one\n.\nFrom here\n");
  for (guint i = 0; i < 3; i++)
    assert_same_file (g_mime_multipart_get_part (GMIME_MULTIPART (root), i + 1), i == 0 ? bin : i == 1 ? txt : pdf);
}

/* Files are bytes: LF-only, CR-only and mixed text and a shell script arrive
 * exactly as on disk; a name holding CR/LF cannot break the part's headers. */
static void
test_attachment_bytes (gconstpointer data)
{
  World *w = (World *) data;
  static const struct { const char *name; const char *bytes; } files[] = {
    { "lf-only.txt", "first\nsecond\n\nlast\n" },
    { "cr-only.txt", "first\rsecond\r\rlast\r" },
    { "mixed.txt", "crlf\r\nlf\ncr\r.\n..\r\nFrom me\nend" },
    { "deploy.sh", "#!/bin/sh\nset -eu\n# trailing space \nprintf '%s\\n' \"$1\"\t\nexit 0\n" },
    { "x\r\n\r\ninjected body.txt", "named by an attacker\n" },
  };
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Exact bytes %s", token);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMimeMessage) mime = NULL;
  GMimeObject *root;

  g_ptr_array_add (args, g_strdup ("--ca-file"));
  g_ptr_array_add (args, g_strdup (CA (w)));
  g_ptr_array_add (args, g_strdup ("--to"));
  g_ptr_array_add (args, g_strdup ("user3@example.test"));
  g_ptr_array_add (args, g_strdup ("--subject"));
  g_ptr_array_add (args, g_strdup (subject));
  g_ptr_array_add (args, g_strdup ("--body"));
  g_ptr_array_add (args, g_strdup ("five files"));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      char *path = ep_test_write_file (w->dir, files[i].name, files[i].bytes, strlen (files[i].bytes));

      g_ptr_array_add (paths, path);
      g_ptr_array_add (args, g_strdup ("--attach"));
      g_ptr_array_add (args, g_strdup (path));
    }
  g_ptr_array_add (args, NULL);

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), (const char **) args->pdata, NULL, NULL), ==, 0);
  mime = fetch (w, "user3@example.test", token);
  root = g_mime_message_get_mime_part (mime);
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (root)), ==, G_N_ELEMENTS (files) + 1);
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (mime), "injected body.txt"));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GMimeObject *part = g_mime_multipart_get_part (GMIME_MULTIPART (root), i + 1);
      g_autoptr(GBytes) content = ep_test_part_content (part);

      g_test_message ("attachment %u", i);
      g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content),
                       files[i].bytes, strlen (files[i].bytes));
      if (i < G_N_ELEMENTS (files) - 1)
        assert_same_file (part, g_ptr_array_index (paths, i));
      else
        g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "x____injected body.txt");
    }
}

static void
test_large_attachment (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("25 MB %s", token);
  g_autofree char *big = make_file (w, "large.bin", 25 * 1024 * 1024, 6);
  const char *extra[] = { "--ca-file", CA (w), "--to", "user5@example.test", "--subject", subject,
                          "--body", "large", "--attach", big, NULL };
  g_autoptr(GMimeMessage) mime = NULL;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, NULL, NULL), ==, 0);
  mime = fetch (w, "user5@example.test", token);
  assert_same_file (ep_test_find_part (g_mime_message_get_mime_part (mime), "application/octet-stream", 0), big);
  g_remove (big);
}

static void
test_ten_recipients (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Ten recipients %s", token);
  const char *extra[] = { "--ca-file", CA (w), "--subject", subject, "--body", "to all",
                          "--to", "user2@example.test; user3@example.test, 王五 <user4@example.test>; user5@example.test",
                          "--cc", "user6@example.test, user7@example.test; user8@example.test",
                          "--bcc", "user9@example.test; user10@example.test, user11@example.test; user2@example.test",
                          NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (send_cli (w, "SMTP_TLS_PORT", "tls", PASSWORD (w), extra, &out, NULL), ==, 0);
  for (guint i = 2; i <= 11; i++)
    {
      g_autofree char *user = g_strdup_printf ("user%u@example.test", i);
      g_autofree char *line = g_strdup_printf ("accepted %s\n", user);
      gsize len = 0;
      g_autofree char *raw = ep_test_stack_fetch (w->stack, user, "Subject", token, &len);
      g_autoptr(GMimeMessage) mime = NULL;

      g_assert_nonnull (strstr (out, line));
      g_assert_nonnull (raw);
      /* Bcc never appears in what any recipient receives. */
      g_assert_null (g_strstr_len (raw, len, "user9@"));
      g_assert_null (g_strstr_len (raw, len, "user11@"));
      mime = ep_test_parse_message (raw, len);
      g_assert_null (g_mime_message_get_bcc (mime) ?
                     (internet_address_list_length (g_mime_message_get_bcc (mime)) ? "bcc" : NULL) : NULL);
      g_assert_cmpint (internet_address_list_length (g_mime_message_get_to (mime)), ==, 4);
      g_assert_cmpint (internet_address_list_length (g_mime_message_get_cc (mime)), ==, 3);
    }
  /* user2 was in To and Bcc: one RCPT, one copy. */
  g_assert_nonnull (strstr (out, "accepted user2@example.test\n"));
  g_assert_null (strstr (strstr (out, "accepted user2@example.test\n") + 1, "accepted user2@example.test\n"));
}

/* The mechanism of the client's own AUTH command (“C: AUTH SCRAM-SHA-256 …”):
 * the server's “250-AUTH …” line names every mechanism and proves nothing. */
static char *
client_auth_mechanism (const char *log)
{
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  char *found = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], "C: AUTH "))
        continue;
      g_assert_null (found);   /* one sign-in per send */
      found = g_strndup (lines[i] + 8, strcspn (lines[i] + 8, " \r"));
    }
  return found;
}

static guint
count_lines_starting (const char *log,
                      const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

static void
test_auth_mechanisms (gconstpointer data)
{
  World *w = (World *) data;
  static const char * const mechanisms[] = { "plain", "login", "scram-sha-1", "scram-sha-256" };
  g_autofree char *password_b64 = g_base64_encode ((const guchar *) PASSWORD (w), strlen (PASSWORD (w)));
  g_autofree char *plain_b64 = ep_sasl_plain ("user1@example.test", PASSWORD (w));

  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      g_autofree char *token = ep_test_unique_token ();
      g_autofree char *subject = g_strdup_printf ("Auth %s %s", mechanisms[i], token);
      g_autofree char *transcript = g_build_filename (w->dir, "auth-transcript.txt", NULL);
      const char *extra[] = { "--ca-file", CA (w), "--auth", mechanisms[i], "--to", "user6@example.test",
                              "--subject", subject, "--body", "auth", "--transcript", transcript, NULL };
      g_autofree char *log = NULL;
      g_autofree char *expected = g_ascii_strup (mechanisms[i], -1);
      g_autofree char *used = NULL;

      g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, NULL, NULL), ==, 0);
      g_assert_true (g_file_get_contents (transcript, &log, NULL, NULL));
      used = client_auth_mechanism (log);
      g_assert_cmpstr (used, ==, expected);
      /* SCRAM: server-first and the server-final that proved the server knows the password. */
      if (g_str_has_prefix (expected, "SCRAM-"))
        g_assert_cmpuint (count_lines_starting (log, "S: 334 "), ==, 2);
      g_assert_null (strstr (log, PASSWORD (w)));
      g_assert_null (strstr (log, password_b64));
      g_assert_null (strstr (log, plain_b64));
      g_assert_nonnull (strstr (log, "<redacted>"));
      g_assert_true (strstr (log, "C: AUTH") > strstr (log, "TLS established"));
      g_assert_cmpint (g_mime_message_get_date (fetch (w, "user6@example.test", token)) != NULL, ==, TRUE);
    }
}

/* SMTPUTF8 (RFC 6531): a UTF-8 local part through the real Postfix, with a
 * UTF-8 domain beside it, which SMTPUTF8 lets the client leave in U-labels. */
static void
test_smtputf8 (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("SMTPUTF8 收件人 %s", token);
  g_autofree char *transcript = g_build_filename (w->dir, "smtputf8-transcript.txt", NULL);
  const char *rcpt = ep_test_stack_get (w->stack, "UTF8_RCPT");
  const char *idn = ep_test_stack_get (w->stack, "IDN_RCPT");
  const char *extra[] = { "--ca-file", CA (w), "--to", rcpt, "--cc", idn, "--subject", subject,
                          "--body", "你好，UTF-8 邮箱。\n", "--transcript", transcript, NULL };
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  g_autofree char *rcpt_line = g_strdup_printf ("C: RCPT TO:<%s>", rcpt);
  g_autofree char *idn_line = g_strdup_printf ("C: RCPT TO:<%s>", idn);
  g_autofree char *delivered = g_strdup_printf ("Delivered-To: %s\r\n", rcpt);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  InternetAddress *to;
  gsize len = 0;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, &out, NULL), ==, 0);
  g_assert_true (g_file_get_contents (transcript, &log, NULL, NULL));
  g_assert_cmpuint (count_lines_starting (log, "C: MAIL FROM:<user1@example.test>"), ==, 1);
  g_assert_nonnull (strstr (strstr (log, "C: MAIL FROM:"), " SMTPUTF8"));
  g_assert_cmpuint (count_lines_starting (log, rcpt_line), ==, 1);
  g_assert_cmpuint (count_lines_starting (log, idn_line), ==, 1);

  raw = ep_test_stack_fetch (w->stack, ep_test_stack_get (w->stack, "UTF8_BOX"), "Subject", token, &len);
  g_assert_nonnull (raw);
  /* Postfix delivered it for the UTF-8 address itself, having accepted it as such. */
  g_assert_nonnull (g_strstr_len (raw, len, delivered));
  g_assert_nonnull (g_strstr_len (raw, len, "with UTF8SMTPSA"));
  mime = ep_test_parse_message (raw, len);
  g_assert_cmpstr (g_mime_message_get_subject (mime), ==, subject);
  to = internet_address_list_get_address (g_mime_message_get_to (mime), 0);
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (to)), ==, rcpt);
  text = body_text (mime);
  g_assert_cmpstr (text, ==, "你好，UTF-8 邮箱。\n");
}

/* An internationalised domain and an ASCII local part need no SMTPUTF8: the
 * envelope and the header carry the domain in A-labels (RFC 5890). */
static void
test_idn (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("IDN %s", token);
  g_autofree char *transcript = g_build_filename (w->dir, "idn-transcript.txt", NULL);
  const char *idn = ep_test_stack_get (w->stack, "IDN_RCPT");
  const char *extra[] = { "--ca-file", CA (w), "--to", idn, "--subject", subject, "--body", "idn",
                          "--transcript", transcript, NULL };
  g_autofree char *log = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *mail_line = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  InternetAddress *to;
  gsize len = 0;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (transcript, &log, NULL, NULL));
  g_assert_cmpuint (count_lines_starting (log, "C: RCPT TO:<idn@xn--fsqu00a.test>"), ==, 1);
  mail_line = g_strndup (strstr (log, "C: MAIL FROM:"), strcspn (strstr (log, "C: MAIL FROM:"), "\n"));
  g_assert_null (strstr (mail_line, "SMTPUTF8"));

  raw = ep_test_stack_fetch (w->stack, ep_test_stack_get (w->stack, "IDN_BOX"), "Subject", token, &len);
  g_assert_nonnull (raw);
  g_assert_nonnull (g_strstr_len (raw, len, "X-Original-To: idn@xn--fsqu00a.test\r\n"));
  g_assert_nonnull (g_strstr_len (raw, len, "\r\nTo: idn@xn--fsqu00a.test\r\n"));
  mime = ep_test_parse_message (raw, len);
  to = internet_address_list_get_address (g_mime_message_get_to (mime), 0);
  /* GMime shows the domain decoded, and the A-labels it came as. */
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (to)), ==, idn);
  g_assert_cmpstr (internet_address_mailbox_get_idn_addr (INTERNET_ADDRESS_MAILBOX (to)), ==, "idn@xn--fsqu00a.test");
}

/* XOAUTH2 against the real Dovecot, whose oauth2 passdb asks the harness's
 * local introspection endpoint (tests/servers/oauth2-introspect) about the token. */
static void
test_xoauth2 (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("XOAUTH2 %s", token);
  g_autofree char *transcript = g_build_filename (w->dir, "xoauth2-transcript.txt", NULL);
  const char *access_token = ep_test_stack_get (w->stack, "OAUTH2_TOKEN");
  const char *extra[] = { "--ca-file", CA (w), "--auth", "xoauth2", "--to", "user7@example.test",
                          "--subject", subject, "--body", "signed in with a token\n", "--transcript", transcript, NULL };
  const char *refused[] = { "--ca-file", CA (w), "--auth", "xoauth2", "--to", "user7@example.test",
                            "--subject", "never sent", "--body", "x", NULL };
  g_autofree char *payload = ep_sasl_xoauth2 ("user1@example.test", access_token);
  g_autofree char *log = NULL;
  g_autofree char *used = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GMimeMessage) mime = NULL;

  g_assert_cmpstr (ep_test_stack_get (w->stack, "OAUTH2_USER"), ==, "user1@example.test");
  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", access_token, extra, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (transcript, &log, NULL, NULL));
  used = client_auth_mechanism (log);
  g_assert_cmpstr (used, ==, "XOAUTH2");
  g_assert_null (strstr (log, access_token));
  g_assert_null (strstr (log, payload));
  mime = fetch (w, "user7@example.test", token);
  text = body_text (mime);
  g_assert_cmpstr (text, ==, "signed in with a token\n");

  /* A token the endpoint calls inactive: Dovecot's JSON 334, then 535, explained. */
  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", "ya29.expired-token", refused, NULL, &err), ==,
                   EP_EXIT_NOPERM);
  g_assert_nonnull (strstr (err, "535"));
  g_assert_nonnull (strstr (err, "OAuth2 access token"));
}

static void
test_wrong_password (gconstpointer data)
{
  World *w = (World *) data;
  const char *extra[] = { "--ca-file", CA (w), "--to", "user2@example.test", "--subject", "nope", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", "wrong-password", extra, NULL, &err), ==,
                   EP_EXIT_NOPERM);
  g_assert_nonnull (strstr (err, "535"));
  g_assert_nonnull (strstr (err, "authorization code"));
}

static void
test_unknown_recipient (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Unknown recipient %s", token);
  const char *extra[] = { "--ca-file", CA (w), "--to", "user7@example.test, nobody@example.test",
                          "--cc", "user8@example.test", "--subject", subject, "--body", "x", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), extra, &out, &err), ==,
                   EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (out, "rejected nobody@example.test: 550 5.1.1"));
  g_assert_nonnull (strstr (err, "nobody@example.test"));
  g_assert_nonnull (strstr (err, "nothing was sent"));
  g_assert_true (ep_test_stack_absent (w->stack, "user7@example.test", "Subject", token, 3));
  g_assert_true (ep_test_stack_absent (w->stack, "user8@example.test", "Subject", token, 0));
}

static void
test_size_limit (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *file = make_file (w, "too-big.bin", 400000, 7);
  g_autofree char *transcript = g_build_filename (w->dir, "size-transcript.txt", NULL);
  const char *extra[] = { "--ca-file", CA (w), "--to", "user2@example.test", "--subject", "big",
                          "--attach", file, "--transcript", transcript, NULL };
  g_autofree char *err = NULL;
  g_autofree char *log = NULL;

  g_assert_cmpint (send_cli (w, "SMTP_SMALL_PORT", "starttls", PASSWORD (w), extra, NULL, &err), ==,
                   EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (err, ep_test_stack_get (w->stack, "SMTP_SMALL_LIMIT")));
  g_assert_true (g_file_get_contents (transcript, &log, NULL, NULL));
  g_assert_null (strstr (log, "MAIL FROM"));
}

static void
test_untrusted_certificate (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Pinned %s", token);
  const char *extra[] = { "--to", "user9@example.test", "--subject", subject, "--body", "pin", NULL };
  const char *pinned[] = { "--to", "user9@example.test", "--subject", subject, "--body", "pin",
                           "--pin", NULL, NULL };
  g_autofree char *err = NULL;
  g_autofree char *fingerprint = NULL;
  const char *at;

  g_assert_cmpint (send_cli (w, "SMTP_TLS_PORT", "tls", PASSWORD (w), extra, NULL, &err), ==, EP_EXIT_CONFIG);
  g_assert_nonnull (strstr (err, "not trusted"));
  at = strstr (err, "fingerprint is ");
  g_assert_nonnull (at);
  fingerprint = g_strndup (at + strlen ("fingerprint is "), 95);
  g_assert_cmpuint (strlen (fingerprint), ==, 95);
  g_assert_nonnull (strstr (err, "--pin"));

  pinned[7] = fingerprint;
  g_assert_cmpint (send_cli (w, "SMTP_TLS_PORT", "tls", PASSWORD (w), pinned, NULL, NULL), ==, 0);
  g_assert_nonnull (fetch (w, "user9@example.test", token));

  /* A wrong pin is no better than none. */
  pinned[7] = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
  g_assert_cmpint (send_cli (w, "SMTP_STARTTLS_PORT", "starttls", PASSWORD (w), pinned, NULL, NULL), ==,
                   EP_EXIT_CONFIG);
}

typedef struct
{
  GCancellable *cancellable;
  guint64 last_done;
  guint64 total;
  gint64 cancelled_at;
  gboolean finished;
  gboolean ok;
  GError *error;
  EpSendResult *result;
  guint stages_seen;
} CancelRun;

static void
on_progress (EpSender *sender, guint stage, guint64 done, guint64 total, gpointer user_data)
{
  CancelRun *run = user_data;

  g_assert_cmpuint (done, >=, run->last_done);
  g_assert_cmpuint (done, <=, total);
  run->last_done = done;
  run->total = total;
  run->stages_seen |= 1u << stage;
  if (run->cancellable != NULL && stage == EP_SEND_STAGE_SENDING && done > 4 * 1024 * 1024 &&
      run->cancelled_at == 0)
    {
      run->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (run->cancellable);
    }
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CancelRun *run = user_data;

  run->ok = ep_sender_send_finish (EP_SENDER (source), result, &run->result, &run->error);
  run->finished = TRUE;
}

static EpMessage *
message_with (World *w, const char *to, const char *subject, const char *attachment)
{
  EpMessage *message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("user1@example.test", NULL);
  g_autoptr(EpAddressList) list = ep_address_list_parse (to, NULL);

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, list);
  ep_message_set_subject (message, subject);
  ep_message_set_text (message, "sent by EpSender");
  ep_message_add_attachment (message, attachment);
  return message;
}

static EpSender *
sender_for (World *w)
{
  EpSender *sender = ep_sender_new ("127.0.0.1",
                                    (guint16) atoi (ep_test_stack_get (w->stack, "SMTP_STARTTLS_PORT")),
                                    EP_SECURITY_STARTTLS);

  ep_sender_set_credentials (sender, "user1@example.test", PASSWORD (w), EP_SASL_NONE);
  ep_sender_set_trust (sender, CA (w), NULL);
  return sender;
}

static void
test_sender_progress (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Async %s", token);
  g_autofree char *file = make_file (w, "async.bin", 3 * 1024 * 1024, 8);
  g_autoptr(EpMessage) message = message_with (w, "user10@example.test", subject, file);
  g_autoptr(EpSender) sender = sender_for (w);
  CancelRun run = { 0 };

  g_signal_connect (sender, "progress", G_CALLBACK (on_progress), &run);
  ep_sender_send_async (sender, message, NULL, on_sent, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (run.total, ==, ep_send_result_get_size (run.result));
  g_assert_cmpuint (run.last_done, ==, run.total);
  g_assert_true (run.stages_seen & (1u << EP_SEND_STAGE_AUTHENTICATING));
  g_assert_true (run.stages_seen & (1u << EP_SEND_STAGE_DONE));
  g_assert_cmpuint (ep_send_result_get_n_accepted (run.result), ==, 1);
  g_assert_nonnull (fetch (w, "user10@example.test", token));
  g_object_unref (run.result);
}

/* The window's path (EpSender): an inline image whose file name holds CR, LF
 * and other controls stays one part with a harmless name, through Postfix. */
static void
test_inline_name_injection (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Inline name %s", token);
  g_autofree char *image = make_file (w, "chart\r\nX-Injected: yes\r\n\r\n\x01.png", 4000, 10);
  g_autoptr(EpMessage) message = message_with (w, "user12@example.test", subject, image);
  g_autoptr(EpSender) sender = sender_for (w);
  g_autoptr(GMimeMessage) mime = NULL;
  GMimeObject *root, *part, *attachment;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *original = NULL;
  CancelRun run = { 0 };
  gsize len = 0;

  ep_message_set_html (message, "<p><img src=\"cid:chart@example.test\"></p>");
  ep_message_add_inline_image (message, image, "chart@example.test");
  ep_sender_send_async (sender, message, NULL, on_sent, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_object_unref (run.result);

  mime = fetch (w, "user12@example.test", token);
  root = g_mime_message_get_mime_part (mime);
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (root)), ==, 2);
  part = ep_test_find_part (root, "image/png", 0);
  g_assert_nonnull (part);
  g_assert_cmpstr (g_mime_object_get_content_id (part), ==, "chart@example.test");
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, "chart__X-Injected: yes_____.png");
  g_assert_null (g_mime_object_get_header (part, "X-Injected"));
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (mime), "X-Injected"));
  content = ep_test_part_content (part);
  g_assert_true (g_file_get_contents (image, &original, &len, NULL));
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), original, len);
  /* The same file as an attachment: the same harmless name, the same bytes. */
  attachment = g_mime_multipart_get_part (GMIME_MULTIPART (root), 1);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (attachment)), ==, "chart__X-Injected: yes_____.png");
  g_clear_pointer (&content, g_bytes_unref);
  content = ep_test_part_content (attachment);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), original, len);
  g_remove (image);
}

static void
test_cancel_large_send (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *token = ep_test_unique_token ();
  g_autofree char *subject = g_strdup_printf ("Cancelled %s", token);
  g_autofree char *file = make_file (w, "cancel.bin", 60 * 1024 * 1024, 9);
  g_autoptr(EpMessage) message = message_with (w, "user11@example.test", subject, file);
  g_autoptr(EpSender) sender = sender_for (w);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelRun run = { 0 };

  run.cancellable = cancellable;
  g_signal_connect (sender, "progress", G_CALLBACK (on_progress), &run);
  ep_sender_send_async (sender, message, cancellable, on_sent, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (run.cancelled_at, >, 0);
  g_assert_cmpint (g_get_monotonic_time () - run.cancelled_at, <, G_USEC_PER_SEC);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ep_send_result_get_delivered (run.result));
  g_assert_true (ep_test_stack_absent (w->stack, "user11@example.test", "Subject", token, 3));
  g_clear_error (&run.error);
  g_object_unref (run.result);
  g_remove (file);
}

int
main (int argc, char **argv)
{
  static const struct { const char *path; GTestDataFunc func; } cases[] = {
    { "/roundtrip/ascii", test_ascii },
    { "/roundtrip/chinese", test_chinese },
    { "/roundtrip/html-inline", test_html_inline },
    { "/roundtrip/three-attachments", test_three_attachments },
    { "/roundtrip/attachment-bytes", test_attachment_bytes },
    { "/roundtrip/smtputf8", test_smtputf8 },
    { "/roundtrip/idn", test_idn },
    { "/roundtrip/large-attachment", test_large_attachment },
    { "/roundtrip/ten-recipients-implicit-tls", test_ten_recipients },
    { "/roundtrip/auth-mechanisms", test_auth_mechanisms },
    { "/roundtrip/xoauth2", test_xoauth2 },
    { "/roundtrip/wrong-password", test_wrong_password },
    { "/roundtrip/unknown-recipient", test_unknown_recipient },
    { "/roundtrip/size-limit", test_size_limit },
    { "/roundtrip/untrusted-certificate", test_untrusted_certificate },
    { "/roundtrip/sender-progress", test_sender_progress },
    { "/roundtrip/inline-name-injection", test_inline_name_injection },
    { "/roundtrip/cancel-large-send", test_cancel_large_send },
  };
  g_autoptr(GError) error = NULL;
  World world = { 0 };
  int status;

  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  world.stack = ep_test_stack_start ();
  if (world.stack == NULL)
    {
      if (!ep_test_may_skip ())
        {
          g_printerr ("# Postfix and Dovecot could not start (EPISTLE_ALLOW_SKIP=1 skips instead)\n");
          return 1;
        }
      g_test_skip ("Postfix and Dovecot could not start (run as root with the README's packages)");
    }
  world.dir = g_dir_make_tmp ("test-roundtrip-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (world.stack != NULL)
        g_test_add_data_func (cases[i].path, &world, cases[i].func);
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
    g_rmdir (world.dir);
    g_free (world.dir);
  }
  return status;
}
