import { describe, expect, it, vi } from 'vitest'
import { ApiError, NetworkError } from '@/api/client'
import type { CheckinRequest, CheckinResponse } from '@/api/events'
import {
  ATTENDANCE_KEEP,
  AttendanceCache,
  CheckinQueue,
  isTicketCode,
  memoryStorage,
  normaliseTicketCode,
  type QueuedScan,
} from '@/offline/checkinQueue'
import { careEvent, REG_ID, regId, registration } from '../support/events'

const scan = (n: number, extra: Partial<QueuedScan> = {}): QueuedScan => ({
  client_id: `client-${n}`,
  event_id: 1,
  ticket_code: `TICKET0${n}`,
  scanned_at_ms: 1_000 + n,
  ...extra,
})

function answer(body: CheckinRequest, already = false, at = 5_000): CheckinResponse {
  return {
    checkin: { registration_id: REG_ID, ticket_code: body.ticket_code, name: '陈阿姨', seats: 1, checked_in_at_ms: at, by_user_id: 8, client_id: body.client_id ?? null },
    already,
  }
}

describe('CheckinQueue', () => {
  it('keeps offline scans until a sync succeeds, sends each with its client id and scan time, then empties', async () => {
    const storage = memoryStorage()
    let online = false
    const send = vi.fn(async (_eventId: number, body: CheckinRequest) => {
      if (!online) {
        throw new NetworkError(new TypeError('Failed to fetch'))
      }
      return answer(body)
    })
    const queue = new CheckinQueue(storage, send)
    queue.enqueue(scan(1))
    queue.enqueue(scan(2))

    // Still offline: the first send fails, nothing leaves the queue.
    const first = await queue.sync()
    expect(first).toMatchObject({ sent: [], rejected: [], remaining: 2 })
    expect(first.stoppedBy).toBeInstanceOf(NetworkError)
    expect(send).toHaveBeenCalledTimes(1)
    expect(queue.pending().map((s) => s.client_id)).toEqual(['client-1', 'client-2'])

    // Online: every scan is sent, in order, and the queue is empty.
    online = true
    const second = await queue.sync()
    expect(second.sent.map((s) => s.scan.client_id)).toEqual(['client-1', 'client-2'])
    expect(second.remaining).toBe(0)
    expect(send.mock.calls.slice(1)).toEqual([
      [1, { ticket_code: 'TICKET01', client_id: 'client-1', scanned_at_ms: 1_001 }],
      [1, { ticket_code: 'TICKET02', client_id: 'client-2', scanned_at_ms: 1_002 }],
    ])
    expect(queue.pending()).toEqual([])
    expect(storage.getItem('carecity.checkin.queue')).toBeNull()
  })

  it('survives a reload: a new queue over the same storage still has the scans', async () => {
    const storage = memoryStorage()
    new CheckinQueue(storage, vi.fn()).enqueue(scan(1))
    const send = vi.fn(async (_id: number, body: CheckinRequest) => answer(body))
    const reloaded = new CheckinQueue(storage, send)
    expect(reloaded.pending()).toHaveLength(1)
    await reloaded.sync()
    expect(send).toHaveBeenCalledTimes(1)
    expect(reloaded.pending()).toEqual([])
  })

  it('treats a replay the server already has (already: true) as done, and stores a client id once', async () => {
    const storage = memoryStorage()
    const send = vi.fn(async (_id: number, body: CheckinRequest) => answer(body, true, 900))
    const queue = new CheckinQueue(storage, send)
    queue.enqueue(scan(1))
    queue.enqueue(scan(1))
    queue.enqueue(scan(2, { ticket_code: 'TICKET01' }))
    expect(queue.pending()).toHaveLength(2)
    const report = await queue.sync()
    expect(report.sent.map((s) => s.response.already)).toEqual([true, true])
    expect(report.sent[0]?.response.checkin.checked_in_at_ms).toBe(900)
    expect(queue.pending()).toEqual([])
    // A second sync has nothing to send.
    await queue.sync()
    expect(send).toHaveBeenCalledTimes(2)
  })

  it('stops at a server failure and keeps that scan and the rest for next time', async () => {
    const storage = memoryStorage()
    let calls = 0
    const send = vi.fn(async (_id: number, body: CheckinRequest) => {
      calls++
      if (calls === 2) {
        throw new ApiError(503, 'overloaded', '', null, 5)
      }
      return answer(body)
    })
    const queue = new CheckinQueue(storage, send)
    ;[1, 2, 3].forEach((n) => queue.enqueue(scan(n)))
    const report = await queue.sync()
    expect(report.sent.map((s) => s.scan.client_id)).toEqual(['client-1'])
    expect(queue.pending().map((s) => s.client_id)).toEqual(['client-2', 'client-3'])
    await queue.sync()
    expect(queue.pending()).toEqual([])
    expect(send).toHaveBeenCalledTimes(4)
  })

  it('moves a scan the server refuses for good to the rejected list, with the reason, and goes on', async () => {
    const storage = memoryStorage()
    const send = vi.fn(async (_id: number, body: CheckinRequest) => {
      if (body.ticket_code === 'TICKET01') {
        throw new ApiError(404, 'ticket_not_found', '没有这张票', null, null)
      }
      return answer(body)
    })
    const queue = new CheckinQueue(storage, send)
    queue.enqueue(scan(1))
    queue.enqueue(scan(2))
    const report = await queue.sync()
    expect(report.rejected).toEqual([{ ...scan(1), code: 'ticket_not_found', message: '没有这张票' }])
    expect(report.sent).toHaveLength(1)
    expect(queue.pending()).toEqual([])
    expect(queue.rejected(1)).toHaveLength(1)
    expect(queue.rejected(2)).toHaveLength(0)
    queue.dismissRejected('client-1')
    expect(queue.rejected()).toEqual([])
  })

  it('keeps scans on 401 (signed out elsewhere) and 429', async () => {
    for (const error of [new ApiError(401, 'unauthenticated', '', null, null), new ApiError(429, 'rate_limited', '', null, 3)]) {
      const queue = new CheckinQueue(memoryStorage(), vi.fn(() => Promise.reject(error)))
      queue.enqueue(scan(1))
      await queue.sync()
      expect(queue.pending()).toHaveLength(1)
      expect(queue.rejected()).toHaveLength(0)
    }
  })

  it('shares one run between concurrent syncs and keeps a scan queued during a send', async () => {
    const storage = memoryStorage()
    let release: (() => void) | null = null
    const send = vi.fn(
      (_id: number, body: CheckinRequest) =>
        new Promise<CheckinResponse>((done) => {
          release = () => done(answer(body))
        }),
    )
    const queue = new CheckinQueue(storage, send)
    queue.enqueue(scan(1))
    const a = queue.sync()
    const b = queue.sync()
    await Promise.resolve()
    queue.enqueue(scan(2))
    release!()
    const [ra, rb] = await Promise.all([a, b])
    expect(ra).toBe(rb)
    expect(send).toHaveBeenCalledTimes(1)
    expect(queue.pending().map((s) => s.client_id)).toEqual(['client-2'])
  })

  it('reads a corrupt stored queue as empty', () => {
    const storage = memoryStorage()
    storage.setItem('carecity.checkin.queue', '{not json')
    expect(new CheckinQueue(storage, vi.fn()).pending()).toEqual([])
  })
})

describe('AttendanceCache', () => {
  const list = (id: number) => ({
    event: careEvent({ id }),
    registrations: [registration({ event_id: id }), registration({ id: regId(10), event_id: id, ticket_code: null, status: 'waitlisted', position: 1 })],
  })

  it('finds a ticket holder offline and remembers check-ins (a local mark never overwrites; the server’s does)', () => {
    const cache = new AttendanceCache(memoryStorage())
    cache.save(list(1), 100)
    expect(cache.find(1, 'K7M2Q9XD')?.name).toBe('陈阿姨')
    expect(cache.find(1, 'NOPE0000')).toBeNull()
    cache.markCheckedIn(1, 'K7M2Q9XD', 200)
    cache.markCheckedIn(1, 'K7M2Q9XD', 300)
    expect(cache.find(1, 'K7M2Q9XD')?.checked_in_at_ms).toBe(200)
    cache.markCheckedIn(1, 'K7M2Q9XD', 150, true)
    expect(cache.find(1, 'K7M2Q9XD')?.checked_in_at_ms).toBe(150)
    expect(cache.load(1)?.saved_at_ms).toBe(100)
  })

  it(`keeps the ${ATTENDANCE_KEEP} most recently saved events`, () => {
    const storage = memoryStorage()
    const cache = new AttendanceCache(storage)
    for (let id = 1; id <= ATTENDANCE_KEEP + 1; id++) {
      cache.save(list(id), id)
    }
    expect(cache.load(1)).toBeNull()
    expect(cache.load(2)).not.toBeNull()
    expect(cache.load(ATTENDANCE_KEEP + 1)).not.toBeNull()
  })
})

describe('ticket codes', () => {
  it('normalises what people type and checks the shape', () => {
    expect(normaliseTicketCode(' k7m2-q9xd ')).toBe('K7M2Q9XD')
    expect(isTicketCode('K7M2Q9XD')).toBe(true)
    expect(isTicketCode('K7M2Q9X')).toBe(false)
    expect(isTicketCode('K7M2Q9X!')).toBe(false)
  })
})
