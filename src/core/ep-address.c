/* ep-address.c — recipient addresses: parse, validate, IDN
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Addresses are checked the way a submission server would check them
 * (RFC 5321 §4.1.2 and §4.5.3.1, RFC 5322 §3.4.1), so that a typo is caught
 * while the person is still typing, with a sentence naming the entry.
 */
#include "ep-address.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define LOCAL_MAX 64
#define DOMAIN_MAX 255
#define PATH_MAX_OCTETS 254
#define LABEL_MAX 63

struct _EpAddress
{
  char *name;          /* display name, UTF-8, or NULL */
  char *addr_spec;     /* local@domain as typed (UTF-8) */
  char *ascii;         /* local@A-label domain; NULL if the local part is not ASCII */
  char *domain;        /* the domain as typed */
  gboolean utf8_local;
};

struct _EpAddressList
{
  gatomicrefcount ref_count;
  GPtrArray *items;
};

G_DEFINE_QUARK (ep-address-error-quark, ep_address_error)
G_DEFINE_BOXED_TYPE (EpAddress, ep_address, ep_address_copy, ep_address_free)

static gboolean
is_atext (guchar c)
{
  return g_ascii_isalnum (c) || (c != 0 && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL) || c >= 0x80;
}

static gboolean
has_control (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
        return TRUE;
    }
  return FALSE;
}

/* Checks a dot-atom or quoted-string local part; sets *utf8 when it needs SMTPUTF8. */
static gboolean
check_local_part (const char  *entry,
                  const char  *local,
                  gboolean    *utf8,
                  GError     **error)
{
  gsize len = strlen (local);

  g_assert (len > 0);

  if (local[0] == '"')
    {
      for (gsize i = 1; i + 1 < len; i++)
        {
          guchar c = local[i];
          if (c == '\\')
            i++;
          else if (c == '"')
            goto bad_quote;
          else if (c >= 0x80)
            *utf8 = TRUE;
        }
      if (len < 2 || local[len - 1] != '"')
        goto bad_quote;
    }
  else
    {
      if (local[0] == '.' || local[len - 1] == '.' || strstr (local, "..") != NULL)
        {
          g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_LOCAL_PART,
                       /* Translators: %s is an email address */
                       _("“%s” has a misplaced dot before the “@”"), entry);
          return FALSE;
        }
      for (const guchar *p = (const guchar *) local; *p; p++)
        {
          if (*p == '.')
            continue;
          if (!is_atext (*p))
            {
              g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_LOCAL_PART,
                           /* Translators: first %s is an email address, second a character */
                           _("“%s” contains “%c”, which is not allowed before the “@” unless quoted"),
                           entry, *p);
              return FALSE;
            }
          if (*p >= 0x80)
            *utf8 = TRUE;
        }
    }

  if (len > LOCAL_MAX)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_TOO_LONG,
                   _("“%s” has more than %d characters before the “@”"), entry, LOCAL_MAX);
      return FALSE;
    }
  return TRUE;

bad_quote:
  g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_LOCAL_PART,
               _("“%s” has a badly quoted part before the “@”"), entry);
  return FALSE;
}

static gboolean
check_label (const char *label,
             gsize       len)
{
  if (len == 0 || len > LABEL_MAX || label[0] == '-' || label[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (label[i]) && label[i] != '-')
        return FALSE;
    }
  return TRUE;
}

/* Returns the A-label form of @domain, or NULL with @error set. */
static char *
check_domain (const char  *entry,
              const char  *domain,
              GError     **error)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) labels = NULL;
  guint n;

  if (domain[0] == '[')
    {
      gsize len = strlen (domain);
      g_autofree char *inner = NULL;

      if (len > 2 && domain[len - 1] == ']')
        {
          inner = g_strndup (domain + 1, len - 2);
          if (g_str_has_prefix (inner, "IPv6:") ? g_hostname_is_ip_address (inner + 5)
                                                : g_hostname_is_ip_address (inner))
            return g_strdup (domain);
        }
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_DOMAIN,
                   _("“%s” has an address literal after the “@” that is not an IP address"), entry);
      return NULL;
    }

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_DOMAIN,
                   _("“%s” has a domain that is not a valid internationalised name"), entry);
      return NULL;
    }

  if (strlen (ascii) > DOMAIN_MAX)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_TOO_LONG,
                   _("“%s” has a domain longer than %d characters"), entry, DOMAIN_MAX);
      return NULL;
    }

  labels = g_strsplit (ascii, ".", -1);
  n = g_strv_length (labels);
  for (guint i = 0; i < n; i++)
    {
      if (!check_label (labels[i], strlen (labels[i])))
        {
          g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_DOMAIN,
                       _("“%s” has a domain with an empty or invalid part"), entry);
          return NULL;
        }
    }

  if (n < 2 || strspn (labels[n - 1], "0123456789") == strlen (labels[n - 1]))
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_NO_TLD,
                   /* Translators: %s is an email address such as bob@qq */
                   _("“%s” has no top-level domain (such as .com or .cn)"), entry);
      return NULL;
    }

  return g_steal_pointer (&ascii);
}

/* Finds the “@” that separates the local part, honouring a quoted local part. */
static const char *
find_at (const char *addr)
{
  if (addr[0] == '"')
    {
      const char *p = addr + 1;
      while (*p && *p != '"')
        p += (*p == '\\' && p[1]) ? 2 : 1;
      return *p == '"' ? strchr (p, '@') : NULL;
    }
  return strchr (addr, '@');
}

static gboolean
has_space_outside_quotes (const char *addr)
{
  gboolean quoted = FALSE;

  for (const char *p = addr; *p; p++)
    {
      if (*p == '\\' && quoted && p[1])
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && g_ascii_isspace (*p))
        return TRUE;
    }
  return FALSE;
}

static EpAddress *
parse_addr_spec (const char  *addr,
                 GError     **error)
{
  g_autoptr(EpAddress) self = g_new0 (EpAddress, 1);
  g_autofree char *local = NULL;
  g_autofree char *domain_ascii = NULL;
  const char *at;

  if (*addr == '\0')
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_EMPTY,
                   _("An address is empty"));
      return NULL;
    }
  if (has_space_outside_quotes (addr))
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_SPACE,
                   _("“%s” contains a space"), addr);
      return NULL;
    }

  at = find_at (addr);
  if (at == NULL)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_NO_AT,
                   _("“%s” is missing the “@” and the domain"), addr);
      return NULL;
    }
  if (at == addr)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_LOCAL_PART,
                   _("“%s” has nothing before the “@”"), addr);
      return NULL;
    }
  if (at[1] == '\0')
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_DOMAIN,
                   _("“%s” has nothing after the “@”"), addr);
      return NULL;
    }
  if (strchr (at + 1, '@') != NULL)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_SYNTAX,
                   _("“%s” has more than one “@”"), addr);
      return NULL;
    }

  local = g_strndup (addr, at - addr);
  if (!check_local_part (addr, local, &self->utf8_local, error))
    return NULL;
  domain_ascii = check_domain (addr, at + 1, error);
  if (domain_ascii == NULL)
    return NULL;

  if (strlen (local) + 1 + strlen (domain_ascii) > PATH_MAX_OCTETS)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_TOO_LONG,
                   _("“%s” is longer than %d characters"), addr, PATH_MAX_OCTETS);
      return NULL;
    }

  self->addr_spec = g_strdup (addr);
  self->domain = g_strdup (at + 1);
  if (!self->utf8_local)
    self->ascii = g_strconcat (local, "@", domain_ascii, NULL);
  return g_steal_pointer (&self);
}

/* Undoes the quoting of a display name: "Doe, Jane" → Doe, Jane. */
static char *
unquote_name (const char *name)
{
  GString *out;
  gsize len = strlen (name);

  if (len < 2 || name[0] != '"' || name[len - 1] != '"')
    return g_strdup (name);

  out = g_string_sized_new (len);
  for (gsize i = 1; i + 1 < len; i++)
    {
      if (name[i] == '\\' && i + 2 < len)
        i++;
      g_string_append_c (out, name[i]);
    }
  return g_string_free (out, FALSE);
}

/* Finds the last “<” outside a quoted display name. */
static const char *
find_angle (const char *text)
{
  gboolean quoted = FALSE;
  const char *found = NULL;

  for (const char *p = text; *p; p++)
    {
      if (*p == '\\' && quoted && p[1])
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == '<' && !quoted)
        found = p;
    }
  return found;
}

/* Validates at the edge: every later message may quote the text as it is. */
static gboolean
check_utf8 (const char  *text,
            GError     **error)
{
  const char *end = NULL;

  if (g_utf8_validate (text, -1, &end))
    return TRUE;
  /* Translators: the number is a byte offset; the text itself cannot be shown */
  g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_ENCODING,
               _("The address text is not valid UTF-8 (at byte %u); "
                 "it may come from a file or program using another encoding"),
               (guint) MIN ((gsize) (end - text), G_MAXUINT));
  return FALSE;
}

/**
 * ep_address_parse:
 * @text: one mailbox, `addr@example.com` or `Name <addr@example.com>`
 *
 * Returns: (transfer full): the address, or %NULL with @error naming the entry
 */
EpAddress *
ep_address_parse (const char  *text,
                  GError     **error)
{
  g_autofree char *entry = NULL;
  g_autofree char *name = NULL;
  g_autofree char *addr = NULL;
  const char *angle;
  EpAddress *self;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_utf8 (text, error))
    return NULL;
  entry = g_strstrip (g_strdup (text));
  if (has_control (entry))
    {
      g_autofree char *shown = g_strescape (entry, NULL);

      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_CONTROL,
                   _("“%s” contains a line break or control character"), shown);
      return NULL;
    }

  angle = find_angle (entry);
  if (angle != NULL)
    {
      const char *close = strchr (angle, '>');

      if (close == NULL || close[1] != '\0')
        {
          g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_SYNTAX,
                       _("“%s” has a “<” without a matching “>” at the end"), entry);
          return NULL;
        }
      addr = g_strstrip (g_strndup (angle + 1, close - angle - 1));
      name = g_strstrip (g_strndup (entry, angle - entry));
      if (*name != '\0')
        {
          char *plain = unquote_name (name);
          g_free (name);
          name = g_strstrip (plain);
        }
    }
  else if (strchr (entry, '>') != NULL)
    {
      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_SYNTAX,
                   _("“%s” has a “>” without a matching “<”"), entry);
      return NULL;
    }
  else
    {
      addr = g_strdup (entry);
    }

  self = parse_addr_spec (addr, error);
  if (self != NULL && name != NULL && *name != '\0')
    self->name = g_steal_pointer (&name);
  return self;
}

EpAddress *
ep_address_copy (const EpAddress *self)
{
  EpAddress *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (EpAddress, 1);
  copy->name = g_strdup (self->name);
  copy->addr_spec = g_strdup (self->addr_spec);
  copy->ascii = g_strdup (self->ascii);
  copy->domain = g_strdup (self->domain);
  copy->utf8_local = self->utf8_local;
  return copy;
}

void
ep_address_free (EpAddress *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->addr_spec);
  g_free (self->ascii);
  g_free (self->domain);
  g_free (self);
}

const char *
ep_address_get_name (const EpAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/* The address as typed, with a Unicode domain if one was typed. */
const char *
ep_address_get_addr_spec (const EpAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->addr_spec;
}

/* The address with its domain in A-labels, for servers without SMTPUTF8;
 * %NULL when the local part itself is not ASCII. */
const char *
ep_address_get_ascii (const EpAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ascii;
}

const char *
ep_address_get_domain (const EpAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->domain;
}

gboolean
ep_address_needs_smtputf8 (const EpAddress *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->utf8_local;
}

/* “Name <addr>” or “addr”, for messages to a person. */
char *
ep_address_to_string (const EpAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->name == NULL)
    return g_strdup (self->addr_spec);
  return g_strdup_printf ("%s <%s>", self->name, self->addr_spec);
}

/* Same mailbox: compared without regard to case, on the A-label form. */
gboolean
ep_address_equal (const EpAddress *a,
                  const EpAddress *b)
{
  const char *x, *y;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  x = a->ascii ? a->ascii : a->addr_spec;
  y = b->ascii ? b->ascii : b->addr_spec;
  if (a->utf8_local || b->utf8_local)
    {
      g_autofree char *fx = g_utf8_casefold (x, -1);
      g_autofree char *fy = g_utf8_casefold (y, -1);
      return g_strcmp0 (fx, fy) == 0;
    }
  return g_ascii_strcasecmp (x, y) == 0;
}

/**
 * ep_address_split:
 * @text: a recipient list as typed
 *
 * Splits on `,`, `;` and line breaks outside quotes and angle brackets.
 * Empty entries (a trailing `;`) are dropped. Text that is not UTF-8 is
 * refused with %EP_ADDRESS_ERROR_ENCODING.
 *
 * Returns: (transfer full): the entries, trimmed
 */
char **
ep_address_split (const char  *text,
                  GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean quoted = FALSE;
  gboolean angled = FALSE;
  const char *start = text;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_utf8 (text, error))
    return NULL;
  for (const char *p = text;; p++)
    {
      if (*p == '\\' && quoted && p[1])
        {
          p++;
          continue;
        }
      if (*p == '"' && !angled)
        quoted = !quoted;
      else if (*p == '<' && !quoted)
        angled = TRUE;
      else if (*p == '>' && !quoted)
        angled = FALSE;
      else if (*p == '\0' || (!quoted && !angled && strchr (",;\r\n", *p) != NULL))
        {
          g_autofree char *entry = g_strstrip (g_strndup (start, p - start));

          if (*entry != '\0')
            g_strv_builder_add (builder, entry);
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }

  if (quoted)
    {
      g_autofree char *entry = g_strstrip (g_strdup (start));

      g_set_error (error, EP_ADDRESS_ERROR, EP_ADDRESS_ERROR_SYNTAX,
                   _("“%s” has an opening quote without a closing one"), entry);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

EpAddressList *
ep_address_list_new (void)
{
  EpAddressList *self = g_new0 (EpAddressList, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ep_address_free);
  return self;
}

/**
 * ep_address_list_parse:
 * @text: recipients separated by `,`, `;` or new lines
 *
 * Duplicates within the list are dropped. The first bad entry fails the
 * whole list; the error names it.
 *
 * Returns: (transfer full): the list, or %NULL with @error set
 */
EpAddressList *
ep_address_list_parse (const char  *text,
                       GError     **error)
{
  g_autoptr(EpAddressList) self = NULL;
  g_auto(GStrv) entries = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entries = ep_address_split (text, error);
  if (entries == NULL)
    return NULL;

  self = ep_address_list_new ();
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autoptr(EpAddress) address = ep_address_parse (entries[i], error);

      if (address == NULL)
        return NULL;
      ep_address_list_add (self, address);
    }
  return g_steal_pointer (&self);
}

EpAddressList *
ep_address_list_ref (EpAddressList *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ep_address_list_unref (EpAddressList *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->items);
      g_free (self);
    }
}

guint
ep_address_list_get_length (const EpAddressList *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->items->len;
}

const EpAddress *
ep_address_list_get (const EpAddressList *self,
                     guint                index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

gboolean
ep_address_list_contains (const EpAddressList *self,
                          const EpAddress     *address)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    {
      if (ep_address_equal (g_ptr_array_index (self->items, i), address))
        return TRUE;
    }
  return FALSE;
}

/* Adds a copy of @address unless the list has it already; returns whether it was added. */
gboolean
ep_address_list_add (EpAddressList   *self,
                     const EpAddress *address)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (ep_address_list_contains (self, address))
    return FALSE;
  g_ptr_array_add (self->items, ep_address_copy (address));
  return TRUE;
}
