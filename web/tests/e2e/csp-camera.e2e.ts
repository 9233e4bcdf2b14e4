/**
 * The server's Content-Security-Policy leaves camera check-in working: the organisation's staff
 * (13800000002) open 签到 for an event and start the camera (Chromium's fake camera, permission
 * granted); the video must play, and no CSP violation or page error may be reported. The camera
 * is not governed by CSP (getUserMedia, a MediaStream as `srcObject`), but the scanner's lazily
 * loaded jsQR chunk and the page's styles are: this proves the policy does not break them.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { loginWithDemoPassword, openPhonePage, type PhonePage, screenshot, sel, startDemoSuite, stopDemoSuite } from './support'

const STAFF = '13800000002'
const FAKE_CAMERA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']

const suite = await startDemoSuite({ name: 'csp-camera', features: ['events'], api: 'events', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let phone: PhonePage
let page: Page

describe.skipIf(suite.skip)('CSP: camera check-in still works', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return
    }
    phone = await openPhonePage(join(suite.workDir, 'profile'), FAKE_CAMERA)
    page = phone.page
    await phone.context.grantPermissions(['camera'], { origin: server.url })
  })

  afterAll(() => stopDemoSuite(suite, phone))

  step('starts the camera on 签到 and plays its video', async () => {
    await loginWithDemoPassword(page, server.url, STAFF)
    const eventId = await page.evaluate(
      async () => ((await (await fetch('/api/v1/events')).json()) as { events: { id: number }[] }).events[0]?.id,
    )
    expect(eventId).toBeDefined()
    await page.goto(`${server.url}/events/${eventId}/checkin`)
    await page.locator(sel('scanner-start')).click()
    await expect
      .poll(() => page.evaluate(() => document.querySelector('video')?.readyState ?? -1), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2)
    expect(await page.evaluate(() => document.querySelector('video')?.videoWidth ?? 0)).toBeGreaterThan(0)
    await screenshot(page, 'csp-camera-checkin')
    await page.locator(sel('scanner-stop')).click()
  })

  step('reported no Content-Security-Policy violation and no page error', () => {
    expect(phone.pageErrors).toEqual([])
  })

  step('would have reported one: an inline script and a foreign image are refused and reported', async () => {
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.__inlineRan = true'
      document.body.append(script)
      const img = document.createElement('img')
      img.src = 'https://example.invalid/pixel.png'
      document.body.append(img)
    })
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined()
    await expect.poll(() => phone.pageErrors.filter((e) => e.startsWith('[csp-violation] script-src')).length).toBeGreaterThan(0)
    await expect.poll(() => phone.pageErrors.filter((e) => e.startsWith('[csp-violation] img-src')).length).toBeGreaterThan(0)
  })
})
