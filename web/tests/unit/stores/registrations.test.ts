import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useRegistrationsStore } from '@/stores/registrations'
import { HOUR, myRegistration, NOW, REG_ID, regId } from '../support/events'
import { jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('registrations store', () => {
  it('splits my registrations into upcoming (soonest first) and past (latest first)', async () => {
    const later = myRegistration({ id: regId(1), event_id: 1 }, { starts_at_ms: NOW + 48 * HOUR, ends_at_ms: NOW + 50 * HOUR })
    const soon = myRegistration({ id: regId(2), event_id: 2 }, { starts_at_ms: NOW + 2 * HOUR, ends_at_ms: NOW + 4 * HOUR })
    const old = myRegistration({ id: regId(3), event_id: 3 }, { starts_at_ms: NOW - 100 * HOUR, ends_at_ms: NOW - 98 * HOUR })
    const older = myRegistration({ id: regId(4), event_id: 4 }, { starts_at_ms: NOW - 200 * HOUR, ends_at_ms: NOW - 198 * HOUR })
    stubFetch({ 'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [later, soon, older, old] }) })
    const store = useRegistrationsStore()
    await store.load()
    expect(store.upcoming(NOW).map((r) => r.id)).toEqual([regId(2), regId(1)])
    expect(store.past(NOW).map((r) => r.id)).toEqual([regId(3), regId(4)])
  })

  it('finds one registration, loading the list when needed', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [myRegistration()] }) })
    const store = useRegistrationsStore()
    expect(await store.find(REG_ID)).toMatchObject({ ok: true, value: { id: REG_ID } })
    expect(await store.find(REG_ID)).toMatchObject({ ok: true, value: { id: REG_ID } })
    expect(requests).toHaveLength(1)
    expect(await store.find(regId(99))).toEqual({ ok: true, value: null })
  })
})
