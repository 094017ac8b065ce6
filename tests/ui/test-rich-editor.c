/* test-rich-editor.c — the formatting toolbar, shortcuts, undo and the buffer they change
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4 cannot synthesise key presses in-process: the tests type with
 * gtk_text_buffer_insert_interactive_at_cursor inside a user action, as
 * GtkTextView does, run commands with gtk_widget_activate_action, and read
 * what would be sent through ep-buffer-html.
 */
#include <string.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <adwaita.h>

#include "ep-buffer-html.h"
#include "ep-image-resize.h"
#include "ep-rich-editor.h"
#include "ep-window-private.h"

static GtkWidget        *find_widget (GtkWidget  *widget,
                                      GType       type,
                                      const char *css_class);
static AdwMessageDialog *find_dialog (void);

typedef struct
{
  GtkWidget *window;
  EpRichEditor *editor;
  GtkTextBuffer *buffer;
  char *dir;
} Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->window = gtk_window_new ();
  fixture->editor = EP_RICH_EDITOR (ep_rich_editor_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->editor));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 500);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->buffer = ep_rich_editor_get_buffer (fixture->editor);
  fixture->dir = g_dir_make_tmp ("epistle-editor-XXXXXX", NULL);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->dir);
}

/* Types as the text view does: one user action at the cursor. */
static void
type (Fixture    *fixture,
      const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gtk_text_buffer_begin_user_action (fixture->buffer);
      gtk_text_buffer_delete_selection (fixture->buffer, TRUE, TRUE);
      gtk_text_buffer_insert_interactive_at_cursor (fixture->buffer, p, g_utf8_next_char (p) - p, TRUE);
      gtk_text_buffer_end_user_action (fixture->buffer);
    }
}

static void
select_range (Fixture *fixture,
              int      start,
              int      end)
{
  GtkTextIter from, to;

  gtk_text_buffer_get_iter_at_offset (fixture->buffer, &from, start);
  gtk_text_buffer_get_iter_at_offset (fixture->buffer, &to, end);
  gtk_text_buffer_select_range (fixture->buffer, &from, &to);
}

static void
cursor_at (Fixture *fixture,
           int      offset)
{
  select_range (fixture, offset, offset);
}

static void
run (Fixture    *fixture,
     const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor), action, NULL));
}

static void
run_with (Fixture    *fixture,
          const char *action,
          const char *value)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor), action, "s", value));
}

/* The <body> of what would be sent, without the document around it. */
static char *
body_html (Fixture *fixture)
{
  g_autofree char *html = ep_buffer_html_to_html (fixture->buffer, "t@epistle.invalid", NULL, NULL);
  const char *start = strstr (html, "<body>\n") + strlen ("<body>\n");
  const char *end = strstr (html, "</body>");

  return g_strndup (start, end - start);
}

static gboolean
get_bool (Fixture    *fixture,
          const char *property)
{
  gboolean value;

  g_object_get (fixture->editor, property, &value, NULL);
  return value;
}

static char *
get_string (Fixture    *fixture,
            const char *property)
{
  char *value;

  g_object_get (fixture->editor, property, &value, NULL);
  return value;
}

static void
collect_tooltips (GtkWidget *widget,
                  GPtrArray *names)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip != NULL && (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)))
    {
      GtkWidget *focus = GTK_IS_MENU_BUTTON (widget) ? gtk_widget_get_first_child (widget) : widget;

      /* Reachable by Tab: the toolbar works by keyboard alone. */
      g_assert_true (gtk_widget_get_focusable (focus));
      g_ptr_array_add (names, g_strdup (tooltip));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_tooltips (child, names);
}

static void
test_toolbar_names (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const expected[] = {
    "Bold", "Italic", "Underline", "Strikethrough", "Font", "Size", "Text Colour", "Highlight",
    "Align Left", "Center", "Align Right", "Bulleted List", "Numbered List", "Indent", "Outdent",
    "Insert Link", "Insert Image", "Remove Formatting",
  };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  collect_tooltips (GTK_WIDGET (fixture->editor), names);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (!g_ptr_array_find_with_equal_func (names, expected[i], g_str_equal, NULL))
        g_error ("no toolbar button named “%s”", expected[i]);
    }
}

static void
collect_shortcuts (GtkWidget  *widget,
                   GtkPropagationPhase phase,
                   GPtrArray  *found)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) != phase)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (action))
            g_ptr_array_add (found, g_strdup_printf ("%s=%s", trigger,
                                                     gtk_named_action_get_action_name (GTK_NAMED_ACTION (action))));
        }
    }
}

static void
assert_shortcut (GPtrArray  *found,
                 const char *trigger,
                 const char *action)
{
  g_autofree char *pair = g_strdup_printf ("%s=%s", trigger, action);

  if (!g_ptr_array_find_with_equal_func (found, pair, g_str_equal, NULL))
    g_error ("no shortcut %s", pair);
}

/* The formatting and clipboard keys act in the text (before the view's own
 * Ctrl+Z), not in the find entries; find and replace act anywhere in the editor. */
static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const on_text[][2] = {
    { "<Control>b", "editor.bold" }, { "<Control>i", "editor.italic" },
    { "<Control>u", "editor.underline" }, { "<Control>k", "editor.insert-link" },
    { "<Control>z", "editor.undo" }, { "<Shift><Control>z", "editor.redo" },
    { "<Control>v", "editor.paste" }, { "<Shift><Control>v", "editor.paste-plain" },
  };
  g_autoptr(GPtrArray) text = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) editor = g_ptr_array_new_with_free_func (g_free);

  collect_shortcuts (GTK_WIDGET (ep_rich_editor_get_view (fixture->editor)), GTK_PHASE_CAPTURE, text);
  collect_shortcuts (GTK_WIDGET (fixture->editor), GTK_PHASE_BUBBLE, editor);
  for (guint i = 0; i < G_N_ELEMENTS (on_text); i++)
    assert_shortcut (text, on_text[i][0], on_text[i][1]);
  assert_shortcut (editor, "<Control>f", "editor.find");
  assert_shortcut (editor, "<Control>h", "editor.replace");
}

static void
test_styles_on_selection (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const actions[][2] = {
    { "editor.bold", "<b>" }, { "editor.italic", "<i>" },
    { "editor.underline", "<u>" }, { "editor.strikethrough", "<s>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *on = NULL;
      g_autofree char *off = NULL;
      g_autofree char *expected = NULL;

      ep_rich_editor_set_text (fixture->editor, "hello world");
      select_range (fixture, 6, 11);
      run (fixture, actions[i][0]);
      on = body_html (fixture);
      expected = g_strdup_printf ("<p style=\"margin:0\">hello %sworld</%s</p>\n", actions[i][1],
                                  actions[i][1] + 1);
      g_assert_cmpstr (on, ==, expected);
      /* The same command again takes it off. */
      run (fixture, actions[i][0]);
      off = body_html (fixture);
      g_assert_cmpstr (off, ==, "<p style=\"margin:0\">hello world</p>\n");
    }
}

static void
test_typing_continues (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *html = NULL;

  ep_rich_editor_set_text (fixture->editor, "plain ");
  cursor_at (fixture, 6);
  g_assert_false (get_bool (fixture, "bold"));
  run (fixture, "editor.bold");          /* at the cursor: for what is typed next */
  g_assert_true (get_bool (fixture, "bold"));
  type (fixture, "bold");
  run (fixture, "editor.bold");
  type (fixture, " plain");
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">plain <b>bold</b> plain</p>\n");

  /* In the middle of bold text, typing is bold. */
  cursor_at (fixture, 8);
  g_assert_true (get_bool (fixture, "bold"));
  type (fixture, "XY");
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">plain <b>boXYld</b> plain</p>\n");
}

static void
test_state_follows_cursor (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *alignment = NULL;
  g_autofree char *font = NULL;
  g_autofree char *size = NULL;
  g_autofree char *list = NULL;

  ep_rich_editor_set_text (fixture->editor, "one two\nthree");
  select_range (fixture, 4, 7);
  run (fixture, "editor.italic");
  run_with (fixture, "editor.font", "mono");
  run_with (fixture, "editor.size", "large");
  cursor_at (fixture, 10);
  run_with (fixture, "editor.alignment", "center");
  run_with (fixture, "editor.list", "number");

  cursor_at (fixture, 2);
  g_assert_false (get_bool (fixture, "italic"));
  font = get_string (fixture, "font");
  g_assert_cmpstr (font, ==, "");
  cursor_at (fixture, 6);
  g_assert_true (get_bool (fixture, "italic"));
  g_free (font);
  font = get_string (fixture, "font");
  g_assert_cmpstr (font, ==, "mono");
  size = get_string (fixture, "size");
  g_assert_cmpstr (size, ==, "large");
  alignment = get_string (fixture, "alignment");
  g_assert_cmpstr (alignment, ==, "left");
  cursor_at (fixture, gtk_text_buffer_get_char_count (fixture->buffer));
  g_free (alignment);
  alignment = get_string (fixture, "alignment");
  g_assert_cmpstr (alignment, ==, "center");
  list = get_string (fixture, "list");
  g_assert_cmpstr (list, ==, "number");
}

static void
test_groups (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *html = NULL;

  ep_rich_editor_set_text (fixture->editor, "abc");
  select_range (fixture, 0, 3);
  run_with (fixture, "editor.font", "serif");
  run_with (fixture, "editor.font", "mono");      /* replaces, never nests */
  run_with (fixture, "editor.size", "huge");
  run_with (fixture, "editor.text-color", "rgb(255,0,0)");
  run_with (fixture, "editor.highlight", "#ffff00");
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\"><span style=\"font-family:'Courier New',Courier,monospace;"
                   "font-size:x-large;color:#ff0000;background-color:#ffff00\">abc</span></p>\n");
  run_with (fixture, "editor.text-color", "");
  run_with (fixture, "editor.size", "normal");
  run_with (fixture, "editor.font", "");
  run_with (fixture, "editor.highlight", "");
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">abc</p>\n");
  g_assert_false (ep_buffer_html_has_formatting (fixture->buffer));
}

static void
test_paragraphs (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;

  ep_rich_editor_set_text (fixture->editor, "title\nfirst\nsecond\nend");
  cursor_at (fixture, 2);
  run_with (fixture, "editor.alignment", "center");
  select_range (fixture, 7, 14);       /* “irst\nse”: both lines */
  run_with (fixture, "editor.list", "bullet");
  cursor_at (fixture, gtk_text_buffer_get_char_count (fixture->buffer));
  run (fixture, "editor.indent");
  run (fixture, "editor.indent");
  run (fixture, "editor.outdent");
  html = body_html (fixture);
  g_assert_cmpstr (html, ==,
                   "<p style=\"margin:0;text-align:center\">title</p>\n"
                   "<ul>\n<li>first</li>\n<li>second</li>\n</ul>\n"
                   "<p style=\"margin:0 0 0 2em\">end</p>\n");
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "title\n• first\n• second\n    end");

  /* The same list command again ends the list. */
  select_range (fixture, 6, 20);
  run_with (fixture, "editor.list", "bullet");
  g_clear_pointer (&text, g_free);
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "title\nfirst\nsecond\n    end");
}

static void
test_list_typing (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *text = NULL;

  ep_rich_editor_set_text (fixture->editor, "");
  run_with (fixture, "editor.list", "number");
  type (fixture, "one");
  g_assert_cmpstr ((text = ep_rich_editor_dup_text (fixture->editor)), ==, "1. one");
  g_free (text);
  type (fixture, "\ntwo\nthree");
  g_assert_cmpstr ((text = ep_rich_editor_dup_text (fixture->editor)), ==, "1. one\n2. two\n3. three");
  g_free (text);
  /* Enter on an empty item ends the list. */
  type (fixture, "\n\nafter");
  g_assert_cmpstr ((text = ep_rich_editor_dup_text (fixture->editor)), ==, "1. one\n2. two\n3. three\nafter");
  g_free (text);
  text = body_html (fixture);
  g_assert_cmpstr (text, ==, "<ol>\n<li>one</li>\n<li>two</li>\n<li>three</li>\n</ol>\n"
                   "<p style=\"margin:0\">after</p>\n");

  /* A new item in the middle renumbers the ones after it. */
  cursor_at (fixture, 6);                /* after “1. one” */
  type (fixture, "\nnew");
  g_free (text);
  g_assert_cmpstr ((text = ep_rich_editor_dup_text (fixture->editor)), ==,
                   "1. one\n2. new\n3. two\n4. three\nafter");
  /* Backspace into the marker ends that item's list; the rest renumber. */
  {
    GtkTextIter at;

    gtk_text_buffer_get_iter_at_line_offset (fixture->buffer, &at, 2, 3);   /* “3. |two” */
    gtk_text_buffer_place_cursor (fixture->buffer, &at);
    gtk_text_buffer_begin_user_action (fixture->buffer);
    gtk_text_buffer_backspace (fixture->buffer, &at, TRUE, TRUE);
    gtk_text_buffer_end_user_action (fixture->buffer);
  }
  g_free (text);
  g_assert_cmpstr ((text = ep_rich_editor_dup_text (fixture->editor)), ==,
                   "1. one\n2. new\ntwo\n1. three\nafter");
}

static void
test_undo_formatting (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *html = NULL;

  ep_rich_editor_set_text (fixture->editor, "");
  type (fixture, "hello world");
  select_range (fixture, 0, 5);
  run (fixture, "editor.bold");
  run_with (fixture, "editor.alignment", "right");
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0;text-align:right\"><b>hello</b> world</p>\n");

  run (fixture, "editor.undo");          /* the alignment */
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\"><b>hello</b> world</p>\n");
  run (fixture, "editor.undo");          /* the bold */
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">hello world</p>\n");
  run (fixture, "editor.undo");          /* “ world”: typing is undone a word at a time */
  g_clear_pointer (&html, g_free);
  html = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (html, ==, "hello");
  run (fixture, "editor.redo");
  run (fixture, "editor.redo");
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\"><b>hello</b> world</p>\n");

  /* Typing in a centred paragraph is still undone a word at a time. */
  ep_rich_editor_set_text (fixture->editor, "");
  run_with (fixture, "editor.alignment", "center");
  type (fixture, "x");
  cursor_at (fixture, 0);
  run_with (fixture, "editor.alignment", "center");
  cursor_at (fixture, 1);
  type (fixture, " centred words");
  run (fixture, "editor.undo");
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0;text-align:center\">x centred</p>\n");

  ep_rich_editor_set_text (fixture->editor, "");
  type (fixture, "hello world");
  select_range (fixture, 0, 5);
  run (fixture, "editor.bold");

  /* A deletion comes back with its formatting. */
  select_range (fixture, 0, 8);
  gtk_text_buffer_begin_user_action (fixture->buffer);
  gtk_text_buffer_delete_selection (fixture->buffer, TRUE, TRUE);
  gtk_text_buffer_end_user_action (fixture->buffer);
  run (fixture, "editor.undo");
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\"><b>hello</b> world</p>\n");
}

static char *
write_png (Fixture    *fixture,
           const char *name,
           int         width,
           int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  char *path = g_build_filename (fixture->dir, name, NULL);

  gdk_pixbuf_fill (pixbuf, 0x2ec27eff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return path;
}

static void
test_images (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *small = write_png (fixture, "small.png", 40, 30);
  g_autofree char *large = write_png (fixture, "large.png", 1800, 900);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autofree char *text = NULL;
  GtkTextIter iter;
  GdkPaintable *shown;

  ep_rich_editor_set_text (fixture->editor, "see ");
  cursor_at (fixture, 4);
  g_assert_true (ep_rich_editor_insert_image (fixture->editor, small, &error));
  g_assert_no_error (error);
  type (fixture, " and ");
  g_assert_true (ep_rich_editor_insert_image (fixture->editor, large, &error));
  /* A large image is shown scaled down; the file is what is sent. */
  gtk_text_buffer_get_iter_at_offset (fixture->buffer, &iter, 10);
  shown = gtk_text_iter_get_paintable (&iter);
  g_assert_nonnull (shown);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->editor));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (shown), <,
                   gtk_widget_get_width (GTK_WIDGET (ep_rich_editor_get_view (fixture->editor))));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (shown), >, 400);
  /* A narrower window shows it narrower: it always fits the text. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 420, 500);
  gtk_widget_queue_resize (fixture->window);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (gtk_widget_get_width (GTK_WIDGET (ep_rich_editor_get_view (fixture->editor))) > 500 &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_test_message ("view %d px wide, image shown %d px wide",
                  gtk_widget_get_width (GTK_WIDGET (ep_rich_editor_get_view (fixture->editor))),
                  gdk_paintable_get_intrinsic_width (shown));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (ep_rich_editor_get_view (fixture->editor))), <=, 500);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (shown), <,
                   gtk_widget_get_width (GTK_WIDGET (ep_rich_editor_get_view (fixture->editor))));
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "see [image: small.png] and [image: large.png]");

  run (fixture, "editor.undo");          /* the large image */
  g_clear_pointer (&text, g_free);
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "see [image: small.png] and ");
  run (fixture, "editor.redo");
  g_assert_true (ep_rich_editor_fill_message (fixture->editor, message, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ep_message_get_n_inline_images (message), ==, 2);
  g_assert_cmpstr (ep_message_get_inline_image (message, 1, NULL), ==, large);

  /* Not an image: an error a person can read, nothing inserted. */
  g_assert_false (ep_rich_editor_insert_image (fixture->editor, "/nonexistent/x.png", &error));
  g_assert_nonnull (error);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
test_large_photo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *big = write_png (fixture, "big photo.png", 2400, 1200);
  g_autofree char *small = write_png (fixture, "small.png", 300, 200);
  g_autofree char *copy_dir = g_build_filename (fixture->dir, "copies", NULL);
  g_autofree char *copy = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMessage) message = ep_message_new ();
  AdwMessageDialog *dialog;
  int width, height;

  g_assert_false (ep_image_is_large (small, NULL, NULL, NULL));
  g_assert_true (ep_image_is_large (big, NULL, &width, &height));
  g_assert_cmpint (width, ==, 2400);
  copy = ep_image_resize_copy (big, copy_dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (copy, "/big photo.jpg"));
  g_assert_nonnull (gdk_pixbuf_get_file_info (copy, &width, &height));
  g_assert_cmpint (width, ==, 1600);
  g_assert_cmpint (height, ==, 800);

  /* A small image goes straight in; a large one asks first. */
  ep_rich_editor_set_text (fixture->editor, "");
  ep_rich_editor_offer_image (fixture->editor, small);
  g_assert_null (find_dialog ());
  ep_rich_editor_offer_image (fixture->editor, big);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "smaller");
  gtk_window_destroy (GTK_WINDOW (dialog));
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "[image: small.png][image: big photo.jpg]");
  g_assert_true (ep_rich_editor_fill_message (fixture->editor, message, &error));
  g_assert_cmpstr (ep_message_get_inline_image (message, 0, NULL), ==, small);
  g_assert_true (g_str_has_suffix (ep_message_get_inline_image (message, 1, NULL), "/big photo.jpg"));
  /* The original is untouched. */
  g_assert_nonnull (gdk_pixbuf_get_file_info (big, &width, NULL));
  g_assert_cmpint (width, ==, 2400);
}

/* Dropped onto the text, images go in where they fall; other files, and any
 * drop outside the text (the toolbar), are left for the window to attach. */
static void
test_drop_onto_text (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *image = write_png (fixture, "drop.png", 40, 40);
  g_autofree char *other = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *text = NULL;
  GSList *files = NULL;
  GSList *rest;
  graphene_rect_t bounds;

  g_assert_true (g_file_set_contents (other, "notes", -1, NULL));
  files = g_slist_append (files, g_file_new_for_path (image));
  files = g_slist_append (files, g_file_new_for_path (other));
  ep_rich_editor_set_text (fixture->editor, "first line\nsecond line");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->editor));

  /* On the toolbar: nothing taken. */
  rest = ep_rich_editor_drop_files (fixture->editor, files, 5, 5);
  g_assert_cmpuint (g_slist_length (rest), ==, 2);
  g_slist_free (rest);

  /* On the text, at the start of the first line. */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (ep_rich_editor_get_view (fixture->editor)),
                                            GTK_WIDGET (fixture->editor), &bounds));
  rest = ep_rich_editor_drop_files (fixture->editor, files, bounds.origin.x + 4, bounds.origin.y + 16);
  g_assert_cmpuint (g_slist_length (rest), ==, 1);
  g_assert_true (g_file_equal (rest->data, files->next->data));
  g_slist_free (rest);
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "[image: drop.png]first line\nsecond line");
  g_slist_free_full (files, g_object_unref);
}

/* Through the window's own drop target: the image over the text goes inline,
 * the text file beside it and the same image dropped on the From row are
 * attachments. The account points nowhere: nothing is sent. */
static void
test_window_drop (Fixture       *fixture,
                  gconstpointer  data)
{
  EpWindow *window = ep_window_new (NULL, FALSE);
  g_autoptr(EpAccount) account = ep_account_new_for_address ("alice@example.com", NULL);
  g_autofree char *image = write_png (fixture, "inline.png", 40, 40);
  g_autofree char *other = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) paths = NULL;
  GtkDropTarget *target = NULL;
  g_autoptr(GListModel) controllers = NULL;
  graphene_rect_t bounds;
  GSList *files = NULL;
  gboolean handled = FALSE;

  g_assert_true (g_file_set_contents (other, "notes", -1, NULL));
  ep_account_set_smtp_host (account, "127.0.0.1");
  ep_window_use_account (window, account, "secret", 0);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  controllers = gtk_widget_observe_controllers (window->compose_box);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  files = g_slist_append (files, g_file_new_for_path (image));
  files = g_slist_append (files, g_file_new_for_path (other));

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (ep_rich_editor_get_view (window->editor)),
                                            window->compose_box, &bounds));
  {
    g_auto(GValue) value = G_VALUE_INIT;

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
    g_signal_emit_by_name (target, "drop", &value, bounds.origin.x + 20, bounds.origin.y + 20, &handled);
    g_assert_true (handled);
  }
  text = ep_rich_editor_dup_text (window->editor);
  g_assert_cmpstr (text, ==, "[image: inline.png]");
  paths = ep_attachment_bar_dup_paths (window->attachments);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, other);

  /* Elsewhere (the From row), an image is an attachment, as before. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    GSList *one = g_slist_append (NULL, files->data);

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_list (one));
    g_slist_free (one);
    g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  }
  g_clear_pointer (&paths, g_strfreev);
  paths = ep_attachment_bar_dup_paths (window->attachments);
  g_assert_cmpuint (g_strv_length (paths), ==, 2);
  g_assert_cmpstr (paths[1], ==, image);
  g_slist_free_full (files, g_object_unref);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_plain_text_only (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;

  /* Nothing formatted: no question. */
  ep_rich_editor_set_text (fixture->editor, "plain");
  run (fixture, "editor.plain-text");
  g_assert_null (find_dialog ());
  g_assert_true (ep_rich_editor_get_plain_text (fixture->editor));
  /* The formatting commands are off. */
  select_range (fixture, 0, 5);
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.bold", NULL);
  g_assert_false (ep_buffer_html_has_formatting (fixture->buffer));
  run (fixture, "editor.plain-text");
  g_assert_false (ep_rich_editor_get_plain_text (fixture->editor));

  /* Formatted: asks; Cancel keeps everything. */
  ep_rich_editor_set_text (fixture->editor, "a\nb");
  select_range (fixture, 0, 1);
  run (fixture, "editor.bold");
  run_with (fixture, "editor.list", "number");
  run (fixture, "editor.plain-text");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_false (ep_rich_editor_get_plain_text (fixture->editor));
  g_assert_true (ep_buffer_html_has_formatting (fixture->buffer));

  run (fixture, "editor.plain-text");
  dialog = find_dialog ();
  adw_message_dialog_response (dialog, "plain");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (ep_rich_editor_get_plain_text (fixture->editor));
  g_assert_false (ep_buffer_html_has_formatting (fixture->buffer));
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "1. a\nb");
  g_assert_true (ep_rich_editor_fill_message (fixture->editor, message, &error));
  g_assert_null (ep_message_get_html (message));
  g_assert_cmpstr (ep_message_get_text (message), ==, "1. a\nb");
}

static void
wait_for_length (Fixture *fixture,
                 int      chars)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (gtk_text_buffer_get_char_count (fixture->buffer) != chars && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (gtk_text_buffer_get_char_count (fixture->buffer), ==, chars);
}

/* Inside Epistle, copy and paste keep formats; Ctrl+Shift+V takes the text alone. */
static void
test_clipboard (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *html = NULL;

  ep_rich_editor_set_text (fixture->editor, "bold ");
  select_range (fixture, 0, 4);
  run (fixture, "editor.bold");
  g_signal_emit_by_name (ep_rich_editor_get_view (fixture->editor), "copy-clipboard");
  cursor_at (fixture, 5);
  run (fixture, "editor.paste");
  wait_for_length (fixture, 9);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\"><b>bold</b> <b>bold</b></p>\n");
  type (fixture, " ");
  run (fixture, "editor.paste-plain");
  wait_for_length (fixture, 14);
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\"><b>bold</b> <b>bold</b> bold</p>\n");
}

/* A 1 MB paste, plain and into a centred paragraph, with no stall: each
 * line's fix-up once walked every tag toggle to the end of the message. */
static void
test_big_paste (Fixture       *fixture,
                gconstpointer  data)
{
  GString *big = g_string_new (NULL);
  g_autofree char *text = NULL;
  gint64 started;

  while (big->len < 1024 * 1024)
    g_string_append (big, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n");
  ep_rich_editor_set_text (fixture->editor, "centred ");
  run_with (fixture, "editor.alignment", "center");
  cursor_at (fixture, 8);
  started = g_get_monotonic_time ();
  gtk_text_buffer_begin_user_action (fixture->buffer);
  gtk_text_buffer_insert_interactive_at_cursor (fixture->buffer, big->str, big->len, TRUE);
  gtk_text_buffer_end_user_action (fixture->buffer);
  g_test_message ("1 MB pasted in %.0f ms", (g_get_monotonic_time () - started) / 1000.);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_true (g_str_has_prefix (text, "centred Lorem ipsum"));
  g_assert_cmpuint (strlen (text), ==, 8 + big->len);
  /* The lines pasted take the paragraph's alignment, as typed lines would. */
  g_assert_cmpint (ep_buffer_html_get_align (fixture->buffer, 1000), ==, EP_ALIGN_CENTER);
  g_string_free (big, TRUE);
}

/* An image on the clipboard (a screenshot) goes in inline, from a file in the cache. */
static void
test_paste_image (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *png = write_png (fixture, "shot.png", 64, 48);
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (png, NULL);
  g_autoptr(EpMessage) message = ep_message_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "epistle", "pasted", NULL);
  const char *sent;
  int width, height;

  ep_rich_editor_set_text (fixture->editor, "look: ");
  cursor_at (fixture, 6);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (fixture->editor)), texture);
  run (fixture, "editor.paste");
  wait_for_length (fixture, 7);
  g_assert_true (ep_rich_editor_fill_message (fixture->editor, message, &error));
  g_assert_cmpuint (ep_message_get_n_inline_images (message), ==, 1);
  sent = ep_message_get_inline_image (message, 0, NULL);
  g_assert_true (g_str_has_prefix (sent, cache));
  g_assert_nonnull (gdk_pixbuf_get_file_info (sent, &width, &height));
  g_assert_cmpint (width, ==, 64);
  g_assert_cmpint (height, ==, 48);
}

static void
test_links (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;

  ep_rich_editor_set_text (fixture->editor, "Read the manual. ");
  select_range (fixture, 9, 15);
  g_assert_true (ep_rich_editor_insert_link (fixture->editor, NULL, "gnome.org/manual", &error));
  cursor_at (fixture, gtk_text_buffer_get_char_count (fixture->buffer));
  g_assert_true (ep_rich_editor_insert_link (fixture->editor, "Write", "bob@example.com", &error));
  g_assert_no_error (error);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">Read the <a href=\"https://gnome.org/manual\">manual</a>. "
                   "<a href=\"mailto:bob@example.com\">Write</a></p>\n");
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "Read the manual <https://gnome.org/manual>. Write <mailto:bob@example.com>");
  /* Typing after a link is not more link. */
  type (fixture, "!");
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_true (g_str_has_suffix (html, "Write</a>!</p>\n"));

  g_assert_false (ep_rich_editor_insert_link (fixture->editor, "x", "javascript:alert(1)", &error));
  g_assert_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME);
}

static char *
link_colour (Fixture *fixture)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (fixture->buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, "link:https://gnome.org/");
  GdkRGBA *rgba = NULL;
  char *spec;

  g_assert_nonnull (tag);
  g_object_get (tag, "foreground-rgba", &rgba, NULL);
  spec = gdk_rgba_to_string (rgba);
  gdk_rgba_free (rgba);
  return spec;
}

/* A link is drawn in a blue that reads on the page of the style in use, before and after
 * the style changes; the HTML carries the link only. */
static void
test_link_colour_follows_style (Fixture       *fixture,
                                gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *light = NULL, *dark = NULL, *made_dark = NULL, *html = NULL;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ep_rich_editor_set_text (fixture->editor, "GNOME ");
  select_range (fixture, 0, 5);
  g_assert_true (ep_rich_editor_insert_link (fixture->editor, NULL, "https://gnome.org/", &error));
  g_assert_no_error (error);
  light = link_colour (fixture);
  g_assert_cmpstr (light, ==, "rgb(28,113,216)");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  dark = link_colour (fixture);
  g_assert_cmpstr (dark, ==, "rgb(120,174,237)");
  /* A link made in the dark style is light blue from the start. */
  ep_rich_editor_set_text (fixture->editor, "GNOME ");
  gtk_text_tag_table_remove (gtk_text_buffer_get_tag_table (fixture->buffer),
                             gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (fixture->buffer),
                                                        "link:https://gnome.org/"));
  select_range (fixture, 0, 5);
  g_assert_true (ep_rich_editor_insert_link (fixture->editor, NULL, "https://gnome.org/", &error));
  made_dark = link_colour (fixture);
  g_assert_cmpstr (made_dark, ==, "rgb(120,174,237)");
  html = body_html (fixture);
  g_assert_null (strstr (html, "color"));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* Ctrl+K's dialog: Insert Link is off until the address is one; the text defaults to the selection. */
static void
test_link_dialog (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkWidget *rows[2] = { NULL, NULL };
  GtkWidget *list;
  guint n = 0;
  g_autofree char *html = NULL;

  ep_rich_editor_set_text (fixture->editor, "see the docs");
  select_range (fixture, 8, 12);
  run (fixture, "editor.insert-link");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  list = adw_message_dialog_get_extra_child (dialog);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row && n < 2; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ENTRY_ROW (row))
      rows[n++] = row;
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rows[0])), ==, "docs");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "insert"));
  gtk_editable_set_text (GTK_EDITABLE (rows[1]), "javascript:alert(1)");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "insert"));
  gtk_editable_set_text (GTK_EDITABLE (rows[1]), "developer.gnome.org");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "insert"));
  adw_message_dialog_response (dialog, "insert");
  gtk_window_destroy (GTK_WINDOW (dialog));
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">see the <a href=\"https://developer.gnome.org\">docs</a></p>\n");
}

/* View HTML shows, read-only, the HTML that goes. */
static void
test_view_html (Fixture       *fixture,
                gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
  GtkWidget *shown = NULL;
  GtkTextView *view;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  ep_rich_editor_set_text (fixture->editor, "<hi> & bye");
  select_range (fixture, 0, 4);
  run (fixture, "editor.bold");
  run (fixture, "editor.view-html");
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && shown == NULL; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_WINDOW (window))
        shown = GTK_WIDGET (window);
    }
  g_assert_nonnull (shown);
  view = GTK_TEXT_VIEW (find_widget (shown, GTK_TYPE_TEXT_VIEW, NULL));
  g_assert_false (gtk_text_view_get_editable (view));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  text = gtk_text_iter_get_text (&start, &end);
  expected = ep_buffer_html_to_html (fixture->buffer, "epistle.invalid", NULL, NULL);
  g_assert_cmpstr (text, ==, expected);
  g_assert_nonnull (strstr (text, "<b>&lt;hi&gt;</b> &amp; bye"));
  gtk_window_destroy (GTK_WINDOW (shown));
}

static void
test_remove_formatting (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *html = NULL;

  ep_rich_editor_set_text (fixture->editor, "abc def");
  select_range (fixture, 0, 7);
  run (fixture, "editor.bold");
  run (fixture, "editor.underline");
  run_with (fixture, "editor.text-color", "#00ff00");
  select_range (fixture, 0, 3);
  run (fixture, "editor.remove-formatting");
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">abc<span style=\"color:#00ff00\"><b><u> def</u></b></span></p>\n");
  g_assert_false (get_bool (fixture, "bold"));
}

static void
test_rule (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *html = NULL;

  ep_rich_editor_set_text (fixture->editor, "above");
  cursor_at (fixture, 5);
  run (fixture, "editor.insert-rule");
  type (fixture, "below");
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">above</p>\n<hr>\n<p style=\"margin:0\">below</p>\n");
  run (fixture, "editor.undo");
  run (fixture, "editor.undo");
  g_clear_pointer (&html, g_free);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\">above</p>\n");
}

static void
test_fill_plain_and_rich (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(EpMessage) plain = ep_message_new ();
  g_autoptr(EpMessage) rich = ep_message_new ();
  g_autoptr(GError) error = NULL;

  ep_rich_editor_set_text (fixture->editor, "Hi,\nsee attached.");
  g_assert_true (ep_rich_editor_fill_message (fixture->editor, plain, &error));
  g_assert_null (ep_message_get_html (plain));
  g_assert_cmpstr (ep_message_get_text (plain), ==, "Hi,\nsee attached.");
  select_range (fixture, 0, 2);
  run (fixture, "editor.bold");
  g_assert_true (ep_rich_editor_fill_message (fixture->editor, rich, &error));
  g_assert_nonnull (strstr (ep_message_get_html (rich), "<b>Hi</b>,"));
  g_assert_cmpstr (ep_message_get_text (rich), ==, "Hi,\nsee attached.");
}

static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, css_class);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* GtkSourceView counts matches in idle time: wait for the count to read @expected. */
static void
wait_for_label (GtkLabel   *label,
                const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_strcmp0 (gtk_label_get_text (label), expected) != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
}

static void
test_find_replace (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *bar = find_widget (GTK_WIDGET (fixture->editor), GTK_TYPE_REVEALER, NULL);
  GtkWidget *entry = find_widget (bar, GTK_TYPE_SEARCH_ENTRY, NULL);
  GtkLabel *count = GTK_LABEL (find_widget (bar, GTK_TYPE_LABEL, "numeric"));
  GtkWidget *replace = find_widget (bar, GTK_TYPE_ENTRY, NULL);
  GtkWidget *match_case = find_widget (bar, GTK_TYPE_TOGGLE_BUTTON, NULL);
  g_autofree char *html = NULL;

  g_assert_nonnull (entry);
  g_assert_nonnull (replace);
  g_assert_nonnull (match_case);

  ep_rich_editor_set_text (fixture->editor, "cat Cat cat dog");
  select_range (fixture, 0, 3);
  run (fixture, "editor.bold");
  cursor_at (fixture, 0);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (bar)));
  run (fixture, "editor.find");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (bar)));
  g_assert_false (gtk_widget_is_visible (replace));
  gtk_editable_set_text (GTK_EDITABLE (entry), "cat");
  wait_for_label (count, "3 matches");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (match_case), TRUE);
  wait_for_label (count, "2 matches");
  run (fixture, "editor.find-next");
  wait_for_label (count, "1 of 2");
  run (fixture, "editor.find-next");
  wait_for_label (count, "2 of 2");
  run (fixture, "editor.find-next");     /* wraps around */
  wait_for_label (count, "1 of 2");
  run (fixture, "editor.find-previous");
  wait_for_label (count, "2 of 2");

  run (fixture, "editor.replace");
  g_assert_true (gtk_widget_is_visible (replace));
  gtk_editable_set_text (GTK_EDITABLE (replace), "bird");
  run (fixture, "editor.replace-all");
  html = body_html (fixture);
  /* The replacement takes the formats of what it replaced. */
  g_assert_cmpstr (html, ==, "<p style=\"margin:0\"><b>bird</b> Cat bird dog</p>\n");
  wait_for_label (count, "No matches");
  run (fixture, "editor.undo");
  g_clear_pointer (&html, g_free);
  html = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (html, ==, "cat Cat cat dog");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (match_case), FALSE);
  cursor_at (fixture, 0);
  run (fixture, "editor.find-next");
  run (fixture, "editor.replace-one");   /* replaces the selected match, selects the next */
  g_clear_pointer (&html, g_free);
  html = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (html, ==, "bird Cat cat dog");
  run (fixture, "editor.close-find");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (bar)));
}

static void
test_load_html (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *photo = write_png (fixture, "photo.png", 900, 600);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  GtkTextIter iter;

  ep_rich_editor_set_text (fixture->editor, "old text");
  g_assert_true (ep_rich_editor_load_html (fixture->editor,
                                           "<p style='text-align:center'><b>Title</b></p><p>Body "
                                           "<img src='photo.png' alt='p'></p><ul><li>one</li></ul>",
                                           -1, fixture->dir, &error));
  g_assert_no_error (error);
  html = body_html (fixture);
  g_assert_cmpstr (html, ==, "<p style=\"margin:0;text-align:center\"><b>Title</b></p>\n"
                   "<p style=\"margin:0\">Body <img src=\"cid:image1.t@epistle.invalid\" alt=\"photo.png\" "
                   "style=\"max-width:100%\"></p>\n<ul>\n<li>one</li>\n</ul>\n");
  /* Shown scaled to fit; the file on disk is what goes. */
  gtk_text_buffer_get_iter_at_line_offset (fixture->buffer, &iter, 1, 5);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_text_iter_get_paintable (&iter)), <=, 900);
  /* Opening a file is one step: undo brings the old body back. */
  run (fixture, "editor.undo");
  text = ep_rich_editor_dup_text (fixture->editor);
  g_assert_cmpstr (text, ==, "old text");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add ("/rich-editor/" path, Fixture, NULL, setup, func, teardown)
  ADD ("toolbar-names", test_toolbar_names);
  ADD ("shortcuts", test_shortcuts);
  ADD ("styles-on-selection", test_styles_on_selection);
  ADD ("typing-continues", test_typing_continues);
  ADD ("state-follows-cursor", test_state_follows_cursor);
  ADD ("groups", test_groups);
  ADD ("paragraphs", test_paragraphs);
  ADD ("list-typing", test_list_typing);
  ADD ("undo-formatting", test_undo_formatting);
  ADD ("images", test_images);
  ADD ("large-photo", test_large_photo);
  ADD ("drop-onto-text", test_drop_onto_text);
  ADD ("window-drop", test_window_drop);
  ADD ("plain-text-only", test_plain_text_only);
  ADD ("clipboard", test_clipboard);
  ADD ("paste-image", test_paste_image);
  ADD ("big-paste", test_big_paste);
  ADD ("links", test_links);
  ADD ("link-dialog", test_link_dialog);
  ADD ("link-colour-follows-style", test_link_colour_follows_style);
  ADD ("view-html", test_view_html);
  ADD ("remove-formatting", test_remove_formatting);
  ADD ("rule", test_rule);
  ADD ("fill-plain-and-rich", test_fill_plain_and_rich);
  ADD ("find-replace", test_find_replace);
  ADD ("load-html", test_load_html);
#undef ADD
  return g_test_run ();
}
