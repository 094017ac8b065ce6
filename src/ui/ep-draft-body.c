/* ep-draft-body.c — the message body into a draft and back
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body is kept as the HTML ep_buffer_html_to_html () writes, with
 * inline images named cid:imageN.draft, and read back by the editor's own
 * HTML reader, so a restored body writes the same HTML again. This runs on
 * the main thread (GtkTextBuffer is not thread-safe); bench/editor times it.
 */
#include "ep-draft-body.h"

#include "ep-buffer-html.h"

/* Sets @draft's body, plain-text flag and inline images from @editor. */
void
ep_draft_body_fill (EpDraft      *draft,
                    EpRichEditor *editor)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) content_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *html = NULL;

  g_return_if_fail (EP_IS_DRAFT (draft));
  g_return_if_fail (EP_IS_RICH_EDITOR (editor));

  html = ep_buffer_html_to_html (ep_rich_editor_get_buffer (editor), EP_DRAFT_BODY_CID_SUFFIX,
                                 paths, content_ids);
  ep_draft_set_html (draft, html);
  ep_draft_set_plain_text (draft, ep_rich_editor_get_plain_text (editor));
  for (guint i = 0; i < paths->len; i++)
    ep_draft_add_image (draft, content_ids->pdata[i], paths->pdata[i]);
}

/* Replaces @editor's body with @draft's, formatting and images included. */
gboolean
ep_draft_body_restore (EpDraft       *draft,
                       EpRichEditor  *editor,
                       GError       **error)
{
  g_autoptr(GHashTable) content_ids = NULL;

  g_return_val_if_fail (EP_IS_DRAFT (draft), FALSE);
  g_return_val_if_fail (EP_IS_RICH_EDITOR (editor), FALSE);

  content_ids = ep_draft_dup_content_ids (draft);
  ep_rich_editor_set_plain_text (editor, FALSE);
  ep_rich_editor_set_text (editor, "");
  if (*ep_draft_get_html (draft) != '\0' &&
      !ep_rich_editor_load_html_full (editor, ep_draft_get_html (draft), -1, NULL, content_ids, error))
    return FALSE;
  if (ep_draft_get_plain_text (draft))
    ep_rich_editor_set_plain_text (editor, TRUE);
  return TRUE;
}
