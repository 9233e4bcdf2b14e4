/**
 * The giving flow's owner-only pages: the pay page, the donation and its trace carry a guest's
 * access token on every call and every link; the donation page fetches the whole receipt with
 * its check code; a stranger (404) sees "not found or not yours".
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import DonationPage from '@/pages/fund/DonationPage.vue'
import DonationTracePage from '@/pages/fund/DonationTracePage.vue'
import MyDonationsPage from '@/pages/fund/MyDonationsPage.vue'
import PaySandboxPage from '@/pages/pay/PaySandboxPage.vue'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'
import { CHECK_CODE, DONATION_ID, donation, PAYMENT_ID, payment, receipt, TOKEN } from '../support/fund'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

const confirmed = donation({ status: 'confirmed', receipt_no: 'GC2026-000123', receipt_check: CHECK_CODE, confirmed_at_ms: 1_700_000_100_000 })
const donationPath = `/fund/donations/${DONATION_ID}`
const donationApi = `/api/v1${donationPath}`

describe('PaySandboxPage', () => {
  it('loads and pays with the guest’s token, then follows the return link (token kept) to the donation', async () => {
    const { requests } = stubFetch({
      [`GET /api/v1/payments/${PAYMENT_ID}`]: jsonResponse(200, { payment: payment() }),
      [`POST /api/v1/payments/sandbox/${PAYMENT_ID}/pay`]: jsonResponse(200, { payment: payment({ status: 'paid' }) }),
    })
    const { wrapper, router } = await mountWithApp(PaySandboxPage, { path: `/pay/sandbox/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    expect(wrapper.get('[data-test="pay-amount"]').text()).toBe('¥20.00')
    await wrapper.get('[data-test="pay-confirm"]').trigger('click')
    await settle()
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /api/v1/payments/${PAYMENT_ID}?token=${TOKEN}`,
      `POST /api/v1/payments/sandbox/${PAYMENT_ID}/pay?token=${TOKEN}`,
    ])
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`${donationPath}?token=${TOKEN}`))
  })

  it('says "not found or not yours" to a stranger (404 payment_not_found) and offers no pay button', async () => {
    stubFetch({ [`GET /api/v1/payments/${PAYMENT_ID}`]: errorResponse(404, 'payment_not_found', '支付单不存在') })
    const { wrapper } = await mountWithApp(PaySandboxPage, { path: `/pay/sandbox/${PAYMENT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="pay-not-found"]').text()).toContain('没有找到这张支付单，或它不属于你')
    expect(wrapper.find('[data-test="pay-confirm"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="pay-error"]').exists()).toBe(false)
  })
})

describe('DonationPage', () => {
  function stubConfirmed() {
    return stubFetch({
      [`GET ${donationApi}`]: jsonResponse(200, { donation: confirmed }),
      'GET /api/v1/fund/receipts/GC2026-000123': jsonResponse(200, { receipt: receipt() }),
    })
  }

  it('asks with the guest’s token, fetches the whole receipt with its check code and shows its QR code', async () => {
    const { requests } = stubConfirmed()
    const { wrapper } = await mountWithApp(DonationPage, { path: `${donationPath}?token=${TOKEN}` })
    await settle()
    expect(requests.map((r) => r.url)).toEqual([`${donationApi}?token=${TOKEN}`, `/api/v1/fund/receipts/GC2026-000123?code=${CHECK_CODE}`])
    expect(wrapper.get('[data-test="donation-status"]').attributes('data-status')).toBe('confirmed')
    expect(wrapper.get('[data-test="receipt-donor"]').text()).toBe('陈阿姨')
    expect(wrapper.get('[data-test="receipt-check-code"]').text()).toBe(CHECK_CODE)
    expect(wrapper.get('[data-test="receipt-qr"]').attributes('src')).toBe(`/api/v1/fund/receipts/GC2026-000123/qr.svg?code=${CHECK_CODE}`)
    expect(wrapper.find('[data-test="receipt-print"]').exists()).toBe(true)
  })

  it('links the trace with the guest’s token and the verification with the check code (the QR code’s link)', async () => {
    stubConfirmed()
    const { wrapper, router } = await mountWithApp(DonationPage, { path: `${donationPath}?token=${TOKEN}` })
    await settle()
    await wrapper.get('[data-test="trace-link"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`${donationPath}/trace?token=${TOKEN}`))
    await router.push(`${donationPath}?token=${TOKEN}`)
    await settle()
    await wrapper.get('[data-test="receipt-verify-link"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/r/GC2026-000123?code=${CHECK_CODE}`))
  })

  it('sends no token and links the trace without one for a signed-in donor', async () => {
    const { requests } = stubConfirmed()
    const { wrapper, router } = await mountWithApp(DonationPage, { path: donationPath })
    await settle()
    expect(requests[0]?.url).toBe(donationApi)
    await wrapper.get('[data-test="trace-link"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`${donationPath}/trace`))
  })

  it('says a refund is under way while one is requested', async () => {
    stubFetch({
      [`GET ${donationApi}`]: jsonResponse(200, { donation: { ...confirmed, refund_requested: true } }),
      'GET /api/v1/fund/receipts/GC2026-000123': jsonResponse(200, { receipt: receipt() }),
    })
    const { wrapper } = await mountWithApp(DonationPage, { path: donationPath })
    await settle()
    expect(wrapper.get('[data-test="donation-refund-requested"]').text()).toContain('正在退款')
  })

  it('says "not found or not yours" to a stranger (404 donation_not_found), in both languages', async () => {
    for (const [locale, text] of [
      ['zh-CN', '没有找到这笔捐款，或它不属于你'],
      ['en', 'No such donation, or it is not yours'],
    ] as const) {
      stubFetch({ [`GET ${donationApi}`]: errorResponse(404, 'donation_not_found', '捐赠记录不存在') })
      const { wrapper } = await mountWithApp(DonationPage, { path: donationPath, locale })
      await settle()
      expect(wrapper.get('[data-test="donation-not-found"]').text()).toContain(text)
      expect(wrapper.find('[data-test="donation-error"]').exists()).toBe(false)
      expect(wrapper.find('[data-test="receipt"]').exists()).toBe(false)
      wrapper.unmount()
    }
  })
})

describe('DonationTracePage', () => {
  it('asks with the guest’s token', async () => {
    const { requests } = stubFetch({
      [`GET ${donationApi}/trace`]: jsonResponse(200, { donation: confirmed, allocations: [], unallocated_fen: 2000 }),
    })
    const { wrapper } = await mountWithApp(DonationTracePage, { path: `${donationPath}/trace?token=${TOKEN}` })
    await settle()
    expect(requests[0]?.url).toBe(`${donationApi}/trace?token=${TOKEN}`)
    expect(wrapper.get('[data-test="trace-summary"]').text()).toContain('¥20.00')
  })

  it('says "not found or not yours" to a stranger', async () => {
    stubFetch({ [`GET ${donationApi}/trace`]: errorResponse(404, 'donation_not_found', '捐赠记录不存在') })
    const { wrapper } = await mountWithApp(DonationTracePage, { path: `${donationPath}/trace` })
    await settle()
    expect(wrapper.get('[data-test="trace-not-found"]').text()).toContain('没有找到这笔捐款，或它不属于你')
  })
})

describe('MyDonationsPage', () => {
  it('links each donation by its public id, with no token (the session is the key)', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      'GET /api/v1/me/donations': jsonResponse(200, { donations: [confirmed] }),
      [`GET ${donationApi}`]: jsonResponse(200, { donation: confirmed }),
      'GET /api/v1/fund/receipts/GC2026-000123': jsonResponse(200, { receipt: receipt() }),
    })
    const { wrapper, router } = await mountWithApp(MyDonationsPage, { path: '/me/donations' })
    await settle()
    await wrapper.get('[data-test="my-donation"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(donationPath))
  })
})
