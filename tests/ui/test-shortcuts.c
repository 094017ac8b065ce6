/* test-shortcuts.c — the Keyboard Shortcuts window lists every shortcut the composer has
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application opens its window; then every accelerator it sets
 * (gtk_application_set_accels_for_action) and every keyboard shortcut on
 * Epistle's own widgets (their shortcut controllers, class bindings
 * included) must appear in gtk/help-overlay.ui, and the overlay may list
 * nothing the window does not have. Also the application's other window-wide
 * look: a Chinese interface marks its windows .cjk, where style.css keeps
 * short tooltips on one line.
 */
#include <gtk/gtk.h>

#include "ep-window-private.h"

static char *
normalise (const char *accelerator)
{
  guint key;
  GdkModifierType mods;

  if (!gtk_accelerator_parse (accelerator, &key, &mods))
    g_error ("“%s” is not an accelerator", accelerator);
  return gtk_accelerator_name (key, mods);
}

static void
add_trigger (GHashTable         *set,
             GtkShortcutTrigger *trigger,
             const char         *where)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    g_hash_table_insert (set,
                         gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                               gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))),
                         g_strdup (where));
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger (set, gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), where);
      add_trigger (set, gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), where);
    }
}

static void
add_controller (GHashTable         *set,
                GtkEventController *controller,
                const char         *where)
{
  for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

      add_trigger (set, gtk_shortcut_get_trigger (shortcut), where);
    }
}

static gboolean
is_class_controller (GtkEventController *controller)
{
  return g_strcmp0 (gtk_event_controller_get_name (controller), "gtk-widget-class-shortcuts") == 0;
}

/* The key bindings an Ep* widget inherits from GTK or libadwaita: those of an instance of its
 * nearest ancestor GTK type (none when that type is abstract, as GtkWidget is). */
static GHashTable *
inherited_bindings (GType type)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GListModel) controllers = NULL;
  GtkWidget *parent;

  while (g_str_has_prefix (g_type_name (type), "Ep"))
    type = g_type_parent (type);
  if (G_TYPE_IS_ABSTRACT (type))
    return set;
  parent = g_object_ref_sink (g_object_new (type, NULL));
  controllers = gtk_widget_observe_controllers (parent);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (controller) && is_class_controller (controller))
        add_controller (set, controller, g_type_name (type));
    }
  g_clear_pointer (&controllers, g_object_unref);
  if (GTK_IS_WINDOW (parent))
    gtk_window_destroy (GTK_WINDOW (parent));
  g_object_unref (parent);
  return set;
}

/* The shortcuts of Epistle's widgets: on an Ep* widget, its class bindings less those GTK
 * gives its parent type, and any controller it adds; on a GTK widget, the controllers Epistle
 * adds (the editor's text view, the find entry), never GTK's own. */
static void
collect_widget_shortcuts (GtkWidget  *widget,
                          GHashTable *set)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  const char *type = G_OBJECT_TYPE_NAME (widget);
  gboolean ours = g_str_has_prefix (type, "Ep");
  gboolean editable = GTK_IS_TEXT_VIEW (widget) || GTK_IS_SEARCH_ENTRY (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      if (ours && is_class_controller (controller))
        {
          g_autoptr(GHashTable) all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_autoptr(GHashTable) inherited = inherited_bindings (G_OBJECT_TYPE (widget));
          GHashTableIter iter;
          gpointer key;

          add_controller (all, controller, type);
          g_hash_table_iter_init (&iter, all);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            if (!g_hash_table_contains (inherited, key))
              g_hash_table_insert (set, g_strdup (key), g_strdup (type));
        }
      else if (ours || (editable && !is_class_controller (controller) &&
                        gtk_event_controller_get_name (controller) == NULL))
        add_controller (set, controller, type);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget_shortcuts (child, set);
}

static void
collect_app_accels (GtkApplication *app,
                    GHashTable     *set)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (app);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        g_hash_table_insert (set, normalise (accels[j]), g_strdup (actions[i]));
    }
}

/* What help-overlay.ui shows: each entry's accelerator, or its action's accelerators. */
static void
collect_listed (GtkApplication *app,
                GHashTable     *set)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (EP_RESOURCE_PATH "gtk/help-overlay.ui");
  GSList *objects = gtk_builder_get_objects (builder);
  GtkWidget *window = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL, *action = NULL, *title = NULL;
      g_auto(GStrv) accels = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, "action-name", &action, "title", &title, NULL);
      if (accelerator != NULL)
        accels = g_strsplit (accelerator, " ", -1);
      else
        accels = gtk_application_get_accels_for_action (app, action);
      if (accels[0] == NULL)
        g_error ("“%s” in the shortcuts window has no key", title);
      for (guint i = 0; accels[i] != NULL; i++)
        if (*accels[i] != '\0')
          g_hash_table_insert (set, normalise (accels[i]), g_strdup (title));
    }
  g_slist_free (objects);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
check_cb (gpointer user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);
  g_autoptr(GHashTable) has = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;
  guint missing = 0, extra = 0;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;
  collect_app_accels (app, has);
  collect_widget_shortcuts (GTK_WIDGET (window), has);
  collect_listed (app, listed);

  g_hash_table_iter_init (&iter, has);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      {
        g_test_message ("not in the shortcuts window: %s (%s)", (char *) key, (char *) value);
        missing++;
      }
  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (has, key))
      {
        g_test_message ("listed but the window has no such shortcut: %s (%s)", (char *) key, (char *) value);
        extra++;
      }
  g_test_message ("%u shortcuts, %u listed", g_hash_table_size (has), g_hash_table_size (listed));
  g_assert_cmpuint (missing, ==, 0);
  g_assert_cmpuint (extra, ==, 0);
  g_assert_cmpuint (g_hash_table_size (has), >=, 20);
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
test_all_listed (void)
{
  g_autoptr(EpApplication) app = ep_application_new ();
  char *argv[] = { (char *) "epistle", NULL };

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (50, check_cb, app);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
}

static gboolean
has_cjk_class (EpApplication *app)
{
  EpWindow *window = ep_window_new (app, FALSE);
  gboolean cjk = gtk_widget_has_css_class (GTK_WIDGET (window), "cjk");

  gtk_window_destroy (GTK_WINDOW (window));
  return cjk;
}

static void
test_cjk_class (void)
{
  g_autoptr(EpApplication) app = ep_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_assert_true (has_cjk_class (app));
  g_setenv ("LANGUAGE", "en", TRUE);
  g_assert_false (has_cjk_class (app));
  g_unsetenv ("LANGUAGE");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/shortcuts/all-listed", test_all_listed);
  g_test_add_func ("/application/cjk-tooltips", test_cjk_class);
  return g_test_run ();
}
