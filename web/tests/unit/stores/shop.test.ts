import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { MAX_QUANTITY, useCartStore } from '@/stores/cart'
import { donationFor, SHOP_PAGE_SIZE, useShopStore } from '@/stores/shop'
import { isBuyer, soldOutProduct, useShopOrdersStore } from '@/stores/shopOrders'
import { leftToRefund, orderPermissions, refundableLines, refundFen, refusedLine, useShopStaffStore } from '@/stores/shopStaff'
import { errorResponse, jsonResponse, type RecordedRequest, sampleUser, stubFetch, twoPages } from '../support/fetch'
import { order, product } from '../support/shop'

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})

afterEach(() => {
  vi.unstubAllGlobals()
})

/** The query parameter `name` of a recorded request, or null. */
const param = (request: RecordedRequest, name: string) => new URL(request.url, 'http://localhost').searchParams.get(name)

function signIn(id = 7): void {
  const auth = useAuthStore()
  auth.user = { ...sampleUser, id, roles: [...sampleUser.roles] }
  auth.status = 'ready'
}

describe('donationFor', () => {
  it('computes the donation part as the server does, in integer fen', () => {
    expect(donationFor(3800, { kind: 'all', value: 0 })).toBe(3800)
    expect(donationFor(3800, { kind: 'fixed', value: 2000 })).toBe(2000)
    expect(donationFor(3800, { kind: 'fixed', value: 9000 })).toBe(3800)
    expect(donationFor(5800, { kind: 'percent', value: 30 })).toBe(1740)
    // Rounded down to the fen: 333 × 33% = 109.89 → 109.
    expect(donationFor(333, { kind: 'percent', value: 33 })).toBe(109)
    expect(donationFor(0, { kind: 'all', value: 0 })).toBe(0)
  })
})

describe('shop catalogue store', () => {
  it('pages through the list by next_cursor and drops a page for old filters', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/shop/products': (r) =>
        jsonResponse(200, r.url.includes('before=')
          ? { products: [product({ id: 'b'.repeat(20) })], next_cursor: null }
          : { products: [product()], next_cursor: 'a'.repeat(20) }),
    })
    const shop = useShopStore()
    shop.setQuery({ category: 'handmade' })
    await shop.loadMore()
    await shop.loadMore()
    expect(shop.products.map((p) => p.id)).toEqual(['a'.repeat(20), 'b'.repeat(20)])
    expect(shop.finished).toBe(true)
    expect(requests[1]!.url).toContain(`before=${'a'.repeat(20)}`)
  })
})

describe('cart store', () => {
  it('bounds quantities by stock and 99, and totals price and donation in fen', () => {
    signIn()
    const cart = useCartStore()
    expect(cart.add(product({ stock: 3 }), 2)).toBe('added')
    expect(cart.add(product({ stock: 3 }), 2)).toBe('capped')
    expect(cart.lines[0]!.quantity).toBe(3)
    expect(cart.add(product({ id: 'c'.repeat(20), stock: 0 }))).toBe('sold_out')
    cart.add(product({ id: 'd'.repeat(20), stock: 500, price_fen: 1500, donation_fen: 1000 }), 150)
    expect(cart.lines[1]!.quantity).toBe(MAX_QUANTITY)
    expect(cart.totalFen).toBe(3 * 3800 + 99 * 1500)
    expect(cart.donationFen).toBe(3 * 2000 + 99 * 1000)
    expect(cart.goodsValueFen).toBe(cart.totalFen - cart.donationFen)
    cart.setQuantity('a'.repeat(20), 0)
    expect(cart.lines.map((l) => l.product_id)).toEqual(['d'.repeat(20)])
  })

  it('keeps each user’s cart in localStorage, and a guest’s lines join it on sign-in', async () => {
    signIn(7)
    const cart = useCartStore()
    cart.add(product(), 2)
    expect(JSON.parse(localStorage.getItem('carecity.shop.cart.7')!)).toHaveLength(1)
    useAuthStore().user = null
    await Promise.resolve()
    expect(cart.lines).toEqual([])
    cart.add(product({ id: 'g'.repeat(20) }), 1)
    signIn(7)
    await Promise.resolve()
    expect(cart.lines.map((l) => [l.product_id, l.quantity])).toEqual([
      ['a'.repeat(20), 2],
      ['g'.repeat(20), 1],
    ])
    signIn(8)
    await Promise.resolve()
    expect(cart.lines).toEqual([])
  })

  it('records a lower stock without changing the buyer’s quantity', () => {
    signIn()
    const cart = useCartStore()
    cart.add(product(), 4)
    cart.setStock('a'.repeat(20), 1)
    expect(cart.lines[0]!.quantity).toBe(4)
    expect(cart.overStock.map((l) => l.product_id)).toEqual(['a'.repeat(20)])
  })
})

describe('shop orders store', () => {
  const body = { items: [{ product_id: 'a'.repeat(20), quantity: 2 }], fulfilment: { kind: 'pickup' as const, venue_id: 1 }, anonymous: false }

  it('reuses the idempotency key when the same checkout is retried, and starts a new one after success or a change', async () => {
    let fail = true
    const { requests } = stubFetch({
      'POST /api/v1/shop/orders': () => {
        if (fail) {
          fail = false
          throw new TypeError('network down')
        }
        return jsonResponse(201, { order: order(), payment: { id: 'p'.repeat(20), pay_url: '/pay/sandbox/' + 'p'.repeat(20) } })
      },
    })
    const orders = useShopOrdersStore()
    expect((await orders.checkout(body)).ok).toBe(false)
    expect((await orders.checkout(body)).ok).toBe(true)
    await orders.checkout(body)
    await orders.checkout({ ...body, anonymous: true })
    const keys = requests.map((r) => r.headers['idempotency-key'])
    expect(keys[0]).toBe(keys[1])
    expect(keys[2]).not.toBe(keys[1])
    expect(keys[3]).not.toBe(keys[2])
  })

  it('names the sold-out product from the 409', async () => {
    stubFetch({
      'POST /api/v1/shop/orders': jsonResponse(409, { error: { code: 'shop.sold_out', message: '库存不足', field: null, product_id: 'x'.repeat(20) } }),
    })
    const result = await useShopOrdersStore().checkout(body)
    expect(result.ok).toBe(false)
    expect(!result.ok && soldOutProduct(result.error)).toBe('x'.repeat(20))
    expect(soldOutProduct({ code: 'validation_failed', details: { product_id: 'y' } })).toBeNull()
  })

  it('checks out the cart: a sold-out line records its stock without touching the product page, an order empties the cart', async () => {
    signIn()
    let soldOut = true
    const { requests } = stubFetch({
      'POST /api/v1/shop/orders': () =>
        soldOut
          ? jsonResponse(409, { error: { code: 'shop.sold_out', message: '库存不足', field: null, product_id: 'b'.repeat(20) } })
          : jsonResponse(201, { order: order(), payment: { id: 'p'.repeat(20), pay_url: '/pay/sandbox/' + 'p'.repeat(20) } }),
      'GET /api/v1/shop/products/bbbbbbbbbbbbbbbbbbbb': jsonResponse(200, { product: product({ id: 'b'.repeat(20), stock: 1 }) }),
    })
    const cart = useCartStore()
    cart.add(product({ id: 'b'.repeat(20), title: '《桂城社区故事》', stock: 5 }), 3)
    const shop = useShopStore()
    const shown = shop.current
    const first = await useShopOrdersStore().checkoutCart({ kind: 'pickup', venue_id: 1 }, true)
    expect(first).toEqual({ ok: true, value: { kind: 'sold_out', code: 'shop.sold_out', productId: 'b'.repeat(20), title: '《桂城社区故事》' } })
    expect(cart.lines.map((l) => [l.quantity, l.stock])).toEqual([[3, 1]])
    expect(shop.current).toBe(shown)
    expect(requests[0]!.body).toEqual({ items: [{ product_id: 'b'.repeat(20), quantity: 3 }], fulfilment: { kind: 'pickup', venue_id: 1 }, anonymous: true })
    soldOut = false
    const second = await useShopOrdersStore().checkoutCart({ kind: 'pickup', venue_id: 1 }, true)
    expect(second.ok && second.value.kind).toBe('ordered')
    expect(cart.lines).toEqual([])
  })

  it('cancels the order and keeps the server’s answer, without asking for it again', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/shop/orders/oooooooooooooooooooo/cancel': jsonResponse(200, { order: order({ status: 'cancelled' }) }),
    })
    const orders = useShopOrdersStore()
    expect((await orders.cancel('o'.repeat(20))).ok).toBe(true)
    expect(orders.current?.status).toBe('cancelled')
    expect(requests.map((r) => r.method)).toEqual(['POST'])
  })

  it('follows an unpaid order one request at a time until paid, keeping it through a failed poll', async () => {
    const answers = [jsonResponse(200, { order: order() }), errorResponse(503, 'unavailable', '稍后再试'), jsonResponse(200, { order: order({ status: 'paid' }) })]
    let inFlight = 0
    let overlapped = false
    let shownDuringFailure: string | undefined
    const orders = useShopOrdersStore()
    const { requests } = stubFetch({
      'GET /api/v1/shop/orders/oooooooooooooooooooo': async () => {
        overlapped ||= inFlight > 0
        inFlight += 1
        await new Promise((done) => setTimeout(done, 5))
        inFlight -= 1
        const answer = answers.shift()!
        if (answer.status === 503) {
          shownDuringFailure = orders.current?.status
        }
        return answer
      },
    })
    await orders.load('o'.repeat(20))
    const result = await orders.follow('o'.repeat(20), { intervalMs: 1 })
    expect(result).toEqual({ ok: true, value: 'settled' })
    expect(orders.current?.status).toBe('paid')
    expect(requests).toHaveLength(3)
    expect(overlapped).toBe(false)
    expect(shownDuringFailure).toBe('pending_payment')
  })

  it('stops following when aborted, and at once for a settled order', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/shop/orders/oooooooooooooooooooo': () => jsonResponse(200, { order: order() }) })
    const orders = useShopOrdersStore()
    await orders.load('o'.repeat(20))
    const stop = new AbortController()
    const following = orders.follow('o'.repeat(20), { intervalMs: 1, signal: stop.signal })
    await vi.waitFor(() => expect(requests.length).toBeGreaterThan(1))
    stop.abort()
    expect(await following).toEqual({ ok: true, value: 'stopped' })
    orders.current = order({ status: 'paid' })
    const asked = requests.length
    expect(await orders.follow('o'.repeat(20), { intervalMs: 1 })).toEqual({ ok: true, value: 'settled' })
    expect(requests).toHaveLength(asked)
  })

  it('pages 我的订单 by next_cursor, stops at the last page, and keeps an action’s answer in a later page', async () => {
    const [first, second] = ['1'.repeat(20), '2'.repeat(20)]
    const { requests } = stubFetch({
      'GET /api/v1/shop/orders': twoPages('orders', [order({ id: first })], [order({ id: second })], first),
      [`POST /api/v1/shop/orders/${second}/cancel`]: jsonResponse(200, { order: order({ id: second, status: 'cancelled' }) }),
    })
    const orders = useShopOrdersStore()
    orders.restartMine()
    expect((await orders.loadMoreMine()).ok).toBe(true)
    expect(orders.mineFinished).toBe(false)
    await orders.loadMoreMine()
    await orders.loadMoreMine()
    expect(requests.map((r) => [param(r, 'before'), param(r, 'limit')])).toEqual([
      [null, String(SHOP_PAGE_SIZE)],
      [first, String(SHOP_PAGE_SIZE)],
    ])
    expect(orders.mine.map((o) => o.id)).toEqual([first, second])
    expect(orders.mineFinished).toBe(true)
    expect((await orders.cancel(second)).ok).toBe(true)
    expect(orders.mine.map((o) => o.status)).toEqual(['pending_payment', 'cancelled'])
  })

  it('signs out when a page of 我的订单 answers 401, and starts again from the newest order', async () => {
    signIn()
    stubFetch({ 'GET /api/v1/shop/orders': errorResponse(401, 'unauthenticated', '请先登录') })
    const orders = useShopOrdersStore()
    orders.mine = [order()]
    orders.restartMine()
    expect(orders.mine).toEqual([])
    expect((await orders.loadMoreMine()).ok).toBe(false)
    expect(useAuthStore().user).toBeNull()
  })
})

describe('who may act on an order', () => {
  const line = order().items[0]!
  const ofOrgs = (...orgs: number[]) => orgs.map((id) => ({ ...line, product_id: String(id).repeat(20), org: { id, name: `org ${id}` } }))
  const delivery = { kind: 'delivery' as const, delivery: { name: '陈阿姨', phone: '139****5678', address: '' }, delivery_masked: false }

  it('lets seller staff act only on orders wholly of their organisations’ goods', () => {
    const seller = { orgIds: [1, 2], fundAdmin: false }
    expect(orderPermissions(order({ status: 'paid', items: ofOrgs(1, 2), fulfilment: delivery }), seller)).toEqual({ ship: true, complete: false, refund: true })
    expect(orderPermissions(order({ status: 'paid', items: ofOrgs(1, 3), fulfilment: delivery }), seller)).toEqual({ ship: false, complete: false, refund: false })
    expect(orderPermissions(order({ status: 'shipped', items: ofOrgs(1), fulfilment: delivery }), seller)).toEqual({ ship: false, complete: true, refund: true })
    expect(orderPermissions(order({ status: 'paid', items: ofOrgs(1) }), seller).ship).toBe(false)
    expect(orderPermissions(order({ status: 'completed', items: ofOrgs(1) }), seller).refund).toBe(false)
    expect(orderPermissions(order({ status: 'pending_payment', items: ofOrgs(1) }), seller).refund).toBe(false)
  })

  it('lets a fund admin refund any paid order, several sellers’ too, but not ship it', () => {
    const admin = { orgIds: [], fundAdmin: true }
    expect(orderPermissions(order({ status: 'ready_for_pickup', items: ofOrgs(1, 3) }), admin)).toEqual({ ship: false, complete: false, refund: true })
    expect(orderPermissions(order({ status: 'paid', items: ofOrgs(1, 3), fulfilment: delivery }), admin).ship).toBe(false)
    expect(orderPermissions(order({ status: 'refunded', items: ofOrgs(1) }), admin).refund).toBe(false)
  })

  it('lets a seller refund only its own lines of an order shared with another seller, and only what is left of them', () => {
    const seller = { orgIds: [1], fundAdmin: false }
    const [own, other] = ofOrgs(1, 3)
    const shared = order({ status: 'paid', items: [{ ...own!, quantity: 3, refunded_quantity: 1 }, other!] })
    expect(refundableLines(shared, seller).map((item) => item.org.id)).toEqual([1])
    expect(leftToRefund(shared.items[0]!)).toBe(2)
    expect(leftToRefund(shared.items[1]!)).toBe(2)
    // The whole order stays with a fund admin (or staff of every seller in it).
    expect(orderPermissions(shared, seller).refund).toBe(false)
    expect(refundableLines(shared, { orgIds: [], fundAdmin: true }).map((item) => item.org.id)).toEqual([1, 3])
    expect(refundableLines(shared, { orgIds: [2], fundAdmin: false })).toEqual([])
  })

  it('offers no line with nothing left, nor any line of an order not refundable', () => {
    const seller = { orgIds: [1, 3], fundAdmin: false }
    const [done, open] = ofOrgs(1, 3)
    const partly = order({ status: 'shipped', items: [{ ...done!, refunded_quantity: 2 }, open!] })
    expect(refundableLines(partly, seller).map((item) => item.org.id)).toEqual([3])
    expect(refundableLines(order({ status: 'completed', items: ofOrgs(1) }), seller)).toEqual([])
    expect(refundableLines(order({ status: 'pending_payment', items: ofOrgs(1) }), seller)).toEqual([])
  })

  it('totals a line refund at the unit price, and finds the line a refusal names by its place in the request', () => {
    const [a, b] = ofOrgs(1, 3)
    const shared = order({ items: [a!, { ...b!, unit_price_fen: 5800 }] })
    const items = [{ product_id: b!.product_id, quantity: 2 }, { product_id: a!.product_id, quantity: 1 }]
    expect(refundFen(shared, items)).toBe(2 * 5800 + 3800)
    expect(refundFen(shared, [])).toBe(0)
    expect(refusedLine('items[0].quantity', items)).toBe(b!.product_id)
    expect(refusedLine('items[1].product_id', items)).toBe(a!.product_id)
    expect(refusedLine('items[2].quantity', items)).toBeNull()
    expect(refusedLine('reason', items)).toBeNull()
    expect(refusedLine(null, items)).toBeNull()
  })

  it('answers for the signed-in staff from their roles', () => {
    signIn()
    const staff = useShopStaffStore()
    expect(staff.canRefund(order({ status: 'paid', items: ofOrgs(3) }))).toBe(true)
    expect(staff.canRefund(order({ status: 'paid', items: ofOrgs(3, 4) }))).toBe(false)
    useAuthStore().user!.roles.push({ role: 'fund_admin', org_id: null, org_name: null, village_id: null, village_name: null })
    expect(staff.canRefund(order({ status: 'paid', items: ofOrgs(3, 4) }))).toBe(true)
  })

  it('knows the buyer by the missing buyer name the server shows everyone else', () => {
    expect(isBuyer(order())).toBe(true)
    expect(isBuyer(order({ buyer: '陈**' }))).toBe(false)
  })
})

describe('shop staff store', () => {
  it('knows the staff’s organisations from their roles', () => {
    signIn()
    expect(useShopStaffStore().orgs).toEqual([{ id: 3, name: '博睿社工' }])
  })

  it('pages an organisation’s orders by next_cursor until the last page, and starts again for another organisation', async () => {
    const [first, second, other] = ['1'.repeat(20), '2'.repeat(20), '3'.repeat(20)]
    const { requests } = stubFetch({
      'GET /api/v1/shop/orgs/1/orders': twoPages('orders', [order({ id: first })], [order({ id: second })], first),
      'GET /api/v1/shop/orgs/2/orders': jsonResponse(200, { orders: [order({ id: other })], next_cursor: null }),
    })
    const staff = useShopStaffStore()
    staff.setOrdersOrg(1)
    await staff.loadMoreOrders()
    expect(staff.ordersFinished).toBe(false)
    await staff.loadMoreOrders()
    expect(staff.orders.map((o) => o.id)).toEqual([first, second])
    expect(staff.ordersFinished).toBe(true)
    await staff.loadMoreOrders()
    expect(requests.map((r) => param(r, 'before'))).toEqual([null, first])
    expect(param(requests[0]!, 'limit')).toBe(String(SHOP_PAGE_SIZE))

    staff.setOrdersOrg(2)
    expect(staff.orders).toEqual([])
    expect(staff.orgId).toBe(2)
    await staff.loadMoreOrders()
    expect(requests.at(-1)!.url).toBe(`/api/v1/shop/orgs/2/orders?limit=${SHOP_PAGE_SIZE}`)
    expect(staff.orders.map((o) => o.id)).toEqual([other])
  })

  it('keeps the answer of an order action on whichever page the order is, without asking for it again', async () => {
    const [first, second] = ['1'.repeat(20), '2'.repeat(20)]
    const { requests } = stubFetch({
      'GET /api/v1/shop/orgs/1/orders': twoPages('orders', [order({ id: first, status: 'paid' })], [order({ id: second, status: 'shipped' })], first),
      [`POST /api/v1/shop/orders/${second}/complete`]: jsonResponse(200, { order: order({ id: second, status: 'completed' }) }),
    })
    const staff = useShopStaffStore()
    staff.setOrdersOrg(1)
    await staff.loadMoreOrders()
    await staff.loadMoreOrders()
    expect((await staff.complete(second)).ok).toBe(true)
    expect(staff.orders.map((o) => o.status)).toEqual(['paid', 'completed'])
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST'])
  })

  it('pages an organisation’s listings, and a restock or withdraw answer replaces the listing in a later page', async () => {
    const [first, second] = ['a'.repeat(20), 'b'.repeat(20)]
    const { requests } = stubFetch({
      'GET /api/v1/shop/orgs/1/products': twoPages('products', [product({ id: first })], [product({ id: second, stock: 1 })], first),
      [`POST /api/v1/shop/products/${second}/restock`]: jsonResponse(200, { product: product({ id: second, stock: 11 }) }),
      [`POST /api/v1/shop/products/${first}/withdraw`]: jsonResponse(200, { product: product({ id: first, status: 'withdrawn' }) }),
    })
    const staff = useShopStaffStore()
    staff.setProductsOrg(1)
    await staff.loadMoreProducts()
    await staff.loadMoreProducts()
    expect(requests.map((r) => param(r, 'before'))).toEqual([null, first])
    expect(staff.productsFinished).toBe(true)
    expect((await staff.restock(second, 10)).ok).toBe(true)
    expect((await staff.withdraw(first)).ok).toBe(true)
    expect(staff.products.map((p) => [p.id, p.status, p.stock])).toEqual([
      [first, 'withdrawn', 5],
      [second, 'approved', 11],
    ])
  })

  it('signs out when a page of the staff lists answers 401', async () => {
    signIn()
    stubFetch({ 'GET /api/v1/shop/orgs/3/products': errorResponse(401, 'unauthenticated', '请先登录') })
    const staff = useShopStaffStore()
    staff.setProductsOrg(3)
    const result = await staff.loadMoreProducts()
    expect(!result.ok && result.error.status).toBe(401)
    expect(useAuthStore().user).toBeNull()
  })

  it('keeps the answer of an order action in the list, without asking for the order again', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/shop/orgs/1/orders': jsonResponse(200, { orders: [order({ status: 'paid' })], next_cursor: null }),
      'POST /api/v1/shop/orders/oooooooooooooooooooo/ship': jsonResponse(200, { order: order({ status: 'shipped' }) }),
    })
    const staff = useShopStaffStore()
    staff.setOrdersOrg(1)
    await staff.loadMoreOrders()
    expect((await staff.ship('o'.repeat(20), '顺丰', 'SF1')).ok).toBe(true)
    expect(staff.orders.map((o) => o.status)).toEqual(['shipped'])
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST'])
  })

  it('refunds lines under one key per attempt: the same key after a lost answer, a new one for the next refund', async () => {
    const id = 'o'.repeat(20)
    const line = order().items[0]!
    const answers: (Response | Error)[] = [
      new TypeError('Failed to fetch'),
      jsonResponse(200, { order: order({ status: 'paid', refunded_fen: 3800, items: [{ ...line, refunded_quantity: 1 }] }) }),
      jsonResponse(200, { order: order({ status: 'refunded', refunded_fen: 7600, items: [{ ...line, refunded_quantity: 2 }] }) }),
    ]
    const { requests } = stubFetch({
      'GET /api/v1/shop/orgs/1/orders': jsonResponse(200, { orders: [order({ status: 'paid' })], next_cursor: null }),
      [`POST /api/v1/shop/orders/${id}/refund`]: () => {
        const answer = answers.shift()!
        if (answer instanceof Error) {
          throw answer
        }
        return answer
      },
    })
    const staff = useShopStaffStore()
    staff.setOrdersOrg(1)
    await staff.loadMoreOrders()
    const items = [{ product_id: line.product_id, quantity: 1 }]
    const lost = await staff.refundLines(id, '买家要求', items)
    expect(lost.ok).toBe(false)
    expect(staff.orders[0]!.refunded_fen).toBe(0)
    expect((await staff.refundLines(id, '买家要求', items)).ok).toBe(true)
    expect(staff.orders[0]!.refunded_fen).toBe(3800)
    expect(staff.orders[0]!.items[0]!.refunded_quantity).toBe(1)
    expect((await staff.refundLines(id, '另一件也退', items)).ok).toBe(true)
    expect(staff.orders[0]!.status).toBe('refunded')

    const refunds = requests.filter((r) => r.method === 'POST')
    expect(refunds.map((r) => r.body)).toEqual([
      { reason: '买家要求', items },
      { reason: '买家要求', items },
      { reason: '另一件也退', items },
    ])
    const keys = refunds.map((r) => r.headers['idempotency-key'])
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).not.toBe(keys[0])
  })

  it('keeps a line refund’s key when the server refuses it, and drops it once the server says the key made another refund', async () => {
    const id = 'o'.repeat(20)
    const answers = [
      errorResponse(409, 'refund_under_way', '另一笔退款正在处理'),
      errorResponse(409, 'idempotency_key_reused', '这个请求已用于另一笔退款'),
      jsonResponse(200, { order: order({ status: 'paid' }) }),
    ]
    const line = order().items[0]!
    // Meanwhile the same key's first request made its refund: the order as it is now.
    const now = order({ id, status: 'paid', refunded_fen: 3800, items: [{ ...line, refunded_quantity: 1 }] })
    const { requests } = stubFetch({
      'GET /api/v1/shop/orgs/1/orders': jsonResponse(200, { orders: [order({ id, status: 'paid' })], next_cursor: null }),
      [`POST /api/v1/shop/orders/${id}/refund`]: () => answers.shift()!,
      [`GET /api/v1/shop/orders/${id}`]: jsonResponse(200, { order: now }),
    })
    const staff = useShopStaffStore()
    staff.setOrdersOrg(1)
    await staff.loadMoreOrders()
    const items = [{ product_id: line.product_id, quantity: 1 }]
    expect((await staff.refundLines(id, '买家要求', items)).ok).toBe(false)
    const reused = await staff.refundLines(id, '买家要求', [{ ...items[0]!, quantity: 2 }])
    expect(reused.ok ? null : reused.error.code).toBe('idempotency_key_reused')
    // Each refusal showed the order as the server has it now.
    expect(requests.filter((r) => r.method === 'GET' && r.url === `/api/v1/shop/orders/${id}`)).toHaveLength(2)
    expect(staff.orders[0]!.items[0]!.refunded_quantity).toBe(1)
    expect((await staff.refundLines(id, '买家要求', items)).ok).toBe(true)
    const keys = requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key'])
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).not.toBe(keys[1])
  })

  it('sends a full refund without items and without a key', async () => {
    const id = 'o'.repeat(20)
    const { requests } = stubFetch({ [`POST /api/v1/shop/orders/${id}/refund`]: jsonResponse(200, { order: order({ status: 'refunded' }) }) })
    expect((await useShopStaffStore().refund(id, '买家要求')).ok).toBe(true)
    expect(requests[0]!.body).toEqual({ reason: '买家要求' })
    expect(requests[0]!.headers['idempotency-key']).toBeUndefined()
  })

  it('pages every organisation’s pending listings by next_cursor, as the server orders them, and drops one once reviewed', async () => {
    const [p, q] = ['p'.repeat(20), 'q'.repeat(20)]
    const { requests } = stubFetch({
      'GET /api/v1/shop/products': twoPages(
        'products',
        [product({ id: q, status: 'pending_approval', updated_at_ms: 1 })],
        [product({ id: p, status: 'pending_approval' })],
        q,
      ),
      [`POST /api/v1/shop/products/${q}/reject`]: jsonResponse(200, { product: product({ id: q, status: 'rejected' }) }),
      [`POST /api/v1/shop/products/${p}/reject`]: errorResponse(409, 'shop.product_not_pending', '已审核'),
    })
    const staff = useShopStaffStore()
    staff.restartPending()
    await staff.loadMorePending()
    await staff.loadMorePending()
    await staff.loadMorePending()
    expect(requests.map((r) => [param(r, 'status'), param(r, 'before')])).toEqual([
      ['pending_approval', null],
      ['pending_approval', q],
    ])
    expect(staff.pending.map((x) => x.id)).toEqual([q, p])
    expect(staff.pendingFinished).toBe(true)
    expect((await staff.review(q, false, '图片不清楚')).ok).toBe(true)
    expect(staff.pending.map((x) => x.id)).toEqual([p])
    expect((await staff.review(p, false, 'x')).ok).toBe(false)
    expect(staff.pending).toHaveLength(1)
    expect(requests.at(-2)!.body).toEqual({ reason: '图片不清楚' })
  })
})
