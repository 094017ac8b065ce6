/* test-mailto.c — mailto: links (RFC 6068) to recipients, subject and body
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The examples of RFC 6068 §6, the link issue 8 names, and hostile links:
 * broken escapes, bytes that are not UTF-8, NULs, and fields a web page must
 * not be able to set (attach, from).
 */
#include <string.h>

#include "ep-locale.h"
#include "ep-mailto.h"

typedef struct
{
  const char *uri;
  const char *to;        /* the list joined with " | ", "" for none */
  const char *cc;
  const char *bcc;
  const char *subject;   /* NULL: no subject */
  const char *body;
  const char *ignored;   /* joined with " | " */
} Good;

static const Good good[] = {
  /* RFC 6068 §6.1 */
  { "mailto:chris@example.com", "chris@example.com", "", "", NULL, NULL, "" },
  { "mailto:infobot@example.com?subject=current-issue", "infobot@example.com", "", "",
    "current-issue", NULL, "" },
  { "mailto:infobot@example.com?body=send%20current-issue", "infobot@example.com", "", "",
    NULL, "send current-issue", "" },
  { "mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index",
    "infobot@example.com", "", "", NULL, "send current-issue\nsend index", "" },
  { "mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E",
    "list@example.org", "", "", NULL, NULL, "in-reply-to" },
  { "mailto:majordomo@example.com?body=subscribe%20bamboo-l", "majordomo@example.com", "", "",
    NULL, "subscribe bamboo-l", "" },
  { "mailto:joe@example.com?cc=bob@example.com&body=hello", "joe@example.com", "bob@example.com",
    "", NULL, "hello", "" },
  { "mailto:gorby%25kremvax@example.com", "gorby%kremvax@example.com", "", "", NULL, NULL, "" },
  { "mailto:unlikely%3Faddress@example.com?blat=foop", "unlikely?address@example.com", "", "",
    NULL, NULL, "blat" },
  { "mailto:Mike%26family@example.org", "Mike&family@example.org", "", "", NULL, NULL, "" },
  /* §6.2 */
  { "mailto:%22not%40me%22@example.org", "\"not@me\"@example.org", "", "", NULL, NULL, "" },
  { "mailto:%22oh%5C%5Cno%22@example.org", "\"oh\\\\no\"@example.org", "", "", NULL, NULL, "" },
  { "mailto:%22%5C%5C%5C%22it's%5C%20ugly%5C%5C%5C%22%22@example.org",
    "\"\\\\\\\"it's\\ ugly\\\\\\\"\"@example.org", "", "", NULL, NULL, "" },
  { "mailto:user@example.org?subject=caf%C3%A9", "user@example.org", "", "", "café", NULL, "" },
  { "mailto:user@example.org?subject=%3D%3Futf-8%3FQ%3Fcaf%3DC3%3DA9%3F%3D", "user@example.org",
    "", "", "=?utf-8?Q?caf=C3=A9?=", NULL, "" },
  { "mailto:user@example.org?subject=caf%C3%A9&body=caf%C3%A9", "user@example.org", "", "",
    "café", "café", "" },
  { "mailto:user@%E7%B4%8D%E8%B1%86.example.org?subject=Test&body=NATTO",
    "user@納豆.example.org", "", "", "Test", "NATTO", "" },
  /* §6.3: several recipients, in the path, in `to` fields, or both */
  { "mailto:addr1@an.example,addr2@an.example", "addr1@an.example | addr2@an.example", "", "",
    NULL, NULL, "" },
  { "mailto:?to=addr1@an.example,addr2@an.example", "addr1@an.example | addr2@an.example", "", "",
    NULL, NULL, "" },
  { "mailto:addr1@an.example?to=addr2@an.example", "addr1@an.example | addr2@an.example", "", "",
    NULL, NULL, "" },
  { "mailto:a@x.test?to=b@x.test&To=c@x.test,d@x.test", "a@x.test | b@x.test | c@x.test | d@x.test",
    "", "", NULL, NULL, "" },
  /* Issue 8's link */
  { "mailto:a@x.test?cc=b@x.test&subject=%E4%BD%A0%E5%A5%BD&body=hi", "a@x.test", "b@x.test", "",
    "你好", "hi", "" },
  /* Field names in any case; the scheme too; `+` stays a plus; escaped comma stays */
  { "MAILTO:a@x.test?SUBJECT=1+1&Body=x&BCC=c@x.test&cC=d@x.test", "a@x.test", "d@x.test",
    "c@x.test", "1+1", "x", "" },
  { "mailto:%22a%2Cb%22@x.test", "\"a,b\"@x.test", "", "", NULL, NULL, "" },
  /* Raw UTF-8 (an IRI) is taken as it is */
  { "mailto:张三@例子.中国?subject=报告", "张三@例子.中国", "", "", "报告", NULL, "" },
  /* Empty parts: nothing to fill */
  { "mailto:", "", "", "", NULL, NULL, "" },
  { "mailto:?", "", "", "", NULL, NULL, "" },
  { "mailto:?&&subject=&", "", "", "", "", NULL, "" },
  { "mailto:,,a@x.test,%20,", "a@x.test", "", "", NULL, NULL, "" },
  { "mailto:a@x.test?subject", "a@x.test", "", "", "", NULL, "" },
  /* The first subject and body stand; a fragment is dropped */
  { "mailto:a@x.test?subject=one&subject=two&body=A&body=B", "a@x.test", "", "", "one", "A", "" },
  { "mailto:a@x.test?subject=s#frag&body=never", "a@x.test", "", "", "s", NULL, "" },
  /* Line breaks: a body keeps them as \n (CR LF, lone CR, LF), a subject is one line */
  { "mailto:?body=1%0D%0A2%0D3%0A4%0D%0A%0D%0A5", "", "", "", NULL, "1\n2\n3\n4\n\n5", "" },
  { "mailto:?subject=a%0D%0ABcc:%20evil@x.test", "", "", "", "a  Bcc: evil@x.test", NULL, "" },
  /* Hostile fields are ignored, and named */
  { "mailto:a@x.test?attach=/etc/passwd&Attachment=%2Fhome%2Fme%2F.ssh%2Fid_rsa&from=boss@x.test"
    "&X-Mailer=z&body=see%20attached", "a@x.test", "", "", NULL, "see attached",
    "attach | attachment | from | x-mailer" },
};

typedef struct
{
  const char *uri;
  int code;
  const char *says;   /* a piece of the message */
} Bad;

static const Bad bad[] = {
  { "http://x.test/", EP_MAILTO_ERROR_NOT_MAILTO, "mailto:" },
  { "mail:a@x.test", EP_MAILTO_ERROR_NOT_MAILTO, "mailto:" },
  { "", EP_MAILTO_ERROR_NOT_MAILTO, "mailto:" },
  { "mailto:a%@x.test", EP_MAILTO_ERROR_ESCAPE, "character 9" },
  { "mailto:a@x.test?subject=%E4%BD%A", EP_MAILTO_ERROR_ESCAPE, "character 31" },
  { "mailto:a@x.test?body=%", EP_MAILTO_ERROR_ESCAPE, "character 22" },
  { "mailto:a@x.test?body=%G1", EP_MAILTO_ERROR_ESCAPE, "two hexadecimal digits" },
  { "mailto:a@x.test?su%6zject=x", EP_MAILTO_ERROR_ESCAPE, "character 19" },
  { "mailto:a@x.test?subject=%FF%FE", EP_MAILTO_ERROR_ENCODING, "“subject”" },
  { "mailto:a@x.test?body=%C3", EP_MAILTO_ERROR_ENCODING, "“body”" },
  { "mailto:%C0%AF@x.test", EP_MAILTO_ERROR_ENCODING, "“to”" },
  { "mailto:?cc=%ED%A0%80@x.test", EP_MAILTO_ERROR_ENCODING, "“cc”" },
  { "mailto:?%FF=1", EP_MAILTO_ERROR_ENCODING, "field name" },
  { "mailto:?x-evil=%FF", EP_MAILTO_ERROR_ENCODING, "not valid UTF-8" },
  { "mailto:a@x.test?body=a%00b", EP_MAILTO_ERROR_ENCODING, "NUL" },
  { "mailto:\xff@x.test", EP_MAILTO_ERROR_ENCODING, "“to”" },
};

static char *
join (const char * const *list)
{
  return g_strjoinv (" | ", (char **) list);
}

static void
test_good (gconstpointer data)
{
  const Good *row = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMailto) mailto = ep_mailto_parse (row->uri, &error);
  g_autofree char *to = NULL, *cc = NULL, *bcc = NULL, *ignored = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (mailto);
  to = join (ep_mailto_get_to (mailto));
  cc = join (ep_mailto_get_cc (mailto));
  bcc = join (ep_mailto_get_bcc (mailto));
  ignored = join (ep_mailto_get_ignored (mailto));
  g_assert_cmpstr (to, ==, row->to);
  g_assert_cmpstr (cc, ==, row->cc);
  g_assert_cmpstr (bcc, ==, row->bcc);
  g_assert_cmpstr (ep_mailto_get_subject (mailto), ==, row->subject);
  g_assert_cmpstr (ep_mailto_get_body (mailto), ==, row->body);
  g_assert_cmpstr (ignored, ==, row->ignored);
  g_assert_cmpint (ep_mailto_asks_to_attach (mailto), ==, strstr (row->ignored, "attach") != NULL);
}

static void
test_bad (gconstpointer data)
{
  const Bad *row = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpMailto) mailto = ep_mailto_parse (row->uri, &error);

  g_assert_null (mailto);
  g_assert_error (error, EP_MAILTO_ERROR, row->code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, row->says) == NULL)
    g_error ("“%s” gave “%s”, which does not say “%s”", row->uri, error->message, row->says);
}

/* Random bytes after "mailto:": a result or an error, never a crash, and all text UTF-8. */
static void
test_random (void)
{
  static const char alphabet[] = "%?&=,#aZ09@.\r\n\x80\xc3\xa9\xff+ ";

  for (guint round = 0; round < 20000; round++)
    {
      GString *uri = g_string_new ("mailto:");
      g_autoptr(GError) error = NULL;
      g_autoptr(EpMailto) mailto = NULL;
      guint len = g_test_rand_int_range (0, 40);

      for (guint i = 0; i < len; i++)
        g_string_append_c (uri, alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)]);
      mailto = ep_mailto_parse (uri->str, &error);
      if (mailto == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
      else
        {
          const char * const *lists[] = { ep_mailto_get_to (mailto), ep_mailto_get_cc (mailto),
                                          ep_mailto_get_bcc (mailto), ep_mailto_get_ignored (mailto) };

          g_assert_no_error (error);
          for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
            for (guint i = 0; lists[l][i] != NULL; i++)
              g_assert_true (g_utf8_validate (lists[l][i], -1, NULL));
          if (ep_mailto_get_subject (mailto) != NULL)
            g_assert_null (strpbrk (ep_mailto_get_subject (mailto), "\r\n"));
          if (ep_mailto_get_body (mailto) != NULL)
            g_assert_null (strchr (ep_mailto_get_body (mailto), '\r'));
        }
      g_string_free (uri, TRUE);
    }
}

static void
test_is_mailto (void)
{
  g_assert_true (ep_mailto_is_mailto ("mailto:"));
  g_assert_true (ep_mailto_is_mailto ("MailTo:a@x.test"));
  g_assert_false (ep_mailto_is_mailto ("mailto"));
  g_assert_false (ep_mailto_is_mailto ("/home/me/mailto:x"));
  g_assert_false (ep_mailto_is_mailto (""));
}

int
main (int argc, char **argv)
{
  ep_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mailto/accept/%u", i);
      g_test_add_data_func (path, &good[i], test_good);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mailto/reject/%u", i);
      g_test_add_data_func (path, &bad[i], test_bad);
    }
  g_test_add_func ("/mailto/random", test_random);
  g_test_add_func ("/mailto/is-mailto", test_is_mailto);
  return g_test_run ();
}
