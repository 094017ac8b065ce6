/* drag-source.c — a small GTK 4 window to drag files from, like a file manager
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   drag-source FILE…
 *
 * Shows one row per FILE, stacked from the top, each ROW_HEIGHT pixels high
 * and named by its file's base name (also its accessible name). Dragging a
 * row offers that one file as `text/uri-list`, the way Nautilus offers files,
 * so the end-to-end test can make a real XDND drop on Epistle's window.
 * Prints "ready" once the window is drawn, and "drag-end FILE" after each
 * drag, on stdout.
 */

#include <gtk/gtk.h>

#define ROW_HEIGHT 60

static GdkContentProvider *
on_prepare_cb (GtkDragSource *source,
               double         x,
               double         y,
               GFile         *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *list = g_strconcat (uri, "\r\n", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (list, strlen (list));

  return gdk_content_provider_new_for_bytes ("text/uri-list", bytes);
}

static void
on_drag_end_cb (GtkDragSource *source,
                GdkDrag       *drag,
                gboolean       delete_data,
                GFile         *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_print ("drag-end %s\n", path);
}

static GtkWidget *
make_row (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autofree char *name = g_file_get_basename (file);
  GtkWidget *label = gtk_label_new (name);
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_widget_set_size_request (label, -1, ROW_HEIGHT);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  /* The source owns the file its handlers are given. */
  g_object_set_data_full (G_OBJECT (source), "file", g_object_ref (file), g_object_unref);
  g_signal_connect (source, "prepare", G_CALLBACK (on_prepare_cb), file);
  g_signal_connect (source, "drag-end", G_CALLBACK (on_drag_end_cb), file);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));
  return label;
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  g_print ("ready\n");
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;
  GtkWidget *box;

  if (argc < 2)
    {
      g_printerr ("usage: drag-source FILE…\n");
      return 2;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);
  gtk_init ();

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Drag Source");
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 240, -1);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  for (int i = 1; i < argc; i++)
    gtk_box_append (GTK_BOX (box), make_row (argv[i]));
  gtk_window_set_child (GTK_WINDOW (window), box);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (g_nullify_pointer), &window);
  gtk_widget_add_tick_callback (window, on_tick_cb, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));

  while (window != NULL)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
