/**
 * 公益拍卖's main path on phones (390×844), against the real server with the demo data (which has
 * no lots): the fund admin 黄主任 creates a lot on 拍品管理 (starting now, ¥100), the other fund
 * admin 何会计 approves it (maker–checker) → two residents in two browsers (陈阿姨 = A, 周老师 =
 * B) open it from the list → A bids ¥100 in the bid sheet and leads → B sees the price and bid
 * count change live, without a reload → B outbids A at ¥110 → A sees it live and is told they
 * are outbid → in 长辈模式 the bid form is a panel on the page, not a pop-up → A wins a short lot
 * at its close, pays it on the sandbox pay page and returns to the lot, paid. Screenshots go to
 * $E2E_OUT.
 *
 * Without `"auction"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  DEMO_PASSWORD,
  loginWithDemoPassword,
  logout,
  openDemoSuitePage,
  openPhonePage,
  type PhonePage,
  scratchDir,
  screenshot,
  sel,
  seriousContrastViolations,
  startDemoSuite,
  stopDemoSuite,
} from './support'

const ADMIN = '13800000004'
const CHECKER = '13800000008'
const RESIDENT_A = '13800000001'
const RESIDENT_B = '13800000005'
const TITLE = '岭南山水（书法）· 义拍'
const DONOR = '陈大文'

/**
 * The suite's server settings: no soft close (a bid in the last minutes would move a short lot's
 * end by 5 minutes), so a lot ending 20 s after its bid closes at the next 30-second maintenance.
 */
const config = scratchDir('carecity-auction-config-')
const configFile = join(config.path, 'auction.toml')
writeFileSync(configFile, '[auction]\nextend_minutes = 0\n')

const suite = await startDemoSuite({
  name: 'auction',
  features: ['auction'],
  api: 'auction',
  requireEnv: 'CARECITY_REQUIRE_FEATURES',
  serverArgs: ['--config', configFile],
})
if (suite.skip) {
  config.remove()
}
const { server, step } = suite

let phoneA: PhonePage
let phoneB: PhonePage | undefined
let a: Page
let b: Page
let lotPath = ''

/** Marks the page; the mark survives only as long as the page is not reloaded. */
const markNoReload = (page: Page) => page.evaluate(() => Object.assign(window, { __auctionNoReload: true }))
const stillNoReload = (page: Page) => page.evaluate(() => (window as unknown as { __auctionNoReload?: boolean }).__auctionNoReload === true)
const text = (page: Page, id: string) => page.locator(sel(id)).first().textContent()

/** Signs in over the API (outside the browsers) and returns a JSON POST with that session. */
async function apiAs(phone: string): Promise<(path: string, body: object) => Promise<{ status: number; body: unknown }>> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: phone, password: DEMO_PASSWORD }),
  })
  expect(login.status).toBe(200)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return async (path, body) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: await response.json() }
  }
}

describe.skipIf(suite.skip)('公益拍卖: two residents bid on one lot and see each other live', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return // every test fails through `step` with the reason
    }
    phoneA = await openDemoSuitePage(suite)
    a = phoneA.page
    phoneB = await openPhonePage(join(suite.workDir, 'profile-b'))
    b = phoneB.page
  })

  afterAll(async () => {
    await phoneB?.context.close()
    await stopDemoSuite(suite, phoneA)
    config.remove()
  })

  step('a fund admin creates a lot starting now on 拍品管理; it waits for approval', async () => {
    await loginWithDemoPassword(a, server.url, ADMIN)
    await a.locator(sel('me-auction-manage')).click()
    await a.waitForURL('**/auction/manage')
    await a.locator(sel('manage-new-lot')).click()
    await a.waitForURL('**/auction/manage/new')
    await a.locator(`${sel('lot-form-title')} input`).fill(TITLE)
    await a.locator(`${sel('lot-form-description')} textarea`).fill('桂城书法协会会员作品，纸本，68×68 cm。')
    await a.locator(`${sel('lot-form-donor')} input`).fill(DONOR)
    await a.locator(`${sel('lot-form-start-price')} input`).fill('100')
    expect(await text(a, 'lot-form-increments')).toContain('拍品页')
    await screenshot(a, 'auction-01-create-lot')
    await a.locator(sel('lot-form-submit')).click()
    await a.waitForURL('**/auction/manage')
    const pending = a.locator(sel('manage-pending-lot')).filter({ hasText: TITLE })
    await expect.poll(() => pending.count()).toBe(1)
    // The creator may not approve their own lot.
    await pending.locator(sel('manage-approve')).click()
    await expect.poll(() => pending.textContent()).toContain('不能审核自己创建的拍品')
    await logout(a, server.url)
  })

  step('the other fund admin approves it and it is live', async () => {
    await loginWithDemoPassword(a, server.url, CHECKER)
    await a.goto(server.url + '/auction/manage')
    const pending = a.locator(sel('manage-pending-lot')).filter({ hasText: TITLE })
    await expect.poll(() => pending.count()).toBe(1)
    await pending.locator(sel('manage-approve')).click()
    await expect.poll(() => a.locator(sel('manage-running-lot')).filter({ hasText: TITLE }).count()).toBe(1)
    await screenshot(a, 'auction-02-manage-approved')
    await logout(a, server.url)
  })

  step('two residents open the lot from the list, with its countdown', async () => {
    await loginWithDemoPassword(a, server.url, RESIDENT_A)
    await loginWithDemoPassword(b, server.url, RESIDENT_B)
    await a.goto(server.url + '/')
    await a.locator(sel('section-auction')).click()
    await a.waitForURL('**/auction')
    const card = a.locator(sel('lot-card')).filter({ hasText: TITLE })
    await expect.poll(() => card.count()).toBe(1)
    await expect.poll(() => card.locator(sel('lot-countdown')).textContent()).toMatch(/^距结束 \d+天 \d\d:\d\d:\d\d$/)
    const first = await card.locator(sel('lot-countdown')).textContent()
    await expect.poll(() => card.locator(sel('lot-countdown')).textContent(), { timeout: 5_000 }).not.toBe(first)
    expect(await card.locator(sel('lot-price')).textContent()).toBe('¥100.00')
    await screenshot(a, 'auction-03-list')
    await card.click()
    await a.waitForURL(/\/auction\/lots\/[a-z2-7]{20}$/)
    lotPath = new URL(a.url()).pathname
    await b.goto(server.url + lotPath)
    for (const page of [a, b]) {
      await expect.poll(() => text(page, 'lot-title')).toBe(TITLE)
      await expect.poll(() => text(page, 'lot-feed')).toBe('实时更新中')
      expect(await text(page, 'lot-donor')).toBe('陈**')
      expect(await text(page, 'lot-bid-count')).toBe('暂无出价')
      await markNoReload(page)
    }
    await screenshot(a, 'auction-04-lot-page')
  })

  step('A bids ¥100 in the bid sheet and leads; B sees it appear live', async () => {
    await a.locator(sel('lot-bid')).click()
    const sheet = a.locator('.van-action-sheet').filter({ has: a.locator(sel('bid-panel')) })
    await expect.poll(() => sheet.isVisible()).toBe(true)
    expect(await sheet.locator(sel('bid-quick-0')).textContent()).toContain('¥100.00')
    expect(await sheet.locator(sel('bid-quick-1')).textContent()).toContain('¥110.00')
    expect(await sheet.locator(sel('bid-quick-2')).textContent()).toContain('¥120.00')
    expect(await sheet.textContent()).toContain('系统将在您的最高出价内自动代您加价')
    await sheet.locator(sel('bid-quick-0')).click()
    await screenshot(a, 'auction-05-bid-sheet', false)
    await sheet.locator(sel('bid-submit')).click()
    await expect.poll(() => a.locator(sel('lot-standing-leading')).isVisible()).toBe(true)
    expect(await text(a, 'lot-my-max')).toContain('¥100.00')

    await expect.poll(() => text(b, 'lot-bid-count')).toBe('出价 1 次')
    expect(await text(b, 'lot-price')).toBe('¥100.00')
    expect(await text(b, 'lot-leader')).toContain('陈**')
    expect(await stillNoReload(b)).toBe(true)
  })

  step('B outbids at ¥110; A sees the new price live and that they are outbid', async () => {
    await b.locator(sel('lot-bid')).click()
    const sheet = b.locator('.van-action-sheet').filter({ has: b.locator(sel('bid-panel')) })
    await expect.poll(() => sheet.isVisible()).toBe(true)
    expect(await sheet.locator(sel('bid-minimum')).textContent()).toContain('¥110.00')
    await sheet.locator(sel('bid-quick-0')).click()
    await sheet.locator(sel('bid-submit')).click()
    await expect.poll(() => b.locator(sel('lot-standing-leading')).isVisible()).toBe(true)

    await expect.poll(() => text(a, 'lot-bid-count')).toBe('出价 2 次')
    expect(await text(a, 'lot-price')).toBe('¥110.00')
    await expect.poll(() => a.locator(sel('lot-standing-outbid')).isVisible()).toBe(true)
    expect(await a.locator(sel('lot-standing-leading')).count()).toBe(0)
    expect(await stillNoReload(a)).toBe(true)
    await expect.poll(() => a.locator(`${sel('lot-history')} li`).count()).toBe(2)
    // A's own "出价成功" toast from the previous step has gone: the screenshots show the live state.
    await expect.poll(() => a.locator('.van-toast').isVisible(), { timeout: 5_000 }).toBe(false)
    await expect.poll(() => b.locator('.van-toast').isVisible(), { timeout: 5_000 }).toBe(false)
    await screenshot(a, 'auction-06-a-outbid-live')
    expect(await seriousContrastViolations(a, 'axe-auction-lot.json')).toEqual([])
    await screenshot(b, 'auction-07-b-leading')
  })

  step('a refused bid shows the server’s reason: A’s ¥110 is now too low', async () => {
    await a.locator(sel('lot-bid')).click()
    const sheet = a.locator('.van-action-sheet').filter({ has: a.locator(sel('bid-panel')) })
    await expect.poll(() => sheet.isVisible()).toBe(true)
    await sheet.locator(`${sel('bid-max')} input`).fill('110')
    await sheet.locator(sel('bid-submit')).click()
    await expect.poll(() => sheet.locator(sel('bid-error')).textContent()).toContain('出价低于当前最低可出价')
    await sheet.locator(sel('bid-cancel')).click()
  })

  step('我的竞拍 shows A outbid on the lot, with the outbid notice', async () => {
    await a.goto(server.url + '/me/auction')
    const entry = a.locator(sel('my-lot')).filter({ hasText: TITLE })
    await expect.poll(() => entry.count()).toBe(1)
    await expect.poll(() => entry.locator(sel('my-lot-state-outbid')).count()).toBe(1)
    await expect.poll(() => text(a, 'my-auction-notices')).toContain('已被超越')
    await screenshot(a, 'auction-08-my-bids')
  })

  step('in 长辈模式 the bid form is a panel on the lot page, not a pop-up', async () => {
    await a.goto(server.url + lotPath)
    await a.locator(sel('toggle-elder')).click()
    await expect.poll(() => a.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    await a.locator(sel('lot-bid')).click()
    await expect.poll(() => a.locator(sel('bid-inline')).isVisible()).toBe(true)
    expect(await a.locator('.van-action-sheet').count()).toBe(0)
    expect(await a.locator(`${sel('bid-inline')} ${sel('bid-quick-0')}`).textContent()).toContain('¥120.00')
    await a.locator(sel('bid-inline')).scrollIntoViewIfNeeded()
    await screenshot(a, 'auction-09-elder-bid-panel', false)
    expect(await seriousContrastViolations(a, 'axe-elder-auction-lot.json')).toEqual([])
  })

  step('A wins a short lot when it closes, pays it in the sandbox and comes back to the lot, paid', async () => {
    // A lot ending in 20 s, created and approved over the API (the form works to the minute); this
    // server has no soft close, so A's bid does not move the end.
    const maker = await apiAs(ADMIN)
    const checker = await apiAs(CHECKER)
    const now = Date.now()
    const created = await maker('/auction/lots', {
      title: '手工香囊（一对）',
      donor_name: '林小梅',
      starts_at_ms: now - 1_000,
      ends_at_ms: now + 20_000,
      start_price_fen: 5_000,
    })
    expect(created.status).toBe(201)
    const shortId = (created.body as { lot: { id: string } }).lot.id
    expect((await checker(`/auction/lots/${shortId}/approve`, {})).status).toBe(200)

    await a.goto(`${server.url}/auction/lots/${shortId}`)
    await expect.poll(() => text(a, 'lot-feed')).toBe('实时更新中')
    await a.locator(sel('lot-bid')).click()
    await a.locator(`${sel('bid-inline')} ${sel('bid-quick-0')}`).click()
    await a.locator(`${sel('bid-inline')} ${sel('bid-submit')}`).click()
    await expect.poll(() => a.locator(sel('lot-standing-leading')).isVisible()).toBe(true)
    // The server closes lots every 30 s; the page hears it on the live channel.
    await expect.poll(() => text(a, 'lot-status'), { timeout: 70_000, interval: 1_000 }).toBe('已成交')
    await expect.poll(() => a.locator(sel('lot-pay')).isVisible()).toBe(true)
    expect(await text(a, 'lot-leader')).toBe('得标：陈**')
    expect(await text(a, 'lot-pay')).toContain('¥50.00')
    await screenshot(a, 'auction-10-won-pay', false)
    await a.locator(sel('lot-pay')).click()
    await a.waitForURL('**/pay/sandbox/**')
    expect(await text(a, 'pay-amount')).toBe('¥50.00')
    await a.locator(sel('pay-confirm')).click()
    await a.waitForURL(`**/auction/lots/${shortId}`)
    await expect.poll(() => a.locator(sel('lot-paid')).isVisible()).toBe(true)

    await a.goto(server.url + '/me/auction')
    const entry = a.locator(sel('my-lot')).filter({ hasText: '手工香囊（一对）' })
    await expect.poll(() => entry.locator(sel('my-lot-state-won')).count()).toBe(1)
    await expect.poll(() => entry.textContent()).toContain('已付款')
    await screenshot(a, 'auction-11-my-bids-won-paid')
    expect(phoneA.pageErrors).toEqual([])
    expect(phoneB?.pageErrors ?? []).toEqual([])
  })
})
