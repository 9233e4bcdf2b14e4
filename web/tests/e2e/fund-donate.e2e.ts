/**
 * The Care Fund's main path on a phone (390×844), against the real server with the demo data:
 * /fund → 我要捐款 → ¥20, anonymous → the sandbox pay page → 确认支付 → the confirmed donation
 * with its receipt and QR → /r/{no} says valid → where the money went → the public journal
 * shows the anonymous ¥20.00 → axe colour contrast on /fund in 长辈模式. Screenshots go to
 * $E2E_OUT.
 *
 * The server side of the fund may not exist yet. The file first starts the server and reads
 * `GET /api/v1/meta`: without `"fund"` in `features` the suite is skipped — or, when
 * CARECITY_REQUIRE_FUND=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  openDemoSuitePage,
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

let phone: PhonePage
let page: Page
let donationPath = ''
let receiptNo = ''

const shot = (name: string) => screenshot(page, name)

describe.skipIf(suite.skip)('Care Fund: donate ¥20 anonymously on a phone', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return // every test fails through `step` with the reason
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
  })

  afterAll(() => stopDemoSuite(suite, phone))

  step('opens the fund from the home grid and shows the summary with charts', async () => {
    await page.goto(server.url + '/')
    await page.locator(sel('section-fund')).click()
    await page.waitForURL('**/fund')
    await expect.poll(() => page.locator(sel('figure-raised')).isVisible()).toBe(true)
    expect(await page.locator(`${sel('figure-raised')}`).textContent()).toMatch(/¥[\d,]+\.\d{2}/)
    expect(((await page.locator(sel('fundraiser-name')).textContent()) ?? '').trim()).not.toBe('')
    expect(((await page.locator(sel('fundraiser-credit-code')).textContent()) ?? '').trim()).not.toBe('')
    // Charts (lazy ECharts chunk) in normal mode, with their tables alongside.
    await expect.poll(() => page.locator(`${sel('echart')} svg`).count()).toBeGreaterThan(0)
    expect(await page.locator(sel('table-sources')).count()).toBe(1)
    await shot('fund-01-summary')
  })

  step('donates ¥20 anonymously and lands on the sandbox pay page', async () => {
    await page.locator(sel('fund-donate')).click()
    await page.waitForURL('**/fund/donate')
    await expect.poll(() => page.locator(`${sel('purpose-picker')} .van-radio`).count()).toBeGreaterThan(0)
    // The appeal page names the fundraiser of record and the chosen purpose's filing number.
    await expect.poll(() => page.locator(sel('fundraiser-name')).isVisible()).toBe(true)
    await page.locator(sel('preset-2000')).click()
    expect(await page.locator(sel('preset-2000')).getAttribute('aria-pressed')).toBe('true')
    await page.locator(sel('donate-anonymous')).click()
    expect(await page.locator(sel('donate-anonymous')).getAttribute('aria-checked')).toBe('true')
    await shot('fund-02-donate-form')
    await page.locator(sel('donate-submit')).click()
    await page.waitForURL(/\/pay\/sandbox\/\d+$/)
    await expect.poll(() => page.locator(sel('pay-amount')).textContent()).toBe('¥20.00')
    expect(await page.locator(sel('sandbox-label')).textContent()).toContain('模拟支付（沙箱）— 不会真实扣款')
    await shot('fund-03-sandbox-pay')
  })

  step('pays and shows the confirmed donation with its receipt and QR code', async () => {
    await page.locator(sel('pay-confirm')).click()
    await page.waitForURL(/\/fund\/donations\/\d+$/)
    donationPath = new URL(page.url()).pathname
    await expect.poll(() => page.locator(sel('donation-status')).getAttribute('data-status'), { timeout: 30_000 }).toBe('confirmed')
    await expect.poll(() => page.locator(sel('receipt-no')).isVisible()).toBe(true)
    receiptNo = ((await page.locator(sel('receipt-no')).textContent()) ?? '').trim()
    expect(receiptNo).not.toBe('')
    expect(await page.locator(sel('receipt-donor')).textContent()).toContain('匿名')
    expect(await page.locator(sel('receipt-amount')).textContent()).toBe('¥20.00')
    expect(((await page.locator(sel('receipt-words')).textContent()) ?? '').trim()).not.toBe('')
    const qr = page.locator(sel('receipt-qr'))
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await shot('fund-04-donation-receipt')
  })

  step('verifies the receipt on its public /r/{no} page', async () => {
    await page.locator(sel('receipt-verify-link')).click()
    await page.waitForURL(`**/r/${encodeURIComponent(receiptNo)}`)
    await expect.poll(() => page.locator(sel('verify-verdict')).getAttribute('data-state')).toBe('valid')
    expect(await page.locator(sel('verify-verdict')).textContent()).toContain('真实有效')
    expect(((await page.locator(sel('receipt-no')).textContent()) ?? '').trim()).toBe(receiptNo)
    await shot('fund-05-receipt-valid')

    // A made-up number is "not found", not an error.
    await page.goto(`${server.url}/r/NO-SUCH-RECEIPT-0`)
    await expect.poll(() => page.locator(sel('verify-verdict')).getAttribute('data-state')).toBe('not_found')
  })

  step('shows where the money went', async () => {
    await page.goto(server.url + donationPath)
    await expect.poll(() => page.locator(sel('trace-link')).isVisible()).toBe(true)
    await page.locator(sel('trace-link')).click()
    await page.waitForURL(/\/fund\/donations\/\d+\/trace$/)
    await expect.poll(() => page.locator(sel('trace-unallocated')).isVisible()).toBe(true)
    expect(await page.locator(sel('trace-summary')).textContent()).toContain('¥20.00')
    await shot('fund-06-trace')
  })

  step('lists the anonymous ¥20.00 donation in the public journal', async () => {
    await page.goto(server.url + '/fund/journal')
    const entry = page.locator(sel('journal-entry'), { has: page.locator(sel('entry-donor'), { hasText: '匿名' }) }).filter({
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
