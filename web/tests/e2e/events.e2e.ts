/**
 * 活动报名's main path on a phone (390×844), against the real server with the demo data: a guest
 * asked to sign in before signing up → the resident signs in → 活动 → 长者智能手机课堂 (at 关爱桂城企业创享家)
 * → signs up for one seat, answering its required choice question → the ticket shows the QR →
 * the QR is read back from the page (rendered to a canvas, decoded with jsQR) → someone else opening
 * the ticket's address (an unguessable id) finds nothing → the organisation's staff sign in → 活动管理 → the event → 签到 → the decoded code checks in with the
 * resident's name → again: 已签到 → the attendance list counts 1 checked in → axe colour contrast on
 * 活动 in 长辈模式. Screenshots go to $E2E_OUT.
 *
 * The server side of events may not exist yet. The file first starts the server and reads
 * `GET /api/v1/meta`: without `"events"` in `features` the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import jsQR from 'jsqr'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  loginWithDemoPassword,
  logout,
  openDemoSuitePage,
  type PhonePage,
  screenshot,
  sel,
  seriousContrastViolations,
  startDemoSuite,
  stopDemoSuite,
} from './support'

const RESIDENT = '13800000001'
const STAFF = '13800000002'
/** A signed-in resident who is neither the registrant nor the organisation's staff. */
const OTHER = '13800000003'
const EVENT_TITLE = '长者智能手机课堂'
const VENUE = '关爱桂城企业创享家'
const RESIDENT_NAME = '陈阿姨'
/** Pixels per QR module when the ticket's SVG is drawn for decoding. */
const QR_SCALE = 10

/** Seed, start, and ask the server whether it serves the events API. */
const suite = await startDemoSuite({ name: 'events', features: ['events'], api: 'events', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let phone: PhonePage
let page: Page
let eventPath = ''
let ticketCode = ''
let ticketPath = ''
let decoded = ''

const shot = (name: string) => screenshot(page, name)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

/** The ticket QR as the page shows it, drawn on a canvas and read back as RGBA pixels. */
async function ticketQrPixels(): Promise<{ width: number; height: number; data: number[] }> {
  return page.locator(sel('ticket-qr')).evaluate(async (node: HTMLImageElement, scale: number) => {
    // Draw the same SVG afresh at a whole number of pixels per module (its viewBox counts the
    // modules, quiet zone included), so the drawing does not depend on the CSS size of the <img>.
    const src = node.currentSrc || node.src
    const svg = await (await fetch(src, { credentials: 'same-origin' })).text()
    const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)
    const size = viewBox ? Number(viewBox[1]) * scale : 400
    const image = new Image()
    image.src = src
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = size
    canvas.height = size
    const context = canvas.getContext('2d')!
    context.imageSmoothingEnabled = false
    context.fillStyle = '#fff'
    context.fillRect(0, 0, size, size)
    context.drawImage(image, 0, 0, size, size)
    const pixels = context.getImageData(0, 0, size, size)
    return { width: size, height: size, data: Array.from(pixels.data) }
  }, QR_SCALE)
}

describe.skipIf(suite.skip)('活动: sign up, show the ticket, check in on a phone', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return // every test fails through `step` with the reason
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
  })

  afterAll(() => stopDemoSuite(suite, phone))

  step('sends a guest who taps 我要报名 to sign in first, with the way back to the form', async () => {
    await page.goto(server.url + '/events')
    const card = page.locator(sel('event-card')).filter({ hasText: EVENT_TITLE })
    await expect.poll(() => card.count()).toBe(1)
    await card.click()
    await page.waitForURL(/\/events\/\d+$/)
    eventPath = new URL(page.url()).pathname
    await page.locator(sel('event-signup')).click()
    await page.waitForURL('**/login?redirect=**')
    expect(decodeURIComponent(new URL(page.url()).searchParams.get('redirect') ?? '')).toBe(`${eventPath}/signup`)
    await shot('events-01-guest-asked-to-sign-in')
  })

  step('the resident signs in and opens 活动 from the home grid', async () => {
    await login(RESIDENT)
    await page.goto(server.url + '/')
    await page.locator(sel('section-events')).click()
    await page.waitForURL('**/events')
    const card = page.locator(sel('event-card')).filter({ hasText: EVENT_TITLE })
    await expect.poll(() => card.count()).toBe(1)
    expect(await card.textContent()).toContain(VENUE)
    expect(await card.locator(sel('event-remaining')).textContent()).toMatch(/剩余 \d+ 席/)
    expect(await card.locator(sel('event-signup-state')).textContent()).toContain('报名中')
    await shot('events-02-list')
  })

  step('opens 长者智能手机课堂 with its venue, seats and calendar file', async () => {
    await page.locator(sel('event-card')).filter({ hasText: EVENT_TITLE }).click()
    await page.waitForURL(`**${eventPath}`)
    await expect.poll(() => page.locator(sel('event-title')).textContent()).toBe(EVENT_TITLE)
    expect(await page.locator(sel('event-venue')).textContent()).toContain(VENUE)
    expect(await page.locator(sel('event-seats')).textContent()).toContain('共 30 席')
    expect(await page.locator(sel('event-ics')).getAttribute('href')).toBe(`/api/v1${eventPath}/event.ics`)
    expect(await page.locator(sel('my-registration')).count()).toBe(0)
    await shot('events-03-detail')
  })

  step('signs up for one seat, answering the required choice question, and gets the ticket', async () => {
    await page.locator(sel('event-signup')).click()
    await page.waitForURL(`**${eventPath}/signup`)
    await expect.poll(() => page.locator(sel('question-q1')).textContent()).toContain('是否需要工作人员协助?')
    // The required question is checked before anything is sent.
    await page.locator(sel('signup-submit')).click()
    await expect.poll(() => page.locator(sel('answer-error-q1')).textContent()).toBe('请回答这个问题')
    await page.locator(sel('seats-1')).click()
    await page.locator(sel('answer-q1-0')).click()
    await shot('events-04-signup-form')
    await page.locator(sel('signup-submit')).click()
    // The ticket's address carries its unguessable id (20 base32 characters), not a sequence number.
    await page.waitForURL(/\/me\/tickets\/[a-z2-7]{20}$/)
    ticketPath = new URL(page.url()).pathname
    await expect.poll(() => page.locator(sel('ticket-code')).textContent()).toMatch(/^[0-9A-Z]{8}$/)
    ticketCode = ((await page.locator(sel('ticket-code')).textContent()) ?? '').trim()
  })

  step('shows the ticket QR big enough to scan, and it encodes exactly the ticket code', async () => {
    const qr = page.locator(sel('ticket-qr'))
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    const box = await qr.boundingBox()
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(250)
    expect(await page.locator(sel('ticket-event-title')).textContent()).toBe(EVENT_TITLE)
    await shot('events-05-ticket')

    const pixels = await ticketQrPixels()
    const code = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)
    expect(code, 'jsQR found no QR code in the ticket image').not.toBeNull()
    decoded = code!.data
    expect(decoded).toBe(ticketCode)
  })

  step('lists the sign-up under 我的活动', async () => {
    await page.goto(server.url + '/me')
    await page.locator(sel('me-my-events')).click()
    await page.waitForURL('**/me/events')
    const mine = page.locator(sel('my-event')).filter({ hasText: EVENT_TITLE })
    await expect.poll(() => mine.count()).toBe(1)
    expect(await mine.locator(sel('registration-status')).textContent()).toBe('已报名')
    await shot('events-06-my-events')
  })

  step('someone else signed in who opens the ticket’s address finds nothing, and its QR answers 404', async () => {
    await logout(page, server.url)
    await login(OTHER)
    await page.goto(server.url + ticketPath)
    await expect.poll(() => page.getByText('没有找到这张票').count()).toBe(1)
    expect(await page.locator(sel('ticket-qr')).count()).toBe(0)
    const regId = ticketPath.split('/').pop() ?? ''
    const qrUrl = `${server.url}/api/v1${eventPath}/registrations/${regId}/qr.svg`
    expect(await page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).status, qrUrl)).toBe(404)
    await shot('events-06b-ticket-not-theirs')
  })

  step('signs out, and the staff member opens the event’s check-in from 活动管理', async () => {
    await logout(page, server.url)
    await login(STAFF)
    await page.locator(sel('me-event-admin')).click()
    await page.waitForURL('**/events/manage')
    const row = page.locator(sel('manage-event')).filter({ hasText: EVENT_TITLE })
    await expect.poll(() => row.count()).toBe(1)
    await shot('events-07-manage')
    await row.locator(sel('manage-checkin')).click()
    await page.waitForURL(`**${eventPath}/checkin`)
    await expect.poll(() => page.locator(sel('checkin-event-title')).textContent()).toBe(EVENT_TITLE)
    await shot('events-08-checkin-page')
  })

  step('checks the decoded code in and shows the resident’s name', async () => {
    await page.locator(`${sel('checkin-code')} input`).fill(decoded)
    await page.locator(sel('checkin-submit')).click()
    const result = page.locator(sel('checkin-result'))
    await expect.poll(() => result.getAttribute('data-kind')).toBe('checked_in')
    expect(await result.textContent()).toContain('签到成功')
    expect(await page.locator(sel('checkin-name')).textContent()).toBe(RESIDENT_NAME)
    await shot('events-09-checked-in')
  })

  step('submitting the same code again says 已签到 with the first time', async () => {
    await page.locator(`${sel('checkin-code')} input`).fill(decoded)
    await page.locator(sel('checkin-submit')).click()
    const result = page.locator(sel('checkin-result'))
    await expect.poll(() => result.getAttribute('data-kind')).toBe('already')
    expect(await result.textContent()).toContain('已签到')
    expect(await page.locator(sel('checkin-time')).textContent()).toMatch(/^已于 \d{2}:\d{2} 签到$/)
    await shot('events-10-already-checked-in')
  })

  step('the attendance list counts 1 checked in', async () => {
    await page.locator(sel('checkin-attendance')).click()
    await page.waitForURL(`**${eventPath}/attendance`)
    await expect.poll(() => page.locator(sel('stat-checked-in')).textContent()).toBe('1')
    const row = page.locator(sel('attendance-row')).filter({ hasText: RESIDENT_NAME })
    await expect.poll(() => row.locator(sel('attendance-checked-at')).count()).toBe(1)
    await shot('events-11-attendance')
  })

  step('shows 活动 in 长辈模式 and passes axe colour contrast', async () => {
    await page.goto(server.url + '/events')
    await page.locator(sel('toggle-elder')).click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    await page.reload()
    await expect.poll(() => page.locator(sel('event-card')).count()).toBeGreaterThan(0)
    await shot('events-12-elder-list')
    expect(await seriousContrastViolations(page, 'axe-elder-events.json')).toEqual([])

    await page.goto(server.url + eventPath)
    await expect.poll(() => page.locator(sel('event-title')).textContent()).toBe(EVENT_TITLE)
    await shot('events-13-elder-detail')
  })

  step('raised no uncaught errors in the page', () => {
    expect(phone.pageErrors).toEqual([])
  })
})
