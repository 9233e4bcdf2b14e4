/**
 * 首页, the condensed collection, on a 360×740 phone against the real server with the demo data:
 * a guest sees the section grid, 近期活动, the 关爱基金 totals (the same figures `GET /home`
 * answers, in ¥) and 社区热帖, and no personal block; resident 13800000001 (陈阿姨), signed in,
 * sees the personal block first — under 通知公告, when there are notices — (我的下一个活动, 我的申请
 * with the open count, 未读消息); the same page in 长辈模式 fits the phone's width. Screenshots go to
 * $E2E_OUT.
 *
 * Needs the `events`, `fund` and `forum` features (skipped without them; every test fails instead
 * with CARECITY_REQUIRE_FEATURES=1).
 */
import { describe, expect } from 'vitest'
import type { Home } from '../../src/api/home'
import { formatFen } from '../../src/composables/useMoney'
import { type DemoSuiteSession, demoSuiteSession, loginWithDemoPassword, screenshot, sel, startDemoSuite } from './support'

const RESIDENT = '13800000001'

const suite = await startDemoSuite({ name: 'home', features: ['events', 'fund', 'forum'], api: 'home (events, fund, forum)', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession

const shot = (name: string, fullPage = true) => screenshot(session.page, `home-${name}`, fullPage)

/** What the server answers a guest (the public part is the same for everyone). */
async function guestHome(): Promise<Home> {
  return (await (await fetch(`${server.url}/api/v1/home`)).json()) as Home
}

/** The page is no wider than the phone: nothing scrolls sideways. */
async function fitsWidth(): Promise<boolean> {
  return session.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

describe.skipIf(suite.skip)('首页: every section’s first items from one request, on a phone', () => {
  session = demoSuiteSession(suite)

  step('a guest sees 近期活动, the 关爱基金 totals and 社区热帖 from the demo, and no personal block', async () => {
    const { page } = session
    await page.setViewportSize({ width: 360, height: 740 })
    const answer = await guestHome()
    expect(answer.me).toBeNull()
    expect(answer.events.length).toBeGreaterThan(0)
    expect(answer.threads.length).toBeGreaterThan(0)

    const homeRequests: string[] = []
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/home') {
        homeRequests.push(request.url())
      }
    })
    await page.goto(`${server.url}/`)
    await page.locator(sel('home-block-events')).waitFor()
    await shot('01-guest-first-screen', false)

    expect(await page.locator(sel('section-events')).isVisible()).toBe(true)
    const events = page.locator(`${sel('home-block-events')} ${sel('event-card')}`)
    expect(await events.count()).toBe(answer.events.length)
    expect(await events.first().textContent()).toContain(answer.events[0]!.title)
    expect(await page.locator(`${sel('home-block-events')} h2`).textContent()).toBe('近期活动')

    expect(await page.locator(sel('home-fund-raised')).textContent()).toContain(formatFen(answer.fund.raised_fen))
    expect(await page.locator(sel('home-fund-balance')).textContent()).toContain(formatFen(answer.fund.balance_fen))

    const threads = page.locator(sel('home-thread'))
    expect(await threads.count()).toBe(answer.threads.length)
    const first = answer.threads[0]!
    expect(await threads.first().textContent()).toContain(first.title)
    expect(await threads.first().textContent()).toContain(`查看 ${first.views} · 回复 ${first.replies}`)

    expect(await page.locator(sel('home-block-me')).count()).toBe(0)
    expect(homeRequests).toHaveLength(1)
    expect(await fitsWidth()).toBe(true)
    await shot('02-guest-whole')

    await page.locator(sel('home-more-events')).click()
    await page.waitForURL('**/events')
  })

  step('signed in, 陈阿姨 sees the personal block first: next activity, 我的申请 and 未读消息', async () => {
    const { page } = session
    await loginWithDemoPassword(page, server.url, RESIDENT)
    await page.goto(`${server.url}/`)
    const me = page.locator(sel('home-block-me'))
    await me.waitFor()
    // 通知公告 (when there are notices) stays above everything; the personal block comes next.
    const blocks = await page.locator('[data-test^="home-block-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))
    expect(blocks.filter((b) => b !== 'home-block-notices')[0]).toBe('home-block-me')
    expect(await me.locator('h2').textContent()).toBe('我的')
    expect(await me.textContent()).toContain('我的下一个活动')
    expect(await page.locator(sel('home-applications-link')).textContent()).toMatch(/^我的申请（\d+）$/)
    expect(await page.locator(sel('home-unread-count')).textContent()).toMatch(/^\d+ 条$/)
    await shot('03-resident')

    await page.locator(sel('home-applications-link')).click()
    await page.waitForURL('**/me/casework')
  })

  step('in 长辈模式 the page still fits a 360 px phone', async () => {
    const { page } = session
    await page.goto(`${server.url}/`)
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '1'))
    await page.reload()
    await page.locator(sel('home-block-events')).waitFor()
    expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    expect(await fitsWidth()).toBe(true)
    await shot('04-elder')
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '0'))
  })

  step('no page threw or broke the Content-Security-Policy', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
