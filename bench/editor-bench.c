/* editor-bench.c — bench/editor's program: typing latency and HTML serialisation
 * in the rich-text editor holding a 5,000-paragraph formatted message
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   editor-bench [--paragraphs N] [--keys N] [--delay MS] [--runs N]
 *
 * Run on an X server (bench/editor starts a private Xvfb). The message is
 * built as HTML and loaded through the editor's own reader
 * (ep_rich_editor_load_html). The cursor goes into a bold run in the middle of
 * the message and xdotool types real key events (XTest) into the window, one
 * every --delay ms. For each key press the window's capture-phase key
 * controller reads CLOCK_MONOTONIC before anything else in GTK sees the event;
 * the latency is from there to the frame clock's after-paint of the first
 * frame painted after the buffer changed. Then ep_buffer_html_to_html (what a
 * send serialises) runs --runs times on the whole buffer, and so does
 * ep_draft_body_fill (what an autosave does on the main thread).
 *
 * Figures only, never pass/fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "ep-buffer-html.h"
#include "ep-draft-body.h"
#include "ep-draft-store.h"
#include "ep-rich-editor.h"

typedef struct
{
  GtkTextBuffer *buffer;
  gint64 key_at;              /* the pending key press, 0 when none */
  gint64 changed_at;          /* when the buffer changed after it */
  GArray *latencies;          /* (element-type double) ms, key → after-paint */
  GArray *handling;           /* (element-type double) ms, key → buffer changed */
  guint overlapped;           /* keys that came before the previous one was painted */
  guint presses;
  guint paints;
  gboolean typing_done;
} Bench;

static Bench bench;

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   gpointer               user_data)
{
  gint64 now = g_get_monotonic_time ();

  bench.presses++;
  if (bench.key_at != 0)
    bench.overlapped++;
  bench.key_at = now;
  bench.changed_at = 0;
  return FALSE;
}

static void
on_changed_cb (GtkTextBuffer *buffer,
               gpointer       user_data)
{
  if (bench.key_at != 0 && bench.changed_at == 0)
    bench.changed_at = g_get_monotonic_time ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  bench.paints++;
  if (bench.key_at != 0 && bench.changed_at != 0)
    {
      double total = (now - bench.key_at) / 1000.0;
      double handled = (bench.changed_at - bench.key_at) / 1000.0;

      g_array_append_val (bench.latencies, total);
      g_array_append_val (bench.handling, handled);
      bench.key_at = 0;
      bench.changed_at = 0;
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of a sorted array. */
static double
percentile (GArray *sorted,
            double  p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (guint) (p / 100.0 * sorted->len + 0.999999);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  if (values->len == 0)
    return 0;
  if (values->len % 2)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) + g_array_index (values, double, values->len / 2)) / 2;
}

/* A formatted message: bold, italic, underline, colour, links, Chinese text,
 * centred paragraphs and lists, in a repeating pattern. */
static char *
make_html (guint paragraphs)
{
  GString *html = g_string_new ("<html><body>\n");

  for (guint i = 0; i < paragraphs; i++)
    {
      switch (i % 10)
        {
        case 0:
          g_string_append_printf (html, "<p style=\"text-align:center\"><b>Section %u</b></p>\n", i / 10 + 1);
          break;
        case 1: case 5:
          g_string_append_printf (html, "<p>Paragraph %u: the quarterly figures are <b>up by %u%%</b>, "
                                  "<i>well ahead of plan</i>, and <span style=\"color:#c01c28\">costs need a "
                                  "second look</span> before Friday; see <a href=\"https://example.org/r/%u\">"
                                  "the report</a>.</p>\n", i, i % 37, i);
          break;
        case 2:
          g_string_append (html, "<p>第三季度的报告和下个季度的<u>预算表</u>，请在周五之前看一下。"
                           "如果有问题，我们<b>周四上午</b>开会讨论。</p>\n");
          break;
        case 3:
          g_string_append_printf (html, "<ul><li>item %u, <b>bold</b></li>", i);
          break;
        case 4:
          g_string_append_printf (html, "<li>item %u, <span style=\"background-color:#f9f06b\">marked"
                                  "</span></li></ul>\n", i);
          break;
        case 6:
          g_string_append_printf (html, "<ol><li>first step %u</li>", i);
          break;
        case 7:
          g_string_append_printf (html, "<li>second step %u with <s>old</s> <i>new</i> text</li></ol>\n", i);
          break;
        case 8:
          g_string_append_printf (html, "<p style=\"text-align:right\"><span style=\"font-size:large\">"
                                  "Signed off %u</span></p>\n", i);
          break;
        default:
          g_string_append (html, "<p>A plain paragraph of ordinary text, long enough to wrap once or twice "
                           "in a window of the usual width, so that layout has some work to do.</p>\n");
          break;
        }
    }
  g_string_append (html, "</body></html>\n");
  return g_string_free (html, FALSE);
}

static void
iterate_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static void
on_typed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error))
    g_printerr ("editor-bench: xdotool: %s\n", error->message);
  bench.typing_done = TRUE;
}

int
main (int    argc,
      char **argv)
{
  int paragraphs = 5000, keys = 200, delay = 60, runs = 9;
  GOptionEntry entries[] = {
    { "paragraphs", 0, 0, G_OPTION_ARG_INT, &paragraphs, "Paragraphs in the message", "N" },
    { "keys", 0, 0, G_OPTION_ARG_INT, &keys, "Keys to type", "N" },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay, "Milliseconds between keys", "MS" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Serialisations to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the rich-text editor's typing and serialising");
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GSubprocess) xdotool = NULL;
  g_autoptr(GArray) serialise = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) to_text = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) draft_fill = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *wid = NULL;
  g_autofree char *delay_text = NULL;
  GtkWidget *window;
  EpRichEditor *editor;
  GtkTextView *view;
  GtkEventController *keys_controller;
  GdkFrameClock *clock;
  GtkTextIter iter;
  gint64 start, deadline;
  int chars_before, lines;
  gsize html_len = 0;
  const char *phrase = "the quick brown fox jumps over the lazy dog ";

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("editor-bench: %s\n", error->message);
      return 2;
    }
  gtk_init ();
  adw_init ();
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_printerr ("editor-bench: needs an X display (xdotool types through XTest)\n");
      return 2;
    }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  editor = EP_RICH_EDITOR (ep_rich_editor_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  view = ep_rich_editor_get_view (editor);
  bench.buffer = ep_rich_editor_get_buffer (editor);
  bench.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  bench.handling = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (300);

  html = make_html ((guint) paragraphs);
  start = g_get_monotonic_time ();
  if (!ep_rich_editor_load_html (editor, html, -1, NULL, &error))
    {
      g_printerr ("editor-bench: loading the message: %s\n", error->message);
      return 1;
    }
  printf ("message: %d paragraphs, %zu bytes of HTML, %d lines and %d characters in the buffer; "
          "loaded in %.0f ms\n", paragraphs, strlen (html), gtk_text_buffer_get_line_count (bench.buffer),
          gtk_text_buffer_get_char_count (bench.buffer), (g_get_monotonic_time () - start) / 1000.0);

  /* Into the bold “up by N%” of a paragraph in the middle: typed text is bold too. */
  lines = gtk_text_buffer_get_line_count (bench.buffer);
  for (int line = lines / 2; line < lines; line++)
    {
      GtkTextIter match_end;

      gtk_text_buffer_get_iter_at_line (bench.buffer, &iter, line);
      if (gtk_text_iter_forward_search (&iter, "up by", GTK_TEXT_SEARCH_TEXT_ONLY, NULL, &match_end, NULL) &&
          gtk_text_iter_get_line (&match_end) == line)
        {
          iter = match_end;
          break;
        }
    }
  printf ("typing at line %d of %d\n", gtk_text_iter_get_line (&iter) + 1, lines);
  gtk_text_buffer_place_cursor (bench.buffer, &iter);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (bench.buffer), 0.1, TRUE, 0, 0.5);
  iterate_for (1500);   /* the layout of the whole buffer settles in idles */

  keys_controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (keys_controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), NULL);
  gtk_widget_add_controller (window, keys_controller);
  g_signal_connect (bench.buffer, "changed", G_CALLBACK (on_changed_cb), NULL);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);

  while ((int) text->len < keys)
    g_string_append (text, phrase);
  g_string_truncate (text, keys);
  wid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  delay_text = g_strdup_printf ("%d", delay);
  chars_before = gtk_text_buffer_get_char_count (bench.buffer);
  xdotool = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "xdotool", "windowfocus", "--sync", wid,
                              "type", "--delay", delay_text, text->str, NULL);
  if (xdotool == NULL)
    {
      g_printerr ("editor-bench: xdotool: %s\n", error->message);
      return 1;
    }
  g_subprocess_wait_check_async (xdotool, NULL, on_typed_cb, NULL);
  deadline = g_get_monotonic_time () + (gint64) (keys * (delay + 500) + 10000) * 1000;
  while (!bench.typing_done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  iterate_for (500);
  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, NULL);

  printf ("typing: %u key presses, %d characters went in, %u painted, %u before the previous was painted\n",
          bench.presses, gtk_text_buffer_get_char_count (bench.buffer) - chars_before, bench.latencies->len,
          bench.overlapped);
  {
    double handled_median = median (bench.handling);
    double handled_p95 = percentile (bench.handling, 95);
    double total_median = median (bench.latencies);

    printf ("  key press → after-paint:   median %.2f ms, p95 %.2f ms, max %.2f ms   (target < 16 ms)\n",
            total_median, percentile (bench.latencies, 95), percentile (bench.latencies, 100));
    printf ("  of which the key handled (buffer changed): median %.2f ms, p95 %.2f ms\n",
            handled_median, handled_p95);
  }

  /* Serialising, as a send does. */
  for (int i = 0; i < runs; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *plain = NULL;
      double ms;

      start = g_get_monotonic_time ();
      out = ep_buffer_html_to_html (bench.buffer, "bench@epistle.invalid", NULL, NULL);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (serialise, ms);
      html_len = strlen (out);
      start = g_get_monotonic_time ();
      plain = ep_buffer_html_to_text (bench.buffer);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (to_text, ms);
    }
  {
    double mid = median (serialise);   /* sorts */

    printf ("serialising to HTML (%zu bytes), %d runs: median %.1f ms, min %.1f ms, max %.1f ms   (target < 100 ms)\n",
            html_len, runs, mid, g_array_index (serialise, double, 0),
            g_array_index (serialise, double, serialise->len - 1));
  }
  printf ("the plain part, %d runs: median %.1f ms\n", runs, median (to_text));

  /* The draft's body, what an autosave serialises on the main thread (the files are written in a worker). */
  for (int i = 0; i < runs; i++)
    {
      g_autoptr(EpDraft) draft = ep_draft_new (NULL);
      double ms;

      start = g_get_monotonic_time ();
      ep_draft_body_fill (draft, editor);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (draft_fill, ms);
    }
  {
    double mid = median (draft_fill);   /* sorts */

    printf ("autosave's draft snapshot on the main thread, %d runs: median %.1f ms, max %.1f ms\n",
            runs, mid, g_array_index (draft_fill, double, draft_fill->len - 1));
  }
  /* Writing it (temporary file, fsync, rename, fsync of the folder), which the window leaves to a worker thread. */
  {
    g_autofree char *dir = g_dir_make_tmp ("epistle-bench-drafts-XXXXXX", NULL);
    g_autoptr(EpDraftStore) store = ep_draft_store_new (dir);
    g_autoptr(EpDraft) draft = ep_draft_new (NULL);
    g_autoptr(GArray) writes = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GError) write_error = NULL;
    double mid;

    ep_draft_body_fill (draft, editor);
    for (int i = 0; i < runs; i++)
      {
        double ms;

        start = g_get_monotonic_time ();
        if (!ep_draft_store_save (store, draft, NULL, &write_error))
          g_error ("%s", write_error->message);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (writes, ms);
      }
    ep_draft_store_delete (store, ep_draft_get_id (draft), NULL);
    g_rmdir (dir);
    mid = median (writes);   /* sorts */
    printf ("writing the draft (worker thread), %d runs: median %.1f ms, max %.1f ms\n",
            runs, mid, g_array_index (writes, double, writes->len - 1));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (bench.latencies);
  g_array_unref (bench.handling);
  return 0;
}
