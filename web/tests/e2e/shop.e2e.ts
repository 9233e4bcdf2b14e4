/**
 * 公益商城 on a phone (390×844), against the real server with the demo data: the resident 陈阿姨
 * opens the shop from the home grid, searches, opens 长者手工香囊 (all proceeds donated: the page
 * names the fundraiser and the filing number), puts it and 《桂城社区故事》 in the cart, checks out
 * with pickup at the venue, pays on the sandbox page and comes back to the order — ready for
 * pickup, with its QR code, its code and the 捐赠票据 of the donation part. A checkout asking for
 * more than is left is refused with the product named and nothing changed. Then 博睿社工's staff
 * refunds the book line in 订单管理 (¥58.00 back, the order still ready for pickup), types the
 * pickup code (the order becomes completed) and lists a new product; a fund admin approves it and
 * it goes on sale. 长辈模式 at the end, with axe's colour contrast; the buyer's order page there
 * shows the refunded line and a new 捐赠票据 for the donation that stays.
 * Screenshots go to $E2E_OUT (shop-*.png).
 *
 * Without "shop" in `GET /api/v1/meta` features the suite is skipped — or, with
 * CARECITY_REQUIRE_FEATURES=1, every test fails saying so.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  loginWithDemoPassword,
  logout,
  openDemoSuitePage,
  type PhonePage,
  screenshot,
  sel,
  seriousContrastViolations,
  startDemoSuite,
  stopDemoSuite,
} from './support'

const suite = await startDemoSuite({ name: 'shop', features: ['shop'], api: 'shop', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

const RESIDENT = '13800000001'
const STAFF = '13800000002' // 博睿社工
const FUND_ADMIN = '13800000004'
const SACHET = '长者手工香囊' // 博睿社工, ¥38.00, all proceeds donated
const BOOK = '《桂城社区故事》' // 博睿社工, ¥58.00, 30% donated = ¥17.40
const COASTERS = '长者编织杯垫（两只装）' // 8 in stock
const NEW_TITLE = '叠滘龙舟手绘扇'
const PUBLIC_ID = '[a-z2-7]{20}'

let phone: PhonePage
let page: Page
let orderPath = ''
let pickupCode = ''
let receiptNo = ''
/** The order's public id, the last part of `orderPath`. */
const orderId = () => orderPath.split('/').pop() ?? ''

const shot = (name: string) => screenshot(page, name)
const text = async (id: string) => ((await page.locator(sel(id)).first().textContent()) ?? '').trim()
const card = (title: string) => page.locator(sel('product-card'), { hasText: title })

async function openProduct(title: string): Promise<void> {
  await page.goto(server.url + '/shop')
  await page.locator(`${sel('shop-search')} input`).fill(title)
  await expect.poll(() => card(title).count()).toBe(1)
  await card(title).click()
  await page.waitForURL(new RegExp(`/shop/products/${PUBLIC_ID}$`))
  await expect.poll(() => text('product-title')).toBe(title)
}

/** Signs in through the UI as `account` after signing out whoever was signed in. */
async function switchTo(account: string): Promise<void> {
  await logout(page, server.url)
  await loginWithDemoPassword(page, server.url, account)
}

describe.skipIf(suite.skip)('公益商城: buy two items, pay, refund a line, pick up; list and approve a product', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
  })

  afterAll(async () => {
    await stopDemoSuite(suite, phone)
  })

  step('opens the shop from the home grid: each card shows the price and its donation part', async () => {
    await loginWithDemoPassword(page, server.url, RESIDENT)
    await page.goto(server.url + '/')
    await page.locator(sel('section-shop')).click()
    await page.waitForURL('**/shop')
    await expect.poll(() => card(SACHET).count()).toBe(1)
    expect(await card(SACHET).locator(sel('product-price')).textContent()).toBe('¥38.00')
    expect(await card(SACHET).locator(sel('product-donation')).textContent()).toContain('其中 ¥38.00 捐入关爱基金')
    expect(await card(BOOK).locator(sel('product-donation')).textContent()).toContain('其中 ¥17.40 捐入关爱基金')
    await shot('shop-01-list')
    // A category chip narrows the list to 书刊.
    await page.locator(sel('category-books')).click()
    await expect.poll(() => page.locator(sel('product-card')).count()).toBe(1)
    expect(await card(BOOK).count()).toBe(1)
    await page.locator(sel('category-all')).click()
    await expect.poll(() => page.locator(sel('product-card')).count()).toBeGreaterThan(1)
  })

  step('shows a product with its donation part, goods value, stock, fundraiser and filing number', async () => {
    await openProduct(SACHET)
    expect(await text('product-split-total')).toBe('¥38.00')
    expect(await text('product-split-donation')).toBe('¥38.00')
    expect(await text('product-split-goods')).toBe('¥0.00')
    expect(await text('product-stock')).toContain('剩 40 件')
    expect(await text('fundraiser-name')).not.toBe('')
    expect(await text('product-filing-no')).toMatch(/募捐备案号：\S+/)
    expect(await page.locator(sel('product-no-photo')).count()).toBe(1)
    await shot('shop-02-product')
    await page.locator(sel('product-add')).click()
    await expect.poll(() => page.locator(sel('product-added')).isVisible()).toBe(true)
  })

  step('buys a second item now: the cart totals price and donation', async () => {
    await openProduct(BOOK)
    await page.locator(sel('product-buy-now')).click()
    await page.waitForURL('**/shop/cart')
    await expect.poll(() => page.locator(sel('cart-line')).count()).toBe(2)
    expect(await text('cart-split-total')).toBe('¥96.00')
    expect(await text('cart-split-donation')).toBe('¥55.40')
    expect(await text('cart-split-goods')).toBe('¥40.60')
    await shot('shop-03-cart')
    // The cart survives a reload: it is kept for this user on the device.
    await page.reload()
    await expect.poll(() => page.locator(sel('cart-line')).count()).toBe(2)
  })

  step('checks out with pickup at the venue and pays on the sandbox page', async () => {
    await page.locator(sel('cart-checkout')).click()
    await page.waitForURL('**/shop/checkout')
    await expect.poll(() => page.locator(`${sel('checkout-venue')} option:checked`).textContent()).toContain('关爱桂城企业创享家')
    expect(await text('checkout-split-donation')).toBe('¥55.40')
    await shot('shop-04-checkout')
    await page.locator(sel('checkout-submit')).click()
    await page.waitForURL(new RegExp(`/pay/sandbox/${PUBLIC_ID}$`))
    await expect.poll(() => text('pay-amount')).toBe('¥96.00')
    await shot('shop-05-sandbox-pay')
    await page.locator(sel('pay-confirm')).click()
    await page.waitForURL(new RegExp(`/shop/orders/${PUBLIC_ID}$`))
    orderPath = new URL(page.url()).pathname
  })

  step('shows the paid order ready for pickup, with its QR code, code and donation receipt', async () => {
    await expect.poll(() => page.locator(sel('order-status')).getAttribute('data-status'), { timeout: 30_000 }).toBe('ready_for_pickup')
    const qr = page.locator(sel('order-pickup-qr'))
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    pickupCode = (await text('order-pickup-code')).replace(/^取货码：/, '')
    expect(pickupCode).toMatch(/^\S{6,}$/)
    expect(await page.locator(sel('order-line')).count()).toBe(2)
    expect(await text('order-split-total')).toBe('¥96.00')
    expect(await text('order-split-donation')).toBe('¥55.40')
    receiptNo = await text('order-receipt')
    expect(receiptNo).toMatch(/捐赠票据 \S+/)
    expect(await page.locator(sel('order-cancel')).count()).toBe(0)
    await shot('shop-06-order-ready')
    // The cart was emptied by the order; 我的订单 lists it.
    await page.goto(server.url + '/me')
    await page.locator(sel('me-shop-orders')).click()
    await page.waitForURL('**/me/shop-orders')
    await expect.poll(() => page.locator(`${sel('order-item')}[data-status="ready_for_pickup"]`).count()).toBe(1)
    await shot('shop-07-my-orders')
  })

  step('refuses a checkout asking for more than is left, names the product and changes nothing', async () => {
    await openProduct(COASTERS)
    for (let i = 1; i < 8; i++) {
      await page.locator(sel('product-quantity-plus')).click()
    }
    expect(await text('product-quantity-value')).toBe('8')
    await page.locator(sel('product-buy-now')).click()
    await page.waitForURL('**/shop/cart')
    // Someone else buys one meanwhile (straight through the API).
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: FUND_ADMIN, password: 'guicheng2012' }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
    const productId = await page.locator(sel('cart-line')).getAttribute('data-product-id')
    const other = await fetch(`${server.url}/api/v1/shop/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'Idempotency-Key': 'e2e-other-buyer-1' },
      body: JSON.stringify({ items: [{ product_id: productId, quantity: 1 }], fulfilment: { kind: 'pickup', venue_id: 1 }, anonymous: false }),
    })
    expect(other.status).toBe(201)
    await page.locator(sel('cart-checkout')).click()
    await page.waitForURL('**/shop/checkout')
    await page.locator(sel('checkout-submit')).click()
    await expect.poll(() => page.locator(sel('checkout-sold-out')).isVisible()).toBe(true)
    expect(await text('checkout-sold-out')).toContain(`“${COASTERS}”库存不足，订单没有提交`)
    expect(page.url()).toContain('/shop/checkout')
    await shot('shop-08-sold-out')
    // Nothing was reserved: 7 left. The cart kept the buyer's 8 and says so.
    const left = (await (await fetch(`${server.url}/api/v1/shop/products/${productId}`)).json()) as { product: { stock: number } }
    expect(left.product.stock).toBe(7)
    await page.locator(sel('checkout-fix-cart')).click()
    await page.waitForURL('**/shop/cart')
    expect(await text('cart-over-stock')).toContain('库存只剩 7 件')
    expect(await page.locator(sel('cart-checkout')).isDisabled()).toBe(true)
    await page.locator(sel('cart-remove')).click()
    await expect.poll(() => page.locator(sel('cart-empty')).isVisible()).toBe(true)
  })

  step('the seller’s staff refunds the book line in 订单管理: ¥58.00 back, the order still ready for pickup', async () => {
    await switchTo(STAFF)
    await page.locator(sel('me-shop-staff-orders')).click()
    await page.waitForURL('**/shop/manage/orders')
    const order = page.locator(`${sel('order-item')}[data-order-id="${orderId()}"]`)
    await expect.poll(() => order.getAttribute('data-status')).toBe('ready_for_pickup')
    expect(await order.locator(sel('order-item-refunded')).count()).toBe(0)
    await order.locator(sel('staff-orders-refund')).click()
    // One stepper per line with something left, both at 0: nothing to refund yet.
    await expect.poll(() => order.locator(sel('staff-orders-refund-line')).count()).toBe(2)
    const bookLine = order.locator(sel('staff-orders-refund-line'), { hasText: BOOK })
    expect(await bookLine.locator(sel('staff-orders-refund-quantity-value')).textContent()).toBe('0')
    await bookLine.locator(sel('staff-orders-refund-quantity-plus')).click()
    expect(await bookLine.locator(sel('staff-orders-refund-quantity-value')).textContent()).toBe('1')
    // One book was bought: the stepper stops at 1.
    expect(await bookLine.locator(sel('staff-orders-refund-quantity-plus')).isDisabled()).toBe(true)
    await expect.poll(() => order.locator(`${sel('staff-orders-refund-total')} input`).inputValue()).toBe('¥58.00')
    expect(((await order.locator(sel('staff-orders-refund-confirm')).textContent()) ?? '').trim()).toBe('确认退款 ¥58.00')
    await order.locator(`${sel('staff-orders-refund-reason')} input`).fill('书页破损，居民退回一本')
    await shot('shop-09-staff-refund')
    await order.locator(sel('staff-orders-refund-confirm')).click()
    await expect.poll(() => order.locator(sel('order-item-refunded')).textContent()).toBe('已退款 ¥58.00')
    const refundedLines = order.locator(sel('staff-orders-line-refunded'))
    expect(await refundedLines.count()).toBe(1)
    expect((await refundedLines.textContent())?.trim()).toBe(`${BOOK}：已退 1 件`)
    expect(await order.getAttribute('data-status')).toBe('ready_for_pickup')
    expect(await page.locator(sel('staff-orders-error')).count()).toBe(0)
    await shot('shop-10-staff-refunded')
  })

  step('the seller’s staff types the pickup code and the order is completed', async () => {
    await page.goto(server.url + '/me')
    await page.locator(sel('me-shop-pickup')).click()
    await page.waitForURL('**/shop/manage/pickup')
    await page.locator(`${sel('pickup-code')} input`).fill(pickupCode)
    await page.locator(sel('pickup-submit')).click()
    await expect.poll(() => page.locator(sel('pickup-done')).isVisible()).toBe(true)
    await shot('shop-11-pickup-done')
    // The same code again is refused as used.
    await page.locator(`${sel('pickup-code')} input`).fill(pickupCode)
    await page.locator(sel('pickup-submit')).click()
    await expect.poll(() => page.locator(sel('pickup-error')).getAttribute('data-code')).toBe('shop.pickup_used')
    await page.goto(server.url + orderPath)
    await expect.poll(() => page.locator(sel('order-status')).getAttribute('data-status')).toBe('completed')
    expect(await text('order-buyer')).toContain('陈*')
    await page.goto(server.url + '/shop/manage/orders')
    await expect.poll(() => page.locator(`${sel('order-item')}[data-status="completed"]`).count()).toBeGreaterThan(0)
    await shot('shop-12-staff-orders')
  })

  step('staff lists a new product with a live donation preview; it waits for review', async () => {
    await page.goto(server.url + '/me')
    await page.locator(sel('me-shop-manage')).click()
    await page.waitForURL('**/shop/manage')
    await expect.poll(() => page.locator(sel('manage-product')).count()).toBeGreaterThan(0)
    await page.locator(sel('manage-new')).click()
    await page.waitForURL('**/shop/manage/new**')
    await page.locator(`${sel('form-title')} input`).fill(NEW_TITLE)
    await page.locator(`${sel('form-description')} textarea`).fill('青少年成长营手绘，**一扇一画**。')
    await page.locator(`${sel('form-price')} input`).fill('50')
    await page.locator(`${sel('form-stock')} input`).fill('20')
    await page.locator(sel('form-kind-percent')).click()
    await page.locator(`${sel('form-donation-percent')} input`).fill('40')
    await expect.poll(() => text('form-preview')).toBe('每售出一件：捐入关爱基金 ¥20.00，商品价值 ¥30.00')
    await shot('shop-13-product-form')
    await page.locator(sel('form-submit')).click()
    await page.waitForURL('**/shop/manage')
    const mine = page.locator(sel('manage-product'), { hasText: NEW_TITLE })
    await expect.poll(() => mine.getAttribute('data-status')).toBe('pending_approval')
    await shot('shop-14-manage')
  })

  step('a fund admin approves it and it goes on sale', async () => {
    await switchTo(FUND_ADMIN)
    await page.locator(sel('me-shop-review')).click()
    await page.waitForURL('**/shop/review')
    const pending = page.locator(sel('review-product'), { hasText: NEW_TITLE })
    await expect.poll(() => pending.count()).toBe(1)
    await shot('shop-15-review')
    await pending.locator(sel('review-approve')).click()
    await expect.poll(() => pending.count()).toBe(0)
    await page.goto(server.url + '/shop')
    await page.locator(`${sel('shop-search')} input`).fill(NEW_TITLE)
    await expect.poll(() => card(NEW_TITLE).count()).toBe(1)
    expect(await card(NEW_TITLE).locator(sel('product-donation')).textContent()).toContain('其中 ¥20.00 捐入关爱基金')
  })

  step('长辈模式: large list and order page, colour contrast passes', async () => {
    await switchTo(RESIDENT)
    await page.goto(server.url + '/shop')
    await page.locator(sel('toggle-elder')).click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    await expect.poll(() => card(SACHET).count()).toBe(1)
    await shot('shop-16-elder-list')
    expect(await seriousContrastViolations(page, 'axe-elder-shop.json')).toEqual([])
    await page.goto(server.url + orderPath)
    await expect.poll(() => page.locator(sel('order-status')).getAttribute('data-status')).toBe('completed')
    // The buyer sees what went back: the book line and the amount.
    const bookLine = page.locator(sel('order-line'), { hasText: BOOK })
    expect((await bookLine.locator(sel('order-line-refunded')).textContent())?.trim()).toBe('已退 1 件')
    expect(await page.locator(sel('order-line-refunded')).count()).toBe(1)
    expect(await text('order-refunded')).toBe('已退款 ¥58.00')
    // The book's ¥17.40 donation went back with it; the sachet's ¥38.00 stays, as the new receipt says.
    expect(await text('order-donation-kept')).toBe('退款后捐入关爱基金 ¥38.00')
    // The receipt was voided and one issued for the donation that stays.
    expect(await text('order-receipt')).toMatch(/捐赠票据 \S+/)
    expect(await text('order-receipt')).not.toBe(receiptNo)
    await shot('shop-17-elder-order')
    expect(phone.pageErrors).toEqual([])
  })
})
