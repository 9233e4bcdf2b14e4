import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { useEventAdminStore } from '@/stores/eventAdmin'
import { careEvent, registration, staffUser } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

const stats = { registrations: 2, seats_confirmed: 3, seats_waitlisted: 1, checked_in: 1, checked_in_seats: 2, no_shows: 0, attendance_rate: 0.5 }

beforeEach(() => {
  setActivePinia(createPinia())
})

function signInStaff(roles = staffUser.roles as unknown as typeof staffUser.roles[number][]) {
  const auth = useAuthStore()
  auth.user = { ...staffUser, roles: [...roles] } as unknown as typeof auth.user
}

describe('event admin store', () => {
  it('lists the organisations I am staff of, once each', () => {
    signInStaff([
      ...staffUser.roles,
      { role: 'org_staff', org_id: 3, org_name: '博睿社工', village_id: null, village_name: null },
      { role: 'org_staff', org_id: 4, org_name: '启创社工', village_id: null, village_name: null },
      { role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null },
    ] as never)
    expect(useEventAdminStore().staffOrgs).toEqual([
      { id: 3, name: '博睿社工' },
      { id: 4, name: '启创社工' },
    ])
  })

  it('loads an organisation’s events across pages', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/events': (request) =>
        new URL(request.url, 'http://x').searchParams.get('cursor') === null
          ? jsonResponse(200, { events: [careEvent({ id: 1 })], next_cursor: 'n' })
          : jsonResponse(200, { events: [careEvent({ id: 2 })], next_cursor: null }),
    })
    const store = useEventAdminStore()
    await store.loadOrgEvents(3, 1000)
    expect(store.orgEvents.map((e) => e.id)).toEqual([1, 2])
    expect(requests[0]?.url).toBe('/api/v1/events?org_id=3&from_ms=1000&limit=50')
  })

  it('loads attendance and stats together; capacity and cancel update the event', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, { event: careEvent(), registrations: [registration()] }),
      'GET /api/v1/events/1/stats': jsonResponse(200, stats),
      'PATCH /api/v1/events/1': jsonResponse(200, { event: careEvent({ capacity: 40 }) }),
      'POST /api/v1/events/1/cancel': jsonResponse(200, { event: careEvent({ capacity: 40, signup_state: 'cancelled', cancel_reason: '台风' }) }),
    })
    const store = useEventAdminStore()
    expect((await store.loadAttendance(1)).ok).toBe(true)
    expect(store.attendance?.registrations).toHaveLength(1)
    expect(store.stats?.attendance_rate).toBe(0.5)
    await store.changeCapacity(1, 40)
    expect(store.attendance?.event.capacity).toBe(40)
    await store.cancelEvent(1, '台风')
    expect(store.attendance?.event.cancel_reason).toBe('台风')
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ reason: '台风' })
  })

  it('returns capacity_below_confirmed with its field', async () => {
    stubFetch({ 'PATCH /api/v1/events/1': errorResponse(409, 'capacity_below_confirmed', '名额不能少于已确认', 'capacity') })
    expect(await useEventAdminStore().changeCapacity(1, 1)).toMatchObject({ ok: false, error: { code: 'capacity_below_confirmed', field: 'capacity' } })
  })

  it('creates an event', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/events': jsonResponse(201, { event: careEvent({ id: 77 }) }) })
    const body = {
      org_id: 3,
      title: 't',
      type: 'health' as const,
      venue_id: 1,
      starts_at_ms: 3,
      ends_at_ms: 4,
      capacity: 10,
      signup_opens_at_ms: 1,
      signup_closes_at_ms: 2,
    }
    expect(await useEventAdminStore().createEvent(body)).toMatchObject({ ok: true, value: { id: 77 } })
    expect(requests[0]?.body).toEqual(body)
  })
})
