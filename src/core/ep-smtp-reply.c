/* ep-smtp-reply.c — multi-line SMTP replies and enhanced status codes; no I/O
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 5321 §4.2: “250-first”, “250-second”, “250 last”. The enhanced code
 * (RFC 3463, “5.1.1”) is taken from the first line when its class matches
 * the reply code's. Text is kept as UTF-8 whatever the server sent, with
 * control characters escaped (ep_server_text_to_display ()), so a reply can
 * be shown anywhere as it is. A reply is bounded in lines and bytes: a server
 * that streams continuation lines forever is a protocol error, not a reason
 * to grow without limit.
 */
#include "ep-smtp-reply.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ep-server-text.h"

struct _EpSmtpReply
{
  guint code;
  char *enhanced;
  GPtrArray *lines;   /* text after the code, UTF-8, controls escaped */
  gsize size;         /* bytes received, CR LF included */
};

G_DEFINE_QUARK (ep-smtp-reply-error-quark, ep_smtp_reply_error)

EpSmtpReply *
ep_smtp_reply_new (void)
{
  EpSmtpReply *self = g_new0 (EpSmtpReply, 1);

  self->lines = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
ep_smtp_reply_free (EpSmtpReply *self)
{
  if (self == NULL)
    return;
  g_free (self->enhanced);
  g_ptr_array_unref (self->lines);
  g_free (self);
}

/* “5.1.1 text”: returns the length of the code, or 0. */
static gsize
enhanced_code_length (const char *text,
                      guint       code)
{
  const char *p = text;

  if (p[0] < '2' || p[0] > '5' || p[0] != (char) ('0' + code / 100) || p[1] != '.')
    return 0;
  p += 2;
  for (int part = 0; part < 2; part++)
    {
      gsize digits = strspn (p, "0123456789");

      if (digits == 0 || digits > 3)
        return 0;
      p += digits;
      if (part == 0 && *p++ != '.')
        return 0;
    }
  return (*p == ' ' || *p == '\0') ? (gsize) (p - text) : 0;
}

static gboolean
malformed (const char  *line,
           GError     **error)
{
  g_autofree char *shown = ep_server_text_to_display (line, -1);

  /* A malformed line may be as long as the line reader allows: quote its start. */
  if (g_utf8_strlen (shown, -1) > 200)
    {
      g_autofree char *start = g_utf8_substring (shown, 0, 200);
      g_free (shown);
      shown = g_strconcat (start, "…", NULL);
    }

  g_set_error (error, EP_SMTP_REPLY_ERROR, EP_SMTP_REPLY_ERROR_MALFORMED,
               _("The server sent a malformed reply: “%s”"), shown);
  return FALSE;
}

/* Refuses a line that would take the reply past EP_SMTP_REPLY_MAX_LINES or _MAX_SIZE. */
static gboolean
check_bounds (EpSmtpReply  *self,
              gsize         line_size,
              GError      **error)
{
  if (self->lines->len >= EP_SMTP_REPLY_MAX_LINES)
    {
      g_set_error (error, EP_SMTP_REPLY_ERROR, EP_SMTP_REPLY_ERROR_TOO_LONG,
                   /* Translators: %u is the limit, 1000 */
                   _("The server sent a reply longer than %u lines, the most Epistle accepts "
                     "in one reply; the server is broken or hostile"),
                   (guint) EP_SMTP_REPLY_MAX_LINES);
      return FALSE;
    }
  if (line_size > EP_SMTP_REPLY_MAX_SIZE - self->size)
    {
      g_set_error (error, EP_SMTP_REPLY_ERROR, EP_SMTP_REPLY_ERROR_TOO_LONG,
                   /* Translators: %u is the limit in KiB, 64, then in bytes */
                   _("The server sent a reply larger than %u KiB (%u bytes), the most Epistle "
                     "accepts in one reply; the server is broken or hostile"),
                   (guint) (EP_SMTP_REPLY_MAX_SIZE / 1024), (guint) EP_SMTP_REPLY_MAX_SIZE);
      return FALSE;
    }
  self->size += line_size;
  return TRUE;
}

/**
 * ep_smtp_reply_add_line:
 * @line: one line as read, without CR LF
 * @complete: (out): set when this was the reply's last line
 */
gboolean
ep_smtp_reply_add_line (EpSmtpReply  *self,
                        const char   *line,
                        gboolean     *complete,
                        GError      **error)
{
  guint code;
  const char *text;
  gsize enhanced_len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (complete != NULL, FALSE);

  *complete = FALSE;
  if (!check_bounds (self, strlen (line) + 2, error))
    return FALSE;
  if (strlen (line) < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) ||
      !g_ascii_isdigit (line[2]) || line[0] < '2' || line[0] > '5' ||
      (line[3] != '\0' && line[3] != ' ' && line[3] != '-'))
    return malformed (line, error);

  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (self->lines->len > 0 && code != self->code)
    return malformed (line, error);
  self->code = code;

  text = line[3] == '\0' ? "" : line + 4;
  if (self->lines->len == 0 && (enhanced_len = enhanced_code_length (text, code)) > 0)
    {
      self->enhanced = g_strndup (text, enhanced_len);
      text += enhanced_len;
      while (*text == ' ')
        text++;
    }
  else if (self->enhanced != NULL && g_str_has_prefix (text, self->enhanced))
    {
      text += strlen (self->enhanced);
      while (*text == ' ')
        text++;
    }

  g_ptr_array_add (self->lines, ep_server_text_to_display (text, -1));
  *complete = line[3] != '-';
  return TRUE;
}

guint
ep_smtp_reply_get_code (const EpSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->code;
}

const char *
ep_smtp_reply_get_enhanced (const EpSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->enhanced;
}

guint
ep_smtp_reply_get_n_lines (const EpSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->lines->len;
}

const char *
ep_smtp_reply_get_line (const EpSmtpReply *self,
                        guint              index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->lines->len, NULL);
  return g_ptr_array_index (self->lines, index);
}

/* “550 5.1.1 <x@example.test>: Recipient address rejected”, lines joined by spaces. */
char *
ep_smtp_reply_to_string (const EpSmtpReply *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%03u", self->code);
  if (self->enhanced != NULL)
    g_string_append_printf (out, " %s", self->enhanced);
  for (guint i = 0; i < self->lines->len; i++)
    {
      const char *text = g_ptr_array_index (self->lines, i);
      if (*text != '\0')
        g_string_append_printf (out, " %s", text);
    }
  return g_string_free (out, FALSE);
}

gboolean
ep_smtp_reply_is_positive (const EpSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->code >= 200 && self->code < 400;
}

gboolean
ep_smtp_reply_is_transient (const EpSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->code >= 400 && self->code < 500;
}

/**
 * ep_smtp_reply_parse_ehlo:
 *
 * Returns: (transfer full): upper-case keyword → its parameters (“” when none),
 *   from every line but the greeting
 */
GHashTable *
ep_smtp_reply_parse_ehlo (const EpSmtpReply *self)
{
  GHashTable *extensions;

  g_return_val_if_fail (self != NULL, NULL);

  extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; i < self->lines->len; i++)
    {
      const char *line = g_ptr_array_index (self->lines, i);
      gsize keyword_len = strcspn (line, " =");
      const char *params = line + keyword_len;
      const char *previous;
      char *key;

      if (keyword_len == 0)
        continue;
      while (*params == ' ' || *params == '=')
        params++;
      key = g_ascii_strup (line, keyword_len);
      /* “AUTH=LOGIN” (pre-standard) may repeat “AUTH LOGIN PLAIN”: merge them. */
      previous = g_hash_table_lookup (extensions, key);
      if (previous != NULL && *previous != '\0')
        g_hash_table_replace (extensions, key, g_strconcat (previous, " ", params, NULL));
      else
        g_hash_table_replace (extensions, key, g_strdup (params));
    }
  return extensions;
}
