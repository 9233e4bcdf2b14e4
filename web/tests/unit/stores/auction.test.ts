import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { isFinal, LOTS_PAGE_SIZE, newerLot, quickBidAmounts, stepAt, useAuctionStore } from '@/stores/auction'
import { useClockStore } from '@/stores/clock'
import { DEFAULT_INCREMENTS, lot, LOT_ID } from '../support/auction'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('newerLot: keep the newest state, whatever order the updates arrive in', () => {
  it('takes a state with a higher bid count and ignores a lower one', () => {
    const one = lot({ bid_count: 1, price_fen: 10_000 })
    const two = lot({ bid_count: 2, price_fen: 11_000 })
    expect(newerLot(one, two)).toEqual(two)
    expect(newerLot(two, one)).toBeNull()
  })

  it('takes the first state, and a state of another lot, as they are', () => {
    const first = lot({ bid_count: 3 })
    expect(newerLot(null, first)).toBe(first)
    expect(newerLot(lot({ bid_count: 9 }), lot({ id: 'other', bid_count: 0 }))?.id).toBe('other')
  })

  it('replaces an equal version (a re-sent state) but never goes back a phase', () => {
    const live = lot({ bid_count: 2 })
    const ended = lot({ bid_count: 2, status: 'ended' })
    expect(newerLot(live, ended)?.status).toBe('ended')
    expect(newerLot(ended, live)).toBeNull()
    expect(newerLot(live, lot({ bid_count: 2, title: '再发' }))?.title).toBe('再发')
  })

  it('keeps a closed lot closed, even against a later-looking open state', () => {
    const sold = lot({ bid_count: 2, status: 'sold' })
    expect(isFinal('sold')).toBe(true)
    expect(isFinal('ended')).toBe(false)
    expect(newerLot(sold, lot({ bid_count: 5, status: 'live' }))).toBeNull()
    expect(newerLot(sold, lot({ bid_count: 2, status: 'sold', stage: 'paid' }))?.stage).toBe('paid')
  })

  it('keeps the viewer’s own fields the live channel lacks, but forgets `leading` once the count moved', () => {
    const mine = lot({ bid_count: 1, leading: true, stage: 'approved', my_max_fen: 12_000 })
    const resent = newerLot(mine, lot({ bid_count: 1 }))
    expect(resent?.leading).toBe(true)
    const moved = newerLot(mine, lot({ bid_count: 2 }))
    expect(moved?.leading).toBeUndefined()
    expect(moved?.stage).toBe('approved')
    expect(moved?.my_max_fen).toBe(12_000)
    expect(newerLot(mine, lot({ bid_count: 2, leading: false }))?.leading).toBe(false)
  })

  it('keeps the description and photos a live change leaves out', () => {
    const photo = { id: 'p'.repeat(20), url: '/full.webp', thumb_url: '/thumb.webp', width: 10, height: 10 }
    const opening = lot({ bid_count: 0, description: '岭南山水', description_html: '<p>岭南山水</p>', photos: [photo] })
    const change = lot({ bid_count: 1, price_fen: 10_000 })
    delete change.description
    delete change.description_html
    delete change.photos
    const shown = newerLot(opening, change)
    expect(shown?.price_fen).toBe(10_000)
    expect(shown?.description_html).toBe('<p>岭南山水</p>')
    expect(shown?.photos).toEqual([photo])
  })
})

describe('increments and quick bids', () => {
  it('finds the step of the band a price falls in', () => {
    expect(stepAt(DEFAULT_INCREMENTS, 0)).toBe(1_000)
    expect(stepAt(DEFAULT_INCREMENTS, 19_999)).toBe(1_000)
    expect(stepAt(DEFAULT_INCREMENTS, 20_000)).toBe(2_000)
    expect(stepAt(DEFAULT_INCREMENTS, 600_000)).toBe(10_000)
    expect(stepAt([], 500)).toBe(0)
  })

  it('offers the next three rungs of the ladder from the least bid, across band edges', () => {
    expect(quickBidAmounts(lot({ min_bid_fen: 10_000 }), null)).toEqual([10_000, 11_000, 12_000])
    expect(quickBidAmounts(lot({ min_bid_fen: 19_000 }), null)).toEqual([19_000, 20_000, 22_000])
    expect(quickBidAmounts(lot({ min_bid_fen: 98_000 }), null)).toEqual([98_000, 100_000, 105_000])
  })

  it('starts the leader’s ladder above their own maximum', () => {
    expect(quickBidAmounts(lot({ min_bid_fen: 11_000, leading: true }), 12_000)).toEqual([13_000, 14_000, 15_000])
  })

  it('offers nothing once bidding is over or before it starts', () => {
    expect(quickBidAmounts(lot({ status: 'ended', min_bid_fen: null }), null)).toEqual([])
    expect(quickBidAmounts(lot({ status: 'upcoming' }), null)).toEqual([])
  })

  it('does not loop on a table with a zero step', () => {
    expect(quickBidAmounts(lot({ increments: [{ from_fen: 0, step_fen: 0 }] }), null)).toEqual([10_000])
  })
})

describe('auction store: the list by phase', () => {
  it('asks for the tab’s phase and shows its lots, page by page through next_cursor', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/auction/lots': (r) =>
        r.url.includes('before=')
          ? jsonResponse(200, { lots: [lot({ id: 'b'.repeat(20) })], next_cursor: null })
          : jsonResponse(200, { lots: [lot()], next_cursor: LOT_ID }),
    })
    const store = useAuctionStore()
    store.setTab('upcoming')
    expect(await store.loadMore()).toEqual({ ok: true, value: undefined })
    expect(requests[0]?.url).toBe(`/api/v1/auction/lots?status=upcoming&limit=${LOTS_PAGE_SIZE}`)
    expect(store.lots.map((l) => l.id)).toEqual([LOT_ID])
    expect(store.tab).toBe('upcoming')
    expect(store.finished).toBe(false)
    await store.loadMore()
    expect(requests[1]?.url).toBe(`/api/v1/auction/lots?status=upcoming&before=${LOT_ID}&limit=${LOTS_PAGE_SIZE}`)
    expect(store.lots.map((l) => l.id)).toEqual([LOT_ID, 'b'.repeat(20)])
    expect(store.finished).toBe(true)
  })

  it('sets the countdowns by the server’s clock the list states', async () => {
    const serverNow = Date.now() + 90_000
    stubFetch({ 'GET /api/v1/auction/lots': () => jsonResponse(200, { lots: [lot()], next_cursor: null, now_ms: serverNow }) })
    await useAuctionStore().loadMore()
    const offset = useClockStore().offsetMs
    expect(offset).toBeGreaterThan(89_000)
    expect(offset).toBeLessThanOrEqual(90_000)
  })

  it('reports an error and keeps nothing stale from another tab', async () => {
    stubFetch({ 'GET /api/v1/auction/lots': errorResponse(503, 'overloaded', '服务繁忙') })
    const store = useAuctionStore()
    store.lots = [lot()]
    store.setTab('ended')
    const result = await store.loadMore()
    expect(result.ok).toBe(false)
    expect(store.lots).toEqual([])
  })

  it('takes a newer state of a listed lot from the lot page, not an older one', () => {
    const store = useAuctionStore()
    store.lots = [lot({ bid_count: 2, price_fen: 11_000 })]
    store.update(lot({ bid_count: 1, price_fen: 10_000 }))
    expect(store.lots[0]?.price_fen).toBe(11_000)
    store.update(lot({ bid_count: 3, price_fen: 12_000 }))
    expect(store.lots[0]?.price_fen).toBe(12_000)
  })
})
