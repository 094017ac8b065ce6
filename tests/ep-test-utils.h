/* ep-test-utils.h — helpers shared by the test programs
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ep-gmime.h"

G_BEGIN_DECLS

typedef struct _EpTestStack EpTestStack;

GMimeMessage *ep_test_parse_message   (const char    *bytes,
                                       gsize          len);
GMimeObject  *ep_test_find_part       (GMimeObject   *root,
                                       const char    *mime_type,
                                       guint          nth);
gboolean      ep_test_part_is         (GMimeObject   *part,
                                       const char    *mime_type);
GBytes       *ep_test_part_content    (GMimeObject   *part);
char         *ep_test_write_file      (const char    *dir,
                                       const char    *name,
                                       const void    *data,
                                       gsize          len);
int           ep_test_run_cli         (const char * const *args,
                                       const char * const *more,
                                       const char    *password,
                                       char         **out,
                                       char         **err);
char         *ep_test_unique_token    (void);
GString      *ep_test_forwarded_message (const char  *to,
                                         GBytes     **inner,
                                         GBytes     **note);
gboolean      ep_test_may_skip        (void);

EpTestStack  *ep_test_stack_start     (void);
void          ep_test_stack_stop      (EpTestStack   *stack);
void          ep_test_stack_dump_logs (EpTestStack   *stack);
const char   *ep_test_stack_get       (EpTestStack   *stack,
                                       const char    *key);
char         *ep_test_stack_fetch     (EpTestStack   *stack,
                                       const char    *user,
                                       const char    *header,
                                       const char    *value,
                                       gsize         *len);
gboolean      ep_test_stack_absent    (EpTestStack   *stack,
                                       const char    *user,
                                       const char    *header,
                                       const char    *value,
                                       guint          wait_seconds);
void          ep_test_stack_set_postfix (EpTestStack *stack,
                                         gboolean     running);
guint         ep_test_stack_count     (EpTestStack   *stack,
                                       const char    *user,
                                       const char    *header,
                                       const char    *value,
                                       guint          wait_seconds);

G_END_DECLS
