/**
 * 服务申请's main path on a phone (390×844), against the real server with the demo data:
 * resident 13800000001 (陈阿姨) → home → 服务申请 → 长者探访 (博睿社工) → apply for a family
 * member, consenting to and giving a health condition → 我的申请 shows it 已提交 → log out →
 * staff 13800000002 (博睿社工·李社工) → 我的 → 服务申请管理 → the inbox → the application, its
 * health condition masked → accept, assigning to me → the health condition in clear (now the
 * assigned worker) → send a message → log out → the resident sees 已接受, the acceptance in the
 * timeline and the staff message in the thread → the same page in 长辈模式 keeps text ≥ 18px →
 * fund administrator 13800000004 → 服务申请督办: the per-organisation figures and escalations.
 * Screenshots go to $E2E_OUT.
 *
 * The server side of casework may not exist yet. The file first starts the server and reads
 * `GET /api/v1/meta`: without `"casework"` in `features` the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
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

const RESIDENT = '13800000001'
const STAFF = '13800000002'
const FUND_ADMIN = '13800000004'
/** Unique per run, so the application is found by what the resident typed, not by its position. */
const RUN = String(Date.now()).slice(-6)
const DESCRIPTION = `父亲独居，腿脚不便，希望每周有人上门看看（E2E-${RUN}）`
const HEALTH = `高血压，行动不便E2E-${RUN}`
const CONTACT_PHONE = '13900001111'
const STAFF_MESSAGE = `陈阿姨您好，我是李社工，周二上午上门探访可以吗？E2E-${RUN}`

/** Seed, start, and ask the server whether it serves the casework API. */
const suite = await startDemoSuite({ name: 'casework', features: ['casework'], api: 'casework', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let phone: PhonePage
let page: Page
let applicationPath = ''

const shot = (name: string, fullPage = true) => screenshot(page, name, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

/** Our application in the list currently shown (我的申请 or the inbox). */
function ourItem(): Locator {
  return page.locator(sel('application-item')).filter({ hasText: `E2E-${RUN}` })
}

const fill = (field: string, value: string) => fillTestField(page, field, value)

describe.skipIf(suite.skip)('服务申请: apply for a family member, staff accept and reply, on a phone', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return // every test fails through `step` with the reason
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
  })

  afterAll(() => stopDemoSuite(suite, phone))

  step('the resident logs in and opens 服务申请 from the home grid', async () => {
    await login(RESIDENT)
    await page.goto(server.url + '/')
    await page.locator(sel('section-services')).click()
    await page.waitForURL('**/services')
    const card = page.locator('[data-role="service-card"]').filter({ hasText: '长者探访' }).filter({ hasText: '博睿社工' })
    await expect.poll(() => card.count()).toBe(1)
    expect(await card.locator(sel('service-response')).textContent()).toContain('3 天内响应')
    await shot('casework-01-catalogue')
  })

  step('applies for a family member, consenting to give a health condition', async () => {
    const card = page.locator('[data-role="service-card"]').filter({ hasText: '长者探访' }).filter({ hasText: '博睿社工' })
    await card.locator('button', { hasText: '申请这项服务' }).click()
    await page.waitForURL(/\/services\/\d+\/apply$/)
    await expect.poll(() => page.locator(sel('apply-form')).isVisible()).toBe(true)
    // Nothing sensitive is prefilled, and the contact phone is empty.
    expect(await page.locator(`${sel('contact-phone')} input`).inputValue()).toBe('')
    await page.locator(sel('for-family')).click()
    await fill('beneficiary-name', '陈伯')
    await fill('relationship', '父亲')
    await fill('description', DESCRIPTION)
    await fill('preferred-times', '周二上午')
    await fill('contact-phone', CONTACT_PHONE)
    await shot('casework-02-apply-form')

    // The separate consent step: what, why, who, how; the fields appear only after ticking.
    await page.locator(sel('sensitive-open')).click()
    await expect.poll(() => page.locator(sel('consent-step')).isVisible()).toBe(true)
    expect(await page.locator(sel('consent-who')).textContent()).toContain('负责这份申请的社工')
    expect(await page.locator(sel('sensitive-fields')).count()).toBe(0)
    await shot('casework-03-consent')
    await page.locator(`${sel('consent-checkbox')}`).click()
    await expect.poll(() => page.locator(sel('sensitive-fields')).isVisible()).toBe(true)
    await fill('sensitive-health-input', HEALTH)
    await shot('casework-04-consent-filled')
    await page.locator(sel('consent-done')).click()
    await expect.poll(() => page.locator(sel('sensitive-summary')).getAttribute('data-given')).toBe('true')

    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/casework/applications'))
    await page.locator(sel('apply-submit')).click()
    const body = (await posted).postDataJSON() as Record<string, unknown>
    expect(body).toMatchObject({
      for_whom: 'family',
      beneficiary_name: '陈伯',
      relationship: '父亲',
      description: DESCRIPTION,
      contact_phone: CONTACT_PHONE,
      sensitive: { health_condition: HEALTH },
      sensitive_consent: true,
    })
    await page.waitForURL(/\/casework\/applications\/\d+$/)
    applicationPath = new URL(page.url()).pathname
    await expect.poll(() => page.locator(sel('status-tag')).getAttribute('data-status')).toBe('submitted')
    // The applicant sees their own sensitive data in clear.
    await expect.poll(() => page.locator(sel('sensitive')).getAttribute('data-state')).toBe('clear')
    expect(await page.locator(sel('sensitive-health')).textContent()).toBe(HEALTH)
    await shot('casework-05-submitted')
  })

  step('我的申请 lists it as 已提交', async () => {
    await page.goto(server.url + '/me')
    await page.locator(sel('me-casework')).click()
    await page.waitForURL('**/me/casework')
    await expect.poll(() => ourItem().count()).toBe(1)
    expect(((await ourItem().locator(sel('status-tag')).textContent()) ?? '').trim()).toBe('已提交')
    expect(await ourItem().textContent()).toContain('长者探访')
    await shot('casework-06-my-applications')
    await logout(page, server.url)
  })

  step('the staff member opens 服务申请管理 and finds the application in the inbox', async () => {
    await login(STAFF)
    expect((await page.locator(sel('me-role')).allTextContents()).join(' ')).toContain('博睿社工')
    const inboxLoaded = page.waitForResponse((r) => r.url().includes('/api/v1/casework/inbox?'))
    await page.locator(sel('me-casework-staff')).click()
    await page.waitForURL('**/casework/staff')
    const inboxResponse = await inboxLoaded
    expect(inboxResponse.status()).toBe(200)
    await expect.poll(() => ourItem().count()).toBe(1)
    expect(((await ourItem().locator(sel('status-tag')).textContent()) ?? '').trim()).toBe('已提交')
    expect(await ourItem().locator(sel('item-due')).isVisible()).toBe(true)
    // Every application the server calls overdue carries the red 已逾期 chip, and they come first.
    const orgId = Number(new URL(inboxResponse.url()).searchParams.get('org_id'))
    const inbox = (await (await page.request.get(`${server.url}/api/v1/casework/inbox?org_id=${orgId}`)).json()) as { applications: { overdue: boolean }[] }
    const overdue = inbox.applications.filter((a) => a.overdue).length
    expect(await page.locator(`${sel('application-item')} ${sel('overdue-chip')}`).count()).toBe(overdue)
    if (overdue > 0) {
      expect(await page.locator(sel('application-item')).first().locator(sel('overdue-chip')).count()).toBe(1)
    }
    await shot('casework-07-inbox')
    await ourItem().locator('a').click()
    await page.waitForURL(`**${applicationPath}`)
    await expect.poll(() => page.locator(sel('triage')).isVisible()).toBe(true)
    // Not yet the assigned worker: the health condition is masked.
    expect(await page.locator(sel('sensitive')).getAttribute('data-state')).toBe('masked')
    expect(await page.locator(sel('sensitive-health')).textContent()).not.toContain(HEALTH)
    await shot('casework-08-staff-application')
  })

  step('accepts, assigning to me, and then sees the health condition in clear', async () => {
    expect(await page.locator(sel('assign-me')).getAttribute('aria-pressed')).toBe('true')
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/accept'))
    await page.locator(sel('accept-submit')).click()
    const body = (await posted).postDataJSON() as { worker_user_id: unknown }
    expect(typeof body.worker_user_id).toBe('number')
    await expect.poll(() => page.locator(sel('status-tag')).getAttribute('data-status')).toBe('accepted')
    expect(((await page.locator(sel('application-worker')).textContent()) ?? '').trim()).toContain('李社工')
    await expect.poll(() => page.locator(sel('sensitive')).getAttribute('data-state')).toBe('clear')
    expect(await page.locator(sel('sensitive-health')).textContent()).toBe(HEALTH)
    await shot('casework-09-accepted')
  })

  step('sends the resident a message', async () => {
    await fill('message-body-input', STAFF_MESSAGE)
    await page.locator(sel('message-send')).click()
    const sent = page.locator(sel('message-body'), { hasText: STAFF_MESSAGE })
    await expect.poll(() => sent.count()).toBe(1)
    await shot('casework-10-message-sent')
    await logout(page, server.url)
  })

  step('the resident sees 已接受 and the staff message', async () => {
    await login(RESIDENT)
    await page.locator(sel('me-casework')).click()
    await page.waitForURL('**/me/casework')
    await expect.poll(() => ourItem().count()).toBe(1)
    expect(((await ourItem().locator(sel('status-tag')).textContent()) ?? '').trim()).toBe('已接受')
    await shot('casework-11-my-applications-accepted')
    await ourItem().locator('a').click()
    await page.waitForURL(`**${applicationPath}`)
    await expect.poll(() => page.locator(sel('status-tag')).getAttribute('data-status')).toBe('accepted')
    const kinds = await page.locator(sel('timeline-entry')).evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))
    expect(kinds).toContain('submitted')
    expect(kinds).toContain('accepted')
    expect(await page.locator(sel('timeline')).textContent()).toContain('接受申请，分配社工')
    const message = page.locator(sel('message'), { hasText: STAFF_MESSAGE })
    await expect.poll(() => message.count()).toBe(1)
    expect(await message.textContent()).toContain('社工')
    await shot('casework-12-resident-sees-reply')
  })

  step('in 长辈模式 the application page keeps every text at 18px or more', async () => {
    await page.locator(sel('toggle-elder')).click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    await page.reload()
    await expect.poll(() => page.locator(sel('status-tag')).isVisible()).toBe(true)
    const small = await page.evaluate(() => {
      const out: string[] = []
      for (const element of Array.from(document.querySelectorAll('main *'))) {
        const hasText = Array.from(element.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
        const style = getComputedStyle(element)
        if (hasText && style.display !== 'none' && style.visibility !== 'hidden' && parseFloat(style.fontSize) < 18) {
          out.push(`${element.tagName.toLowerCase()}.${element.className}: ${style.fontSize} "${(element.textContent ?? '').trim().slice(0, 20)}"`)
        }
      }
      return out
    })
    expect(small).toEqual([])
    await shot('casework-13-elder-application')
    await page.locator(sel('toggle-elder')).click()
  })

  step('a fund administrator sees the per-organisation figures and the escalations', async () => {
    await logout(page, server.url)
    await login(FUND_ADMIN)
    await page.locator(sel('me-casework-admin')).click()
    await page.waitForURL('**/casework/admin')
    const borui = page.locator(sel('org-stats')).filter({ hasText: '博睿社工' })
    await expect.poll(() => borui.count()).toBe(1)
    const stats = (await (await page.request.get(`${server.url}/api/v1/casework/stats`)).json()) as {
      orgs: { org_name: string; applications: number; open: number; overdue: number }[]
    }
    const figures = stats.orgs.find((o) => o.org_name.includes('博睿社工'))!
    expect(((await borui.locator(sel('stat-applications')).textContent()) ?? '').trim()).toBe(String(figures.applications))
    expect(((await borui.locator(sel('stat-open')).textContent()) ?? '').trim()).toBe(String(figures.open))
    expect(((await borui.locator(sel('stat-overdue')).textContent()) ?? '').trim()).toBe(String(figures.overdue))
    // Our application got a response within minutes: the median reads in hours, not raw ms.
    expect(((await borui.locator(sel('stat-median')).textContent()) ?? '').trim()).toMatch(/小时|天|暂无/)
    await shot('casework-14-supervision-stats')

    const escalations = (await (await page.request.get(`${server.url}/api/v1/casework/escalations`)).json()) as { applications: unknown[] }
    await page.locator(sel('view-escalations')).click()
    await expect.poll(() => page.locator(`${sel('application-item')}`).count()).toBe(escalations.applications.length)
    await shot('casework-15-escalations')
  })

  step('raised no uncaught errors in the page', () => {
    expect(phone.pageErrors).toEqual([])
  })
})
