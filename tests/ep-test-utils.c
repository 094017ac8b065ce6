/* ep-test-utils.c — helpers shared by the test programs
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-test-utils.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ep-mime.h"

struct _EpTestStack
{
  char *dir;
  GHashTable *env;
};

GMimeMessage *
ep_test_parse_message (const char *bytes,
                       gsize       len)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;

  ep_mime_init ();
  stream = g_mime_stream_mem_new_with_buffer (bytes, len);
  parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_message (parser, NULL);
}

typedef struct
{
  const char *mime_type;
  guint nth;
  GMimeObject *found;
} FindData;

static void
find_cb (GMimeObject *parent,
         GMimeObject *part,
         gpointer     user_data)
{
  FindData *data = user_data;
  g_autofree char *type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (part));

  if (data->found == NULL && g_ascii_strcasecmp (type, data->mime_type) == 0 && data->nth-- == 0)
    data->found = part;
}

/* The @nth (from 0) part of @mime_type anywhere under @root, or NULL. */
GMimeObject *
ep_test_find_part (GMimeObject *root,
                   const char  *mime_type,
                   guint        nth)
{
  FindData data = { mime_type, nth, NULL };
  g_autofree char *type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (root));

  if (g_ascii_strcasecmp (type, mime_type) == 0 && nth == 0)
    return root;
  if (GMIME_IS_MULTIPART (root))
    g_mime_multipart_foreach (GMIME_MULTIPART (root), find_cb, &data);
  return data.found;
}

gboolean
ep_test_part_is (GMimeObject *part,
                 const char  *mime_type)
{
  g_autofree char *type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (part));
  return g_ascii_strcasecmp (type, mime_type) == 0;
}

/* The decoded content of a leaf part. */
GBytes *
ep_test_part_content (GMimeObject *part)
{
  g_autoptr(GMimeStream) mem = g_mime_stream_mem_new ();
  GByteArray *array;

  g_assert_true (GMIME_IS_PART (part));
  g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (GMIME_PART (part)), mem);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  return g_bytes_new (array->data, array->len);
}

char *
ep_test_write_file (const char *dir,
                    const char *name,
                    const void *data,
                    gsize       len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

/* One TAP comment per line: a multi-line message would break TAP. */
static void
log_lines (const char *what,
           const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL || *text == '\0')
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] != '\0')
        g_test_message ("%s: %s", what, lines[i]);
    }
}

/**
 * ep_test_run_cli:
 * @args: arguments after the program name, NULL-terminated
 * @more: (nullable): further arguments, NULL-terminated
 * @password: (nullable): put in EPISTLE_PASSWORD
 *
 * Returns: the exit status of `epistle`
 */
int
ep_test_run_cli (const char * const  *args,
                 const char * const  *more,
                 const char          *password,
                 char               **out,
                 char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *child_out = NULL;
  g_autofree char *child_err = NULL;
  const char *bin = g_getenv ("EPISTLE_BIN");
  int status = 0;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  for (guint i = 0; more != NULL && more[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) more[i]);
  g_ptr_array_add (argv, NULL);

  envp = password ? g_environ_setenv (envp, "EPISTLE_PASSWORD", password, TRUE)
                  : g_environ_unsetenv (envp, "EPISTLE_PASSWORD");
  /* Both streams are captured: the child must never write into our TAP output. */
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                &child_out, &child_err, &status, &error);
  g_assert_no_error (error);
  log_lines ("stdout", child_out);
  log_lines ("stderr", child_err);
  if (out != NULL)
    *out = g_steal_pointer (&child_out);
  if (err != NULL)
    *err = g_steal_pointer (&child_err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* A file of tests/data with its LF line ends made CR LF, as mail is on the wire. */
static GString *
read_crlf (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("EPISTLE_TEST_DATA"), name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GString *crlf;

  g_assert_nonnull (g_getenv ("EPISTLE_TEST_DATA"));
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  crlf = g_string_new (text);
  g_string_replace (crlf, "\n", "\r\n", 0);
  return crlf;
}

/**
 * ep_test_forwarded_message:
 * @to: the outer message's recipient
 * @inner: (out): the bytes of the first message attached (tests/data/inbox/forwarded-inner.eml),
 *   named by its subject, 会议记录: multipart, with a text body and an attachment of its own
 * @note: (out): the bytes of the second, attached as “note.eml”
 *
 * Returns: (transfer full): a message whose parts are a forwarded message, its own
 *   text and another forwarded message, with CR LF line ends
 */
GString *
ep_test_forwarded_message (const char  *to,
                           GBytes     **inner,
                           GBytes     **note)
{
  GString *outer = read_crlf ("inbox/forwarded-outer.eml");
  GString *first = read_crlf ("inbox/forwarded-inner.eml");
  const char *second = "From: a@example.test\r\nSubject: second\r\n\r\nsecond body";

  g_assert_nonnull (strstr (outer->str, second));
  g_string_replace (outer, "@TO@", to, 1);
  g_string_replace (outer, "@INNER@", first->str, 1);
  *inner = g_string_free_to_bytes (first);
  *note = g_bytes_new (second, strlen (second));
  return outer;
}

char *
ep_test_unique_token (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  return g_strdup_printf ("ep-%.8s", uuid);
}

/* Starts Postfix and Dovecot; NULL if they cannot start (see the test log). */
EpTestStack *
ep_test_stack_start (void)
{
  const char *script = g_getenv ("EPISTLE_MAILSTACK");
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  EpTestStack *stack;
  int status = 0;

  g_assert_nonnull (script);
  dir = g_dir_make_tmp ("epistle-mailstack-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *owner = g_strdup_printf ("%d", (int) getpid ());
    const char *argv[] = { script, "start", dir, owner, NULL };
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                       &out, &err, &status, &error) || !g_spawn_check_wait_status (status, &error))
      {
        g_printerr ("# mailstack did not start: %s\n# %s\n", error->message, err ? err : "");
        ep_test_stack_stop (&(EpTestStack) { g_steal_pointer (&dir), NULL });
        return NULL;
      }
  }

  stack = g_new0 (EpTestStack, 1);
  stack->dir = g_steal_pointer (&dir);
  stack->env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');
      if (eq != NULL)
        g_hash_table_insert (stack->env, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  return stack;
}

/* Stops the servers and deletes their directory; frees @stack unless it lives on
 * the stack (env NULL). */
void
ep_test_stack_stop (EpTestStack *stack)
{
  const char *script = g_getenv ("EPISTLE_MAILSTACK");
  const char *argv[] = { script, "purge", stack->dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, NULL, NULL);
  if (stack->env == NULL)
    {
      g_free (stack->dir);
      return;
    }
  g_hash_table_unref (stack->env);
  g_free (stack->dir);
  g_free (stack);
}

/* Shows the servers' logs as TAP comments, for a failed run. */
void
ep_test_stack_dump_logs (EpTestStack *stack)
{
  static const char * const logs[] = { "postfix.log", "dovecot.log" };

  for (guint i = 0; i < G_N_ELEMENTS (logs); i++)
    {
      g_autofree char *path = g_build_filename (stack->dir, logs[i], NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      guint n;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      lines = g_strsplit (text, "\n", -1);
      n = g_strv_length (lines);
      for (guint j = n > 40 ? n - 40 : 0; j < n; j++)
        {
          if (*lines[j] != '\0')
            g_test_message ("%s: %s", logs[i], lines[j]);
        }
    }
}

const char *
ep_test_stack_get (EpTestStack *stack,
                   const char  *key)
{
  const char *value = g_hash_table_lookup (stack->env, key);

  g_assert_nonnull (value);
  return value;
}

static int
run_fetch (EpTestStack  *stack,
           const char   *user,
           const char   *header,
           const char   *value,
           gboolean      absent,
           guint         wait_seconds,
           char        **out,
           gsize        *len)
{
  g_autofree char *wait = g_strdup_printf ("%u", wait_seconds);
  const char *argv[] = {
    g_getenv ("EPISTLE_IMAP_FETCH"), "--port", ep_test_stack_get (stack, "IMAPS_PORT"),
    "--ca", ep_test_stack_get (stack, "CA_FILE"), "--user", user,
    "--password", ep_test_stack_get (stack, "PASSWORD"), "--header", header, value,
    "--wait", wait, absent ? "--absent" : NULL, NULL
  };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &stdout_bytes, NULL, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_bytes_unref_to_data (g_steal_pointer (&stdout_bytes), len);
  return g_subprocess_get_exit_status (proc);
}

/* The raw message in @user's INBOX whose @header contains @value, waiting for delivery. */
char *
ep_test_stack_fetch (EpTestStack *stack,
                     const char  *user,
                     const char  *header,
                     const char  *value,
                     gsize       *len)
{
  char *out = NULL;
  int status = run_fetch (stack, user, header, value, FALSE, 30, &out, len);

  if (status != 0)
    g_clear_pointer (&out, g_free);
  return out;
}

/* Whether no such message reaches @user within @wait_seconds. */
gboolean
ep_test_stack_absent (EpTestStack *stack,
                      const char  *user,
                      const char  *header,
                      const char  *value,
                      guint        wait_seconds)
{
  return run_fetch (stack, user, header, value, TRUE, wait_seconds, NULL, NULL) == 0;
}

/* Stops or restarts the stack's Postfix alone; Dovecot keeps running. */
void
ep_test_stack_set_postfix (EpTestStack *stack,
                           gboolean     running)
{
  const char *argv[] = { g_getenv ("EPISTLE_MAILSTACK"), running ? "start-postfix" : "stop-postfix",
                         stack->dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("mailstack %s: %s %s", argv[1], error->message, err ? err : "");
}

/* How many messages in @user's INBOX have @header containing @value, after waiting
 * for the first and then @wait_seconds in all (so a late duplicate is counted too). */
guint
ep_test_stack_count (EpTestStack *stack,
                     const char  *user,
                     const char  *header,
                     const char  *value,
                     guint        wait_seconds)
{
  g_autofree char *wait = g_strdup_printf ("%u", wait_seconds);
  const char *argv[] = {
    g_getenv ("EPISTLE_IMAP_FETCH"), "--port", ep_test_stack_get (stack, "IMAPS_PORT"),
    "--ca", ep_test_stack_get (stack, "CA_FILE"), "--user", user,
    "--password", ep_test_stack_get (stack, "PASSWORD"), "--header", header, value,
    "--wait", wait, "--count", NULL
  };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
    return (guint) g_ascii_strtoull (text, NULL, 10);
  }
}

/* Whether a test may skip when what it needs is missing (a server that will
 * not start): only when EPISTLE_ALLOW_SKIP=1, e.g. for a developer without
 * root. Everywhere else, CI included, a missing prerequisite is a failure. */
gboolean
ep_test_may_skip (void)
{
  return g_strcmp0 (g_getenv ("EPISTLE_ALLOW_SKIP"), "1") == 0;
}
