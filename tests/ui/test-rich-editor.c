/* test-rich-editor.c — the formatting toolbar, shortcuts and the buffer they change
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gtk/gtk.h>

#include "ep-rich-editor.h"

static void
test_new (void)
{
  GtkWidget *editor = g_object_ref_sink (ep_rich_editor_new ());

  g_assert_nonnull (ep_rich_editor_get_buffer (EP_RICH_EDITOR (editor)));
  g_object_unref (editor);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rich-editor/new", test_new);
  return g_test_run ();
}
