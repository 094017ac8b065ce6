/* ep-imap-export.c — a fetched message as readable text and as JSON, for both front ends
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message's BODY[] is parsed with GMime; the body is its first plain
 * text part, or its HTML turned into text by libxml2's tolerant parser —
 * never rendered, nothing fetched (HTML_PARSE_NONET). JSON is built with
 * json-glib, so every string is escaped by the library. Strings that came
 * from the server are made valid UTF-8 first.
 */
#include "ep-imap-export.h"

#include <string.h>
#include <libxml/HTMLparser.h>

#include "ep-imap-digest.h"
#include "ep-mime.h"
#include "ep-server-text.h"

/* HTML → text */

static gboolean
is_block (const char *name)
{
  static const char * const blocks[] = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "ul", "ol", "hr", "section", "article", "header", "footer", "dt", "dd",
  };

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      if (g_ascii_strcasecmp (name, blocks[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
end_line (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
}

/* Appends @text with runs of white space as one space, as a browser shows it. */
static void
append_collapsed (GString    *out,
                  const char *text,
                  gboolean    pre)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean space = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f';

      if (pre)
        {
          if (*p != '\r')
            g_string_append_c (out, *p);
        }
      else if (!space)
        g_string_append_c (out, *p);
      else if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
        g_string_append_c (out, ' ');
    }
}

static void
walk (xmlNode  *node,
      GString  *out,
      gboolean  pre,
      guint     depth)
{
  /* libxml2 bounds its own tree depth (256); this walk stays within it. */
  for (; node != NULL; node = node->next)
    {
      const char *name = (const char *) node->name;

      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        {
          append_collapsed (out, (const char *) node->content, pre);
          continue;
        }
      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (g_ascii_strcasecmp (name, "script") == 0 || g_ascii_strcasecmp (name, "style") == 0 ||
          g_ascii_strcasecmp (name, "head") == 0 || g_ascii_strcasecmp (name, "title") == 0)
        continue;
      if (is_block (name))
        end_line (out);
      if (g_ascii_strcasecmp (name, "li") == 0)
        g_string_append (out, "• ");
      if (depth < 512)
        walk (node->children, out, pre || g_ascii_strcasecmp (name, "pre") == 0, depth + 1);
      if (is_block (name) || g_ascii_strcasecmp (name, "br") == 0)
        end_line (out);
      if (g_ascii_strcasecmp (name, "p") == 0 || g_ascii_strncasecmp (name, "h", 1) == 0)
        g_string_append_c (out, '\n');
    }
}

/**
 * ep_imap_export_html_to_text:
 * @html: UTF-8 HTML
 *
 * Returns: (transfer full): the text a reader would see, one line per block
 */
char *
ep_imap_export_html_to_text (const char *html,
                             gsize       len)
{
  g_autoptr(GString) out = g_string_new (NULL);
  htmlDocPtr doc;
  gsize end;

  g_return_val_if_fail (html != NULL || len == 0, NULL);

  if (len == 0 || len > G_MAXINT)
    return g_strdup ("");
  doc = htmlReadMemory (html, (int) len, NULL, "UTF-8",
                        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
  if (doc == NULL)
    return g_strdup ("");
  walk (xmlDocGetRootElement (doc), out, FALSE, 0);
  xmlFreeDoc (doc);

  /* No blank lines at either end, and at most one blank line in a row. */
  while (out->len > 0 && (out->str[out->len - 1] == '\n' || out->str[out->len - 1] == ' '))
    g_string_truncate (out, out->len - 1);
  end = strspn (out->str, "\n ");
  g_string_erase (out, 0, end);
  for (char *p; (p = strstr (out->str, "\n\n\n")) != NULL;)
    g_string_erase (out, p - out->str, 1);
  for (char *p; (p = strstr (out->str, " \n")) != NULL;)
    g_string_erase (out, p - out->str, 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Parsing the fetched message */

GMimeMessage *
ep_imap_export_parse (const EpImapMessage *message)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (message != NULL, NULL);

  /* Without BODY[] (a message too large to fetch whole), its header alone. */
  if (message->body == NULL && message->headers == NULL)
    return NULL;
  ep_mime_init ();
  data = g_bytes_get_data (message->body != NULL ? message->body : message->headers, &len);
  stream = g_mime_stream_mem_new_with_buffer (data != NULL ? data : "", len);
  parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_message (parser, NULL);
}

/**
 * ep_imap_export_is_attachment:
 *
 * A part marked attachment, a named part that is not text, or an attached
 * message (message/rfc822), which GMime parses as a #GMimeMessagePart and
 * g_mime_multipart_foreach () does not enter.
 */
gboolean
ep_imap_export_is_attachment (GMimeObject *part)
{
  GMimeContentDisposition *disposition;

  g_return_val_if_fail (GMIME_IS_OBJECT (part), FALSE);

  if (GMIME_IS_MESSAGE_PART (part))
    return TRUE;
  if (!GMIME_IS_PART (part))
    return FALSE;
  disposition = g_mime_object_get_content_disposition (part);
  if (disposition != NULL && g_mime_content_disposition_is_attachment (disposition))
    return TRUE;
  return g_mime_part_get_filename (GMIME_PART (part)) != NULL &&
         !g_mime_content_type_is_type (g_mime_object_get_content_type (part), "text", "*");
}

/**
 * ep_imap_export_dup_attachment_name:
 *
 * Returns: (transfer full) (nullable): the file name the sender gave (not
 *   made safe for a path); for an attached message without one, its subject
 *   and “.eml”
 */
char *
ep_imap_export_dup_attachment_name (GMimeObject *part)
{
  GMimeMessage *inner;
  const char *name;

  g_return_val_if_fail (GMIME_IS_OBJECT (part), NULL);

  if (GMIME_IS_PART (part))
    return g_strdup (g_mime_part_get_filename (GMIME_PART (part)));
  if (!GMIME_IS_MESSAGE_PART (part))
    return NULL;
  name = g_mime_object_get_content_disposition_parameter (part, "filename");
  if (name == NULL)
    name = g_mime_object_get_content_type_parameter (part, "name");
  if (name != NULL)
    return g_strdup (name);
  inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
  return ep_imap_attached_message_name (inner != NULL ? g_mime_message_get_subject (inner) : NULL);
}

/**
 * ep_imap_export_dup_attachment_content:
 *
 * Returns: (transfer full) (nullable): the attachment's bytes, decoded; for
 *   an attached message, the message as it sits in the outer one (CR LF line
 *   ends, its headers as they came); %NULL when it cannot be decoded
 */
GBytes *
ep_imap_export_dup_attachment_content (GMimeObject *part)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GByteArray *bytes;

  g_return_val_if_fail (GMIME_IS_OBJECT (part), NULL);

  if (GMIME_IS_MESSAGE_PART (part))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
      GMimeFormatOptions *options;
      gssize written;

      if (inner == NULL)
        return NULL;
      /* GMime keeps each header's raw text and each part's raw content: written back with
       * CR LF, the message is the bytes it was parsed from. */
      options = g_mime_format_options_new ();
      g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
      written = g_mime_object_write_to_stream (GMIME_OBJECT (inner), options, stream);
      g_mime_format_options_free (options);
      if (written < 0)
        return NULL;
    }
  else
    {
      GMimeDataWrapper *content = GMIME_IS_PART (part) ? g_mime_part_get_content (GMIME_PART (part)) : NULL;

      if (content == NULL || g_mime_data_wrapper_write_to_stream (content, stream) < 0)
        return NULL;
    }
  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (bytes->data, bytes->len);
}

typedef struct
{
  GMimeObject *plain;
  GMimeObject *html;
  GPtrArray *attachments;
} Parts;

static void
collect_part (GMimeObject *parent,
              GMimeObject *part,
              gpointer     user_data)
{
  Parts *parts = user_data;
  GMimeContentType *type = g_mime_object_get_content_type (part);

  if (ep_imap_export_is_attachment (part))
    g_ptr_array_add (parts->attachments, part);
  else if (!GMIME_IS_PART (part))
    return;
  else if (parts->plain == NULL && g_mime_content_type_is_type (type, "text", "plain"))
    parts->plain = part;
  else if (parts->html == NULL && g_mime_content_type_is_type (type, "text", "html"))
    parts->html = part;
}

static void
collect (GMimeMessage *mime,
         Parts        *parts)
{
  GMimeObject *root = g_mime_message_get_mime_part (mime);

  parts->attachments = g_ptr_array_new ();
  if (root == NULL)
    return;
  if (GMIME_IS_MULTIPART (root))
    g_mime_multipart_foreach (GMIME_MULTIPART (root), collect_part, parts);
  else
    collect_part (NULL, root, parts);
}

static char *
lf_only (char *text)
{
  char *w = text;

  for (const char *r = text; *r != '\0'; r++)
    {
      if (*r == '\r' && r[1] == '\n')
        continue;
      *w++ = *r;
    }
  *w = '\0';
  return text;
}

/**
 * ep_imap_export_body_text:
 *
 * Returns: (transfer full): the first plain-text part, else the first HTML part as text,
 *   else ""; UTF-8 with LF line ends
 */
/* A text part's content as the body: UTF-8, HTML turned into text, LF line ends. */
static char *
text_of (GMimeTextPart *part,
         gboolean       html)
{
  g_autofree char *raw = NULL;

  if (part != NULL && !html)
    raw = g_mime_text_part_get_text (part);
  else if (part != NULL)
    {
      g_autofree char *markup = g_mime_text_part_get_text (part);

      if (markup != NULL)
        raw = ep_imap_export_html_to_text (markup, strlen (markup));
    }
  return lf_only (ep_server_text_to_utf8 (raw != NULL ? raw : "", -1));
}

char *
ep_imap_export_body_text (GMimeMessage *mime)
{
  Parts parts = { 0 };

  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), NULL);

  collect (mime, &parts);
  g_ptr_array_unref (parts.attachments);
  if (parts.plain != NULL)
    return text_of (GMIME_TEXT_PART (parts.plain), FALSE);
  return text_of (parts.html != NULL ? GMIME_TEXT_PART (parts.html) : NULL, TRUE);
}

/**
 * ep_imap_export_part_text:
 * @part: a text part of a BODYSTRUCTURE
 * @data: (array length=len): its content as fetched with BODY[section]: still
 *   in its Content-Transfer-Encoding and charset
 *
 * Decodes the part as GMime decodes it within a whole message, so the body
 * is the same as ep_imap_export_body_text () gives.
 *
 * Returns: (transfer full): UTF-8 text with LF line ends
 */
char *
ep_imap_export_part_text (const EpImapPart *part,
                          gboolean          html,
                          const char       *data,
                          gsize             len)
{
  g_autoptr(GMimeTextPart) text = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;
  const char *charset;

  g_return_val_if_fail (part != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  ep_mime_init ();
  text = g_mime_text_part_new_with_subtype (part->subtype != NULL ? part->subtype : "plain");
  charset = ep_imap_part_get_param (part, "charset");
  if (charset != NULL)
    g_mime_object_set_content_type_parameter (GMIME_OBJECT (text), "charset", charset);
  stream = g_mime_stream_mem_new_with_buffer (data != NULL ? data : "", len);
  content = g_mime_data_wrapper_new_with_stream (stream, g_mime_content_encoding_from_string (part->encoding));
  g_mime_part_set_content (GMIME_PART (text), content);
  return text_of (text, html);
}

/* The decoded size of a part's content. */
static gint64
content_size (GMimeObject *part)
{
  g_autoptr(GMimeStream) null = g_mime_stream_null_new ();
  GMimeDataWrapper *content;
  g_autoptr(GBytes) message = NULL;

  if (GMIME_IS_MESSAGE_PART (part))
    {
      message = ep_imap_export_dup_attachment_content (part);
      return message != NULL ? (gint64) g_bytes_get_size (message) : 0;
    }
  content = g_mime_part_get_content (GMIME_PART (part));
  if (content == NULL || g_mime_data_wrapper_write_to_stream (content, null) < 0)
    return 0;
  return (gint64) GMIME_STREAM_NULL (null)->written;
}

/* JSON */

static JsonNode *
address_list_node (InternetAddressList *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (int i = 0; list != NULL && i < internet_address_list_length (list); i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);
      const char *name = internet_address_get_name (address);
      g_autofree char *shown_name = ep_server_text_to_utf8 (name != NULL ? name : "", -1);

      if (!INTERNET_ADDRESS_IS_MAILBOX (address))
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, shown_name);
      json_builder_set_member_name (builder, "address");
      {
        g_autofree char *addr = ep_server_text_to_utf8 (
          internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address)), -1);
        json_builder_add_string_value (builder, addr);
      }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* Subject, decoded; from the ENVELOPE, or from BODY[]. */
char *
ep_imap_export_subject (const EpImapMessage *message)
{
  g_autoptr(GMimeMessage) mime = NULL;
  g_autofree char *decoded = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  ep_mime_init ();
  if (message->envelope != NULL && message->envelope->subject != NULL)
    decoded = g_mime_utils_header_decode_text (NULL, message->envelope->subject);
  else if ((mime = ep_imap_export_parse (message)) != NULL && g_mime_message_get_subject (mime) != NULL)
    decoded = g_strdup (g_mime_message_get_subject (mime));
  return ep_server_text_to_utf8 (decoded != NULL ? decoded : "", -1);
}

/* “Name <address>” or the address of the first sender in the ENVELOPE. */
char *
ep_imap_export_sender (const EpImapMessage *message)
{
  EpImapAddress *from;
  g_autofree char *address = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  if (message->envelope == NULL || message->envelope->from->len == 0)
    return g_strdup ("");
  ep_mime_init ();
  from = g_ptr_array_index (message->envelope->from, 0);
  address = ep_imap_address_dup_display (from);
  if (from->name != NULL && *from->name != '\0')
    name = g_mime_utils_header_decode_phrase (NULL, from->name);
  text = name != NULL && *name != '\0' ? g_strdup_printf ("%s <%s>", name, address)
                                       : g_steal_pointer (&address);
  return ep_server_text_to_utf8 (text, -1);
}

/* The Date header (ENVELOPE), else INTERNALDATE; NULL if neither is known. */
GDateTime *
ep_imap_export_date (const EpImapMessage *message)
{
  GDateTime *date = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  ep_mime_init ();
  if (message->envelope != NULL && message->envelope->date != NULL)
    date = g_mime_utils_header_decode_date (message->envelope->date);
  if (date == NULL && message->internaldate != NULL)
    date = g_date_time_ref (message->internaldate);
  return date;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  g_autofree char *valid = value != NULL ? ep_server_text_to_utf8 (value, -1) : NULL;

  json_builder_set_member_name (builder, name);
  if (valid != NULL)
    json_builder_add_string_value (builder, valid);
  else
    json_builder_add_null_value (builder);
}

static void
add_attachments (JsonBuilder *builder,
                 GPtrArray   *attachments)
{
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < attachments->len; i++)
    {
      GMimeObject *part = g_ptr_array_index (attachments, i);
      g_autofree char *type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (part));
      g_autofree char *name = ep_imap_export_dup_attachment_name (part);

      json_builder_begin_object (builder);
      add_string (builder, "name", name);
      add_string (builder, "content_type", type);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, content_size (part));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

typedef void (*AddAttachments) (JsonBuilder *builder,
                                gconstpointer source);

static void
add_mime_attachments (JsonBuilder   *builder,
                      gconstpointer  source)
{
  add_attachments (builder, (GPtrArray *) source);
}

/* The one JSON object both paths build: the headers from @mime, the rest as given. */
static JsonNode *
build_entry (const EpImapMessage *message,
             GMimeMessage        *mime,
             const char          *body,
             AddAttachments       attachments,
             gconstpointer        source)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *iso = NULL;

  date = g_mime_message_get_date (mime) != NULL ? g_date_time_ref (g_mime_message_get_date (mime))
                                                : ep_imap_export_date (message);
  iso = date != NULL ? g_date_time_format_iso8601 (date) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uid");
  json_builder_add_int_value (builder, message->uid);
  add_string (builder, "message_id", g_mime_message_get_message_id (mime));
  json_builder_set_member_name (builder, "from");
  json_builder_add_value (builder, address_list_node (g_mime_message_get_from (mime)));
  json_builder_set_member_name (builder, "to");
  json_builder_add_value (builder, address_list_node (g_mime_message_get_to (mime)));
  json_builder_set_member_name (builder, "cc");
  json_builder_add_value (builder, address_list_node (g_mime_message_get_cc (mime)));
  add_string (builder, "subject", g_mime_message_get_subject (mime));
  add_string (builder, "date", iso);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) message->size);
  json_builder_set_member_name (builder, "flags");
  json_builder_begin_array (builder);
  for (guint i = 0; message->flags != NULL && message->flags[i] != NULL; i++)
    json_builder_add_string_value (builder, message->flags[i]);
  json_builder_end_array (builder);
  add_string (builder, "body", body);
  attachments (builder, source);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * ep_imap_export_message:
 * @message: fetched with at least UID, FLAGS, INTERNALDATE, RFC822.SIZE and BODY[]
 *   (or BODY[HEADER], and then the body and attachments are left empty)
 *
 * Returns: (transfer full): the JSON object both front ends export
 */
JsonNode *
ep_imap_export_message (const EpImapMessage *message)
{
  g_autoptr(GMimeMessage) mime = NULL;
  g_autofree char *body = NULL;
  Parts parts = { 0 };
  JsonNode *node;

  g_return_val_if_fail (message != NULL, NULL);

  mime = ep_imap_export_parse (message);
  if (mime == NULL)
    mime = g_mime_message_new (FALSE);
  collect (mime, &parts);
  body = ep_imap_export_body_text (mime);
  node = build_entry (message, mime, body, add_mime_attachments, parts.attachments);
  g_ptr_array_unref (parts.attachments);
  return node;
}

static void
add_digest_attachments (JsonBuilder   *builder,
                        gconstpointer  source)
{
  const EpImapDigest *digest = source;

  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < digest->attachments->len; i++)
    {
      const EpImapPart *part = g_ptr_array_index (digest->attachments, i);
      g_autofree char *type = ep_imap_part_dup_mime_type (part);
      g_autofree char *name = ep_imap_part_dup_attachment_name (part);

      json_builder_begin_object (builder);
      add_string (builder, "name", name);
      add_string (builder, "content_type", type);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, digest->sizes[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * ep_imap_export_digest:
 * @digest: filled by ep_imap_client_fill_digests ()
 *
 * Returns: (transfer full): the same JSON object as ep_imap_export_message ()
 *   gives for the whole message (see @digest->sizes for attachment sizes)
 */
JsonNode *
ep_imap_export_digest (const EpImapDigest *digest)
{
  g_autoptr(GMimeMessage) mime = NULL;

  g_return_val_if_fail (digest != NULL && digest->message != NULL, NULL);

  /* The message's BODY[HEADER.FIELDS …] alone, parsed as a message. */
  mime = ep_imap_export_parse (digest->message);
  if (mime == NULL)
    mime = g_mime_message_new (FALSE);
  return build_entry (digest->message, mime, digest->body != NULL ? digest->body : "",
                      add_digest_attachments, digest);
}
