/* ep-cli-exit.c — GError domain/code → sysexits.h status, in one table
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scripts branch on these: 65 means fix the input and nothing was sent,
 * 75 means try again later, 77 and 78 mean fix the account.
 */
#include "ep-cli-exit.h"

#include <gio/gio.h>

#include "ep-address.h"
#include "ep-imap-parser.h"
#include "ep-imap.h"
#include "ep-message.h"
#include "ep-mime.h"
#include "ep-sasl.h"
#include "ep-smtp-reply.h"
#include "ep-smtp.h"
#include "ep-tls.h"
#include "ep-transport.h"

#define ANY_CODE -1

G_DEFINE_QUARK (ep-cli-error-quark, ep_cli_error)

typedef struct
{
  GQuark (*domain) (void);
  int code;
  int status;
} ExitRow;

static const ExitRow exit_table[] = {
  { ep_cli_error_quark, EP_CLI_ERROR_USAGE, EP_EXIT_USAGE },
  { ep_cli_error_quark, EP_CLI_ERROR_INPUT, EP_EXIT_DATAERR },
  { ep_cli_error_quark, EP_CLI_ERROR_CREATE, EP_EXIT_CANTCREAT },
  { ep_cli_error_quark, EP_CLI_ERROR_OUTPUT, EP_EXIT_IOERR },
  { ep_address_error_quark, ANY_CODE, EP_EXIT_DATAERR },
  { ep_message_error_quark, ANY_CODE, EP_EXIT_DATAERR },
  { ep_mime_error_quark, ANY_CODE, EP_EXIT_DATAERR },
  { g_file_error_quark, ANY_CODE, EP_EXIT_DATAERR },
  { g_resolver_error_quark, G_RESOLVER_ERROR_TEMPORARY_FAILURE, EP_EXIT_TEMPFAIL },
  { g_resolver_error_quark, ANY_CODE, EP_EXIT_NOHOST },
  { ep_tls_error_quark, ANY_CODE, EP_EXIT_CONFIG },
  { ep_transport_error_quark, EP_TRANSPORT_ERROR_CLOSED, EP_EXIT_TEMPFAIL },
  { ep_transport_error_quark, EP_TRANSPORT_ERROR_STARTTLS, EP_EXIT_CONFIG },
  { ep_transport_error_quark, ANY_CODE, EP_EXIT_PROTOCOL },
  { ep_smtp_reply_error_quark, ANY_CODE, EP_EXIT_PROTOCOL },
  { ep_sasl_error_quark, ANY_CODE, EP_EXIT_NOPERM },
  { ep_smtp_error_quark, EP_SMTP_ERROR_PROTOCOL, EP_EXIT_PROTOCOL },
  { ep_smtp_error_quark, EP_SMTP_ERROR_AUTH, EP_EXIT_NOPERM },
  { ep_smtp_error_quark, EP_SMTP_ERROR_INSECURE, EP_EXIT_CONFIG },
  { ep_smtp_error_quark, EP_SMTP_ERROR_TEMPORARY, EP_EXIT_TEMPFAIL },
  { ep_smtp_error_quark, ANY_CODE, EP_EXIT_UNAVAILABLE },
  { ep_imap_error_quark, EP_IMAP_ERROR_AUTH, EP_EXIT_NOPERM },
  { ep_imap_error_quark, EP_IMAP_ERROR_INSECURE, EP_EXIT_CONFIG },
  { ep_imap_error_quark, EP_IMAP_ERROR_REFUSED, EP_EXIT_UNAVAILABLE },
  { ep_imap_error_quark, EP_IMAP_ERROR_NOT_FOUND, EP_EXIT_UNAVAILABLE },
  { ep_imap_error_quark, EP_IMAP_ERROR_UIDVALIDITY, EP_EXIT_TEMPFAIL },
  { ep_imap_error_quark, EP_IMAP_ERROR_BYE, EP_EXIT_TEMPFAIL },
  { ep_imap_error_quark, ANY_CODE, EP_EXIT_PROTOCOL },
  { ep_imap_parser_error_quark, ANY_CODE, EP_EXIT_PROTOCOL },
  { g_io_error_quark, G_IO_ERROR_NOT_FOUND, EP_EXIT_DATAERR },
  { g_io_error_quark, ANY_CODE, EP_EXIT_TEMPFAIL },
};

int
ep_cli_exit_from_error (const GError *error)
{
  if (error == NULL)
    return EP_EXIT_OK;

  for (guint i = 0; i < G_N_ELEMENTS (exit_table); i++)
    {
      const ExitRow *row = &exit_table[i];

      if (error->domain == row->domain () && (row->code == ANY_CODE || row->code == error->code))
        return row->status;
    }
  return EP_EXIT_SOFTWARE;
}
