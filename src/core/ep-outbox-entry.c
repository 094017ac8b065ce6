/* ep-outbox-entry.c — one outbox message: its exact bytes and its state, on disk
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry is a folder: message.eml holds the message exactly as it is
 * sent, written once (so every try sends the same bytes and the same
 * Message-ID), and state.json says who sends it to whom, where it stands,
 * how many tries there were and when the next is due, plus the composer's
 * fields for Edit. Both are written to a temporary file, flushed to disk
 * and renamed, and the folder is flushed too: after a crash each file is
 * either the old one or the new one, never half of each.
 */
#include "ep-outbox-entry.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ep-mime.h"
#include "ep-sync-dir.h"

#define MESSAGE_FILE "message.eml"
#define STATE_FILE "state.json"
#define FORMAT_VERSION 1

struct _EpOutboxEntry
{
  GObject parent_instance;

  /* Owned */
  char *dir;
  char *id;
  char *account;
  EpAddress *from;
  EpAddressList *recipients;
  char *subject;
  char *message_id;
  char *last_error;
  GStrv declined;         /* refused before, and left out by the person ("Send to the Others") */
  EpMessage *draft;       /* the composer's fields, for Edit */

  EpOutboxState state;
  guint attempts;
  gint64 next_attempt;    /* Unix time; 0 when none is planned */
  gint64 created;
};

G_DEFINE_FINAL_TYPE (EpOutboxEntry, ep_outbox_entry, G_TYPE_OBJECT)
G_DEFINE_QUARK (ep-outbox-error-quark, ep_outbox_error)

static const char * const state_names[] = { "queued", "sending", "sent", "failed", "uncertain" };

const char *
ep_outbox_state_to_string (EpOutboxState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

static gboolean
state_from_string (const char    *text,
                   EpOutboxState *state)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_str_equal (text, state_names[i]))
        {
          *state = (EpOutboxState) i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
ep_outbox_entry_finalize (GObject *object)
{
  EpOutboxEntry *self = EP_OUTBOX_ENTRY (object);

  g_free (self->dir);
  g_free (self->id);
  g_free (self->account);
  g_clear_pointer (&self->from, ep_address_free);
  g_clear_pointer (&self->recipients, ep_address_list_unref);
  g_free (self->subject);
  g_free (self->message_id);
  g_free (self->last_error);
  g_strfreev (self->declined);
  g_clear_object (&self->draft);
  G_OBJECT_CLASS (ep_outbox_entry_parent_class)->finalize (object);
}

static void
ep_outbox_entry_class_init (EpOutboxEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_outbox_entry_finalize;
}

static void
ep_outbox_entry_init (EpOutboxEntry *self)
{
}

typedef enum { FILE_CREATE, FILE_WRITE, FILE_DELETE } FileOp;

static gboolean
file_error (GError     **error,
            int          saved_errno,
            FileOp       op,
            const char  *path)
{
  GFileError code = g_file_error_from_errno (saved_errno);
  const char *why = g_strerror (saved_errno);

  switch (op)
    {
    case FILE_CREATE:
      g_set_error (error, G_FILE_ERROR, code, _("Could not create “%s”: %s"), path, why);
      break;
    case FILE_WRITE:
      g_set_error (error, G_FILE_ERROR, code, _("Could not write “%s”: %s"), path, why);
      break;
    case FILE_DELETE:
    default:
      g_set_error (error, G_FILE_ERROR, code, _("Could not delete “%s”: %s"), path, why);
      break;
    }
  return FALSE;
}

/* The message's wire form into DIR/message.eml, by a flushed temporary file and a rename. */
static gboolean
write_message (const char    *dir,
               GMimeMessage  *mime,
               GError       **error)
{
  g_autofree char *path = g_build_filename (dir, MESSAGE_FILE, NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autoptr(GMimeStream) stream = NULL;
  int fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0)
    return file_error (error, errno, FILE_CREATE, tmp);
  stream = g_mime_stream_fs_new (fd);
  g_mime_stream_fs_set_owner (GMIME_STREAM_FS (stream), FALSE);
  if (!ep_mime_write (mime, stream, error) || g_mime_stream_flush (stream) != 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;    /* before close () and g_unlink () can change it */

      close (fd);
      g_unlink (tmp);
      if (error != NULL && *error == NULL)
        file_error (error, saved_errno, FILE_WRITE, tmp);
      else
        g_prefix_error (error, _("Could not write “%s”: "), tmp);
      return FALSE;
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp);
      return file_error (error, saved_errno, FILE_WRITE, path);
    }
  return ep_sync_dir (dir, error);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
list_to_string (const EpAddressList *list)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; list != NULL && i < ep_address_list_get_length (list); i++)
    g_ptr_array_add (parts, ep_address_to_string (ep_address_list_get (list, i)));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

static void
add_draft (JsonBuilder *builder,
           EpMessage   *draft)
{
  static const char * const kinds[] = { "to", "cc", "bcc" };
  const EpRecipientKind kind_values[] = { EP_RECIPIENT_TO, EP_RECIPIENT_CC, EP_RECIPIENT_BCC };

  json_builder_set_member_name (builder, "draft");
  json_builder_begin_object (builder);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *text = list_to_string (ep_message_get_recipients (draft, kind_values[k]));
      add_string (builder, kinds[k], text);
    }
  add_string (builder, "subject", ep_message_get_subject (draft));
  add_string (builder, "text", ep_message_get_text (draft));
  add_string (builder, "html", ep_message_get_html (draft));
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ep_message_get_n_attachments (draft); i++)
    json_builder_add_string_value (builder, ep_message_get_attachment (draft, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "inline-images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ep_message_get_n_inline_images (draft); i++)
    {
      const char *content_id = NULL;
      const char *path = ep_message_get_inline_image (draft, i, &content_id);

      json_builder_begin_object (builder);
      add_string (builder, "path", path);
      add_string (builder, "content-id", content_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static char *
state_to_json (EpOutboxEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  add_string (builder, "account", self->account);
  add_string (builder, "envelope-from", ep_address_get_addr_spec (self->from));
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ep_address_list_get_length (self->recipients); i++)
    {
      const EpAddress *address = ep_address_list_get (self->recipients, i);
      json_builder_add_string_value (builder, ep_address_get_addr_spec (address));
    }
  json_builder_end_array (builder);
  add_string (builder, "subject", self->subject);
  add_string (builder, "message-id", self->message_id);
  add_string (builder, "state", ep_outbox_state_to_string (self->state));
  json_builder_set_member_name (builder, "declined");
  json_builder_begin_array (builder);
  for (guint i = 0; self->declined != NULL && self->declined[i] != NULL; i++)
    json_builder_add_string_value (builder, self->declined[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, self->attempts);
  json_builder_set_member_name (builder, "next-attempt");
  json_builder_add_int_value (builder, self->next_attempt);
  add_string (builder, "last-error", self->last_error);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, self->created);
  if (self->draft != NULL)
    add_draft (builder, self->draft);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/**
 * ep_outbox_entry_save:
 *
 * Writes state.json durably: a flushed temporary file renamed over the old
 * one, then the folder flushed. Returns only once it is on disk.
 */
gboolean
ep_outbox_entry_save (EpOutboxEntry  *self,
                      GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), FALSE);

  path = g_build_filename (self->dir, STATE_FILE, NULL);
  json = state_to_json (self);
  if (!g_file_set_contents_full (path, json, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;
  return ep_sync_dir (self->dir, error);
}

/* The draft's envelope recipients but those in @declined (addresses compared as ASCII-caseless). */
static EpAddressList *
envelope_without (EpMessage          *draft,
                  const char * const *declined)
{
  g_autoptr(EpAddressList) all = ep_message_dup_envelope_recipients (draft);
  EpAddressList *kept = ep_address_list_new ();

  for (guint i = 0; i < ep_address_list_get_length (all); i++)
    {
      const EpAddress *address = ep_address_list_get (all, i);
      gboolean left_out = FALSE;

      for (guint j = 0; declined != NULL && declined[j] != NULL && !left_out; j++)
        left_out = g_ascii_strcasecmp (ep_address_get_addr_spec (address), declined[j]) == 0;
      if (!left_out)
        ep_address_list_add (kept, address);
    }
  return kept;
}

/**
 * ep_outbox_entry_create:
 * @dir: the entry's folder, which must not exist yet; its name is the entry's id
 * @account: the address of the account that sends it
 * @draft: the composer's fields, for Edit; its sender and recipients are the envelope's
 * @mime: the message as built for the first try: its Message-ID is kept for every try
 * @declined: (nullable): addresses the server refused before and the person
 *   chose to leave out ("Send to the Others"): they are not in the envelope.
 *   Every try still needs every other recipient accepted
 * @last_error: (nullable): why the first try failed
 * @next_attempt: Unix time of the next try
 *
 * Writes message.eml, then state.json (state "queued", one attempt if
 * @last_error is set), each durably.
 *
 * Returns: (transfer full): the entry, or %NULL with @error set and nothing left behind
 */
EpOutboxEntry *
ep_outbox_entry_create (const char    *dir,
                        const char    *account,
                        EpMessage     *draft,
                        GMimeMessage  *mime,
                        const char * const *declined,
                        const char    *last_error,
                        gint64         next_attempt,
                        GError       **error)
{
  g_autoptr(EpOutboxEntry) self = NULL;
  g_autoptr(EpAddressList) recipients = NULL;

  g_return_val_if_fail (dir != NULL && account != NULL, NULL);
  g_return_val_if_fail (EP_IS_MESSAGE (draft) && ep_message_get_from (draft) != NULL, NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), NULL);

  recipients = envelope_without (draft, declined);
  if (ep_address_list_get_length (recipients) == 0)
    {
      g_set_error_literal (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_NO_RECIPIENTS,
                           _("Every recipient was left out: there is no one to send it to"));
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      file_error (error, errno, FILE_CREATE, dir);
      return NULL;
    }
  self = g_object_new (EP_TYPE_OUTBOX_ENTRY, NULL);
  self->dir = g_strdup (dir);
  self->id = g_path_get_basename (dir);
  self->account = g_strdup (account);
  self->from = ep_address_copy (ep_message_get_from (draft));
  self->recipients = g_steal_pointer (&recipients);
  self->subject = g_strdup (ep_message_get_subject (draft));
  self->message_id = g_strdup (g_mime_message_get_message_id (mime));
  self->draft = ep_message_copy (draft);
  self->state = EP_OUTBOX_STATE_QUEUED;
  self->declined = declined != NULL && declined[0] != NULL ? g_strdupv ((GStrv) declined) : NULL;
  self->attempts = last_error != NULL ? 1 : 0;
  self->last_error = g_strdup (last_error);
  self->next_attempt = next_attempt;
  self->created = g_get_real_time () / G_USEC_PER_SEC;

  if (!write_message (dir, mime, error) || !ep_outbox_entry_save (self, error))
    {
      ep_outbox_entry_delete (self, NULL);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Fills the draft's recipients; a field that no longer parses is left out rather than losing the rest. */
static void
load_recipients (EpMessage       *draft,
                 JsonObject      *object,
                 const char      *name,
                 EpRecipientKind  kind)
{
  const char *text = member_string (object, name);
  g_autoptr(EpAddressList) list = NULL;

  if (text == NULL || *text == '\0')
    return;
  list = ep_address_list_parse (text, NULL);
  if (list != NULL)
    ep_message_add_recipients (draft, kind, list);
}

static EpMessage *
load_draft (EpOutboxEntry *self,
            JsonObject    *object)
{
  EpMessage *draft = ep_message_new ();
  JsonArray *files = member_array (object, "attachments");
  JsonArray *images = member_array (object, "inline-images");

  ep_message_set_from (draft, self->from);
  load_recipients (draft, object, "to", EP_RECIPIENT_TO);
  load_recipients (draft, object, "cc", EP_RECIPIENT_CC);
  load_recipients (draft, object, "bcc", EP_RECIPIENT_BCC);
  ep_message_set_subject (draft, member_string (object, "subject"));
  ep_message_set_text (draft, member_string (object, "text"));
  ep_message_set_html (draft, member_string (object, "html"));
  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    {
      const char *path = json_array_get_string_element (files, i);
      if (path != NULL)
        ep_message_add_attachment (draft, path);
    }
  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      JsonObject *image = json_array_get_object_element (images, i);
      const char *path = image ? member_string (image, "path") : NULL;
      const char *content_id = image ? member_string (image, "content-id") : NULL;

      if (path != NULL && content_id != NULL)
        ep_message_add_inline_image (draft, path, content_id);
    }
  return draft;
}

/* Returns: (nullable): the strings of the array member @name, or %NULL when there are none */
static GStrv
member_strv (JsonObject *object,
             const char *name)
{
  JsonArray *array = member_array (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_strv_builder_add (builder, json_node_get_string (node));
          n++;
        }
    }
  return n > 0 ? g_strv_builder_end (builder) : NULL;
}

static gboolean
corrupt (GError     **error,
         const char  *path,
         const char  *what)
{
  /* Translators: the first %s is a file, the second names what is wrong in it */
  g_set_error (error, EP_OUTBOX_ERROR, EP_OUTBOX_ERROR_CORRUPT,
               _("The outbox file “%s” cannot be used: %s"), path, what);
  return FALSE;
}

static gboolean
load_envelope (EpOutboxEntry  *self,
               JsonObject     *root,
               const char     *path,
               GError        **error)
{
  JsonArray *recipients = member_array (root, "recipients");
  const char *from = member_string (root, "envelope-from");

  self->from = from ? ep_address_parse (from, NULL) : NULL;
  if (self->from == NULL)
    return corrupt (error, path, _("the sender is missing or invalid"));
  self->recipients = ep_address_list_new ();
  for (guint i = 0; recipients != NULL && i < json_array_get_length (recipients); i++)
    {
      const char *text = json_array_get_string_element (recipients, i);
      g_autoptr(EpAddress) address = text ? ep_address_parse (text, NULL) : NULL;

      if (address == NULL)
        return corrupt (error, path, _("a recipient is invalid"));
      ep_address_list_add (self->recipients, address);
    }
  if (ep_address_list_get_length (self->recipients) == 0)
    return corrupt (error, path, _("there are no recipients"));
  return TRUE;
}

/**
 * ep_outbox_entry_load:
 * @dir: an entry's folder
 *
 * Returns: (transfer full): the entry as its state.json says, or %NULL with
 *   @error set (#EP_OUTBOX_ERROR_CORRUPT names the file and the fault);
 *   nothing is changed on disk
 */
EpOutboxEntry *
ep_outbox_entry_load (const char  *dir,
                      GError     **error)
{
  g_autoptr(EpOutboxEntry) self = g_object_new (EP_TYPE_OUTBOX_ENTRY, NULL);
  g_autofree char *path = g_build_filename (dir, STATE_FILE, NULL);
  g_autofree char *message = g_build_filename (dir, MESSAGE_FILE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root_node;
  JsonObject *root;
  JsonNode *draft;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      corrupt (error, path, local_error->message);
      return NULL;
    }
  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      corrupt (error, path, _("it is not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (root_node);
  if (member_int (root, "version") != FORMAT_VERSION)
    {
      corrupt (error, path, _("it was written by another version of Epistle"));
      return NULL;
    }
  self->dir = g_strdup (dir);
  self->id = g_path_get_basename (dir);
  self->account = g_strdup (member_string (root, "account"));
  if (self->account == NULL || !state_from_string (member_string (root, "state"), &self->state))
    {
      corrupt (error, path, _("the account or the state is missing"));
      return NULL;
    }
  if (!load_envelope (self, root, path, error))
    return NULL;
  if (!g_file_test (message, G_FILE_TEST_IS_REGULAR))
    {
      corrupt (error, message, _("the message file is missing"));
      return NULL;
    }
  self->subject = g_strdup (member_string (root, "subject"));
  self->message_id = g_strdup (member_string (root, "message-id"));
  self->last_error = g_strdup (member_string (root, "last-error"));
  self->declined = member_strv (root, "declined");
  self->attempts = (guint) MAX (member_int (root, "attempts"), 0);
  self->next_attempt = MAX (member_int (root, "next-attempt"), 0);
  self->created = MAX (member_int (root, "created"), 0);
  draft = json_object_get_member (root, "draft");
  if (draft != NULL && JSON_NODE_HOLDS_OBJECT (draft))
    self->draft = load_draft (self, json_node_get_object (draft));
  return g_steal_pointer (&self);
}

/* Removes the entry's files and folder; a file already gone is no error. */
gboolean
ep_outbox_entry_delete (EpOutboxEntry  *self,
                        GError        **error)
{
  static const char * const names[] = { STATE_FILE, MESSAGE_FILE, MESSAGE_FILE ".tmp" };

  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), FALSE);

  /* The state goes first: a folder left with only a message is not taken for an entry. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (self->dir, names[i], NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        return file_error (error, errno, FILE_DELETE, path);
    }
  if (g_rmdir (self->dir) != 0 && errno != ENOENT)
    return file_error (error, errno, FILE_DELETE, self->dir);
  return TRUE;
}

const char *
ep_outbox_entry_get_id (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->id;
}

const char *
ep_outbox_entry_get_dir (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->dir;
}

/* Returns: (transfer full): the path of message.eml, the bytes every try sends */
char *
ep_outbox_entry_dup_message_path (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return g_build_filename (self->dir, MESSAGE_FILE, NULL);
}

const char *
ep_outbox_entry_get_account (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->account;
}

const EpAddress *
ep_outbox_entry_get_from (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->from;
}

const EpAddressList *
ep_outbox_entry_get_recipients (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->recipients;
}

/* Returns: (nullable) (transfer none): the recipients left out after "Send to the Others" */
const char * const *
ep_outbox_entry_get_declined (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return (const char * const *) self->declined;
}

const char *
ep_outbox_entry_get_subject (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->subject;
}

const char *
ep_outbox_entry_get_message_id (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->message_id;
}

/* Returns: (transfer full) (nullable): the composer's fields as they were sent */
EpMessage *
ep_outbox_entry_dup_draft (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->draft != NULL ? ep_message_copy (self->draft) : NULL;
}

gint64
ep_outbox_entry_get_created (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), 0);
  return self->created;
}

EpOutboxState
ep_outbox_entry_get_state (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), EP_OUTBOX_STATE_FAILED);
  return self->state;
}

void
ep_outbox_entry_set_state (EpOutboxEntry *self,
                           EpOutboxState  state)
{
  g_return_if_fail (EP_IS_OUTBOX_ENTRY (self));
  self->state = state;
}

guint
ep_outbox_entry_get_attempts (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), 0);
  return self->attempts;
}

void
ep_outbox_entry_set_attempts (EpOutboxEntry *self,
                              guint          attempts)
{
  g_return_if_fail (EP_IS_OUTBOX_ENTRY (self));
  self->attempts = attempts;
}

gint64
ep_outbox_entry_get_next_attempt (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), 0);
  return self->next_attempt;
}

void
ep_outbox_entry_set_next_attempt (EpOutboxEntry *self,
                                  gint64         unix_time)
{
  g_return_if_fail (EP_IS_OUTBOX_ENTRY (self));
  self->next_attempt = unix_time;
}

/* (nullable): why the last try failed, a sentence for the person */
const char *
ep_outbox_entry_get_last_error (EpOutboxEntry *self)
{
  g_return_val_if_fail (EP_IS_OUTBOX_ENTRY (self), NULL);
  return self->last_error;
}

void
ep_outbox_entry_set_last_error (EpOutboxEntry *self,
                                const char    *last_error)
{
  g_return_if_fail (EP_IS_OUTBOX_ENTRY (self));
  g_free (self->last_error);
  self->last_error = g_strdup (last_error);
}
