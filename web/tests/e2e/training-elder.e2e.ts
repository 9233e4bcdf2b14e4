/**
 * 党员社工培育 end to end, the member in 长辈模式 on a 360×740 phone, against the real server with
 * the demo data: the trainer 吴老师 (13800000006) creates through 培训管理 a programme (attendance
 * 100 %, no practice hours, pass mark 60, certificate 党员社工（E2E） for a year) and a class for
 * 叠滘村 with two sessions starting in about one and two hours (check-in opens 4 h before a start)
 * and a two-question quiz; 陈阿姨 (13800000001, a party member of 叠滘村) — in 长辈模式 — finds it
 * under 可报名 and enrols; the trainer checks her in at both sessions by her ticket codes from the
 * attendance lists; she logs a practice record and passes the quiz (出勤 2/2, 考核 已通过); the
 * trainer issues her certificate from the progress table; she opens 证书 and its QR link's target
 * and sees 有效, the code matched, the name masked. Titles carry a run suffix, so the suite does
 * not depend on other suites' data. Screenshots go to $E2E_OUT.
 *
 * Without `"training"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { toZonedInput } from '../../src/time/zone'
import { apiSession, type DemoSuiteSession, demoSuiteSession, fillTestField, loginWithDemoPassword, logout, screenshot, sel, startDemoSuite } from './support'

/** 陈阿姨: a party member on 叠滘村's register. */
const MEMBER = '13800000001'
const MEMBER_NAME = '陈阿姨'
/** 吴老师: a trainer. */
const TRAINER = '13800000006'
const RUN = String(Date.now()).slice(-6)
const PROGRAMME = `E2E长辈模式党员社工课程${RUN}`
const CLASS = `E2E长辈模式班${RUN}（叠滘村）`
const LEVEL = '党员社工（E2E）'
const MODULES = ['居民需求挖掘', '个案工作方法']
const PLACE = `E2E叠滘村长者之家${RUN}`
const HOUR_MS = 60 * 60 * 1000

interface Cert {
  no: string
  state: string
  verify_path: string
  programme_title: string
  level: string
}

const suite = await startDemoSuite({ name: 'training-elder', features: ['training'], api: 'training', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
let classId = 0
let cert: Cert | undefined

const shot = (name: string, fullPage = true) => screenshot(page, `training-elder-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

const isElder = () => page.evaluate(() => document.documentElement.classList.contains('elder'))

/** Turns 长辈模式 on or off with the header's switch, as a person would. */
async function setElder(on: boolean): Promise<void> {
  if ((await isElder()) !== on) {
    await page.locator(sel('toggle-elder')).first().click()
    await expect.poll(isElder).toBe(on)
  }
}

/** In 长辈模式 at 360 px nothing is wider than the screen. */
async function expectElderFits(): Promise<void> {
  expect(await isElder()).toBe(true)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
}

describe.skipIf(suite.skip)('党员社工培育 in 长辈模式: enrol, two check-ins, practice, quiz, certificate, its QR check', () => {
  session = demoSuiteSession(suite)
  beforeAll(async () => {
    if (suite.available) {
      page = session.page
      await page.setViewportSize({ width: 360, height: 740 })
    }
  })

  step('吴老师 creates the programme through 培训管理', async () => {
    await login(TRAINER)
    await setElder(false)
    await page.locator(sel('me-training-manage')).click()
    await page.waitForURL('**/training/manage')
    await page.goto(server.url + '/training/manage/programmes/new')
    await page.locator(sel('programme-form')).waitFor()
    await fillTestField(page, 'programme-title', PROGRAMME)
    await fillTestField(page, 'programme-description', '长辈模式端到端测试用课程')
    await fillTestField(page, 'programme-modules', MODULES.join('\n'))
    await fillTestField(page, 'programme-attendance', '100')
    await fillTestField(page, 'programme-hours', '0')
    await fillTestField(page, 'programme-pass', '60')
    await fillTestField(page, 'programme-level', LEVEL)
    await fillTestField(page, 'programme-years', '1')
    await shot('01-programme-form')
    await page.locator(sel('programme-submit')).click()
    await page.waitForURL('**/training/manage')
  })

  step('he creates a class for 叠滘村 with two sessions in one and two hours and a two-question quiz', async () => {
    await page.goto(server.url + '/training/manage/classes/new')
    await page.locator(sel('class-form')).waitFor()
    await page.locator('[data-test^="class-form-programme-"]').filter({ hasText: PROGRAMME }).click()
    await expect.poll(() => page.locator(sel('class-form-programme-rules')).textContent()).toContain('60')
    // One session per module is put in by the programme's choice: two.
    await expect.poll(() => page.locator('[data-test^="class-form-session-"][data-test$="-starts"]').count()).toBe(2)
    await fillTestField(page, 'class-form-title', CLASS)
    await fillTestField(page, 'class-form-capacity', '10')
    await page.locator('[data-test^="class-form-org-"]').first().click()
    await page.locator('[data-test^="class-form-venue-"]').first().click()
    await page.locator('[data-test^="class-form-village-"]').filter({ hasText: /^叠滘村$/ }).click()
    const now = Date.now()
    for (const i of [0, 1]) {
      const start = now + (i + 1) * HOUR_MS + 5 * 60 * 1000
      await fillTestField(page, `class-form-session-${i}-starts`, toZonedInput(start))
      await fillTestField(page, `class-form-session-${i}-ends`, toZonedInput(start + 1.5 * HOUR_MS))
    }
    const quiz = [
      { text: '党员社工入户探访前应先做什么？', options: ['了解居民需求', '直接上门'], right: 0 },
      { text: '个案记录应如何保管？', options: ['随意放置', '妥善保密'], right: 1 },
    ]
    for (const [i, q] of quiz.entries()) {
      await page.locator(sel('qb-add')).click()
      await fillTestField(page, `qb-${i}-text`, q.text)
      for (const [j, option] of q.options.entries()) {
        await fillTestField(page, `qb-${i}-option-${j}`, option)
      }
      await page.locator(sel(`qb-${i}-right-${q.right}`)).click()
    }
    await shot('02-class-form')
    await page.locator(sel('class-form-submit')).click()
    await page.waitForURL(/\/training\/manage\/classes\/\d+/)
    classId = Number(/\/classes\/(\d+)/.exec(page.url())?.[1])
    expect(classId).toBeGreaterThan(0)
    await page.locator(sel('roster-list')).or(page.locator(sel('admin-tab-roster'))).first().waitFor()
    await shot('03-class-admin')
    await logout(page, server.url)
  })

  step('陈阿姨, in 长辈模式, finds the class under 可报名 on 我的培训 and enrols', async () => {
    await login(MEMBER)
    await setElder(true)
    await page.goto(server.url + '/training')
    await page.locator(sel('training-tab-open')).click()
    const card = page.locator(sel(`class-${classId}`))
    await card.waitFor()
    expect(await card.textContent()).toContain(CLASS)
    await expectElderFits()
    await shot('04-elder-open-classes')
    await page.locator(sel(`enrol-${classId}`)).click()
    await expect.poll(() => page.locator(sel(`class-${classId}`)).count()).toBe(0)
    await page.locator(sel('training-tab-classes')).click()
    await page.locator(sel(`class-${classId}`)).waitFor()
    await expect.poll(() => page.locator(sel(`class-progress-${classId}`)).textContent()).toMatch(/^出勤 0\/2 · /)
    await expectElderFits()
    await shot('05-elder-my-classes')
    await page.locator(sel(`class-link-${classId}`)).click()
    await expect.poll(() => page.locator(sel('class-enrolled')).isVisible()).toBe(true)
    await page.locator(sel('session-ticket-2')).waitFor()
    await expectElderFits()
    await shot('06-elder-class-enrolled')
    await logout(page, server.url)
  })

  step('吴老师 checks her in at both sessions by her ticket codes from the attendance lists', async () => {
    await login(TRAINER)
    await setElder(false)
    for (const seq of [1, 2]) {
      await page.goto(`${server.url}/training/manage/classes/${classId}`)
      await page.locator(sel('admin-tab-sessions')).click()
      await page.locator(sel(`session-attendance-${seq}`)).click()
      await page.waitForURL(/\/events\/\d+\/attendance$/)
      const eventPath = new URL(page.url()).pathname.replace(/\/attendance$/, '')
      const row = page.locator(sel('attendance-row')).filter({ hasText: MEMBER_NAME })
      await row.waitFor()
      const code = /票号 ([0-9A-Z]{8})/.exec((await row.textContent()) ?? '')?.[1]
      expect(code).toBeDefined()
      await shot(`07-session-${seq}-attendance`)
      await page.goto(`${server.url}${eventPath}/checkin`)
      await page.locator(`${sel('checkin-code')} input`).fill(code!)
      await page.locator(sel('checkin-submit')).click()
      const result = page.locator(sel('checkin-result'))
      await expect.poll(() => result.getAttribute('data-kind')).toBe('checked_in')
      expect(await page.locator(sel('checkin-name')).textContent()).toBe(MEMBER_NAME)
      await shot(`08-session-${seq}-checked-in`, false)
    }
    await logout(page, server.url)
  })

  step('陈阿姨 (长辈模式) logs a practice record', async () => {
    await login(MEMBER)
    await setElder(true)
    await page.goto(server.url + '/training?tab=practice')
    await page.locator(sel('practice-form')).waitFor()
    await page.locator(sel('practice-kind-home_visit')).click()
    await page.locator(sel('practice-method-casework')).click()
    await fillTestField(page, 'practice-place', PLACE)
    await fillTestField(page, 'practice-note', '陪同长者就医，了解需求')
    await fillTestField(page, 'practice-hours', '2')
    for (const height of await page.locator('[data-test^="practice-kind-"], [data-test^="practice-method-"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) {
      expect(height).toBeGreaterThanOrEqual(60)
    }
    await expectElderFits()
    await shot('09-elder-practice-form')
    await page.locator(sel('practice-submit')).click()
    const record = page.locator('section[data-test^="practice-"]').filter({ hasText: PLACE })
    await record.first().waitFor()
    expect(await record.locator('[data-test^="practice-status-"]').textContent()).toBe('待确认')
    await expectElderFits()
    await shot('10-elder-practice-logged')
  })

  step('she takes the quiz on the class page and passes: 出勤 2/2, 考核 已通过', async () => {
    await page.goto(`${server.url}/training/classes/${classId}`)
    await page.locator(sel('quiz-form')).waitFor()
    // Each option is a 60 px tap target in 长辈模式.
    for (const height of await page.locator('[data-test^="quiz-"][role="radio"], [data-test^="quiz-"][role="checkbox"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) {
      expect(height).toBeGreaterThanOrEqual(60)
    }
    expect(await page.locator('[data-test^="quiz-"][role="radio"]').count()).toBe(4)
    await page.locator(sel('quiz-0-0')).click()
    await page.locator(sel('quiz-1-1')).click()
    await expectElderFits()
    await shot('11-elder-quiz')
    await page.locator(sel('quiz-submit')).click()
    await page.locator(sel('quiz-result')).waitFor()
    await expect.poll(() => page.locator(sel('progress-line')).textContent()).toMatch(/^出勤 2\/2 · .*考核 已通过$/)
    await expectElderFits()
    await shot('12-elder-quiz-passed')
    await page.goto(server.url + '/training')
    await expect.poll(() => page.locator(sel(`class-progress-${classId}`)).textContent()).toMatch(/^出勤 2\/2 · .*考核 已通过$/)
    await shot('13-elder-my-classes-passed')
    await logout(page, server.url)
  })

  step('吴老师 issues her certificate from the class admin page’s progress table', async () => {
    await login(TRAINER)
    await setElder(false)
    await page.goto(`${server.url}/training/manage/classes/${classId}`)
    await page.locator(sel('admin-tab-progress')).click()
    await page.locator(sel('progress-table')).waitFor()
    const row = page.locator('tr[data-test^="progress-row-"]').filter({ hasText: MEMBER_NAME })
    await row.locator('[data-test^="progress-pick-"]').click()
    await shot('14-progress-picked')
    await page.locator(sel('progress-issue')).click()
    await expect.poll(() => row.locator('[data-test^="progress-cert-"]').textContent()).toMatch(/\S/)
    await shot('15-certificate-issued')
    await logout(page, server.url)
  })

  step('陈阿姨 (长辈模式) opens 证书 and its QR link: 有效, the code matched, the name masked', async () => {
    const api = await apiSession(server.url, MEMBER)
    const certs = await api<{ certificates: Cert[] }>('GET', '/training/certificates')
    cert = certs.body.certificates.find((c) => c.programme_title === PROGRAMME)
    expect(cert).toBeDefined()
    const no = cert!.no
    await login(MEMBER)
    await setElder(true)
    await page.goto(server.url + '/training?tab=certificates')
    await page.locator(sel(`cert-${no}`)).waitFor()
    expect(await page.locator(sel(`cert-state-${no}`)).textContent()).toBe('有效')
    expect(await page.locator(sel(`cert-${no}`)).textContent()).toContain(PROGRAMME)
    const qr = page.locator(sel(`cert-qr-${no}`))
    await qr.scrollIntoViewIfNeeded()
    await expect.poll(() => qr.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true)
    await expectElderFits()
    await shot('16-elder-certificates')
    // The 查验 button leads where the QR code does: `/c/{no}?code=…`.
    await page.locator(sel(`cert-check-${no}`)).click()
    await page.waitForURL((url) => url.pathname === `/c/${no}` && url.searchParams.has('code'))
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(cert!.verify_path)
    await page.locator(sel('check-state')).waitFor()
    expect(await page.locator(sel('check-state')).getAttribute('data-state')).toBe('valid')
    expect(await page.locator(sel('check-state-label')).textContent()).toBe('有效')
    expect(await page.locator(sel('check-code')).textContent()).toContain('校验码一致')
    const holder = (await page.locator(sel('check-holder')).textContent()) ?? ''
    expect(holder).toContain('*')
    expect(holder).not.toBe(MEMBER_NAME)
    expect(await page.locator(sel('check-programme')).textContent()).toBe(PROGRAMME)
    await expectElderFits()
    await shot('17-elder-certificate-check')
  })

  step('the pages raised no error and the CSP blocked nothing', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
