/* test-recipient-entry.c — recipient lists are judged as typed, and never edited by the judging
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ep-recipient-entry.h"

typedef struct
{
  const char *text;
  gboolean valid;
  guint n_addresses;
  const char *problem_names;   /* the entry the shown problem must quote, or NULL for none */
} Case;

static const Case cases[] = {
  { "bob@example.com", TRUE, 1, NULL },
  { "张三 <zhang@qq.com>; 李四 <lisi@163.com>, wangwu@126.com", TRUE, 3, NULL },
  { "bob@example.com\ncarol@example.org", TRUE, 2, NULL },
  { "\"Smith, John\" <john@example.com>; amy@example.com", TRUE, 2, NULL },
  { "bob@qq", FALSE, 0, "bob@qq" },
  { "good@example.com; bad@qq; other@example.com", FALSE, 2, "bad@qq" },
  { "a b@example.com, good@example.com", FALSE, 1, "a b@example.com" },
  { "good@example.com;;  ;", TRUE, 1, NULL },
  { "", TRUE, 0, NULL },
};

static EpRecipientEntry *
new_entry (void)
{
  EpRecipientEntry *entry = EP_RECIPIENT_ENTRY (ep_recipient_entry_new ());

  g_object_ref_sink (entry);
  return entry;
}

static void
test_marking (gconstpointer data)
{
  const Case *row = data;
  g_autoptr(EpRecipientEntry) entry = new_entry ();
  const char *problem;

  ep_recipient_entry_set_text (entry, row->text);
  g_assert_cmpint (ep_recipient_entry_get_valid (entry), ==, row->valid);
  g_assert_cmpuint (ep_recipient_entry_get_n_addresses (entry), ==, row->n_addresses);
  problem = ep_recipient_entry_get_problem (entry);
  if (row->problem_names == NULL)
    g_assert_null (problem);
  else
    {
      g_assert_nonnull (problem);
      g_assert_nonnull (strstr (problem, row->problem_names));
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ep_recipient_entry_get_editable (entry)), "error"));
    }
  g_assert_cmpstr (ep_recipient_entry_get_text (entry), ==, row->text);
}

/* Types one character at a time at the cursor, as a person would. */
static void
type_text (GtkEditable *editable,
           const char  *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      int position = gtk_editable_get_position (editable);

      gtk_editable_insert_text (editable, p, g_utf8_next_char (p) - p, &position);
      gtk_editable_set_position (editable, position);
    }
}

/* A finished bad entry is marked while the next one is typed; the text and cursor stay put. */
static void
test_cursor_stays (void)
{
  g_autoptr(EpRecipientEntry) entry = new_entry ();
  GtkEditable *editable = ep_recipient_entry_get_editable (entry);
  const char *typed = "bad@qq; 张三 <zhang@qq";

  type_text (editable, typed);
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, typed);
  g_assert_cmpint (gtk_editable_get_position (editable), ==, g_utf8_strlen (typed, -1));
  g_assert_nonnull (ep_recipient_entry_get_problem (entry));
  g_assert_nonnull (strstr (ep_recipient_entry_get_problem (entry), "bad@qq"));
  g_assert_false (ep_recipient_entry_get_valid (entry));

  /* Move the cursor into the middle, fix the first entry there, and the cursor stays. */
  gtk_editable_set_position (editable, 6);
  type_text (editable, ".com");
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, "bad@qq.com; 张三 <zhang@qq");
  g_assert_cmpint (gtk_editable_get_position (editable), ==, 10);
  /* The one still being typed is not shouted at yet… */
  g_assert_null (ep_recipient_entry_get_problem (entry));
  g_assert_false (ep_recipient_entry_get_valid (entry));
}

/* …but after a pause it is, naming what is wrong, still without touching the text. */
static void
test_pause_marks_last (void)
{
  g_autoptr(EpRecipientEntry) entry = new_entry ();
  GtkEditable *editable = ep_recipient_entry_get_editable (entry);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  type_text (editable, "good@example.com, zhang@qq");
  g_assert_null (ep_recipient_entry_get_problem (entry));
  while (ep_recipient_entry_get_problem (entry) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (ep_recipient_entry_get_problem (entry), "zhang@qq"));
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, "good@example.com, zhang@qq");
  g_assert_cmpint (gtk_editable_get_position (editable), ==, 26);

  type_text (editable, ".com");
  g_assert_true (ep_recipient_entry_get_valid (entry));
  g_assert_cmpuint (ep_recipient_entry_get_n_addresses (entry), ==, 2);
  g_assert_null (ep_recipient_entry_get_problem (entry));
}

static void
test_dup_addresses (void)
{
  g_autoptr(EpRecipientEntry) entry = new_entry ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EpAddressList) list = NULL;

  ep_recipient_entry_set_text (entry, "张三 <zhang@qq.com>; lisi@163.com");
  list = ep_recipient_entry_dup_addresses (entry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ep_address_list_get_length (list), ==, 2);
  g_assert_cmpstr (ep_address_get_name (ep_address_list_get (list, 0)), ==, "张三");
  g_assert_cmpstr (ep_address_get_addr_spec (ep_address_list_get (list, 1)), ==, "lisi@163.com");
}

/* Addresses sent to before complete the entry being typed; choosing one keeps the others. */
static void
test_completion (void)
{
  g_autoptr(EpRecipientEntry) entry = new_entry ();
  g_autofree char *dir = g_dir_make_tmp ("epistle-recent-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "recent", NULL);
  g_autoptr(EpRecentAddresses) recent = ep_recent_addresses_new (path);
  g_autoptr(EpAddressList) sent = ep_address_list_parse ("张三 <zhang@qq.com>, lisi@163.com", NULL);
  GtkEditable *editable = ep_recipient_entry_get_editable (entry);
  GtkEntryCompletion *completion;
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *first = NULL;
  gboolean handled = FALSE;

  ep_recent_addresses_add_list (recent, sent);
  ep_recipient_entry_set_recent (entry, recent);
  completion = gtk_entry_get_completion (GTK_ENTRY (editable));
  g_assert_nonnull (completion);
  model = gtk_entry_completion_get_model (completion);

  type_text (editable, "bob@example.com; 张");
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 1);
  g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
  gtk_tree_model_get (model, &iter, 0, &first, -1);
  g_assert_cmpstr (first, ==, "张三 <zhang@qq.com>");

  g_signal_emit_by_name (completion, "match-selected", model, &iter, &handled);
  g_assert_true (handled);
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, "bob@example.com; 张三 <zhang@qq.com>; ");
  g_assert_true (ep_recipient_entry_get_valid (entry));
  g_assert_cmpuint (ep_recipient_entry_get_n_addresses (entry), ==, 2);

  type_text (editable, "nobody-known");
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 0);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/recipient-entry/marking/%u", i);

      g_test_add_data_func (path, &cases[i], test_marking);
    }
  g_test_add_func ("/recipient-entry/cursor-stays", test_cursor_stays);
  g_test_add_func ("/recipient-entry/pause-marks-last", test_pause_marks_last);
  g_test_add_func ("/recipient-entry/dup-addresses", test_dup_addresses);
  g_test_add_func ("/recipient-entry/completion", test_completion);
  return g_test_run ();
}
