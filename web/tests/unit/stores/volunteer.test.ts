import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { formatHours, useVolunteerStore } from '@/stores/volunteer'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

const record = (id: number, day: number, minutes: number) => ({
  id,
  event_id: id,
  org_id: 3,
  org_name: '博睿社工',
  title: `服务 ${id}`,
  service_date_ms: day,
  minutes,
  recorded_at_ms: day,
})

describe('volunteer store', () => {
  it('shows hours with one decimal from whole minutes', () => {
    expect(formatHours(0)).toBe('0.0')
    expect(formatHours(90)).toBe('1.5')
    expect(formatHours(100)).toBe('1.7')
    expect(formatHours(600)).toBe('10.0')
    expect(formatHours(1)).toBe('0.0')
    expect(formatHours(3)).toBe('0.1')
  })

  it('loads null for someone not registered, then registers', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/volunteers/me': jsonResponse(200, { volunteer: null, records: [] }),
      'POST /api/v1/volunteers/me': jsonResponse(201, { volunteer: { user_id: 7, real_name: '陈阿姨', registered_at_ms: 1, total_minutes: 0 } }),
    })
    const store = useVolunteerStore()
    await store.load()
    expect(store.loaded).toBe(true)
    expect(store.volunteer).toBeNull()
    await store.registerMe('陈阿姨')
    expect(store.volunteer?.real_name).toBe('陈阿姨')
    expect(requests[1]?.body).toEqual({ real_name: '陈阿姨' })
  })

  it('lists records most recent first', async () => {
    stubFetch({
      'GET /api/v1/volunteers/me': jsonResponse(200, {
        volunteer: { user_id: 7, real_name: '陈阿姨', registered_at_ms: 1, total_minutes: 330 },
        records: [record(1, 100, 120), record(2, 300, 90), record(3, 200, 120)],
      }),
    })
    const store = useVolunteerStore()
    await store.load()
    expect(store.sortedRecords.map((r) => r.id)).toEqual([2, 3, 1])
  })

  it('reports already_volunteer', async () => {
    stubFetch({ 'POST /api/v1/volunteers/me': errorResponse(409, 'already_volunteer', '已是志愿者') })
    expect(await useVolunteerStore().registerMe('x')).toMatchObject({ ok: false, error: { code: 'already_volunteer' } })
  })
})
