/* ep-cli.c — the command-line verbs and what they share
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "ep-cli-exit.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Verb;

static const Verb verbs[] = {
  { "send", ep_cli_send, N_("Send a message through an SMTP server") },
  { "inbox", ep_cli_inbox, N_("List a mailbox's newest messages over IMAP, or write them as JSON") },
};

gboolean
ep_cli_is_verb (const char *word)
{
  g_return_val_if_fail (word != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      if (g_str_equal (word, verbs[i].name))
        return TRUE;
    }
  return FALSE;
}

void
ep_cli_print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: epistle VERB [OPTION…]"));
  fprintf (out, "%s\n", _("Epistle writes and sends mail. Verbs:"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    fprintf (out, "  %-8s %s\n", verbs[i].name, _(verbs[i].summary));
  fprintf (out, "\n%s\n", _("Run “epistle VERB --help” for a verb's options."));
}

/* @argv[1] is the verb; the verb sees it as its program name. */
int
ep_cli_run (int    argc,
            char **argv)
{
  g_return_val_if_fail (argc >= 2, EP_EXIT_USAGE);

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      if (g_str_equal (argv[1], verbs[i].name))
        return verbs[i].run (argc - 1, argv + 1);
    }
  ep_cli_print_usage (stderr);
  return EP_EXIT_USAGE;
}

/* Sets a usage error (exit 64) saying @message; returns %FALSE for the caller to return. */
gboolean
ep_cli_usage_error (GError     **error,
                    const char  *message)
{
  g_set_error_literal (error, EP_CLI_ERROR, EP_CLI_ERROR_USAGE, message);
  return FALSE;
}

/* Prints “epistle: MESSAGE” and returns the exit status for @error. */
int
ep_cli_fail (const GError *error)
{
  g_printerr ("epistle: %s\n", error->message);
  return ep_cli_exit_from_error (error);
}

/**
 * ep_cli_parse_server:
 * @text: `host`, `host:port`, `[v6 address]:port` or a bare IPv6 address
 * @port: (out): the port, or the default for @security
 */
gboolean
ep_cli_parse_server (const char  *text,
                     EpSecurity   security,
                     char       **host,
                     guint16     *port,
                     GError     **error)
{
  const char *colon;
  guint64 value;

  *port = ep_security_default_smtp_port (security);
  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL || (close[1] != '\0' && close[1] != ':'))
        goto bad;
      *host = g_strndup (text + 1, close - text - 1);
      colon = close[1] == ':' ? close + 1 : NULL;
    }
  else if (g_hostname_is_ip_address (text) && strchr (text, ':') != NULL)
    {
      *host = g_strdup (text);
      return TRUE;
    }
  else
    {
      colon = strrchr (text, ':');
      *host = colon ? g_strndup (text, colon - text) : g_strdup (text);
    }

  if (**host == '\0')
    goto bad_free;
  if (colon == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
    goto bad_free;
  *port = (guint16) value;
  return TRUE;

bad_free:
  g_clear_pointer (host, g_free);
bad:
  g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_USAGE,
               _("“%s” is not a server: use HOST or HOST:PORT"), text);
  return FALSE;
}

/* Reads a line from the terminal with echo off. */
static char *
prompt_secret (const char  *user,
               const char  *host,
               GError     **error)
{
  struct termios saved, quiet;
  char buffer[1024];
  FILE *tty = fopen ("/dev/tty", "r+e");
  char *line;

  if (tty == NULL)
    {
      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_USAGE,
                   _("No password given: set EPISTLE_PASSWORD, pass --password-file, "
                     "or run on a terminal to be asked"));
      return NULL;
    }
  fprintf (tty, _("Password for %s at %s: "), user, host);
  fflush (tty);
  tcgetattr (fileno (tty), &saved);
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
  line = fgets (buffer, sizeof buffer, tty);
  tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fputc ('\n', tty);
  fclose (tty);

  if (line == NULL)
    {
      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_USAGE, _("No password was entered"));
      return NULL;
    }
  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  memset (buffer, 0, sizeof buffer);
  return line;
}

/**
 * ep_cli_read_secret:
 *
 * The password or authorization code: from EPISTLE_PASSWORD, else the
 * first line of @password_file, else asked on the terminal. Never an argument.
 */
char *
ep_cli_read_secret (const char  *user,
                    const char  *host,
                    const char  *password_file,
                    GError     **error)
{
  const char *env = g_getenv ("EPISTLE_PASSWORD");
  g_autofree char *contents = NULL;

  if (env != NULL)
    return g_strdup (env);
  if (password_file == NULL)
    return prompt_secret (user, host, error);

  if (!g_file_get_contents (password_file, &contents, NULL, error))
    return NULL;
  contents[strcspn (contents, "\r\n")] = '\0';
  return g_steal_pointer (&contents);
}

/* A whole file that must be UTF-8 text (a body). */
char *
ep_cli_read_text_file (const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  if (!g_utf8_validate_len (contents, len, NULL))
    {
      g_autofree char *display = g_filename_display_name (path);
      g_set_error (error, EP_CLI_ERROR, EP_CLI_ERROR_INPUT,
                   _("“%s” is not UTF-8 text (or holds a NUL byte); convert it first, "
                     "for example with iconv -f GB18030 -t UTF-8"), display);
      return NULL;
    }
  return g_steal_pointer (&contents);
}
