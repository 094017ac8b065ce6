/* ep-imap-parser.c — IMAP response parser that checks every length; no I/O
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two stages. Feeding gathers one response as the server sends it: lines up
 * to CR LF, and after a line that ends in a literal's “{n}” exactly n bytes,
 * appended as they arrive — a literal's announced size is checked against
 * the limits, never allocated in advance, so a server that announces 2^63
 * bytes and sends three costs three. When a line ends without a literal the
 * response is whole, and a recursive-descent pass over its lines and
 * literals (RFC 3501 §9: atoms, quoted strings, literals, NIL, lists) builds
 * the values, with nesting and the number of values bounded.
 *
 * Literal values point into the response's own buffer; atoms and quoted
 * strings are copied, NUL-terminated, into a string chunk.
 */
#include "ep-imap-parser.h"

#include <string.h>
#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (ep-imap-parser-error-quark, ep_imap_parser_error)

typedef struct
{
  gsize offset;
  gsize len;
  gboolean literal;
} Chunk;

typedef struct
{
  GByteArray *raw;         /* lines (each NUL-terminated) and literals (each too) */
  GArray *chunks;          /* Chunk, in order: line, literal, line, … line */
  GStringChunk *strings;
  GPtrArray *values;       /* every EpImapValue, for freeing */
} ResponsePriv;

struct _EpImapParser
{
  gsize max_response;
  gsize max_line;
  guint max_values;

  ResponsePriv *current;   /* the response being gathered, or NULL */
  gsize line_start;        /* where the current line began in raw */
  gboolean in_literal;
  guint64 literal_left;
  gboolean no_literals;    /* a status or continuation line: “{n}” at its end is text */
};

static void
response_priv_free (ResponsePriv *priv)
{
  if (priv == NULL)
    return;
  g_byte_array_unref (priv->raw);
  g_array_unref (priv->chunks);
  if (priv->strings != NULL)
    g_string_chunk_free (priv->strings);
  if (priv->values != NULL)
    g_ptr_array_unref (priv->values);
  g_free (priv);
}

static void
value_free (gpointer data)
{
  EpImapValue *value = data;

  if (value->items != NULL)
    g_ptr_array_unref (value->items);
  g_free (value);
}

EpImapParser *
ep_imap_parser_new (void)
{
  EpImapParser *self = g_new0 (EpImapParser, 1);

  self->max_response = EP_IMAP_PARSER_MAX_RESPONSE;
  self->max_line = EP_IMAP_PARSER_MAX_LINE;
  self->max_values = EP_IMAP_PARSER_MAX_VALUES;
  return self;
}

void
ep_imap_parser_free (EpImapParser *self)
{
  if (self == NULL)
    return;
  response_priv_free (self->current);
  g_free (self);
}

/**
 * ep_imap_parser_set_limits:
 * @max_response: bytes one response may hold in all, literals included
 * @max_line: bytes of one line, without CR LF
 * @max_values: atoms, strings and lists in one response
 *
 * Applies from the next response on.
 */
void
ep_imap_parser_set_limits (EpImapParser *self,
                           gsize         max_response,
                           gsize         max_line,
                           guint         max_values)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_response > 0 && max_line > 0 && max_values > 0);

  self->max_response = max_response;
  self->max_line = MIN (max_line, max_response);
  self->max_values = max_values;
}

/* Bytes the current literal still needs, or 0 when a line is being read. */
gsize
ep_imap_parser_get_wanted (EpImapParser *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->in_literal ? (gsize) self->literal_left : 0;
}

/* Whether no response has begun: nothing is held between responses. */
gboolean
ep_imap_parser_is_idle (EpImapParser *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->current == NULL;
}

static gboolean
fail (GError     **error,
      int          code,
      const char  *message)
{
  g_set_error_literal (error, EP_IMAP_PARSER_ERROR, code, message);
  return FALSE;
}

static void
add_chunk (ResponsePriv *priv,
           gsize         offset,
           gboolean      literal)
{
  Chunk chunk = { offset, priv->raw->len - offset, literal };
  const guint8 nul = 0;

  g_array_append_val (priv->chunks, chunk);
  g_byte_array_append (priv->raw, &nul, 1);
}

static gboolean
is_status_word (const char *word,
                gsize       len)
{
  static const char * const words[] = { "OK", "NO", "BAD", "PREAUTH", "BYE" };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (len == strlen (words[i]) && g_ascii_strncasecmp (word, words[i], len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A continuation or a status response: its text may end in “{5}” without a literal. */
static gboolean
line_has_no_literals (const char *line,
                      gsize       len)
{
  const char *space = memchr (line, ' ', len);
  const char *word, *end;

  if (len > 0 && line[0] == '+')
    return TRUE;
  if (space == NULL)
    return FALSE;
  word = space + 1;
  end = memchr (word, ' ', len - (word - line));
  if (end == NULL)
    end = line + len;
  return is_status_word (word, end - word);
}

/* The n of a line that ends in “{n}” or “{n+}”; -1 if it does not. */
static gboolean
literal_marker (const char  *line,
                gsize        len,
                gboolean    *found,
                guint64     *size,
                GError     **error)
{
  gsize i;
  guint64 n = 0;

  *found = FALSE;
  if (len < 3 || line[len - 1] != '}')
    return TRUE;
  i = len - 1;
  if (line[i - 1] == '+')
    i--;
  while (i > 0 && g_ascii_isdigit (line[i - 1]))
    i--;
  if (i == 0 || line[i - 1] != '{' || !g_ascii_isdigit (line[i]))
    return TRUE;
  for (gsize j = i; g_ascii_isdigit (line[j]); j++)
    {
      guint d = line[j] - '0';

      if (n > (G_MAXUINT64 - d) / 10)
        return fail (error, EP_IMAP_PARSER_ERROR_TOO_BIG,
                     _("The server announced a literal larger than any message could be"));
      n = n * 10 + d;
    }
  *found = TRUE;
  *size = n;
  return TRUE;
}

static EpImapResponse *parse_response (EpImapParser  *self,
                                       ResponsePriv  *priv,
                                       GError       **error);

/* A line is complete in raw from line_start: record it, then either expect a literal
 * or finish the response. */
static gboolean
end_line (EpImapParser    *self,
          EpImapResponse **response,
          GError         **error)
{
  ResponsePriv *priv = self->current;
  gsize len = priv->raw->len - self->line_start;
  const char *line = len > 0 ? (const char *) priv->raw->data + self->line_start : "";
  gboolean found = FALSE;
  guint64 size = 0;

  if (len > 0 && line[len - 1] == '\r')
    {
      g_byte_array_set_size (priv->raw, priv->raw->len - 1);
      len--;
    }
  if (memchr (line, '\0', len) != NULL)
    return fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a NUL byte in a response line"));
  if (priv->chunks->len == 0)
    self->no_literals = line_has_no_literals (line, len);
  if (!self->no_literals && !literal_marker (line, len, &found, &size, error))
    return FALSE;
  add_chunk (priv, self->line_start, FALSE);

  if (found)
    {
      if (size > self->max_response || size + priv->raw->len > self->max_response)
        return fail (error, EP_IMAP_PARSER_ERROR_TOO_BIG,
                     _("The server announced a response larger than Epistle accepts"));
      self->in_literal = TRUE;
      self->literal_left = size;
      self->line_start = priv->raw->len;
      if (size == 0)
        {
          add_chunk (priv, self->line_start, TRUE);
          self->in_literal = FALSE;
          self->line_start = priv->raw->len;
        }
      return TRUE;
    }

  self->current = NULL;
  *response = parse_response (self, priv, error);
  return *response != NULL;
}

static void
begin_response (EpImapParser *self)
{
  ResponsePriv *priv = g_new0 (ResponsePriv, 1);

  priv->raw = g_byte_array_new ();
  priv->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
  self->current = priv;
  self->line_start = 0;
  self->in_literal = FALSE;
  self->no_literals = FALSE;
}

/**
 * ep_imap_parser_feed:
 * @consumed: (out): how many bytes of @data were taken
 * @response: (out) (transfer full): a whole response, or %NULL if more bytes are needed
 *
 * Takes bytes up to the end of one response. Feed the rest of @data again
 * after a response comes out. After an error the parser is reset, but the
 * connection cannot be trusted to be in step any more.
 *
 * Returns: %FALSE with @error set if the bytes are not IMAP or break a limit
 */
gboolean
ep_imap_parser_feed (EpImapParser     *self,
                     const char       *data,
                     gsize             len,
                     gsize            *consumed,
                     EpImapResponse  **response,
                     GError          **error)
{
  gsize pos = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (consumed != NULL && response != NULL, FALSE);

  *response = NULL;
  while (pos < len && *response == NULL)
    {
      ResponsePriv *priv;

      if (self->current == NULL)
        begin_response (self);
      priv = self->current;

      if (self->in_literal)
        {
          gsize take = (gsize) MIN ((guint64) (len - pos), self->literal_left);

          g_byte_array_append (priv->raw, (const guint8 *) data + pos, take);
          pos += take;
          self->literal_left -= take;
          if (self->literal_left == 0)
            {
              add_chunk (priv, self->line_start, TRUE);
              self->in_literal = FALSE;
              self->line_start = priv->raw->len;
            }
          continue;
        }

      {
        const char *newline = memchr (data + pos, '\n', len - pos);
        gsize take = newline != NULL ? (gsize) (newline - (data + pos)) : len - pos;
        gsize line_len = priv->raw->len - self->line_start + take;

        if (line_len > self->max_line + 1 || priv->raw->len + take > self->max_response)
          {
            response_priv_free (g_steal_pointer (&self->current));
            *consumed = pos;
            return fail (error, EP_IMAP_PARSER_ERROR_TOO_BIG,
                         _("The server sent a response line longer than Epistle accepts"));
          }
        g_byte_array_append (priv->raw, (const guint8 *) data + pos, take);
        pos += take;
        if (newline == NULL)
          continue;
        pos++;
        if (!end_line (self, response, error))
          {
            response_priv_free (g_steal_pointer (&self->current));
            *consumed = pos;
            return FALSE;
          }
      }
    }
  *consumed = pos;
  return TRUE;
}

/* The second stage: values from the gathered lines and literals. */

typedef struct
{
  ResponsePriv *priv;
  guint chunk;             /* the line chunk being read */
  gsize pos;               /* offset in raw */
  gsize end;               /* the line's end in raw */
  guint n_values;
  guint max_values;
} Cursor;

static int
peek (const Cursor *c)
{
  return c->pos < c->end ? (guchar) c->priv->raw->data[c->pos] : -1;
}

static const char *
here (const Cursor *c)
{
  return (const char *) c->priv->raw->data + c->pos;
}

static gboolean
last_line (const Cursor *c)
{
  return c->chunk + 1 >= c->priv->chunks->len;
}

static EpImapValue *
new_value (Cursor           *c,
           EpImapValueType   type,
           GError          **error)
{
  EpImapValue *value;

  if (c->n_values >= c->max_values)
    {
      fail (error, EP_IMAP_PARSER_ERROR_TOO_BIG, _("The server sent a response with too many values"));
      return NULL;
    }
  c->n_values++;
  value = g_new0 (EpImapValue, 1);
  value->type = type;
  g_ptr_array_add (c->priv->values, value);
  return value;
}

static gboolean
is_atom_char (int  ch,
              gboolean in_code)
{
  if (ch <= 0x20 || ch == 0x7f)
    return FALSE;
  switch (ch)
    {
    case '(': case ')': case '{': case '"':
      return FALSE;
    case ']':
      return !in_code;
    default:
      return TRUE;
    }
}

static EpImapValue *
parse_atom (Cursor    *c,
            gboolean   in_code,
            GError   **error)
{
  gsize start = c->pos;
  EpImapValue *value;
  int ch;

  while ((ch = peek (c)) >= 0 && is_atom_char (ch, in_code))
    {
      c->pos++;
      if (ch != '[' || start == c->pos - 1)
        continue;
      /* A section inside a fetch item name, “BODY[HEADER.FIELDS (FROM)]<0>”: to its “]”. */
      while ((ch = peek (c)) >= 0 && ch != ']' && ch >= 0x20 && ch != 0x7f)
        c->pos++;
      if (ch != ']')
        {
          fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent an unterminated “[” in a response"));
          return NULL;
        }
      c->pos++;
    }
  if (c->pos == start)
    {
      fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a response that is not valid IMAP"));
      return NULL;
    }
  if (c->pos - start == 3 && g_ascii_strncasecmp (here (c) - 3, "NIL", 3) == 0)
    return new_value (c, EP_IMAP_VALUE_NIL, error);
  value = new_value (c, EP_IMAP_VALUE_ATOM, error);
  if (value != NULL)
    {
      value->len = c->pos - start;
      value->data = g_string_chunk_insert_len (c->priv->strings,
                                               (const char *) c->priv->raw->data + start, value->len);
    }
  return value;
}

static EpImapValue *
parse_quoted (Cursor  *c,
              GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  EpImapValue *value;
  int ch;

  c->pos++;
  while ((ch = peek (c)) >= 0 && ch != '"')
    {
      c->pos++;
      if (ch == '\\')
        {
          if ((ch = peek (c)) < 0)
            break;
          c->pos++;
        }
      g_string_append_c (text, (char) ch);
    }
  if (ch != '"')
    {
      fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent an unterminated quoted string"));
      return NULL;
    }
  c->pos++;
  value = new_value (c, EP_IMAP_VALUE_STRING, error);
  if (value != NULL)
    {
      value->len = text->len;
      value->data = g_string_chunk_insert_len (c->priv->strings, text->str, text->len);
    }
  return value;
}

/* Moves to the line after the literal that ends the current one. */
static EpImapValue *
parse_literal (Cursor  *c,
               GError **error)
{
  const Chunk *literal;
  const Chunk *next;
  guint64 n = 0;
  EpImapValue *value;

  c->pos++;
  while (peek (c) >= 0 && g_ascii_isdigit (peek (c)))
    n = n * 10 + (guint64) (peek (c) - '0'), c->pos++;  /* bounded: end_line checked it */
  if (peek (c) == '+')
    c->pos++;
  if (peek (c) != '}' || c->pos + 1 != c->end || last_line (c) ||
      c->chunk + 2 >= c->priv->chunks->len)
    {
      fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a malformed literal"));
      return NULL;
    }
  literal = &g_array_index (c->priv->chunks, Chunk, c->chunk + 1);
  next = &g_array_index (c->priv->chunks, Chunk, c->chunk + 2);
  if (!literal->literal || literal->len != n)
    {
      fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a malformed literal"));
      return NULL;
    }
  value = new_value (c, EP_IMAP_VALUE_STRING, error);
  if (value == NULL)
    return NULL;
  value->literal = TRUE;
  value->data = (const char *) c->priv->raw->data + literal->offset;
  value->len = literal->len;
  c->chunk += 2;
  c->pos = next->offset;
  c->end = next->offset + next->len;
  return value;
}

static EpImapValue *parse_value (Cursor    *c,
                                 guint      depth,
                                 gboolean   in_code,
                                 GError   **error);

static void
skip_spaces (Cursor *c)
{
  while (peek (c) == ' ')
    c->pos++;
}

static EpImapValue *
parse_list (Cursor    *c,
            guint      depth,
            GError   **error)
{
  EpImapValue *list;

  if (depth >= EP_IMAP_PARSER_MAX_DEPTH)
    {
      fail (error, EP_IMAP_PARSER_ERROR_TOO_DEEP, _("The server sent lists nested too deeply"));
      return NULL;
    }
  list = new_value (c, EP_IMAP_VALUE_LIST, error);
  if (list == NULL)
    return NULL;
  list->items = g_ptr_array_new ();
  c->pos++;
  for (;;)
    {
      EpImapValue *item;

      skip_spaces (c);
      if (peek (c) == ')')
        {
          c->pos++;
          return list;
        }
      if (peek (c) < 0)
        {
          fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a list without its “)”"));
          return NULL;
        }
      item = parse_value (c, depth + 1, FALSE, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (list->items, item);
      /* A multipart BODYSTRUCTURE writes its parts “(…)(…)”, with no space (RFC 3501 §9). */
      if (peek (c) != ' ' && peek (c) != ')' && !(peek (c) == '(' && item->type == EP_IMAP_VALUE_LIST))
        {
          fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a response that is not valid IMAP"));
          return NULL;
        }
    }
}

static EpImapValue *
parse_value (Cursor    *c,
             guint      depth,
             gboolean   in_code,
             GError   **error)
{
  switch (peek (c))
    {
    case '(':
      return parse_list (c, depth, error);
    case '"':
      return parse_quoted (c, error);
    case '{':
      return parse_literal (c, error);
    default:
      return parse_atom (c, in_code, error);
    }
}

/* Values separated by spaces up to the response's end (or a “]” in a code). */
static EpImapValue *
parse_sequence (Cursor    *c,
                gboolean   in_code,
                GError   **error)
{
  EpImapValue *list = new_value (c, EP_IMAP_VALUE_LIST, error);

  if (list == NULL)
    return NULL;
  list->items = g_ptr_array_new ();
  for (;;)
    {
      EpImapValue *item;

      skip_spaces (c);
      if (peek (c) < 0 || (in_code && peek (c) == ']'))
        return list;
      item = parse_value (c, 1, in_code, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (list->items, item);
      if (peek (c) >= 0 && peek (c) != ' ' && !(in_code && peek (c) == ']'))
        {
          fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a response that is not valid IMAP"));
          return NULL;
        }
    }
}

static const char *
rest_of_line (Cursor *c)
{
  const char *text = g_string_chunk_insert_len (c->priv->strings, here (c), c->end - c->pos);

  c->pos = c->end;
  return text;
}

static gboolean
parse_status (Cursor          *c,
              EpImapResponse  *response,
              GError         **error)
{
  static const EpImapStatus statuses[] = { EP_IMAP_STATUS_OK, EP_IMAP_STATUS_NO, EP_IMAP_STATUS_BAD,
                                           EP_IMAP_STATUS_PREAUTH, EP_IMAP_STATUS_BYE };
  static const char * const words[] = { "OK", "NO", "BAD", "PREAUTH", "BYE" };
  gsize start = c->pos;

  while (peek (c) > ' ')
    c->pos++;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (c->pos - start == strlen (words[i]) &&
          g_ascii_strncasecmp (here (c) - (c->pos - start), words[i], c->pos - start) == 0)
        response->status = statuses[i];
    }
  g_assert (response->status != EP_IMAP_STATUS_NONE);
  skip_spaces (c);
  if (peek (c) == '[')
    {
      c->pos++;
      response->code = parse_sequence (c, TRUE, error);
      if (response->code == NULL)
        return FALSE;
      if (peek (c) != ']' || ep_imap_value_get_n_items (response->code) == 0)
        return fail (error, EP_IMAP_PARSER_ERROR_SYNTAX,
                     _("The server sent a malformed response code"));
      c->pos++;
      skip_spaces (c);
    }
  response->text = rest_of_line (c);
  return TRUE;
}

static gboolean
parse_body (EpImapParser    *self,
            Cursor          *c,
            EpImapResponse  *response,
            GError         **error)
{
  gsize start;

  if (peek (c) == '+')
    {
      c->pos++;
      if (peek (c) == ' ')
        c->pos++;
      response->kind = EP_IMAP_RESPONSE_CONTINUATION;
      response->text = rest_of_line (c);
      return TRUE;
    }

  start = c->pos;
  if (peek (c) == '*')
    c->pos++, response->kind = EP_IMAP_RESPONSE_UNTAGGED;
  else
    {
      while (peek (c) > ' ' && peek (c) != 0x7f && peek (c) != '+' && is_atom_char (peek (c), TRUE))
        c->pos++;
      response->kind = EP_IMAP_RESPONSE_TAGGED;
      response->tag = g_string_chunk_insert_len (c->priv->strings, here (c) - (c->pos - start),
                                                 c->pos - start);
    }
  if (c->pos == start || peek (c) != ' ')
    return fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a response without a tag"));
  c->pos++;

  if (self->no_literals)
    return parse_status (c, response, error);
  if (response->kind == EP_IMAP_RESPONSE_TAGGED)
    return fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a tagged response without a status"));
  response->data = parse_sequence (c, FALSE, error);
  if (response->data == NULL)
    return FALSE;
  if (ep_imap_value_get_n_items (response->data) == 0)
    return fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent an empty response"));
  if (peek (c) >= 0 || !last_line (c))
    return fail (error, EP_IMAP_PARSER_ERROR_SYNTAX, _("The server sent a response that is not valid IMAP"));
  return TRUE;
}

static EpImapResponse *
parse_response (EpImapParser  *self,
                ResponsePriv  *priv,
                GError       **error)
{
  EpImapResponse *response = g_new0 (EpImapResponse, 1);
  const Chunk *first = &g_array_index (priv->chunks, Chunk, 0);
  Cursor c = { priv, 0, first->offset, first->offset + first->len, 0, self->max_values };

  priv->strings = g_string_chunk_new (256);
  priv->values = g_ptr_array_new_with_free_func (value_free);
  response->priv = priv;
  response->text = "";
  if (!parse_body (self, &c, response, error))
    {
      ep_imap_response_free (response);
      return NULL;
    }
  return response;
}

void
ep_imap_response_free (EpImapResponse *response)
{
  if (response == NULL)
    return;
  response_priv_free (response->priv);
  g_free (response);
}

/* Lines and literals as received, for a transcript. */
guint
ep_imap_response_get_n_lines (const EpImapResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);
  return ((ResponsePriv *) response->priv)->chunks->len;
}

/**
 * ep_imap_response_get_line:
 * @literal_len: (out) (optional): the size of a literal; 0 for a line
 *
 * Returns: a line as received, without CR LF; %NULL for a literal
 */
const char *
ep_imap_response_get_line (const EpImapResponse *response,
                           guint                 index,
                           gsize                *literal_len)
{
  ResponsePriv *priv;
  const Chunk *chunk;

  g_return_val_if_fail (response != NULL, NULL);
  priv = response->priv;
  g_return_val_if_fail (index < priv->chunks->len, NULL);

  chunk = &g_array_index (priv->chunks, Chunk, index);
  if (literal_len != NULL)
    *literal_len = chunk->literal ? chunk->len : 0;
  return chunk->literal ? NULL : (const char *) priv->raw->data + chunk->offset;
}

/* Whether @value is the atom @atom, compared without case. */
gboolean
ep_imap_value_is_atom (const EpImapValue *value,
                       const char        *atom)
{
  g_return_val_if_fail (atom != NULL, FALSE);
  return value != NULL && value->type == EP_IMAP_VALUE_ATOM && g_ascii_strcasecmp (value->data, atom) == 0;
}

gboolean
ep_imap_value_is_string (const EpImapValue *value)
{
  return value != NULL && value->type == EP_IMAP_VALUE_STRING;
}

/* An atom of 1 to 20 digits no larger than @max. */
gboolean
ep_imap_value_get_number (const EpImapValue *value,
                          guint64            max,
                          guint64           *number)
{
  g_return_val_if_fail (number != NULL, FALSE);

  if (value == NULL || value->type != EP_IMAP_VALUE_ATOM || value->len == 0 || value->len > 20)
    return FALSE;
  for (gsize i = 0; i < value->len; i++)
    {
      if (!g_ascii_isdigit (value->data[i]))
        return FALSE;
    }
  return g_ascii_string_to_unsigned (value->data, 10, 0, max, number, NULL);
}

guint
ep_imap_value_get_n_items (const EpImapValue *value)
{
  return value != NULL && value->type == EP_IMAP_VALUE_LIST ? value->items->len : 0;
}

/* The item at @index of a list, or NULL when there is none. */
const EpImapValue *
ep_imap_value_get_item (const EpImapValue *value,
                        guint              index)
{
  if (value == NULL || value->type != EP_IMAP_VALUE_LIST || index >= value->items->len)
    return NULL;
  return g_ptr_array_index (value->items, index);
}

/* A copy of a string or atom's bytes; NULL for NIL, a list or none. */
char *
ep_imap_value_dup_nstring (const EpImapValue *value)
{
  if (value == NULL || (value->type != EP_IMAP_VALUE_STRING && value->type != EP_IMAP_VALUE_ATOM))
    return NULL;
  return g_strndup (value->data, value->len);
}
