/* ep-address.h — recipient addresses: parse, validate, IDN
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EP_ADDRESS_ERROR (ep_address_error_quark ())

typedef enum {
  EP_ADDRESS_ERROR_EMPTY,
  EP_ADDRESS_ERROR_NO_AT,
  EP_ADDRESS_ERROR_NO_TLD,
  EP_ADDRESS_ERROR_SPACE,
  EP_ADDRESS_ERROR_TOO_LONG,
  EP_ADDRESS_ERROR_LOCAL_PART,
  EP_ADDRESS_ERROR_DOMAIN,
  EP_ADDRESS_ERROR_SYNTAX,
  EP_ADDRESS_ERROR_CONTROL,
  EP_ADDRESS_ERROR_NEEDS_SMTPUTF8,
  EP_ADDRESS_ERROR_ENCODING,        /* the text is not valid UTF-8 */
} EpAddressError;

#define EP_TYPE_ADDRESS (ep_address_get_type ())

typedef struct _EpAddress EpAddress;
typedef struct _EpAddressList EpAddressList;

GQuark         ep_address_error_quark      (void);
GType          ep_address_get_type         (void) G_GNUC_CONST;

EpAddress     *ep_address_parse            (const char       *text,
                                            GError          **error);
EpAddress     *ep_address_copy             (const EpAddress  *self);
void           ep_address_free             (EpAddress        *self);
const char    *ep_address_get_name         (const EpAddress  *self);
const char    *ep_address_get_addr_spec    (const EpAddress  *self);
const char    *ep_address_get_ascii        (const EpAddress  *self);
const char    *ep_address_get_domain       (const EpAddress  *self);
gboolean       ep_address_needs_smtputf8   (const EpAddress  *self);
char          *ep_address_to_string        (const EpAddress  *self);
gboolean       ep_address_equal            (const EpAddress  *a,
                                            const EpAddress  *b);

char         **ep_address_split            (const char       *text,
                                            GError          **error);

EpAddressList *ep_address_list_new         (void);
EpAddressList *ep_address_list_parse       (const char       *text,
                                            GError          **error);
EpAddressList *ep_address_list_ref         (EpAddressList    *self);
void           ep_address_list_unref       (EpAddressList    *self);
guint          ep_address_list_get_length  (const EpAddressList *self);
const EpAddress *ep_address_list_get       (const EpAddressList *self,
                                            guint             index);
gboolean       ep_address_list_contains    (const EpAddressList *self,
                                            const EpAddress  *address);
gboolean       ep_address_list_add         (EpAddressList    *self,
                                            const EpAddress  *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpAddress, ep_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpAddressList, ep_address_list_unref)

G_END_DECLS
