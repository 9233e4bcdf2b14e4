import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuctionLotStore, type WatchOptions } from '@/stores/auctionLot'
import { useAuthStore } from '@/stores/auth'
import { useClockStore } from '@/stores/clock'
import type { Lot } from '@/api/auction'
import { FakeSocket, lot, LOT_ID } from '../support/auction'
import { NOW } from '../support/events'
import { errorResponse, jsonResponse, type RecordedRequest, sampleUser, stubFetch } from '../support/fetch'

const lotUrl = `GET /api/v1/auction/lots/${LOT_ID}`
const bidsUrl = `GET /api/v1/auction/lots/${LOT_ID}/bids`
const placeUrl = `POST /api/v1/auction/lots/${LOT_ID}/bids`

beforeEach(() => {
  setActivePinia(createPinia())
  FakeSocket.made = []
})

/** Timers the test fires by hand: the live client's reconnects and the poll. */
function hooks() {
  const timers: (() => void)[] = []
  const intervals: (() => void)[] = []
  const options: WatchOptions = {
    live: {
      WebSocketImpl: FakeSocket,
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => {},
      random: () => 0,
      maxFailures: 2,
      location: { protocol: 'http:', host: 'care.test' },
    },
    setInterval: (fn) => intervals.push(fn),
    clearInterval: () => {},
  }
  return { options, timers, intervals }
}

const flush = () => new Promise((done) => setTimeout(done, 0))

function serve(current: () => unknown, bids: unknown[] = []) {
  return stubFetch({
    [lotUrl]: () => jsonResponse(200, { lot: current() }),
    [bidsUrl]: () => jsonResponse(200, { bids }),
  })
}

/**
 * A signed-in leader watching the lot; then the server's view becomes `viewAfter` and the channel
 * pushes `pushed` (without the viewer's fields). Returns the store once that settled.
 */
async function leaderSees(viewAfter: Lot, pushed: Lot) {
  useAuthStore().user = { ...sampleUser, roles: [] }
  let current = lot({ bid_count: 1, price_fen: 10_000, leading: true })
  serve(() => current)
  const store = useAuctionLotStore()
  await store.load(LOT_ID)
  store.watch(hooks().options)
  expect(store.lot?.leading).toBe(true)
  current = viewAfter
  FakeSocket.made[0]!.receive({ lot: pushed })
  await flush()
  await flush()
  return store
}

describe('auction lot store: live states', () => {
  it('loads the lot, opens /ws/auctions/{id} and shows each newer state, ignoring older ones', async () => {
    serve(() => lot())
    const store = useAuctionLotStore()
    const { options } = hooks()
    await store.load(LOT_ID)
    store.watch(options)
    const socket = FakeSocket.made[0]!
    expect(socket.url).toBe(`ws://care.test/ws/auctions/${LOT_ID}`)
    expect(store.feed).toBe('connecting')

    socket.receive({ lot: lot({ bid_count: 2, price_fen: 11_000, leader: '张**' }) })
    expect(store.feed).toBe('live')
    expect(store.lot?.price_fen).toBe(11_000)
    // An update from another server that was overtaken arrives late: it is dropped.
    socket.receive({ lot: lot({ bid_count: 1, price_fen: 10_000, leader: '陈**' }) })
    expect(store.lot?.price_fen).toBe(11_000)
    expect(store.lot?.leader).toBe('张**')
    socket.receive({ lot: lot({ bid_count: 3, price_fen: 12_000, ends_at_ms: NOW + 300_000, extensions: 1 }) })
    expect(store.lot?.extensions).toBe(1)
    store.stopWatching()
    expect(store.feed).toBe('idle')
  })

  it('shows reconnecting, then polls over REST once the channel gives up', async () => {
    let current = lot()
    const { requests } = serve(() => current)
    const store = useAuctionLotStore()
    const { options, timers, intervals } = hooks()
    await store.load(LOT_ID)
    store.watch(options)
    FakeSocket.made[0]!.drop()
    expect(store.feed).toBe('reconnecting')
    timers.shift()!()
    FakeSocket.made[1]!.drop()
    expect(store.feed).toBe('polling')
    expect(intervals).toHaveLength(1)
    current = lot({ bid_count: 1, price_fen: 10_000 })
    intervals[0]!()
    await flush()
    await flush()
    expect(store.lot?.bid_count).toBe(1)
    expect(requests.filter((r) => r.url === `/api/v1/auction/lots/${LOT_ID}`).length).toBeGreaterThanOrEqual(2)
  })

  it('asks the viewer’s own view again after a change when they were leading, so "outbid" shows live', async () => {
    const store = await leaderSees(lot({ bid_count: 2, price_fen: 11_000, leading: false }), lot({ bid_count: 2, price_fen: 11_000 }))
    expect(store.lot?.leading).toBe(false)
    expect(store.lot?.price_fen).toBe(11_000)
  })

  it('keeps the bid history in step with the bid count', async () => {
    serve(() => lot({ bid_count: 1 }), [{ id: 'b1', bidder: '陈**', price_fen: 10_000, at_ms: NOW, seq: 1 }])
    const store = useAuctionLotStore()
    await store.load(LOT_ID)
    await flush()
    expect(store.bids.map((b) => b.bidder)).toEqual(['陈**'])
  })
})

describe('auction lot store: bidding', () => {
  const accepted = (maxFen: number) => ({
    bid: { id: 'bid1', accepted: true, max_fen: maxFen, at_ms: NOW + 5_000, extended: false },
    lot: lot({ bid_count: 1, price_fen: 10_000, leader: '张**', min_bid_fen: 11_000 }),
    leading: true,
  })

  it('sends max_fen with an Idempotency-Key, shows that I lead and learns the server’s clock', async () => {
    useAuthStore().user = { ...sampleUser, roles: [] }
    const { requests } = stubFetch({
      [lotUrl]: () => jsonResponse(200, { lot: lot() }),
      [bidsUrl]: () => jsonResponse(200, { bids: [] }),
      [placeUrl]: (r: RecordedRequest) => jsonResponse(201, accepted((r.body as { max_fen: number }).max_fen)),
    })
    const store = useAuctionLotStore()
    await store.load(LOT_ID)
    const result = await store.placeBid(12_000)
    expect(result.ok).toBe(true)
    const sent = requests.find((r) => r.method === 'POST')!
    expect(sent.body).toEqual({ max_fen: 12_000 })
    expect(sent.headers['idempotency-key']?.length).toBeGreaterThanOrEqual(8)
    expect(store.lot?.leading).toBe(true)
    expect(store.lot?.price_fen).toBe(10_000)
    expect(store.myMaxFen).toBe(12_000)
    expect(useClockStore().offsetMs).toBe(5_000)
  })

  it('sets the countdown by the server’s clock the lot’s answer states', async () => {
    const serverNow = Date.now() - 120_000
    stubFetch({
      [lotUrl]: () => jsonResponse(200, { lot: lot(), now_ms: serverNow }),
      [bidsUrl]: () => jsonResponse(200, { bids: [] }),
    })
    await useAuctionLotStore().load(LOT_ID)
    const offset = useClockStore().offsetMs
    expect(offset).toBeLessThan(-119_000)
    expect(offset).toBeGreaterThanOrEqual(-120_000 - 1_000)
  })

  it('knows my maximum from the lot’s my_max_fen, and a newer bid of mine wins over an older answer', async () => {
    useAuthStore().user = { ...sampleUser, roles: [] }
    let current = lot({ bid_count: 3, price_fen: 13_000, leading: false, my_max_fen: 12_000, min_bid_fen: 14_000 })
    stubFetch({
      [lotUrl]: () => jsonResponse(200, { lot: current }),
      [bidsUrl]: () => jsonResponse(200, { bids: [] }),
      [placeUrl]: (r: RecordedRequest) => jsonResponse(201, accepted((r.body as { max_fen: number }).max_fen)),
    })
    const store = useAuctionLotStore()
    await store.load(LOT_ID)
    expect(store.myMaxFen).toBe(12_000)
    await store.placeBid(20_000)
    expect(store.myMaxFen).toBe(20_000)
    await store.refresh()
    expect(store.myMaxFen).toBe(20_000)
    current = lot({ bid_count: 5, price_fen: 21_000, leading: false, my_max_fen: 20_000 })
    await store.refresh()
    expect(store.myMaxFen).toBe(20_000)
  })

  it('has no maximum of mine when the server says I never bid (null) or does not say (a guest)', async () => {
    serve(() => lot({ my_max_fen: null }))
    const store = useAuctionLotStore()
    await store.load(LOT_ID)
    expect(store.myMaxFen).toBeNull()
  })

  it('retries a lost answer with the same key, but a new attempt after a refusal gets a new key', async () => {
    let calls = 0
    const { requests } = stubFetch({
      [lotUrl]: () => jsonResponse(200, { lot: lot() }),
      [bidsUrl]: () => jsonResponse(200, { bids: [] }),
      [placeUrl]: () => {
        calls += 1
        if (calls === 1) {
          return Promise.reject(new TypeError('connection reset'))
        }
        return errorResponse(409, 'auction.not_started', '拍卖尚未开始')
      },
    })
    const store = useAuctionLotStore()
    await store.load(LOT_ID)
    expect((await store.placeBid(10_000)).ok).toBe(false)
    const refused = await store.placeBid(10_000)
    expect(refused.ok ? null : refused.error.message).toBe('拍卖尚未开始')
    await store.placeBid(10_000)
    const keys = requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key'])
    expect(keys[0]).toBe(keys[1])
    expect(keys[2]).not.toBe(keys[1])
  })

  it('hands back the server’s refusal (too low) and asks the lot again for the new minimum', async () => {
    let current = lot()
    const { requests } = stubFetch({
      [lotUrl]: () => jsonResponse(200, { lot: current }),
      [bidsUrl]: () => jsonResponse(200, { bids: [] }),
      [placeUrl]: () => errorResponse(422, 'auction.bid_too_low', '出价低于当前最低可出价', 'max_fen'),
    })
    const store = useAuctionLotStore()
    await store.load(LOT_ID)
    current = lot({ bid_count: 4, min_bid_fen: 15_000 })
    const result = await store.placeBid(10_000)
    expect(result.ok ? null : result.error).toMatchObject({ code: 'auction.bid_too_low', field: 'max_fen', status: 422 })
    await flush()
    await flush()
    expect(store.lot?.min_bid_fen).toBe(15_000)
    expect(requests.filter((r) => r.method === 'GET' && r.url.endsWith(LOT_ID)).length).toBe(2)
  })
})

describe('auction lot store: the close', () => {
  it('asks the bidder’s own view when the lot closes, so the winner sees what to pay', async () => {
    const store = await leaderSees(
      lot({ bid_count: 1, price_fen: 10_000, status: 'sold', min_bid_fen: null, stage: 'awaiting_payment', you_are_buyer: true, pay_by_ms: NOW + 48 * 3_600_000 }),
      lot({ bid_count: 1, price_fen: 10_000, status: 'sold', min_bid_fen: null }),
    )
    expect(store.lot?.status).toBe('sold')
    expect(store.lot?.you_are_buyer).toBe(true)
    expect(store.lot?.stage).toBe('awaiting_payment')
  })

  it('lets the runner-up decline an offer and shows the answer’s lot without asking again, and opens the buyer’s payment', async () => {
    useAuthStore().user = { ...sampleUser, roles: [] }
    const { requests } = stubFetch({
      [lotUrl]: () => jsonResponse(200, { lot: lot({ status: 'sold', min_bid_fen: null, stage: 'offered', you_are_offered: true }) }),
      [bidsUrl]: () => jsonResponse(200, { bids: [] }),
      [`POST /api/v1/auction/lots/${LOT_ID}/decline-offer`]: jsonResponse(200, { lot: lot({ status: 'unsold', min_bid_fen: null, stage: 'unsold' }) }),
      [`POST /api/v1/auction/lots/${LOT_ID}/pay`]: jsonResponse(200, { payment: { id: 'p', pay_url: '/pay/sandbox/p' } }),
    })
    const store = useAuctionLotStore()
    await store.load(LOT_ID)
    const declined = await store.answerOffer(false)
    expect(declined.ok ? declined.value.stage : null).toBe('unsold')
    expect(store.lot?.stage).toBe('unsold')
    const paid = await store.pay()
    expect(paid.ok ? paid.value.pay_url : null).toBe('/pay/sandbox/p')
    await flush()
    expect(requests.filter((r) => r.url.endsWith(LOT_ID)).map((r) => r.method)).toEqual(['GET'])
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      `/api/v1/auction/lots/${LOT_ID}/decline-offer`,
      `/api/v1/auction/lots/${LOT_ID}/pay`,
    ])
  })
})
