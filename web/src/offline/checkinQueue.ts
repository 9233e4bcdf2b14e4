/**
 * Check-in that keeps working without a network (a village hall with one bar of signal).
 *
 * - `CheckinQueue`: scans made while offline wait in persistent storage, each with its own
 *   `client_id` and the time it was scanned, and are sent when the network returns. The server
 *   is idempotent per ticket, so sending a scan twice (a sync interrupted after the server
 *   answered) is harmless: it answers `already: true`.
 * - `AttendanceCache`: the last attendance list fetched per event, so the page can show whose
 *   ticket a code is while offline, and that it was already checked in.
 *
 * Pure TypeScript: no Vue, no DOM beyond what is injected (storage, the send function), so
 * both are unit-tested with an in-memory storage and a fake send.
 * Not thread-safe across tabs: two tabs syncing the same queue may both send a scan, which the
 * server's idempotency absorbs.
 */
import { ApiError, NetworkError } from '@/api/client'
import type { Attendance, CareEvent, CheckinRequest, CheckinResponse, Registration } from '@/api/events'

/** The part of `Storage` used here; `localStorage` fits, and so does a Map-backed fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** An in-memory storage (tests, and the fallback when localStorage is unavailable). */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>()
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  }
}

/** `localStorage`, or memory when it cannot be used (private mode, some in-app browsers). */
export function browserStorage(): KeyValueStorage {
  try {
    const storage = window.localStorage
    const probe = 'carecity.probe'
    storage.setItem(probe, '1')
    storage.removeItem(probe)
    return storage
  } catch {
    return memoryStorage()
  }
}

/** Ticket codes are 8 characters of 0-9A-Z; people type them with spaces, dashes, lower case. */
export function normaliseTicketCode(text: string): string {
  return text.replace(/[\s-]+/g, '').toUpperCase()
}

export function isTicketCode(code: string): boolean {
  return /^[0-9A-Z]{8}$/.test(code)
}

/** A random id for a scan. `crypto.randomUUID` needs a secure context; fall back to random bytes. */
export function newClientId(): string {
  const c = globalThis.crypto
  if (typeof c.randomUUID === 'function') {
    return c.randomUUID()
  }
  const hex = [...c.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export interface QueuedScan {
  client_id: string
  event_id: number
  ticket_code: string
  scanned_at_ms: number
}

/** A queued scan the server turned down for good (unknown ticket, cancelled registration…). */
export interface RejectedScan extends QueuedScan {
  code: string
  message: string | null
}

export type SendCheckin = (eventId: number, body: CheckinRequest) => Promise<CheckinResponse>

export interface SyncReport {
  /** Scans the server accepted in this sync, with its answers (first time, name). */
  sent: { scan: QueuedScan; response: CheckinResponse }[]
  rejected: RejectedScan[]
  /** Scans still waiting (the network or the server failed part-way). */
  remaining: number
  /** Why the sync stopped early, or null when the queue was worked through. */
  stoppedBy: unknown
}

/**
 * Whether an error means "try again later" (keep the scan) rather than "this scan is wrong"
 * (drop it and tell staff): no response, a server or rate-limit failure, `busy`, or a session
 * that ended (after signing in again the scan goes through).
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError) {
    return true
  }
  if (!(error instanceof ApiError)) {
    return true
  }
  return error.status >= 500 || error.status === 401 || error.status === 403 || error.status === 408 || error.status === 429 || error.code === 'busy'
}

const QUEUE_KEY = 'carecity.checkin.queue'
const REJECTED_KEY = 'carecity.checkin.rejected'

function readList<T>(storage: KeyValueStorage, key: string): T[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]')
    return Array.isArray(parsed) ? (parsed as T[]) : []
  } catch {
    return []
  }
}

function writeList<T>(storage: KeyValueStorage, key: string, list: T[]): void {
  if (list.length === 0) {
    storage.removeItem(key)
  } else {
    storage.setItem(key, JSON.stringify(list))
  }
}

export class CheckinQueue {
  private syncing: Promise<SyncReport> | null = null

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly send: SendCheckin,
  ) {}

  /** Scans waiting to be sent, oldest first (all events, or one). */
  pending(eventId?: number): QueuedScan[] {
    const all = readList<QueuedScan>(this.storage, QUEUE_KEY)
    return eventId === undefined ? all : all.filter((s) => s.event_id === eventId)
  }

  rejected(eventId?: number): RejectedScan[] {
    const all = readList<RejectedScan>(this.storage, REJECTED_KEY)
    return eventId === undefined ? all : all.filter((s) => s.event_id === eventId)
  }

  /** Stores a scan to send later. The same `client_id` twice is kept once. */
  enqueue(scan: QueuedScan): void {
    const list = this.pending()
    if (!list.some((s) => s.client_id === scan.client_id)) {
      writeList(this.storage, QUEUE_KEY, [...list, scan])
    }
  }

  /** Staff have read a rejected scan's reason. */
  dismissRejected(clientId: string): void {
    writeList(
      this.storage,
      REJECTED_KEY,
      this.rejected().filter((s) => s.client_id !== clientId),
    )
  }

  /**
   * Sends the waiting scans in scan order. A scan leaves the queue only once the server has
   * answered it: accepted (`sent`) or turned down for good (`rejected`, kept for staff to see).
   * The first transient failure stops the sync and keeps that scan and the rest for next time.
   * Concurrent calls share one run; scans queued during a run wait for the next one.
   */
  sync(): Promise<SyncReport> {
    if (this.syncing === null) {
      this.syncing = this.run().finally(() => {
        this.syncing = null
      })
    }
    return this.syncing
  }

  private async run(): Promise<SyncReport> {
    const report: SyncReport = { sent: [], rejected: [], remaining: 0, stoppedBy: null }
    for (const scan of this.pending()) {
      try {
        const response = await this.send(scan.event_id, {
          ticket_code: scan.ticket_code,
          client_id: scan.client_id,
          scanned_at_ms: scan.scanned_at_ms,
        })
        this.remove(scan.client_id)
        report.sent.push({ scan, response })
      } catch (error) {
        if (isTransient(error)) {
          report.stoppedBy = error
          break
        }
        const rejected: RejectedScan = {
          ...scan,
          code: error instanceof ApiError ? error.code : 'unknown',
          message: error instanceof ApiError && error.message !== '' ? error.message : null,
        }
        this.remove(scan.client_id)
        writeList(this.storage, REJECTED_KEY, [...this.rejected(), rejected])
        report.rejected.push(rejected)
      }
    }
    report.remaining = this.pending().length
    return report
  }

  /** Re-reads the stored list so scans queued while a send was in flight are kept. */
  private remove(clientId: string): void {
    writeList(
      this.storage,
      QUEUE_KEY,
      this.pending().filter((s) => s.client_id !== clientId),
    )
  }
}

export interface CachedAttendance {
  event: CareEvent
  registrations: Registration[]
  saved_at_ms: number
}

const ATTENDANCE_PREFIX = 'carecity.checkin.attendance.'
const ATTENDANCE_INDEX = 'carecity.checkin.attendance'
/** Lists kept at once; the oldest is dropped (localStorage is small). */
export const ATTENDANCE_KEEP = 5

export class AttendanceCache {
  constructor(private readonly storage: KeyValueStorage) {}

  /** Saves an event's list, keeping at most `ATTENDANCE_KEEP` events. */
  save(attendance: Attendance, nowMs: number): CachedAttendance {
    const cached: CachedAttendance = { event: attendance.event, registrations: attendance.registrations, saved_at_ms: nowMs }
    const id = attendance.event.id
    const index = [id, ...readList<number>(this.storage, ATTENDANCE_INDEX).filter((e) => e !== id)]
    for (const dropped of index.slice(ATTENDANCE_KEEP)) {
      this.storage.removeItem(ATTENDANCE_PREFIX + dropped)
    }
    try {
      this.storage.setItem(ATTENDANCE_PREFIX + id, JSON.stringify(cached))
      writeList(this.storage, ATTENDANCE_INDEX, index.slice(0, ATTENDANCE_KEEP))
    } catch {
      // Storage full: the page still works online, just without the offline names.
    }
    return cached
  }

  load(eventId: number): CachedAttendance | null {
    try {
      const text = this.storage.getItem(ATTENDANCE_PREFIX + eventId)
      const parsed = text === null ? null : (JSON.parse(text) as CachedAttendance)
      return parsed !== null && Array.isArray(parsed.registrations) ? parsed : null
    } catch {
      return null
    }
  }

  /** The registration holding this ticket code, from the cached list. */
  find(eventId: number, ticketCode: string): Registration | null {
    return this.load(eventId)?.registrations.find((r) => r.ticket_code === ticketCode) ?? null
  }

  /**
   * Records a check-in in the cached list so offline repeats show it. A local (offline) mark
   * never replaces a time already there; the server's time (`fromServer`) always does.
   */
  markCheckedIn(eventId: number, ticketCode: string, atMs: number, fromServer = false): CachedAttendance | null {
    const cached = this.load(eventId)
    if (cached === null) {
      return null
    }
    const registrations = cached.registrations.map((r) =>
      r.ticket_code === ticketCode && (fromServer || r.checked_in_at_ms === null) ? { ...r, checked_in_at_ms: atMs } : r,
    )
    const next = { ...cached, registrations }
    try {
      this.storage.setItem(ATTENDANCE_PREFIX + eventId, JSON.stringify(next))
    } catch {
      // See save().
    }
    return next
  }
}
