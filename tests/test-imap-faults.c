/* test-imap-faults.c — EpImapClient against scripted, misbehaving IMAP servers
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dovecot offers LITERAL+ and behaves; this small server in a thread on
 * 127.0.0.1 does neither on demand. Each case runs the client in-process
 * and checks both ends: what the client concluded and what it sent.
 */
#include <string.h>

#include "ep-imap.h"
#include "ep-imap-parser.h"
#include "ep-locale.h"
#include "ep-transport.h"

typedef enum {
  END,           /* also what an unused step of a fixed-size script is */
  SEND,          /* write text; “{tag}” becomes the tag of the last command read */
  EXPECT,        /* read one line, which must start with text after its tag */
  READ_LITERAL,  /* read the literal the last line announced, and its CR LF */
  FLOOD,         /* write text again and again until the client leaves */
  CLOSE,
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
  GString *received;      /* every line read, and every literal */
  char *failure;
} Script;

typedef struct
{
  GSocket *socket;
  char buffer[8192];
  gsize start;
  gsize end;
  char tag[64];
  guint64 literal;        /* announced by the last line */
} Peer;

static gboolean
fill (Peer *peer)
{
  gssize n;

  if (peer->start > 0)
    {
      memmove (peer->buffer, peer->buffer + peer->start, peer->end - peer->start);
      peer->end -= peer->start;
      peer->start = 0;
    }
  n = g_socket_receive (peer->socket, peer->buffer + peer->end, sizeof peer->buffer - peer->end, NULL, NULL);
  if (n <= 0)
    return FALSE;
  peer->end += n;
  return TRUE;
}

static char *
read_line (Peer *peer)
{
  for (;;)
    {
      char *newline = memchr (peer->buffer + peer->start, '\n', peer->end - peer->start);

      if (newline != NULL)
        {
          gsize len = newline - (peer->buffer + peer->start);
          char *line = g_strndup (peer->buffer + peer->start, len > 0 && newline[-1] == '\r' ? len - 1 : len);

          peer->start += len + 1;
          return line;
        }
      if (!fill (peer))
        return NULL;
    }
}

static gboolean
read_bytes (Peer    *peer,
            GString *into,
            guint64  n)
{
  while (n > 0)
    {
      gsize take;

      if (peer->start == peer->end && !fill (peer))
        return FALSE;
      take = (gsize) MIN (n, (guint64) (peer->end - peer->start));
      g_string_append_len (into, peer->buffer + peer->start, take);
      peer->start += take;
      n -= take;
    }
  return TRUE;
}

static gboolean
send_all (GSocket    *socket,
          const char *data,
          gsize       len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (socket, data, len, NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
send_text (Peer       *peer,
           const char *text)
{
  g_autofree char *with_tag = NULL;
  g_auto(GStrv) parts = g_strsplit (text, "{tag}", -1);

  with_tag = g_strjoinv (peer->tag, parts);
  return send_all (peer->socket, with_tag, strlen (with_tag));
}

static gpointer
serve (gpointer data)
{
  Script *script = data;
  g_autoptr(GSocket) socket = g_socket_listener_accept_socket (script->listener, NULL, NULL, NULL);
  Peer peer = { socket };

  g_assert_nonnull (socket);
  g_socket_set_timeout (socket, 20);
  for (const Step *step = script->steps; step->kind != END; step++)
    {
      switch (step->kind)
        {
        case SEND:
          if (!send_text (&peer, step->text))
            return NULL;
          break;
        case EXPECT:
          {
            g_autofree char *line = read_line (&peer);
            const char *space = line != NULL ? strchr (line, ' ') : NULL;
            const char *brace;

            if (line == NULL || space == NULL || !g_str_has_prefix (space + 1, step->text))
              {
                script->failure = g_strdup_printf ("expected “%s”, got “%s”", step->text,
                                                   line != NULL ? line : "(end)");
                return NULL;
              }
            g_string_append_printf (script->received, "%s\n", line);
            g_strlcpy (peer.tag, line, MIN (sizeof peer.tag, (gsize) (space - line + 1)));
            brace = strrchr (line, '{');
            peer.literal = brace != NULL ? g_ascii_strtoull (brace + 1, NULL, 10) : 0;
          }
          break;
        case READ_LITERAL:
          {
            g_autoptr(GString) crlf = g_string_new (NULL);

            if (!read_bytes (&peer, script->received, peer.literal) || !read_bytes (&peer, crlf, 2))
              return NULL;
            g_string_append_c (script->received, '\n');
          }
          break;
        case FLOOD:
          while (send_all (socket, step->text, strlen (step->text)))
            ;
          return NULL;
        case CLOSE:
        case END:
        default:
          return NULL;
        }
    }
  return NULL;
}

static Script *
script_start (const Step *steps)
{
  Script *script = g_new0 (Script, 1);
  g_autoptr(GError) error = NULL;

  script->steps = steps;
  script->received = g_string_new (NULL);
  script->listener = g_socket_listener_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (script->listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                   NULL, &effective, &error);
    g_assert_no_error (error);
    script->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  script->thread = g_thread_new ("imap-script", serve, script);
  return script;
}

/* Waits for the server thread; returns what it read. */
static char *
script_finish (Script *script)
{
  char *received;

  g_thread_join (script->thread);
  g_socket_listener_close (script->listener);
  g_object_unref (script->listener);
  g_assert_null (script->failure);
  received = g_string_free (script->received, FALSE);
  g_free (script);
  return received;
}

#define GREETING "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready\r\n"

static EpImapClient *
connect_to (Script       *script,
            EpTranscript *transcript,
            GError      **error)
{
  EpImapClient *client = ep_imap_client_new (transcript, 10);

  ep_imap_client_set_allow_plaintext_auth (client, TRUE);
  ep_imap_client_connect (client, "127.0.0.1", script->port, EP_SECURITY_NONE, NULL, NULL, NULL, error);
  return client;
}

/* Without LITERAL+, APPEND waits for “+” before the message; LOGIN too for a literal password. */
static void
test_synchronizing_literals (void)
{
  static const Step steps[] = {
    { SEND, GREETING },
    { EXPECT, "LOGIN \"user\" {10}" },
    { SEND, "+ go on\r\n" },
    { READ_LITERAL },
    { SEND, "{tag} OK [CAPABILITY IMAP4rev1] signed in\r\n" },
    { EXPECT, "APPEND \"Sent\" (\\Seen) {11}" },
    { SEND, "+ Ready for literal data\r\n" },
    { READ_LITERAL },
    { SEND, "* 3 EXISTS\r\n{tag} OK [APPENDUID 1700000000 7] Append completed.\r\n" },
    { EXPECT, "LOGOUT" },
    { SEND, "* BYE bye\r\n{tag} OK done\r\n" },
    { END },
  };
  Script *script = script_start (steps);
  g_autoptr(EpTranscript) transcript = ep_transcript_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = connect_to (script, transcript, &error);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("Hi\r\n\r\nthere", 11, NULL);
  g_autofree char *received = NULL;
  g_autofree char *text = NULL;
  guint32 uid = 0;

  g_assert_no_error (error);
  ep_imap_client_login (client, "user", "pässwörd", EP_SASL_LOGIN, NULL, &error);
  g_assert_no_error (error);
  ep_imap_client_append_stream (client, "Sent", "\\Seen", stream, 11, &uid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uid, ==, 7);
  ep_imap_client_logout (client);
  received = script_finish (script);
  g_assert_nonnull (strstr (received, "\npässwörd\n"));
  g_assert_nonnull (strstr (received, "\nHi\r\n\r\nthere\n"));
  text = ep_transcript_dup_text (transcript);
  g_assert_null (strstr (text, "pässwörd"));
}

typedef struct
{
  const char *name;
  Step steps[8];
  GQuark (*domain) (void);
  int code;
} Fault;

static const Fault faults[] = {
  { "huge-literal",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" },
      { SEND, "* 1 FETCH (BODY[] {9223372036854775807}\r\nabc" }, { CLOSE } },
    ep_imap_parser_error_quark, EP_IMAP_PARSER_ERROR_TOO_BIG },
  { "endless-line",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" }, { FLOOD, "* 1 FETCH (X aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" } },
    ep_imap_parser_error_quark, EP_IMAP_PARSER_ERROR_TOO_BIG },
  { "deep-nesting",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" },
      { SEND, "* 1 FETCH ((((((((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))))))))\r\n" },
      { CLOSE } },
    ep_imap_parser_error_quark, EP_IMAP_PARSER_ERROR_TOO_DEEP },
  { "bye",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" }, { SEND, "* BYE shutting down for maintenance\r\n" },
      { CLOSE } },
    ep_imap_error_quark, EP_IMAP_ERROR_BYE },
  { "wrong-tag",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" }, { SEND, "X999 OK what\r\n" }, { CLOSE } },
    ep_imap_error_quark, EP_IMAP_ERROR_PROTOCOL },
  { "unasked-continuation",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" }, { SEND, "+ more?\r\n" }, { CLOSE } },
    ep_imap_error_quark, EP_IMAP_ERROR_PROTOCOL },
  { "garbage",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" }, { SEND, "\x01\x02\x03 \xff\xfe\r\n" }, { CLOSE } },
    ep_imap_parser_error_quark, EP_IMAP_PARSER_ERROR_SYNTAX },
  { "closed",
    { { SEND, GREETING }, { EXPECT, "CAPABILITY" }, { CLOSE } },
    ep_transport_error_quark, EP_TRANSPORT_ERROR_CLOSED },
};

/* Each fault ends the command with its own error, quickly, without a crash. */
static void
test_fault (gconstpointer data)
{
  const Fault *fault = data;
  Script *script = script_start (fault->steps);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = connect_to (script, NULL, &error);
  g_autofree char *received = NULL;

  g_assert_no_error (error);
  g_assert_false (ep_imap_client_capability (client, NULL, &error));
  g_assert_error (error, fault->domain (), fault->code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  ep_imap_client_logout (client);
  received = script_finish (script);
}

/* STARTTLS: refused when not offered, and bytes after the go-ahead are an attack. */
static void
test_starttls (void)
{
  static const Step not_offered[] = { { SEND, GREETING }, { END } };
  static const Step injected[] = {
    { SEND, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n" },
    { EXPECT, "STARTTLS" },
    { SEND, "{tag} OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n" },
    { END },
  };
  const Step *scripts[] = { not_offered, injected };
  GQuark domains[] = { EP_IMAP_ERROR, EP_TRANSPORT_ERROR };
  int codes[] = { EP_IMAP_ERROR_INSECURE, EP_TRANSPORT_ERROR_STARTTLS };

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      Script *script = script_start (scripts[i]);
      g_autoptr(EpImapClient) client = ep_imap_client_new (NULL, 10);
      g_autoptr(GError) error = NULL;
      g_autofree char *received = NULL;

      g_assert_false (ep_imap_client_connect (client, "127.0.0.1", script->port, EP_SECURITY_STARTTLS,
                                              NULL, NULL, NULL, &error));
      g_assert_error (error, domains[i], codes[i]);
      ep_imap_client_logout (client);
      received = script_finish (script);
      g_assert_null (strstr (received, "LOGIN"));
    }
}

/* A refused APPEND is an error for that command only: the session goes on. */
static void
test_append_refused (void)
{
  static const Step steps[] = {
    { SEND, "* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n" },
    { EXPECT, "APPEND \"Sent\" (\\Seen) {5+}" },
    { READ_LITERAL },
    { SEND, "{tag} NO [OVERQUOTA] Quota exceeded\r\n" },
    { EXPECT, "LOGOUT" },
    { SEND, "* BYE bye\r\n{tag} OK done\r\n" },
    { END },
  };
  Script *script = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = connect_to (script, NULL, &error);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("hello", 5, NULL);
  g_autofree char *received = NULL;

  g_assert_no_error (error);
  g_assert_false (ep_imap_client_append_stream (client, "Sent", "\\Seen", stream, 5, NULL, NULL, &error));
  g_assert_error (error, EP_IMAP_ERROR, EP_IMAP_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Quota exceeded"));
  ep_imap_client_logout (client);
  received = script_finish (script);
  g_assert_nonnull (strstr (received, "LOGOUT"));
}

/* A server without SPECIAL-USE: the Sent folder is found by a usual name, 已发送 too. */
static void
test_sent_by_name (void)
{
  static const Step steps[] = {
    { SEND, GREETING },
    { EXPECT, "LIST \"\" \"*\"" },
    { SEND, "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
            "* LIST (\\HasNoChildren) \"/\" \"&g0l6P3ux-\"\r\n"
            "* LIST (\\Noselect \\HasChildren) \"/\" \"Sent Items\"\r\n"
            "* LIST (\\HasNoChildren) \"/\" \"&XfJT0ZAB-\"\r\n"
            "{tag} OK LIST completed\r\n" },
    { EXPECT, "LOGOUT" },
    { SEND, "{tag} OK done\r\n" },
    { END },
  };
  Script *script = script_start (steps);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpImapClient) client = connect_to (script, NULL, &error);
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;

  g_assert_no_error (error);
  sent = ep_imap_client_find_sent (client, NULL, &error);
  g_assert_no_error (error);
  /* “Sent Items” cannot be selected; 已发送 can. */
  g_assert_cmpstr (sent, ==, "已发送");
  ep_imap_client_logout (client);
  received = script_finish (script);
}

int
main (int    argc,
      char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/imap-faults/synchronizing-literals", test_synchronizing_literals);
  g_test_add_func ("/imap-faults/starttls", test_starttls);
  g_test_add_func ("/imap-faults/append-refused", test_append_refused);
  g_test_add_func ("/imap-faults/sent-by-name", test_sent_by_name);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/imap-faults/%s", faults[i].name);
      g_test_add_data_func (path, &faults[i], test_fault);
    }
  return g_test_run ();
}
