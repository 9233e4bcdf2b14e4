import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useHomeStore } from '@/stores/home'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { home } from '../support/home'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('home store', () => {
  it('loads the whole home page in one GET /home', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/home': jsonResponse(200, home()) })
    const store = useHomeStore()
    expect((await store.load()).ok).toBe(true)
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/home'])
    expect(store.home?.threads[0]?.board_name).toBe('居民议事')
    expect(store.error).toBeNull()
    expect(store.loading).toBe(false)
  })

  it('keeps the answer it has when a reload fails, and clears the failure on the next success', async () => {
    let fail = false
    stubFetch({ 'GET /api/v1/home': () => (fail ? errorResponse(503, 'unavailable', '服务暂时不可用') : jsonResponse(200, home())) })
    const store = useHomeStore()
    await store.load()
    fail = true
    const result = await store.load()
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', status: 503 } })
    expect(store.home?.events).toHaveLength(2)
    expect(store.error?.code).toBe('unavailable')
    fail = false
    await store.load()
    expect(store.error).toBeNull()
  })
})
