/**
 * 资助项目 (funded projects of the 关爱基金) on a phone (390×844), against the real server with the
 * demo data (the 2012 call decided and funded: 30 projects, one closed, two observed):
 * a guest reads the public project list and the closed project's page (reports, leftover, the
 * observers' visit notes with the names masked) → 博睿社工's staff (13800000002) files a progress
 * report citing the first milestone on one of its projects, through 我的资助项目 and the report form
 * → a fund admin (13800000004) approves it on the project page, which proposes the milestone's
 * disbursement → a citizen observer (13800001202) adds a visit note from 我观察的项目 → a guest
 * sees the approved report on the public page (its milestone's payment under approval).
 * Screenshots go to $E2E_OUT.
 *
 * Without `"grants"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { DEMO_PASSWORD, type DemoSuiteSession, demoSuiteSession, loginWithDemoPassword, logout, screenshot, sel, startDemoSuite } from './support'

/** 博睿社工·李社工: org_staff of 博睿社工, which holds three of the 2012 projects. */
const STAFF = '13800000002'
const ADMIN = '13800000004'
/** The seed's citizen observers: 13800001201 of the closed project, 13800001202 of an active one. */
const CLOSED_OBSERVER = '13800001201'
const OBSERVER = '13800001202'
/** Unique per run, so the report and the visit are found by what the user typed. */
const RUN = String(Date.now()).slice(-6)
const REPORT_BODY = `E2E进度报告${RUN}：完成入户探访 48 户，平安铃安装 30 台。`
const VISIT_BODY = `E2E走访${RUN}：随社工探访三户长者，平安铃使用正常。`

const suite = await startDemoSuite({ name: 'grants-projects', features: ['grants'], api: 'grants', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
/** The 博睿社工 project the report is filed on (its public id, read from the URL). */
let projectId = ''
let reportId = ''

const shot = (name: string, fullPage = true) => screenshot(page, `grants-projects-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

/** A demo account's display name, as the server gives it to the account itself. */
async function displayName(account: string): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: account, password: DEMO_PASSWORD }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { user: { display_name: string } }).user.display_name
}

/** The public id in the `data-test` of `locator` after `prefix` (e.g. `report-` → the report's id). */
async function idAfter(locator: Locator, prefix: string): Promise<string> {
  const value = (await locator.getAttribute('data-test')) ?? ''
  expect(value.startsWith(prefix)).toBe(true)
  return value.slice(prefix.length)
}

/** Opens a project page and waits until it has loaded. */
async function openProject(id: string): Promise<void> {
  await page.goto(`${server.url}/grants/projects/${id}`)
  await page.locator(sel('project-title')).waitFor()
}

describe.skipIf(suite.skip)('资助项目: public pages, a progress report filed and approved, an observer’s visit, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(() => {
    if (suite.available) {
      page = session.page
    }
  })

  step('lists every funded project in public, and the closed one shows its reports, leftover and masked visit notes', async () => {
    const api = (await (await fetch(`${server.url}/api/v1/grants/projects`)).json()) as { projects: { id: string; status: string }[] }
    expect(api.projects).toHaveLength(30)
    await page.goto(server.url + '/grants/projects')
    const cards = page.locator(`${sel('projects-list')} > a`)
    await expect.poll(() => cards.count()).toBe(api.projects.length)
    await shot('01-public-list', false)

    const closed = cards.filter({ has: page.locator(sel('project-status-closed')) })
    await expect.poll(() => closed.count()).toBe(1)
    await closed.click()
    await page.locator(sel('project-title')).waitFor()
    expect(await page.locator(sel('project-leftover')).textContent()).toContain('已退回关爱基金')
    expect(await page.locator(sel('project-no-reports')).count()).toBe(0)
    // The last milestone was not needed: the project closed under budget.
    expect(await page.locator(sel('milestone-status-3')).textContent()).toBe('不再拨付')
    // The observer's name is masked: the first character, then asterisks.
    const name = await displayName(CLOSED_OBSERVER)
    const visit = page.locator('[data-test^="visit-"]').first()
    expect(await visit.textContent()).toContain(`${name.slice(0, 1)}*`)
    expect(await page.locator('.page').textContent()).not.toContain(name)
    expect(await page.locator(sel('project-observers')).textContent()).toContain(`${name.slice(0, 1)}*`)
    await shot('02-public-closed-project')
  })

  step('博睿社工’s staff files a progress report citing the first milestone, and sees it awaiting review', async () => {
    await login(STAFF)
    await page.goto(server.url + '/grants/my/projects')
    const mine = page.locator(`${sel('projects-list')} > a`)
    await expect.poll(() => mine.count()).toBe(3)
    await mine.first().click()
    await page.waitForURL(/\/grants\/projects\/[a-z2-7]{20}$/)
    projectId = new URL(page.url()).pathname.split('/').pop()!
    await page.locator(sel('project-title')).waitFor()
    expect(await page.locator(sel('milestone-status-1')).textContent()).toBe('计划中')

    await page.locator(sel('project-file-report')).click()
    await page.locator(sel('report-form')).waitFor()
    await page.locator(`${sel('report-body')} textarea`).fill(REPORT_BODY)
    await page.locator(sel('report-milestone-1')).click()
    await page.locator(`${sel('report-line-0-item')} input`).fill('平安铃设备')
    await page.locator(`${sel('report-line-0-amount')} input`).fill('18000')
    await page.locator(sel('report-add-line')).click()
    await page.locator(`${sel('report-line-1-item')} input`).fill('社工入户交通')
    await page.locator(`${sel('report-line-1-amount')} input`).fill('2400.50')
    expect(await page.locator(sel('report-total')).textContent()).toContain('¥20,400.50')
    await shot('03-staff-report-form')
    await page.locator(sel('report-submit')).click()

    await page.waitForURL(`**/grants/projects/${projectId}`)
    const card = page.locator('article[data-test^="report-"]', { hasText: REPORT_BODY })
    await card.waitFor()
    reportId = await idAfter(card, 'report-')
    expect(await page.locator(sel(`report-status-${reportId}`)).textContent()).toBe('待审核')
    expect(await page.locator(sel('milestone-status-1')).textContent()).toBe('已报告')
    await shot('04-staff-report-submitted')
    await logout(page, server.url)
  })

  step('the public page does not show the report while it awaits review', async () => {
    await openProject(projectId)
    expect(await page.locator('.page').textContent()).not.toContain(REPORT_BODY)
  })

  step('a fund admin approves the report on the project page, proposing the milestone’s disbursement', async () => {
    await login(ADMIN)
    await openProject(projectId)
    const pending = page.locator(`${sel('project-admin')} ${sel(`report-${reportId}`)}`)
    await pending.waitFor()
    expect(await pending.textContent()).toContain('¥20,400.50')
    await page.locator(`${sel(`review-note-${reportId}`)} textarea`).fill('材料属实，同意拨付首期款')
    await shot('05-admin-review')
    await page.locator(sel(`review-approve-${reportId}`)).click()

    await page.locator(sel('admin-no-pending')).waitFor()
    expect(await page.locator(sel(`report-status-${reportId}`)).textContent()).toBe('已通过')
    expect(await page.locator(sel('milestone-status-1')).textContent()).toBe('拨付审批中')
    await page.locator(sel('admin-disbursement-pending')).waitFor()
    const approved = page.locator(sel(`report-${reportId}`))
    expect(await approved.textContent()).toContain('材料属实，同意拨付首期款')
    expect(await approved.textContent()).toMatch(/拨付 ¥[\d,]+\.\d{2}/)
    await shot('06-admin-approved')
    await logout(page, server.url)
  })

  step('an observer adds a visit note to the project they observe', async () => {
    await login(OBSERVER)
    await page.goto(server.url + '/grants/me/observing')
    const observed = page.locator(`${sel('projects-list')} > a`)
    await expect.poll(() => observed.count()).toBe(1)
    await observed.click()
    await page.locator(sel('visit-form')).waitFor()
    const visits = page.locator('article[data-test^="visit-"]')
    const before = await visits.count()
    await page.locator(`${sel('visit-body')} textarea`).fill(VISIT_BODY)
    await page.locator(sel('visit-submit')).click()
    const note = page.locator('article[data-test^="visit-"]', { hasText: VISIT_BODY })
    await note.waitFor()
    expect(await visits.count()).toBe(before + 1)
    const name = await displayName(OBSERVER)
    expect(await note.textContent()).toContain(`${name.slice(0, 1)}*`)
    expect(await note.textContent()).not.toContain(name)
    await shot('07-observer-visit')
    await logout(page, server.url)
  })

  step('the public project page shows the approved report with its use of funds', async () => {
    await openProject(projectId)
    const card = page.locator(sel(`report-${reportId}`))
    await card.waitFor()
    expect(await card.textContent()).toContain(REPORT_BODY)
    expect(await page.locator(sel(`report-funds-${reportId}`)).textContent()).toContain('平安铃设备')
    expect(await page.locator(sel(`report-status-${reportId}`)).textContent()).toBe('已通过')
    expect(await page.locator(sel('milestone-status-1')).textContent()).toBe('拨付审批中')
    expect(await page.locator(sel('project-file-report')).count()).toBe(0)
    expect(await page.locator(sel('project-admin')).count()).toBe(0)
    await shot('08-public-approved-report')
  })

  step('raised no uncaught errors in the page', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
