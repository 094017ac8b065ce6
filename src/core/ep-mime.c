/* ep-mime.c — EpMessage → GMimeMessage, and writing it out in wire form
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tree is multipart/mixed ⊃ multipart/alternative ⊃ multipart/related,
 * each level present only when needed. Attachment parts wrap a file
 * descriptor: GMime reads and encodes them while the message is written, so
 * a 100 MB attachment never sits in memory.
 *
 * Files, attachments and inline images alike, always go as base64: they are
 * bytes, not message text, and must decode to exactly what is on disk. As
 * 7bit or quoted-printable text, a shell script with LF line ends would
 * arrive with CRLF, and a bare CR would pass into the body.
 */
#include "ep-mime.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "ep-mime-splice.h"
#include "ep-wire-stream.h"

#define SNIFF_BYTES 4096

G_DEFINE_QUARK (ep-mime-error-quark, ep_mime_error)

/* Names a later header must not override: the builder owns them. */
static const char * const reserved_headers[] = {
  "from", "sender", "to", "cc", "bcc", "subject", "date", "message-id",
  "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
  "content-id", "return-path", "received",
};

void
ep_mime_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}

static gboolean
check_header_value (const char  *what,
                    const char  *value,
                    GError     **error)
{
  if (value != NULL && strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER,
                   /* Translators: %s names a header, such as “The subject” */
                   _("%s contains a line break, which a mail header cannot hold"), what);
      return FALSE;
    }
  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER,
                   _("%s is not valid UTF-8 text"), what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_header_name (const char  *name,
                   GError     **error)
{
  if (*name == '\0')
    goto bad;
  for (const guchar *p = (const guchar *) name; *p; p++)
    {
      if (*p < 33 || *p > 126 || *p == ':')
        goto bad;
    }
  for (guint i = 0; i < G_N_ELEMENTS (reserved_headers); i++)
    {
      if (g_ascii_strcasecmp (name, reserved_headers[i]) == 0)
        {
          g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER,
                       _("The header “%s” is set by Epistle itself and cannot be added"), name);
          return FALSE;
        }
    }
  return TRUE;

bad:
  g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER,
               _("“%s” is not a valid header name"), name);
  return FALSE;
}

static const char *
wire_address (const EpAddress *address)
{
  const char *ascii = ep_address_get_ascii (address);

  return ascii != NULL ? ascii : ep_address_get_addr_spec (address);
}

static void
add_mailboxes (GMimeMessage        *mime,
               GMimeAddressType     type,
               const EpAddressList *list)
{
  for (guint i = 0; i < ep_address_list_get_length (list); i++)
    {
      const EpAddress *address = ep_address_list_get (list, i);
      g_mime_message_add_mailbox (mime, type, ep_address_get_name (address),
                                  wire_address (address));
    }
}

static gboolean
set_headers (GMimeMessage  *mime,
             EpMessage     *message,
             GError       **error)
{
  const EpAddress *from = ep_message_get_from (message);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *message_id = NULL;
  guint n_recipients = 0;

  if (from == NULL)
    {
      g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_NO_SENDER,
                   _("The message has no sender address"));
      return FALSE;
    }
  for (guint k = EP_RECIPIENT_TO; k <= EP_RECIPIENT_BCC; k++)
    n_recipients += ep_address_list_get_length (ep_message_get_recipients (message, k));
  if (n_recipients == 0)
    {
      g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_NO_RECIPIENTS,
                   _("The message has no recipients"));
      return FALSE;
    }
  if (!check_header_value (_("The subject"), ep_message_get_subject (message), error))
    return FALSE;

  g_mime_message_add_mailbox (mime, GMIME_ADDRESS_TYPE_FROM, ep_address_get_name (from),
                              wire_address (from));
  add_mailboxes (mime, GMIME_ADDRESS_TYPE_TO, ep_message_get_recipients (message, EP_RECIPIENT_TO));
  add_mailboxes (mime, GMIME_ADDRESS_TYPE_CC, ep_message_get_recipients (message, EP_RECIPIENT_CC));
  /* Bcc recipients are only ever in the envelope. */
  g_mime_message_set_subject (mime, ep_message_get_subject (message) ?: "", "utf-8");
  g_mime_message_set_date (mime, now);
  message_id = g_mime_utils_generate_message_id (ep_address_get_domain (from));
  g_mime_message_set_message_id (mime, message_id);

  for (guint i = 0; i < ep_message_get_n_headers (message); i++)
    {
      const char *value;
      const char *name = ep_message_get_header (message, i, &value);
      g_autofree char *what = g_strdup_printf (_("The header “%s”"), name);

      if (!check_header_name (name, error) || !check_header_value (what, value, error))
        return FALSE;
      g_mime_object_append_header (GMIME_OBJECT (mime), name, value, "utf-8");
    }
  return TRUE;
}

/* A plain-text rendering of an HTML body, for readers that show no HTML. */
static char *
html_to_text (const char *html)
{
  static const struct { const char *entity; const char *text; } entities[] = {
    { "&nbsp;", " " }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
    { "&#39;", "'" }, { "&amp;", "&" },
  };
  GString *out = g_string_sized_new (strlen (html));
  gboolean in_tag = FALSE;

  for (const char *p = html; *p; p++)
    {
      if (in_tag)
        {
          if (*p == '>')
            in_tag = FALSE;
          continue;
        }
      if (*p == '<')
        {
          if (g_ascii_strncasecmp (p, "<br", 3) == 0 || g_ascii_strncasecmp (p, "</p", 3) == 0 ||
              g_ascii_strncasecmp (p, "</div", 5) == 0 || g_ascii_strncasecmp (p, "</li", 4) == 0)
            g_string_append_c (out, '\n');
          in_tag = TRUE;
          continue;
        }
      if (*p == '&')
        {
          guint i;
          for (i = 0; i < G_N_ELEMENTS (entities); i++)
            {
              if (g_str_has_prefix (p, entities[i].entity))
                {
                  g_string_append (out, entities[i].text);
                  p += strlen (entities[i].entity) - 1;
                  break;
                }
            }
          if (i < G_N_ELEMENTS (entities))
            continue;
        }
      if (*p != '\r')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Text with CRLF line ends, the canonical form of RFC 2046 §4.1.1, so that
 * base64-encoded text decodes to the same lines as quoted-printable. */
static char *
canonical_text (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 64);

  for (const char *p = text; *p; p++)
    {
      if (*p == '\n' && (p == text || p[-1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static GMimeObject *
text_part_new (const char *subtype,
               const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  g_autofree char *canonical = canonical_text (text);
  GMimeContentEncoding encoding;

  g_mime_text_part_set_text (part, canonical);
  g_mime_text_part_set_charset (part, "utf-8");
  encoding = g_mime_part_get_best_content_encoding (GMIME_PART (part), GMIME_ENCODING_CONSTRAINT_7BIT);
  g_mime_part_set_content_encoding (GMIME_PART (part), encoding);
  return GMIME_OBJECT (part);
}

/* Used when GIO has no MIME database to ask (minimal systems, isolated tests). */
static const struct { const char *extension; const char *mime_type; } known_types[] = {
  { "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" }, { "gif", "image/gif" },
  { "webp", "image/webp" }, { "svg", "image/svg+xml" }, { "bmp", "image/bmp" },
  { "pdf", "application/pdf" }, { "zip", "application/zip" }, { "gz", "application/gzip" },
  { "txt", "text/plain" }, { "csv", "text/csv" }, { "html", "text/html" }, { "htm", "text/html" },
  { "doc", "application/msword" }, { "xls", "application/vnd.ms-excel" },
  { "ppt", "application/vnd.ms-powerpoint" },
  { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
  { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
  { "odt", "application/vnd.oasis.opendocument.text" }, { "mp3", "audio/mpeg" },
  { "mp4", "video/mp4" },
};

static char *
guess_mime_type (const char   *path,
                 const guchar *head,
                 gsize         len)
{
  g_autofree char *content_type = g_content_type_guess (path, head, len, NULL);
  g_autofree char *mime_type = g_content_type_get_mime_type (content_type);
  const char *dot = strrchr (path, '.');

  /* Without a MIME database GIO only tells text from binary: then the name decides. */
  if (mime_type != NULL && strchr (mime_type, '/') != NULL &&
      !g_str_equal (mime_type, "application/octet-stream") && !g_str_equal (mime_type, "text/plain"))
    return g_steal_pointer (&mime_type);

  for (guint i = 0; dot != NULL && i < G_N_ELEMENTS (known_types); i++)
    {
      if (g_ascii_strcasecmp (dot + 1, known_types[i].extension) == 0)
        return g_strdup (known_types[i].mime_type);
    }
  if (mime_type != NULL && g_str_equal (mime_type, "text/plain"))
    return g_steal_pointer (&mime_type);
  return g_strdup ("application/octet-stream");
}

static GMimeStream *
fail_open (const char  *path,
           int          fd,
           int          saved_errno,
           GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  if (fd >= 0)
    close (fd);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               /* Translators: %s is a file name, then the system's reason */
               _("Cannot read “%s”: %s"), display, g_strerror (saved_errno));
  return NULL;
}

/* Opens @path for streaming and guesses its type from its name and first bytes. */
static GMimeStream *
open_file (const char  *path,
           char       **mime_type,
           GError     **error)
{
  guchar head[SNIFF_BYTES];
  GStatBuf st;
  gssize n;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    return fail_open (path, fd, errno, error);
  if (!S_ISREG (st.st_mode))
    return fail_open (path, fd, EISDIR, error);

  n = read (fd, head, sizeof head);
  if (n < 0 || lseek (fd, 0, SEEK_SET) != 0)
    return fail_open (path, fd, errno, error);

  *mime_type = guess_mime_type (path, head, n);
  return g_mime_stream_fs_new (fd);
}

/* A file name fit for a header. Linux allows any byte but “/” and NUL in a
 * name, so “x\r\n\r\nbody.txt” is a real file; control characters (C0,
 * DEL, C1) and the Unicode line and paragraph separators become “_” before
 * GMime ever sees the name, so no name can end the part's headers. */
static char *
header_safe_filename (const char *name)
{
  GString *out = g_string_sized_new (strlen (name));

  g_assert (g_utf8_validate (name, -1, NULL));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, '_');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* RFC 5322 §3.6.4 msg-id contents: printable ASCII, no spaces or angle brackets. */
static gboolean
check_content_id (const char  *content_id,
                  const char  *filename,
                  GError     **error)
{
  gboolean ok = *content_id != '\0';

  for (const guchar *p = (const guchar *) content_id; ok && *p; p++)
    ok = *p > 32 && *p < 127 && *p != '<' && *p != '>';
  if (!ok)
    g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_HEADER,
                 /* Translators: %s is a file name */
                 _("The inline image “%s” has a Content-ID that is not a valid message "
                   "identifier (it may not hold spaces, line breaks or angle brackets)"), filename);
  return ok;
}

/* A part whose content is streamed from @path when the message is written. */
static GMimeObject *
file_part_new (const char  *path,
               const char  *disposition,
               const char  *content_id,
               GError     **error)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) wrapper = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *utf8_name = NULL;
  g_autofree char *filename = NULL;
  g_auto(GStrv) type = NULL;
  GMimeParamList *params;
  GMimeParam *name_param;
  GMimePart *part;

  basename = g_path_get_basename (path);
  utf8_name = g_filename_to_utf8 (basename, -1, NULL, NULL, NULL);
  if (utf8_name == NULL)
    utf8_name = g_filename_display_basename (path);
  filename = header_safe_filename (utf8_name);
  if (content_id != NULL && !check_content_id (content_id, filename, error))
    return NULL;

  stream = open_file (path, &mime_type, error);
  if (stream == NULL)
    return NULL;

  type = g_strsplit (mime_type, "/", 2);
  part = g_mime_part_new_with_type (type[0], type[1]);
  wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, wrapper);

  g_mime_object_set_disposition (GMIME_OBJECT (part), disposition);
  g_mime_part_set_filename (part, filename);

  /* RFC 2231 on Content-Disposition for standards-following readers, and an
   * RFC 2047 name= on Content-Type for QQ and 163 web mail, as Thunderbird does. */
  params = g_mime_content_type_get_parameters (g_mime_object_get_content_type (GMIME_OBJECT (part)));
  name_param = g_mime_param_list_get_parameter (params, "name");
  if (name_param != NULL)
    g_mime_param_set_encoding_method (name_param, GMIME_PARAM_ENCODING_METHOD_RFC2047);

  if (content_id != NULL)
    g_mime_object_set_content_id (GMIME_OBJECT (part), content_id);

  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT (part);
}

static GMimeObject *
build_html (EpMessage  *message,
            GError    **error)
{
  g_autoptr(GMimeObject) html = text_part_new ("html", ep_message_get_html (message));
  g_autoptr(GMimeMultipart) related = NULL;
  guint n = ep_message_get_n_inline_images (message);

  if (n == 0)
    return g_steal_pointer (&html);

  related = g_mime_multipart_new_with_subtype ("related");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (related), "type", "text/html");
  g_mime_multipart_add (related, html);
  for (guint i = 0; i < n; i++)
    {
      const char *content_id;
      const char *path = ep_message_get_inline_image (message, i, &content_id);
      g_autoptr(GMimeObject) image = file_part_new (path, "inline", content_id, error);

      if (image == NULL)
        return NULL;
      g_mime_multipart_add (related, image);
    }
  return GMIME_OBJECT (g_steal_pointer (&related));
}

static GMimeObject *
build_body (EpMessage  *message,
            GError    **error)
{
  const char *text = ep_message_get_text (message);
  const char *html_source = ep_message_get_html (message);
  g_autofree char *derived = NULL;
  g_autoptr(GMimeObject) plain = NULL;
  g_autoptr(GMimeObject) html = NULL;
  g_autoptr(GMimeMultipart) alternative = NULL;

  if (html_source == NULL)
    return text_part_new ("plain", text ?: "");

  if (text == NULL)
    text = derived = html_to_text (html_source);
  plain = text_part_new ("plain", text);
  html = build_html (message, error);
  if (html == NULL)
    return NULL;

  alternative = g_mime_multipart_new_with_subtype ("alternative");
  g_mime_multipart_add (alternative, plain);
  g_mime_multipart_add (alternative, html);
  return GMIME_OBJECT (g_steal_pointer (&alternative));
}

/**
 * ep_mime_build:
 *
 * Builds the message. Attachment files are opened (and so checked) now,
 * and read only when the message is written.
 *
 * Returns: (transfer full): the MIME message, or %NULL with @error set
 */
GMimeMessage *
ep_mime_build (EpMessage  *message,
               GError    **error)
{
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GMimeObject) body = NULL;
  guint n_attachments;

  g_return_val_if_fail (EP_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ep_mime_init ();
  mime = g_mime_message_new (TRUE);
  if (!set_headers (mime, message, error))
    return NULL;

  body = build_body (message, error);
  if (body == NULL)
    return NULL;

  n_attachments = ep_message_get_n_attachments (message);
  if (n_attachments > 0)
    {
      g_autoptr(GMimeMultipart) mixed = g_mime_multipart_new_with_subtype ("mixed");

      g_mime_multipart_add (mixed, body);
      for (guint i = 0; i < n_attachments; i++)
        {
          const char *path = ep_message_get_attachment (message, i);
          g_autoptr(GMimeObject) part = file_part_new (path, "attachment", NULL, error);

          if (part == NULL)
            return NULL;
          g_mime_multipart_add (mixed, part);
        }
      g_set_object (&body, GMIME_OBJECT (mixed));
    }

  g_mime_message_set_mime_part (mime, body);
  return g_steal_pointer (&mime);
}

/**
 * ep_mime_write:
 * @stream: where the message goes, with CRLF line ends
 *
 * Writes @mime in its wire form. May be called more than once: each call
 * reads the attachment files from their start.
 */
gboolean
ep_mime_write (GMimeMessage  *mime,
               GMimeStream   *stream,
               GError       **error)
{
  GMimeFormatOptions *options;
  g_autoptr(GMimeStream) filtered = NULL;
  g_autoptr(GMimeFilter) crlf = NULL;
  gssize written;

  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), FALSE);
  g_return_val_if_fail (GMIME_IS_STREAM (stream), FALSE);

  /* Base64 parts from files: same octets, encoded by ep-base64 instead of GMime's filters. */
  if (ep_mime_splice_wanted (mime))
    return ep_mime_splice_write (mime, stream, error);

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);

  filtered = g_mime_stream_filter_new (stream);
  crlf = g_mime_filter_unix2dos_new (FALSE);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), crlf);

  written = g_mime_object_write_to_stream (GMIME_OBJECT (mime), options, filtered);
  if (written >= 0)
    written = g_mime_stream_flush (filtered);
  g_mime_format_options_free (options);

  if (written < 0)
    {
      /* GMime only says -1. A wire stream knows whether its sink failed;
       * if it did not, reading an attachment did. Any other stream cannot tell. */
      if (EP_IS_WIRE_STREAM (stream) && ep_wire_stream_propagate_error (EP_WIRE_STREAM (stream), error))
        return FALSE;
      if (EP_IS_WIRE_STREAM (stream))
        g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_WRITE,
                     _("Could not write the message: an attachment could not be read"));
      else
        g_set_error (error, EP_MIME_ERROR, EP_MIME_ERROR_WRITE,
                     _("Could not write the message: an attachment could not be read, or the "
                       "message could not be written out"));
      return FALSE;
    }
  return TRUE;
}

/* Octets of base64 for @n bytes as GMime writes it: 76 columns (57 bytes) a line, CRLF-ended. */
static guint64
base64_wire_size (guint64 n)
{
  if (n == 0)
    return 0;
  return 4 * ((n + 2) / 3) + 2 * ((n + 56) / 57);
}

typedef struct
{
  GMimePart *part;
  GMimeDataWrapper *content;   /* the file's, while swapped out */
  guint64 size;
} SwappedPart;

/* Collects base64 parts streamed from files, whose encoded size is arithmetic. */
static void
collect_file_parts (GMimeObject *parent,
                    GMimeObject *object,
                    gpointer     user_data)
{
  GArray *parts = user_data;
  GMimeDataWrapper *content;
  GMimeStream *stream;
  SwappedPart swapped;

  if (!GMIME_IS_PART (object) ||
      g_mime_part_get_content_encoding (GMIME_PART (object)) != GMIME_CONTENT_ENCODING_BASE64)
    return;
  content = g_mime_part_get_content (GMIME_PART (object));
  stream = content ? g_mime_data_wrapper_get_stream (content) : NULL;
  if (stream == NULL || !GMIME_IS_STREAM_FS (stream) || g_mime_stream_length (stream) < 0)
    return;

  swapped.part = GMIME_PART (object);
  swapped.content = g_object_ref (content);
  swapped.size = (guint64) g_mime_stream_length (stream);
  g_array_append_val (parts, swapped);
}

/**
 * ep_mime_measure:
 *
 * The exact size of the message in wire form (CRLF line ends), in octets,
 * for SIZE= and progress. Base64 attachments are counted arithmetically, so
 * measuring a 100 MB attachment does not encode it twice.
 */
gint64
ep_mime_measure (GMimeMessage  *mime,
                 GError       **error)
{
  g_autoptr(GMimeStream) counter = NULL;
  g_autoptr(GArray) parts = g_array_new (FALSE, FALSE, sizeof (SwappedPart));
  gint64 total = 0;
  gboolean ok;

  g_return_val_if_fail (GMIME_IS_MESSAGE (mime), -1);

  g_mime_message_foreach (mime, collect_file_parts, parts);
  for (guint i = 0; i < parts->len; i++)
    {
      SwappedPart *swapped = &g_array_index (parts, SwappedPart, i);
      g_autoptr(GMimeStream) empty = g_mime_stream_mem_new ();
      g_autoptr(GMimeDataWrapper) nothing = g_mime_data_wrapper_new_with_stream (empty, GMIME_CONTENT_ENCODING_DEFAULT);

      g_mime_part_set_content (swapped->part, nothing);
      total += base64_wire_size (swapped->size);
    }

  counter = g_mime_stream_null_new ();
  ok = ep_mime_write (mime, counter, error);

  for (guint i = 0; i < parts->len; i++)
    {
      SwappedPart *swapped = &g_array_index (parts, SwappedPart, i);

      g_mime_part_set_content (swapped->part, swapped->content);
      g_object_unref (swapped->content);
    }
  if (!ok)
    return -1;
  return total + (gint64) GMIME_STREAM_NULL (counter)->written;
}
