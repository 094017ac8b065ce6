/* minimal-window.c — the reference for bench/window: a GTK 4 window with one label
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkApplication (so it registers on the session bus, as Epistle does)
 * that opens a GtkWindow holding a label, at Epistle's default size. It carries the same probe as
 * Epistle's window (src/ui/ep-bench-probe.c), so EPISTLE_BENCH_FIRST_FRAME
 * stamps its first frame exactly the same way.
 */
#include <gtk/gtk.h>

#include "ep-bench-probe.h"

static void
on_activate_cb (GtkApplication *app)
{
  GtkWidget *window = gtk_application_window_new (app);

  ep_bench_probe_attach (GTK_WINDOW (window));
  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello from a minimal GTK 4 window"));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GtkApplication) app = gtk_application_new ("io.github.epistle.BenchMinimalWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
