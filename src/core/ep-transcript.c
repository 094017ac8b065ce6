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
 *
 * The log is bounded whatever a server sends: control characters are
 * escaped, a line is cut at MAX_LINE bytes, a run of server lines keeps its
 * first RUN_HEAD and last RUN_TAIL lines with “… N lines dropped” between
 * them, and past MAX_TEXT bytes nothing more is kept but a count.
 */
#include "ep-transcript.h"

#include <string.h>

#include "ep-server-text.h"

#define REDACTED "<redacted>"
#define MAX_LINE 2048
#define RUN_HEAD 100
#define RUN_TAIL 5
#define MAX_TEXT (512 * 1024)

struct _EpTranscript
{
  GObject parent_instance;

  GMutex lock;
  GString *text;
  guint run;                  /* server lines in a row, the current one included */
  char *tail[RUN_TAIL];       /* ring of the run's last lines past RUN_HEAD */
  guint64 run_dropped;        /* lines of the run neither in the head nor in the tail */
  guint64 dropped;            /* entries refused once the text reached MAX_TEXT */
};

G_DEFINE_FINAL_TYPE (EpTranscript, ep_transcript, G_TYPE_OBJECT)

static void
ep_transcript_finalize (GObject *object)
{
  EpTranscript *self = EP_TRANSCRIPT (object);

  g_mutex_clear (&self->lock);
  g_string_free (self->text, TRUE);
  for (guint i = 0; i < RUN_TAIL; i++)
    g_free (self->tail[i]);

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

/* “S: text\n” with controls escaped and the line cut at MAX_LINE bytes. */
static char *
format_entry (const char *prefix,
              const char *line,
              gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (line, len);
  g_autofree char *shown = ep_server_text_escape (valid);
  gsize shown_len = strlen (shown);

  if (shown_len > MAX_LINE)
    {
      const char *cut = g_utf8_find_prev_char (shown, shown + MAX_LINE + 1);

      return g_strdup_printf ("%s%.*s … (%" G_GSIZE_FORMAT " more bytes)\n", prefix,
                              (int) (cut - shown), shown, shown_len - (gsize) (cut - shown));
    }
  return g_strconcat (prefix, shown, "\n", NULL);
}

/* Writes the end of a server run past its head: the count dropped, then the tail. */
static void
render_run_end (EpTranscript *self,
                GString      *out)
{
  guint kept = MIN (self->run > RUN_HEAD ? self->run - RUN_HEAD : 0, RUN_TAIL);
  guint first = self->run - kept;   /* the 0-based index in the run of the first tail line */

  if (self->run_dropped > 0)
    g_string_append_printf (out, "* … %" G_GUINT64_FORMAT " lines dropped\n", self->run_dropped);
  for (guint i = 0; i < kept; i++)
    g_string_append (out, self->tail[(first + i) % RUN_TAIL]);
}

static void
end_run (EpTranscript *self)
{
  render_run_end (self, self->text);
  for (guint i = 0; i < RUN_TAIL; i++)
    g_clear_pointer (&self->tail[i], g_free);
  self->run = 0;
  self->run_dropped = 0;
}

static void
append (EpTranscript *self,
        const char   *prefix,
        const char   *line,
        gsize         len)
{
  gboolean server = g_str_equal (prefix, "S: ");
  g_autofree char *entry = NULL;

  g_mutex_lock (&self->lock);
  if (!server && self->run > 0)
    end_run (self);
  if (self->text->len >= MAX_TEXT)
    {
      self->dropped++;
      g_mutex_unlock (&self->lock);
      return;
    }

  entry = format_entry (prefix, line, len);
  if (!server || self->run < RUN_HEAD)
    g_string_append (self->text, entry);
  else
    {
      guint slot = self->run % RUN_TAIL;

      /* The line this one pushes out of the tail is dropped. */
      if (self->tail[slot] != NULL)
        self->run_dropped++;
      g_free (self->tail[slot]);
      self->tail[slot] = g_steal_pointer (&entry);
    }
  if (server)
    self->run++;
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
  GString *copy;

  g_return_val_if_fail (EP_IS_TRANSCRIPT (self), NULL);

  g_mutex_lock (&self->lock);
  copy = g_string_new_len (self->text->str, self->text->len);
  if (self->run > 0)
    render_run_end (self, copy);
  if (self->dropped > 0)
    g_string_append_printf (copy, "* … %" G_GUINT64_FORMAT " more lines dropped: the transcript "
                            "keeps %u KiB\n", self->dropped, MAX_TEXT / 1024);
  g_mutex_unlock (&self->lock);
  return g_string_free (copy, FALSE);
}
