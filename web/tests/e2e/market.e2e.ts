/**
 * 社工服务进村(居) on a phone (390×844), against the real server with the demo data (the catalogue,
 * 叠滘村's needs and needs survey): a guest filters the catalogue by type and opens a project
 * page (team names masked) → 叠滘村's staff (13800000003) post a need through 村居工作台 and see
 * its ranked matches with the reasons worded → 博睿社工's staff (13800000002) see where one of
 * their listings is wanted → 陈阿姨 (13800000001, home village 叠滘村) answers the survey once.
 * Screenshots go to $E2E_OUT.
 *
 * Without `"market"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { apiSession, type DemoSuiteSession, demoSuiteSession, fillTestField, loginWithDemoPassword, logout, screenshot, sel, startDemoSuite } from './support'

const VILLAGE_STAFF = '13800000003'
const ORG_STAFF = '13800000002'
/** 陈阿姨: a resident whose home village is 叠滘村, who has not answered its survey. */
const RESIDENT = '13800000001'
const TYPE = '长者服务'
/** Unique per run, so the need is found by what the user typed. */
const RUN = String(Date.now()).slice(-6)
const NEED_TITLE = `E2E独居长者探访${RUN}`

const suite = await startDemoSuite({ name: 'market', features: ['market'], api: 'market', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
/** The need posted in the UI (its page's path). */
let needPath = ''

const shot = (name: string, fullPage = true) => screenshot(page, `market-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)

describe.skipIf(suite.skip)('社工服务进村(居): catalogue, a need posted with its matches, where we are wanted, a survey answered, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(() => {
    if (suite.available) {
      page = session.page
    }
  })

  step('a guest filters the catalogue by type and opens a project page with the team masked', async () => {
    const all = (await (await fetch(`${server.url}/api/v1/market/projects`)).json()) as { projects: unknown[] }
    const typed = (await (await fetch(`${server.url}/api/v1/market/projects?type=${encodeURIComponent(TYPE)}`)).json()) as { projects: unknown[] }
    expect(typed.projects.length).toBeGreaterThan(0)
    expect(typed.projects.length).toBeLessThan(all.projects.length)
    await page.goto(server.url + '/')
    await page.goto(server.url + '/market')
    const cards = page.locator(`${sel('market-list')} > a`)
    await expect.poll(() => cards.count()).toBe(all.projects.length)
    await page.locator(sel('market-filter-0')).click()
    await page.waitForURL(/type=/)
    await expect.poll(() => cards.count()).toBe(typed.projects.length)
    for (const text of await cards.allTextContents()) {
      expect(text).toContain(TYPE)
    }
    await shot('01-catalogue-filtered', false)
    await cards.first().click()
    await page.locator(sel('project-title')).waitFor()
    expect(await page.locator(sel('project-price')).textContent()).toContain('¥')
    expect(await page.locator(sel('project-delivery')).textContent()).toContain('场次')
    expect(await page.locator(sel('project-description')).locator('h2').count()).toBeGreaterThan(0)
    expect(await page.locator(sel('team-0')).textContent()).toContain('*')
    await shot('02-project-page')
  })

  step('叠滘村’s staff post a need in 村居工作台 and see its matches with the reasons', async () => {
    await login(VILLAGE_STAFF)
    await page.locator(sel('me-market-village')).click()
    await page.locator(sel('village-name')).waitFor()
    expect(await page.locator(sel('village-name')).textContent()).toBe('叠滘村')
    await page.locator(sel('village-new-need')).click()
    await page.locator(sel('need-form')).waitFor()
    await fillTestField(page, 'need-title', NEED_TITLE)
    await page.locator(sel('need-type-0')).click()
    await fillTestField(page, 'need-target', '独居长者')
    await fillTestField(page, 'need-people', '50')
    await fillTestField(page, 'need-budget-min', '20000')
    await fillTestField(page, 'need-budget-max', '10000')
    await page.locator(`${sel('need-from')} input`).fill(day(7))
    await page.locator(`${sel('need-to')} input`).fill(day(372))
    await page.locator(sel('need-source-visits')).click()
    await page.locator(sel('need-submit')).click()
    // The client refuses a budget whose maximum is below its minimum, under the field.
    await expect.poll(() => page.locator(sel('need-budget-max')).textContent()).toContain('预算上限不能低于下限')
    await fillTestField(page, 'need-budget-max', '90000')
    await shot('03-need-form')
    await page.locator(sel('need-submit')).click()
    await page.waitForURL(/\/market\/needs\/[a-z2-7]{20}$/)
    needPath = new URL(page.url()).pathname
    await page.locator(sel('need-title')).waitFor()
    expect(await page.locator(sel('need-title')).textContent()).toBe(NEED_TITLE)
    expect(await page.locator(sel('need-budget')).textContent()).toContain('¥20,000.00')
    const first = page.locator(sel('match-0'))
    await first.waitFor()
    expect(await first.locator(sel('reason-type_match')).textContent()).toContain('服务类型相符')
    expect(await first.locator(sel('match-score')).textContent()).toMatch(/匹配度 \d+ 分/)
    await shot('04-need-matches')
    await logout(page, server.url)
  })

  step('博睿社工’s staff see where one of their listings is wanted', async () => {
    const api = await apiSession(server.url, ORG_STAFF)
    const me = await api<{ user: { roles: { role: string; org_id: number | null }[] } }>('GET', '/me')
    const orgId = me.body.user.roles.find((r) => r.role === 'org_staff')?.org_id
    const mine = await api<{ projects: { id: string; status: string }[] }>('GET', `/market/projects/mine?org_id=${orgId}`)
    let wantedId = ''
    for (const p of mine.body.projects.filter((x) => x.status === 'approved')) {
      const w = await api<{ wanted: unknown[] }>('GET', `/market/projects/${p.id}/wanted`)
      if (w.body.wanted.length > 0) {
        wantedId = p.id
        break
      }
    }
    expect(wantedId).not.toBe('')
    await login(ORG_STAFF)
    await page.locator(sel('me-market-org')).click()
    await page.locator(sel(`org-wanted-${wantedId}`)).click()
    await page.waitForURL(/\/wanted$/)
    const wanted = page.locator('[data-test^="wanted-"]').filter({ has: page.locator(sel('match-reasons')) })
    await expect.poll(() => wanted.count()).toBeGreaterThan(0)
    expect(await wanted.first().textContent()).toMatch(/叠滘村|平东村|三山村|社区/)
    await shot('05-org-wanted')
    await logout(page, server.url)
  })

  step('a resident of 叠滘村 answers the needs survey once', async () => {
    await login(RESIDENT)
    await page.locator(sel('me-market-surveys')).click()
    const round = page.locator('a[data-test^="survey-"]').first()
    await round.waitFor()
    await round.click()
    await page.locator(sel('answer-form')).waitFor()
    await page.locator(sel('answer-pick-0')).click()
    await page.locator(sel('answer-pick-4')).click()
    await page.locator(sel('answer-age-60to79')).click()
    await shot('06-survey-form')
    await page.locator(sel('answer-submit')).click()
    await page.locator(sel('answer-done')).waitFor()
    await shot('07-survey-answered', false)
    await page.goto(server.url + '/market/surveys')
    await expect.poll(() => page.locator('[data-test^="survey-state-"]').first().textContent()).toBe('已参加')
    await logout(page, server.url)
  })

  step('长辈模式 at 360 px: the catalogue and the need page fit the screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '1'))
    for (const [path, ready, name] of [['/market', 'market-list', '08-elder-360-catalogue'], [needPath, 'match-0', '09-elder-360-need']] as const) {
      await page.goto(server.url + path)
      await page.locator(sel(ready)).waitFor()
      expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
      await shot(name, false)
    }
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '0'))
    await page.setViewportSize({ width: 390, height: 844 })
  })

  step('raised no uncaught errors in the page', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
