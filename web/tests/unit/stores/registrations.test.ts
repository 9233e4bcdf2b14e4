import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useRegistrationsStore } from '@/stores/registrations'
import { HOUR, myRegistration, NOW } from '../support/events'
import { jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('registrations store', () => {
  it('splits my registrations into upcoming (soonest first) and past (latest first)', async () => {
    const later = myRegistration({ id: 1, event_id: 1 }, { starts_at_ms: NOW + 48 * HOUR, ends_at_ms: NOW + 50 * HOUR })
    const soon = myRegistration({ id: 2, event_id: 2 }, { starts_at_ms: NOW + 2 * HOUR, ends_at_ms: NOW + 4 * HOUR })
    const old = myRegistration({ id: 3, event_id: 3 }, { starts_at_ms: NOW - 100 * HOUR, ends_at_ms: NOW - 98 * HOUR })
    const older = myRegistration({ id: 4, event_id: 4 }, { starts_at_ms: NOW - 200 * HOUR, ends_at_ms: NOW - 198 * HOUR })
    stubFetch({ 'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [later, soon, older, old] }) })
    const store = useRegistrationsStore()
    await store.load()
    expect(store.upcoming(NOW).map((r) => r.id)).toEqual([2, 1])
    expect(store.past(NOW).map((r) => r.id)).toEqual([3, 4])
  })

  it('finds one registration, loading the list when needed', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [myRegistration()] }) })
    const store = useRegistrationsStore()
    expect(await store.find(9)).toMatchObject({ ok: true, value: { id: 9 } })
    expect(await store.find(9)).toMatchObject({ ok: true, value: { id: 9 } })
    expect(requests).toHaveLength(1)
    expect(await store.find(99)).toEqual({ ok: true, value: null })
  })
})
