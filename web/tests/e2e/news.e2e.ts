/**
 * 资讯 on a phone (360×740), against the real server with the demo data: 陈阿姨 (13800000001) opens
 * 首页, taps a 通知公告, reads the article, opens its related event card, comes back and taps 分享 —
 * the poster image loads; an organisation's staff member (13800000002) writes an article with a
 * related event, which waits as 待审核; the platform admin (13800000007), an editor, approves it from
 * the 编辑台; 陈阿姨 then finds it in 资讯. The share poster's image loading (naturalWidth > 0) is checked
 * last, so a server still without `/share/article/{id}.png` fails that step alone. Screenshots go to $E2E_OUT.
 *
 * Without `"news"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { apiSession, type DemoSuiteSession, demoSuiteSession, loginWithDemoPassword, logout, screenshot, sel, startDemoSuite } from './support'

/** 陈阿姨, a resident. */
const RESIDENT = '13800000001'
/** Staff of a social-work organisation. */
const STAFF = '13800000002'
/** The platform admin: an editor. */
const ADMIN = '13800000007'
const RUN = String(Date.now()).slice(-6)
const TITLE = `E2E重阳敬老活动预告${RUN}`

interface Card {
  kind: string
  id: number | string
  href: string
}
interface Summary {
  id: string
  title: string
}

// The per-author writing limits are not what this suite is about.
process.env.CARECITY_RATE_LIMITS = 'off'
const suite = await startDemoSuite({ name: 'news', features: ['news'], api: 'news', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
let articleId = ''
let noticeId = ''

const shot = (name: string, fullPage = true) => screenshot(page, `news-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)
/** The share sheet slides up: shoot it once its transition has finished. */
const settled = () => page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)))

describe.skipIf(suite.skip)('资讯: a notice from 首页 with its related event and share poster; an organisation’s article approved by an editor, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(async () => {
    if (suite.available) {
      page = session.page
      await page.setViewportSize({ width: 360, height: 740 })
    }
  })

  step('陈阿姨 reads a 通知公告 from 首页, opens its related event, comes back and shares it: the poster loads', async () => {
    const guest = await fetch(`${server.url}/api/v1/home`)
    const home = (await guest.json()) as { notices?: Summary[] }
    expect(home.notices?.length ?? 0).toBeGreaterThan(0)

    await login(RESIDENT)
    await page.goto(server.url + '/')
    await page.locator(sel('home-block-notices')).waitFor()
    await shot('01-home')
    // The demo's notices: read the first that has a related event.
    const api = await apiSession(server.url, RESIDENT)
    let index = -1
    let eventIndex = -1
    let card: Card | undefined
    for (const [i, n] of home.notices!.entries()) {
      const answer = await api<{ article: { related: Card[] } }>('GET', `/news/articles/${n.id}`)
      const found = answer.body.article.related.findIndex((c) => c.kind === 'event')
      if (found >= 0) {
        index = i
        eventIndex = found
        card = answer.body.article.related[found]
        break
      }
    }
    expect(index, 'a notice on 首页 with a related event in the demo data').toBeGreaterThanOrEqual(0)
    const notice = home.notices![index]!
    await page.locator(sel('home-notice')).nth(index).click()
    await page.waitForURL(`**/news/${notice.id}`)
    await page.locator(sel('article-body')).waitFor()
    expect(await page.locator(sel('article-title')).textContent()).toBe(notice.title)
    expect(await page.locator(sel('article-category')).textContent()).toBe('通知公告')
    await shot('02-article')

    await page.locator(sel(`related-link-${eventIndex}`)).click()
    await page.waitForURL(`**${card!.href}`)
    await shot('03-related-event')
    await page.goBack()
    await page.waitForURL(`**/news/${notice.id}`)
    await page.locator(sel('article-share')).click()
    const poster = page.locator(sel('share-poster'))
    await poster.waitFor()
    noticeId = notice.id
    expect(await poster.getAttribute('src')).toBe(`/share/article/${notice.id}.png`)
    expect(await page.locator(sel('share-hint')).textContent()).toBe('长按图片保存，分享给朋友')
    await settled()
    await shot('04-share', false)
    // Whether the image itself loads is the last step's, so a missing poster route does not stop the rest.
    await logout(page, server.url)
  })

  step('an organisation’s staff member writes an article with a related event: it waits as 待审核', async () => {
    const api = await apiSession(server.url, STAFF)
    const events = await api<{ events: { id: number; title: string }[] }>('GET', '/events?limit=50')
    const event = events.body.events[0]
    expect(event).toBeDefined()

    await login(STAFF)
    await page.goto(server.url + '/news')
    await page.locator(sel('news-write')).click()
    await page.waitForURL('**/news/new')
    // Nothing typed: the fields are named, nothing is sent.
    await page.locator(sel('form-submit')).click()
    await page.locator(sel('form-title-error')).waitFor()
    await page.locator(sel('form-title')).fill(TITLE)
    await page.locator(sel('form-category')).selectOption('event_review')
    if (await page.locator(sel('form-org')).isVisible()) {
      await page.locator(sel('form-org')).selectOption({ index: 1 })
    }
    await page.locator(sel('form-body')).fill(`重阳节将至，欢迎居民报名参加敬老活动。${RUN}`)
    await page.locator(sel('form-tag-input')).fill('重阳')
    await page.locator(sel('form-tag-add')).click()
    await page.locator(sel('form-related-add')).click()
    await page.locator(sel(`picker-item-${event!.id}`)).click()
    await page.locator(sel('form-related-0')).waitFor()
    expect(await page.locator(sel('form-related-0')).textContent()).toContain(event!.title)
    await settled()
    await shot('05-form')
    await page.locator(sel('form-submit')).click()
    await page.waitForURL(/\/news\/[a-z2-7]{20}$/)
    articleId = page.url().split('/').pop()!
    await page.locator(sel('article-status')).waitFor()
    expect(await page.locator(sel('article-status')).textContent()).toContain('待审核')
    await page.locator(sel('related-0')).waitFor()
    await shot('06-pending')
    // A resident does not see it yet.
    const resident = await apiSession(server.url, RESIDENT)
    expect((await resident('GET', `/news/articles/${articleId}`)).status).toBe(404)
    await logout(page, server.url)
  })

  step('the platform admin approves it from the 编辑台', async () => {
    expect(articleId).not.toBe('')
    await login(ADMIN)
    await page.goto(server.url + '/news/desk')
    await page.locator(sel(`desk-item-${articleId}`)).waitFor()
    await shot('07-desk')
    await page.locator(sel(`desk-review-${articleId}-approve`)).click()
    await page.locator(sel(`desk-item-${articleId}`)).waitFor({ state: 'detached' })
    await page.locator(sel('desk-tab-published')).click()
    await page.locator(sel(`desk-item-${articleId}`)).waitFor()
    await shot('08-desk-published')
    await logout(page, server.url)
  })

  step('陈阿姨 finds the approved article in 资讯', async () => {
    await login(RESIDENT)
    await page.goto(server.url + '/news')
    await page.locator(sel(`article-${articleId}`)).waitFor()
    expect(await page.locator(sel(`article-${articleId}`)).textContent()).toContain(TITLE)
    await shot('09-list')
    await page.locator(sel(`article-${articleId}`)).click()
    await page.waitForURL(`**/news/${articleId}`)
    await page.locator(sel('related-0')).waitFor()
    expect(await page.locator(sel('article-status')).count()).toBe(0)
    await shot('10-article')
  })

  step('长辈模式 at 360 px: the article and 资讯 fit the screen, and 分享 opens on the page', async () => {
    await page.locator(sel('toggle-elder')).first().click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.locator(sel('article-share')).click()
    await page.locator(`.news-article ${sel('share-sheet')}`).waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await shot('10b-article-elder')
    await page.goto(server.url + '/news')
    await page.locator(sel(`article-${articleId}`)).waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await shot('10c-list-elder')
    await page.locator(sel('toggle-elder')).first().click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(false)
  })

  step('the notice’s share poster image loads (the server draws it)', async () => {
    expect(noticeId).not.toBe('')
    await page.goto(`${server.url}/news/${noticeId}`)
    await page.locator(sel('article-body')).waitFor()
    await page.locator(sel('article-share')).click()
    const poster = page.locator(sel('share-poster'))
    await poster.waitFor()
    await expect.poll(() => poster.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 15_000 }).toBeGreaterThan(0)
    await settled()
    await shot('11-share-poster', false)
  })
})
