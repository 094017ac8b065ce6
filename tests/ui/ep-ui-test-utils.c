/* ep-ui-test-utils.c — what the window's tests share: screenshots, labels, the main loop
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every window test may leave screenshots for a person to look at:
 * `EPISTLE_SCREENSHOT_DIR=DIR meson test -C build ui-…` writes DIR/NAME for
 * each ep_ui_test_shoot (), once the widget has settled and been drawn.
 */
#include "ep-ui-test-utils.h"

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for @ms milliseconds, waking at least every 20 ms. */
void
ep_ui_test_iterate_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

/* Returns: (nullable): a mapped label under @widget whose text starts with @prefix */
GtkLabel *
ep_ui_test_find_label (GtkWidget  *widget,
                       const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = ep_ui_test_find_label (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Returns: (nullable): as ep_ui_test_find_label (), once the label is there (10 s at most) */
GtkLabel *
ep_ui_test_wait_label (GtkWidget  *widget,
                       const char *prefix)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GtkLabel *found;

  while ((found = ep_ui_test_find_label (widget, prefix)) == NULL && g_get_monotonic_time () < deadline)
    ep_ui_test_iterate_for (20);
  return found;
}

/* Returns: (nullable): the field a label named @name is the mnemonic label of, under @widget */
GtkWidget *
ep_ui_test_find_field (GtkWidget  *widget,
                       const char *name)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), name) == 0 &&
      gtk_label_get_mnemonic_widget (GTK_LABEL (widget)) != NULL)
    return gtk_label_get_mnemonic_widget (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ep_ui_test_find_field (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Returns: (nullable): the button labelled @label under @widget */
GtkWidget *
ep_ui_test_find_button (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ep_ui_test_find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
any_transition (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_get_mapped (child) && any_transition (child))
        return TRUE;
    }
  return FALSE;
}

/* With EPISTLE_SCREENSHOT_DIR set: @widget as drawn, once no page is sliding in, as DIR/@name. */
void
ep_ui_test_shoot (GtkWidget  *widget,
                  const char *name)
{
  const char *dir = g_getenv ("EPISTLE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  int width, height;

  if (dir == NULL)
    return;
  while (any_transition (widget) && g_get_monotonic_time () < deadline)
    ep_ui_test_iterate_for (20);
  paintable = gtk_widget_paintable_new (widget);
  /* A widget changed since its last frame may draw nothing until the next one is done. */
  do
    {
      gtk_test_widget_wait_for_draw (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        ep_ui_test_iterate_for (50);
    }
  while (node == NULL && g_get_monotonic_time () < deadline);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
