import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useAuctionAdminStore } from '@/stores/auctionAdmin'
import { LOTS_PAGE_SIZE } from '@/stores/auction'
import { lot, LOT_ID } from '../support/auction'
import { jsonResponse, stubFetch } from '../support/fetch'

const image = (n: number) => ({ id: `img${n}`.padEnd(20, 'a'), url: `/full${n}.webp`, thumb_url: `/thumb${n}.webp`, width: 10, height: 10 })

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('auctionAdmin: a new lot with photos', () => {
  it('uploads a photo as the raw file and creates the lot with photo_ids in the order given', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/media/images': jsonResponse(201, { image: image(1) }),
      'POST /api/v1/auction/lots': jsonResponse(201, { lot: { id: LOT_ID, status: 'pending_approval' } }),
    })
    const admin = useAuctionAdminStore()
    const file = new File(['x'], 'p.png', { type: 'image/png' })
    const uploaded = await admin.upload(file)
    expect(uploaded).toEqual({ ok: true, value: { image: image(1) } })
    expect(requests[0]?.body).toBe(file)

    const ids = [image(3).id, image(1).id, image(2).id]
    const created = await admin.create({ title: '山水画', donor_name: '陈先生', starts_at_ms: 1, ends_at_ms: 2, start_price_fen: 10_000, photo_ids: ids })
    expect(created).toEqual({ ok: true, value: LOT_ID })
    expect(requests[1]?.method).toBe('POST')
    expect((requests[1]?.body as { photo_ids: string[] }).photo_ids).toEqual(ids)
  })
})

describe('auctionAdmin: the lists', () => {
  it('loads the ended lots page by page through next_cursor, after a reload from the first page again', async () => {
    const second = 'c'.repeat(20)
    const { requests } = stubFetch({
      'GET /api/v1/auction/lots': (r) => {
        const query = new URL(r.url, 'http://localhost').searchParams
        if (query.get('status') !== 'ended') {
          return jsonResponse(200, { lots: [], next_cursor: null })
        }
        return query.get('before') === null
          ? jsonResponse(200, { lots: [lot({ status: 'sold' })], next_cursor: LOT_ID })
          : jsonResponse(200, { lots: [lot({ id: second, status: 'unsold' })], next_cursor: null })
      },
    })
    const admin = useAuctionAdminStore()
    expect((await admin.load()).ok).toBe(true)
    await admin.loadMoreEnded()
    await admin.loadMoreEnded()
    expect(admin.ended.map((l) => l.id)).toEqual([LOT_ID, second])
    expect(admin.endedFinished).toBe(true)
    const ended = requests.filter((r) => r.url.includes('status=ended')).map((r) => r.url)
    expect(ended).toEqual([
      `/api/v1/auction/lots?status=ended&limit=${LOTS_PAGE_SIZE}`,
      `/api/v1/auction/lots?status=ended&before=${LOT_ID}&limit=${LOTS_PAGE_SIZE}`,
    ])
    await admin.load()
    expect(admin.ended).toEqual([])
    expect(admin.endedFinished).toBe(false)
  })
})
