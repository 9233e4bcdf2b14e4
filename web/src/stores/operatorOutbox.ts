/**
 * 消息发送: the outbox's SMS by status (failed first), paged back by cursor, with the counts of
 * queued and failed messages; 重发 queues a failed one again and shows it as queued.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '@/api/operator'
import { cursorPages } from './cursorPages'
import { attempt, ok, type Result } from './result'

export type { OutboxMessage, OutboxStatus } from '@/api/operator'

export const useOperatorOutboxStore = defineStore('operatorOutbox', () => {
  const status = ref<api.OutboxStatus>('failed')
  const counts = ref<{ queued: number; failed: number } | null>(null)
  const list = cursorPages(async (query: { status?: api.OutboxStatus }, cursor) => {
    const page = await api.listOutbox(query.status ?? 'failed', cursor)
    counts.value = page.counts
    return { items: page.messages, next_cursor: page.next_cursor }
  })

  function show(value: api.OutboxStatus): void {
    status.value = value
    list.setQuery({ status: value })
  }

  async function retry(id: number): Promise<Result> {
    const result = await attempt(() => api.retryOutboxMessage(id))
    if (!result.ok) {
      return result
    }
    const queued = result.value.message
    list.items.value = list.items.value.map((m) => (m.id === id ? queued : m))
    if (counts.value !== null) {
      counts.value = { queued: counts.value.queued + 1, failed: Math.max(0, counts.value.failed - 1) }
    }
    return ok()
  }

  return { status, counts, items: list.items, finished: list.finished, show, loadMore: list.loadMore, retry }
})
