/**
 * 项目申报与评审's main path on a phone (390×844), against the real server with the demo data:
 * the fund admin (13800000004) opens a call over the API that closes ~35 s later → organisation
 * staff 13800000002 (博睿社工) applies to it in the UI and submits → after the close the admin, over
 * the API, confirms eligibility, creates a meeting with an early scores deadline, marks every
 * citizen reviewer but 13800000009 (市民评审代表·何姐) unavailable and assigns the panel → 何姐 logs
 * in, accepts the seat and scores it in the UI → the admin, in the UI, approves an amount on the
 * ranking and publishes the notice (公示) → the public notice page shows the result, also at
 * 360 px in 长辈模式. Screenshots go to $E2E_OUT.
 *
 * The file first starts the server and reads `GET /api/v1/meta`: without `"grants"` in
 * `features` the suite is skipped — or, when CARECITY_REQUIRE_FEATURES=1, every test in it fails
 * with a message saying so.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  type ApiSession,
  apiSession,
  fillTestField,
  loginWithDemoPassword,
  logout,
  openDemoSuitePage,
  type PhonePage,
  screenshot,
  sel,
  startDemoSuite,
  stopDemoSuite,
} from './support'

const STAFF = '13800000002'
const FUND_ADMIN = '13800000004'
const CITIZEN_REVIEWER = '13800000009'
const CITIZEN_REVIEWER_NAME = '市民评审代表·何姐'
/** Unique per run, so the call and the application are found by what was typed. */
const RUN = String(Date.now()).slice(-6)
const CALL_TITLE = `E2E 公示批次 ${RUN}`
const APP_TITLE = `长者助餐点 E2E-${RUN}`
const CLOSES_IN_MS = 35_000
const MINUTE = 60_000

const suite = await startDemoSuite({ name: 'grants', features: ['grants'], api: 'grants', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let phone: PhonePage
let page: Page
let admin: ApiSession
let callId = ''
let closesAtMs = 0
let applicationId = ''
let meetingId = ''

const shot = (name: string) => screenshot(page, name)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

const fill = (field: string, value: string) => fillTestField(page, field, value)

/** The page at 360 px in 长辈模式: nothing wider than the screen; a screenshot; then back to the phone. */
async function expectFitsAt360InElderMode(name: string): Promise<void> {
  await page.setViewportSize({ width: 360, height: 780 })
  await page.evaluate(() => document.documentElement.classList.add('elder'))
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await shot(name)
  await page.evaluate(() => document.documentElement.classList.remove('elder'))
  await page.setViewportSize({ width: 390, height: 844 })
}

describe.skipIf(suite.skip)('项目申报与评审: apply, review, decide and publish the results, on a phone', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return // every test fails through `step` with the reason
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
    admin = await apiSession(server.url, FUND_ADMIN)
  })

  afterAll(() => stopDemoSuite(suite, phone))

  step('the organisation applies in the UI to a call that closes half a minute later', async () => {
    await login(STAFF)
    const now = Date.now()
    closesAtMs = now + CLOSES_IN_MS
    const created = await admin<{ call: { id: string } }>('POST', '/grants/calls', {
      title: CALL_TITLE,
      project_types: ['长者服务', '青少年'],
      budget_fen: 20_000_000,
      cap_fen: 10_000_000,
      opens_at_ms: now - MINUTE,
      closes_at_ms: closesAtMs,
      funding_modes: ['full'],
      panel: { experts: 0, citizens: 1 },
      rubric: [
        { criterion: '社区需求', weight: 40 },
        { criterion: '可行性', weight: 60 },
      ],
      objection_days: 7,
    })
    expect(created.status).toBe(201)
    callId = created.body.call.id

    await page.goto(`${server.url}/grants/calls/${callId}`)
    await page.locator(sel('call-apply')).click()
    await page.waitForURL(`**/grants/apply/${callId}`)
    await expect.poll(() => page.locator(sel('grants-form')).isVisible()).toBe(true)
    await fill('form-title', APP_TITLE)
    await page.locator(sel('form-type-长者服务')).click()
    // No village: a citizen reviewer living in the project's village would be conflicted out.
    await fill('form-beneficiaries', '独居及高龄长者')
    await fill('form-beneficiary-count', '60')
    await fill('form-line-0-item', '食材与配送')
    await fill('form-line-0-amount', '60000')
    await fill('form-requested', '60000')
    await shot('grants-01-application-form')
    await page.locator(sel('form-submit')).click()
    await page.waitForURL(/\/grants\/applications\/[a-z2-7]{20}$/)
    applicationId = page.url().split('/').at(-1)!
    await expect.poll(() => page.locator(sel('app-title')).textContent()).toContain(APP_TITLE)
    expect(Date.now()).toBeLessThan(closesAtMs)
    await shot('grants-02-application-submitted')
  })

  step('after the close the admin confirms eligibility, plans a meeting and seats only 何姐', async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAtMs - Date.now() + 500)))
    const eligible = await admin('POST', `/grants/applications/${applicationId}/eligibility`, { eligible: true, note: '材料齐全' })
    expect(eligible.status).toBe(200)
    const now = Date.now()
    const meeting = await admin<{ meeting: { id: string } }>('POST', '/grants/meetings', {
      call_id: callId,
      title: `E2E 评审会 ${RUN}`,
      held_at_ms: now + 30 * MINUTE,
      scores_due_ms: now + 10 * MINUTE,
    })
    expect(meeting.status).toBe(201)
    meetingId = meeting.body.meeting.id

    const pool = await admin<{ reviewers: { id: string; kind: string; name: string }[] }>('GET', '/grants/reviewers?status=approved')
    const citizens = pool.body.reviewers.filter((r) => r.kind === 'citizen')
    expect(citizens.some((r) => r.name === CITIZEN_REVIEWER_NAME)).toBe(true)
    for (const r of citizens.filter((c) => c.name !== CITIZEN_REVIEWER_NAME)) {
      const away = await admin('POST', `/grants/meetings/${meetingId}/availability`, { available: false, reviewer_id: r.id })
      expect(away.status).toBe(200)
    }
    const assigned = await admin<{ assignments: { reviewer_name: string; application_id: string }[]; shortfalls: unknown[] }>('POST', `/grants/meetings/${meetingId}/assign`)
    expect(assigned.status).toBe(200)
    expect(assigned.body.assignments.filter((s) => s.application_id === applicationId).map((s) => s.reviewer_name)).toEqual([CITIZEN_REVIEWER_NAME])
  })

  step('the citizen reviewer accepts the seat and scores it on the phone', async () => {
    await logout(page, server.url)
    await login(CITIZEN_REVIEWER)
    await page.goto(`${server.url}/grants/review`)
    const seat = page.locator('[data-test^="seat-"]').filter({ hasText: APP_TITLE })
    await expect.poll(() => seat.count()).toBe(1)
    await shot('grants-03-seat-proposed')
    await seat.locator('[data-test$="-accept"]').click()
    const accepted = page.locator('[data-test^="seat-"]').filter({ hasText: APP_TITLE }).locator('[data-test$="-score"]')
    await expect.poll(() => accepted.isVisible()).toBe(true)
    await accepted.click()
    await page.waitForURL(`**/grants/review/${applicationId}`)
    await page.locator(sel('score-0-pick-8')).click()
    await page.locator(sel('score-1-pick-9')).click()
    await expect.poll(() => page.locator(sel('sheet-preview')).textContent()).toContain('8.6')
    await shot('grants-04-score-sheet')
    await page.locator(sel('sheet-submit')).click()
    await page.waitForURL('**/grants/review')
  })

  step('the fund admin approves an amount on the ranking and publishes the notice', async () => {
    await logout(page, server.url)
    await login(FUND_ADMIN)
    await page.goto(`${server.url}/grants/admin/meetings/${meetingId}`)
    await page.locator(sel('ranking-load')).click()
    await expect.poll(() => page.locator(sel(`rank-${applicationId}`)).isVisible()).toBe(true)
    expect(await page.locator(sel('ranking-awarded')).textContent()).toContain('已资助 ¥0.00 / 预算 ¥200,000.00')
    expect(await page.locator(sel('notice-undecided')).textContent()).toContain('还有 1 个申报在评审中')
    await page.locator(sel(`rank-decide-${applicationId}`)).click()
    await fill(`decision-amount-${applicationId}`, '50000')
    await expect.poll(() => page.locator(sel(`decision-after-${applicationId}`)).textContent()).toContain('决定后已资助 ¥50,000.00')
    await fill(`decision-reason-${applicationId}`, '需求明确，覆盖独居长者；压缩食材预算后资助')
    await shot('grants-05-decision-form')
    await expectFitsAt360InElderMode('grants-05b-decision-form-360-elder')
    await page.locator(sel(`decision-submit-${applicationId}`)).click()
    await expect.poll(() => page.locator(sel(`rank-decision-${applicationId}`)).textContent()).toBe('已批准资助 ¥50,000.00')
    await expect.poll(() => page.locator(sel('ranking-awarded')).textContent()).toContain('已资助 ¥50,000.00 / 预算 ¥200,000.00')

    await page.locator(sel('notice-publish-button')).click()
    await fill('notice-note', '公示期内如有异议，请在本页提出。')
    await shot('grants-06-publish-confirm')
    await page.locator(sel('notice-publish-button-confirm')).click()
    await expect.poll(() => page.locator(sel('notice-link')).isVisible()).toBe(true)
    expect(await page.locator(sel(`rank-decide-${applicationId}`)).count()).toBe(0)
  })

  step('the public notice page shows the result, as a guest, at 360 px in 长辈模式 too', async () => {
    await logout(page, server.url)
    await page.goto(`${server.url}/grants/calls/${callId}`)
    await page.locator(sel('call-notice')).click()
    await page.waitForURL(`**/grants/calls/${callId}/notice`)
    const result = page.locator(sel(`result-${applicationId}`))
    await expect.poll(() => result.isVisible()).toBe(true)
    expect(await result.textContent()).toContain(APP_TITLE)
    expect(await result.textContent()).toContain('博睿社工')
    expect(await page.locator(sel(`result-decision-${applicationId}`)).textContent()).toContain('批准资助')
    expect(await page.locator(sel(`result-awarded-${applicationId}`)).textContent()).toBe('¥50,000.00')
    expect(await page.locator(sel(`result-reason-${applicationId}`)).textContent()).toContain('覆盖独居长者')
    expect(await page.locator(sel('notice-budget')).textContent()).toContain('资助合计 ¥50,000.00')
    expect(await page.locator(sel('notice-window-open')).textContent()).toMatch(/异议期还剩 [67] 天/)
    expect(await page.locator(sel(`object-login-${applicationId}`)).isVisible()).toBe(true)
    await shot('grants-07-notice')

    await expectFitsAt360InElderMode('grants-08-notice-360-elder')
    expect(phone.pageErrors).toEqual([])
  })
})
