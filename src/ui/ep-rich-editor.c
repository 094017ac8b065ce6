/* ep-rich-editor.c — the message body: a GtkTextView with a formatting toolbar
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command is an `editor.*` action. The toggles (bold … strikethrough)
 * and choices (alignment, list, font, size) are property actions: the
 * property holds the formatting at the cursor, so each toolbar button shows
 * it, and setting the property — by a button, a shortcut or a menu — formats
 * the selection, or, with none, the text typed next. The tag set and the
 * paragraph rules live in ep-buffer-html, which the editor only drives.
 */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "ep-application.h"
#include "ep-buffer-html-private.h"
#include "ep-dialog.h"
#include "ep-inline-image.h"
#include "ep-rich-editor-private.h"


G_DEFINE_FINAL_TYPE (EpRichEditor, ep_rich_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BOLD,
  PROP_ITALIC,
  PROP_UNDERLINE,
  PROP_STRIKETHROUGH,
  PROP_ALIGNMENT,
  PROP_LIST,
  PROP_FONT,
  PROP_SIZE,
  PROP_PLAIN_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const style_names[] = { NULL, "bold", "italic", "underline", "strikethrough" };
static const char * const size_ids[] = { "small", "normal", "large", "huge" };
static const char * const align_ids[] = { "left", "center", "right" };
static const char * const list_ids[] = { "none", "bullet", "number" };

static guint
index_of (const char * const *ids,
          guint               n,
          const char         *id)
{
  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (ids[i], id) == 0)
        return i;
    }
  return 0;
}

GtkTextBuffer *
ep_rich_editor_buffer (EpRichEditor *self)
{
  return gtk_text_view_get_buffer (self->view);
}

/* The whole lines the selection touches, or the cursor's line. */
void
ep_rich_editor_selected_lines (EpRichEditor *self,
                               int          *first,
                               int          *last)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_selection_bounds (ep_rich_editor_buffer (self), &start, &end);
  *first = gtk_text_iter_get_line (&start);
  *last = gtk_text_iter_get_line (&end);
  if (*last > *first && gtk_text_iter_starts_line (&end))
    (*last)--;
}

/* The colour buttons show the colours at the cursor: an underlined “A” in
 * the text colour, “ab” on the highlight (yellow when there is none, so
 * the button still says what it does). */
static void
update_color_buttons (EpRichEditor *self)
{
  const char *color = NULL, *highlight = NULL;
  g_autofree char *text_markup = NULL;
  g_autofree char *highlight_markup = NULL;

  for (guint i = 0; i < self->typing_tags->len; i++)
    {
      const char *value;
      EpTagKind kind = ep_buffer_html_tag_kind (self->typing_tags->pdata[i], &value);

      if (kind == EP_TAG_FOREGROUND)
        color = value;
      else if (kind == EP_TAG_BACKGROUND)
        highlight = value;
    }
  /* No colour chosen: the underline takes the text's own colour, so it shows in the dark style too. */
  if (color != NULL)
    text_markup = g_strdup_printf ("<span weight=\"bold\" underline=\"double\" underline_color=\"%s\">A</span>",
                                   color);
  else
    text_markup = g_strdup ("<span weight=\"bold\" underline=\"double\">A</span>");
  highlight_markup = g_strdup_printf ("<span background=\"%s\" foreground=\"#241f31\"> ab </span>",
                                      highlight ? highlight : "#f8e45c");
  gtk_label_set_markup (self->text_color_label, text_markup);
  gtk_label_set_markup (self->highlight_label, highlight_markup);
}

static void
update_menu_labels (EpRichEditor *self)
{
  const char *font_label = _("Default");
  static const char * const size_labels[] = { N_("Small"), N_("Normal"), N_("Large"), N_("Huge") };

  for (guint i = 0; i < ep_buffer_html_get_n_fonts (); i++)
    {
      if (g_strcmp0 (self->font, ep_buffer_html_get_font_id (i)) == 0)
        font_label = ep_buffer_html_get_font_label (i);
    }
  gtk_menu_button_set_label (self->font_button, font_label);
  gtk_menu_button_set_label (self->size_button,
                             _(size_labels[index_of (size_ids, G_N_ELEMENTS (size_ids), self->size)]));
  update_color_buttons (self);
}

void
ep_rich_editor_update_toolbar (EpRichEditor *self)
{
  update_menu_labels (self);
}

/* Sets a property from the cursor, without formatting anything. */
static void
sync_string (EpRichEditor *self,
             char        **field,
             const char   *value,
             guint         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
sync_bool (EpRichEditor *self,
           gboolean     *field,
           gboolean      value,
           guint         prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* The inline formats text typed at @iter takes: those of the character
 * before it, or of the first one when the cursor starts the paragraph. */
static GSList *
formats_at (const GtkTextIter *iter,
            gboolean           has_selection)
{
  GtkTextIter probe = *iter;
  GSList *tags;
  GSList *inline_tags = NULL;

  if (!has_selection && !gtk_text_iter_starts_line (&probe))
    {
      gtk_text_iter_backward_char (&probe);
      tags = gtk_text_iter_get_tags (&probe);
      for (GSList *l = tags; l; l = l->next)
        {
          if (ep_buffer_html_tag_kind (l->data, NULL) == EP_TAG_MARKER)
            {
              probe = *iter;
              break;
            }
        }
      g_slist_free (tags);
    }
  /* On an empty line, the formats the line break before it was typed with go on. */
  if (!has_selection && gtk_text_iter_equal (&probe, iter) && gtk_text_iter_ends_line (iter) &&
      !gtk_text_iter_backward_char (&probe))
    return NULL;
  tags = gtk_text_iter_get_tags (&probe);
  for (GSList *l = tags; l; l = l->next)
    {
      EpTagKind kind = ep_buffer_html_tag_kind (l->data, NULL);

      /* Typing after a link is not more link. */
      if (kind >= EP_TAG_STYLE && kind < EP_TAG_LINK)
        inline_tags = g_slist_prepend (inline_tags, l->data);
    }
  g_slist_free (tags);
  return inline_tags;
}

static void
sync_properties (EpRichEditor *self)
{
  gboolean style_on[G_N_ELEMENTS (style_names)] = { FALSE };
  const char *font = "", *size = "normal";

  for (guint i = 0; i < self->typing_tags->len; i++)
    {
      const char *value;
      EpTagKind kind = ep_buffer_html_tag_kind (self->typing_tags->pdata[i], &value);

      if (kind == EP_TAG_STYLE)
        style_on[index_of (style_names, G_N_ELEMENTS (style_names), value)] = TRUE;
      else if (kind == EP_TAG_FONT)
        font = value;
      else if (kind == EP_TAG_SIZE)
        size = value;
    }
  self->syncing = TRUE;
  sync_bool (self, &self->bold, style_on[1], PROP_BOLD);
  sync_bool (self, &self->italic, style_on[2], PROP_ITALIC);
  sync_bool (self, &self->underline, style_on[3], PROP_UNDERLINE);
  sync_bool (self, &self->strikethrough, style_on[4], PROP_STRIKETHROUGH);
  sync_string (self, &self->font, font, PROP_FONT);
  sync_string (self, &self->size, size, PROP_SIZE);
  self->syncing = FALSE;
  update_menu_labels (self);
}

/* Reads the formatting at the cursor (or the selection's start) into the
 * properties, so the toolbar shows it and typing continues it. */
/* Typed text will take the inline formats of the text at @iter. */
void
ep_rich_editor_set_typing_from (EpRichEditor      *self,
                                const GtkTextIter *iter)
{
  g_autoptr(GSList) tags = formats_at (iter, FALSE);

  g_ptr_array_set_size (self->typing_tags, 0);
  for (GSList *l = tags; l; l = l->next)
    g_ptr_array_add (self->typing_tags, l->data);
}

void
ep_rich_editor_sync_from_cursor (EpRichEditor *self)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter start, end;
  gboolean has_selection = gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  g_autoptr(GSList) tags = formats_at (&start, has_selection);
  int line = gtk_text_iter_get_line (&start);

  g_ptr_array_set_size (self->typing_tags, 0);
  for (GSList *l = tags; l; l = l->next)
    g_ptr_array_add (self->typing_tags, l->data);
  sync_properties (self);
  self->syncing = TRUE;
  sync_string (self, &self->alignment, align_ids[ep_buffer_html_get_align (buffer, line)],
               PROP_ALIGNMENT);
  sync_string (self, &self->list, list_ids[ep_buffer_html_get_list (buffer, line)], PROP_LIST);
  self->syncing = FALSE;
}

/* Formats the selection with @tag (or without, when @on is FALSE); with no
 * selection, changes what the next typed text takes. */
static void
format_inline (EpRichEditor *self,
               GtkTextTag   *tag,
               gboolean      on)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter start, end;

  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    {
      gtk_text_buffer_begin_user_action (buffer);
      if (on)
        gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
      else
        gtk_text_buffer_remove_tag (buffer, tag, &start, &end);
      gtk_text_buffer_end_user_action (buffer);
    }
  if (on && !g_ptr_array_find (self->typing_tags, tag, NULL))
    g_ptr_array_add (self->typing_tags, tag);
  else if (!on)
    g_ptr_array_remove (self->typing_tags, tag);
}

/* One of a group (a font, a size, a colour): @tag replaces the group's
 * tags; NULL leaves none (the default). */
void
ep_rich_editor_format_group (EpRichEditor *self,
                             EpTagKind     kind,
                             GtkTextTag   *tag)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  GtkTextIter start, end;

  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    {
      gtk_text_buffer_begin_user_action (buffer);
      ep_buffer_html_remove_kind (buffer, kind, &start, &end);
      if (tag != NULL)
        gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
      gtk_text_buffer_end_user_action (buffer);
    }
  for (guint i = self->typing_tags->len; i > 0; i--)
    {
      if (ep_buffer_html_tag_kind (self->typing_tags->pdata[i - 1], NULL) == kind)
        g_ptr_array_remove_index (self->typing_tags, i - 1);
    }
  if (tag != NULL)
    g_ptr_array_add (self->typing_tags, tag);
}

static void
set_style (EpRichEditor *self,
           gboolean     *field,
           guint         prop,
           gboolean      on)
{
  if (*field == on)
    return;
  *field = on;
  if (!self->syncing)
    format_inline (self, ep_buffer_html_get_tag (ep_rich_editor_buffer (self), style_names[prop]), on);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_paragraphs (EpRichEditor *self,
                guint         prop,
                const char   *value)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);
  int first, last;

  ep_rich_editor_selected_lines (self, &first, &last);
  gtk_text_buffer_begin_user_action (buffer);
  self->fixing = TRUE;
  if (prop == PROP_ALIGNMENT)
    ep_buffer_html_set_align (buffer, first, last, index_of (align_ids, G_N_ELEMENTS (align_ids), value));
  else
    ep_buffer_html_set_list (buffer, first, last, index_of (list_ids, G_N_ELEMENTS (list_ids), value));
  self->fixing = FALSE;
  gtk_text_buffer_end_user_action (buffer);
}

static void
set_choice (EpRichEditor *self,
            char        **field,
            guint         prop,
            const char   *value)
{
  GtkTextBuffer *buffer = ep_rich_editor_buffer (self);

  /* Choosing the list the paragraph is already in ends the list. */
  if (prop == PROP_LIST && !self->syncing && g_strcmp0 (*field, value) == 0)
    value = "none";
  if (g_strcmp0 (*field, value) == 0 && prop != PROP_ALIGNMENT)
    return;
  g_free (*field);
  *field = g_strdup (value);
  if (!self->syncing)
    {
      if (prop == PROP_ALIGNMENT || prop == PROP_LIST)
        set_paragraphs (self, prop, value);
      else if (prop == PROP_FONT)
        ep_rich_editor_format_group (self, EP_TAG_FONT, value && *value
                                     ? ep_buffer_html_get_font_tag (buffer, value) : NULL);
      else
        {
          EpTextSize size = index_of (size_ids, G_N_ELEMENTS (size_ids), value);
          ep_rich_editor_format_group (self, EP_TAG_SIZE, ep_buffer_html_get_size_tag (buffer, size));
        }
      update_menu_labels (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
ep_rich_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EpRichEditor *self = EP_RICH_EDITOR (object);

  switch (prop_id)
    {
    case PROP_BOLD: g_value_set_boolean (value, self->bold); break;
    case PROP_ITALIC: g_value_set_boolean (value, self->italic); break;
    case PROP_UNDERLINE: g_value_set_boolean (value, self->underline); break;
    case PROP_STRIKETHROUGH: g_value_set_boolean (value, self->strikethrough); break;
    case PROP_ALIGNMENT: g_value_set_string (value, self->alignment); break;
    case PROP_LIST: g_value_set_string (value, self->list); break;
    case PROP_FONT: g_value_set_string (value, self->font); break;
    case PROP_SIZE: g_value_set_string (value, self->size); break;
    case PROP_PLAIN_TEXT: g_value_set_boolean (value, self->plain_text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ep_rich_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EpRichEditor *self = EP_RICH_EDITOR (object);

  switch (prop_id)
    {
    case PROP_BOLD: set_style (self, &self->bold, prop_id, g_value_get_boolean (value)); break;
    case PROP_ITALIC: set_style (self, &self->italic, prop_id, g_value_get_boolean (value)); break;
    case PROP_UNDERLINE: set_style (self, &self->underline, prop_id, g_value_get_boolean (value)); break;
    case PROP_STRIKETHROUGH:
      set_style (self, &self->strikethrough, prop_id, g_value_get_boolean (value));
      break;
    case PROP_ALIGNMENT: set_choice (self, &self->alignment, prop_id, g_value_get_string (value)); break;
    case PROP_LIST: set_choice (self, &self->list, prop_id, g_value_get_string (value)); break;
    case PROP_FONT: set_choice (self, &self->font, prop_id, g_value_get_string (value)); break;
    case PROP_SIZE: set_choice (self, &self->size, prop_id, g_value_get_string (value)); break;
    case PROP_PLAIN_TEXT: ep_rich_editor_set_plain_text (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_mark_set_cb (GtkTextBuffer *buffer,
                GtkTextIter   *location,
                GtkTextMark   *mark,
                EpRichEditor  *self)
{
  GtkTextIter start, end;

  if (self->fixing || (mark != gtk_text_buffer_get_insert (buffer) &&
                       mark != gtk_text_buffer_get_selection_bound (buffer)))
    return;
  /* The cursor never stands inside a list marker: typing there would split it. */
  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end) &&
      gtk_text_iter_has_tag (&start, ep_buffer_html_get_tag (buffer, "list-marker")))
    {
      gtk_text_iter_forward_to_tag_toggle (&start, ep_buffer_html_get_tag (buffer, "list-marker"));
      self->fixing = TRUE;
      gtk_text_buffer_place_cursor (buffer, &start);
      self->fixing = FALSE;
    }
  ep_rich_editor_sync_from_cursor (self);
}

/* The width images may take: the text's, inside the view's margins. */
static int
image_width (EpRichEditor *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->view));
  int page = adjustment ? (int) gtk_adjustment_get_page_size (adjustment) : 0;

  if (page <= 0)
    return EP_BUFFER_HTML_SHOWN_WIDTH;
  return page - gtk_text_view_get_left_margin (self->view) - gtk_text_view_get_right_margin (self->view) - 8;
}

static void
fit_images (EpRichEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  int width = image_width (self);
  g_autofree char *slice = NULL;
  GtkTextIter start, end;
  int offset = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  slice = gtk_text_iter_get_slice (&start, &end);
  for (const char *p = slice; *p; p = g_utf8_next_char (p), offset++)
    {
      GdkPaintable *paintable;

      if (g_utf8_get_char (p) != 0xfffc)
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
      paintable = gtk_text_iter_get_paintable (&start);
      if (EP_IS_INLINE_IMAGE (paintable))
        ep_inline_image_set_max_width (EP_INLINE_IMAGE (paintable), width);
    }
}

static void
on_page_size_cb (GtkAdjustment *adjustment,
                 GParamSpec    *pspec,
                 EpRichEditor  *self)
{
  fit_images (self);
}

static void
on_insert_paintable_cb (GtkTextBuffer *buffer,
                        GtkTextIter   *location,
                        GdkPaintable  *paintable,
                        EpRichEditor  *self)
{
  if (EP_IS_INLINE_IMAGE (paintable))
    ep_inline_image_set_max_width (EP_INLINE_IMAGE (paintable), image_width (self));
}

static gboolean
ep_rich_editor_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (EP_RICH_EDITOR (widget)->view));
}

static void
ep_rich_editor_dispose (GObject *object)
{
  EpRichEditor *self = EP_RICH_EDITOR (object);
  GtkWidget *child;

  if (self->history != NULL)
    ep_rich_history_free (g_steal_pointer (&self->history));
  ep_rich_editor_find_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), EP_TYPE_RICH_EDITOR);
  /* The toolbar's scroller and the separator are not bound: unparent them too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ep_rich_editor_parent_class)->dispose (object);
}

static void
ep_rich_editor_finalize (GObject *object)
{
  EpRichEditor *self = EP_RICH_EDITOR (object);

  g_ptr_array_unref (self->typing_tags);
  g_slist_free (self->para_tags_before);
  g_free (self->alignment);
  g_free (self->list);
  g_free (self->font);
  g_free (self->size);
  G_OBJECT_CLASS (ep_rich_editor_parent_class)->finalize (object);
}

#define PARAM_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
install_properties (GObjectClass *object_class)
{
  properties[PROP_BOLD] = g_param_spec_boolean ("bold", NULL, NULL, FALSE, PARAM_FLAGS);
  properties[PROP_ITALIC] = g_param_spec_boolean ("italic", NULL, NULL, FALSE, PARAM_FLAGS);
  properties[PROP_UNDERLINE] = g_param_spec_boolean ("underline", NULL, NULL, FALSE, PARAM_FLAGS);
  properties[PROP_STRIKETHROUGH] = g_param_spec_boolean ("strikethrough", NULL, NULL, FALSE, PARAM_FLAGS);
  properties[PROP_ALIGNMENT] = g_param_spec_string ("alignment", NULL, NULL, "left", PARAM_FLAGS);
  properties[PROP_LIST] = g_param_spec_string ("list", NULL, NULL, "none", PARAM_FLAGS);
  properties[PROP_FONT] = g_param_spec_string ("font", NULL, NULL, "", PARAM_FLAGS);
  properties[PROP_SIZE] = g_param_spec_string ("size", NULL, NULL, "normal", PARAM_FLAGS);
  properties[PROP_PLAIN_TEXT] = g_param_spec_boolean ("plain-text", NULL, NULL, FALSE, PARAM_FLAGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ep_rich_editor_class_init (EpRichEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const property_actions[] = {
    "bold", "italic", "underline", "strikethrough", "alignment", "list", "font", "size", "plain-text",
  };

  gtk_source_init ();
  object_class->get_property = ep_rich_editor_get_property;
  object_class->set_property = ep_rich_editor_set_property;
  object_class->dispose = ep_rich_editor_dispose;
  object_class->finalize = ep_rich_editor_finalize;
  widget_class->grab_focus = ep_rich_editor_grab_focus;
  install_properties (object_class);

  gtk_widget_class_set_template_from_resource (widget_class, EP_RESOURCE_PATH "ui/ep-rich-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, toolbar);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, font_button);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, size_button);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, text_color_button);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, highlight_button);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, text_color_label);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, highlight_label);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, text_chooser);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, highlight_chooser);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, find_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, find_entry);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, match_label);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, case_button);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, replace_box);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, replace_entry);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, EpRichEditor, view);
  gtk_widget_class_bind_template_callback (widget_class, ep_rich_editor_on_text_color_cb);
  gtk_widget_class_bind_template_callback (widget_class, ep_rich_editor_on_highlight_cb);

  for (guint i = 0; i < G_N_ELEMENTS (property_actions); i++)
    {
      g_autofree char *name = g_strconcat ("editor.", property_actions[i], NULL);
      gtk_widget_class_install_property_action (widget_class, name, property_actions[i]);
    }
  ep_rich_editor_actions_install (widget_class);
  ep_rich_editor_find_install (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rich-editor");
}

static void
ep_rich_editor_init (EpRichEditor *self)
{
  GtkSourceStyleSchemeManager *schemes;
  GtkTextBuffer *buffer;

  self->typing_tags = g_ptr_array_new ();
  self->alignment = g_strdup ("left");
  self->list = g_strdup ("none");
  self->font = g_strdup ("");
  self->size = g_strdup ("normal");
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  /* A GtkSourceBuffer, for GtkSourceView's search; nothing else of it is used. */
  buffer = GTK_TEXT_BUFFER (gtk_source_buffer_new (NULL));
  gtk_source_buffer_set_highlight_matching_brackets (GTK_SOURCE_BUFFER (buffer), FALSE);
  schemes = gtk_source_style_scheme_manager_get_default ();
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer),
                                      gtk_source_style_scheme_manager_get_scheme (schemes, "Adwaita"));
  gtk_text_view_set_buffer (self->view, buffer);
  g_object_unref (buffer);
  /* Formats are undoable only in the editor's own history (GtkTextBuffer's keeps text alone). */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  self->history = ep_rich_history_new (buffer, ep_rich_editor_history_changed, self);
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (on_mark_set_cb), self, 0);
  g_signal_connect_object (buffer, "insert-paintable", G_CALLBACK (on_insert_paintable_cb), self, 0);
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->view)), "notify::page-size",
                           G_CALLBACK (on_page_size_cb), self, 0);
  ep_rich_editor_edits_init (self);
  ep_rich_editor_actions_init (self);
  ep_rich_editor_find_init (self);
  ep_rich_editor_style_init (self);
  update_menu_labels (self);
}

GtkWidget *
ep_rich_editor_new (void)
{
  return g_object_new (EP_TYPE_RICH_EDITOR, NULL);
}

GtkTextView *
ep_rich_editor_get_view (EpRichEditor *self)
{
  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), NULL);
  return self->view;
}

GtkTextBuffer *
ep_rich_editor_get_buffer (EpRichEditor *self)
{
  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), NULL);
  return gtk_text_view_get_buffer (self->view);
}

/* Returns: (transfer full): the body as plain UTF-8 text, as its plain-text part would read */
char *
ep_rich_editor_dup_text (EpRichEditor *self)
{
  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), NULL);
  return ep_buffer_html_to_text (gtk_text_view_get_buffer (self->view));
}

/* Replaces the body; not an undoable step (a new message starts a new history). */
void
ep_rich_editor_set_text (EpRichEditor *self,
                         const char   *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (EP_IS_RICH_EDITOR (self));

  buffer = gtk_text_view_get_buffer (self->view);
  self->fixing = TRUE;
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_all_tags (buffer, &start, &end);
  self->fixing = FALSE;
  ep_rich_history_clear (self->history);
  ep_rich_editor_sync_from_cursor (self);
}

/* Every command that formats: off while the message is plain text. */
static const char * const formatting_actions[] = {
  "editor.bold", "editor.italic", "editor.underline", "editor.strikethrough", "editor.alignment",
  "editor.list", "editor.font", "editor.size", "editor.text-color", "editor.highlight",
  "editor.indent", "editor.outdent", "editor.insert-link", "editor.insert-image",
  "editor.insert-rule", "editor.remove-formatting", "editor.open-html",
};

static void
apply_plain_text (EpRichEditor *self,
                  gboolean      plain)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);

  if (plain && ep_buffer_html_has_formatting (buffer))
    {
      g_autofree char *text = ep_buffer_html_to_text (buffer);
      GtkTextIter start, end;

      /* One undoable step; the text reads as its plain-text part would. */
      gtk_text_buffer_begin_user_action (buffer);
      self->fixing = TRUE;
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_delete (buffer, &start, &end);
      gtk_text_buffer_insert (buffer, &start, text, -1);
      self->fixing = FALSE;
      gtk_text_buffer_end_user_action (buffer);
    }
  self->plain_text = plain;
  for (guint i = 0; i < G_N_ELEMENTS (formatting_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), formatting_actions[i], !plain);
  if (plain)
    g_ptr_array_set_size (self->typing_tags, 0);
  ep_rich_editor_sync_from_cursor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAIN_TEXT]);
}

static void
on_plain_text_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           EpRichEditor     *self)
{
  if (self->view == NULL)
    return;
  if (g_str_equal (response, "plain"))
    apply_plain_text (self, TRUE);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAIN_TEXT]);
}

/**
 * ep_rich_editor_set_plain_text:
 *
 * Turns formatting off or on. Off, when the body has formatting or
 * images, first asks, since they would be lost.
 */
void
ep_rich_editor_set_plain_text (EpRichEditor *self,
                               gboolean      plain)
{
  GtkRoot *root;
  GtkWidget *dialog;

  g_return_if_fail (EP_IS_RICH_EDITOR (self));

  if (self->plain_text == plain)
    return;
  if (!plain || !ep_buffer_html_has_formatting (gtk_text_view_get_buffer (self->view)))
    {
      apply_plain_text (self, plain);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Send as Plain Text?"),
                                   _("The formatting and inline images of this message will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"), "plain", _("Remove Formatting"), NULL);
  ep_dialog_name_buttons_once (dialog);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "plain",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_plain_text_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
ep_rich_editor_get_plain_text (EpRichEditor *self)
{
  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), FALSE);
  return self->plain_text;
}

/**
 * ep_rich_editor_fill_message:
 *
 * Sets the body of @message: plain text alone when nothing is formatted,
 * otherwise HTML, plain text and the inline images.
 */
gboolean
ep_rich_editor_fill_message (EpRichEditor  *self,
                             EpMessage     *message,
                             GError       **error)
{
  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), FALSE);
  g_return_val_if_fail (EP_IS_MESSAGE (message), FALSE);

  if (self->plain_text)
    {
      g_autofree char *text = ep_buffer_html_to_text (gtk_text_view_get_buffer (self->view));

      ep_message_set_html (message, NULL);
      ep_message_set_text (message, text);
      return TRUE;
    }
  return ep_buffer_html_fill_message (gtk_text_view_get_buffer (self->view), message, error);
}

/**
 * ep_rich_editor_insert_image:
 * @path: an image file; it is what is sent, while the view shows it scaled down
 *
 * Inserts the image at the cursor as one undoable step.
 */
gboolean
ep_rich_editor_insert_image (EpRichEditor  *self,
                             const char    *path,
                             GError       **error)
{
  GtkTextBuffer *buffer;
  g_autoptr(GdkPaintable) image = NULL;
  GtkTextIter iter;

  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  image = ep_buffer_html_image_new (path, error);
  if (image == NULL)
    return FALSE;
  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  ep_buffer_html_insert_image (buffer, &iter, image, path);
  gtk_text_buffer_end_user_action (buffer);
  return TRUE;
}

/**
 * ep_rich_editor_load_html:
 * @base_dir: (nullable): where the document's relative image paths start
 *
 * Replaces the body with an HTML document, as one undoable step.
 */
gboolean
ep_rich_editor_load_html (EpRichEditor  *self,
                          const char    *html,
                          gssize         length,
                          const char    *base_dir,
                          GError       **error)
{
  return ep_rich_editor_load_html_full (self, html, length, base_dir, NULL, error);
}

/**
 * ep_rich_editor_load_html_full:
 * @content_ids: (nullable) (element-type utf8 filename): the file of each
 *   Content-ID the document's cid: images name (a draft's images)
 *
 * As ep_rich_editor_load_html (), with images named by Content-ID.
 */
gboolean
ep_rich_editor_load_html_full (EpRichEditor  *self,
                               const char    *html,
                               gssize         length,
                               const char    *base_dir,
                               GHashTable    *content_ids,
                               GError       **error)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  gboolean ok;

  g_return_val_if_fail (EP_IS_RICH_EDITOR (self), FALSE);
  g_return_val_if_fail (html != NULL, FALSE);

  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_begin_user_action (buffer);
  self->fixing = TRUE;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  ok = ep_buffer_html_insert_html (buffer, &start, html, length, base_dir, content_ids, error);
  self->fixing = FALSE;
  gtk_text_buffer_end_user_action (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  ep_rich_editor_sync_from_cursor (self);
  return ok;
}
