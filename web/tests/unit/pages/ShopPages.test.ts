import { Button } from 'vant'
import type { VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import CheckoutPage from '@/pages/shop/CheckoutPage.vue'
import MyOrdersPage from '@/pages/shop/MyOrdersPage.vue'
import OrderPage from '@/pages/shop/OrderPage.vue'
import ShopPage from '@/pages/shop/ShopPage.vue'
import ManageProductsPage from '@/pages/shop-admin/ManageProductsPage.vue'
import ProductFormPage from '@/pages/shop-admin/ProductFormPage.vue'
import ReviewPage from '@/pages/shop-admin/ReviewPage.vue'
import StaffOrdersPage from '@/pages/shop-admin/StaffOrdersPage.vue'
import { useAuthStore } from '@/stores/auth'
import { useCartStore } from '@/stores/cart'
import { errorResponse, jsonResponse, type RecordedRequest, type Responder, sampleUser, stubFetch, twoPages } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'
import { order, product } from '../support/shop'

const A = 'a'.repeat(20)
const B = 'b'.repeat(20)
const meta = { name: 'x', version: '1', consent_version: '1', public_origin: '', features: ['shop', 'fund'] }

function stub(routes: Record<string, Responder | Response>) {
  return stubFetch({
    'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
    'GET /api/v1/meta': jsonResponse(200, meta),
    'GET /api/v1/venues': jsonResponse(200, { venues: [{ id: 1, name: '关爱桂城企业创享家', address: '南海大道北', map_url: '' }] }),
    ...routes,
  })
}

/** Where a `van-button` with `to` leads. */
const buttonTo = (wrapper: VueWrapper, id: string) =>
  wrapper.findAllComponents(Button).find((b) => b.attributes('data-test') === id)?.props('to')

const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST' || r.method === 'PATCH')

/** The `before` of each request for the list at `path` (null: its first page). */
const pagesAsked = (requests: RecordedRequest[], path: string) =>
  requests.filter((r) => r.method === 'GET' && r.url.startsWith(`${path}?`)).map((r) => new URL(r.url, 'http://localhost').searchParams.get('before'))

afterEach(() => {
  document.body.innerHTML = ''
  localStorage.clear()
})

describe('CheckoutPage', () => {
  async function mountWithCart(routes: Record<string, Responder | Response>) {
    const stubbed = stub(routes)
    const mounted = await mountWithApp(CheckoutPage, { path: '/shop/checkout' })
    const auth = useAuthStore()
    await auth.ensureLoaded()
    const cart = useCartStore()
    cart.add(product({ id: A, title: '长者手工香囊', stock: 5 }), 2)
    cart.add(product({ id: B, title: '《桂城社区故事》', price_fen: 5800, donation_fen: 1740, stock: 3 }), 1)
    await settle()
    return { ...mounted, ...stubbed, cart }
  }

  it('names the sold-out product, keeps the cart, and records what is left', async () => {
    const { wrapper, requests, cart } = await mountWithCart({
      'POST /api/v1/shop/orders': jsonResponse(409, { error: { code: 'shop.sold_out', message: '库存不足', field: null, product_id: B } }),
      [`GET /api/v1/shop/products/${B}`]: jsonResponse(200, { product: product({ id: B, stock: 0 }) }),
    })
    expect(wrapper.get('[data-test="checkout-split-total"]').text()).toBe('¥134.00')
    expect(wrapper.get('[data-test="checkout-split-donation"]').text()).toBe('¥57.40')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="checkout-sold-out"]').text()).toContain('“《桂城社区故事》”库存不足，订单没有提交')
    expect(cart.lines.map((l) => [l.product_id, l.quantity, l.stock])).toEqual([
      [A, 2, 5],
      [B, 1, 0],
    ])
    expect(posts(requests)[0]!.body).toEqual({
      items: [
        { product_id: A, quantity: 2 },
        { product_id: B, quantity: 1 },
      ],
      fulfilment: { kind: 'pickup', venue_id: 1 },
      anonymous: false,
    })
  })

  it('checks a delivery address before sending, then goes to the pay page and empties the cart', async () => {
    const { wrapper, requests, router, cart } = await mountWithCart({
      'POST /api/v1/shop/orders': jsonResponse(201, { order: order(), payment: { id: 'p'.repeat(20), pay_url: `/pay/sandbox/${'p'.repeat(20)}` } }),
    })
    await wrapper.get('[data-test="checkout-kind-delivery"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(wrapper.text()).toContain('请填写 11 位手机号码')
    await wrapper.get('[data-test="checkout-name"] input').setValue('陈阿姨')
    await wrapper.get('[data-test="checkout-phone"] input').setValue('13912345678')
    await wrapper.get('[data-test="checkout-address"] textarea').setValue('桂城街道南海大道北 1 号')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]!.body).toMatchObject({ fulfilment: { kind: 'delivery', name: '陈阿姨', phone: '13912345678' } })
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/pay/sandbox/${'p'.repeat(20)}`))
    expect(cart.lines).toEqual([])
  })
})

describe('ShopPage', () => {
  it('fetches the first page once when Enter comes before the typing pause ends', async () => {
    const { requests } = stub({ 'GET /api/v1/shop/products': () => jsonResponse(200, { products: [product()], next_cursor: null }) })
    const { wrapper } = await mountWithApp(ShopPage, { path: '/shop' })
    await settle()
    await wrapper.get('[data-test="shop-search"] input').setValue('香囊')
    await wrapper.get('[data-test="shop-search"] input').trigger('keydown', { key: 'Enter' })
    await settle()
    await new Promise((done) => setTimeout(done, 600))
    await settle()
    const searches = requests.filter((r) => r.url.startsWith('/api/v1/shop/products') && new URL(r.url, 'http://localhost').searchParams.get('q') === '香囊')
    expect(searches).toHaveLength(1)
    wrapper.unmount()
  })
})

describe('ProductFormPage', () => {
  it('previews the donation part live and sends fen, without photo_ids when there are no photos', async () => {
    const { requests } = stub({ 'POST /api/v1/shop/products': jsonResponse(201, { product: product({ status: 'pending_approval' }) }) })
    const { wrapper } = await mountWithApp(ProductFormPage, { path: '/shop/manage/new' })
    await useAuthStore().ensureLoaded()
    await settle()
    await wrapper.get('[data-test="form-title"] input').setValue('叠滘龙舟手绘扇')
    await wrapper.get('[data-test="form-price"] input').setValue('50.5')
    await wrapper.get('[data-test="form-stock"] input').setValue('20')
    expect(wrapper.get('[data-test="form-preview"]').text()).toBe('每售出一件：捐入关爱基金 ¥0.00，商品价值 ¥50.50')
    await wrapper.get('[data-test="form-kind-percent"]').trigger('click')
    await wrapper.get('[data-test="form-donation-percent"] input').setValue('33')
    // 5050 × 33% = 1666.5 → 1666 fen, rounded down as the server does.
    expect(wrapper.get('[data-test="form-preview"]').text()).toBe('每售出一件：捐入关爱基金 ¥16.66，商品价值 ¥33.84')
    await wrapper.get('[data-test="product-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]!.body).toEqual({
      org_id: 3,
      title: '叠滘龙舟手绘扇',
      description: '',
      category: 'handmade',
      price_fen: 5050,
      stock: 20,
      donation: { kind: 'percent', value: 33 },
    })
  })
})

/** The error Vant shows under the field with `data-test` `id` ('' when none). */
function fieldError(wrapper: Pick<VueWrapper, 'find'>, id: string): string {
  const message = wrapper.find(`[data-test="${id}"] .van-field__error-message`)
  return message.exists() ? message.text() : ''
}

describe('ManageProductsPage', () => {
  async function mountManage(restock: Responder | Response) {
    const stubbed = stub({
      'GET /api/v1/shop/orgs/3/products': jsonResponse(200, { products: [product({ id: A, org: { id: 3, name: '博睿社工' } })], next_cursor: null }),
      [`POST /api/v1/shop/products/${A}/restock`]: restock,
    })
    const mounted = await mountWithApp(ManageProductsPage, { path: '/shop/manage' })
    await useAuthStore().ensureLoaded()
    await settle()
    await mounted.wrapper.get('[data-test="manage-restock"]').trigger('click')
    return { ...mounted, ...stubbed }
  }

  it('shows the server’s refusal of the quantity under the field, and drops it once the quantity is edited', async () => {
    const { wrapper, requests } = await mountManage(errorResponse(400, 'invalid_value', '补货数量须在 1 到 1,000,000 之间', 'quantity'))
    await wrapper.get('[data-test="manage-restock-quantity"] input').setValue('2000000')
    await wrapper.get('.manage-products__restock').trigger('submit')
    await settle()
    expect(posts(requests)[0]!.body).toEqual({ quantity: 2_000_000 })
    expect(fieldError(wrapper, 'manage-restock-quantity')).toBe('补货数量须在 1 到 1,000,000 之间')
    expect(wrapper.find('[data-test="manage-error"]').exists()).toBe(false)
    await wrapper.get('[data-test="manage-restock-quantity"] input').setValue('200')
    expect(fieldError(wrapper, 'manage-restock-quantity')).toBe('')
  })

  it('asks for a whole number before sending', async () => {
    const { wrapper, requests } = await mountManage(jsonResponse(200, { product: product({ id: A, stock: 5 }) }))
    await wrapper.get('.manage-products__restock').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(fieldError(wrapper, 'manage-restock-quantity')).toBe('请输入正整数')
  })

  it('lists the listings of every page, and a restock of one on the second page updates it there', async () => {
    const { requests } = stub({
      'GET /api/v1/shop/orgs/3/products': twoPages('products', [product({ id: A })], [product({ id: B, title: '《桂城社区故事》', stock: 1 })], A),
      [`POST /api/v1/shop/products/${B}/restock`]: jsonResponse(200, { product: product({ id: B, title: '《桂城社区故事》', stock: 6 }) }),
    })
    const { wrapper } = await mountWithApp(ManageProductsPage, { path: '/shop/manage' })
    await useAuthStore().ensureLoaded()
    await settle()
    expect(pagesAsked(requests, '/api/v1/shop/orgs/3/products')).toEqual([null, A])
    const listed = wrapper.findAll('[data-test="manage-product"]')
    expect(listed.map((p) => p.attributes('data-product-id'))).toEqual([A, B])
    expect(wrapper.text()).toContain('没有更多商品了')
    await listed[1]!.get('[data-test="manage-restock"]').trigger('click')
    await wrapper.get('[data-test="manage-restock-quantity"] input').setValue('5')
    await wrapper.get('.manage-products__restock').trigger('submit')
    await settle()
    expect(wrapper.findAll('[data-test="manage-product"]')[1]!.text()).toContain('库存 6')
    expect(pagesAsked(requests, '/api/v1/shop/orgs/3/products')).toEqual([null, A])
  })
})

describe('StaffOrdersPage', () => {
  const O1 = '1'.repeat(20)
  const O2 = '2'.repeat(20)
  const paidDelivery = (id: string) =>
    order({
      id,
      status: 'paid',
      items: [{ ...order().items[0]!, org: { id: 3, name: '博睿社工' } }],
      fulfilment: { kind: 'delivery', delivery: { name: '陈阿姨', phone: '139****5678', address: '' }, delivery_masked: true },
    })

  const REASON = '[data-test="staff-orders-refund-reason"] textarea, [data-test="staff-orders-refund-reason"] input'

  async function mountOrders(routes: Record<string, Responder | Response>) {
    const stubbed = stub({ 'GET /api/v1/shop/orgs/3/orders': jsonResponse(200, { orders: [paidDelivery(O1), paidDelivery(O2)], next_cursor: null }), ...routes })
    const mounted = await mountWithApp(StaffOrdersPage, { path: '/shop/manage/orders' })
    await useAuthStore().ensureLoaded()
    await settle()
    return { ...mounted, ...stubbed }
  }

  it('lists the orders of every page until the last, and starts from the first page of another organisation', async () => {
    const O3 = '3'.repeat(20)
    const twoOrgs = {
      ...sampleUser,
      roles: [...sampleUser.roles, { role: 'org_staff', org_id: 4, org_name: '桂城书社', village_id: null, village_name: null }],
    }
    const { requests } = stub({
      'GET /api/v1/me': jsonResponse(200, { user: twoOrgs }),
      'GET /api/v1/shop/orgs/3/orders': twoPages('orders', [paidDelivery(O1)], [paidDelivery(O2)], O1),
      'GET /api/v1/shop/orgs/4/orders': jsonResponse(200, { orders: [order({ id: O3 })], next_cursor: null }),
    })
    const { wrapper } = await mountWithApp(StaffOrdersPage, { path: '/shop/manage/orders' })
    await useAuthStore().ensureLoaded()
    await settle()
    expect(pagesAsked(requests, '/api/v1/shop/orgs/3/orders')).toEqual([null, O1])
    const ids = () => wrapper.findAll('[data-test="order-item"]').map((item) => item.attributes('data-order-id'))
    expect(ids()).toEqual([O1, O2])
    expect(wrapper.text()).toContain('没有更多订单了')
    await wrapper.get('[data-test="staff-org"]').setValue('4')
    await settle()
    expect(pagesAsked(requests, '/api/v1/shop/orgs/4/orders')).toEqual([null])
    expect(ids()).toEqual([O3])
  })

  it('shows a refused tracking number under that order’s field only, until it is edited', async () => {
    const { wrapper, requests } = await mountOrders({
      [`POST /api/v1/shop/orders/${O2}/ship`]: errorResponse(400, 'invalid_value', '快递单号须为 4 到 40 个字符', 'tracking_no'),
    })
    const second = wrapper.findAll('[data-test="order-item"]')[1]!
    await second.get('[data-test="staff-orders-carrier"] input').setValue('顺丰')
    await second.get('[data-test="staff-orders-tracking"] input').setValue('SF1')
    await second.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]!.body).toEqual({ carrier: '顺丰', tracking_no: 'SF1' })
    expect(fieldError(second, 'staff-orders-tracking')).toBe('快递单号须为 4 到 40 个字符')
    expect(fieldError(second, 'staff-orders-carrier')).toBe('')
    expect(wrapper.findAll('.van-field__error-message')).toHaveLength(1)
    expect(wrapper.find('[data-test="staff-orders-error"]').exists()).toBe(false)
    await second.get('[data-test="staff-orders-tracking"] input').setValue('SF1234567')
    expect(fieldError(second, 'staff-orders-tracking')).toBe('')
  })

  it('shows a refused refund reason under the reason, and asks for one before sending', async () => {
    const { wrapper, requests } = await mountOrders({
      [`POST /api/v1/shop/orders/${O1}/refund`]: errorResponse(400, 'invalid_value', '退款原因须为 2 到 200 个字符', 'reason'),
    })
    const first = wrapper.findAll('[data-test="order-item"]')[0]!
    await first.get('[data-test="staff-orders-refund"]').trigger('click')
    await first.get('[data-test="staff-orders-refund-confirm"]').trigger('click')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(fieldError(first, 'staff-orders-refund-reason')).toBe('此项必填')
    await first.get(REASON).setValue('错')
    expect(fieldError(first, 'staff-orders-refund-reason')).toBe('')
    await first.get('[data-test="staff-orders-refund-all"]').trigger('click')
    await settle()
    expect(posts(requests)[0]!.body).toEqual({ reason: '错' })
    expect(fieldError(first, 'staff-orders-refund-reason')).toBe('退款原因须为 2 到 200 个字符')
  })

  describe('in an order shared with another seller', () => {
    const O3 = '3'.repeat(20)
    const line = order().items[0]!
    const shared = (refunded: number) =>
      order({
        id: O3,
        status: 'paid',
        refunded_fen: refunded * 3800,
        items: [
          { ...line, product_id: A, org: { id: 3, name: '博睿社工' }, quantity: 3, refunded_quantity: refunded },
          { ...line, product_id: B, title: '《桂城社区故事》', org: { id: 4, name: '桂城书社' } },
        ],
      })

    async function mountShared(refund: Responder | Response) {
      const mounted = await mountOrders({
        'GET /api/v1/shop/orgs/3/orders': jsonResponse(200, { orders: [shared(1)], next_cursor: null }),
        [`POST /api/v1/shop/orders/${O3}/refund`]: refund,
      })
      await mounted.wrapper.get('[data-test="staff-orders-refund"]').trigger('click')
      return mounted
    }

    it('shows what was refunded, and offers its own line only, up to what is left of it', async () => {
      const { wrapper } = await mountShared(jsonResponse(200, { order: shared(3) }))
      expect(wrapper.get('[data-test="order-item-refunded"]').text()).toBe('已退款 ¥38.00')
      expect(wrapper.get('[data-test="staff-orders-line-refunded"]').text()).toBe('长者手工香囊：已退 1 件')
      const lines = wrapper.findAll('[data-test="staff-orders-refund-line"]')
      expect(lines.map((l) => l.attributes('data-product-id'))).toEqual([A])
      expect(lines[0]!.text()).toContain('长者手工香囊（可退 2 件）')
      expect(wrapper.find('[data-test="staff-orders-refund-all"]').exists()).toBe(false)
      await wrapper.get('[data-test="staff-orders-refund-quantity-plus"]').trigger('click')
      await wrapper.get('[data-test="staff-orders-refund-quantity-plus"]').trigger('click')
      expect(wrapper.get('[data-test="staff-orders-refund-quantity-value"]').text()).toBe('2')
      expect(wrapper.get('[data-test="staff-orders-refund-quantity-plus"]').attributes('disabled')).toBeDefined()
      expect((wrapper.get('[data-test="staff-orders-refund-total"] input').element as HTMLInputElement).value).toBe('¥76.00')
      expect(wrapper.get('[data-test="staff-orders-refund-confirm"]').text()).toBe('确认退款 ¥76.00')
    })

    it('sends the chosen quantities with a key, and asks for a quantity before sending', async () => {
      const { wrapper, requests } = await mountShared(jsonResponse(200, { order: shared(2) }))
      await wrapper.get(REASON).setValue('买家要求')
      await wrapper.get('[data-test="staff-orders-refund-confirm"]').trigger('click')
      await settle()
      expect(posts(requests)).toHaveLength(0)
      expect(fieldError(wrapper, 'staff-orders-refund-total')).toBe('请选择要退回的商品数量')
      await wrapper.get('[data-test="staff-orders-refund-quantity-plus"]').trigger('click')
      expect(fieldError(wrapper, 'staff-orders-refund-total')).toBe('')
      await wrapper.get('[data-test="staff-orders-refund-confirm"]').trigger('click')
      await settle()
      expect(posts(requests).map((r) => r.body)).toEqual([{ reason: '买家要求', items: [{ product_id: A, quantity: 1 }] }])
      expect(posts(requests)[0]!.headers['idempotency-key']).toBeTruthy()
      expect(wrapper.get('[data-test="staff-orders-line-refunded"]').text()).toBe('长者手工香囊：已退 2 件')
      // The dialog closed, and the next refund starts without quantities or reason.
      expect(wrapper.find('[data-test="staff-orders-refund-confirm"]').exists()).toBe(false)
      await wrapper.get('[data-test="staff-orders-refund"]').trigger('click')
      expect((wrapper.get(REASON).element as HTMLInputElement).value).toBe('')
      expect(wrapper.get('[data-test="staff-orders-refund-quantity-value"]').text()).toBe('0')
    })

    it('shows a quantity the server refuses under that line, until it is changed', async () => {
      const { wrapper } = await mountShared(errorResponse(409, 'shop.refund_too_many', '退款数量超过可退数量', 'items[0].quantity'))
      await wrapper.get(REASON).setValue('买家要求')
      await wrapper.get('[data-test="staff-orders-refund-quantity-plus"]').trigger('click')
      await wrapper.get('[data-test="staff-orders-refund-confirm"]').trigger('click')
      await settle()
      expect(fieldError(wrapper, 'staff-orders-refund-line')).toBe('退款数量超过可退数量')
      expect(wrapper.find('[data-test="staff-orders-error"]').exists()).toBe(false)
      await wrapper.get('[data-test="staff-orders-refund-quantity-minus"]').trigger('click')
      expect(fieldError(wrapper, 'staff-orders-refund-line')).toBe('')
    })
  })
})

describe('MyOrdersPage', () => {
  const O1 = '1'.repeat(20)
  const O2 = '2'.repeat(20)

  it('lists the orders of every page, newest first, and says when there are no more', async () => {
    const { requests } = stub({ 'GET /api/v1/shop/orders': twoPages('orders', [order({ id: O1 })], [order({ id: O2, status: 'completed' })], O1) })
    const { wrapper } = await mountWithApp(MyOrdersPage, { path: '/me/shop-orders' })
    await settle()
    expect(pagesAsked(requests, '/api/v1/shop/orders')).toEqual([null, O1])
    expect(wrapper.findAll('[data-test="order-item"]').map((item) => item.attributes('data-status'))).toEqual(['pending_payment', 'completed'])
    expect(wrapper.text()).toContain('没有更多订单了')
    expect(wrapper.find('[data-test="my-orders-empty"]').exists()).toBe(false)
  })

  it('shows a failed page with its reason and asks for it again when tapped; no orders at all is the empty state', async () => {
    let down = true
    stub({
      'GET /api/v1/shop/orders': () => (down ? errorResponse(503, 'unavailable', '服务繁忙') : jsonResponse(200, { orders: [], next_cursor: null })),
    })
    const { wrapper } = await mountWithApp(MyOrdersPage, { path: '/me/shop-orders' })
    await settle()
    expect(wrapper.get('.van-list__error-text').text()).toContain('服务繁忙')
    expect(wrapper.find('[data-test="my-orders-empty"]').exists()).toBe(false)
    down = false
    await wrapper.get('.van-list__error-text').trigger('click')
    await settle()
    expect(wrapper.find('.van-list__error-text').exists()).toBe(false)
    expect(wrapper.find('[data-test="my-orders-empty"]').exists()).toBe(true)
  })
})

describe('ReviewPage', () => {
  it('lists the pending listings of every page, and takes one out once approved', async () => {
    const { requests } = stub({
      'GET /api/v1/shop/products': twoPages('products', [product({ id: A, status: 'pending_approval' })], [product({ id: B, status: 'pending_approval' })], A),
      [`POST /api/v1/shop/products/${B}/approve`]: jsonResponse(200, { product: product({ id: B, status: 'approved' }) }),
    })
    const { wrapper } = await mountWithApp(ReviewPage, { path: '/shop/review' })
    await settle()
    expect(pagesAsked(requests, '/api/v1/shop/products')).toEqual([null, A])
    const listed = () => wrapper.findAll('[data-test="review-product"]').map((p) => p.attributes('data-product-id'))
    expect(listed()).toEqual([A, B])
    await wrapper.findAll('[data-test="review-approve"]')[1]!.trigger('click')
    await settle()
    expect(listed()).toEqual([A])
    expect(pagesAsked(requests, '/api/v1/shop/products')).toEqual([null, A])
  })
})

describe('OrderPage', () => {
  const ID = 'o'.repeat(20)

  it('offers the unpaid order’s payment with the time left, and cancels it on the page (no pop-up)', async () => {
    const now = Date.now()
    let status: 'pending_payment' | 'cancelled' = 'pending_payment'
    const { requests } = stub({
      [`GET /api/v1/shop/orders/${ID}`]: () => jsonResponse(200, { order: order({ status, expires_at_ms: now + 10 * 60_000 }) }),
      [`POST /api/v1/shop/orders/${ID}/cancel`]: () => {
        status = 'cancelled'
        return jsonResponse(200, { order: order({ status }) })
      },
    })
    const { wrapper } = await mountWithApp(OrderPage, { path: `/shop/orders/${ID}` })
    await settle()
    expect(wrapper.get('[data-test="order-status"]').attributes('data-status')).toBe('pending_payment')
    expect(wrapper.get('[data-test="order-countdown"]').text()).toMatch(/请在 (10:00|9:5\d) 内付款/)
    expect(buttonTo(wrapper, 'order-pay')).toBe(`/pay/sandbox/${'p'.repeat(20)}`)
    expect(wrapper.find('[data-test="order-pickup"]').exists()).toBe(false)
    await wrapper.get('[data-test="order-cancel"]').trigger('click')
    expect(posts(requests)).toHaveLength(0)
    await wrapper.get('[data-test="order-cancel-confirm"]').trigger('click')
    await settle()
    expect(posts(requests).map((r) => r.url)).toEqual([`/api/v1/shop/orders/${ID}/cancel`])
    expect(wrapper.get('[data-test="order-status"]').attributes('data-status')).toBe('cancelled')
    expect(wrapper.find('[data-test="order-pay"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows the pickup QR code and code, and the donation receipt, once paid', async () => {
    stub({
      [`GET /api/v1/shop/orders/${ID}`]: jsonResponse(200, {
        order: order({ status: 'ready_for_pickup', pickup_code: 'abcd2345', receipt_no: 'GC2026-000009', paid_at_ms: 1_700_000_100_000, payment: { id: 'p'.repeat(20), status: 'paid' } }),
      }),
    })
    const { wrapper } = await mountWithApp(OrderPage, { path: `/shop/orders/${ID}` })
    await settle()
    expect(wrapper.get('[data-test="order-pickup-qr"]').attributes('src')).toBe(`/api/v1/shop/orders/${ID}/pickup-qr.svg`)
    expect(wrapper.get('[data-test="order-pickup-code"]').text()).toBe('取货码：abcd2345')
    expect(buttonTo(wrapper, 'order-receipt')).toEqual({ name: 'receipt-verify', params: { receiptNo: 'GC2026-000009' } })
    expect(wrapper.get('[data-test="order-split-donation"]').text()).toBe('¥40.00')
    expect(wrapper.get('[data-test="order-split-goods"]').text()).toBe('¥36.00')
    expect(wrapper.find('[data-test="order-cancel"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows how many of a line and how much of the order were refunded', async () => {
    const line = order().items[0]!
    stub({
      [`GET /api/v1/shop/orders/${ID}`]: jsonResponse(200, {
        order: order({ status: 'paid', refunded_fen: 3800, items: [{ ...line, refunded_quantity: 1 }, { ...line, product_id: B, title: '《桂城社区故事》' }] }),
      }),
    })
    const { wrapper } = await mountWithApp(OrderPage, { path: `/shop/orders/${ID}` })
    await settle()
    const lines = wrapper.findAll('[data-test="order-line"]')
    expect(lines[0]!.get('[data-test="order-line-refunded"]').text()).toBe('已退 1 件')
    expect(lines[1]!.find('[data-test="order-line-refunded"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="order-refunded"]').text()).toBe('已退款 ¥38.00')
    // ¥20.00 a unit: one of the first line's two went back, both of the second stay.
    expect(wrapper.get('[data-test="order-donation-kept"]').text()).toBe('退款后捐入关爱基金 ¥60.00')
    wrapper.unmount()
  })
})
