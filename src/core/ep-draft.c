/* ep-draft.c — EpDraft: an unsent message as typed, and its JSON form
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A draft keeps the fields exactly as the person typed them (recipient
 * text, not parsed addresses), the body as the HTML the editor writes, the
 * inline images that HTML names by cid:, and the attachment list as paths:
 * an attachment's bytes stay where they are, while an image's bytes are
 * copied beside the draft (ep-draft-store.c), since an image pasted from
 * the clipboard lives in a temporary file.
 *
 * The JSON names each image's copy relative to the draft's directory; in
 * memory an image is an absolute path.
 */
#include "ep-draft.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#define DRAFT_FORMAT 1

typedef struct
{
  char *first;    /* an image's Content-ID, or an attachment's path */
  char *second;   /* an image's path, or an attachment's name */
} Pair;

struct _EpDraft
{
  GObject parent_instance;

  /* Owned */
  char *id;
  char *account;
  char *fields[4];        /* To, Cc, Bcc, Subject */
  char *html;
  gboolean plain_text;
  gboolean open;          /* its composer was still open when it was written */
  GDateTime *modified;
  GPtrArray *images;      /* Pair: Content-ID, path */
  GPtrArray *attachments; /* Pair: path, name */
};

enum { FIELD_TO, FIELD_CC, FIELD_BCC, FIELD_SUBJECT };

G_DEFINE_FINAL_TYPE (EpDraft, ep_draft, G_TYPE_OBJECT)
G_DEFINE_QUARK (ep-draft-error-quark, ep_draft_error)

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  g_free (pair->first);
  g_free (pair->second);
  g_free (pair);
}

static Pair *
pair_new (const char *first,
          const char *second)
{
  Pair *pair = g_new0 (Pair, 1);

  pair->first = g_strdup (first);
  pair->second = g_strdup (second);
  return pair;
}

static void
ep_draft_finalize (GObject *object)
{
  EpDraft *self = EP_DRAFT (object);

  g_free (self->id);
  g_free (self->account);
  for (guint i = 0; i < G_N_ELEMENTS (self->fields); i++)
    g_free (self->fields[i]);
  g_free (self->html);
  g_clear_pointer (&self->modified, g_date_time_unref);
  g_ptr_array_unref (self->images);
  g_ptr_array_unref (self->attachments);

  G_OBJECT_CLASS (ep_draft_parent_class)->finalize (object);
}

static void
ep_draft_class_init (EpDraftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_draft_finalize;
}

static void
ep_draft_init (EpDraft *self)
{
  self->images = g_ptr_array_new_with_free_func (pair_free);
  self->attachments = g_ptr_array_new_with_free_func (pair_free);
  self->modified = g_date_time_new_now_utc ();
}

/* TRUE for the ids this store makes: letters, digits and '-', never a path. */
gboolean
ep_draft_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }
  return TRUE;
}

/**
 * ep_draft_new:
 * @id: (nullable): the id of the draft this one replaces, or %NULL for a new one
 */
EpDraft *
ep_draft_new (const char *id)
{
  EpDraft *self;

  g_return_val_if_fail (id == NULL || ep_draft_id_is_valid (id), NULL);

  self = g_object_new (EP_TYPE_DRAFT, NULL);
  self->id = id ? g_strdup (id) : g_uuid_string_random ();
  return self;
}

const char *
ep_draft_get_id (EpDraft *self)
{
  g_return_val_if_fail (EP_IS_DRAFT (self), NULL);
  return self->id;
}

#define STRING_ACCESSORS(name, member) \
  void \
  ep_draft_set_##name (EpDraft    *self, \
                       const char *value) \
  { \
    g_return_if_fail (EP_IS_DRAFT (self)); \
    g_free (self->member); \
    self->member = g_strdup (value); \
  } \
  const char * \
  ep_draft_get_##name (EpDraft *self) \
  { \
    g_return_val_if_fail (EP_IS_DRAFT (self), NULL); \
    return self->member ? self->member : ""; \
  }

STRING_ACCESSORS (account, account)
STRING_ACCESSORS (to, fields[FIELD_TO])
STRING_ACCESSORS (cc, fields[FIELD_CC])
STRING_ACCESSORS (bcc, fields[FIELD_BCC])
STRING_ACCESSORS (subject, fields[FIELD_SUBJECT])
STRING_ACCESSORS (html, html)

void
ep_draft_set_plain_text (EpDraft  *self,
                         gboolean  plain)
{
  g_return_if_fail (EP_IS_DRAFT (self));
  self->plain_text = !!plain;
}

gboolean
ep_draft_get_plain_text (EpDraft *self)
{
  g_return_val_if_fail (EP_IS_DRAFT (self), FALSE);
  return self->plain_text;
}

/* Open: written while its composer was open, so finding it open later means Epistle stopped. */
void
ep_draft_set_open (EpDraft  *self,
                   gboolean  open)
{
  g_return_if_fail (EP_IS_DRAFT (self));
  self->open = !!open;
}

gboolean
ep_draft_get_open (EpDraft *self)
{
  g_return_val_if_fail (EP_IS_DRAFT (self), FALSE);
  return self->open;
}

void
ep_draft_set_modified (EpDraft   *self,
                       GDateTime *modified)
{
  g_return_if_fail (EP_IS_DRAFT (self));
  g_return_if_fail (modified != NULL);

  g_date_time_ref (modified);
  g_clear_pointer (&self->modified, g_date_time_unref);
  self->modified = modified;
}

/* Returns: (transfer none): when the person last changed it */
GDateTime *
ep_draft_get_modified (EpDraft *self)
{
  g_return_val_if_fail (EP_IS_DRAFT (self), NULL);
  return self->modified;
}

/**
 * ep_draft_add_image:
 * @content_id: what the HTML names it by, after “cid:”
 * @path: the image file
 */
void
ep_draft_add_image (EpDraft    *self,
                    const char *content_id,
                    const char *path)
{
  g_return_if_fail (EP_IS_DRAFT (self));
  g_return_if_fail (content_id != NULL && path != NULL);

  g_ptr_array_add (self->images, pair_new (content_id, path));
}

guint
ep_draft_get_n_images (EpDraft *self)
{
  g_return_val_if_fail (EP_IS_DRAFT (self), 0);
  return self->images->len;
}

/* Returns: the image file at @index; its Content-ID in @content_id */
const char *
ep_draft_get_image (EpDraft     *self,
                    guint        index,
                    const char **content_id)
{
  Pair *pair;

  g_return_val_if_fail (EP_IS_DRAFT (self), NULL);
  g_return_val_if_fail (index < self->images->len, NULL);

  pair = g_ptr_array_index (self->images, index);
  if (content_id != NULL)
    *content_id = pair->first;
  return pair->second;
}

void
ep_draft_set_image_path (EpDraft    *self,
                         guint       index,
                         const char *path)
{
  Pair *pair;

  g_return_if_fail (EP_IS_DRAFT (self));
  g_return_if_fail (index < self->images->len);
  g_return_if_fail (path != NULL);

  pair = g_ptr_array_index (self->images, index);
  g_free (pair->second);
  pair->second = g_strdup (path);
}

/* Returns: (transfer full) (element-type utf8 filename): Content-ID → image file,
 * as ep_buffer_html_insert_html () takes it */
GHashTable *
ep_draft_dup_content_ids (EpDraft *self)
{
  GHashTable *table;

  g_return_val_if_fail (EP_IS_DRAFT (self), NULL);

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < self->images->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->images, i);

      g_hash_table_insert (table, g_strdup (pair->first), g_strdup (pair->second));
    }
  return table;
}

/**
 * ep_draft_add_attachment:
 * @name: (nullable): what the person saw it called; the file's base name if %NULL
 */
void
ep_draft_add_attachment (EpDraft    *self,
                         const char *path,
                         const char *name)
{
  g_autofree char *base = NULL;

  g_return_if_fail (EP_IS_DRAFT (self));
  g_return_if_fail (path != NULL);

  if (name == NULL)
    name = base = g_path_get_basename (path);
  g_ptr_array_add (self->attachments, pair_new (path, name));
}

guint
ep_draft_get_n_attachments (EpDraft *self)
{
  g_return_val_if_fail (EP_IS_DRAFT (self), 0);
  return self->attachments->len;
}

const char *
ep_draft_get_attachment (EpDraft     *self,
                         guint        index,
                         const char **name)
{
  Pair *pair;

  g_return_val_if_fail (EP_IS_DRAFT (self), NULL);
  g_return_val_if_fail (index < self->attachments->len, NULL);

  pair = g_ptr_array_index (self->attachments, index);
  if (name != NULL)
    *name = pair->second;
  return pair->first;
}

/* Returns: (transfer container) (element-type filename): the attachments whose file is gone */
GPtrArray *
ep_draft_dup_missing_attachments (EpDraft *self)
{
  GPtrArray *missing;

  g_return_val_if_fail (EP_IS_DRAFT (self), NULL);

  missing = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->attachments->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->attachments, i);

      if (!g_file_test (pair->first, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (missing, g_strdup (pair->first));
    }
  return missing;
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value ? value : "");
}

/**
 * ep_draft_to_json:
 *
 * Images must already be in the draft's directory, each as FOLDER/NAME
 * (ep-draft-store.c): the JSON keeps that relative path.
 *
 * Returns: (transfer full): the draft file's contents, UTF-8
 */
char *
ep_draft_to_json (EpDraft *self,
                  gsize   *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *modified = NULL;

  g_return_val_if_fail (EP_IS_DRAFT (self), NULL);

  modified = g_date_time_format_iso8601 (self->modified);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, DRAFT_FORMAT);
  add_member (builder, "id", self->id);
  add_member (builder, "modified", modified);
  json_builder_set_member_name (builder, "open");
  json_builder_add_boolean_value (builder, self->open);
  add_member (builder, "account", self->account);
  add_member (builder, "to", self->fields[FIELD_TO]);
  add_member (builder, "cc", self->fields[FIELD_CC]);
  add_member (builder, "bcc", self->fields[FIELD_BCC]);
  add_member (builder, "subject", self->fields[FIELD_SUBJECT]);
  add_member (builder, "html", self->html);
  json_builder_set_member_name (builder, "plain-text");
  json_builder_add_boolean_value (builder, self->plain_text);
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->images->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->images, i);
      g_autofree char *folder = g_path_get_dirname (pair->second);
      g_autofree char *folder_name = g_path_get_basename (folder);
      g_autofree char *name = g_path_get_basename (pair->second);
      g_autofree char *file = g_strconcat (folder_name, "/", name, NULL);

      json_builder_begin_object (builder);
      add_member (builder, "cid", pair->first);
      add_member (builder, "file", file);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->attachments->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->attachments, i);

      json_builder_begin_object (builder);
      add_member (builder, "path", pair->first);
      add_member (builder, "name", pair->second);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

static gboolean
corrupt (GError     **error,
         const char  *what)
{
  /* Translators: %s names what is wrong, such as ““subject” is not text” */
  g_set_error (error, EP_DRAFT_ERROR, EP_DRAFT_ERROR_CORRUPT, _("The draft file is damaged: %s."), what);
  return FALSE;
}

/* A string member; a missing one reads as "" unless @required. */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     required,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *what = NULL;

  if (node == NULL && !required)
    {
      *out = g_strdup ("");
      return TRUE;
    }
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = g_strdup (json_node_get_string (node));
      return TRUE;
    }
  /* Translators: %s is a field of the draft file, such as “subject” */
  what = g_strdup_printf (node == NULL ? _("“%s” is missing") : _("“%s” is not text"), name);
  return corrupt (error, what);
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *name,
              gboolean    *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *what = NULL;

  if (node == NULL)
    {
      *out = FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return TRUE;
    }
  /* Translators: %s is a field of the draft file, such as “open” */
  what = g_strdup_printf (_("“%s” is not true or false"), name);
  return corrupt (error, what);
}

/* Each element of the array @name as an object with string members @a and @b. */
static gboolean
read_pairs (JsonObject  *object,
            const char  *name,
            const char  *a,
            const char  *b,
            GPtrArray   *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;
  g_autofree char *what = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      /* Translators: %s is a field of the draft file, such as “attachments” */
      what = g_strdup_printf (_("“%s” is not a list"), name);
      return corrupt (error, what);
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          /* Translators: %s is a field of the draft file, such as “attachments” */
          what = g_strdup_printf (_("an entry of “%s” is not an object"), name);
          return corrupt (error, what);
        }
      if (!read_string (json_node_get_object (element), a, TRUE, &first, error) ||
          !read_string (json_node_get_object (element), b, TRUE, &second, error))
        return FALSE;
      g_ptr_array_add (out, pair_new (first, second));
    }
  return TRUE;
}

static gboolean
read_modified (EpDraft     *self,
               JsonObject  *object,
               GError     **error)
{
  g_autofree char *text = NULL;
  GDateTime *when;

  if (!read_string (object, "modified", TRUE, &text, error))
    return FALSE;
  when = g_date_time_new_from_iso8601 (text, NULL);
  if (when == NULL)
    return corrupt (error, _("“modified” is not a date and time"));
  g_date_time_unref (self->modified);
  self->modified = when;
  return TRUE;
}

static gboolean
plain_name (const char *name)
{
  return *name != '\0' && !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

/* Image files are named FOLDER/NAME relative to @dir, and must stay inside it. */
static gboolean
resolve_images (EpDraft     *self,
                const char  *dir,
                GError     **error)
{
  for (guint i = 0; i < self->images->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->images, i);
      g_auto(GStrv) parts = g_strsplit (pair->second, "/", -1);
      char *path;

      if (g_strv_length (parts) != 2 || !plain_name (parts[0]) || !plain_name (parts[1]))
        return corrupt (error, _("an image's file name is not a plain name"));
      path = g_build_filename (dir, parts[0], parts[1], NULL);
      g_free (pair->second);
      pair->second = path;
    }
  return TRUE;
}

/**
 * ep_draft_new_from_json:
 * @dir: the draft's directory, where its images are
 *
 * Returns: (transfer full) (nullable): the draft, or %NULL with
 * EP_DRAFT_ERROR_CORRUPT naming what is wrong
 */
EpDraft *
ep_draft_new_from_json (const char  *data,
                        gssize       length,
                        const char  *dir,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(EpDraft) self = g_object_new (EP_TYPE_DRAFT, NULL);
  JsonObject *object;
  JsonNode *format;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      corrupt (error, local->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      corrupt (error, _("it does not hold an object"));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  format = json_object_get_member (object, "format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      json_node_get_value_type (format) != G_TYPE_INT64 || json_node_get_int (format) != DRAFT_FORMAT)
    {
      corrupt (error, _("it is not in a format this version of Epistle knows"));
      return NULL;
    }
  if (!read_string (object, "id", TRUE, &self->id, error) ||
      !read_modified (self, object, error) ||
      !read_boolean (object, "open", &self->open, error) ||
      !read_string (object, "account", FALSE, &self->account, error) ||
      !read_string (object, "to", FALSE, &self->fields[FIELD_TO], error) ||
      !read_string (object, "cc", FALSE, &self->fields[FIELD_CC], error) ||
      !read_string (object, "bcc", FALSE, &self->fields[FIELD_BCC], error) ||
      !read_string (object, "subject", FALSE, &self->fields[FIELD_SUBJECT], error) ||
      !read_string (object, "html", FALSE, &self->html, error) ||
      !read_boolean (object, "plain-text", &self->plain_text, error) ||
      !read_pairs (object, "images", "cid", "file", self->images, error) ||
      !read_pairs (object, "attachments", "path", "name", self->attachments, error) ||
      !resolve_images (self, dir, error))
    return NULL;
  if (!ep_draft_id_is_valid (self->id))
    {
      corrupt (error, _("its id is not valid"));
      return NULL;
    }
  return g_steal_pointer (&self);
}
