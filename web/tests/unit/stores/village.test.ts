import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useVillageStore } from '@/stores/village'
import { villages } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('village store', () => {
  it('loads the villages once, even when asked twice at once', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/villages': jsonResponse(200, { villages }) })
    const store = useVillageStore()
    await Promise.all([store.ensureVillages(), store.ensureVillages()])
    await store.ensureVillages()
    expect(requests).toHaveLength(1)
    expect(store.villages.map((v) => v.name)).toEqual(['叠滘村', '夏北社区'])
  })

  it('reads and sets my home village', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me/village': jsonResponse(200, { village: null }),
      'PUT /api/v1/me/village': jsonResponse(200, { village: { id: 1, name: '叠滘村' } }),
    })
    const store = useVillageStore()
    expect(store.mine).toBeUndefined()
    await store.loadMine()
    expect(store.mine).toBeNull()
    await store.setMine(1)
    expect(store.mine).toEqual({ id: 1, name: '叠滘村' })
    expect(requests[1]?.body).toEqual({ village_id: 1 })
  })

  it('reports village_not_found', async () => {
    stubFetch({ 'PUT /api/v1/me/village': errorResponse(404, 'village_not_found', '村（居）不存在') })
    expect(await useVillageStore().setMine(99)).toMatchObject({ ok: false, error: { code: 'village_not_found' } })
  })
})
