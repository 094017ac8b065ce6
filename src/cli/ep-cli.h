/* ep-cli.h — the command-line verbs and what they share
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <glib.h>

#include "ep-send-result.h"
#include "ep-types.h"

G_BEGIN_DECLS

gboolean  ep_cli_is_verb         (const char  *word);
int       ep_cli_run             (int          argc,
                                  char       **argv);
void      ep_cli_print_usage     (FILE        *out);

/* For the verbs */
int       ep_cli_send            (int          argc,
                                  char       **argv);
int       ep_cli_inbox           (int          argc,
                                  char       **argv);

/* `epistle send --imap`: where the Sent copy goes (ep-cli-inbox.c). */
typedef struct
{
  const char *server;
  const char *security;
  const char *user;
  const char *password_file;
  const char *ca_file;
  const char *pin;
  guint timeout;
  gboolean allow_plaintext_auth;
  const char *account;     /* --account: the secret may come from the keyring */
} EpCliImapOptions;

void      ep_cli_save_sent_copy  (const EpCliImapOptions *options,
                                  EpSendResult *result);
gboolean  ep_cli_parse_server    (const char  *text,
                                  EpSecurity   security,
                                  char       **host,
                                  guint16     *port,
                                  GError     **error);
gboolean  ep_cli_usage_error     (GError     **error,
                                  const char  *message);
char     *ep_cli_read_secret     (const char  *user,
                                  const char  *host,
                                  const char  *password_file,
                                  GError     **error);
char     *ep_cli_read_text_file  (const char  *path,
                                  GError     **error);
int       ep_cli_fail            (const GError *error);

/* `--account ADDR` (ep-cli-account.c): where a saved account's values go. */
typedef struct
{
  char    **server;
  char    **security;
  char    **user;
  char    **ca_file;
  char    **pin;
  gboolean *allow_plaintext_auth;
  char    **from;        /* NULL for a verb that sends nothing */
  char    **from_name;
} EpCliAccountFields;

gboolean  ep_cli_account_fill    (const char  *address,
                                  gboolean     imap,
                                  const EpCliAccountFields *fields,
                                  GError     **error);
char     *ep_cli_account_read_secret (const char *address,
                                  const char  *user,
                                  const char  *host,
                                  const char  *password_file,
                                  GError     **error);

G_END_DECLS
