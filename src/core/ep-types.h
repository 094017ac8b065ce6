/* ep-types.h — shared enums for Epistle's core library
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How the connection to a server is protected. */
typedef enum {
  EP_SECURITY_STARTTLS,   /* plain connect, then STARTTLS before anything else (587, 143) */
  EP_SECURITY_TLS,        /* TLS from the first byte (465, 993) */
  EP_SECURITY_NONE,       /* no encryption: the user chose it explicitly */
} EpSecurity;

/* Where a send is; reported with progress. */
typedef enum {
  EP_SEND_STAGE_PREPARING,
  EP_SEND_STAGE_CONNECTING,
  EP_SEND_STAGE_TLS,
  EP_SEND_STAGE_AUTHENTICATING,
  EP_SEND_STAGE_ENVELOPE,
  EP_SEND_STAGE_SENDING,
  EP_SEND_STAGE_DONE,
} EpSendStage;

typedef enum {
  EP_RECIPIENT_TO,
  EP_RECIPIENT_CC,
  EP_RECIPIENT_BCC,
} EpRecipientKind;

const char *ep_security_to_string  (EpSecurity  security);
gboolean    ep_security_from_string (const char *text,
                                     EpSecurity *security);
guint16     ep_security_default_smtp_port (EpSecurity security);
guint16     ep_security_default_imap_port (EpSecurity security);
const char *ep_send_stage_to_string (EpSendStage stage);

G_END_DECLS
