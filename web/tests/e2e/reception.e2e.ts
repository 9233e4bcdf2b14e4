/**
 * 党员接待室 on a phone (390×844), against the real server with the demo data: 陈阿姨 (13800000001,
 * on the duty roster of 叠滘村党员接待室) opens 党员接待室 from the home page, sees her room with
 * today's members on duty and the recent visits, records a visit (养老, consent on, 黄伯 and his
 * phone), sees the name in clear on the visit's page, and refers it in one tap to 博睿社工's 长者探访
 * with the resident's consent (已转介 · 已提交); 叠滘村's village staff 梁书记 (13800000003) opens
 * 接待室管理, finds that visit with the name masked, and the month's statistics counting it; the
 * 登记来访 form in 长辈模式 at 360 px. Screenshots go to $E2E_OUT.
 *
 * Without `"reception"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { apiSession, type DemoSuiteSession, demoSuiteSession, fillTestField, loginWithDemoPassword, logout, screenshot, sel, startDemoSuite } from './support'

/** 陈阿姨: on the duty roster of 叠滘村党员接待室. */
const MEMBER = '13800000001'
/** 梁书记: 叠滘村's village staff (and on the roster too). */
const STAFF = '13800000003'
/** 吴老师: a trainer, who manages every village's rooms. */
const TRAINER = '13800000006'
const NEW_ROOM = `E2E平东村第二接待室${String(Date.now()).slice(-6)}`
const ROOM = '叠滘村党员接待室'
const RESIDENT = '黄伯'
const RESIDENT_PHONE = '13912340000'
/** Unique per run, so the visit is found by what was typed. */
const SUMMARY = `E2E独居长者希望有人定期上门探访${String(Date.now()).slice(-6)}`

interface Room {
  id: number
  name: string
  village_id: number
}
interface Service {
  id: number
  name: string
  org_name: string
}
interface Stats {
  villages: { village_id: number; visits: number; referred: number }[]
}

const suite = await startDemoSuite({ name: 'reception', features: ['reception'], api: 'reception', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
let room: Room | undefined
let service: Service | undefined
let visitId = ''

const shot = (name: string, fullPage = true) => screenshot(page, `reception-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

describe.skipIf(suite.skip)('党员接待室: a visit recorded on duty, referred in one tap, seen masked by the village staff with the month’s figures, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(() => {
    if (suite.available) {
      page = session.page
    }
  })

  step('陈阿姨 opens 党员接待室 from the home page: her room, today’s members on duty, the recent visits', async () => {
    const api = await apiSession(server.url, MEMBER)
    const rooms = await api<{ rooms: (Room & { on_duty: boolean })[] }>('GET', '/reception/rooms')
    room = rooms.body.rooms.find((r) => r.name === ROOM && r.on_duty)
    expect(room).toBeDefined()
    const services = await api<{ services: Service[] }>('GET', `/casework/services?village_id=${room!.village_id}`)
    service = services.body.services.find((s) => s.name.includes('长者探访') && s.org_name.includes('博睿'))
    expect(service).toBeDefined()

    await login(MEMBER)
    await page.goto(server.url + '/')
    await page.locator(sel('section-reception')).click()
    await page.waitForURL('**/reception')
    await page.locator(sel(`room-${room!.id}`)).waitFor()
    expect(await page.locator(sel(`room-name-${room!.id}`)).textContent()).toBe(ROOM)
    expect((await page.locator(sel(`room-today-${room!.id}`)).textContent())?.trim()).not.toBe('')
    await page.locator(sel('visits-list')).waitFor()
    expect(await page.locator('[data-test="visits-list"] a[data-test^="visit-"]').count()).toBeGreaterThan(0)
    await shot('01-rooms-and-visits')
    await page.locator(sel('month-previous')).click()
    await expect.poll(() => page.locator(sel('month-name')).textContent()).not.toBe('')
    await page.locator(sel('month-next')).click()
  })

  step('she records a visit: 养老, a summary, the resident’s consent with 黄伯 and his phone', async () => {
    await page.locator(sel(`room-record-${room!.id}`)).click()
    await page.waitForURL(`**/reception/visits/new?room=${room!.id}`)
    await page.locator(sel('visit-form')).waitFor()
    // Saving without a category or summary names both.
    await page.locator(sel('form-submit')).click()
    await page.locator(sel('form-category-error')).waitFor()
    await page.locator(sel('form-category-elderly')).click()
    expect(await page.locator(sel('form-category-elderly')).getAttribute('aria-pressed')).toBe('true')
    await fillTestField(page, 'form-summary', SUMMARY)
    await fillTestField(page, 'form-action', '登记情况，联系了网格员')
    // Without consent there is no name or phone to type.
    expect(await page.locator(sel('form-name')).count()).toBe(0)
    await page.locator(sel('form-consent-switch')).click()
    await fillTestField(page, 'form-name', RESIDENT)
    await fillTestField(page, 'form-phone', RESIDENT_PHONE)
    await shot('02-visit-form')
    await page.locator(sel('form-submit')).click()
    await page.waitForURL(/\/reception\/visits\/[A-Za-z0-9_-]+$/)
    visitId = page.url().split('/').pop() ?? ''
    expect(visitId).not.toBe('new')
    await page.locator(sel('visit')).waitFor()
    expect(await page.locator(sel('visit-summary')).textContent()).toBe(SUMMARY)
    expect(await page.locator(sel('visit-category')).textContent()).toBe('养老')
    expect(await page.locator(sel('visit-resident-name')).textContent()).toBe(RESIDENT)
    expect(await page.locator(sel('visit-resident-phone')).textContent()).toBe(RESIDENT_PHONE)
    expect(await page.locator(sel('visit-visible-note')).textContent()).toContain('仅登记人可见完整信息')
    await shot('03-visit-page')
  })

  step('she refers it in one tap to 长者探访 with the resident’s consent: 已转介 · 已提交', async () => {
    await page.locator(sel('visit-refer')).click()
    await page.locator(sel('refer-form')).waitFor()
    await page.locator(sel(`refer-service-${service!.id}`)).click()
    // The consent is required before anything is sent.
    await page.locator(sel('refer-submit')).click()
    await page.locator(sel('refer-consent-error')).waitFor()
    await page.locator(sel('refer-consent')).click()
    await fillTestField(page, 'refer-note', '需要社工上门评估')
    await shot('04-refer-sheet', false)
    await page.locator(sel('refer-submit')).click()
    await page.locator(sel('referral')).waitFor()
    expect(await page.locator(sel('referral-status')).textContent()).toBe('已提交')
    expect(await page.locator(sel('referral-org')).textContent()).toContain('博睿')
    expect(await page.locator(sel('visit-badge-referred')).textContent()).toBe('已转介 · 已提交')
    expect(await page.locator(sel('visit-refer')).count()).toBe(0)
    await shot('05-referred')
    // The list shows it with its badge.
    await page.goto(server.url + '/reception')
    await page.locator(sel(`visit-${visitId}`)).waitFor()
    expect(await page.locator(sel(`visit-badge-referred-${visitId}`)).textContent()).toBe('已转介 · 已提交')
    await logout(page, server.url)
  })

  step('梁书记 opens 接待室管理: the visit with the name masked, and the month’s statistics counting it', async () => {
    const api = await apiSession(server.url, STAFF)
    const stats = await api<Stats>('GET', `/reception/stats?village_id=${room!.village_id}`)
    const village = stats.body.villages.find((v) => v.village_id === room!.village_id)
    expect(village).toBeDefined()
    expect(village!.referred).toBeGreaterThanOrEqual(1)

    await login(STAFF)
    await page.goto(server.url + '/reception')
    await page.locator(sel('reception-manage-link')).click()
    await page.waitForURL('**/reception/manage')
    await page.locator(sel(`admin-room-${room!.id}`)).waitFor()
    expect(await page.locator(sel(`duty-${room!.id}`)).textContent()).toContain('陈阿姨')
    await shot('06-manage-rooms')

    // The roster editor: 陈阿姨 on Sunday too, saved; then the old roster back.
    const rooms = await api<{ rooms: (Room & { duty: { user_id: number; name: string; weekday: number }[] })[] }>('GET', '/reception/rooms')
    const chen = rooms.body.rooms.find((r) => r.id === room!.id)?.duty.find((d) => d.name === '陈阿姨')
    expect(chen).toBeDefined()
    const sunday = page.locator(sel(`duty-${room!.id}-0`))
    const sundayBefore = ((await sunday.textContent()) ?? '').trim()
    const pick = sel(`duty-pick-${room!.id}-0-${chen!.user_id}`)
    await page.locator(sel(`duty-edit-${room!.id}`)).click()
    await page.locator(pick).click()
    await shot('07-duty-editor')
    await page.locator(sel(`duty-save-${room!.id}`)).click()
    await expect.poll(async () => ((await sunday.textContent()) ?? '').trim()).not.toBe(sundayBefore)
    await page.locator(sel(`duty-edit-${room!.id}`)).click()
    await page.locator(pick).click()
    await page.locator(sel(`duty-save-${room!.id}`)).click()
    await expect.poll(async () => ((await sunday.textContent()) ?? '').trim()).toBe(sundayBefore)

    await page.locator(sel('reception-tab-visits')).click()
    await page.locator(sel(`visit-${visitId}`)).waitFor()
    const resident = (await page.locator(sel(`visit-resident-${visitId}`)).textContent()) ?? ''
    expect(resident).toContain('*')
    expect(resident).not.toContain(RESIDENT)
    expect(resident).not.toContain(RESIDENT_PHONE)
    await shot('08-manage-visits')
    await page.locator(sel(`visit-${visitId}`)).click()
    await page.locator(sel('visit')).waitFor()
    expect(await page.locator(sel('visit-resident-name')).textContent()).not.toBe(RESIDENT)
    expect(await page.locator(sel('visit-visible-note')).count()).toBe(0)

    await page.goto(server.url + '/reception/manage?tab=stats')
    await page.locator(sel(`stats-village-${room!.village_id}`)).waitFor()
    const row = page.locator(sel(`stats-village-${room!.village_id}`))
    expect(Number(await row.locator(sel('stats-visits')).textContent())).toBe(village!.visits)
    expect(Number(await row.locator(sel('stats-referred')).textContent())).toBe(village!.referred)
    expect(Number(await page.locator(sel('stats-category-elderly')).locator('td').textContent())).toBeGreaterThanOrEqual(1)
    await page.locator(sel('echart')).waitFor()
    await shot('09-manage-stats')
  })

  step('长辈模式 at 360 px: the 登记来访 form fits, its chips and buttons big enough', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '1'))
    await page.goto(`${server.url}/reception/visits/new?room=${room!.id}`)
    await page.locator(sel('visit-form')).waitFor()
    expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    const chips = page.locator('[data-test^="form-category-"]:not([data-test="form-category-error"])')
    expect(await chips.count()).toBe(8)
    for (const box of await chips.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()))) {
      expect(box.height).toBeGreaterThanOrEqual(60)
      expect(box.right).toBeLessThanOrEqual(360)
    }
    await page.locator(sel('form-consent-switch')).click()
    const submit = await page.locator(sel('form-submit')).boundingBox()
    expect(submit!.height).toBeGreaterThanOrEqual(60)
    // The chips' text is never cut off.
    expect(await chips.evaluateAll((els) => els.every((e) => e.scrollWidth <= e.clientWidth))).toBe(true)
    await page.evaluate(() => window.scrollTo(0, 0))
    await shot('10-elder-360-form', false)
    await page.locator(sel('form-submit')).scrollIntoViewIfNeeded()
    await shot('11-elder-360-form-end', false)
    // The other pages fit too; the statistics are tables only (no chart in 长辈模式).
    for (const [path, ready, name] of [
      ['/reception', 'rooms', '12-elder-360-rooms'],
      [`/reception/visits/${visitId}`, 'visit', '13-elder-360-visit'],
      ['/reception/manage?tab=stats', 'stats', '14-elder-360-stats'],
    ] as const) {
      await page.goto(server.url + path)
      await page.locator(sel(ready)).waitFor()
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
      await shot(name, false)
    }
    expect(await page.locator(sel('echart')).count()).toBe(0)
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '0'))
    await page.setViewportSize({ width: 390, height: 844 })
    await logout(page, server.url)
  })

  step('吴老师 goes from 培训管理 to 接待室管理: every village’s rooms, filtered to 平东村, where he opens a new room', async () => {
    await login(TRAINER)
    await page.goto(server.url + '/training/manage')
    await page.locator(sel('manage-reception-link')).click()
    await page.waitForURL('**/reception/manage')
    await page.locator(sel('manage-rooms')).waitFor()
    await expect.poll(() => page.locator('[data-test^="admin-room-"]').count()).toBeGreaterThanOrEqual(3)
    await page.locator(sel('manage-village')).selectOption({ label: '平东村' })
    await page.waitForURL(/village=\d+/)
    await expect.poll(async () => (await page.locator('[data-test^="admin-room-"]').allTextContents()).every((text) => text.includes('平东村'))).toBe(true)
    await page.locator(sel('manage-new-room')).click()
    await fillTestField(page, 'room-form-name', NEW_ROOM)
    await fillTestField(page, 'room-form-address', '平东村村委会二楼')
    await fillTestField(page, 'room-form-hours', '周二、周四 14:30-17:30')
    await page.locator(sel('room-form-submit')).click()
    const created = page.locator('[data-test^="admin-room-"]').filter({ hasText: NEW_ROOM })
    await created.first().waitFor()
    expect(await created.first().textContent()).toContain('未安排')
    await shot('15-trainer-new-room')
    // His statistics cover every village, the new room with zeros.
    await page.locator(sel('reception-tab-stats')).click()
    await page.locator(sel('stats-rooms')).waitFor()
    expect(await page.locator(sel('stats-rooms')).textContent()).toContain(NEW_ROOM)
    await logout(page, server.url)
  })

  step('the pages raised no error and the CSP blocked nothing', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
