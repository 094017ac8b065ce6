/* ep-transcript.c — protocol log with AUTH payloads and passwords redacted
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lines are prefixed “C: ”, “S: ” or “* ” (a note). SASL responses are
 * logged as redacted by the connection that sends them; an AUTH or LOGIN
 * command keeps its verb and mechanism only. Appending is thread-safe: a
 * send worker writes while the window may read, and two sends may share one
 * transcript.
 */
#include "ep-transcript.h"

#include <string.h>

#define REDACTED "<redacted>"

struct _EpTranscript
{
  GObject parent_instance;

  GMutex lock;
  GString *text;
};

G_DEFINE_FINAL_TYPE (EpTranscript, ep_transcript, G_TYPE_OBJECT)

static void
ep_transcript_finalize (GObject *object)
{
  EpTranscript *self = EP_TRANSCRIPT (object);

  g_mutex_clear (&self->lock);
  g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (ep_transcript_parent_class)->finalize (object);
}

static void
ep_transcript_class_init (EpTranscriptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_transcript_finalize;
}

static void
ep_transcript_init (EpTranscript *self)
{
  g_mutex_init (&self->lock);
  self->text = g_string_new (NULL);
}

EpTranscript *
ep_transcript_new (void)
{
  return g_object_new (EP_TYPE_TRANSCRIPT, NULL);
}

static void
append (EpTranscript *self,
        const char   *prefix,
        const char   *line,
        gsize         len)
{
  g_mutex_lock (&self->lock);
  g_string_append (self->text, prefix);
  g_string_append_len (self->text, line, len);
  g_string_append_c (self->text, '\n');
  g_mutex_unlock (&self->lock);
}

/* Length of the part of an AUTH/LOGIN command that is safe to show. */
static gsize
public_prefix (const char *line)
{
  const char *p;

  if (g_ascii_strncasecmp (line, "AUTH ", 5) == 0)
    {
      p = line + 5;
      p += strcspn (p, " ");        /* the mechanism */
      return p - line;
    }

  /* IMAP: “TAG LOGIN user pass” or “TAG AUTHENTICATE MECH initial” */
  p = strchr (line, ' ');
  if (p != NULL && (g_ascii_strncasecmp (p + 1, "LOGIN ", 6) == 0))
    return (p + 6) - line;
  if (p != NULL && g_ascii_strncasecmp (p + 1, "AUTHENTICATE ", 13) == 0)
    {
      p += 14;
      p += strcspn (p, " ");
      return p - line;
    }
  return strlen (line);
}

void
ep_transcript_client (EpTranscript *self,
                      const char   *line)
{
  gsize keep;

  g_return_if_fail (EP_IS_TRANSCRIPT (self));
  g_return_if_fail (line != NULL);

  keep = public_prefix (line);
  if (line[keep] == '\0')
    append (self, "C: ", line, keep);
  else
    {
      g_autofree char *shown = g_strdup_printf ("%.*s " REDACTED, (int) keep, line);
      append (self, "C: ", shown, strlen (shown));
    }
}

void
ep_transcript_server (EpTranscript *self,
                      const char   *line)
{
  g_return_if_fail (EP_IS_TRANSCRIPT (self));
  g_return_if_fail (line != NULL);

  append (self, "S: ", line, strlen (line));
}

void
ep_transcript_note (EpTranscript *self,
                    const char   *format,
                    ...)
{
  g_autofree char *text = NULL;
  va_list args;

  g_return_if_fail (EP_IS_TRANSCRIPT (self));

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  append (self, "* ", text, strlen (text));
}

/* Logs a client line that must not be shown at all (a SASL response). */
void
ep_transcript_client_redacted (EpTranscript *self)
{
  g_return_if_fail (EP_IS_TRANSCRIPT (self));

  append (self, "C: ", REDACTED, strlen (REDACTED));
}

char *
ep_transcript_dup_text (EpTranscript *self)
{
  char *copy;

  g_return_val_if_fail (EP_IS_TRANSCRIPT (self), NULL);

  g_mutex_lock (&self->lock);
  copy = g_strndup (self->text->str, self->text->len);
  g_mutex_unlock (&self->lock);
  return copy;
}
