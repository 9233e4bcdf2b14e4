/** `/api/v1/admin/notify/*`: the outbox as platform administrators see it (docs/api-accounts.md, "Outbox"). */
import { http } from './client'

export type OutboxStatus = 'failed' | 'queued' | 'sent'
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['failed', 'queued', 'sent']

/** One message, its recipient masked; its parameters are never shown (a code is a secret). */
export interface OutboxMessage {
  id: number
  channel: 'sms' | 'email'
  recipient: string
  user_id: number | null
  template: string
  status: OutboxStatus
  /** Attempts so far. */
  attempts: number
  /** Why the last attempt failed ('' when none did). */
  last_error: string
  created_at_ms: number
  sent_at_ms: number | null
  /** When a queued message is tried next. */
  next_attempt_at_ms: number | null
  provider_ref: string
  retryable: boolean
  /** notify.not_failed, notify.code_not_sent or notify.too_old when it cannot be sent again. */
  not_retryable_because: string | null
}

export interface OutboxPage {
  messages: OutboxMessage[]
  next_cursor: string | null
  counts: { queued: number; failed: number }
}

export function listOutbox(status: OutboxStatus, before: string | null): Promise<OutboxPage> {
  const cursor = before === null ? '' : `&before=${encodeURIComponent(before)}`
  return http.get<OutboxPage>(`/admin/notify/messages?status=${status}${cursor}`)
}

/** Queues a failed message again, due now. */
export function retryOutboxMessage(id: number): Promise<{ message: OutboxMessage }> {
  return http.post<{ message: OutboxMessage }>(`/admin/notify/messages/${id}/retry`, {})
}
