import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import CreateLotPage from '@/pages/auction/CreateLotPage.vue'
import LotPage from '@/pages/auction/LotPage.vue'
import LotsPage from '@/pages/auction/LotsPage.vue'
import ManageLotsPage from '@/pages/auction/ManageLotsPage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { FakeSocket, lot, LOT_ID } from '../support/auction'
import { errorResponse, jsonResponse, type RecordedRequest, sampleUser, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

const me = { user: { ...sampleUser, roles: [] }, id: sampleUser.id, roles: [] }

beforeEach(() => {
  FakeSocket.made = []
  vi.stubGlobal('WebSocket', FakeSocket)
})

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
  vi.unstubAllGlobals()
})

function serveLot(place?: (r: RecordedRequest) => Response) {
  return stubFetch({
    'GET /api/v1/me': jsonResponse(200, me),
    [`GET /api/v1/auction/lots/${LOT_ID}`]: jsonResponse(200, { lot: lot() }),
    [`GET /api/v1/auction/lots/${LOT_ID}/bids`]: jsonResponse(200, { bids: [] }),
    ...(place ? { [`POST /api/v1/auction/lots/${LOT_ID}/bids`]: place } : {}),
  })
}

describe('LotsPage', () => {
  it('lists the live lots with price and countdown, and switches tabs', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, me),
      'GET /api/v1/auction/lots': jsonResponse(200, { lots: [lot({ bid_count: 2, price_fen: 11_000, extensions: 1 })], next_cursor: null }),
    })
    const { wrapper } = await mountWithApp(LotsPage, { path: '/auction' })
    await settle()
    const card = wrapper.get('[data-test="lot-card"]')
    expect(card.get('[data-test="lot-price"]').text()).toBe('¥110.00')
    expect(card.get('[data-test="lot-bid-count"]').text()).toBe('出价 2 次')
    expect(card.get('[data-test="lot-countdown"]').text()).toBe('距结束 01:00:00')
    expect(card.get('[data-test="lot-extended"]').text()).toBe('延时')
    expect(card.attributes('href')).toBe(`/auction/lots/${LOT_ID}`)
    await wrapper.get('[data-test="auction-tab-upcoming"]').trigger('click')
    await settle()
    expect(requests.filter((r) => r.url.startsWith('/api/v1/auction/lots')).map((r) => r.url)).toEqual([
      '/api/v1/auction/lots?status=live&limit=20',
      '/api/v1/auction/lots?status=upcoming&limit=20',
    ])
  })
})

describe('LotPage', () => {
  it('shows the live state pushed on the channel without a reload', async () => {
    serveLot()
    const { wrapper } = await mountWithApp(LotPage, { path: `/auction/lots/${LOT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="lot-bid-count"]').text()).toBe('暂无出价')
    const socket = FakeSocket.made[0]!
    socket.receive({ lot: lot({ bid_count: 1, price_fen: 10_000, leader: '陈**' }) })
    await settle()
    expect(wrapper.get('[data-test="lot-feed"]').text()).toBe('实时更新中')
    expect(wrapper.get('[data-test="lot-price"]').text()).toBe('¥100.00')
    expect(wrapper.get('[data-test="lot-leader"]').text()).toBe('领先：陈**')
  })

  it('words each history row as one message, also a bid without a price (below the reserve)', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, me),
      [`GET /api/v1/auction/lots/${LOT_ID}`]: jsonResponse(200, { lot: lot({ bid_count: 2, price_fen: 11_000 }) }),
      [`GET /api/v1/auction/lots/${LOT_ID}/bids`]: jsonResponse(200, {
        bids: [
          { id: 'b2', bidder: '陈**', price_fen: 11_000, at_ms: Date.now(), seq: 2 },
          { id: 'b1', bidder: '张**', price_fen: null, at_ms: Date.now() - 1_000, seq: 1 },
        ],
      }),
    })
    const { wrapper } = await mountWithApp(LotPage, { path: `/auction/lots/${LOT_ID}` })
    await settle()
    const rows = wrapper.findAll('[data-test="lot-history"] .lot__bid span').map((r) => r.text())
    expect(rows).toEqual(['陈** 出价后为 ¥110.00', '张** 出价'])
  })

  it('opens no live channel when the page is left before the lot has loaded', async () => {
    let answer: (r: Response) => void = () => {}
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, me),
      [`GET /api/v1/auction/lots/${LOT_ID}`]: () => new Promise<Response>((done) => (answer = done)),
      [`GET /api/v1/auction/lots/${LOT_ID}/bids`]: jsonResponse(200, { bids: [] }),
    })
    const { wrapper } = await mountWithApp(LotPage, { path: `/auction/lots/${LOT_ID}` })
    await settle()
    wrapper.unmount()
    answer(jsonResponse(200, { lot: lot() }))
    await settle()
    expect(FakeSocket.made).toEqual([])
  })

  it('bids from the sheet with a quick bid and says that I lead', async () => {
    const { requests } = serveLot(() =>
      jsonResponse(201, {
        bid: { id: 'b', accepted: true, max_fen: 11_000, at_ms: Date.now(), extended: false },
        lot: lot({ bid_count: 1, price_fen: 10_000, leader: '张**', min_bid_fen: 11_000 }),
        leading: true,
      }),
    )
    const { wrapper } = await mountWithApp(LotPage, { path: `/auction/lots/${LOT_ID}` })
    await settle()
    await wrapper.get('[data-test="lot-bid"]').trigger('click')
    await settle()
    const sheet = document.querySelector('.van-action-sheet')!
    expect(sheet.textContent).toContain('系统将在您的最高出价内自动代您加价')
    ;(sheet.querySelector('[data-test="bid-quick-1"]') as HTMLButtonElement).click()
    await settle()
    ;(sheet.querySelector('[data-test="bid-panel"]') as HTMLFormElement).dispatchEvent(new Event('submit'))
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ max_fen: 11_000 })
    expect(wrapper.find('[data-test="lot-standing-leading"]').exists()).toBe(true)
    expect(wrapper.get('[data-test="lot-my-max"]').text()).toContain('¥110.00')
  })

  it('in 长辈模式 bids in a panel on the page and shows a refusal in the server’s words', async () => {
    serveLot(() => errorResponse(409, 'auction.closed', '拍卖已结束'))
    const { wrapper } = await mountWithApp(LotPage, { path: `/auction/lots/${LOT_ID}` })
    usePrefsStore().setElderMode(true)
    await settle()
    await wrapper.get('[data-test="lot-bid"]').trigger('click')
    await settle()
    expect(document.querySelector('.van-action-sheet')).toBeNull()
    const panel = wrapper.get('[data-test="bid-inline"]')
    await panel.get('[data-test="bid-quick-0"]').trigger('click')
    await panel.get('[data-test="bid-panel"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="bid-error"]').text()).toBe('拍卖已结束')
  })

  it('lets the runner-up accept an offer at their own maximum, then pay', async () => {
    const offeredLot = lot({ status: 'sold', min_bid_fen: null, stage: 'offered', you_are_offered: true, offer_price_fen: 9_000, offer_expires_at_ms: Date.now() + 3_600_000 })
    const accepted = { ...offeredLot, stage: 'awaiting_payment' as const, sale_price_fen: 9_000, pay_by_ms: Date.now() + 3_600_000 }
    let current = offeredLot
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, me),
      [`GET /api/v1/auction/lots/${LOT_ID}`]: () => jsonResponse(200, { lot: current }),
      [`GET /api/v1/auction/lots/${LOT_ID}/bids`]: jsonResponse(200, { bids: [] }),
      [`POST /api/v1/auction/lots/${LOT_ID}/accept-offer`]: () => {
        current = accepted
        return jsonResponse(200, { lot: accepted })
      },
      [`POST /api/v1/auction/lots/${LOT_ID}/pay`]: jsonResponse(200, { payment: { id: 'p', pay_url: '/pay/sandbox/abcdefghijklmnopqrst' } }),
    })
    const { wrapper, router } = await mountWithApp(LotPage, { path: `/auction/lots/${LOT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="lot-offer"]').text()).toContain('¥90.00')
    expect(wrapper.find('[data-test="lot-bid"]').exists()).toBe(false)
    await wrapper.get('[data-test="lot-offer-accept"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="lot-pay"]').text()).toBe('去付款 ¥90.00')
    await wrapper.get('[data-test="lot-pay"]').trigger('click')
    // The pay page is loaded lazily before the navigation completes.
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/pay/sandbox/abcdefghijklmnopqrst'))
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      `/api/v1/auction/lots/${LOT_ID}/accept-offer`,
      `/api/v1/auction/lots/${LOT_ID}/pay`,
    ])
    // The answer's lot is shown as it is: the lot is not asked for again.
    expect(requests.filter((r) => r.method === 'GET' && r.url.endsWith(LOT_ID)).length).toBe(1)
  })
})

describe('CreateLotPage', () => {
  it('uploads photos, drops one, and creates the lot with photo_ids in the order shown', async () => {
    let n = 0
    const admin = { ...me, user: { ...me.user, roles: [{ role: 'fund_admin', org_id: null, org_name: null, village_id: null, village_name: null }] } }
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, admin),
      'GET /api/v1/auction/lots': jsonResponse(200, { lots: [] }),
      'POST /api/v1/media/images': () => jsonResponse(201, { image: { id: `img${++n}`.padEnd(20, 'a'), url: `/f${n}.webp`, thumb_url: `/t${n}.webp`, width: 10, height: 10 } }),
      'POST /api/v1/auction/lots': jsonResponse(201, { lot: { id: LOT_ID, status: 'pending_approval' } }),
    })
    const { wrapper } = await mountWithApp(CreateLotPage)
    expect(wrapper.text()).not.toContain('服务器支持后')
    await wrapper.get('[data-test="lot-form-title"] input').setValue('岭南山水')
    await wrapper.get('[data-test="lot-form-donor"] input').setValue('陈先生')
    await wrapper.get('[data-test="lot-form-start-price"] input').setValue('100')
    const input = wrapper.get('[data-test="form-photo-input"]')
    const files = [1, 2, 3].map((i) => new File([`x${i}`], `p${i}.png`, { type: 'image/png' }))
    Object.defineProperty(input.element, 'files', { value: files, configurable: true })
    await input.trigger('change')
    await settle()
    await wrapper.get('[data-test="form-photo-remove-0"]').trigger('click')
    await wrapper.get('[data-test="lot-form"]').trigger('submit')
    await settle()
    const create = requests.find((r) => r.method === 'POST' && r.url === '/api/v1/auction/lots')
    expect(requests.filter((r) => r.url === '/api/v1/media/images').map((r) => (r.body as File).name)).toEqual(['p1.png', 'p2.png', 'p3.png'])
    expect(create?.body).toMatchObject({ title: '岭南山水', donor_name: '陈先生', start_price_fen: 10_000, photo_ids: ['img2'.padEnd(20, 'a'), 'img3'.padEnd(20, 'a')] })
  })

  it('sends no photo_ids without photos', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, me),
      'GET /api/v1/auction/lots': jsonResponse(200, { lots: [] }),
      'POST /api/v1/auction/lots': jsonResponse(201, { lot: { id: LOT_ID, status: 'pending_approval' } }),
    })
    const { wrapper } = await mountWithApp(CreateLotPage)
    await wrapper.get('[data-test="lot-form-title"] input').setValue('岭南山水')
    await wrapper.get('[data-test="lot-form-donor"] input').setValue('陈先生')
    await wrapper.get('[data-test="lot-form-start-price"] input').setValue('100')
    await wrapper.get('[data-test="lot-form"]').trigger('submit')
    await settle()
    const create = requests.find((r) => r.method === 'POST' && r.url === '/api/v1/auction/lots')
    expect(create?.body).toMatchObject({ title: '岭南山水' })
    expect(create?.body).not.toHaveProperty('photo_ids')
  })
})

describe('ManageLotsPage', () => {
  function serveAdminLots() {
    return stubFetch({
      'GET /api/v1/auction/lots': (r) => {
        const status = new URL(r.url, 'http://localhost').searchParams.get('status')
        const lots =
          status === 'pending_approval'
            ? [lot({ status: 'pending_approval', donor_name: '陈先生', min_bid_fen: null })]
            : status === 'ended'
              ? [lot({ status: 'unsold', stage: 'unsold', unsold_reason: 'reserve_not_met', min_bid_fen: null })]
              : []
        return jsonResponse(200, { lots, next_cursor: null })
      },
    })
  }

  it('words each result line as one message, in Chinese and in English', async () => {
    serveAdminLots()
    const zh = await mountWithApp(ManageLotsPage)
    await settle()
    const pendingZh = zh.wrapper.get('[data-test="manage-pending-lot"]').findAll('.admin-lot__line').map((l) => l.text())
    expect(pendingZh[0]).toBe('陈先生 · 起拍价 ¥100.00')
    expect(pendingZh[1]).toContain(' 至 ')
    const endedZh = zh.wrapper.get('[data-test="manage-ended-lot"] .admin-lot__line')
    expect(endedZh.text()).toBe('流拍（未达保留价）')
    expect(endedZh.get('strong').text()).toBe('流拍')
    zh.wrapper.unmount()

    serveAdminLots()
    const en = await mountWithApp(ManageLotsPage, { locale: 'en' })
    await settle()
    expect(en.wrapper.get('[data-test="manage-pending-lot"] .admin-lot__line').text()).toBe('陈先生 · starting price ¥100.00')
    expect(en.wrapper.get('[data-test="manage-ended-lot"] .admin-lot__line').text()).toBe('Unsold (reserve not met)')
  })
})
