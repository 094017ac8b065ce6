/* ep-dialog.c — what every message dialog of Epistle's needs
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ep-dialog.h"

static void
name_buttons_once (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      gtk_button_set_use_underline (GTK_BUTTON (widget), FALSE);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_buttons_once (child);
}

/**
 * ep_dialog_name_buttons_once:
 * @dialog: a dialog whose buttons' labels hold no mnemonic underline
 *
 * GTK 4.8 names a button whose label uses underlines twice for screen readers
 * ("_Go Back Go Back"), and AdwMessageDialog's responses are such buttons.
 * When @dialog is mapped, each button's name becomes its label alone.
 */
void
ep_dialog_name_buttons_once (GtkWidget *dialog)
{
  g_return_if_fail (GTK_IS_WIDGET (dialog));

  g_signal_connect (dialog, "map", G_CALLBACK (name_buttons_once), NULL);
}
