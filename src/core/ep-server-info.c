/* ep-server-info.c — what an SMTP server told about itself: greeting and EHLO extensions
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain copy, made on the worker thread once the dialogue is secure, and
 * handed to the main thread: it shares nothing with the live connection.
 */
#include "ep-server-info.h"

struct _EpServerInfo
{
  char *host;
  char *greeting;
  GHashTable *extensions;   /* upper-case keyword → parameters ("" when none) */
  guint64 size_limit;
};

G_DEFINE_BOXED_TYPE (EpServerInfo, ep_server_info, ep_server_info_copy, ep_server_info_free)

/**
 * ep_server_info_new:
 * @host: the server's host name as connected to
 * @greeting: (nullable): the 220 greeting as one line
 * @extensions: (nullable): keyword → parameters, as ep_smtp_reply_parse_ehlo ()
 *   gives; copied
 */
EpServerInfo *
ep_server_info_new (const char *host,
                    const char *greeting,
                    GHashTable *extensions)
{
  EpServerInfo *info;
  GHashTableIter iter;
  gpointer key, value;
  const char *size;

  g_return_val_if_fail (host != NULL, NULL);

  info = g_new0 (EpServerInfo, 1);
  info->host = g_strdup (host);
  info->greeting = g_strdup (greeting);
  info->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (extensions != NULL)
    {
      g_hash_table_iter_init (&iter, extensions);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (info->extensions, g_ascii_strup (key, -1),
                             g_strdup (value != NULL ? value : ""));
    }
  size = g_hash_table_lookup (info->extensions, "SIZE");
  if (size != NULL)
    info->size_limit = g_ascii_strtoull (size, NULL, 10);
  return info;
}

EpServerInfo *
ep_server_info_copy (const EpServerInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return ep_server_info_new (info->host, info->greeting, info->extensions);
}

void
ep_server_info_free (EpServerInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->host);
  g_free (info->greeting);
  g_hash_table_unref (info->extensions);
  g_free (info);
}

const char *
ep_server_info_get_host (const EpServerInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->host;
}

/* “220 mail.example.test ESMTP Postfix”, or %NULL */
const char *
ep_server_info_get_greeting (const EpServerInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->greeting;
}

/* The largest message in bytes the server accepts; 0 when it announced none. */
guint64
ep_server_info_get_size_limit (const EpServerInfo *info)
{
  g_return_val_if_fail (info != NULL, 0);
  return info->size_limit;
}

/* BDAT (RFC 3030): the engine uses it for large messages. */
gboolean
ep_server_info_get_chunking (const EpServerInfo *info)
{
  return ep_server_info_has_extension (info, "CHUNKING");
}

/* Non-ASCII local parts (RFC 6531) can be delivered. */
gboolean
ep_server_info_get_smtputf8 (const EpServerInfo *info)
{
  return ep_server_info_has_extension (info, "SMTPUTF8");
}

gboolean
ep_server_info_get_pipelining (const EpServerInfo *info)
{
  return ep_server_info_has_extension (info, "PIPELINING");
}

gboolean
ep_server_info_get_8bitmime (const EpServerInfo *info)
{
  return ep_server_info_has_extension (info, "8BITMIME");
}

/* @keyword: an EHLO keyword such as "DSN"; case does not matter */
gboolean
ep_server_info_has_extension (const EpServerInfo *info,
                              const char         *keyword)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (keyword != NULL, FALSE);

  upper = g_ascii_strup (keyword, -1);
  return g_hash_table_contains (info->extensions, upper);
}
