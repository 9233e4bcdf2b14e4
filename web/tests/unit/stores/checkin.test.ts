import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CheckinRequest } from '@/api/events'
import { useCheckinStore } from '@/stores/checkin'
import { careEvent, REG_ID, regId, registration } from '../support/events'
import { errorResponse, jsonResponse, type RecordedRequest, stubFetch } from '../support/fetch'

const attendance = {
  event: careEvent(),
  registrations: [
    registration(),
    registration({ id: regId(10), name: '李伯', ticket_code: 'WAIT0001', status: 'waitlisted', position: 1 }),
  ],
}

function checkinAnswer(request: RecordedRequest, already: boolean, at = 5_000) {
  const body = request.body as CheckinRequest
  return jsonResponse(200, {
    checkin: { registration_id: REG_ID, ticket_code: body.ticket_code, name: '陈阿姨', seats: 1, checked_in_at_ms: at, by_user_id: 8, client_id: body.client_id ?? null },
    already,
  })
}

function goOffline(): void {
  vi.spyOn(window.navigator, 'onLine', 'get').mockReturnValue(false)
}

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  window.localStorage.clear()
})

describe('checkin store', () => {
  it('checks in online, and a second scan answers already with the first time', async () => {
    let seen = false
    const { requests } = stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, attendance),
      'POST /api/v1/events/1/checkins': (request) => {
        const response = checkinAnswer(request, seen)
        seen = true
        return response
      },
    })
    const store = useCheckinStore()
    await store.open(1)
    expect(store.confirmedCount).toBe(1)
    const first = await store.scan('K7M2Q9XD', 4_000)
    expect(first).toMatchObject({ ok: true, value: { kind: 'checked_in', name: '陈阿姨', at_ms: 5_000, offline: false } })
    expect(store.checkedInCount).toBe(1)
    const second = await store.scan('K7M2Q9XD', 6_000)
    expect(second).toMatchObject({ ok: true, value: { kind: 'already', at_ms: 5_000 } })
    const posted = requests.filter((r) => r.method === 'POST').map((r) => r.body as CheckinRequest)
    expect(posted[0]).toMatchObject({ ticket_code: 'K7M2Q9XD', scanned_at_ms: 4_000 })
    expect(posted[0]?.client_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(posted[0]?.client_id).not.toBe(posted[1]?.client_id)
  })

  it('returns server refusals as errors', async () => {
    stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, attendance),
      'POST /api/v1/events/1/checkins': errorResponse(404, 'ticket_not_found', '没有这张票'),
    })
    const store = useCheckinStore()
    await store.open(1)
    expect(await store.scan('NOPE0000')).toMatchObject({ ok: false, error: { code: 'ticket_not_found' } })
    expect(store.pending).toEqual([])
  })

  it('offline: names the holder from the saved list, queues once, and syncs when back online', async () => {
    stubFetch({ 'GET /api/v1/events/1/attendance': jsonResponse(200, attendance) })
    const store = useCheckinStore()
    await store.open(1) // saves the list for offline use

    goOffline()
    const scanned = await store.scan('K7M2Q9XD', 4_000)
    expect(scanned).toMatchObject({ ok: true, value: { kind: 'queued', name: '陈阿姨', at_ms: 4_000, offline: true } })
    const again = await store.scan('K7M2Q9XD', 4_500)
    expect(again).toMatchObject({ ok: true, value: { kind: 'already', at_ms: 4_000, offline: true } })
    expect(store.pending).toHaveLength(1)
    // A waitlisted ticket is refused from the saved list.
    expect(await store.scan('WAIT0001')).toMatchObject({ ok: false, error: { code: 'ticket_not_valid' } })
    // A code not on the list is still kept for the server to judge.
    expect(await store.scan('ZZZZ9999', 4_600)).toMatchObject({ ok: true, value: { kind: 'queued', name: null } })
    expect(store.pending).toHaveLength(2)

    vi.restoreAllMocks()
    const { requests } = stubFetch({
      'POST /api/v1/events/1/checkins': (request) =>
        (request.body as CheckinRequest).ticket_code === 'ZZZZ9999'
          ? errorResponse(404, 'ticket_not_found', '没有这张票')
          : checkinAnswer(request, false, 4_000),
    })
    const report = await store.sync()
    expect(report.sent).toHaveLength(1)
    expect(requests.map((r) => (r.body as CheckinRequest).scanned_at_ms)).toEqual([4_000, 4_600])
    expect(store.pending).toEqual([])
    expect(store.rejected.map((r) => r.ticket_code)).toEqual(['ZZZZ9999'])
    expect(store.checkedInCount).toBe(1)
  })

  it('queues a scan whose request got no response, and sends it when the page opens again', async () => {
    stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, attendance),
      'POST /api/v1/events/1/checkins': () => Promise.reject(new TypeError('Failed to fetch')),
    })
    const store = useCheckinStore()
    await store.open(1)
    expect(await store.scan('K7M2Q9XD', 4_000)).toMatchObject({ ok: true, value: { kind: 'queued', name: '陈阿姨' } })

    setActivePinia(createPinia()) // a reload
    const { requests } = stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, attendance),
      'POST /api/v1/events/1/checkins': (request) => checkinAnswer(request, false, 4_000),
    })
    const reloaded = useCheckinStore()
    expect(reloaded.pending).toEqual([])
    await reloaded.open(1)
    // The fresh list does not know the queued scan yet: it is marked locally until synced.
    await vi.waitFor(() => expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1))
    await vi.waitFor(() => expect(reloaded.pending).toEqual([]))
    expect(reloaded.checkedInCount).toBe(1)
  })

  it('shows the saved list when the server cannot be reached', async () => {
    stubFetch({ 'GET /api/v1/events/1/attendance': jsonResponse(200, attendance) })
    await useCheckinStore().open(1)
    setActivePinia(createPinia())
    stubFetch({ 'GET /api/v1/events/1/attendance': () => Promise.reject(new TypeError('offline')) })
    const store = useCheckinStore()
    const result = await store.open(1)
    expect(result).toMatchObject({ ok: false, error: { code: 'network_error' } })
    expect(store.fromCache).toBe(true)
    expect(store.attendance?.registrations).toHaveLength(2)
  })
})
