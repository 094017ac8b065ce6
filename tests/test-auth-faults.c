/* test-auth-faults.c — sign-in against servers that lie: SCRAM proofs, clear text
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scripted SMTP server runs in a thread on 127.0.0.1 and plays the
 * server side of SCRAM-SHA-256 itself (RFC 5802 §3), so that it can be a
 * server that knows the password, or a man in the middle that does not and
 * says 235 anyway. `epistle send` (and EpSender directly) runs against it.
 * The server's record of what it received is read only after its thread
 * has been joined.
 */
#include <string.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "ep-cli-exit.h"
#include "ep-locale.h"
#include "ep-sender.h"
#include "ep-test-utils.h"

/* What the server stored: “pass word” after SASLprep; the client types a soft hyphen in it. */
#define STORED_PASSWORD "password"
#define TYPED_PASSWORD "pass\xc2\xad" "word"
#define SALT "QSXCR+Q6sek8bf92"

typedef enum {
  SEND,          /* write text, lines separated by \n */
  EXPECT,        /* read one line, which must start with text */
  SCRAM_FIRST,   /* read AUTH SCRAM-SHA-256 client-first, answer server-first with i=text */
  SCRAM_FINAL,   /* read client-final, check its proof, answer as text says (see scram_final) */
  READ_DATA,     /* read up to the lone “.” */
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
  GString *received;     /* every line read; the test reads it after the join */
  char *failure;
  /* SCRAM state of the server side */
  char *client_first_bare;
  char *server_first;
  guint iterations;
} Script;

#define EHLO_AUTH "250-fake.example.test\n250-8BITMIME\n250 AUTH PLAIN SCRAM-SHA-256"

static gboolean
write_text (GOutputStream *out,
            const char    *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *joined = g_strjoinv ("\r\n", lines);
  g_autofree char *burst = g_strconcat (joined, "\r\n", NULL);

  return g_output_stream_write_all (out, burst, strlen (burst), NULL, NULL, NULL);
}

static void
send_challenge (GOutputStream *out,
                const char    *text)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
  g_autofree char *line = g_strdup_printf ("334 %s", b64);

  write_text (out, line);
}

static char *
decode (const char *b64)
{
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode (b64, &len);

  return g_strndup ((const char *) raw, len);
}

static void
scram_first (Script        *s,
             const char    *line,
             const char    *iterations,
             GOutputStream *out)
{
  const char *prefix = "AUTH SCRAM-SHA-256 ";
  g_autofree char *client_first = NULL;
  const char *nonce;

  if (!g_str_has_prefix (line, prefix))
    {
      s->failure = g_strdup_printf ("expected “%s…”, got “%s”", prefix, line);
      return;
    }
  client_first = decode (line + strlen (prefix));
  if (!g_str_has_prefix (client_first, "n,,n=") || (nonce = strstr (client_first, ",r=")) == NULL)
    {
      s->failure = g_strdup_printf ("bad client-first “%s”", client_first);
      return;
    }
  s->client_first_bare = g_strdup (client_first + 3);
  s->iterations = (guint) g_ascii_strtoull (iterations, NULL, 10);
  s->server_first = g_strdup_printf ("r=%sSERVERNONCE,s=%s,i=%s", nonce + 3, SALT, iterations);
  send_challenge (out, s->server_first);
}

/* RFC 5802 §3 from the server's side. @answer: “good” (334 with the right v=),
 * “none” (235 straight away), “wrong” (334 with a v= for another password),
 * “missing” (334 with no v=), “error” (334 with e=invalid-proof). */
static void
scram_final (Script        *s,
             const char    *line,
             const char    *answer,
             GOutputStream *out)
{
  g_autofree char *client_final = decode (line);
  const char *proof_at = strstr (client_final, ",p=");
  g_autofree char *without_proof = NULL;
  g_autofree char *auth_message = NULL;
  g_autofree guchar *proof = NULL;
  g_autofree guchar *salt = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autofree char *verifier = NULL;
  const char *password = g_str_equal (answer, "wrong") ? "not-the-password" : STORED_PASSWORD;
  guint8 salted[32], client_key[32], stored_key[32], client_signature[32], recovered[32], check[32];
  guint8 server_key[32], server_signature[32];
  gnutls_datum_t key, salt_datum;
  gsize proof_len = 0, salt_len = 0;

  if (proof_at == NULL || s->server_first == NULL)
    {
      s->failure = g_strdup_printf ("bad client-final “%s”", client_final);
      return;
    }
  without_proof = g_strndup (client_final, proof_at - client_final);
  auth_message = g_strdup_printf ("%s,%s,%s", s->client_first_bare, s->server_first, without_proof);
  proof = g_base64_decode (proof_at + 3, &proof_len);
  salt = g_base64_decode (SALT, &salt_len);

  key.data = (unsigned char *) STORED_PASSWORD;
  key.size = strlen (STORED_PASSWORD);
  salt_datum.data = salt;
  salt_datum.size = salt_len;
  gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &salt_datum, s->iterations, salted, sizeof salted);
  gnutls_hmac_fast (GNUTLS_MAC_SHA256, salted, 32, "Client Key", 10, client_key);
  gnutls_hash_fast (GNUTLS_DIG_SHA256, client_key, 32, stored_key);
  gnutls_hmac_fast (GNUTLS_MAC_SHA256, stored_key, 32, auth_message, strlen (auth_message), client_signature);
  for (guint i = 0; i < 32 && proof_len == 32; i++)
    recovered[i] = proof[i] ^ client_signature[i];
  gnutls_hash_fast (GNUTLS_DIG_SHA256, recovered, 32, check);
  if (proof_len != 32 || memcmp (check, stored_key, 32) != 0)
    {
      s->failure = g_strdup ("the client's proof is wrong: it did not use the SASLprepped password");
      send_challenge (out, "e=invalid-proof");
      return;
    }

  /* The signature as a server that knows @password would make it. */
  key.data = (unsigned char *) password;
  key.size = strlen (password);
  gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &salt_datum, s->iterations, salted, sizeof salted);
  gnutls_hmac_fast (GNUTLS_MAC_SHA256, salted, 32, "Server Key", 10, server_key);
  gnutls_hmac_fast (GNUTLS_MAC_SHA256, server_key, 32, auth_message, strlen (auth_message), server_signature);
  signature_b64 = g_base64_encode (server_signature, 32);
  verifier = g_strdup_printf ("v=%s", signature_b64);

  if (g_str_equal (answer, "none"))
    write_text (out, "235 2.7.0 Authentication successful");
  else if (g_str_equal (answer, "missing"))
    send_challenge (out, "x=no-signature-here");
  else if (g_str_equal (answer, "error"))
    send_challenge (out, "e=invalid-proof");
  else
    send_challenge (out, verifier);
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

      if (step->kind == SEND)
        {
          write_text (out, step->text);
          continue;
        }
      line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      if (line == NULL)
        {
          s->failure = g_strdup_printf ("the client left before step %u", (guint) (step - s->steps));
          break;
        }
      g_string_append_printf (s->received, "%s\n", line);
      switch (step->kind)
        {
        case EXPECT:
          if (!g_str_has_prefix (line, step->text))
            s->failure = g_strdup_printf ("expected “%s”, got “%s”", step->text, line);
          break;
        case SCRAM_FIRST:
          scram_first (s, line, step->text, out);
          break;
        case SCRAM_FINAL:
          scram_final (s, line, step->text, out);
          break;
        case READ_DATA:
          while (!g_str_equal (line, "."))
            {
              g_free (line);
              if ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) == NULL)
                {
                  s->failure = g_strdup ("the client left during DATA");
                  break;
                }
            }
          break;
        case SEND:
        case END:
        default:
          g_assert_not_reached ();
        }
    }
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return NULL;
}

static Script *
script_start (const Step *steps)
{
  Script *s = g_new0 (Script, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  s->steps = steps;
  s->received = g_string_new (NULL);
  s->listener = g_socket_listener_new ();
  g_socket_listener_add_address (s->listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  s->thread = g_thread_new ("auth-script", script_thread, s);
  return s;
}

/* Joins the server thread, checks it saw what it expected, and returns what it received. */
static char *
script_finish (Script *s)
{
  char *received;

  g_thread_join (s->thread);
  g_socket_listener_close (s->listener);
  g_object_unref (s->listener);
  if (s->failure != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (s->received->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        g_test_message ("server saw: %s", lines[i]);
      g_test_message ("server failure: %s", s->failure);
    }
  g_assert_null (s->failure);
  received = g_string_free (s->received, FALSE);
  g_free (s->client_first_bare);
  g_free (s->server_first);
  g_free (s);
  return received;
}

static int
send_to (Script      *s,
         const char  *extra[],
         const char  *password,
         char       **err)
{
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", s->port);
  const char *base[] = { "send", "--server", server, "--security", "none",
                         "--user", "me@example.test", "--from", "me@example.test",
                         "--to", "you@example.test", "--subject", "auth fault test",
                         "--body", "hello", "--timeout", "20", NULL };

  return ep_test_run_cli (base, extra, password, NULL, err);
}

static const char * const allow[] = { "--allow-plaintext-auth", "--auth", "scram-sha-256", NULL };

static void
test_scram_mutual (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_AUTH },
    { SCRAM_FIRST, "4096" }, { SCRAM_FINAL, "good" }, { EXPECT, "" }, { SEND, "235 2.7.0 Ok" },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { SEND, "250 2.1.0 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA }, { SEND, "250 2.0.0 queued" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;
  g_autofree char *received = NULL;

  /* The typed password has a soft hyphen; the server checks the SASLprepped one. */
  g_assert_cmpint (send_to (s, (const char **) allow, TYPED_PASSWORD, &err), ==, EP_EXIT_OK);
  received = script_finish (s);
  g_assert_nonnull (strstr (received, "MAIL FROM"));
}

typedef struct
{
  const char *answer;      /* what the lying server does after client-final */
  const char *says;
} LyingServer;

static const LyingServer liars[] = {
  { "none", "could not prove it knows the password (it accepted the sign-in without its SCRAM signature)" },
  { "wrong", "could not prove it knows the password (its signature is wrong)" },
  { "missing", "could not prove it knows the password (its signature is missing)" },
  { "error", "SCRAM error “invalid-proof”" },
};

static void
test_scram_liar (gconstpointer data)
{
  const LyingServer *liar = data;
  /* After a 235 the client must not go on; after a 334 it cancels with “*”. */
  const Step after_235[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_AUTH },
    { SCRAM_FIRST, "4096" }, { SCRAM_FINAL, liar->answer },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  const Step after_334[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_AUTH },
    { SCRAM_FIRST, "4096" }, { SCRAM_FINAL, liar->answer },
    { EXPECT, "*" }, { SEND, "501 5.7.0 Authentication cancelled" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (g_str_equal (liar->answer, "none") ? after_235 : after_334);
  g_autofree char *err = NULL;
  g_autofree char *received = NULL;

  g_assert_cmpint (send_to (s, (const char **) allow, TYPED_PASSWORD, &err), ==, EP_EXIT_NOPERM);
  received = script_finish (s);
  g_assert_nonnull (strstr (err, liar->says));
  g_assert_null (strstr (received, "MAIL FROM"));
}

static void
test_scram_iterations (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_AUTH },
    { SCRAM_FIRST, "10000000" }, { EXPECT, "*" }, { SEND, "501 5.7.0 Authentication cancelled" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;
  g_autofree char *received = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (send_to (s, (const char **) allow, TYPED_PASSWORD, &err), ==, EP_EXIT_NOPERM);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  received = script_finish (s);
  g_assert_nonnull (strstr (err, "10000000 rounds of SCRAM password hashing"));
  g_assert_nonnull (strstr (err, "4096 to 600000"));
}

static void
test_plaintext_refused (void)
{
  static const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_AUTH },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;
  g_autofree char *received = NULL;

  g_assert_cmpint (send_to (s, NULL, "never-sent", &err), ==, EP_EXIT_CONFIG);
  received = script_finish (s);
  g_assert_nonnull (strstr (err, "is not encrypted, so signing in would send the password in clear text"));
  g_assert_nonnull (strstr (err, "--allow-plaintext-auth"));
  g_assert_null (strstr (received, "AUTH"));
}

static void
test_plaintext_allowed (void)
{
  g_autofree char *plain = ep_sasl_plain ("me@example.test", "local-relay-pass");
  g_autofree char *auth = g_strdup_printf ("AUTH PLAIN %s", plain);
  const Step steps[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, EHLO_AUTH },
    { EXPECT, auth }, { SEND, "235 2.7.0 Ok" },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { SEND, "250 2.1.0 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA }, { SEND, "250 2.0.0 queued" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  const char *extra[] = { "--allow-plaintext-auth", "--auth", "plain", NULL };
  Script *s = script_start (steps);
  g_autofree char *err = NULL;
  g_autofree char *received = NULL;

  g_assert_cmpint (send_to (s, extra, "local-relay-pass", &err), ==, EP_EXIT_OK);
  received = script_finish (s);
  g_assert_nonnull (strstr (received, "AUTH PLAIN"));
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} SendRun;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendRun *run = user_data;

  run->ok = ep_sender_send_finish (EP_SENDER (source), result, NULL, &run->error);
  run->done = TRUE;
}

/* The window's path: EpSender refuses unless ep_sender_set_allow_plaintext_auth () said yes. */
static void
test_sender_plaintext (gconstpointer data)
{
  gboolean allowed = GPOINTER_TO_INT (data);
  g_autofree char *plain = ep_sasl_plain ("me@example.test", "local-relay-pass");
  g_autofree char *auth = g_strdup_printf ("AUTH PLAIN %s", plain);
  const Step refused[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 AUTH PLAIN" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  const Step accepted[] = {
    { SEND, "220 fake ESMTP" }, { EXPECT, "EHLO" }, { SEND, "250-fake\n250 AUTH PLAIN" },
    { EXPECT, auth }, { SEND, "235 2.7.0 Ok" },
    { EXPECT, "MAIL FROM:<me@example.test>" }, { SEND, "250 2.1.0 Ok" },
    { EXPECT, "RCPT TO:<you@example.test>" }, { SEND, "250 2.1.5 Ok" },
    { EXPECT, "DATA" }, { SEND, "354 go ahead" }, { READ_DATA }, { SEND, "250 2.0.0 queued" },
    { EXPECT, "QUIT" }, { SEND, "221 Bye" }, { END }
  };
  Script *s = script_start (allowed ? accepted : refused);
  g_autoptr(EpSender) sender = ep_sender_new ("127.0.0.1", s->port, EP_SECURITY_NONE);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("me@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("you@example.test", NULL);
  g_autofree char *received = NULL;
  SendRun run = { 0 };

  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_text (message, "hello");
  ep_sender_set_credentials (sender, "me@example.test", "local-relay-pass", EP_SASL_PLAIN);
  if (allowed)
    ep_sender_set_allow_plaintext_auth (sender, TRUE);
  ep_sender_send_async (sender, message, NULL, on_sent, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  received = script_finish (s);

  if (allowed)
    {
      g_assert_no_error (run.error);
      g_assert_true (run.ok);
      return;
    }
  g_assert_false (run.ok);
  g_assert_error (run.error, EP_SMTP_ERROR, EP_SMTP_ERROR_INSECURE);
  g_assert_nonnull (strstr (run.error->message, "127.0.0.1"));
  g_assert_null (strstr (received, "AUTH"));
  g_clear_error (&run.error);
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/auth-faults/scram-mutual", test_scram_mutual);
  for (guint i = 0; i < G_N_ELEMENTS (liars); i++)
    {
      g_autofree char *path = g_strdup_printf ("/auth-faults/scram-server-%s", liars[i].answer);
      g_test_add_data_func (path, &liars[i], test_scram_liar);
    }
  g_test_add_func ("/auth-faults/scram-iterations", test_scram_iterations);
  g_test_add_func ("/auth-faults/plaintext-refused", test_plaintext_refused);
  g_test_add_func ("/auth-faults/plaintext-allowed", test_plaintext_allowed);
  g_test_add_data_func ("/auth-faults/sender-plaintext-refused", GINT_TO_POINTER (FALSE), test_sender_plaintext);
  g_test_add_data_func ("/auth-faults/sender-plaintext-allowed", GINT_TO_POINTER (TRUE), test_sender_plaintext);
  return g_test_run ();
}
