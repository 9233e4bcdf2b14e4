import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuctionAdminStore } from '@/stores/auctionAdmin'
import { canPay, groupMyBids, myLotState, useMyAuctionStore } from '@/stores/myAuction'
import { lot, LOT_ID, myBid } from '../support/auction'
import { NOW } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('我的竞拍: where I stand', () => {
  it('reads leading, outbid, won, lost and offered from the lot the server gives me', () => {
    expect(myLotState(lot({ leading: true }))).toBe('leading')
    expect(myLotState(lot({ leading: false }))).toBe('outbid')
    expect(myLotState(lot({ status: 'sold', you_are_buyer: true, stage: 'awaiting_payment' }))).toBe('won')
    expect(myLotState(lot({ status: 'sold', leading: false }))).toBe('lost')
    expect(myLotState(lot({ status: 'unsold', leading: false }))).toBe('lost')
    expect(myLotState(lot({ status: 'sold', you_are_offered: true, stage: 'offered' }))).toBe('offered')
    expect(myLotState(lot({ status: 'sold', you_are_offered: true, you_are_buyer: false, stage: 'awaiting_payment' }))).toBe('won')
  })

  it('lets the buyer pay only while awaiting payment and before the deadline', () => {
    const won = lot({ status: 'sold', you_are_buyer: true, stage: 'awaiting_payment', pay_by_ms: NOW + 1_000 })
    expect(canPay(won, NOW)).toBe(true)
    expect(canPay(won, NOW + 1_000)).toBe(false)
    expect(canPay({ ...won, stage: 'paid' }, NOW)).toBe(false)
    expect(canPay({ ...won, you_are_buyer: false }, NOW)).toBe(false)
  })

  it('groups my accepted bids by lot with my highest maximum, newest lot first', () => {
    const groups = groupMyBids([
      myBid({ id: '3', lot: { id: 'b', title: 'B' }, max_fen: 5_000, at_ms: NOW + 3 }),
      myBid({ id: '2', max_fen: 30_000, at_ms: NOW + 2, accepted: false }),
      myBid({ id: '1', max_fen: 12_000, at_ms: NOW + 1 }),
      myBid({ id: '0', max_fen: 11_000, at_ms: NOW }),
    ])
    expect(groups).toEqual([
      { lotId: 'b', title: 'B', myMaxFen: 5_000, lastBidAtMs: NOW + 3 },
      { lotId: LOT_ID, title: '岭南山水（书法）', myMaxFen: 12_000, lastBidAtMs: NOW + 1 },
    ])
  })

  it('loads my bids and each lot, keeping a lot that fails to load as unknown', async () => {
    stubFetch({
      'GET /api/v1/auction/my/bids': jsonResponse(200, { bids: [myBid(), myBid({ id: 'x', lot: { id: 'gone', title: 'G' } })] }),
      [`GET /api/v1/auction/lots/${LOT_ID}`]: jsonResponse(200, { lot: lot({ leading: false, bid_count: 2 }) }),
      'GET /api/v1/auction/lots/gone': errorResponse(404, 'auction.lot_not_found', '拍品不存在'),
    })
    const store = useMyAuctionStore()
    expect((await store.load()).ok).toBe(true)
    expect(store.entries.map((e) => [e.lotId, e.state])).toEqual([
      [LOT_ID, 'outbid'],
      ['gone', null],
    ])
  })

  it('keeps only the auction’s notifications', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me/notifications': jsonResponse(200, {
        notifications: [
          { id: 2, template: 'auction_outbid', params: { lot_id: LOT_ID, title: 'T', price_fen: 11_000 }, created_at_ms: NOW },
          { id: 1, template: 'event_reminder', params: {}, created_at_ms: NOW },
        ],
        next_cursor: null,
      }),
    })
    const store = useMyAuctionStore()
    await store.loadNotifications()
    expect(requests[0]?.url).toBe('/api/v1/me/notifications')
    expect(store.notifications.map((n) => n.id)).toEqual([2])
  })

  it('opens the won lot’s payment and answers an offer', async () => {
    const { requests } = stubFetch({
      [`POST /api/v1/auction/lots/${LOT_ID}/pay`]: jsonResponse(200, { payment: { id: 'p', pay_url: '/pay/sandbox/p' } }),
      [`POST /api/v1/auction/lots/${LOT_ID}/decline-offer`]: jsonResponse(200, { lot: lot({ status: 'unsold', stage: 'unsold' }) }),
    })
    const store = useMyAuctionStore()
    const paid = await store.pay(LOT_ID)
    expect(paid.ok ? paid.value.pay_url : null).toBe('/pay/sandbox/p')
    const declined = await store.answerOffer(LOT_ID, false)
    expect(declined.ok ? declined.value.stage : null).toBe('unsold')
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /api/v1/auction/lots/${LOT_ID}/pay`,
      `POST /api/v1/auction/lots/${LOT_ID}/decline-offer`,
    ])
  })
})

describe('拍品管理', () => {
  it('creates a lot with exactly the fields given, and approving moves it out of pending', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/auction/lots': jsonResponse(201, { lot: { id: LOT_ID, status: 'pending_approval' } }),
      [`POST /api/v1/auction/lots/${LOT_ID}/approve`]: jsonResponse(200, { lot: lot() }),
    })
    const admin = useAuctionAdminStore()
    const body = { title: 'T', donor_name: '陈大文', starts_at_ms: NOW, ends_at_ms: NOW + 1, start_price_fen: 10_000 }
    const created = await admin.create(body)
    expect(created).toEqual({ ok: true, value: LOT_ID })
    expect(requests[0]?.body).toEqual(body)
    admin.pending = [lot({ status: 'pending_approval' })]
    await admin.approve(LOT_ID)
    expect(admin.pending).toEqual([])
    expect(admin.running.map((l) => l.id)).toEqual([LOT_ID])
  })

  it('shows the server’s refusal of self-approval', async () => {
    stubFetch({ [`POST /api/v1/auction/lots/${LOT_ID}/approve`]: errorResponse(409, 'auction.self_approval', '不能审核自己创建的拍品') })
    const result = await useAuctionAdminStore().approve(LOT_ID)
    expect(result.ok ? null : result.error.message).toBe('不能审核自己创建的拍品')
  })
})
