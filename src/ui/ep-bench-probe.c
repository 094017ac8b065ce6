/* ep-bench-probe.c — first-frame stamp and main-loop stall meter for bench/window
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Does nothing unless one of two environment variables names a file:
 *
 * EPISTLE_BENCH_FIRST_FRAME=FILE  writes "init T" when the window is built and
 *   "first-frame T" after the first frame clock paint phase in which the
 *   window's surface was rendered (GdkSurface::render emitted, then
 *   GdkFrameClock::after-paint): by then GTK has handed the frame to the
 *   display server. T is CLOCK_MONOTONIC in microseconds
 *   (g_get_monotonic_time), the clock the benchmark stamps exec with.
 *
 * EPISTLE_BENCH_STALLS=FILE  runs a G_PRIORITY_HIGH timeout every 5 ms and
 *   records the gap between consecutive dispatches, and how long each frame
 *   clock paint cycle of the window took (before-paint to after-paint); when
 *   the window is closed (unrealized) it writes a summary line, every gap as
 *   "gap T GAP CPU" and every frame as "frame T DURATION CPU" (T the end,
 *   CPU the main thread's CPU time within, all µs). A gap much over 5 ms is
 *   time the main loop spent on something else; the frames tell how much of
 *   it was drawing, and CPU whether the thread was working or waiting for a
 *   processor (on a busy machine).
 *
 * The state lives in one struct owned by the window (object data).
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "ep-bench-probe.h"

#define STALL_INTERVAL_MS 5

typedef struct
{
  gint64 time;                   /* end of the gap, µs */
  gint64 gap;                    /* µs */
  gint64 cpu;                    /* the main thread's CPU time within, µs */
} Gap;

typedef struct
{
  /* Owned */
  char *frame_path;
  char *stall_path;
  GArray *gaps;                  /* of Gap */
  GArray *frames;                /* of Gap: end of the paint cycle, its duration */
  /* Borrowed */
  GdkSurface *surface;
  GdkFrameClock *frame_clock;
  gulong after_paint_id;
  gulong render_hook_id;
  gulong cycle_start_id;
  gulong cycle_end_id;
  gint64 cycle_start;
  gint64 cycle_start_cpu;
  guint stall_source;
  gint64 last_tick;
  gint64 last_tick_cpu;
  gboolean rendered;
} Probe;

/* CPU time of the calling thread (the main thread in every caller), µs */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
append_line (const char *path,
             const char *line)
{
  FILE *file = fopen (path, "a");

  if (file == NULL)
    {
      g_warning ("bench probe: %s: %s", path, g_strerror (errno));
      return;
    }
  fputs (line, file);
  fclose (file);
}

static gboolean
render_hook (GSignalInvocationHint *hint,
             guint                  n_params,
             const GValue          *params,
             gpointer               user_data)
{
  Probe *probe = user_data;

  if (g_value_get_object (&params[0]) == (GObject *) probe->surface)
    probe->rendered = TRUE;
  return TRUE;
}

static void
stop_first_frame (Probe *probe)
{
  if (probe->render_hook_id != 0)
    g_signal_remove_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE),
                                   probe->render_hook_id);
  probe->render_hook_id = 0;
  g_clear_signal_handler (&probe->after_paint_id, probe->frame_clock);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Probe         *probe)
{
  g_autofree char *line = NULL;

  if (!probe->rendered)
    return;
  line = g_strdup_printf ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  append_line (probe->frame_path, line);
  stop_first_frame (probe);
}

static void
on_before_paint_cb (GdkFrameClock *clock,
                    Probe         *probe)
{
  probe->cycle_start = g_get_monotonic_time ();
  probe->cycle_start_cpu = thread_cpu_time ();
}

static void
on_cycle_end_cb (GdkFrameClock *clock,
                 Probe         *probe)
{
  gint64 now = g_get_monotonic_time ();
  Gap frame = { now, now - probe->cycle_start, thread_cpu_time () - probe->cycle_start_cpu };

  if (probe->cycle_start != 0)
    g_array_append_val (probe->frames, frame);
  probe->cycle_start = 0;
}

static void
on_realize_cb (GtkWidget *window,
               Probe     *probe)
{
  if (probe->surface != NULL)
    return;
  probe->surface = gtk_native_get_surface (GTK_NATIVE (window));
  probe->frame_clock = gdk_surface_get_frame_clock (probe->surface);
  if (probe->stall_path != NULL)
    {
      probe->cycle_start_id = g_signal_connect (probe->frame_clock, "before-paint",
                                                G_CALLBACK (on_before_paint_cb), probe);
      probe->cycle_end_id = g_signal_connect_after (probe->frame_clock, "after-paint",
                                                    G_CALLBACK (on_cycle_end_cb), probe);
    }
  if (probe->frame_path == NULL)
    return;
  probe->render_hook_id = g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE),
                                                      0, render_hook, probe, NULL);
  probe->after_paint_id = g_signal_connect (probe->frame_clock, "after-paint",
                                            G_CALLBACK (on_after_paint_cb), probe);
}

static gboolean
on_stall_tick_cb (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();
  Gap gap = { now, now - probe->last_tick, cpu - probe->last_tick_cpu };

  g_array_append_val (probe->gaps, gap);
  probe->last_tick = now;
  probe->last_tick_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static int
compare_gaps (gconstpointer a,
              gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
write_stalls (Probe *probe)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree gint64 *sorted = g_new0 (gint64, probe->gaps->len + 1);
  guint n = probe->gaps->len;
  FILE *file;

  for (guint i = 0; i < n; i++)
    sorted[i] = g_array_index (probe->gaps, Gap, i).gap;
  qsort (sorted, n, sizeof *sorted, compare_gaps);
  g_string_append_printf (text, "# interval_us %d n %u max_us %" G_GINT64_FORMAT
                          " p50_us %" G_GINT64_FORMAT " p99_us %" G_GINT64_FORMAT "\n",
                          STALL_INTERVAL_MS * 1000, n, n ? sorted[n - 1] : 0,
                          n ? sorted[n / 2] : 0, n ? sorted[n * 99 / 100] : 0);
  for (guint i = 0; i < n; i++)
    {
      Gap *gap = &g_array_index (probe->gaps, Gap, i);

      g_string_append_printf (text, "gap %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT "\n", gap->time, gap->gap, gap->cpu);
    }
  for (guint i = 0; i < probe->frames->len; i++)
    {
      Gap *frame = &g_array_index (probe->frames, Gap, i);

      g_string_append_printf (text, "frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT "\n", frame->time, frame->gap, frame->cpu);
    }
  file = fopen (probe->stall_path, "w");
  if (file == NULL)
    {
      g_warning ("bench probe: %s: %s", probe->stall_path, g_strerror (errno));
      return;
    }
  fwrite (text->str, 1, text->len, file);
  fclose (file);
}

static void
stop_cycles (Probe *probe)
{
  g_clear_signal_handler (&probe->cycle_start_id, probe->frame_clock);
  g_clear_signal_handler (&probe->cycle_end_id, probe->frame_clock);
}

/* A closed window is unrealized at once, though it may be disposed only after
 * the application has quit (an async callback can still hold it): the
 * report is written here. The frame clock goes with the surface. */
static void
on_unrealize_cb (GtkWidget *window,
                 Probe     *probe)
{
  stop_first_frame (probe);
  stop_cycles (probe);
  probe->surface = NULL;
  probe->frame_clock = NULL;
  if (probe->stall_source != 0)
    {
      g_clear_handle_id (&probe->stall_source, g_source_remove);
      write_stalls (probe);
    }
}

static void
probe_free (gpointer data)
{
  Probe *probe = data;

  stop_first_frame (probe);
  stop_cycles (probe);
  g_clear_handle_id (&probe->stall_source, g_source_remove);
  g_clear_pointer (&probe->gaps, g_array_unref);
  g_clear_pointer (&probe->frames, g_array_unref);
  g_free (probe->frame_path);
  g_free (probe->stall_path);
  g_free (probe);
}

/**
 * ep_bench_probe_attach:
 * @window: a window not yet realized
 *
 * Starts the probes named by EPISTLE_BENCH_FIRST_FRAME and
 * EPISTLE_BENCH_STALLS for @window; without them, does nothing.
 */
void
ep_bench_probe_attach (GtkWindow *window)
{
  const char *frame_path = g_getenv ("EPISTLE_BENCH_FIRST_FRAME");
  const char *stall_path = g_getenv ("EPISTLE_BENCH_STALLS");
  Probe *probe;

  g_return_if_fail (GTK_IS_WINDOW (window));

  if ((frame_path == NULL || *frame_path == '\0') && (stall_path == NULL || *stall_path == '\0'))
    return;

  probe = g_new0 (Probe, 1);
  g_object_set_data_full (G_OBJECT (window), "ep-bench-probe", probe, probe_free);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), probe);
  g_signal_connect (window, "unrealize", G_CALLBACK (on_unrealize_cb), probe);

  if (frame_path != NULL && *frame_path != '\0')
    {
      g_autofree char *line = g_strdup_printf ("init %" G_GINT64_FORMAT "\n",
                                               g_get_monotonic_time ());

      probe->frame_path = g_strdup (frame_path);
      append_line (probe->frame_path, line);
    }
  if (stall_path != NULL && *stall_path != '\0')
    {
      probe->stall_path = g_strdup (stall_path);
      probe->gaps = g_array_sized_new (FALSE, FALSE, sizeof (Gap), 1 << 14);
      probe->frames = g_array_sized_new (FALSE, FALSE, sizeof (Gap), 1 << 12);
      probe->last_tick = g_get_monotonic_time ();
      probe->last_tick_cpu = thread_cpu_time ();
      probe->stall_source = g_timeout_add_full (G_PRIORITY_HIGH, STALL_INTERVAL_MS,
                                                on_stall_tick_cb, probe, NULL);
    }
}
