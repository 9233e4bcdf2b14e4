import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuctionAdminStore } from '@/stores/auctionAdmin'
import { canPay, myLotState, useMyAuctionStore } from '@/stores/myAuction'
import { lot, LOT_ID, myLot } from '../support/auction'
import { NOW } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('我的竞拍: where I stand', () => {
  it('takes leading, outbid, won and lost from the server, and offered when the lot is offered to me', () => {
    expect(myLotState(lot({ leading: true }), 'leading')).toBe('leading')
    expect(myLotState(lot({ leading: false }), 'outbid')).toBe('outbid')
    expect(myLotState(lot({ status: 'sold', you_are_buyer: true, stage: 'awaiting_payment' }), 'won')).toBe('won')
    expect(myLotState(lot({ status: 'sold', leading: false }), 'lost')).toBe('lost')
    expect(myLotState(lot({ status: 'unsold', leading: false }), 'lost')).toBe('lost')
    expect(myLotState(lot({ status: 'sold', you_are_offered: true, stage: 'offered' }), 'lost')).toBe('offered')
    expect(myLotState(lot({ status: 'sold', you_are_offered: true, you_are_buyer: false, stage: 'awaiting_payment' }), 'won')).toBe('won')
  })

  it('lets the buyer pay only while awaiting payment and before the deadline', () => {
    const won = lot({ status: 'sold', you_are_buyer: true, stage: 'awaiting_payment', pay_by_ms: NOW + 1_000 })
    expect(canPay(won, NOW)).toBe(true)
    expect(canPay(won, NOW + 1_000)).toBe(false)
    expect(canPay({ ...won, stage: 'paid' }, NOW)).toBe(false)
    expect(canPay({ ...won, you_are_buyer: false }, NOW)).toBe(false)
  })

  it('loads every lot I bid on in one request, with my maximum and the server’s state', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me/auction/bids': jsonResponse(200, {
        bids: [
          myLot({ lot: lot({ id: 'b', title: 'B', leading: false, bid_count: 2 }), my_max_fen: 12_000, state: 'outbid' }),
          myLot({ lot: lot({ status: 'sold', stage: 'offered', you_are_offered: true }), my_max_fen: 11_000, state: 'lost' }),
        ],
      }),
    })
    const store = useMyAuctionStore()
    expect((await store.load()).ok).toBe(true)
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/me/auction/bids'])
    expect(store.entries.map((e) => [e.lotId, e.title, e.myMaxFen, e.state])).toEqual([
      ['b', 'B', 12_000, 'outbid'],
      [LOT_ID, '岭南山水（书法）', 11_000, 'offered'],
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

  it('opens the won lot’s payment', async () => {
    const { requests } = stubFetch({
      [`POST /api/v1/auction/lots/${LOT_ID}/pay`]: jsonResponse(200, { payment: { id: 'p', pay_url: '/pay/sandbox/p' } }),
    })
    const store = useMyAuctionStore()
    const paid = await store.pay(LOT_ID)
    expect(paid.ok ? paid.value.pay_url : null).toBe('/pay/sandbox/p')
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST /api/v1/auction/lots/${LOT_ID}/pay`])
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
