/* ep-message.c — EpMessage, the composer model
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window and the command line fill in, and what ep_mime_build ()
 * reads. Attachments are file paths: their bytes stay on disk until the
 * moment they are streamed to the server.
 */
#include "ep-message.h"

#include <string.h>
#include <glib/gi18n-lib.h>

typedef struct
{
  char *path;
  char *content_id;
} InlineImage;

struct _EpMessage
{
  GObject parent_instance;

  /* Owned */
  EpAddress *from;
  EpAddressList *recipients[3];
  char *subject;
  char *text;
  char *html;
  GPtrArray *attachments;   /* char* paths */
  GArray *inline_images;    /* InlineImage */
  GPtrArray *headers;       /* name, value, name, value… */
};

G_DEFINE_FINAL_TYPE (EpMessage, ep_message, G_TYPE_OBJECT)
G_DEFINE_QUARK (ep-message-error-quark, ep_message_error)

static void
inline_image_clear (gpointer data)
{
  InlineImage *image = data;

  g_free (image->path);
  g_free (image->content_id);
}

static void
ep_message_finalize (GObject *object)
{
  EpMessage *self = (EpMessage *) object;

  g_clear_pointer (&self->from, ep_address_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->recipients); i++)
    g_clear_pointer (&self->recipients[i], ep_address_list_unref);
  g_free (self->subject);
  g_free (self->text);
  g_free (self->html);
  g_ptr_array_unref (self->attachments);
  g_array_unref (self->inline_images);
  g_ptr_array_unref (self->headers);

  G_OBJECT_CLASS (ep_message_parent_class)->finalize (object);
}

static void
ep_message_class_init (EpMessageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_message_finalize;
}

static void
ep_message_init (EpMessage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->recipients); i++)
    self->recipients[i] = ep_address_list_new ();
  self->attachments = g_ptr_array_new_with_free_func (g_free);
  self->inline_images = g_array_new (FALSE, TRUE, sizeof (InlineImage));
  g_array_set_clear_func (self->inline_images, inline_image_clear);
  self->headers = g_ptr_array_new_with_free_func (g_free);
}

EpMessage *
ep_message_new (void)
{
  return g_object_new (EP_TYPE_MESSAGE, NULL);
}

/* A deep copy, for handing to a worker thread. */
EpMessage *
ep_message_copy (EpMessage *self)
{
  EpMessage *copy;

  g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);

  copy = ep_message_new ();
  if (self->from != NULL)
    ep_message_set_from (copy, self->from);
  for (guint k = 0; k < G_N_ELEMENTS (self->recipients); k++)
    ep_message_add_recipients (copy, (EpRecipientKind) k, self->recipients[k]);
  ep_message_set_subject (copy, self->subject);
  ep_message_set_text (copy, self->text);
  ep_message_set_html (copy, self->html);
  for (guint i = 0; i < self->attachments->len; i++)
    ep_message_add_attachment (copy, g_ptr_array_index (self->attachments, i));
  for (guint i = 0; i < self->inline_images->len; i++)
    {
      InlineImage *image = &g_array_index (self->inline_images, InlineImage, i);
      ep_message_add_inline_image (copy, image->path, image->content_id);
    }
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    ep_message_add_header (copy, g_ptr_array_index (self->headers, i),
                           g_ptr_array_index (self->headers, i + 1));
  return copy;
}

void
ep_message_set_from (EpMessage       *self,
                     const EpAddress *from)
{
  g_return_if_fail (EP_IS_MESSAGE (self));

  g_clear_pointer (&self->from, ep_address_free);
  if (from != NULL)
    self->from = ep_address_copy (from);
}

const EpAddress *
ep_message_get_from (EpMessage *self)
{
  g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);
  return self->from;
}

static gboolean
has_recipient (EpMessage       *self,
               const EpAddress *address)
{
  for (guint k = 0; k < G_N_ELEMENTS (self->recipients); k++)
    {
      if (ep_address_list_contains (self->recipients[k], address))
        return TRUE;
    }
  return FALSE;
}

/**
 * ep_message_add_recipients:
 *
 * Adds each address of @list that is in none of To, Cc and Bcc yet, so a
 * person listed twice receives one copy, under the first field named.
 *
 * Returns: how many were added
 */
guint
ep_message_add_recipients (EpMessage           *self,
                           EpRecipientKind      kind,
                           const EpAddressList *list)
{
  guint added = 0;

  g_return_val_if_fail (EP_IS_MESSAGE (self), 0);
  g_return_val_if_fail (kind <= EP_RECIPIENT_BCC, 0);
  g_return_val_if_fail (list != NULL, 0);

  for (guint i = 0; i < ep_address_list_get_length (list); i++)
    {
      const EpAddress *address = ep_address_list_get (list, i);

      if (!has_recipient (self, address))
        added += ep_address_list_add (self->recipients[kind], address);
    }
  return added;
}

const EpAddressList *
ep_message_get_recipients (EpMessage       *self,
                           EpRecipientKind  kind)
{
  g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (kind <= EP_RECIPIENT_BCC, NULL);
  return self->recipients[kind];
}

/* Every recipient, To then Cc then Bcc: the RCPT TO list. */
EpAddressList *
ep_message_dup_envelope_recipients (EpMessage *self)
{
  EpAddressList *all;

  g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);

  all = ep_address_list_new ();
  for (guint k = 0; k < G_N_ELEMENTS (self->recipients); k++)
    {
      for (guint i = 0; i < ep_address_list_get_length (self->recipients[k]); i++)
        ep_address_list_add (all, ep_address_list_get (self->recipients[k], i));
    }
  return all;
}

#define DEFINE_STRING_PROPERTY(field)                                   \
  void                                                                  \
  ep_message_set_##field (EpMessage  *self,                             \
                          const char *value)                            \
  {                                                                     \
    g_return_if_fail (EP_IS_MESSAGE (self));                            \
    g_free (self->field);                                               \
    self->field = g_strdup (value);                                     \
  }                                                                     \
                                                                        \
  const char *                                                          \
  ep_message_get_##field (EpMessage *self)                              \
  {                                                                     \
    g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);                  \
    return self->field;                                                 \
  }

DEFINE_STRING_PROPERTY (subject)
DEFINE_STRING_PROPERTY (text)
DEFINE_STRING_PROPERTY (html)

void
ep_message_add_attachment (EpMessage  *self,
                           const char *path)
{
  g_return_if_fail (EP_IS_MESSAGE (self));
  g_return_if_fail (path != NULL);

  g_ptr_array_add (self->attachments, g_strdup (path));
}

guint
ep_message_get_n_attachments (EpMessage *self)
{
  g_return_val_if_fail (EP_IS_MESSAGE (self), 0);
  return self->attachments->len;
}

const char *
ep_message_get_attachment (EpMessage *self,
                           guint      index)
{
  g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (index < self->attachments->len, NULL);
  return g_ptr_array_index (self->attachments, index);
}

void
ep_message_add_inline_image (EpMessage  *self,
                             const char *path,
                             const char *content_id)
{
  InlineImage image;

  g_return_if_fail (EP_IS_MESSAGE (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (content_id != NULL);

  image.path = g_strdup (path);
  image.content_id = g_strdup (content_id);
  g_array_append_val (self->inline_images, image);
}

/* Replaces every cid:OLD reference inside a quoted attribute value by cid:NEW. */
static char *
rewrite_cid (const char *html,
             const char *old_id,
             const char *new_id,
             guint      *count)
{
  g_autofree char *needle = g_strconcat ("cid:", old_id, NULL);
  gsize needle_len = strlen (needle);
  GString *out = g_string_sized_new (strlen (html) + 64);
  const char *p = html;
  const char *hit;

  while ((hit = strstr (p, needle)) != NULL)
    {
      char after = hit[needle_len];

      g_string_append_len (out, p, hit - p);
      if (after == '"' || after == '\'')
        {
          g_string_append_printf (out, "cid:%s", new_id);
          (*count)++;
        }
      else
        g_string_append (out, needle);
      p = hit + needle_len;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

/**
 * ep_message_add_inline_image_for_html:
 * @path: an image file the HTML refers to as `cid:BASENAME`
 *
 * Gives the image a unique Content-ID and rewrites the HTML's references
 * to it. Fails, adding nothing, when the HTML never refers to the image.
 */
gboolean
ep_message_add_inline_image_for_html (EpMessage   *self,
                                      const char  *path,
                                      GError     **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *content_id = NULL;
  g_autofree char *html = NULL;
  const char *domain;
  guint count = 0;

  g_return_val_if_fail (EP_IS_MESSAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  basename = g_path_get_basename (path);
  if (self->html == NULL)
    {
      g_set_error (error, EP_MESSAGE_ERROR, EP_MESSAGE_ERROR_NO_HTML,
                   _("The inline image “%s” needs an HTML body that shows it"), basename);
      return FALSE;
    }

  domain = self->from ? ep_address_get_domain (self->from) : "epistle.invalid";
  uuid = g_uuid_string_random ();
  content_id = g_strdup_printf ("%s@%s", uuid, domain);
  html = rewrite_cid (self->html, basename, content_id, &count);
  if (count == 0)
    {
      g_set_error (error, EP_MESSAGE_ERROR, EP_MESSAGE_ERROR_NO_REFERENCE,
                   _("The HTML body never shows the inline image “%s” (expected src=\"cid:%s\")"),
                   basename, basename);
      return FALSE;
    }

  g_free (self->html);
  self->html = g_steal_pointer (&html);
  ep_message_add_inline_image (self, path, content_id);
  return TRUE;
}

guint
ep_message_get_n_inline_images (EpMessage *self)
{
  g_return_val_if_fail (EP_IS_MESSAGE (self), 0);
  return self->inline_images->len;
}

const char *
ep_message_get_inline_image (EpMessage   *self,
                             guint        index,
                             const char **content_id)
{
  InlineImage *image;

  g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (index < self->inline_images->len, NULL);

  image = &g_array_index (self->inline_images, InlineImage, index);
  if (content_id != NULL)
    *content_id = image->content_id;
  return image->path;
}

void
ep_message_add_header (EpMessage  *self,
                       const char *name,
                       const char *value)
{
  g_return_if_fail (EP_IS_MESSAGE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

guint
ep_message_get_n_headers (EpMessage *self)
{
  g_return_val_if_fail (EP_IS_MESSAGE (self), 0);
  return self->headers->len / 2;
}

const char *
ep_message_get_header (EpMessage   *self,
                       guint        index,
                       const char **value)
{
  g_return_val_if_fail (EP_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (index < self->headers->len / 2, NULL);

  if (value != NULL)
    *value = g_ptr_array_index (self->headers, 2 * index + 1);
  return g_ptr_array_index (self->headers, 2 * index);
}
