/**
 * 党员社工培育 on a phone (390×844), against the real server with the demo data: 陈阿姨 (13800000001,
 * a party member of 叠滘村) opens 党员社工 from the home page, sees her finished spring class with
 * its progress line and her valid certificate with its QR code (and its printable view), enrols in
 * the winter class, and logs a practice record; 我的培训 in 长辈模式 at 360 px; the trainer 吴老师
 * (13800000006) opens 培训管理 from 我的, confirms 叠滘村·何伯's pending practice, opens the winter
 * class's admin page and finds 陈阿姨 on the roster, with each session's check-in page a tap away; a
 * guest opens the certificate's public check (`/c/{no}?code=…`) and sees 有效, the code matched and
 * the name masked. Screenshots go to $E2E_OUT.
 *
 * Without `"training"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { apiSession, type DemoSuiteSession, demoSuiteSession, fillTestField, loginWithDemoPassword, logout, screenshot, sel, startDemoSuite } from './support'

/** 陈阿姨: on 叠滘村's register, with the finished spring class and its certificate. */
const MEMBER = '13800000001'
/** 吴老师: the trainer of the demo's classes. */
const TRAINER = '13800000006'
const SPRING = '2026 春季党员社工基础班（叠滘村）'
const WINTER = '2026 冬季党员社工基础班（叠滘村）'
/** Unique per run, so the record is found by what was typed. */
const PLACE = `E2E叠滘村三巷${String(Date.now()).slice(-6)}`

interface Cert {
  no: string
  state: string
  verify_path: string
  programme_title: string
}
interface Klass {
  id: number
  title: string
}

const suite = await startDemoSuite({ name: 'training', features: ['training'], api: 'training', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
let cert: Cert | undefined
let winter: Klass | undefined

const shot = (name: string, fullPage = true) => screenshot(page, `training-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

describe.skipIf(suite.skip)('党员社工培育: progress and certificate, enrolment, practice, the trainer’s confirmation and roster, the public check, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(() => {
    if (suite.available) {
      page = session.page
    }
  })

  step('陈阿姨 opens 党员社工 from the home page and sees her spring class with its progress line', async () => {
    const api = await apiSession(server.url, MEMBER)
    const certs = await api<{ certificates: Cert[] }>('GET', '/training/certificates')
    cert = certs.body.certificates.find((c) => c.state === 'valid')
    expect(cert).toBeDefined()
    const open = await api<{ classes: Klass[] }>('GET', '/training/classes?scope=open')
    winter = open.body.classes.find((c) => c.title === WINTER)
    expect(winter).toBeDefined()

    await login(MEMBER)
    await page.goto(server.url + '/')
    await page.locator(sel('section-training')).click()
    await page.waitForURL('**/training')
    const spring = page.locator('section[data-test^="class-"]').filter({ hasText: SPRING })
    await spring.first().waitFor()
    const line = spring.locator('[data-test^="class-progress-"]')
    await expect.poll(() => line.textContent()).toMatch(/^出勤 4\/4 · 实践 \d+(\.\d+)?\/16\s小时 · 考核 已通过$/)
    await shot('01-my-classes')
    await spring.locator('[data-test^="class-link-"]').click()
    await page.locator(sel('class-title')).waitFor()
    expect(await page.locator(sel('class-title')).textContent()).toBe(SPRING)
    await expect.poll(() => page.locator(sel('progress-line')).textContent()).toContain('出勤 4/4')
    expect(await page.locator(sel('class-materials')).textContent()).toContain('居民需求挖掘')
    await shot('02-class-page')
  })

  step('her certificate is valid, with its QR code loaded and a printable view', async () => {
    expect(cert).toBeDefined()
    const no = cert!.no
    await page.goto(server.url + '/training?tab=certificates')
    await page.locator(sel(`cert-${no}`)).waitFor()
    expect(await page.locator(sel(`cert-state-${no}`)).textContent()).toBe('有效')
    const qr = page.locator(sel(`cert-qr-${no}`))
    await qr.scrollIntoViewIfNeeded()
    await expect.poll(() => qr.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true)
    await shot('03-certificates')
    await page.locator(sel(`cert-print-${no}`)).click()
    await page.locator(sel('print-certificate')).waitFor()
    expect(await page.locator(sel('print-no')).textContent()).toBe(no)
    expect(await page.locator(sel('print-body')).textContent()).toContain('陈阿姨')
    await shot('04-certificate-print')
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator(sel('print-button')).isVisible()).toBe(false)
    expect(await page.locator('.app-header').isVisible()).toBe(false)
    await shot('05-certificate-print-media')
    await page.emulateMedia({ media: 'screen' })
  })

  step('she enrols in the winter class and it joins 我的班级', async () => {
    expect(winter).toBeDefined()
    const id = winter!.id
    await page.goto(server.url + '/training')
    await page.locator(sel('training-tab-open')).click()
    await page.locator(sel(`enrol-${id}`)).waitFor()
    await shot('06-open-classes')
    await page.locator(sel(`enrol-${id}`)).click()
    await expect.poll(() => page.locator(sel(`class-${id}`)).count()).toBe(0)
    await page.locator(sel('training-tab-classes')).click()
    await page.locator(sel(`class-${id}`)).waitFor()
    await expect.poll(() => page.locator(sel(`class-progress-${id}`)).textContent()).toMatch(/^出勤 0\/4 · /)
    await page.locator(sel(`class-link-${id}`)).click()
    await expect.poll(() => page.locator(sel('class-enrolled')).isVisible()).toBe(true)
    // Enrolment signed her up for every session: each one's ticket is a tap away.
    await page.locator(sel('session-ticket-1')).waitFor()
    await shot('07-winter-class-enrolled')
    await page.locator(sel('session-ticket-1')).click()
    await page.waitForURL(/\/me\/tickets\/[a-z2-7]{20}$/)
    await shot('08-session-ticket', false)
  })

  step('she logs a practice record: the form takes hours in half-hour steps, the record waits for confirmation', async () => {
    await page.goto(server.url + '/training?tab=practice')
    await page.locator(sel('practice-form')).waitFor()
    await page.locator(sel('practice-kind-home_visit')).click()
    await page.locator(sel('practice-method-casework')).click()
    await fillTestField(page, 'practice-place', PLACE)
    await fillTestField(page, 'practice-note', '探访独居长者，评估需求')
    await fillTestField(page, 'practice-hours', '2.25')
    await page.locator(sel('practice-submit')).click()
    await expect.poll(() => page.locator(sel('practice-hours')).textContent()).toContain('请按半小时填写')
    await page.locator(sel('practice-hours-more')).click()
    expect(await page.locator(`${sel('practice-hours')} input`).inputValue()).toBe('2.5')
    await shot('09-practice-form')
    await page.locator(sel('practice-submit')).click()
    const record = page.locator('section[data-test^="practice-"]').filter({ hasText: PLACE })
    await record.first().waitFor()
    expect(await record.first().textContent()).toContain('2.5\u00a0小时')
    expect(await record.locator('[data-test^="practice-status-"]').textContent()).toBe('待确认')
    await shot('10-practice-logged')
  })

  step('长辈模式 at 360 px: 我的培训 fits the screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '1'))
    for (const [tab, ready] of [['classes', 'classes-list'], ['certificates', 'certs-list'], ['practice', 'practice-form']] as const) {
      await page.goto(`${server.url}/training?tab=${tab}`)
      await page.locator(sel(ready)).waitFor()
      expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
      // Every tab button is a 60 px tap target.
      for (const height of await page.locator('[data-test^="training-tab-"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) {
        expect(height).toBeGreaterThanOrEqual(60)
      }
      await shot(`11-elder-360-${tab}`, tab !== 'practice')
    }
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '0'))
    await page.setViewportSize({ width: 390, height: 844 })
    await logout(page, server.url)
  })

  step('吴老师 opens 培训管理 from 我的 and confirms 叠滘村·何伯’s pending practice', async () => {
    const api = await apiSession(server.url, TRAINER)
    const pending = await api<{ practice: { id: string; user_name: string }[] }>('GET', '/training/practice/pending')
    const he = pending.body.practice.find((p) => p.user_name.includes('何伯'))
    expect(he).toBeDefined()
    await login(TRAINER)
    await page.locator(sel('me-training-manage')).click()
    await page.waitForURL('**/training/manage')
    await page.locator(sel('manage-classes')).waitFor()
    await shot('12-manage-classes')
    await page.locator(sel('manage-tab-practice')).click()
    await page.locator(sel(`practice-${he!.id}`)).waitFor()
    // 陈阿姨's record, just logged, waits here too.
    expect(await page.locator(sel('pending-list')).textContent()).toContain(PLACE)
    await shot('13-pending-practice')
    await page.locator(sel(`pending-confirm-${he!.id}`)).click()
    await expect.poll(() => page.locator(sel(`practice-${he!.id}`)).count()).toBe(0)
    const after = await api<{ practice: { id: string }[] }>('GET', '/training/practice/pending')
    expect(after.body.practice.some((p) => p.id === he!.id)).toBe(false)
  })

  step('he opens the winter class’s admin page and finds 陈阿姨 on the roster, and each session’s check-in', async () => {
    expect(winter).toBeDefined()
    const id = winter!.id
    await page.goto(server.url + '/training/manage')
    await page.locator(sel(`class-link-${id}`)).click()
    await page.waitForURL(`**/training/manage/classes/${id}`)
    await page.locator(sel('roster-list')).waitFor()
    expect(await page.locator(sel('roster-list')).textContent()).toContain('陈阿姨')
    await shot('14-class-admin-roster')
    await page.locator(sel('admin-tab-progress')).click()
    await page.locator(sel('progress-table')).waitFor()
    expect(await page.locator(sel('progress-table')).textContent()).toContain('陈阿姨')
    await shot('15-class-admin-progress')
    await page.locator(sel('admin-tab-sessions')).click()
    await page.locator(sel('session-checkin-1')).click()
    await page.waitForURL(/\/events\/\d+\/checkin$/)
    await shot('16-session-checkin', false)
    await logout(page, server.url)
  })

  step('a guest checks 陈阿姨’s certificate by its QR link: 有效, the code matched, the name masked', async () => {
    expect(cert).toBeDefined()
    await page.goto(server.url + cert!.verify_path)
    await page.locator(sel('check-state')).waitFor()
    expect(await page.locator(sel('check-state')).getAttribute('data-state')).toBe('valid')
    expect(await page.locator(sel('check-state-label')).textContent()).toBe('有效')
    expect(await page.locator(sel('check-code')).textContent()).toContain('校验码一致')
    const holder = (await page.locator(sel('check-holder')).textContent()) ?? ''
    expect(holder).toContain('*')
    expect(holder).not.toBe('陈阿姨')
    expect(await page.locator(sel('check-programme')).textContent()).toBe(cert!.programme_title)
    await shot('17-public-check-valid')
    await page.goto(`${server.url}/c/${cert!.no}`)
    await expect.poll(() => page.locator(sel('check-code')).textContent()).toContain('未提供或不一致')
    await page.goto(`${server.url}/c/GC2026-NOSUCHCERT`)
    await page.locator(sel('check-not-found')).waitFor()
    expect(await page.locator(sel('check-not-found')).textContent()).toContain('查无此证书')
    await shot('18-public-check-not-found', false)
  })

  step('the pages raised no error and the CSP blocked nothing', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
