/* ep-imap-private.h — what ep-imap.c shares with ep-imap-auth.c, -fetch.c and -mailbox.c
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ep-imap.h"
#include "ep-transport.h"

G_BEGIN_DECLS

struct _EpImapClient
{
  GObject parent_instance;

  /* Owned */
  EpTranscript *transcript;
  EpTransport *transport;
  EpImapParser *parser;
  GHashTable *capabilities;   /* upper-case names */
  char *in_buffer;
  char *bye;                  /* the text of an untagged BYE, once seen */

  gsize in_pos;
  gsize in_len;
  gsize max_response;
  guint timeout;
  guint next_tag;
  EpSecurity security;
  gboolean authenticated;
  gboolean allow_plaintext_auth;
  gboolean broken;            /* an I/O or parse failure: the dialogue is out of step */
};

typedef struct _EpImapCommand EpImapCommand;

/* Called for each untagged response while a command runs. */
typedef gboolean (*EpImapUntaggedFunc) (EpImapClient          *self,
                                        const EpImapResponse  *response,
                                        gpointer               user_data,
                                        GError               **error);

EpImapCommand  *ep_imap_command_new        (EpImapClient   *self,
                                            const char     *verb);
void            ep_imap_command_free       (EpImapCommand  *command);
void            ep_imap_command_add_text   (EpImapCommand  *command,
                                            const char     *text);
void            ep_imap_command_add_string (EpImapCommand  *command,
                                            const char     *value);
void            ep_imap_command_add_mailbox (EpImapCommand *command,
                                            const char     *mailbox);
const char     *ep_imap_command_get_tag    (EpImapCommand  *command);

gboolean        ep_imap_client_run         (EpImapClient        *self,
                                            EpImapCommand       *command,
                                            EpImapUntaggedFunc   func,
                                            gpointer             user_data,
                                            EpImapResponse     **tagged,
                                            GCancellable        *cancellable,
                                            GError             **error);
gboolean        ep_imap_client_send        (EpImapClient        *self,
                                            EpImapCommand       *command,
                                            GCancellable        *cancellable,
                                            GError             **error);
gboolean        ep_imap_client_flush       (EpImapClient        *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
gboolean        ep_imap_client_wait_continuation (EpImapClient  *self,
                                            const char          *tag,
                                            const char          *what,
                                            GCancellable        *cancellable,
                                            GError             **error);
gboolean        ep_imap_client_send_line   (EpImapClient        *self,
                                            const char          *line,
                                            gboolean             secret,
                                            GCancellable        *cancellable,
                                            GError             **error);
EpImapResponse *ep_imap_client_read        (EpImapClient        *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
EpImapResponse *ep_imap_client_wait_tagged (EpImapClient        *self,
                                            const char          *tag,
                                            EpImapUntaggedFunc   func,
                                            gpointer             user_data,
                                            gboolean             continuation,
                                            GCancellable        *cancellable,
                                            GError             **error);
gboolean        ep_imap_client_check_tagged (EpImapClient       *self,
                                            const EpImapResponse *tagged,
                                            const char          *what,
                                            GError             **error);
char           *ep_imap_response_dup_text  (const EpImapResponse *response);

gboolean        ep_imap_parse_fetch        (const EpImapResponse *response,
                                            EpImapMessage      **message,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapCommand, ep_imap_command_free)

G_END_DECLS
