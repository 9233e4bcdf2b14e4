/**
 * Times are the subdistrict's, whatever the phone is set to: the demo's 关爱桂城义工日·社区清洁
 * starts at 09:00 China time (`seed-demo`: three days from now, 09:00–12:00), and a phone whose own
 * zone is UTC — or America/New_York, with daylight saving — shows 09:00–12:00 on the 活动 list and on
 * the event's page, on the same China calendar day, never the browser's 01:00 or 20:00. Phone
 * viewport 360×740; screenshots to $E2E_OUT.
 *
 * Needs the `events` feature (skipped without it; every test fails instead with
 * CARECITY_REQUIRE_FEATURES=1). A server that does not publish `time_zone` in `GET /meta` is read
 * as Asia/Shanghai, so the expectation is the same either way.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect } from 'vitest'
import { DATE_STYLE, DEFAULT_TIME_ZONE, formatInZone } from '../../src/time/zone'
import { openPhonePage, type PhonePage, screenshot, sel, startDemoSuite, stopDemoSuite, writeRunLogs } from './support'

const EVENT_TITLE = '关爱桂城义工日·社区清洁'
const WHEN = '09:00–12:00'

const suite = await startDemoSuite({ name: 'timezone', features: ['events'], api: 'events', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

interface DemoEvent {
  id: number
  title: string
  starts_at_ms: number
}

/** The demo event as the API gives it (the list's default: events not yet ended). */
async function demoEvent(): Promise<DemoEvent> {
  const events: DemoEvent[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    const body = (await (await fetch(`${server.url}/api/v1/events?limit=50${query}`)).json()) as { events: DemoEvent[]; next_cursor: string | null }
    events.push(...body.events)
    cursor = body.next_cursor
  } while (cursor !== null)
  const found = events.find((e) => e.title === EVENT_TITLE)
  if (found === undefined) {
    throw new Error(`the demo has no event titled ${EVENT_TITLE}`)
  }
  return found
}

const opened: PhonePage[] = []

/** A fresh phone (its own profile) whose browser runs in `timezoneId`, at 360×740. */
async function phoneIn(timezoneId: string): Promise<Page> {
  const phone = await openPhonePage(join(suite.workDir, `profile-${timezoneId.replace('/', '-')}`), [], { timezoneId })
  opened.push(phone)
  await phone.page.setViewportSize({ width: 360, height: 740 })
  return phone.page
}

async function seesNineOClock(timezoneId: string, browserHour: number): Promise<void> {
  const event = await demoEvent()
  const day = formatInZone(event.starts_at_ms, 'zh-CN', DATE_STYLE.dayWithWeekday, DEFAULT_TIME_ZONE)
  const page = await phoneIn(timezoneId)
  const shot = (name: string) => screenshot(page, `timezone-${timezoneId.replace('/', '-')}-${name}`)

  await page.goto(`${server.url}/events`)
  // The browser really is elsewhere: its own clock puts the start at another hour.
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(timezoneId)
  expect(await page.evaluate((ms) => new Date(ms).getHours(), event.starts_at_ms)).toBe(browserHour)

  const card = page.locator(`${sel('event-card')}[data-event-id="${event.id}"]`)
  await card.waitFor()
  await card.scrollIntoViewIfNeeded()
  await expect.poll(() => card.textContent()).toContain(`${day} ${WHEN}`)
  await shot('01-list')

  await card.click()
  await page.waitForURL(`**/events/${event.id}`)
  await expect.poll(() => page.locator(sel('event-title')).textContent()).toContain(EVENT_TITLE)
  expect(await page.locator(sel('event-time')).textContent()).toBe(`${day} ${WHEN}`)
  await shot('02-detail')
}

describe.skipIf(suite.skip)('times in the subdistrict’s zone, whatever the phone’s zone', () => {
  afterAll(async () => {
    // The first phone's console and the server's output are saved by stopDemoSuite; the others' here.
    for (const [i, phone] of opened.slice(1).entries()) {
      writeRunLogs(`timezone-${i + 2}-`, phone, undefined)
      await phone.context.close()
    }
    await stopDemoSuite(suite, opened[0])
  })

  step('a phone set to UTC shows the demo 义工日 at 09:00, not 01:00', async () => {
    await seesNineOClock('UTC', 1)
  })

  step('a phone set to America/New_York shows it at 09:00 too, not the evening before', async () => {
    const event = await demoEvent()
    // 09:00 in Shanghai is 20:00 (EST) or 21:00 (EDT) the day before in New York.
    const newYorkHour = Number(formatInZone(event.starts_at_ms, 'en-US', { hour: 'numeric', hourCycle: 'h23' }, 'America/New_York'))
    expect([20, 21]).toContain(newYorkHour)
    await seesNineOClock('America/New_York', newYorkHour)
  })

  step('neither page threw or broke the Content-Security-Policy', () => {
    expect(opened.flatMap((phone) => phone.pageErrors)).toEqual([])
  })
})
