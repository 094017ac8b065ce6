/* ep-recent-addresses.c — addresses sent to before, for completion in the composer
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small most-recent-first list, one “Name <addr>” per line in a UTF-8
 * text file under the user data dir, written atomically. Matching folds
 * case and Unicode compatibility forms (ＱＱ matches qq, Ä matches ä), and
 * looks at the start of the address, of the name and of each word of the
 * name, so “san” finds “Zhang San <zs@qq.com>” and “张” finds “张三”.
 */
#include "ep-recent-addresses.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

typedef struct
{
  char *name;         /* display name or NULL */
  char *addr_spec;
  char *key;          /* folded address: one entry per mailbox */
  char *folded_name;  /* folded display name, or NULL */
} Entry;

struct _EpRecentAddresses
{
  GObject parent_instance;

  /* Owned */
  char *path;
  GPtrArray *entries;   /* of Entry, most recent first */
};

G_DEFINE_FINAL_TYPE (EpRecentAddresses, ep_recent_addresses, G_TYPE_OBJECT)

/* Case- and compatibility-folded, for comparison only. */
static char *
fold (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normal != NULL ? normal : "", -1);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
  g_free (entry->addr_spec);
  g_free (entry->key);
  g_free (entry->folded_name);
  g_free (entry);
}

static Entry *
entry_new (const EpAddress *address)
{
  Entry *entry = g_new0 (Entry, 1);
  const char *name = ep_address_get_name (address);

  entry->addr_spec = g_strdup (ep_address_get_addr_spec (address));
  entry->key = fold (entry->addr_spec);
  if (name != NULL && *name != '\0')
    {
      entry->name = g_strdup (name);
      entry->folded_name = fold (name);
    }
  return entry;
}

/* “Name <addr>”, the name quoted when it holds anything a list would split on,
 * so the text can go straight back into a recipient field. */
static char *
entry_to_string (const Entry *entry)
{
  GString *out;

  if (entry->name == NULL)
    return g_strdup (entry->addr_spec);

  out = g_string_new (NULL);
  if (strpbrk (entry->name, ",;<>@\"\\()[]:.") == NULL)
    g_string_append (out, entry->name);
  else
    {
      g_string_append_c (out, '"');
      for (const char *p = entry->name; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_printf (out, " <%s>", entry->addr_spec);
  return g_string_free (out, FALSE);
}

static void
ep_recent_addresses_finalize (GObject *object)
{
  EpRecentAddresses *self = EP_RECENT_ADDRESSES (object);

  g_free (self->path);
  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (ep_recent_addresses_parent_class)->finalize (object);
}

static void
ep_recent_addresses_class_init (EpRecentAddressesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_recent_addresses_finalize;
}

static void
ep_recent_addresses_init (EpRecentAddresses *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

/* ~/.local/share/epistle/recent-addresses */
char *
ep_recent_addresses_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "epistle", "recent-addresses", NULL);
}

/**
 * ep_recent_addresses_new:
 * @path: (nullable): the file, or %NULL for ep_recent_addresses_default_path ()
 *
 * An empty list; call ep_recent_addresses_load () to read the file.
 */
EpRecentAddresses *
ep_recent_addresses_new (const char *path)
{
  EpRecentAddresses *self = g_object_new (EP_TYPE_RECENT_ADDRESSES, NULL);

  self->path = path != NULL ? g_strdup (path) : ep_recent_addresses_default_path ();
  return self;
}

const char *
ep_recent_addresses_get_path (EpRecentAddresses *self)
{
  g_return_val_if_fail (EP_IS_RECENT_ADDRESSES (self), NULL);
  return self->path;
}

static guint
find (EpRecentAddresses *self,
      const char        *key)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->key, key))
        return i;
    }
  return G_MAXUINT;
}

/* Puts @entry first, replacing an older entry for the same mailbox; a name
 * already known is kept when @entry has none. */
static void
put_first (EpRecentAddresses *self,
           Entry             *entry)
{
  guint old = find (self, entry->key);

  if (old != G_MAXUINT)
    {
      Entry *previous = g_ptr_array_index (self->entries, old);

      if (entry->name == NULL && previous->name != NULL)
        {
          entry->name = g_steal_pointer (&previous->name);
          entry->folded_name = g_steal_pointer (&previous->folded_name);
        }
      g_ptr_array_remove_index (self->entries, old);
    }
  g_ptr_array_insert (self->entries, 0, entry);
  if (self->entries->len > EP_RECENT_ADDRESSES_MAX)
    g_ptr_array_set_size (self->entries, EP_RECENT_ADDRESSES_MAX);
}

/* Makes @address the most recent. */
void
ep_recent_addresses_add (EpRecentAddresses *self,
                         const EpAddress   *address)
{
  g_return_if_fail (EP_IS_RECENT_ADDRESSES (self));
  g_return_if_fail (address != NULL);

  put_first (self, entry_new (address));
}

/* Adds every address of @list; the first of the list ends up most recent. */
void
ep_recent_addresses_add_list (EpRecentAddresses   *self,
                              const EpAddressList *list)
{
  g_return_if_fail (EP_IS_RECENT_ADDRESSES (self));
  g_return_if_fail (list != NULL);

  for (guint i = ep_address_list_get_length (list); i > 0; i--)
    put_first (self, entry_new (ep_address_list_get (list, i - 1)));
}

guint
ep_recent_addresses_get_length (EpRecentAddresses *self)
{
  g_return_val_if_fail (EP_IS_RECENT_ADDRESSES (self), 0);
  return self->entries->len;
}

/**
 * ep_recent_addresses_load:
 *
 * Replaces the list with the file's. A missing file is an empty list; a
 * line that is not an address is skipped, so one bad hand edit loses one
 * line, not the rest.
 *
 * Returns: %FALSE with a #G_FILE_ERROR when the file exists but cannot be read
 */
gboolean
ep_recent_addresses_load (EpRecentAddresses  *self,
                          GError            **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  g_return_val_if_fail (EP_IS_RECENT_ADDRESSES (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_ptr_array_set_size (self->entries, 0);
  if (!g_file_get_contents (self->path, &contents, NULL, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  lines = g_strsplit (contents, "\n", -1);
  n = g_strv_length (lines);
  /* Oldest (last line) first, so the first line ends up most recent. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(EpAddress) address = NULL;
      char *line = g_strstrip (lines[i - 1]);

      if (*line == '\0' || !g_utf8_validate (line, -1, NULL))
        continue;
      address = ep_address_parse (line, NULL);
      if (address != NULL)
        put_first (self, entry_new (address));
    }
  return TRUE;
}

/**
 * ep_recent_addresses_save:
 *
 * Writes the list atomically (mode 0600), creating missing folders.
 */
gboolean
ep_recent_addresses_save (EpRecentAddresses  *self,
                          GError            **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *dir = NULL;

  g_return_val_if_fail (EP_IS_RECENT_ADDRESSES (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      g_autofree char *line = entry_to_string (g_ptr_array_index (self->entries, i));

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_file_set_contents_full (self->path, out->str, out->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
is_word_char (const char *p)
{
  gunichar c = g_utf8_get_char (p);

  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Whether @folded starts with @prefix, or has a word that does. */
static gboolean
name_matches (const char *folded,
              const char *prefix,
              gsize       len)
{
  const char *p = folded;

  while (*p != '\0')
    {
      if (strncmp (p, prefix, len) == 0)
        return TRUE;
      /* Skip to the next word. */
      while (*p != '\0' && is_word_char (p))
        p = g_utf8_next_char (p);
      while (*p != '\0' && !is_word_char (p))
        p = g_utf8_next_char (p);
    }
  return FALSE;
}

static gboolean
entry_matches (const Entry *entry,
               const char  *prefix,
               gsize        len)
{
  return strncmp (entry->key, prefix, len) == 0 ||
         (entry->folded_name != NULL && name_matches (entry->folded_name, prefix, len));
}

/**
 * ep_recent_addresses_complete:
 * @prefix: what the person has typed of the current entry; leading and
 *   trailing white space does not count, and "" matches nothing
 * @max: at most this many results; 0 for no limit
 *
 * Returns: (transfer full) (element-type utf8): “Name <addr>” strings
 *   (the name quoted when needed, ready for a recipient field), most recent first
 */
GPtrArray *
ep_recent_addresses_complete (EpRecentAddresses *self,
                              const char        *prefix,
                              guint              max)
{
  GPtrArray *matches;
  g_autofree char *stripped = NULL;
  g_autofree char *folded = NULL;
  gsize len;

  g_return_val_if_fail (EP_IS_RECENT_ADDRESSES (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  matches = g_ptr_array_new_with_free_func (g_free);
  if (!g_utf8_validate (prefix, -1, NULL))
    return matches;
  stripped = g_strstrip (g_strdup (prefix));
  folded = fold (stripped);
  len = strlen (folded);
  if (len == 0)
    return matches;

  for (guint i = 0; i < self->entries->len && (max == 0 || matches->len < max); i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry_matches (entry, folded, len))
        g_ptr_array_add (matches, entry_to_string (entry));
    }
  return matches;
}
