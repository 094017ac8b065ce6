/* ep-recipient-entry.c — a `;`/`,` list of addresses that marks and explains bad entries
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change is checked with core's parser. An entry followed by a
 * separator is judged at once; the one still being typed is judged after a
 * pause or when the field loses focus, so a half-typed address is not shouted
 * at. Marking only restyles the field and fills the line under it: the text
 * and the cursor are never touched.
 */
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-recipient-entry.h"

#define PAUSE_MS 900
#define N_COMPLETIONS 8

struct _EpRecipientEntry
{
  GtkWidget parent_instance;

  /* Owned */
  char *problem;
  EpRecentAddresses *recent;
  GtkListStore *completions;
  guint pause_id;
  guint n_addresses;
  gboolean valid;

  /* Template widgets */
  GtkEntry *entry;
  GtkLabel *problem_label;
};

G_DEFINE_FINAL_TYPE (EpRecipientEntry, ep_recipient_entry, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VALID,
  PROP_N_ADDRESSES,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
ends_with_separator (const char *text)
{
  gsize len = strlen (text);

  while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
    len--;
  return len > 0 && strchr (",;\r\n", text[len - 1]) != NULL;
}

static void
show_problem (EpRecipientEntry *self,
              const char       *problem)
{
  GtkAccessibleInvalidState invalid = problem ? GTK_ACCESSIBLE_INVALID_TRUE
                                              : GTK_ACCESSIBLE_INVALID_FALSE;

  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID, invalid, -1);

  if (g_strcmp0 (self->problem, problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
}

/* Judges every entry; @include_last also shows a problem in the one being typed. */
static void
recheck (EpRecipientEntry *self,
         gboolean          include_last)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gboolean last_open = !ends_with_separator (text);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) entries = ep_address_split (text, &error);
  g_autofree char *shown = NULL;
  gboolean valid = TRUE;
  guint n = 0;

  if (entries == NULL)
    {
      valid = FALSE;
      if (include_last)
        shown = g_strdup (error->message);
    }
  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      g_autoptr(GError) bad = NULL;
      g_autoptr(EpAddress) address = ep_address_parse (entries[i], &bad);
      gboolean typing = last_open && entries[i + 1] == NULL;

      if (address != NULL)
        {
          n++;
          continue;
        }
      valid = FALSE;
      if (shown == NULL && (include_last || !typing))
        shown = g_strdup (bad->message);
    }

  show_problem (self, shown);
  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
  if (self->n_addresses != n)
    {
      self->n_addresses = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ADDRESSES]);
    }
}

static gboolean
on_pause_cb (gpointer user_data)
{
  EpRecipientEntry *self = user_data;

  self->pause_id = 0;
  recheck (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* The entry being typed: what follows the last separator. */
static const char *
current_entry_start (const char *text)
{
  const char *start = text;

  for (const char *p = text; *p; p++)
    if (strchr (",;\r\n", *p) != NULL)
      start = p + 1;
  while (*start == ' ')
    start++;
  return start;
}

static void
update_completions (EpRecipientEntry *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  const char *prefix = current_entry_start (text);
  g_autoptr(GPtrArray) matches = NULL;

  if (self->recent == NULL)
    return;
  gtk_list_store_clear (self->completions);
  if (*prefix == '\0')
    return;
  matches = ep_recent_addresses_complete (self->recent, prefix, N_COMPLETIONS);
  for (guint i = 0; i < matches->len; i++)
    gtk_list_store_insert_with_values (self->completions, NULL, -1, 0, g_ptr_array_index (matches, i), -1);
}

static void
on_entry_changed_cb (EpRecipientEntry *self)
{
  g_clear_handle_id (&self->pause_id, g_source_remove);
  recheck (self, FALSE);
  if (!self->valid && self->problem == NULL)
    self->pause_id = g_timeout_add (PAUSE_MS, on_pause_cb, self);
  update_completions (self);
}

static void
on_entry_activate_cb (EpRecipientEntry *self)
{
  ep_recipient_entry_check_now (self);
}

static void
on_focus_leave_cb (GtkEventControllerFocus *controller,
                   EpRecipientEntry        *self)
{
  ep_recipient_entry_check_now (self);
}

static gboolean
match_all_cb (GtkEntryCompletion *completion,
              const char         *key,
              GtkTreeIter        *iter,
              gpointer            user_data)
{
  return TRUE;  /* the store already holds only matches for the entry being typed */
}

/* A chosen completion replaces the entry being typed, and a separator follows. */
static gboolean
on_match_selected_cb (GtkEntryCompletion *completion,
                      GtkTreeModel       *model,
                      GtkTreeIter        *iter,
                      EpRecipientEntry   *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *chosen = NULL;
  g_autofree char *head = NULL;
  g_autofree char *replaced = NULL;

  gtk_tree_model_get (model, iter, 0, &chosen, -1);
  head = g_strndup (text, current_entry_start (text) - text);
  replaced = g_strconcat (head, chosen, "; ", NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), replaced);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  return TRUE;
}

static void
ep_recipient_entry_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EpRecipientEntry *self = EP_RECIPIENT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_N_ADDRESSES:
      g_value_set_uint (value, self->n_addresses);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
ep_recipient_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (EP_RECIPIENT_ENTRY (widget)->entry));
}

static void
ep_recipient_entry_dispose (GObject *object)
{
  EpRecipientEntry *self = EP_RECIPIENT_ENTRY (object);

  g_clear_handle_id (&self->pause_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_RECIPIENT_ENTRY);
  g_clear_object (&self->recent);
  g_clear_object (&self->completions);
  G_OBJECT_CLASS (ep_recipient_entry_parent_class)->dispose (object);
}

static void
ep_recipient_entry_finalize (GObject *object)
{
  EpRecipientEntry *self = EP_RECIPIENT_ENTRY (object);

  g_free (self->problem);
  G_OBJECT_CLASS (ep_recipient_entry_parent_class)->finalize (object);
}

static void
ep_recipient_entry_class_init (EpRecipientEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ep_recipient_entry_get_property;
  object_class->dispose = ep_recipient_entry_dispose;
  object_class->finalize = ep_recipient_entry_finalize;
  widget_class->grab_focus = ep_recipient_entry_grab_focus;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ADDRESSES] =
    g_param_spec_uint ("n-addresses", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-recipient-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, EpRecipientEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, EpRecipientEntry, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate_cb);
}

static void
ep_recipient_entry_init (EpRecipientEntry *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->valid = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->problem_label, NULL,
                                  -1);
}

GtkWidget *
ep_recipient_entry_new (void)
{
  return g_object_new (EP_TYPE_RECIPIENT_ENTRY, NULL);
}

/* The GtkEntry inside, for labels (mnemonic widget) and tests. */
GtkEditable *
ep_recipient_entry_get_editable (EpRecipientEntry *self)
{
  g_return_val_if_fail (EP_IS_RECIPIENT_ENTRY (self), NULL);
  return GTK_EDITABLE (self->entry);
}

const char *
ep_recipient_entry_get_text (EpRecipientEntry *self)
{
  g_return_val_if_fail (EP_IS_RECIPIENT_ENTRY (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
ep_recipient_entry_set_text (EpRecipientEntry *self,
                             const char       *text)
{
  g_return_if_fail (EP_IS_RECIPIENT_ENTRY (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  ep_recipient_entry_check_now (self);
}

/* Returns: %FALSE when any entry is bad (an empty field is valid). */
gboolean
ep_recipient_entry_get_valid (EpRecipientEntry *self)
{
  g_return_val_if_fail (EP_IS_RECIPIENT_ENTRY (self), FALSE);
  return self->valid;
}

guint
ep_recipient_entry_get_n_addresses (EpRecipientEntry *self)
{
  g_return_val_if_fail (EP_IS_RECIPIENT_ENTRY (self), 0);
  return self->n_addresses;
}

/* Returns: (nullable): the sentence shown under the field. */
const char *
ep_recipient_entry_get_problem (EpRecipientEntry *self)
{
  g_return_val_if_fail (EP_IS_RECIPIENT_ENTRY (self), NULL);
  return self->problem;
}

/* Judges every entry now, the one being typed too. */
void
ep_recipient_entry_check_now (EpRecipientEntry *self)
{
  g_return_if_fail (EP_IS_RECIPIENT_ENTRY (self));
  g_clear_handle_id (&self->pause_id, g_source_remove);
  recheck (self, TRUE);
}

/* Returns: (transfer full): the addresses, or %NULL with the first bad entry's error. */
EpAddressList *
ep_recipient_entry_dup_addresses (EpRecipientEntry  *self,
                                  GError           **error)
{
  g_return_val_if_fail (EP_IS_RECIPIENT_ENTRY (self), NULL);
  return ep_address_list_parse (gtk_editable_get_text (GTK_EDITABLE (self->entry)), error);
}

/* @recent: (nullable): where completions come from */
void
ep_recipient_entry_set_recent (EpRecipientEntry  *self,
                               EpRecentAddresses *recent)
{
  GtkEntryCompletion *completion;

  g_return_if_fail (EP_IS_RECIPIENT_ENTRY (self));

  g_set_object (&self->recent, recent);
  if (recent == NULL || self->completions != NULL)
    return;
  self->completions = gtk_list_store_new (1, G_TYPE_STRING);
  completion = gtk_entry_completion_new ();
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (self->completions));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_match_func (completion, match_all_cb, NULL, NULL);
  gtk_entry_completion_set_popup_single_match (completion, TRUE);
  g_signal_connect (completion, "match-selected", G_CALLBACK (on_match_selected_cb), self);
  gtk_entry_set_completion (self->entry, completion);
  g_object_unref (completion);
}
