import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { EVENTS_PAGE_SIZE, isActiveRegistration, useEventsStore } from '@/stores/events'
import { careEvent, REG_ID, registration } from '../support/events'
import { emptyResponse, errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('events store', () => {
  it('pages through the list with the filters and next_cursor until it is null', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/events': (request) =>
        new URL(request.url, 'http://x').searchParams.get('cursor') === null
          ? jsonResponse(200, { events: [careEvent({ id: 1 }), careEvent({ id: 2 })], next_cursor: 'c2' })
          : jsonResponse(200, { events: [careEvent({ id: 2 }), careEvent({ id: 3 })], next_cursor: null }),
    })
    const store = useEventsStore()
    store.setQuery({ type: 'elderly', village_id: 1 })
    await store.loadMore()
    await store.loadMore()
    await store.loadMore()
    expect(store.events.map((e) => e.id)).toEqual([1, 2, 3])
    expect(store.finished).toBe(true)
    expect(requests.map((r) => r.url)).toEqual([
      `/api/v1/events?type=elderly&village_id=1&limit=${EVENTS_PAGE_SIZE}`,
      `/api/v1/events?type=elderly&village_id=1&cursor=c2&limit=${EVENTS_PAGE_SIZE}`,
    ])
  })

  it('drops a page that arrives after the filters changed', async () => {
    let release: (() => void) | null = null
    stubFetch({
      'GET /api/v1/events': () =>
        new Promise<Response>((done) => {
          release = () => done(jsonResponse(200, { events: [careEvent({ id: 9 })], next_cursor: null }))
        }),
    })
    const store = useEventsStore()
    const pending = store.loadMore()
    await Promise.resolve()
    store.setQuery({ type: 'health' })
    release!()
    await pending
    expect(store.events).toEqual([])
    expect(store.finished).toBe(false)
  })

  it('loads an event with my registration, or null when signed out', async () => {
    stubFetch({ 'GET /api/v1/events/1': jsonResponse(200, { event: careEvent(), my_registration: registration() }) })
    const store = useEventsStore()
    expect((await store.load(1)).ok).toBe(true)
    expect(store.current?.title).toBe('长者智能手机课堂')
    expect(store.myRegistration?.ticket_code).toBe('K7M2Q9XD')

    stubFetch({ 'GET /api/v1/events/2': jsonResponse(200, { event: careEvent({ id: 2 }) }) })
    await store.load(2)
    expect(store.myRegistration).toBeNull()
  })

  it('returns event_not_found as a value', async () => {
    stubFetch({ 'GET /api/v1/events/5': errorResponse(404, 'event_not_found', '活动不存在') })
    const result = await useEventsStore().load(5)
    expect(result).toMatchObject({ ok: false, error: { code: 'event_not_found', status: 404 } })
  })

  it('signs up and keeps the new registration; a 401 signs out locally', async () => {
    stubFetch({
      'GET /api/v1/events/1': jsonResponse(200, { event: careEvent(), my_registration: null }),
      'POST /api/v1/events/1/registrations': jsonResponse(201, { registration: registration() }),
    })
    const store = useEventsStore()
    await store.load(1)
    const result = await store.register(1, { seats: 1, answers: { q1: '需要' } })
    expect(result).toMatchObject({ ok: true, value: { status: 'confirmed' } })
    expect(store.myRegistration?.id).toBe(REG_ID)

    const auth = useAuthStore()
    auth.user = { ...sampleUser, roles: [...sampleUser.roles] } as typeof auth.user
    stubFetch({ 'POST /api/v1/events/1/registrations': errorResponse(401, 'unauthenticated', '') })
    await store.register(1, { seats: 1, answers: {} })
    expect(auth.user).toBeNull()
  })

  it('passes field errors through (answers.q1)', async () => {
    stubFetch({ 'POST /api/v1/events/1/registrations': errorResponse(400, 'invalid_choice', '请选择', 'answers.q1') })
    const result = await useEventsStore().register(1, { seats: 1, answers: { q1: 'x' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_choice', field: 'answers.q1' } })
  })

  it('cancels and confirms an offer', async () => {
    stubFetch({
      'GET /api/v1/events/1': jsonResponse(200, { event: careEvent(), my_registration: registration({ status: 'offered', ticket_code: null }) }),
      [`POST /api/v1/events/1/registrations/${REG_ID}/confirm`]: jsonResponse(200, { registration: registration() }),
      [`DELETE /api/v1/events/1/registrations/${REG_ID}`]: emptyResponse(204),
    })
    const store = useEventsStore()
    await store.load(1)
    await store.confirmOffer(1, REG_ID)
    expect(store.myRegistration?.status).toBe('confirmed')
    expect((await store.cancelRegistration(1, REG_ID)).ok).toBe(true)
    expect(store.myRegistration?.status).toBe('cancelled')
  })

  it('says which registrations are active', () => {
    expect(isActiveRegistration(registration())).toBe(true)
    expect(isActiveRegistration(registration({ status: 'waitlisted' }))).toBe(true)
    expect(isActiveRegistration(registration({ status: 'offered' }))).toBe(true)
    expect(isActiveRegistration(registration({ status: 'cancelled' }))).toBe(false)
    expect(isActiveRegistration(null)).toBe(false)
  })
})
