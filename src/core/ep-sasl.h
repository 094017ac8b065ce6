/* ep-sasl.h — SASL mechanisms as pure functions: PLAIN, LOGIN, XOAUTH2, SCRAM
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EP_SASL_ERROR (ep_sasl_error_quark ())

typedef enum {
  EP_SASL_ERROR_UNSUPPORTED,   /* no mechanism both sides know */
  EP_SASL_ERROR_SERVER,        /* the server's challenge is malformed or asks too much */
  EP_SASL_ERROR_UNPROVEN,      /* SCRAM: the server did not prove it knows the password */
  EP_SASL_ERROR_PREPARE,       /* SASLprep refuses the text */
} EpSaslError;

/* SCRAM iteration counts a server may ask for. RFC 7677 §4 wants at least
 * 4096; fewer make a proof captured by a man in the middle cheap to crack.
 * 600000 is OWASP's 2023 figure for PBKDF2-HMAC-SHA256, about 0.3 s here;
 * more lets a server stall the client for as long as it likes. */
#define EP_SASL_SCRAM_MIN_ITERATIONS 4096
#define EP_SASL_SCRAM_MAX_ITERATIONS 600000

/* Ordered weakest first: a higher value is preferred. */
typedef enum {
  EP_SASL_NONE,
  EP_SASL_LOGIN,
  EP_SASL_PLAIN,
  EP_SASL_XOAUTH2,
  EP_SASL_SCRAM_SHA_1,
  EP_SASL_SCRAM_SHA_256,
} EpSaslMechanism;

typedef struct _EpSaslScram EpSaslScram;

GQuark           ep_sasl_error_quark          (void);

const char      *ep_sasl_mechanism_to_string  (EpSaslMechanism  mechanism);
EpSaslMechanism  ep_sasl_mechanism_from_string (const char     *name);
EpSaslMechanism  ep_sasl_choose               (const char      *offered,
                                               EpSaslMechanism  forced,
                                               GError         **error);

char            *ep_sasl_saslprep             (const char      *text,
                                               GError         **error);

char            *ep_sasl_plain                (const char      *user,
                                               const char      *password);
char            *ep_sasl_xoauth2              (const char      *user,
                                               const char      *token);

EpSaslScram     *ep_sasl_scram_new            (EpSaslMechanism  mechanism,
                                               const char      *user,
                                               const char      *password,
                                               const char      *client_nonce);
void             ep_sasl_scram_free           (EpSaslScram     *self);
char            *ep_sasl_scram_client_first   (EpSaslScram     *self);
char            *ep_sasl_scram_client_final   (EpSaslScram     *self,
                                               const char      *server_first,
                                               GError         **error);
gboolean         ep_sasl_scram_verify_server  (EpSaslScram     *self,
                                               const char      *server_final,
                                               GError         **error);
gboolean         ep_sasl_scram_is_verified    (EpSaslScram     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpSaslScram, ep_sasl_scram_free)

G_END_DECLS
