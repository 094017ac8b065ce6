/* test-smtp-reply.c — SMTP reply parsing, enhanced codes, EHLO keywords, server text
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-server-text.h"
#include "ep-smtp-hint.h"
#include "ep-smtp-reply.h"

static EpSmtpReply *
parse (const char * const *lines)
{
  EpSmtpReply *reply = ep_smtp_reply_new ();
  gboolean complete = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (complete);
      g_assert_true (ep_smtp_reply_add_line (reply, lines[i], &complete, &error));
      g_assert_no_error (error);
    }
  g_assert_true (complete);
  return reply;
}

static void
test_single (void)
{
  const char *lines[] = { "550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown", NULL };
  g_autoptr(EpSmtpReply) reply = parse (lines);
  g_autofree char *text = ep_smtp_reply_to_string (reply);

  g_assert_cmpuint (ep_smtp_reply_get_code (reply), ==, 550);
  g_assert_cmpstr (ep_smtp_reply_get_enhanced (reply), ==, "5.1.1");
  g_assert_cmpstr (ep_smtp_reply_get_line (reply, 0), ==, "<nobody@example.test>: Recipient address rejected: User unknown");
  g_assert_cmpstr (text, ==, "550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown");
  g_assert_false (ep_smtp_reply_is_positive (reply));
  g_assert_false (ep_smtp_reply_is_transient (reply));
}

static void
test_multiline_ehlo (void)
{
  const char *lines[] = { "250-mail.example.test", "250-PIPELINING", "250-SIZE 10240000",
                          "250-AUTH PLAIN LOGIN", "250-AUTH=XOAUTH2", "250-8BITMIME", "250 CHUNKING", NULL };
  g_autoptr(EpSmtpReply) reply = parse (lines);
  g_autoptr(GHashTable) ext = ep_smtp_reply_parse_ehlo (reply);

  g_assert_cmpuint (ep_smtp_reply_get_n_lines (reply), ==, 7);
  g_assert_cmpstr (g_hash_table_lookup (ext, "SIZE"), ==, "10240000");
  g_assert_cmpstr (g_hash_table_lookup (ext, "AUTH"), ==, "PLAIN LOGIN XOAUTH2");
  g_assert_cmpstr (g_hash_table_lookup (ext, "PIPELINING"), ==, "");
  g_assert_true (g_hash_table_contains (ext, "CHUNKING"));
  g_assert_false (g_hash_table_contains (ext, "STARTTLS"));
}

static void
test_no_enhanced (void)
{
  const char *lines[] = { "220 smtp.qq.com Esmtp QQ Mail Server", NULL };
  const char *mismatch[] = { "451 5.1.1 class does not match", NULL };
  const char *bare[] = { "354", NULL };
  g_autoptr(EpSmtpReply) reply = parse (lines);
  g_autoptr(EpSmtpReply) other = parse (mismatch);
  g_autoptr(EpSmtpReply) empty = parse (bare);

  g_assert_null (ep_smtp_reply_get_enhanced (reply));
  g_assert_null (ep_smtp_reply_get_enhanced (other));
  g_assert_true (ep_smtp_reply_is_transient (other));
  g_assert_cmpuint (ep_smtp_reply_get_code (empty), ==, 354);
}

static void
test_malformed (void)
{
  const char *bad[] = { "", "25", "abc hello", "250x", "650 nope", "2500 long" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EpSmtpReply) reply = ep_smtp_reply_new ();
      g_autoptr(GError) error = NULL;
      gboolean complete;

      g_assert_false (ep_smtp_reply_add_line (reply, bad[i], &complete, &error));
      g_assert_error (error, EP_SMTP_REPLY_ERROR, EP_SMTP_REPLY_ERROR_MALFORMED);
    }

  {
    g_autoptr(EpSmtpReply) reply = ep_smtp_reply_new ();
    g_autoptr(GError) error = NULL;
    gboolean complete;

    g_assert_true (ep_smtp_reply_add_line (reply, "250-first", &complete, &error));
    g_assert_false (complete);
    g_assert_false (ep_smtp_reply_add_line (reply, "550 different code", &complete, &error));
    g_assert_error (error, EP_SMTP_REPLY_ERROR, EP_SMTP_REPLY_ERROR_MALFORMED);
  }
}

static void
test_gbk_text (void)
{
  /* “535 Error: 登录失败” as QQ Mail sends it, in GBK. */
  const char gbk[] = "535 Error: \xb5\xc7\xc2\xbc\xca\xa7\xb0\xdc";
  const char *lines[] = { gbk, NULL };
  g_autoptr(EpSmtpReply) reply = parse (lines);
  g_autofree char *utf8 = ep_server_text_to_utf8 ("\xff\xfe\xfd", 3);

  g_assert_cmpstr (ep_smtp_reply_get_line (reply, 0), ==, "Error: 登录失败");
  g_assert_true (g_utf8_validate (utf8, -1, NULL));
}

/* A reply may hold 1000 lines; the next one fails and says so. */
static void
test_line_limit (void)
{
  g_autoptr(EpSmtpReply) reply = ep_smtp_reply_new ();
  g_autoptr(EpSmtpReply) full = ep_smtp_reply_new ();
  g_autoptr(GError) error = NULL;
  gboolean complete = FALSE;

  for (guint i = 0; i < 999; i++)
    {
      g_assert_true (ep_smtp_reply_add_line (full, "250-more", &complete, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ep_smtp_reply_add_line (full, "250 last", &complete, &error));
  g_assert_true (complete);
  g_assert_cmpuint (ep_smtp_reply_get_n_lines (full), ==, 1000);

  for (guint i = 0; i < 1000; i++)
    g_assert_true (ep_smtp_reply_add_line (reply, "250-more", &complete, &error));
  g_assert_false (ep_smtp_reply_add_line (reply, "250-more", &complete, &error));
  g_assert_error (error, EP_SMTP_REPLY_ERROR, EP_SMTP_REPLY_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "1000 lines"));
  g_assert_cmpuint (ep_smtp_reply_get_n_lines (reply), ==, 1000);
}

/* 64 KiB of reply at most, however few the lines. */
static void
test_size_limit (void)
{
  g_autoptr(EpSmtpReply) reply = ep_smtp_reply_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (4000, 'x');
  g_autofree char *line = g_strconcat ("250-", text, NULL);
  gboolean complete = FALSE;
  guint added = 0;

  while (ep_smtp_reply_add_line (reply, line, &complete, &error))
    {
      added++;
      g_assert_cmpuint (added, <, 100);
    }
  /* 16 lines of 4006 bytes (CR LF counted) fit in 65536; the 17th does not. */
  g_assert_cmpuint (added, ==, 16);
  g_assert_error (error, EP_SMTP_REPLY_ERROR, EP_SMTP_REPLY_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "64 KiB"));
}

/* C0 and C1 controls, except tab, become visible escapes; nothing else changes. */
static void
test_escape_controls (void)
{
  static const struct { const char *in; const char *out; } rows[] = {
    { "plain text, 中文, tab\there", "plain text, 中文, tab\there" },
    { "\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07" },
    { "\x1b[2Jgone", "\\x1b[2Jgone" },
    { "ok\b\b\bno", "ok\\x08\\x08\\x08no" },
    { "cr\rlf\nnul-free \x7f", "cr\\x0dlf\\x0anul-free \\x7f" },
    { "c1 \xc2\x9b" "2J and \xc2\x85 next", "c1 \\u009b2J and \\u0085 next" },
    { "not c1: \xc2\xa0\xc2\xbf", "not c1: \xc2\xa0\xc2\xbf" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *escaped = ep_server_text_escape (rows[i].in);
      g_autofree char *again = ep_server_text_escape (escaped);

      g_assert_cmpstr (escaped, ==, rows[i].out);
      g_assert_cmpstr (again, ==, escaped);
    }
}

/* Whatever the bytes, what is shown is UTF-8 without a control character. */
static void
test_display (void)
{
  const char *lines[] = { "554-5.7.1 \x1b]0;owned\x07\x1b[2J", "554 5.7.1 \xb5\xc7\xc2\xbc\x1b[1A", NULL };
  g_autoptr(EpSmtpReply) reply = parse (lines);
  g_autofree char *text = ep_smtp_reply_to_string (reply);
  g_autofree char *shown = ep_server_text_to_display ("\xff\x1b[2J\x9b", 6);

  g_assert_cmpstr (text, ==, "554 5.7.1 \\x1b]0;owned\\x07\\x1b[2J 登录\\x1b[1A");
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_assert_null (strchr (shown, '\x1b'));
  g_assert_nonnull (strstr (shown, "\\x1b[2J"));
}

static void
test_hints (void)
{
  const char *auth[] = { "535 Error: authentication failed", NULL };
  const char *spam[] = { "554 DT:SPM 163 smtp10,DsCowAD3", NULL };
  g_autoptr(EpSmtpReply) auth_reply = parse (auth);
  g_autoptr(EpSmtpReply) spam_reply = parse (spam);
  g_autofree char *qq = ep_smtp_hint_auth_failure ("smtp.qq.com", "12345@qq.com", auth_reply);
  g_autofree char *netease = ep_smtp_hint_auth_failure ("smtp.126.com", "x@126.com", auth_reply);
  g_autofree char *other = ep_smtp_hint_auth_failure ("mail.example.org", "x@example.org", auth_reply);
  g_autofree char *spam_text = ep_smtp_hint_rejection ("smtp.163.com", spam_reply);

  g_assert_nonnull (strstr (qq, "authorization code"));
  g_assert_nonnull (strstr (qq, "535 Error: authentication failed"));
  g_assert_nonnull (strstr (netease, "authorization code"));
  g_assert_null (strstr (other, "QQ"));
  g_assert_nonnull (strstr (spam_text, "spam"));
  g_assert_nonnull (strstr (spam_text, "DT:SPM"));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/smtp-reply/single", test_single);
  g_test_add_func ("/smtp-reply/multiline-ehlo", test_multiline_ehlo);
  g_test_add_func ("/smtp-reply/no-enhanced", test_no_enhanced);
  g_test_add_func ("/smtp-reply/malformed", test_malformed);
  g_test_add_func ("/smtp-reply/gbk-text", test_gbk_text);
  g_test_add_func ("/smtp-reply/hints", test_hints);
  g_test_add_func ("/smtp-reply/line-limit", test_line_limit);
  g_test_add_func ("/smtp-reply/size-limit", test_size_limit);
  g_test_add_func ("/server-text/escape-controls", test_escape_controls);
  g_test_add_func ("/server-text/display", test_display);
  return g_test_run ();
}
