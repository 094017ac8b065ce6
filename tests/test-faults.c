/* test-faults.c — misbehaving servers: drops, 4xx, stalls, no STARTTLS, garbage
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No real server misbehaves on demand, so a small scripted one runs in a
 * thread on 127.0.0.1 and `epistle send` is run against it. Each case must
 * end with the right exit status and a clear sentence, never a crash or hang.
 */
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ep-cli-exit.h"
#include "ep-locale.h"
#include "ep-sasl.h"
#include "ep-test-utils.h"

typedef enum {
  SEND,          /* write text, lines separated by \n */
  EXPECT,        /* read one line, which must start with text */
  READ_DATA,     /* read up to the lone “.”, keeping the raw lines */
  READ_SOME,     /* read some of the message, then close */
  STALL,         /* read nothing and answer nothing until the client leaves */
  CLOSE,
  END,
} StepKind;

typedef struct
{
  StepKind kind;
  const char *text;
} Step;

typedef struct
{
  const Step *steps;
  GSocketListener *listener;
  guint16 port;
  GThread *thread;
  GString *received;   /* every command line */
  GString *data;       /* the DATA section as sent, dot-stuffing and all */
  char *failure;
} Script;

#define EHLO_PLAIN "250-fake.example.test\n250-PIPELINING\n250-8BITMIME\n250 ENHANCEDSTATUSCODES"

/* Sends every line of @text in one write, as a server would send a pipelined burst. */
static gboolean
write_text (GOutputStream *out,
            const char    *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *joined = g_strjoinv ("\r\n", lines);
  g_autofree char *burst = g_strconcat (joined, "\r\n", NULL);

  return g_output_stream_write_all (out, burst, strlen (burst), NULL, NULL, NULL);
}

static gpointer
script_thread (gpointer user_data)
{
  Script *s = user_data;
  g_autoptr(GSocketConnection) conn = g_socket_listener_accept (s->listener, NULL, NULL, NULL);
  g_autoptr(GDataInputStream) in = NULL;
  GOutputStream *out;

  if (conn == NULL)
    return NULL;
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 30);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  for (const Step *step = s->steps; step->kind != END && s->failure == NULL; step++)
    {
      g_autofree char *line = NULL;
      char buffer[4096];

      switch (step->kind)
        {
        case SEND:
          write_text (out, step->text);
          break;
        case EXPECT:
          line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
          if (line != NULL)
            g_string_append_printf (s->received, "%s\n", line);
          if (line == NULL || !g_str_has_prefix (line, step->text))
            s->failure = g_strdup_printf ("expected “%s”, got “%s”", step->text, line ? line : "(closed)");
          break;
        case READ_DATA:
          while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL &&
                 !g_str_equal (line, "."))
            {
              g_string_append_printf (s->data, "%s\r\n", line);
              g_clear_pointer (&line, g_free);
            }
          break;
        case READ_SOME:
          g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, NULL, NULL);
          /* fall through */
        case CLOSE:
          g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
          return NULL;
        case STALL:
          while (g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, NULL, NULL) > 0)
            ;
          break;
        case END:
        default:
          g_assert_not_reached ();
        }
    }
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return NULL;
}

static Script *
script_start_on (const Step     *steps,
                 GSocketFamily   family)
{
  Script *s = g_new0 (Script, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (family);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  s->steps = steps;
  s->received = g_string_new (NULL);
  s->data = g_string_new (NULL);
  s->listener = g_socket_listener_new ();
  g_socket_listener_add_address (s->listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  s->thread = g_thread_new ("script", script_thread, s);
  return s;
}

static Script *
script_start (const Step *steps)
{
  return script_start_on (steps, G_SOCKET_FAMILY_IPV4);
}

static void
script_finish (Script *s)
{
  g_thread_join (s->thread);
  g_socket_listener_close (s->listener);
  g_object_unref (s->listener);
  if (s->failure != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (s->received->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        g_test_message ("server saw: %s", lines[i]);
    }
  g_assert_null (s->failure);
  g_string_free (s->received, TRUE);
  g_string_free (s->data, TRUE);
  g_free (s);
}

/* Runs `epistle send` against the script with --security none unless @security is given. */
static int
send_to (Script      *s,
         const char  *security,
         const char  *extra[],
         const char  *password,
         char       **out,
         char       **err)
{
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", s->port);
  const char *base[] = { "send", "--server", server, "--security", security ? security : "none",
                         "--from", "me@example.test", "--to", "you@example.test",
                         "--subject", "fault test", "--body", "hello", "--timeout", "20", NULL };

  return ep_test_run_cli (base, extra, password, out, err);
}

static void
test_greeting_421 (void)
{
  static const Step steps[] = { { SEND, "421 4.3.2 Service shutting down, try later" }, { CLOSE }, { END } };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "421 4.3.2 Service shutting down"));
  script_finish (s);
}

static void
test_drop_mid_data (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { EXPECT, "RCPT TO:<you@example.test>" },
    { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" }, { EXPECT, "DATA" }, { SEND, "354 go ahead" },
    { READ_SOME }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("faults-XXXXXX", &error);
  g_autofree char *big = NULL;
  g_autofree char *blob = g_malloc0 (4 * 1024 * 1024);
  g_autofree char *err = NULL;
  const char *extra[] = { "--attach", NULL, NULL };

  big = ep_test_write_file (dir, "big.bin", blob, 4 * 1024 * 1024);
  extra[1] = big;
  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "127.0.0.1"));
  script_finish (s);
  g_remove (big);
  g_rmdir (dir);
}

static void
test_data_451 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" }, { SEND, "250 2.1.0 Ok\n250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "451 4.3.0 Error: queue file write error" }, { EXPECT, "RSET" }, { SEND, "250 Ok" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "451 4.3.0"));
  g_assert_nonnull (strstr (err, "Try again later"));
  script_finish (s);
}

static void
test_rcpt_452 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_PLAIN },
    { EXPECT, "MAIL FROM" }, { EXPECT, "RCPT TO" },
    { SEND, "250 2.1.0 Ok\n452 4.5.3 Error: too many recipients" },
    { EXPECT, "RSET" }, { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, &out, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (out, "rejected you@example.test: 452 4.5.3"));
  script_finish (s);
}

static void
test_stall_times_out (void)
{
  static const Step steps[] = { { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { STALL }, { END } };
  Script *s = script_start (steps);
  const char *extra[] = { "--timeout", "2", NULL };
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_TEMPFAIL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (err, "did not answer within 2 seconds"));
  script_finish (s);
}

static void
test_no_starttls (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" },
    { SEND, "250-fake.example.test\n250-AUTH PLAIN LOGIN\n250 8BITMIME" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--user", "me@example.test", NULL };
  g_autofree char *err = NULL;
  g_assert_cmpint (send_to (s, "starttls", extra, "never-sent", NULL, &err), ==, EP_EXIT_CONFIG);
  g_assert_nonnull (strstr (err, "STARTTLS"));
  g_assert_nonnull (strstr (err, "clear text"));
  g_assert_null (strstr (s->received->str, "AUTH"));
  script_finish (s);
}

static void
test_starttls_injection (void)
{
  /* CVE-2011-0411: a command smuggled in clear text behind the go-ahead must not survive. */
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 STARTTLS" },
    { EXPECT, "STARTTLS" }, { SEND, "220 2.0.0 Ready\n250 injected" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, "starttls", NULL, NULL, NULL, &err), ==, EP_EXIT_CONFIG);
  g_assert_nonnull (strstr (err, "before the encrypted connection began"));
  script_finish (s);
}

static void
test_malformed_reply (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "hello, I am not SMTP" }, { CLOSE }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, NULL, &err), ==, EP_EXIT_PROTOCOL);
  g_assert_nonnull (strstr (err, "malformed"));
  script_finish (s);
}

static void
test_size_limit (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" },
    { SEND, "250-fake.example.test\n250-SIZE 1000\n250 PIPELINING" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *body = g_strnfill (5000, 'y');
  const char *extra[] = { "--body", body, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, extra, NULL, NULL, &err), ==, EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (err, "(1000 bytes)"));
  g_assert_null (strstr (s->received->str, "MAIL"));
  script_finish (s);
}

static void
test_data_dot_stuffing (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 SIZE 100000" },
    { EXPECT, "MAIL FROM:<me@example.test> SIZE=" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<other@example.test>" }, { SEND, "550 5.1.1 <other@example.test>: User unknown" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 2.0.0 Ok: queued as F00D" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("faults-XXXXXX", &error);
  const char text[] = "first\n.\n..\n.hidden\nlast";
  g_autofree char *file = ep_test_write_file (dir, "body.txt", text, strlen (text));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *unstuffed = NULL;
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *body = NULL;

  {
    g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", s->port);
    const char *args[] = { "send", "--server", server, "--security", "none", "--from", "me@example.test",
                           "--to", "you@example.test", "--cc", "other@example.test", "--partial",
                           "--body-file", file, "--subject", "dots", NULL };
    g_assert_cmpint (ep_test_run_cli (args, NULL, NULL, &out, &err), ==, EP_EXIT_OK);
  }
  g_assert_nonnull (strstr (out, "accepted you@example.test\n"));
  g_assert_nonnull (strstr (out, "rejected other@example.test: 550 5.1.1"));
  g_assert_nonnull (strstr (out, "server: 250 2.0.0 Ok: queued as F00D"));

  /* On the wire each line starting with “.” has one more. */
  g_assert_nonnull (strstr (s->data->str, "\r\nfirst\r\n..\r\n...\r\n..hidden\r\nlast"));
  regex = g_regex_new ("^\\.", G_REGEX_MULTILINE, 0, NULL);
  unstuffed = g_regex_replace_literal (regex, s->data->str, -1, 0, "", 0, NULL);
  mime = ep_test_parse_message (unstuffed, strlen (unstuffed));
  body = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_message_get_mime_part (mime)));
  /* SMTP ends every message with CRLF, so the last line gains one. */
  g_assert_cmpstr (body, ==, "first\r\n.\r\n..\r\n.hidden\r\nlast\r\n");
  script_finish (s);
  g_remove (file);
  g_rmdir (dir);
}

static void
test_helo_fallback (void)
{
  static const Step steps[] = {
    { SEND, "220 old.example.test SMTP ready" }, { EXPECT, "EHLO" },
    { SEND, "502 5.5.2 Command not recognized" }, { EXPECT, "HELO" }, { SEND, "250 old.example.test" },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok: queued" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (send_to (s, NULL, NULL, NULL, &out, &err), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "server: 250 Ok: queued"));
  g_assert_nonnull (strstr (s->data->str, "Subject: fault test\r\n"));
  script_finish (s);
}

static int
send_args (Script      *s,
           const char  *host,
           const char  *extra[],
           const char  *password,
           char       **out,
           char       **err)
{
  g_autofree char *srv = g_strdup_printf ("%s:%u", host, s->port);
  const char *base[] = { "send", "--server", srv, "--security", "none", "--subject", "t",
                         "--body", "b", "--timeout", "20", NULL };

  return ep_test_run_cli (base, extra, password, out, err);
}

static void
test_smtputf8 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250-SMTPUTF8\n250 8BITMIME" },
    { EXPECT, "MAIL FROM:<me@example.test> SMTPUTF8 BODY=8BITMIME" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<用户@例子.中国>" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@example.test", "--to", "用户@例子.中国", NULL };

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, NULL, NULL, NULL), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (s->data->str, "用户@"));
  script_finish (s);
}

static void
test_smtputf8_missing (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 8BITMIME" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@example.test", "--to", "用户@例子.中国", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, NULL, NULL, &err), ==, EP_EXIT_UNAVAILABLE);
  g_assert_nonnull (strstr (err, "“用户@例子.中国”"));
  g_assert_nonnull (strstr (err, "SMTPUTF8"));
  g_assert_null (strstr (s->received->str, "MAIL"));
  script_finish (s);
}

static void
test_idn_recipient (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250 fake" },
    { EXPECT, "MAIL FROM:<me@xn--bcher-kva.de>" }, { SEND, "250 Ok" },
    { EXPECT, "RCPT TO:<user@xn--fsqu00a.xn--fiqs8s>" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@bücher.de", "--to", "user@例子.中国", NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, NULL, &out, NULL), ==, EP_EXIT_OK);
  g_assert_nonnull (strstr (out, "accepted user@例子.中国"));
  g_assert_nonnull (strstr (s->data->str, "user@xn--fsqu00a.xn--fiqs8s"));
  script_finish (s);
}

static void
test_xoauth2 (void)
{
  g_autofree char *payload = ep_sasl_xoauth2 ("me@example.test", "ya29.token");
  g_autofree char *auth = g_strdup_printf ("AUTH XOAUTH2 %s", payload);
  const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 AUTH PLAIN XOAUTH2" },
    { EXPECT, auth }, { SEND, "235 2.7.0 Accepted" },
    { EXPECT, "MAIL FROM" }, { SEND, "250 Ok" }, { EXPECT, "RCPT TO" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@example.test", "--to", "you@example.test",
                          "--user", "me@example.test", "--auth", "xoauth2", NULL };

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, "ya29.token", NULL, NULL), ==, EP_EXIT_OK);
  script_finish (s);
}

static void
test_xoauth2_refused (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 AUTH XOAUTH2" },
    { EXPECT, "AUTH XOAUTH2 " },
    { SEND, "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==" },
    { EXPECT, "" }, { SEND, "535 5.7.8 Username and Password not accepted" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  const char *extra[] = { "--from", "me@gmail.com", "--to", "you@example.test",
                          "--user", "me@gmail.com", "--auth", "xoauth2", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (send_args (s, "127.0.0.1", extra, "expired-token", NULL, &err), ==, EP_EXIT_NOPERM);
  g_assert_nonnull (strstr (err, "535 5.7.8"));
  g_assert_nonnull (strstr (err, "OAuth2 access token"));
  script_finish (s);
}

static void
test_ipv6 (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250 fake" },
    { EXPECT, "MAIL FROM" }, { SEND, "250 Ok" }, { EXPECT, "RCPT TO" }, { SEND, "250 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA },
    { SEND, "250 Ok" }, { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) any = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  const char *extra[] = { "--from", "me@example.test", "--to", "you@example.test", NULL };
  Script *s;

  if (probe == NULL || !g_socket_bind (probe, address, FALSE, NULL))
    {
      g_test_skip ("this machine has no IPv6 loopback");
      return;
    }
  s = script_start_on (steps, G_SOCKET_FAMILY_IPV6);
  g_assert_cmpint (send_args (s, "[::1]", extra, NULL, NULL, NULL), ==, EP_EXIT_OK);
  script_finish (s);
}

static void
test_cancel_by_signal (void)
{
  static const Step steps[] = { { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { STALL }, { END } };
  Script *s = script_start (steps);
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", s->port);
  const char *argv[] = { g_getenv ("EPISTLE_BIN"), "send", "--server", server, "--security", "none",
                         "--from", "me@example.test", "--to", "you@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_autofree char *err = NULL;
  gint64 start;

  g_assert_no_error (error);
  /* Wait until the client is stuck waiting for the EHLO reply. */
  while (strstr (s->received->str, "EHLO") == NULL)
    g_usleep (10000);
  g_usleep (200000);
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, EP_EXIT_TEMPFAIL);
  g_assert_nonnull (strstr (err, "cancelled"));
  script_finish (s);
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/faults/greeting-421", test_greeting_421);
  g_test_add_func ("/faults/drop-mid-data", test_drop_mid_data);
  g_test_add_func ("/faults/data-451", test_data_451);
  g_test_add_func ("/faults/rcpt-452", test_rcpt_452);
  g_test_add_func ("/faults/stall-times-out", test_stall_times_out);
  g_test_add_func ("/faults/no-starttls", test_no_starttls);
  g_test_add_func ("/faults/starttls-injection", test_starttls_injection);
  g_test_add_func ("/faults/malformed-reply", test_malformed_reply);
  g_test_add_func ("/faults/size-limit", test_size_limit);
  g_test_add_func ("/faults/data-dot-stuffing", test_data_dot_stuffing);
  g_test_add_func ("/faults/helo-fallback", test_helo_fallback);
  g_test_add_func ("/faults/smtputf8", test_smtputf8);
  g_test_add_func ("/faults/smtputf8-missing", test_smtputf8_missing);
  g_test_add_func ("/faults/idn-recipient", test_idn_recipient);
  g_test_add_func ("/faults/xoauth2", test_xoauth2);
  g_test_add_func ("/faults/xoauth2-refused", test_xoauth2_refused);
  g_test_add_func ("/faults/ipv6", test_ipv6);
  g_test_add_func ("/faults/cancel-by-signal", test_cancel_by_signal);
  return g_test_run ();
}
