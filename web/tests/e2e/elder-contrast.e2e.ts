/**
 * 长辈模式 keeps its promise of ≥ 7:1 contrast (WCAG 2 AAA, axe rule `color-contrast-enhanced`;
 * large text — 24px, or 18.66px bold — needs 4.5:1) on every route of the web app, as the person
 * who would see it: guests on the public pages, the resident 13800000001 on their own pages,
 * 13800000003 (who has a service application) on casework, the organisation's staff 13800000002 on
 * event and casework management, and the fund administrator 13800000004 on 基金管理 and 督办.
 *
 * Each route is opened fresh with 长辈模式 on (set in localStorage before the app starts, as the
 * switch leaves it), screenshotted as `elder-{name}.png`, and checked; every violation goes to
 * `axe-elder-aaa.json` in $E2E_OUT. The test fails on any violation, naming route and element.
 * A route added to the router but not listed here fails the coverage test.
 *
 * The pages also run under the server's Content-Security-Policy: `openPhonePage` reports every CSP
 * violation as a page error, and this suite expects none on any route.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  ensureOutDir,
  loginWithDemoPassword,
  logout,
  openDemoSuitePage,
  type PhonePage,
  screenshot,
  sel,
  startDemoSuite,
  stopDemoSuite,
  WEB_DIR,
} from './support'

/** Every named route, read from the router's sources (importing them needs the Vue compiler). */
function routerNames(): string[] {
  const names: string[] = []
  for (const file of ['src/router/index.ts', 'src/router/casework.ts']) {
    for (const match of readFileSync(join(WEB_DIR, file), 'utf8').matchAll(/^\s+name: '([a-z-]+)',$/gm)) {
      names.push(match[1]!)
    }
  }
  return names
}

const RESIDENT = '13800000001'
const STAFF = '13800000002'
const APPLICANT = '13800000003'
const FUND_ADMIN = '13800000004'
const PLATFORM_ADMIN = '13800000007'

const suite = await startDemoSuite({
  name: 'elder',
  features: ['fund', 'fund_admin', 'events', 'volunteers', 'casework'],
  api: 'fund, events and casework',
  requireEnv: 'CARECITY_REQUIRE_FEATURES',
})
const { server, step } = suite

let phone: PhonePage
let page: Page

interface Finding {
  route: string
  path: string
  as: string
  target: string
  summary: string
}
const findings: Finding[] = []
const incomplete: { route: string; count: number }[] = []
/** How many elements each route's check passed: proof that it looked at text at all. */
const passed: Record<string, number> = {}
const checked = new Set<string>()

/** Waits until the page's data has arrived and no loading indicator is left in the main content. */
async function settled(): Promise<void> {
  await page.waitForLoadState('networkidle')
  await page
    .waitForFunction(() => document.querySelectorAll('#app .van-loading:not(.van-button__loading)').length === 0, undefined, {
      timeout: 5_000,
    })
    .catch(() => undefined)
  await page.waitForTimeout(300)
}

/** Opens `path` in 长辈模式, screenshots it and records every AAA contrast violation under `route`. */
async function check(route: string, path: string, as: string): Promise<void> {
  await page.goto(server.url + path)
  await settled()
  expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
  // A very long page (every disclosure item) can take longer to stitch than the default timeout.
  await page
    .screenshot({ path: join(ensureOutDir(), `elder-${route}.png`), fullPage: true, timeout: 45_000 })
    .catch(() => screenshot(page, `elder-${route}`, false))
  const results = await new AxeBuilder({ page }).withRules(['color-contrast-enhanced']).analyze()
  for (const violation of results.violations) {
    for (const node of violation.nodes) {
      findings.push({ route, path, as, target: node.target.join(' '), summary: node.failureSummary ?? '' })
    }
  }
  passed[route] = (passed[route] ?? 0) + results.passes.reduce((n, item) => n + item.nodes.length, 0)
  const unsure = results.incomplete.reduce((n, item) => n + item.nodes.length, 0)
  if (unsure > 0) {
    incomplete.push({ route, count: unsure })
  }
  checked.add(route)
}

/** The value of `pick` on the first item of a JSON list the signed-in browser can read. */
async function firstId(api: string, list: string, pick = 'id'): Promise<string> {
  const value = await page.evaluate(
    async ({ api, list, pick }) => {
      const body = (await (await fetch(`/api/v1${api}`, { credentials: 'same-origin' })).json()) as Record<string, unknown>
      const items = body[list] as Record<string, unknown>[] | undefined
      return items?.[0]?.[pick]
    },
    { api, list, pick },
  )
  if (value === undefined || value === null) {
    throw new Error(`no ${list}[0].${pick} in GET /api/v1${api}`)
  }
  return String(value)
}

describe.skipIf(suite.skip)('长辈模式: 7:1 contrast on every page', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
    // 长辈模式 on before the app starts, in every tab that has not asked for the normal theme.
    await phone.context.addInitScript(() => {
      if (window.sessionStorage.getItem('e2e.normalTheme') !== '1') {
        window.localStorage.setItem('carecity.elderMode', '1')
      }
    })
  })

  afterAll(() => stopDemoSuite(suite, phone))

  step('guest pages', async () => {
    const eventId = await (async () => {
      await page.goto(server.url + '/')
      return firstId('/events', 'events')
    })()
    const reportId = await firstId('/fund/reports', 'reports')
    await check('home', '/', 'guest')
    await check('events', '/events', 'guest')
    await check('event', `/events/${eventId}`, 'guest')
    await check('fund', '/fund', 'guest')
    await check('fund-journal', '/fund/journal', 'guest')
    await check('fund-reports', '/fund/reports', 'guest')
    await check('fund-report', `/fund/reports/${reportId}`, 'guest')
    await check('fund-donate', '/fund/donate', 'guest')
    await check('services', '/services', 'guest')
    await check('privacy', '/privacy', 'guest')
    await check('section', '/section/forum', 'guest')
    await check('market', '/market', 'guest')
    await check('login', '/login', 'guest')
    await check('register', '/register', 'guest')
    await check('recover', '/recover', 'guest')
    await check('not-found', '/no/such/page', 'guest')
    await check('receipt-verify', '/r/NO-SUCH-RECEIPT-0', 'guest (not found)')
  })

  step('the resident’s pages, with a donation paid on the sandbox pay page', async () => {
    await loginWithDemoPassword(page, server.url, RESIDENT)
    await check('me', '/me', RESIDENT)
    await check('sessions', '/me/sessions', RESIDENT)
    await check('delete-account', '/me/delete', RESIDENT)
    await check('my-events', '/me/events', RESIDENT)
    await check('ticket', `/me/tickets/${await firstId('/me/registrations', 'registrations')}`, RESIDENT)
    await check('my-village', '/me/village', RESIDENT)
    await check('volunteer', '/volunteer', RESIDENT)
    await check('my-casework', '/me/casework', RESIDENT)
    const eventId = await firstId('/events', 'events')
    await check('event-signup', `/events/${eventId}/signup`, RESIDENT)
    await check('casework-apply', `/services/${await firstId('/casework/services', 'services')}/apply`, RESIDENT)

    // A ¥20 donation through the real pages: the sandbox pay page, then the donation and its receipt.
    await page.goto(server.url + '/fund/donate')
    await expect.poll(() => page.locator(`${sel('purpose-picker')} .van-radio`).count()).toBeGreaterThan(0)
    await page.locator(sel('preset-2000')).click()
    await page.locator(sel('donate-submit')).click()
    await page.waitForURL(/\/pay\/sandbox\//)
    const payPath = new URL(page.url()).pathname + new URL(page.url()).search
    await check('pay-sandbox', payPath, RESIDENT)
    // The real providers' pay page: its order card and buttons, on this same payment.
    await check('pay', payPath.replace('/pay/sandbox/', '/pay/wechatpay/'), RESIDENT)
    await page.goto(server.url + payPath)
    await page.locator(sel('pay-confirm')).click()
    await page.waitForURL(/\/fund\/donations\/[^/]+$/)
    const donationPath = new URL(page.url()).pathname
    await expect.poll(() => page.locator(sel('donation-status')).getAttribute('data-status'), { timeout: 30_000 }).toBe('confirmed')
    const receiptNo = ((await page.locator(sel('receipt-no')).textContent()) ?? '').trim()
    await check('donation', donationPath, RESIDENT)
    await check('donation-trace', `${donationPath}/trace`, RESIDENT)
    await check('my-donations', '/me/donations', RESIDENT)
    await check('receipt-verify', `/r/${encodeURIComponent(receiptNo)}`, `${RESIDENT} (valid receipt)`)
    await logout(page, server.url)
  })

  step('casework as the applicant', async () => {
    await loginWithDemoPassword(page, server.url, APPLICANT)
    const applicationId = await firstId('/me/casework/applications', 'applications')
    await check('casework-application', `/casework/applications/${applicationId}`, APPLICANT)
    await logout(page, server.url)
  })

  step('the organisation staff’s pages', async () => {
    await loginWithDemoPassword(page, server.url, STAFF)
    const eventId = await firstId('/events', 'events')
    await check('events-manage', '/events/manage', STAFF)
    await check('event-create', '/events/new', STAFF)
    await check('event-attendance', `/events/${eventId}/attendance`, STAFF)
    await check('event-checkin', `/events/${eventId}/checkin`, STAFF)
    await check('casework-staff', '/casework/staff', STAFF)
    await check('casework-publish', '/casework/staff/services/new', STAFF)
    await logout(page, server.url)
  })

  step('the fund administrator’s pages', async () => {
    await loginWithDemoPassword(page, server.url, FUND_ADMIN)
    for (const [route, path] of [
      ['fund-admin', '/fund/admin'],
      ['fund-admin-allocation', '/fund/admin/allocation'],
      ['fund-admin-cofunding', '/fund/admin/cofunding'],
      ['fund-admin-purpose', '/fund/admin/purpose'],
      ['fund-admin-sponsorships', '/fund/admin/sponsorships'],
      ['fund-admin-commitment', '/fund/admin/commitment'],
      ['fund-admin-disbursements', '/fund/admin/disbursements'],
      ['fund-admin-refund', '/fund/admin/refund'],
      ['fund-admin-disclosures', '/fund/admin/disclosures'],
      ['casework-admin', '/casework/admin'],
    ] as const) {
      await check(route, path, FUND_ADMIN)
    }
    await logout(page, server.url)
  })

  step('the platform administrator’s 短信发送', async () => {
    await loginWithDemoPassword(page, server.url, PLATFORM_ADMIN)
    await check('operator-outbox', '/operator/outbox', PLATFORM_ADMIN)
    await logout(page, server.url)
  })

  step('covered every route of the router', () => {
    const names = routerNames()
    expect(names.length).toBeGreaterThan(40)
    expect(names.filter((name) => !checked.has(name))).toEqual([])
  })

  step('checked text on every page, and the same check fails the normal theme', async () => {
    expect(Object.entries(passed).filter(([, n]) => n === 0)).toEqual([])
    // Without 长辈模式 the AA greys (4.5:1–6.9:1) are below 7:1: the check can fail.
    const normal = await phone.context.newPage()
    await normal.goto(server.url + '/fund')
    await normal.evaluate(() => {
      window.sessionStorage.setItem('e2e.normalTheme', '1')
      window.localStorage.setItem('carecity.elderMode', '0')
    })
    await normal.reload()
    await normal.waitForLoadState('networkidle')
    expect(await normal.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(false)
    const results = await new AxeBuilder({ page: normal }).withRules(['color-contrast-enhanced']).analyze()
    expect(results.violations.length).toBeGreaterThan(0)
    await normal.close()
  })

  step('found no text below 7:1 (4.5:1 for large text) on any page', () => {
    const outDir = ensureOutDir()
    writeFileSync(join(outDir, 'axe-elder-aaa.json'), JSON.stringify({ violations: findings, incomplete, passed }, null, 2))
    expect(findings.map((f) => `${f.route} (${f.as}): ${f.target} — ${f.summary.split('\n').slice(1).join(' ')}`)).toEqual([])
  })

  step('reported no Content-Security-Policy violation and no page error on any page', () => {
    expect(phone.pageErrors).toEqual([])
  })
})
