/**
 * 签到 for staff, online or not. Online, a scan is sent at once and the server's answer shown
 * (first time, or "already at HH:mm"). Offline (the browser says so, or the request got no
 * response), the scan joins a persistent queue (offline/checkinQueue.ts) and the cached
 * attendance list tells whose ticket it is; the queue is sent when the page opens, when the
 * network returns, and after every successful online scan.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { NetworkError } from '@/api/client'
import * as eventsApi from '@/api/events'
import {
  AttendanceCache,
  browserStorage,
  type CachedAttendance,
  CheckinQueue,
  newClientId,
  type QueuedScan,
  type RejectedScan,
  type SyncReport,
} from '@/offline/checkinQueue'
import { useAuthStore } from './auth'
import { fail, ok, toFormError, type Result } from './result'

export { isTicketCode, normaliseTicketCode } from '@/offline/checkinQueue'
export type { QueuedScan, RejectedScan } from '@/offline/checkinQueue'

/**
 * What one scan came to: `checked_in` (the server took it now), `already` (checked in before, at
 * `at_ms`), or `queued` (offline: it will be sent later). `name` is null when an offline code is
 * not in the cached list.
 */
export interface ScanOutcome {
  kind: 'checked_in' | 'already' | 'queued'
  ticket_code: string
  name: string | null
  seats: number | null
  at_ms: number
  /** Answered from the cached list, not the server. */
  offline: boolean
}

function browserOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false
}

export const useCheckinStore = defineStore('checkin', () => {
  const auth = useAuthStore()
  const storage = browserStorage()
  const cache = new AttendanceCache(storage)
  const queue = new CheckinQueue(storage, eventsApi.checkIn)

  const eventId = ref<number | null>(null)
  const attendance = ref<CachedAttendance | null>(null)
  /** True while the list shown is the saved copy (the server could not be reached). */
  const fromCache = ref(false)
  const pending = ref<QueuedScan[]>([])
  const rejected = ref<RejectedScan[]>([])
  const syncing = ref(false)

  const checkedInCount = computed(
    () => attendance.value?.registrations.filter((r) => r.status === 'confirmed' && r.checked_in_at_ms !== null).length ?? 0,
  )
  const confirmedCount = computed(() => attendance.value?.registrations.filter((r) => r.status === 'confirmed').length ?? 0)

  function refreshQueues(): void {
    const id = eventId.value
    pending.value = id === null ? [] : queue.pending(id)
    rejected.value = id === null ? [] : queue.rejected(id)
  }

  /** Marks the still-queued scans in a freshly fetched list, which does not know them yet. */
  function applyPending(id: number): void {
    for (const scan of queue.pending(id)) {
      cache.markCheckedIn(id, scan.ticket_code, scan.scanned_at_ms)
    }
    attendance.value = cache.load(id)
  }

  /** Opens the page for one event: the saved list at once, then the server's, then a sync. */
  async function open(id: number): Promise<Result> {
    eventId.value = id
    attendance.value = cache.load(id)
    fromCache.value = attendance.value !== null
    refreshQueues()
    const result = await refreshList()
    if (pending.value.length > 0) {
      void sync()
    }
    return result
  }

  /** Fetches the attendance list and saves it for offline use. */
  async function refreshList(): Promise<Result> {
    const id = eventId.value
    if (id === null) {
      return ok()
    }
    try {
      const list = await eventsApi.getAttendance(id)
      cache.save(list, Date.now())
      applyPending(id)
      fromCache.value = false
      return ok()
    } catch (error) {
      const formError = toFormError(error)
      if (formError.status === 401) {
        auth.clear()
      }
      return fail(formError)
    }
  }

  function queueScan(id: number, code: string, nowMs: number): Result<ScanOutcome> {
    const known = cache.find(id, code)
    if (known !== null && known.status !== 'confirmed') {
      return fail({ code: 'ticket_not_valid', message: null, field: 'ticket_code', retryAfterSeconds: null, status: null })
    }
    const queued = queue.pending(id).find((s) => s.ticket_code === code)
    const firstAt = known?.checked_in_at_ms ?? queued?.scanned_at_ms ?? null
    if (firstAt !== null) {
      return ok({ kind: 'already', ticket_code: code, name: known?.name ?? null, seats: known?.seats ?? null, at_ms: firstAt, offline: true })
    }
    queue.enqueue({ client_id: newClientId(), event_id: id, ticket_code: code, scanned_at_ms: nowMs })
    attendance.value = cache.markCheckedIn(id, code, nowMs) ?? attendance.value
    refreshQueues()
    return ok({ kind: 'queued', ticket_code: code, name: known?.name ?? null, seats: known?.seats ?? null, at_ms: nowMs, offline: true })
  }

  /**
   * Checks a ticket code in (already normalised, see `normaliseTicketCode`). Server refusals
   * (`ticket_not_found`, `ticket_not_valid`, `checkin_not_open`, `event_cancelled`) come back as
   * errors; no response at all queues the scan.
   */
  async function scan(code: string, nowMs: number = Date.now()): Promise<Result<ScanOutcome>> {
    const id = eventId.value
    if (id === null) {
      return fail({ code: 'unknown', message: null, field: null, retryAfterSeconds: null, status: null })
    }
    if (!browserOnline()) {
      return queueScan(id, code, nowMs)
    }
    try {
      const { checkin, already } = await eventsApi.checkIn(id, { ticket_code: code, client_id: newClientId(), scanned_at_ms: nowMs })
      attendance.value = cache.markCheckedIn(id, code, checkin.checked_in_at_ms, true) ?? attendance.value
      if (pending.value.length > 0) {
        void sync()
      }
      return ok({
        kind: already ? 'already' : 'checked_in',
        ticket_code: checkin.ticket_code,
        name: checkin.name,
        seats: checkin.seats,
        at_ms: checkin.checked_in_at_ms,
        offline: false,
      })
    } catch (error) {
      if (error instanceof NetworkError) {
        return queueScan(id, code, nowMs)
      }
      const formError = toFormError(error)
      if (formError.status === 401) {
        auth.clear()
      }
      return fail(formError)
    }
  }

  /** Sends the queued scans (every event's); the shown list takes the server's times. */
  async function sync(): Promise<SyncReport> {
    syncing.value = true
    const report = await queue.sync()
    syncing.value = false
    for (const { scan: sent, response } of report.sent) {
      cache.markCheckedIn(sent.event_id, sent.ticket_code, response.checkin.checked_in_at_ms, true)
    }
    if (eventId.value !== null) {
      attendance.value = cache.load(eventId.value) ?? attendance.value
    }
    refreshQueues()
    return report
  }

  function dismissRejected(clientId: string): void {
    queue.dismissRejected(clientId)
    refreshQueues()
  }

  return {
    eventId,
    attendance,
    fromCache,
    pending,
    rejected,
    syncing,
    checkedInCount,
    confirmedCount,
    open,
    refreshList,
    scan,
    sync,
    dismissRejected,
  }
})
