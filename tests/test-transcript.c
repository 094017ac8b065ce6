/* test-transcript.c — the protocol log never shows a secret
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-transcript.h"

static void
test_redaction (void)
{
  g_autoptr(EpTranscript) t = ep_transcript_new ();
  g_autofree char *text = NULL;

  ep_transcript_client (t, "EHLO [127.0.0.1]");
  ep_transcript_client (t, "AUTH PLAIN AHVzZXIAc2VjcmV0");
  ep_transcript_client (t, "AUTH LOGIN");
  ep_transcript_server (t, "334 VXNlcm5hbWU6");
  ep_transcript_client_redacted (t);
  ep_transcript_client_redacted (t);
  ep_transcript_client (t, "a1 LOGIN user secret");
  ep_transcript_client (t, "a2 AUTHENTICATE PLAIN AHVzZXIAc2VjcmV0");
  ep_transcript_note (t, "TLS %s", "established");
  ep_transcript_client (t, "MAIL FROM:<a@b.c>");

  text = ep_transcript_dup_text (t);
  g_assert_null (strstr (text, "AHVzZXIAc2VjcmV0"));
  g_assert_null (strstr (text, "c2VjcmV0"));
  g_assert_null (strstr (text, "dXNlcg=="));
  g_assert_null (strstr (text, "secret"));
  g_assert_nonnull (strstr (text, "C: EHLO [127.0.0.1]\n"));
  g_assert_nonnull (strstr (text, "C: AUTH PLAIN <redacted>\n"));
  g_assert_nonnull (strstr (text, "C: AUTH LOGIN\n"));
  g_assert_nonnull (strstr (text, "S: 334 VXNlcm5hbWU6\nC: <redacted>\nC: <redacted>\n"));
  g_assert_nonnull (strstr (text, "C: a1 LOGIN <redacted>\n"));
  g_assert_nonnull (strstr (text, "C: a2 AUTHENTICATE PLAIN <redacted>\n"));
  g_assert_nonnull (strstr (text, "* TLS established\n"));
  g_assert_nonnull (strstr (text, "C: MAIL FROM:<a@b.c>\n"));
}

/* Server text is shown with its control characters escaped. */
static void
test_escapes (void)
{
  g_autoptr(EpTranscript) t = ep_transcript_new ();
  g_autofree char *text = NULL;

  ep_transcript_server (t, "250 \x1b]0;owned\x07\x1b[2Jok\b");
  text = ep_transcript_dup_text (t);
  g_assert_cmpstr (text, ==, "S: 250 \\x1b]0;owned\\x07\\x1b[2Jok\\x08\n");
}

/* A flood of server lines keeps the head, says how many were dropped, keeps the tail. */
static void
test_bounded (void)
{
  g_autoptr(EpTranscript) t = ep_transcript_new ();
  g_autofree char *filler = g_strnfill (200, 'x');
  g_autofree char *text = NULL;
  guint total = 20000;

  ep_transcript_client (t, "EHLO [127.0.0.1]");
  for (guint i = 0; i < total; i++)
    {
      g_autofree char *line = g_strdup_printf ("250-%u %s", i, filler);
      ep_transcript_server (t, line);
    }
  ep_transcript_server (t, "250 the end");
  ep_transcript_client (t, "QUIT");

  text = ep_transcript_dup_text (t);
  g_assert_cmpuint (strlen (text), <, 1024 * 1024);
  g_assert_true (g_str_has_prefix (text, "C: EHLO [127.0.0.1]\nS: 250-0 x"));
  g_assert_nonnull (strstr (text, "lines dropped"));
  g_assert_nonnull (strstr (text, "S: 250 the end\nC: QUIT\n"));
  g_assert_true (g_str_has_suffix (text, "C: QUIT\n"));
}

/* The text read while a flood is still coming is bounded too. */
static void
test_bounded_midway (void)
{
  g_autoptr(EpTranscript) t = ep_transcript_new ();
  g_autofree char *filler = g_strnfill (1000, 'y');

  for (guint i = 0; i < 5000; i++)
    ep_transcript_server (t, filler);
  {
    g_autofree char *text = ep_transcript_dup_text (t);

    g_assert_cmpuint (strlen (text), <, 1024 * 1024);
    g_assert_nonnull (strstr (text, "lines dropped"));
  }
}

/* Many short exchanges, each within bounds, still stop at the total cap. */
static void
test_total_cap (void)
{
  g_autoptr(EpTranscript) t = ep_transcript_new ();
  g_autofree char *filler = g_strnfill (100, 'z');
  g_autofree char *text = NULL;

  for (guint i = 0; i < 20000; i++)
    {
      ep_transcript_client (t, "NOOP");
      ep_transcript_server (t, filler);
    }
  text = ep_transcript_dup_text (t);
  g_assert_cmpuint (strlen (text), <, 520 * 1024);
  g_assert_true (g_str_has_prefix (text, "C: NOOP\nS: zzz"));
  g_assert_nonnull (strstr (text, " more lines dropped: the transcript keeps 512 KiB\n"));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/transcript/redaction", test_redaction);
  g_test_add_func ("/transcript/escapes", test_escapes);
  g_test_add_func ("/transcript/bounded", test_bounded);
  g_test_add_func ("/transcript/bounded-midway", test_bounded_midway);
  g_test_add_func ("/transcript/total-cap", test_total_cap);
  return g_test_run ();
}
