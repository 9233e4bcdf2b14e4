/**
 * The Care Fund's main path on a phone (390×844), against the real server with the demo data:
 * /fund → 我要捐款 → ¥20 as the guest 李小华 → the sandbox pay page (its link carries the guest's
 * access token) → 确认支付 → the confirmed donation with its whole receipt and QR → the QR's
 * link (/r/{no}?code=) shows the whole receipt, /r/{no} without the code the public
 * verification with the donor masked (李**) → a stranger (a second browser) opening the
 * donation, its trace or its pay page without the token sees "not found or not yours" → where
 * the money went (the trace link keeps the token) → the public journal shows 李** ¥20.00 → axe
 * colour contrast on /fund in 长辈模式. Screenshots go to $E2E_OUT.
 *
 * The server side of the fund may not exist yet. The file first starts the server and reads
 * `GET /api/v1/meta`: without `"fund"` in `features` the suite is skipped — or, when
 * CARECITY_REQUIRE_FUND=1, every test in it fails with a message saying so.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  openDemoSuitePage,
  openPhonePage,
  type PhonePage,
  screenshot,
  sel,
  seriousContrastViolations,
  startDemoSuite,
  stopDemoSuite,
} from './support'

/** Seed, start, and ask the server whether it serves the fund API. */
const suite = await startDemoSuite({ name: 'fund', features: ['fund'], api: 'fund', requireEnv: 'CARECITY_REQUIRE_FUND' })
const { server, step } = suite

/** The guest donor's name: whole on their receipt, masked (李**) for the public. */
const DONOR = '李小华'
const DONOR_MASKED = '李**'
const PUBLIC_ID = '[a-z2-7]{20}'
const TOKEN = '[0-9a-f]{32}'

let phone: PhonePage
let stranger: PhonePage | undefined
let page: Page
/** The donation page as its guest donor reached it: path and `?token=`. */
let donationPath = ''
let donationUrl: URL
let payPath = ''
let receiptNo = ''
let checkCode = ''

const shot = (name: string) => screenshot(page, name)

describe.skipIf(suite.skip)('Care Fund: donate ¥20 as a guest on a phone', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return // every test fails through `step` with the reason
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
  })

  afterAll(async () => {
    await stranger?.context.close()
    await stopDemoSuite(suite, phone)
  })

  step('opens the fund from the home grid and shows the summary with charts', async () => {
    await page.goto(server.url + '/')
    await page.locator(sel('section-fund')).click()
    await page.waitForURL('**/fund')
    await expect.poll(() => page.locator(sel('figure-raised')).isVisible()).toBe(true)
    expect(await page.locator(`${sel('figure-raised')}`).textContent()).toMatch(/¥[\d,]+\.\d{2}/)
    expect(((await page.locator(sel('fundraiser-name')).textContent()) ?? '').trim()).not.toBe('')
    expect(((await page.locator(sel('fundraiser-credit-code')).textContent()) ?? '').trim()).not.toBe('')
    // Charts (lazy ECharts chunk) in normal mode, with their tables alongside: each is fetched and
    // drawn once scrolled onto the screen.
    await page.locator(sel('lazy-chart')).first().scrollIntoViewIfNeeded()
    await expect.poll(() => page.locator(`${sel('echart')} svg`).count()).toBeGreaterThan(0)
    expect(await page.locator(sel('table-sources')).count()).toBe(1)
    await shot('fund-01-summary')
  })

  step('donates ¥20 under a name and lands on the sandbox pay page, its link carrying the guest’s token', async () => {
    await page.locator(sel('fund-donate')).click()
    await page.waitForURL('**/fund/donate')
    await expect.poll(() => page.locator(`${sel('purpose-picker')} .van-radio`).count()).toBeGreaterThan(0)
    // The appeal page names the fundraiser of record and the chosen purpose's filing number.
    await expect.poll(() => page.locator(sel('fundraiser-name')).isVisible()).toBe(true)
    await page.locator(sel('preset-2000')).click()
    expect(await page.locator(sel('preset-2000')).getAttribute('aria-pressed')).toBe('true')
    // The anonymous switch works both ways; this donor gives under their name.
    await page.locator(sel('donate-anonymous')).click()
    expect(await page.locator(sel('donate-anonymous')).getAttribute('aria-checked')).toBe('true')
    await page.locator(sel('donate-anonymous')).click()
    expect(await page.locator(sel('donate-anonymous')).getAttribute('aria-checked')).toBe('false')
    await page.locator(`${sel('donate-name')} input`).fill(DONOR)
    await shot('fund-02-donate-form')
    await page.locator(sel('donate-submit')).click()
    await page.waitForURL(new RegExp(`/pay/sandbox/${PUBLIC_ID}\\?token=${TOKEN}$`))
    payPath = new URL(page.url()).pathname
    await expect.poll(() => page.locator(sel('pay-amount')).textContent()).toBe('¥20.00')
    expect(await page.locator(sel('sandbox-label')).textContent()).toContain('模拟支付（沙箱）— 不会真实扣款')
    await shot('fund-03-sandbox-pay')
  })

  step('pays and shows the confirmed donation with its whole receipt and QR code', async () => {
    await page.locator(sel('pay-confirm')).click()
    // The return link keeps the token: the guest's key to their donation.
    await page.waitForURL(new RegExp(`/fund/donations/${PUBLIC_ID}\\?token=${TOKEN}$`))
    donationUrl = new URL(page.url())
    donationPath = donationUrl.pathname
    await expect.poll(() => page.locator(sel('donation-status')).getAttribute('data-status'), { timeout: 30_000 }).toBe('confirmed')
    await expect.poll(() => page.locator(sel('receipt-no')).isVisible()).toBe(true)
    receiptNo = ((await page.locator(sel('receipt-no')).textContent()) ?? '').trim()
    expect(receiptNo).not.toBe('')
    expect(((await page.locator(sel('receipt-donor')).textContent()) ?? '').trim()).toBe(DONOR)
    expect(await page.locator(sel('receipt-amount')).textContent()).toBe('¥20.00')
    checkCode = ((await page.locator(sel('receipt-check-code')).textContent()) ?? '').trim()
    expect(checkCode).not.toBe('')
    expect(await page.locator(sel('receipt-print')).isVisible()).toBe(true)
    expect(((await page.locator(sel('receipt-words')).textContent()) ?? '').trim()).not.toBe('')
    const qr = page.locator(sel('receipt-qr'))
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await shot('fund-04-donation-receipt')
  })

  step('opens the whole receipt by the QR code’s link (/r/{no}?code=)', async () => {
    // What the QR code encodes, as the server gives it to whoever holds the check code.
    const response = await fetch(`${server.url}/api/v1/fund/receipts/${encodeURIComponent(receiptNo)}?code=${checkCode}`)
    const { receipt } = (await response.json()) as { receipt: { verify_url: string; full: boolean } }
    expect(receipt.full).toBe(true)
    const qrLink = new URL(receipt.verify_url)
    expect(qrLink.pathname + qrLink.search).toBe(`/r/${encodeURIComponent(receiptNo)}?code=${checkCode}`)
    // The page's own "verify" link is the same link.
    await page.locator(sel('receipt-verify-link')).click()
    await page.waitForURL((url) => url.pathname + url.search === qrLink.pathname + qrLink.search)
    await page.goto(server.url + qrLink.pathname + qrLink.search)
    await expect.poll(() => page.locator(sel('verify-verdict')).getAttribute('data-state')).toBe('valid')
    expect(await page.locator(sel('verify-verdict')).textContent()).toContain('真实有效')
    expect(((await page.locator(sel('receipt-no')).textContent()) ?? '').trim()).toBe(receiptNo)
    expect(((await page.locator(sel('receipt-donor')).textContent()) ?? '').trim()).toBe(DONOR)
    expect(((await page.locator(sel('receipt-check-code')).textContent()) ?? '').trim()).toBe(checkCode)
    const qr = page.locator(sel('receipt-qr'))
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    expect(await page.locator(sel('verify-public-note')).count()).toBe(0)
    await shot('fund-05-receipt-valid')
  })

  step('shows the public verification without the code: donor masked, no check code, QR or print', async () => {
    await page.goto(`${server.url}/r/${encodeURIComponent(receiptNo)}`)
    await expect.poll(() => page.locator(sel('verify-verdict')).getAttribute('data-state')).toBe('valid')
    expect(((await page.locator(sel('receipt-donor')).textContent()) ?? '').trim()).toBe(DONOR_MASKED)
    expect(await page.locator(sel('receipt-amount')).textContent()).toBe('¥20.00')
    expect(await page.locator(sel('verify-public-note')).textContent()).toContain('公开核验信息：捐赠人姓名已隐去')
    expect(await page.locator(sel('receipt-check-code')).count()).toBe(0)
    expect(await page.locator(sel('receipt-qr')).count()).toBe(0)
    expect(await page.locator(sel('receipt-print')).count()).toBe(0)
    expect(await page.content()).not.toContain(DONOR)
    await shot('fund-05b-receipt-public')
    // Nor does the QR code draw without the code.
    expect((await fetch(`${server.url}/api/v1/fund/receipts/${encodeURIComponent(receiptNo)}/qr.svg`)).status).toBe(404)

    // A made-up number is "not found", not an error.
    await page.goto(`${server.url}/r/NO-SUCH-RECEIPT-0`)
    await expect.poll(() => page.locator(sel('verify-verdict')).getAttribute('data-state')).toBe('not_found')
  })

  step('shows a stranger (another browser) "not found or not yours" for the donation, its trace and its payment', async () => {
    stranger = await openPhonePage(join(suite.workDir, 'profile-stranger'))
    const other = stranger.page
    const wrongToken = '0'.repeat(32)
    for (const url of [donationPath, `${donationPath}?token=${wrongToken}`]) {
      await other.goto(server.url + url)
      await expect.poll(() => other.locator(sel('donation-not-found')).isVisible()).toBe(true)
      expect(await other.locator(sel('donation-not-found')).textContent()).toContain('没有找到这笔捐款，或它不属于你')
      expect(await other.locator(sel('receipt')).count()).toBe(0)
    }
    await other.goto(`${server.url}${donationPath}/trace`)
    await expect.poll(() => other.locator(sel('trace-not-found')).isVisible()).toBe(true)
    await other.goto(server.url + payPath)
    await expect.poll(() => other.locator(sel('pay-not-found')).isVisible()).toBe(true)
    expect(await other.locator(sel('pay-confirm')).count()).toBe(0)
    await screenshot(other, 'fund-05c-stranger-not-found')
    // The API says the same: 404, as if the donation did not exist.
    expect((await fetch(`${server.url}/api/v1${donationPath}`)).status).toBe(404)
    expect(stranger.pageErrors).toEqual([])
  })

  step('shows where the money went (the trace link keeps the guest’s token)', async () => {
    await page.goto(donationUrl.toString())
    await expect.poll(() => page.locator(sel('trace-link')).isVisible()).toBe(true)
    await page.locator(sel('trace-link')).click()
    await page.waitForURL((url) => url.pathname === `${donationPath}/trace` && url.searchParams.get('token') === donationUrl.searchParams.get('token'))
    await expect.poll(() => page.locator(sel('trace-unallocated')).isVisible()).toBe(true)
    expect(await page.locator(sel('trace-summary')).textContent()).toContain('¥20.00')
    await shot('fund-06-trace')
  })

  step('lists the ¥20.00 donation in the public journal with the donor masked', async () => {
    await page.goto(server.url + '/fund/journal')
    const entry = page.locator(sel('journal-entry'), { has: page.locator(sel('entry-donor'), { hasText: DONOR_MASKED }) }).filter({
      has: page.locator(sel('entry-amount'), { hasText: '¥20.00' }),
    })
    await expect.poll(() => entry.count()).toBeGreaterThan(0)
    await entry.first().locator('button').click()
    await expect.poll(() => entry.first().locator(sel('entry-lines')).isVisible()).toBe(true)
    await shot('fund-07-journal')
    expect(await page.locator(sel('journal-csv')).getAttribute('href')).toBe('/api/v1/fund/entries.csv')
  })

  step('shows tables instead of charts in 长辈模式 and passes axe colour contrast on /fund', async () => {
    await page.goto(server.url + '/fund')
    await page.locator(sel('toggle-elder')).click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    await page.reload()
    await expect.poll(() => page.locator(sel('figure-raised')).isVisible()).toBe(true)
    await expect.poll(() => page.locator(sel('table-sources')).isVisible()).toBe(true)
    expect(await page.locator(sel('echart')).count()).toBe(0)
    await shot('fund-08-elder-summary')

    expect(await seriousContrastViolations(page, 'axe-elder-fund.json')).toEqual([])
  })

  step('raised no uncaught errors in the page', () => {
    expect(phone.pageErrors).toEqual([])
  })
})
