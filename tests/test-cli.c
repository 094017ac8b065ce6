/* test-cli.c — `epistle send` input checks and exit codes, no server needed
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ep-address.h"
#include "ep-cli.h"
#include "ep-cli-exit.h"
#include "ep-smtp.h"
#include "ep-smtp-reply.h"
#include "ep-tls.h"
#include "ep-transport.h"
#include "ep-locale.h"
#include "ep-test-utils.h"

typedef struct
{
  const char *args[12];
  int status;
  const char *says;
} Case;

/* None of these may reach the network: the server named does not exist. */
static const Case cases[] = {
  { { "send", "--server", "nowhere.invalid", "--from", "a@example.com", NULL }, EP_EXIT_USAGE, "--to" },
  { { "send", "--server", "nowhere.invalid", "--to", "b@example.com", NULL }, EP_EXIT_USAGE, "--from" },
  { { "send", "--from", "a@example.com", "--to", "b@example.com", NULL }, EP_EXIT_USAGE, "--server" },
  { { "send", "--bogus", NULL }, EP_EXIT_USAGE, "bogus" },
  { { "send", "--server", "nowhere.invalid", "--security", "ssl", "--from", "a@example.com", "--to", "b@example.com", NULL }, EP_EXIT_USAGE, "--security" },
  { { "send", "--server", "nowhere.invalid:99999", "--from", "a@example.com", "--to", "b@example.com", NULL }, EP_EXIT_USAGE, "99999" },
  { { "send", "--server", "nowhere.invalid", "--from", "a@example.com", "--to", "bob@qq", NULL }, EP_EXIT_DATAERR, "“bob@qq” has no top-level domain" },
  { { "send", "--server", "nowhere.invalid", "--from", "a@example.com", "--to", "ok@example.com; a b@x.cn", NULL }, EP_EXIT_DATAERR, "contains a space" },
  { { "send", "--server", "nowhere.invalid", "--from", "a@example.com", "--to", "b@example.com", "--attach", "/nonexistent/file.pdf", NULL }, EP_EXIT_DATAERR, "/nonexistent/file.pdf" },
  { { "send", "--server", "nowhere.invalid", "--from", "a@example.com", "--to", "b@example.com", "--subject", "a\nBcc: x@y.com", NULL }, EP_EXIT_DATAERR, "line break" },
  { { "send", "--server", "nowhere.invalid", "--from", "a@example.com", "--to", "b@example.com", "--body-file", "/nonexistent/body.txt", NULL }, EP_EXIT_DATAERR, "body.txt" },
  { { "frobnicate", NULL }, EP_EXIT_USAGE, "frobnicate" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = ep_test_run_cli (c->args, NULL, NULL, &out, &err);

  g_assert_cmpint (status, ==, c->status);
  g_assert_nonnull (strstr (err, c->says));
}

static void
test_unknown_host (void)
{
  const char *args[] = { "send", "--server", "no-such-host.invalid", "--from", "a@example.com",
                         "--to", "b@example.com", "--timeout", "10", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, &err), ==, EP_EXIT_NOHOST);
  g_assert_nonnull (strstr (err, "no-such-host.invalid"));
}

static void
test_output (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_autofree char *eml = g_build_filename (dir, "out.eml", NULL);
  g_autofree char *html = ep_test_write_file (dir, "b.html", "<p><img src=\"cid:dot.png\"></p>", 30);
  g_autofree char *png = ep_test_write_file (dir, "dot.png", "\x89PNG\r\n\x1a\n\0\0", 10);
  const char *args[] = { "send", "--from", "a@example.com", "--from-name", "发件人", "--to", "b@example.com",
                         "--bcc", "secret@example.com", "--subject", "主题", "--html-file", html,
                         "--inline", png, "--output", eml, NULL };
  g_autofree char *raw = NULL;
  gsize len;
  g_autoptr(GMimeMessage) mime = NULL;
  GMimeObject *image;

  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, NULL), ==, EP_EXIT_OK);
  g_assert_true (g_file_get_contents (eml, &raw, &len, NULL));
  g_assert_null (strstr (raw, "secret@"));
  mime = ep_test_parse_message (raw, len);
  g_assert_cmpstr (g_mime_message_get_subject (mime), ==, "主题");
  image = ep_test_find_part (g_mime_message_get_mime_part (mime), "image/png", 0);
  g_assert_nonnull (image);
  g_assert_nonnull (g_mime_object_get_content_id (image));

  g_remove (eml);
  g_remove (html);
  g_remove (png);
  g_rmdir (dir);
}

/* A full disk is the output's fault (EX_IOERR), not an unreadable attachment's. */
static void
test_output_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_autofree char *big = g_strnfill (300000, 'z');
  g_autofree char *attachment = ep_test_write_file (dir, "big.txt", big, 300000);
  const char *args[] = { "send", "--from", "a@example.com", "--to", "b@example.com", "--body", "x",
                         "--attach", attachment, "--output", "/dev/full", NULL };
  const char *small[] = { "send", "--from", "a@example.com", "--to", "b@example.com", "--body", "x",
                          "--output", "/dev/full", NULL };
  g_autofree char *err = NULL;
  g_autofree char *small_err = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, &err), ==, EP_EXIT_IOERR);
  g_assert_nonnull (strstr (err, "Could not write the message to “/dev/full”: No space left on device"));
  g_assert_null (strstr (err, "attachment"));
  /* A message small enough to sit in stdio's buffer fails only when it is flushed. */
  g_assert_cmpint (ep_test_run_cli (small, NULL, NULL, NULL, &small_err), ==, EP_EXIT_IOERR);
  g_assert_nonnull (strstr (small_err, "No space left on device"));
  g_remove (attachment);
  g_rmdir (dir);
}

static void
test_output_uncreatable (void)
{
  const char *args[] = { "send", "--from", "a@example.com", "--to", "b@example.com", "--body", "x",
                         "--output", "/nonexistent-dir/out.eml", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, &err), ==, EP_EXIT_CANTCREAT);
  g_assert_nonnull (strstr (err, "Could not create “/nonexistent-dir/out.eml”"));
}

static void
test_help_plaintext (void)
{
  const char *args[] = { "send", "--help", NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, &out, NULL), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "--allow-plaintext-auth"));
  g_assert_nonnull (strstr (out, "73 or 74 --output could not be created or written"));
}

static void
test_inline_unreferenced (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_autofree char *html = ep_test_write_file (dir, "b.html", "<p>no image</p>", 15);
  g_autofree char *png = ep_test_write_file (dir, "dot.png", "x", 1);
  const char *args[] = { "send", "--server", "nowhere.invalid", "--from", "a@example.com",
                         "--to", "b@example.com", "--html-file", html, "--inline", png, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, NULL, &err), ==, EP_EXIT_DATAERR);
  g_assert_nonnull (strstr (err, "cid:dot.png"));
  g_remove (html);
  g_remove (png);
  g_rmdir (dir);
}

static void
test_parse_server (void)
{
  static const struct { const char *text; EpSecurity security; const char *host; guint16 port; } good[] = {
    { "smtp.qq.com", EP_SECURITY_TLS, "smtp.qq.com", 465 },
    { "smtp.163.com", EP_SECURITY_STARTTLS, "smtp.163.com", 587 },
    { "mail.example.org", EP_SECURITY_NONE, "mail.example.org", 25 },
    { "127.0.0.1:2525", EP_SECURITY_STARTTLS, "127.0.0.1", 2525 },
    { "[::1]:465", EP_SECURITY_TLS, "::1", 465 },
    { "[::1]", EP_SECURITY_STARTTLS, "::1", 587 },
    { "::1", EP_SECURITY_STARTTLS, "::1", 587 },
  };
  static const char * const bad[] = { "", ":25", "host:", "host:0", "host:70000", "host:x", "[::1", "[::1]x" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 0;

      g_assert_true (ep_cli_parse_server (good[i].text, good[i].security, &host, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, good[i].host);
      g_assert_cmpuint (port, ==, good[i].port);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 0;

      g_assert_false (ep_cli_parse_server (bad[i], EP_SECURITY_STARTTLS, &host, &port, &error));
      g_assert_error (error, EP_CLI_ERROR, EP_CLI_ERROR_USAGE);
      g_assert_null (host);
    }
}

static void
test_exit_table (void)
{
  static const struct { GQuark (*domain) (void); int code; int status; } rows[] = {
    { ep_address_error_quark, EP_ADDRESS_ERROR_NO_TLD, EP_EXIT_DATAERR },
    { g_file_error_quark, G_FILE_ERROR_NOENT, EP_EXIT_DATAERR },
    { g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND, EP_EXIT_NOHOST },
    { g_resolver_error_quark, G_RESOLVER_ERROR_TEMPORARY_FAILURE, EP_EXIT_TEMPFAIL },
    { ep_smtp_error_quark, EP_SMTP_ERROR_RECIPIENTS, EP_EXIT_UNAVAILABLE },
    { ep_smtp_error_quark, EP_SMTP_ERROR_TOO_BIG, EP_EXIT_UNAVAILABLE },
    { ep_smtp_error_quark, EP_SMTP_ERROR_TEMPORARY, EP_EXIT_TEMPFAIL },
    { ep_smtp_error_quark, EP_SMTP_ERROR_PROTOCOL, EP_EXIT_PROTOCOL },
    { ep_smtp_reply_error_quark, EP_SMTP_REPLY_ERROR_MALFORMED, EP_EXIT_PROTOCOL },
    { ep_smtp_reply_error_quark, EP_SMTP_REPLY_ERROR_TOO_LONG, EP_EXIT_PROTOCOL },
    { ep_address_error_quark, EP_ADDRESS_ERROR_ENCODING, EP_EXIT_DATAERR },
    { ep_transport_error_quark, EP_TRANSPORT_ERROR_LINE_TOO_LONG, EP_EXIT_PROTOCOL },
    { ep_smtp_error_quark, EP_SMTP_ERROR_AUTH, EP_EXIT_NOPERM },
    { ep_smtp_error_quark, EP_SMTP_ERROR_INSECURE, EP_EXIT_CONFIG },
    { ep_tls_error_quark, EP_TLS_ERROR_UNTRUSTED, EP_EXIT_CONFIG },
    { g_io_error_quark, G_IO_ERROR_TIMED_OUT, EP_EXIT_TEMPFAIL },
    { g_io_error_quark, G_IO_ERROR_CANCELLED, EP_EXIT_TEMPFAIL },
    { ep_transport_error_quark, EP_TRANSPORT_ERROR_CLOSED, EP_EXIT_TEMPFAIL },
    { g_key_file_error_quark, G_KEY_FILE_ERROR_PARSE, EP_EXIT_SOFTWARE },
    { ep_cli_error_quark, EP_CLI_ERROR_CREATE, EP_EXIT_CANTCREAT },
    { ep_cli_error_quark, EP_CLI_ERROR_OUTPUT, EP_EXIT_IOERR },
    { ep_sasl_error_quark, EP_SASL_ERROR_UNPROVEN, EP_EXIT_NOPERM },
  };

  g_assert_cmpint (ep_cli_exit_from_error (NULL), ==, EP_EXIT_OK);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (rows[i].domain (), rows[i].code, "x");
      g_assert_cmpint (ep_cli_exit_from_error (error), ==, rows[i].status);
    }
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/input/%u", i);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/cli/parse-server", test_parse_server);
  g_test_add_func ("/cli/exit-table", test_exit_table);
  g_test_add_func ("/cli/unknown-host", test_unknown_host);
  g_test_add_func ("/cli/output", test_output);
  g_test_add_func ("/cli/output-unwritable", test_output_unwritable);
  g_test_add_func ("/cli/output-uncreatable", test_output_uncreatable);
  g_test_add_func ("/cli/help-plaintext", test_help_plaintext);
  g_test_add_func ("/cli/inline-unreferenced", test_inline_unreferenced);
  return g_test_run ();
}
