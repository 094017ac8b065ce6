/* ep-imap-parser.h — IMAP response parser that checks every length; no I/O
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EP_IMAP_PARSER_ERROR (ep_imap_parser_error_quark ())

typedef enum {
  EP_IMAP_PARSER_ERROR_SYNTAX,     /* not an IMAP response */
  EP_IMAP_PARSER_ERROR_TOO_BIG,    /* a line, literal or response over its limit */
  EP_IMAP_PARSER_ERROR_TOO_DEEP,   /* lists nested deeper than the limit */
} EpImapParserError;

/* Defaults: a whole response (a BODY[] literal included), one line without
 * its literals, the number of values in one response, list nesting. */
#define EP_IMAP_PARSER_MAX_RESPONSE (64 * 1024 * 1024)
#define EP_IMAP_PARSER_MAX_LINE     (8 * 1024 * 1024)
#define EP_IMAP_PARSER_MAX_VALUES   (256 * 1024)
#define EP_IMAP_PARSER_MAX_DEPTH    32

typedef enum {
  EP_IMAP_VALUE_ATOM,      /* also numbers, flags (\Seen) and BODY[…]<…> names */
  EP_IMAP_VALUE_STRING,    /* quoted or literal */
  EP_IMAP_VALUE_NIL,
  EP_IMAP_VALUE_LIST,
} EpImapValueType;

typedef struct _EpImapValue EpImapValue;

/* Read-only; owned by its response. @data is NUL-terminated (a literal may
 * hold NUL bytes too: use @len). */
struct _EpImapValue
{
  EpImapValueType type;
  gboolean literal;
  const char *data;        /* ATOM, STRING; NULL otherwise */
  gsize len;
  GPtrArray *items;        /* LIST: EpImapValue *; NULL otherwise */
};

typedef enum {
  EP_IMAP_RESPONSE_UNTAGGED,
  EP_IMAP_RESPONSE_TAGGED,
  EP_IMAP_RESPONSE_CONTINUATION,
} EpImapResponseKind;

typedef enum {
  EP_IMAP_STATUS_NONE,     /* untagged data such as “* 3 FETCH (…)” */
  EP_IMAP_STATUS_OK,
  EP_IMAP_STATUS_NO,
  EP_IMAP_STATUS_BAD,
  EP_IMAP_STATUS_PREAUTH,
  EP_IMAP_STATUS_BYE,
} EpImapStatus;

typedef struct _EpImapResponse EpImapResponse;

/* Read-only. */
struct _EpImapResponse
{
  EpImapResponseKind kind;
  const char *tag;         /* TAGGED only */
  EpImapStatus status;
  const EpImapValue *code; /* the [resp-text-code] as a LIST, or NULL */
  const char *text;        /* resp-text after the code, or a continuation's text; the
                            * server's bytes, not necessarily UTF-8; "" if none */
  const EpImapValue *data; /* untagged data without a status: every value after “*”, a LIST */

  /*< private >*/
  gpointer priv;
};

typedef struct _EpImapParser EpImapParser;

GQuark              ep_imap_parser_error_quark     (void);

EpImapParser       *ep_imap_parser_new             (void);
void                ep_imap_parser_free            (EpImapParser    *self);
void                ep_imap_parser_set_limits      (EpImapParser    *self,
                                                    gsize            max_response,
                                                    gsize            max_line,
                                                    guint            max_values);
gsize               ep_imap_parser_get_wanted      (EpImapParser    *self);
gboolean            ep_imap_parser_is_idle         (EpImapParser    *self);
gboolean            ep_imap_parser_feed            (EpImapParser    *self,
                                                    const char      *data,
                                                    gsize            len,
                                                    gsize           *consumed,
                                                    EpImapResponse **response,
                                                    GError         **error);

void                ep_imap_response_free          (EpImapResponse  *response);
guint               ep_imap_response_get_n_lines   (const EpImapResponse *response);
const char         *ep_imap_response_get_line      (const EpImapResponse *response,
                                                    guint            index,
                                                    gsize           *literal_len);

gboolean            ep_imap_value_is_atom          (const EpImapValue *value,
                                                    const char      *atom);
gboolean            ep_imap_value_is_string        (const EpImapValue *value);
gboolean            ep_imap_value_get_number       (const EpImapValue *value,
                                                    guint64          max,
                                                    guint64         *number);
guint               ep_imap_value_get_n_items      (const EpImapValue *value);
const EpImapValue  *ep_imap_value_get_item         (const EpImapValue *value,
                                                    guint            index);
char               *ep_imap_value_dup_nstring      (const EpImapValue *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapParser, ep_imap_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpImapResponse, ep_imap_response_free)

G_END_DECLS
