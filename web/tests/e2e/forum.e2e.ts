/**
 * 社区论坛 on a phone (360×740), against the real server with the demo data: 陈阿姨 (13800000001)
 * opens 社区 from the tab bar, a board, and posts a topic, then edits it (已编辑); a party member (13800000021) replies
 * quoting floor 1 and @-mentions her by nickname (from `GET /forum/me`); she sees the unread badge
 * on 我的, reads 消息, and reports the reply from the report sheet; the platform admin
 * (13800000007) upholds the report in 论坛管理, which hides the floor — a guest then reads
 * "该楼层已被屏蔽". The topic in 长辈模式 fits 360 px. Screenshots go to $E2E_OUT.
 *
 * Without `"forum"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { apiSession, type DemoSuiteSession, demoSuiteSession, loginWithDemoPassword, logout, PNG_BYTES, screenshot, sel, startDemoSuite } from './support'

/** 陈阿姨, a resident. */
const RESIDENT = '13800000001'
/** A party member of the demo, another resident. */
const MEMBER = '13800000021'
/** The platform admin: moderates every board. */
const ADMIN = '13800000007'
const RUN = String(Date.now()).slice(-6)
const TITLE = `E2E加装电梯意见征集${RUN}`
const BODY = `大家好，小区想加装电梯，请说说意见。${RUN}`

interface Board {
  id: number
  name: string
}
interface QueueReport {
  id: number
  post: { id: number; thread_id: number; floor: number }
}

// The per-author posting limit is not what this suite is about (the gates still apply).
process.env.CARECITY_RATE_LIMITS = 'off'
const suite = await startDemoSuite({ name: 'forum', features: ['forum'], api: 'forum', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
let board: Board | undefined
let threadId = 0
let residentNickname = ''

const shot = (name: string, fullPage = true) => screenshot(page, `forum-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)
/** The forum's fields carry their test id on the input or textarea itself. */
const fill = async (id: string, value: string) => {
  await page.locator(sel(id)).fill(value)
  expect(await page.locator(sel(id)).inputValue()).toBe(value)
}
const openThread = async () => {
  await page.goto(`${server.url}/forum/threads/${threadId}`)
  await page.locator(sel('floor-1')).waitFor()
}

describe.skipIf(suite.skip)('社区论坛: a topic, a quoting reply with an @mention, the unread badge, a report upheld by a moderator, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(async () => {
    if (suite.available) {
      page = session.page
      await page.setViewportSize({ width: 360, height: 740 })
    }
  })

  step('陈阿姨 opens 社区 from the tab bar, a board, and posts a topic', async () => {
    const api = await apiSession(server.url, RESIDENT)
    const me = await api<{ member: { nickname: string } }>('GET', '/forum/me')
    expect(me.status).toBe(200)
    residentNickname = me.body.member.nickname
    expect(residentNickname).not.toBe('')
    const boards = await api<{ boards: Board[] }>('GET', '/forum/boards')
    board = boards.body.boards[0]
    expect(board).toBeDefined()

    await login(RESIDENT)
    await page.locator(sel('tab-forum')).click()
    await page.waitForURL('**/forum')
    await page.locator(sel(`board-${board!.id}`)).waitFor()
    await shot('01-boards')
    await page.locator(sel(`board-${board!.id}`)).click()
    await page.waitForURL(`**/forum/boards/${board!.id}`)
    expect(await page.locator(sel('board-name')).textContent()).toBe(board!.name)
    await shot('02-board')

    await page.locator(sel('board-new-thread')).click()
    await page.waitForURL(`**/forum/boards/${board!.id}/new`)
    // Nothing typed: both fields are named, nothing is sent.
    await page.locator(sel('compose-submit')).click()
    await page.locator(sel('compose-title-error')).waitFor()
    await fill('compose-title', TITLE)
    await fill('compose-body', BODY)
    await shot('03-compose')
    await page.locator(sel('compose-submit')).click()
    await page.waitForURL(/\/forum\/threads\/\d+$/)
    threadId = Number(page.url().split('/').pop())
    await page.locator(sel('floor-1')).waitFor()
    expect(await page.locator(sel('thread-title')).textContent()).toContain(TITLE)
    expect(await page.locator(sel('floor-no-1')).textContent()).toBe('1楼 · 楼主')
    expect(await page.locator(sel('floor-body-1')).textContent()).toContain(BODY)
    await shot('04-topic')
    // 编辑: she adds a line to her opening post; the floor says 已编辑 and when.
    await page.locator(sel('floor-edit-1')).click()
    expect(await page.locator(sel('reply-body')).inputValue()).toBe(BODY)
    await fill('reply-body', `${BODY}\n\n补充：周末开会讨论。`)
    await page.locator(sel('reply-submit')).click()
    await page.locator(sel('floor-edited-1')).waitFor()
    expect(await page.locator(sel('floor-edited-1')).textContent()).toContain('已编辑')
    expect(await page.locator(sel('floor-body-1')).textContent()).toContain('补充：周末开会讨论')
    await shot('04a-edited')
    // 社区 shows it under 最新, and 搜索 finds it by a word of its title.
    await page.goto(server.url + '/forum')
    await page.locator(sel(`thread-${threadId}`)).first().waitFor()
    await fill('forum-search-q', RUN)
    await page.locator(sel('forum-search-submit')).click()
    await page.waitForURL('**/forum/search?q=*')
    await page.locator(sel(`search-thread-${threadId}`)).waitFor()
    expect(await page.locator(`${sel(`search-thread-${threadId}`)} mark`).first().textContent()).toContain(RUN)
    await shot('04b-search')
    await logout(page, server.url)
  })

  step('a party member replies quoting floor 1 and @-mentions her', async () => {
    await login(MEMBER)
    await openThread()
    await page.locator(sel('floor-reply-1')).click()
    expect(await page.locator(sel('reply-quoting')).textContent()).toContain('1楼')
    await fill('reply-body', `@${residentNickname} 我同意，电梯早该装了`)
    // 插入图片: a photo of the stairwell goes into the reply as a Markdown paragraph of its own.
    await page.locator(`${sel('reply-picture-uploader')} input[type="file"]`).setInputFiles({ name: '楼道.png', mimeType: 'image/png', buffer: PNG_BYTES })
    await expect.poll(() => page.locator(sel('reply-body')).inputValue()).toMatch(/\n\n!\[图片\]\(\/media\/images\/[a-z2-7]+\/full\.webp\)\n$/)
    await page.locator(sel('reply-submit')).click()
    await page.locator(sel('floor-2')).waitFor()
    expect(await page.locator(sel('floor-quote-2')).textContent()).toContain('引用 1楼')
    expect(await page.locator(sel('floor-body-2')).textContent()).toContain('我同意')
    const picture = page.locator(`${sel('floor-body-2')} img`)
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(24)
    // Liking someone else's floor: the count goes up, a second tap takes it back.
    const like = page.locator(sel('floor-like-1'))
    const before = (await like.textContent())?.trim()
    await like.click()
    await expect.poll(async () => (await like.getAttribute('aria-pressed')) ?? '').toBe('true')
    await like.click()
    await expect.poll(async () => (await like.textContent())?.trim()).toBe(before)
    await shot('05-reply')
    await logout(page, server.url)
  })

  step('陈阿姨 sees the unread badge on 我的, reads 消息, and reports the reply', async () => {
    await login(RESIDENT)
    await expect.poll(async () => (await page.locator(`${sel('tab-me')} .van-badge`).count()) > 0, { timeout: 10_000 }).toBe(true)
    await page.locator(sel('me-unread')).waitFor()
    await shot('06-unread-badge', false)
    await page.locator(sel('me-messages')).click()
    await page.waitForURL('**/me/notifications')
    await page.locator('[data-test^="notification-"]').first().waitFor()
    const texts = await page.locator('[data-test^="notification-"]').allTextContents()
    expect(texts.some((text) => text.includes(TITLE))).toBe(true)
    await shot('07-messages')
    // Opened, the messages are read: the badge goes.
    await page.goto(server.url + '/me')
    await expect.poll(() => page.locator(sel('me-unread')).count()).toBe(0)

    await openThread()
    await page.locator(sel('floor-report-2')).click()
    await page.locator(sel('report-form')).waitFor()
    await page.locator(sel('report-reason-abuse')).click()
    await fill('report-detail', 'E2E 举报测试')
    await shot('08-report-sheet', false)
    await page.locator(sel('report-submit')).click()
    await expect.poll(() => page.locator(sel('report-form')).count()).toBe(0)
    await logout(page, server.url)
  })

  step('the platform admin upholds the report in 论坛管理: the floor is hidden', async () => {
    const api = await apiSession(server.url, ADMIN)
    const queue = await api<{ reports: QueueReport[] }>('GET', '/forum/moderation/queue')
    const report = queue.body.reports.find((r) => r.post.thread_id === threadId && r.post.floor === 2)
    expect(report).toBeDefined()

    await login(ADMIN)
    await page.goto(server.url + '/forum')
    await page.locator(sel('forum-moderation')).click()
    await page.waitForURL('**/forum/moderation')
    await page.locator(sel(`mod-report-${report!.id}`)).waitFor()
    await shot('09-moderation-queue')
    await page.locator(sel(`mod-uphold-${report!.id}`)).click()
    await expect.poll(() => page.locator(sel(`mod-report-${report!.id}`)).count()).toBe(0)
    await logout(page, server.url)

    // A guest reads the floor's number and why it is gone.
    await openThread()
    await page.locator(sel('floor-gone-2')).waitFor()
    expect(await page.locator(sel('floor-gone-2')).textContent()).toContain('该楼层已被屏蔽')
    await shot('10-floor-hidden')
  })

  step('长辈模式 at 360 px: the topic fits the screen', async () => {
    await page.locator(sel('toggle-elder')).first().click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await shot('11-topic-elder')
    await page.locator(sel('toggle-elder')).first().click()
  })
})
