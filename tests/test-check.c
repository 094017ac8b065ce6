/* test-check.c — the account check (connect, TLS, EHLO, AUTH, QUIT) against a real Postfix
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/servers/mailstack starts Postfix and Dovecot on 127.0.0.1 with a
 * throwaway CA, as for test-roundtrip. The cancel and refused-connection
 * cases need no server and always run. A stack that cannot start fails the
 * run, unless EPISTLE_ALLOW_SKIP=1 lets its cases skip (and say so).
 */
#include <stdlib.h>
#include <string.h>

#include "ep-account.h"
#include "ep-locale.h"
#include "ep-sender.h"
#include "ep-test-utils.h"
#include "ep-tls.h"

typedef struct
{
  EpTestStack *stack;
} World;

typedef struct
{
  GCancellable *cancellable;
  EpServerInfo *info;
  GError *error;
  guint stages_seen;
  guint progress_calls;
  gint64 cancelled_at;
  gboolean finished;
} CheckRun;

#define PASSWORD(w) ep_test_stack_get ((w)->stack, "PASSWORD")
#define CA(w) ep_test_stack_get ((w)->stack, "CA_FILE")

static guint16
port (World *w, const char *key)
{
  return (guint16) atoi (ep_test_stack_get (w->stack, key));
}

static void
on_progress (EpSender *sender, guint stage, guint64 done, guint64 total, gpointer user_data)
{
  CheckRun *run = user_data;

  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpuint (total, ==, 0);
  run->stages_seen |= 1u << stage;
  run->progress_calls++;
}

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CheckRun *run = user_data;

  run->info = ep_sender_check_finish (EP_SENDER (source), result, &run->error);
  run->finished = TRUE;
}

static void
check (EpSender *sender, CheckRun *run)
{
  gulong id = g_signal_connect (sender, "progress", G_CALLBACK (on_progress), run);

  ep_sender_check_async (sender, run->cancellable, on_checked, run);
  while (!run->finished)
    g_main_context_iteration (NULL, TRUE);
  /* Progress may still be queued behind the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handler_disconnect (sender, id);
  g_assert_true ((run->info == NULL) != (run->error == NULL));
}

static void
check_run_clear (CheckRun *run)
{
  g_clear_pointer (&run->info, ep_server_info_free);
  g_clear_error (&run->error);
}

static EpSender *
sender_for (World *w, const char *port_key, EpSecurity security, const char *password)
{
  EpSender *sender = ep_sender_new ("127.0.0.1", port (w, port_key), security);

  ep_sender_set_credentials (sender, "user1@example.test", password, EP_SASL_NONE);
  ep_sender_set_trust (sender, CA (w), NULL);
  return sender;
}

static void
test_right_password (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpSender) sender = sender_for (w, "SMTP_SMALL_PORT", EP_SECURITY_STARTTLS, PASSWORD (w));
  g_autoptr(EpServerInfo) kept = NULL;
  g_autofree char *log = NULL;
  CheckRun run = { 0 };

  check (sender, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (ep_server_info_get_size_limit (run.info), ==,
                    g_ascii_strtoull (ep_test_stack_get (w->stack, "SMTP_SMALL_LIMIT"), NULL, 10));
  g_assert_cmpuint (ep_server_info_get_size_limit (run.info), >, 0);
  g_assert_true (ep_server_info_get_chunking (run.info));
  g_assert_true (ep_server_info_get_smtputf8 (run.info));
  g_assert_true (ep_server_info_get_pipelining (run.info));
  g_assert_true (g_str_has_prefix (ep_server_info_get_greeting (run.info), "220 "));
  g_assert_cmpstr (ep_server_info_get_host (run.info), ==, "127.0.0.1");

  /* Progress is coalesced (the latest stage wins), so only the last one is sure to show. */
  g_assert_cmpuint (run.progress_calls, >=, 1);
  g_assert_true (run.stages_seen & (1u << EP_SEND_STAGE_AUTHENTICATING));
  g_assert_false (run.stages_seen & (1u << EP_SEND_STAGE_ENVELOPE));
  g_assert_false (run.stages_seen & (1u << EP_SEND_STAGE_SENDING));

  /* Nothing was sent, the dialogue ended politely, the password never shows. */
  log = ep_transcript_dup_text (ep_sender_get_transcript (sender));
  g_assert_nonnull (strstr (log, "STARTTLS"));
  g_assert_nonnull (strstr (log, "AUTH"));
  g_assert_nonnull (strstr (log, "QUIT"));
  g_assert_null (strstr (log, "MAIL FROM"));
  g_assert_null (strstr (log, "RCPT TO"));
  g_assert_null (strstr (log, PASSWORD (w)));

  kept = ep_sender_dup_server_info (sender);
  g_assert_nonnull (kept);
  g_assert_cmpuint (ep_server_info_get_size_limit (kept), ==, ep_server_info_get_size_limit (run.info));
  check_run_clear (&run);
}

static void
test_implicit_tls_account (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAccount) account = ep_account_new_for_address ("Alice <user1@example.test>", &error);
  g_autoptr(EpSender) sender = NULL;
  CheckRun run = { 0 };

  g_assert_no_error (error);
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, port (w, "SMTP_TLS_PORT"));
  ep_account_set_smtp_security (account, EP_SECURITY_TLS);
  ep_account_set_ca_file (account, CA (w));
  sender = ep_account_create_sender (account, PASSWORD (w));

  check (sender, &run);
  g_assert_no_error (run.error);
  /* The main submission ports allow 200 MiB. */
  g_assert_cmpuint (ep_server_info_get_size_limit (run.info), ==, 209715200);
  check_run_clear (&run);
}

static void
test_wrong_password (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpSender) sender = sender_for (w, "SMTP_STARTTLS_PORT", EP_SECURITY_STARTTLS,
                                           "wrong-password");
  g_autoptr(EpServerInfo) kept = NULL;
  CheckRun run = { 0 };

  check (sender, &run);
  g_assert_error (run.error, EP_SMTP_ERROR, EP_SMTP_ERROR_AUTH);
  g_assert_nonnull (strstr (run.error->message, "535"));
  g_assert_null (strstr (run.error->message, "wrong-password"));
  g_assert_true (run.stages_seen & (1u << EP_SEND_STAGE_AUTHENTICATING));
  /* What EHLO said is known even though signing in failed. */
  kept = ep_sender_dup_server_info (sender);
  g_assert_nonnull (kept);
  g_assert_true (ep_server_info_get_chunking (kept));
  check_run_clear (&run);
}

static void
test_untrusted_then_pinned (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpAccount) account = ep_account_new_for_address ("user1@example.test", NULL);
  g_autoptr(EpSender) sender = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GError) error = NULL;
  CheckRun run = { 0 };

  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_account_set_smtp_port (account, port (w, "SMTP_TLS_PORT"));
  ep_account_set_smtp_security (account, EP_SECURITY_TLS);
  sender = ep_account_create_sender (account, PASSWORD (w));

  check (sender, &run);
  g_assert_error (run.error, EP_TLS_ERROR, EP_TLS_ERROR_UNTRUSTED);
  g_assert_false (run.stages_seen & (1u << EP_SEND_STAGE_AUTHENTICATING));
  fingerprint = ep_tls_error_dup_fingerprint (run.error);
  g_assert_nonnull (fingerprint);
  g_assert_cmpuint (strlen (fingerprint), ==, 95);
  g_assert_nonnull (strstr (run.error->message, fingerprint));
  check_run_clear (&run);
  run = (CheckRun) { 0 };

  /* “Trust This Certificate”: pin it on the account and try again. */
  g_assert_true (ep_account_set_pin (account, fingerprint, &error));
  g_assert_no_error (error);
  g_clear_object (&sender);
  sender = ep_account_create_sender (account, PASSWORD (w));
  check (sender, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.stages_seen & (1u << EP_SEND_STAGE_AUTHENTICATING));
  check_run_clear (&run);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CheckRun *run = user_data;

  g_assert_true (ep_sender_send_finish (EP_SENDER (source), result, NULL, &run->error));
  run->finished = TRUE;
}

static void
test_send_keeps_info (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(EpSender) sender = sender_for (w, "SMTP_SMALL_PORT", EP_SECURITY_STARTTLS, PASSWORD (w));
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(EpAddress) from = ep_address_parse ("user1@example.test", NULL);
  g_autoptr(EpAddressList) to = ep_address_list_parse ("user3@example.test", NULL);
  g_autoptr(EpServerInfo) info = NULL;
  CheckRun run = { 0 };

  g_assert_null (ep_sender_dup_server_info (sender));
  ep_message_set_from (message, from);
  ep_message_add_recipients (message, EP_RECIPIENT_TO, to);
  ep_message_set_subject (message, "server info");
  ep_message_set_text (message, "x");
  ep_sender_send_async (sender, message, NULL, on_sent, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);

  info = ep_sender_dup_server_info (sender);
  g_assert_nonnull (info);
  g_assert_cmpuint (ep_server_info_get_size_limit (info), ==,
                    g_ascii_strtoull (ep_test_stack_get (w->stack, "SMTP_SMALL_LIMIT"), NULL, 10));
}

/* A listener that accepts connections and never says a word. */
static GSocketListener *
silent_listener (guint16 *out_port)
{
  GSocketListener *listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 p;

  p = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  *out_port = p;
  return listener;
}

typedef struct
{
  CheckRun *run;
  GSocketConnection *connection;
  guint8 buffer[512];
} Silent;

/* The client's first handshake bytes arrived: it now waits for an answer
 * that never comes, and that wait is what the cancel must cut short. */
static void
on_client_hello (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Silent *silent = user_data;

  g_assert_cmpint (g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL), >, 0);
  silent->run->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (silent->run->cancellable);
}

static void
on_accepted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Silent *silent = user_data;

  silent->connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL,
                                                        NULL);
  g_assert_nonnull (silent->connection);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (silent->connection)),
                             silent->buffer, sizeof silent->buffer, G_PRIORITY_DEFAULT, NULL,
                             on_client_hello, silent);
}

static void
test_cancel (void)
{
  guint16 silent_port = 0;
  g_autoptr(GSocketListener) listener = silent_listener (&silent_port);
  g_autoptr(EpSender) sender = ep_sender_new ("127.0.0.1", silent_port, EP_SECURITY_TLS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CheckRun run = { 0 };
  Silent silent = { &run, NULL, { 0 } };

  ep_sender_set_credentials (sender, "user", "secret", EP_SASL_NONE);
  run.cancellable = cancellable;
  g_socket_listener_accept_async (listener, NULL, on_accepted, &silent);
  check (sender, &run);

  g_assert_cmpint (run.cancelled_at, >, 0);
  g_assert_cmpint (g_get_monotonic_time () - run.cancelled_at, <, G_USEC_PER_SEC);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (run.stages_seen & ((1u << EP_SEND_STAGE_CONNECTING) | (1u << EP_SEND_STAGE_TLS)));
  g_assert_false (run.stages_seen & (1u << EP_SEND_STAGE_AUTHENTICATING));
  g_assert_null (ep_sender_dup_server_info (sender));
  check_run_clear (&run);
  g_clear_object (&silent.connection);
  g_socket_listener_close (listener);
}

static void
test_cancelled_before (void)
{
  g_autoptr(EpSender) sender = ep_sender_new ("127.0.0.1", 9, EP_SECURITY_TLS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CheckRun run = { 0 };

  g_cancellable_cancel (cancellable);
  run.cancellable = cancellable;
  check (sender, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  check_run_clear (&run);
}

static void
test_refused (void)
{
  guint16 closed_port = 0;
  g_autoptr(EpSender) sender = NULL;
  CheckRun run = { 0 };

  {
    g_autoptr(GSocketListener) listener = silent_listener (&closed_port);
    g_socket_listener_close (listener);
  }
  sender = ep_sender_new ("127.0.0.1", closed_port, EP_SECURITY_STARTTLS);
  check (sender, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (run.error->message, "127.0.0.1"));
  check_run_clear (&run);
}

static void
skip_case (gconstpointer data)
{
  g_test_skip ("Postfix and Dovecot could not start (run as root with the README's packages)");
}

int
main (int argc, char **argv)
{
  static const struct { const char *path; GTestDataFunc func; } cases[] = {
    { "/check/right-password", test_right_password },
    { "/check/implicit-tls-account", test_implicit_tls_account },
    { "/check/wrong-password", test_wrong_password },
    { "/check/untrusted-then-pinned", test_untrusted_then_pinned },
    { "/check/send-keeps-info", test_send_keeps_info },
  };
  World world = { 0 };
  int status;

  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/check/cancel", test_cancel);
  g_test_add_func ("/check/cancelled-before", test_cancelled_before);
  g_test_add_func ("/check/connection-refused", test_refused);

  world.stack = ep_test_stack_start ();
  if (world.stack == NULL)
    {
      if (!ep_test_may_skip ())
        {
          g_printerr ("# Postfix and Dovecot could not start (EPISTLE_ALLOW_SKIP=1 skips instead)\n");
          return 1;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &world, world.stack != NULL ? cases[i].func : skip_case);
  status = g_test_run ();

  if (world.stack != NULL && status != 0)
    ep_test_stack_dump_logs (world.stack);
  if (world.stack != NULL)
    ep_test_stack_stop (world.stack);
  return status;
}
