import { describe, expect, it } from 'vitest'
import * as auctionApi from '@/api/auction'
import { lot, LOT_ID } from '../support/auction'
import { jsonResponse, stubFetch } from '../support/fetch'

describe('auction api', () => {
  it('lists lots by phase (or all approved ones) and reads one lot and its bids', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/auction/lots': jsonResponse(200, { lots: [lot()] }),
      [`GET /api/v1/auction/lots/${LOT_ID}`]: jsonResponse(200, { lot: lot() }),
      [`GET /api/v1/auction/lots/${LOT_ID}/bids`]: jsonResponse(200, { bids: [] }),
      'GET /api/v1/me/auction/bids': jsonResponse(200, { bids: [] }),
      'GET /api/v1/me/notifications': jsonResponse(200, { notifications: [], next_cursor: null }),
    })
    await auctionApi.listLots('live')
    await auctionApi.listLots(null)
    await auctionApi.listLots('pending_approval')
    await auctionApi.listLots('ended', LOT_ID, 20)
    expect((await auctionApi.getLot(LOT_ID)).lot.id).toBe(LOT_ID)
    await auctionApi.listLotBids(LOT_ID)
    await auctionApi.listMyLots()
    await auctionApi.listNotifications(null)
    await auctionApi.listNotifications('42')
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/auction/lots?status=live',
      'GET /api/v1/auction/lots',
      'GET /api/v1/auction/lots?status=pending_approval',
      `GET /api/v1/auction/lots?status=ended&before=${LOT_ID}&limit=20`,
      `GET /api/v1/auction/lots/${LOT_ID}`,
      `GET /api/v1/auction/lots/${LOT_ID}/bids`,
      'GET /api/v1/me/auction/bids',
      'GET /api/v1/me/notifications',
      'GET /api/v1/me/notifications?before=42',
    ])
  })

  it('places a bid as JSON {max_fen} with the Idempotency-Key header', async () => {
    const { requests } = stubFetch({
      [`POST /api/v1/auction/lots/${LOT_ID}/bids`]: jsonResponse(201, {
        bid: { id: 'b', accepted: true, max_fen: 12_000, at_ms: 1, extended: false },
        lot: lot(),
        leading: true,
      }),
    })
    const answer = await auctionApi.placeBid(LOT_ID, 12_000, 'key-12345678')
    expect(answer.leading).toBe(true)
    expect(requests[0]?.body).toEqual({ max_fen: 12_000 })
    expect(requests[0]?.headers['idempotency-key']).toBe('key-12345678')
    expect(requests[0]?.headers['content-type']).toBe('application/json')
  })

  it('uses the contract’s paths for paying, offers and the staff actions', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/auction/lots': jsonResponse(201, { lot: { id: LOT_ID, status: 'pending_approval' } }),
      [`POST /api/v1/auction/lots/${LOT_ID}/approve`]: jsonResponse(200, { lot: lot() }),
      [`POST /api/v1/auction/lots/${LOT_ID}/pay`]: jsonResponse(200, { payment: { id: 'p' } }),
      [`POST /api/v1/auction/lots/${LOT_ID}/offer-runner-up`]: jsonResponse(200, { lot: lot() }),
      [`POST /api/v1/auction/lots/${LOT_ID}/accept-offer`]: jsonResponse(200, { lot: lot() }),
      [`POST /api/v1/auction/lots/${LOT_ID}/decline-offer`]: jsonResponse(200, { lot: lot() }),
    })
    const body = { title: 'T', donor_name: 'D', starts_at_ms: 1, ends_at_ms: 2, start_price_fen: 100, reserve_fen: 200 }
    await auctionApi.createLot(body)
    await auctionApi.approveLot(LOT_ID)
    await auctionApi.payLot(LOT_ID)
    await auctionApi.offerRunnerUp(LOT_ID)
    await auctionApi.acceptOffer(LOT_ID)
    await auctionApi.declineOffer(LOT_ID)
    expect(requests[0]?.body).toEqual(body)
    expect(requests.map((r) => `${r.method} ${r.url.replace(`/api/v1/auction/lots/${LOT_ID}`, '…')}`)).toEqual([
      'POST /api/v1/auction/lots',
      'POST …/approve',
      'POST …/pay',
      'POST …/offer-runner-up',
      'POST …/accept-offer',
      'POST …/decline-offer',
    ])
  })
})
