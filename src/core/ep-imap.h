/* ep-imap.h — EpImapClient: blocking CAPABILITY, ID, STARTTLS, LOGIN/AUTHENTICATE,
 * LIST, SELECT, UID SEARCH, UID FETCH, APPEND, LOGOUT
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-gmime.h"
#include "ep-imap-parser.h"
#include "ep-sasl.h"
#include "ep-transcript.h"
#include "ep-types.h"

G_BEGIN_DECLS

#define EP_IMAP_ERROR (ep_imap_error_quark ())

typedef enum {
  EP_IMAP_ERROR_PROTOCOL,     /* the server said something it should not have */
  EP_IMAP_ERROR_AUTH,         /* sign-in refused or impossible */
  EP_IMAP_ERROR_INSECURE,     /* encryption was asked for and cannot be had */
  EP_IMAP_ERROR_REFUSED,      /* a command answered NO */
  EP_IMAP_ERROR_BAD,          /* a command answered BAD */
  EP_IMAP_ERROR_BYE,          /* the server ended the session */
  EP_IMAP_ERROR_NOT_FOUND,    /* no such mailbox */
  EP_IMAP_ERROR_UIDVALIDITY,  /* the mailbox was renumbered (RFC 3501 2.3.1.1): known UIDs are void */
} EpImapError;

typedef struct
{
  char *name;                 /* UTF-8, decoded from modified UTF-7 */
  char *encoded;              /* as the server writes it */
  char delimiter;             /* 0 when the server has no hierarchy */
  char **flags;               /* \HasNoChildren, \Sent, …, as sent */
} EpImapMailbox;

typedef struct
{
  guint32 exists;
  guint32 uidvalidity;
  guint32 uidnext;
  gboolean read_only;
} EpImapSelected;

typedef enum {
  EP_IMAP_FETCH_FLAGS         = 1 << 0,
  EP_IMAP_FETCH_INTERNALDATE  = 1 << 1,
  EP_IMAP_FETCH_SIZE          = 1 << 2,
  EP_IMAP_FETCH_ENVELOPE      = 1 << 3,
  EP_IMAP_FETCH_BODYSTRUCTURE = 1 << 4,
  EP_IMAP_FETCH_HEADERS       = 1 << 5,   /* BODY.PEEK[HEADER.FIELDS (…)] */
  EP_IMAP_FETCH_BODY          = 1 << 6,   /* BODY.PEEK[] */
  EP_IMAP_FETCH_HEADER        = 1 << 7,   /* BODY.PEEK[HEADER], into headers */
} EpImapFetchItems;

typedef struct
{
  char *name;                 /* raw, possibly RFC 2047 encoded */
  char *mailbox;
  char *host;
} EpImapAddress;

typedef struct
{
  char *date;
  char *subject;              /* raw, possibly RFC 2047 encoded */
  GPtrArray *from;            /* EpImapAddress */
  GPtrArray *to;
  GPtrArray *cc;
  char *in_reply_to;
  char *message_id;
} EpImapEnvelope;

typedef struct
{
  guint32 uid;
  char **flags;               /* NULL unless fetched */
  GDateTime *internaldate;    /* NULL unless fetched */
  guint64 size;
  EpImapEnvelope *envelope;   /* NULL unless fetched */
  gboolean has_attachments;   /* from BODYSTRUCTURE */
  GBytes *headers;            /* BODY[HEADER.FIELDS …]; both have a NUL after their */
  GBytes *body;               /* BODY[]: the whole message;   end, not counted */
} EpImapMessage;

#define EP_TYPE_IMAP_CLIENT (ep_imap_client_get_type ())
G_DECLARE_FINAL_TYPE (EpImapClient, ep_imap_client, EP, IMAP_CLIENT, GObject)

GQuark          ep_imap_error_quark             (void);

void            ep_imap_mailbox_free            (EpImapMailbox   *mailbox);
gboolean        ep_imap_mailbox_has_flag        (const EpImapMailbox *mailbox,
                                                 const char      *flag);
char          **ep_imap_mailbox_dup_path        (const EpImapMailbox *mailbox);
void            ep_imap_address_free            (EpImapAddress   *address);
char           *ep_imap_address_dup_display     (const EpImapAddress *address);
void            ep_imap_envelope_free           (EpImapEnvelope  *envelope);
void            ep_imap_message_free            (EpImapMessage   *message);

EpImapClient   *ep_imap_client_new              (EpTranscript    *transcript,
                                                 guint            timeout);
void            ep_imap_client_set_max_response (EpImapClient    *self,
                                                 gsize            max_response);
gboolean        ep_imap_client_connect          (EpImapClient    *self,
                                                 const char      *host,
                                                 guint16          port,
                                                 EpSecurity       security,
                                                 const char      *ca_file,
                                                 const char      *pin,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_has_capability   (EpImapClient    *self,
                                                 const char      *capability);
gboolean        ep_imap_client_is_authenticated (EpImapClient    *self);
gboolean        ep_imap_client_capability       (EpImapClient    *self,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_id               (EpImapClient    *self,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
void            ep_imap_client_set_allow_plaintext_auth (EpImapClient *self,
                                                 gboolean         allow);
gboolean        ep_imap_client_login            (EpImapClient    *self,
                                                 const char      *user,
                                                 const char      *secret,
                                                 EpSaslMechanism  forced,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
GPtrArray      *ep_imap_client_list             (EpImapClient    *self,
                                                 const char      *pattern,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
char           *ep_imap_client_find_sent        (EpImapClient    *self,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_create           (EpImapClient    *self,
                                                 const char      *mailbox,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_delete           (EpImapClient    *self,
                                                 const char      *mailbox,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_select           (EpImapClient    *self,
                                                 const char      *mailbox,
                                                 gboolean         read_only,
                                                 EpImapSelected  *selected,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_select_expecting (EpImapClient    *self,
                                                 const char      *mailbox,
                                                 gboolean         read_only,
                                                 guint32          uidvalidity,
                                                 EpImapSelected  *selected,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_check_uidvalidity       (const char      *mailbox,
                                                 guint32          expected,
                                                 guint32          actual,
                                                 GError         **error);
GArray         *ep_imap_client_uid_search       (EpImapClient    *self,
                                                 const char      *criteria,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
GArray         *ep_imap_client_uid_search_header (EpImapClient   *self,
                                                 const char      *header,
                                                 const char      *value,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
GPtrArray      *ep_imap_client_uid_fetch        (EpImapClient    *self,
                                                 const char      *uid_set,
                                                 EpImapFetchItems items,
                                                 const char      *header_fields,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_append_stream    (EpImapClient    *self,
                                                 const char      *mailbox,
                                                 const char      *flags,
                                                 GInputStream    *stream,
                                                 guint64          size,
                                                 guint32         *uid,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_append_message   (EpImapClient    *self,
                                                 const char      *mailbox,
                                                 const char      *flags,
                                                 GMimeMessage    *mime,
                                                 guint64          size,
                                                 guint32         *uid,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        ep_imap_client_uid_store_flags  (EpImapClient    *self,
                                                 const char      *uid_set,
                                                 gboolean         add,
                                                 const char      *flags,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
void            ep_imap_client_logout           (EpImapClient    *self);

char           *ep_imap_uid_set                 (const guint32   *uids,
                                                 guint            n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapMailbox, ep_imap_mailbox_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapMessage, ep_imap_message_free)

G_END_DECLS
