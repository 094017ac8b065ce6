/* ep-send-result.c — what happened to each recipient, and the server's last word
 *
 * Copyright 2026 The Epistle authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Filled in by the worker as the send goes; handed to the main thread only
 * when the send is over, so it needs no lock.
 */
#include "ep-send-result.h"

typedef struct
{
  char *address;
  char *reply;
  gboolean accepted;
} Recipient;

struct _EpSendResult
{
  GObject parent_instance;

  /* Owned */
  GArray *recipients;   /* Recipient */
  char *final_reply;
  char *message_id;
  GMimeMessage *message;    /* what was sent, for the Sent copy */

  guint64 size;
  gboolean delivered;
  gboolean unconfirmed;
};

G_DEFINE_FINAL_TYPE (EpSendResult, ep_send_result, G_TYPE_OBJECT)

static void
recipient_clear (gpointer data)
{
  Recipient *recipient = data;

  g_free (recipient->address);
  g_free (recipient->reply);
}

static void
ep_send_result_finalize (GObject *object)
{
  EpSendResult *self = EP_SEND_RESULT (object);

  g_array_unref (self->recipients);
  g_free (self->final_reply);
  g_free (self->message_id);
  g_clear_object (&self->message);

  G_OBJECT_CLASS (ep_send_result_parent_class)->finalize (object);
}

static void
ep_send_result_class_init (EpSendResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ep_send_result_finalize;
}

static void
ep_send_result_init (EpSendResult *self)
{
  self->recipients = g_array_new (FALSE, TRUE, sizeof (Recipient));
  g_array_set_clear_func (self->recipients, recipient_clear);
}

EpSendResult *
ep_send_result_new (void)
{
  return g_object_new (EP_TYPE_SEND_RESULT, NULL);
}

/* @reply: the server's answer to RCPT, such as “550 5.1.1 … User unknown” */
void
ep_send_result_add_recipient (EpSendResult *self,
                              const char   *address,
                              gboolean      accepted,
                              const char   *reply)
{
  Recipient recipient;

  g_return_if_fail (EP_IS_SEND_RESULT (self));
  g_return_if_fail (address != NULL);

  recipient.address = g_strdup (address);
  recipient.reply = g_strdup (reply);
  recipient.accepted = accepted;
  g_array_append_val (self->recipients, recipient);
}

guint
ep_send_result_get_n_recipients (EpSendResult *self)
{
  g_return_val_if_fail (EP_IS_SEND_RESULT (self), 0);
  return self->recipients->len;
}

const char *
ep_send_result_get_recipient (EpSendResult  *self,
                              guint          index,
                              gboolean      *accepted,
                              const char   **reply)
{
  Recipient *recipient;

  g_return_val_if_fail (EP_IS_SEND_RESULT (self), NULL);
  g_return_val_if_fail (index < self->recipients->len, NULL);

  recipient = &g_array_index (self->recipients, Recipient, index);
  if (accepted != NULL)
    *accepted = recipient->accepted;
  if (reply != NULL)
    *reply = recipient->reply;
  return recipient->address;
}

guint
ep_send_result_get_n_accepted (EpSendResult *self)
{
  guint n = 0;

  g_return_val_if_fail (EP_IS_SEND_RESULT (self), 0);

  for (guint i = 0; i < self->recipients->len; i++)
    n += g_array_index (self->recipients, Recipient, i).accepted;
  return n;
}

#define DEFINE_STRING_FIELD(field)                                              \
  void                                                                          \
  ep_send_result_set_##field (EpSendResult *self,                               \
                              const char   *value)                              \
  {                                                                             \
    g_return_if_fail (EP_IS_SEND_RESULT (self));                                \
    g_free (self->field);                                                       \
    self->field = g_strdup (value);                                             \
  }                                                                             \
                                                                                \
  const char *                                                                  \
  ep_send_result_get_##field (EpSendResult *self)                               \
  {                                                                             \
    g_return_val_if_fail (EP_IS_SEND_RESULT (self), NULL);                      \
    return self->field;                                                         \
  }

DEFINE_STRING_FIELD (final_reply)
DEFINE_STRING_FIELD (message_id)

void
ep_send_result_set_delivered (EpSendResult *self,
                              gboolean      delivered)
{
  g_return_if_fail (EP_IS_SEND_RESULT (self));
  self->delivered = delivered;
}

/* Whether the server took the message for at least one recipient. */
/**
 * ep_send_result_set_unconfirmed:
 * @unconfirmed: the whole message reached the server, which never said
 *   whether it took it: it may have been delivered, so sending it again
 *   may deliver it twice; also set when the try was cancelled after
 *   DATA/BDAT began
 */
void
ep_send_result_set_unconfirmed (EpSendResult *self,
                                gboolean      unconfirmed)
{
  g_return_if_fail (EP_IS_SEND_RESULT (self));
  self->unconfirmed = unconfirmed;
}

gboolean
ep_send_result_get_unconfirmed (EpSendResult *self)
{
  g_return_val_if_fail (EP_IS_SEND_RESULT (self), FALSE);
  return self->unconfirmed;
}

gboolean
ep_send_result_get_delivered (EpSendResult *self)
{
  g_return_val_if_fail (EP_IS_SEND_RESULT (self), FALSE);
  return self->delivered;
}

void
ep_send_result_set_size (EpSendResult *self,
                         guint64       size)
{
  g_return_if_fail (EP_IS_SEND_RESULT (self));
  self->size = size;
}

guint64
ep_send_result_get_size (EpSendResult *self)
{
  g_return_val_if_fail (EP_IS_SEND_RESULT (self), 0);
  return self->size;
}

/* The message as built and sent: writing it again gives the same bytes (a Sent copy). */
void
ep_send_result_set_message (EpSendResult *self,
                            GMimeMessage *message)
{
  g_return_if_fail (EP_IS_SEND_RESULT (self));
  g_return_if_fail (message == NULL || GMIME_IS_MESSAGE (message));

  g_set_object (&self->message, message);
}

/* Returns: (transfer none) (nullable): the message that was sent */
GMimeMessage *
ep_send_result_get_message (EpSendResult *self)
{
  g_return_val_if_fail (EP_IS_SEND_RESULT (self), NULL);
  return self->message;
}
