/**
 * 社工证 · 人才库 · 培训成效 on a phone (390×844), against the real server with the demo data: 陈阿姨
 * (13800000001, in the pool) opens 我的人才库 from 我的培训, sees her entry and 博睿社工's open
 * invitation (探访志愿者) and accepts it — the project's page lists her under 党员社工（人才库） —, then records an assistant social-worker qualification (待审核)
 * and uploads its 证书扫描件 (a PNG, then replaced by a PDF); 我的人才库 in 长辈模式 at 360 px; the
 * trainer 吴老师 (13800000006) sees the scan on 社工证审核, opened from 培训管理, and approves it; 博睿社工's staff (13800000002) search the pool by the skill 长者探访 and find 陈阿姨,
 * and with expired certificates included find 平东村·黄生 too; 吴老师 opens 培训成效 and sees the
 * village table (叠滘村) and its chart; 陈阿姨 leaves the pool and joins again. Screenshots go to $E2E_OUT.
 *
 * Without `"talent"` in `GET /api/v1/meta` features the suite is skipped — or, when
 * CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { apiSession, type DemoSuiteSession, demoSuiteSession, fillTestField, loginWithDemoPassword, logout, PNG_BYTES, screenshot, sel, startDemoSuite } from './support'

/** 陈阿姨: in the pool, with an open invitation from 博睿社工. */
const MEMBER = '13800000001'
/** 博睿社工's staff. */
const STAFF = '13800000002'
/** 吴老师: a trainer. */
const TRAINER = '13800000006'
/** Unique per run, so the qualification is found by what was typed. */
const CERT_NO = `ZS${String(Date.now()).slice(-8)}`
const PDF_BYTES = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1')

interface Invitation {
  id: string
  project_id: string
  org_name: string
  role: string
  status: string
}
interface Qualification {
  id: string
  name: string
  number: string
}

const suite = await startDemoSuite({ name: 'talent', features: ['talent'], api: 'talent', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
let invitation: Invitation | undefined

const shot = (name: string, fullPage = true) => screenshot(page, `talent-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

describe.skipIf(suite.skip)('社工证 · 人才库 · 培训成效: the member’s pool entry and invitation, a qualification reviewed, the pool searched, the dashboard, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(() => {
    if (suite.available) {
      page = session.page
    }
  })

  step('陈阿姨 opens 我的人才库 from 我的培训: her entry, and 博睿社工’s invitation, which she accepts', async () => {
    const api = await apiSession(server.url, MEMBER)
    const mine = await api<{ invitations: Invitation[] }>('GET', '/talent/invitations')
    invitation = mine.body.invitations.find((i) => i.status === 'invited' && i.org_name.includes('博睿'))
    expect(invitation).toBeDefined()

    await login(MEMBER)
    await page.goto(server.url + '/training')
    await page.locator(sel('training-talent-link')).click()
    await page.waitForURL('**/talent')
    await page.locator(sel('pool-joined')).waitFor()
    const facts = (await page.locator(sel('pool-section')).textContent()) ?? ''
    for (const skill of ['长者探访', '个案工作', '长者手机课']) {
      expect(facts).toContain(skill)
    }
    const id = invitation!.id
    const card = page.locator(sel(`invitation-${id}`))
    expect(await card.textContent()).toContain('探访志愿者')
    expect(await page.locator(sel(`invitation-status-${id}`)).textContent()).toBe('待回复')
    await shot('01-my-talent')
    await page.locator(sel(`invitation-accept-${id}`)).click()
    await expect.poll(() => page.locator(sel(`invitation-status-${id}`)).textContent()).toBe('已接受')
    expect(await page.locator(sel(`invitation-accept-${id}`)).count()).toBe(0)
    await card.scrollIntoViewIfNeeded()
    await shot('02-invitation-accepted', false)
    // The project's page lists its pool members under the team: 冯姑娘 already, 陈阿姨 now.
    await card.locator('a').first().click()
    await page.waitForURL(`**/market/projects/${invitation!.project_id}`)
    const team = page.locator(sel('project-pool-team'))
    await team.waitFor()
    expect(await team.textContent()).toContain('党员社工（人才库）')
    expect(await team.textContent()).toContain('探访志愿者')
    expect(await team.locator('[data-test^="pool-team-"]').count()).toBeGreaterThanOrEqual(2)
    await team.scrollIntoViewIfNeeded()
    await shot('02b-project-pool-team', false)
    await page.goto(server.url + '/talent')
    await page.locator(sel('qual-form')).waitFor()
  })

  step('she records an assistant social-worker qualification: it waits for review', async () => {
    const form = page.locator(sel('qual-form'))
    await form.scrollIntoViewIfNeeded()
    await page.locator(sel('qual-submit')).click()
    await expect.poll(() => page.locator(sel('qual-level-error')).textContent()).toBe('请选择证书等级')
    await page.locator(sel('qual-level-assistant')).click()
    await fillTestField(page, 'qual-number', CERT_NO)
    await page.locator(sel('qual-submit')).click()
    await expect.poll(() => page.locator(sel('qual-status-assistant')).textContent()).toBe('待审核')
    expect(await page.locator(sel('qual-assistant')).textContent()).toContain(CERT_NO)
    await page.locator(sel('qual-section')).scrollIntoViewIfNeeded()
    await shot('03-qualification-pending', false)
  })

  step('she uploads the certificate’s scan: a photo shows as a thumbnail, and 重新上传 replaces it with a PDF', async () => {
    const scan = page.locator(sel('qual-scan-assistant'))
    const pick = page.locator(sel('qual-scan-assistant-pick'))
    expect(await pick.textContent()).toContain('上传证书扫描件')
    const input = page.locator(`${sel('qual-scan-assistant-uploader')} input[type="file"]`)
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a scan') })
    await expect.poll(() => page.locator(sel('qual-scan-assistant-refused')).textContent()).toContain('不是 PDF 或 JPG、PNG、WebP 图片')
    await input.setInputFiles({ name: '社工证.png', mimeType: 'image/png', buffer: PNG_BYTES })
    const img = page.locator(`${sel('qual-scan-assistant-image')} img`)
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBe(24)
    await expect.poll(() => pick.textContent()).toContain('重新上传')
    await scan.scrollIntoViewIfNeeded()
    await shot('03b-scan-uploaded', false)
    await input.setInputFiles({ name: '社工证.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES })
    await page.locator(sel('qual-scan-assistant-link')).waitFor()
    expect(await page.locator(sel('qual-scan-assistant-image')).count()).toBe(0)
    expect(await page.locator(sel('qual-scan-assistant-link')).getAttribute('href')).toMatch(/^\/api\/v1\/training\/qualifications\/[^/]+\/scan$/)
    await shot('03c-scan-replaced-pdf', false)
    // Back to a photo for the trainer's review.
    await input.setInputFiles({ name: '社工证.png', mimeType: 'image/png', buffer: PNG_BYTES })
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBe(24)
  })

  step('长辈模式 at 360 px: 我的人才库 fits the screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '1'))
    await page.goto(server.url + '/talent')
    await page.locator(sel('pool-joined')).waitFor()
    expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await shot('04-elder-360')
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '0'))
    await page.setViewportSize({ width: 390, height: 844 })
    await logout(page, server.url)
  })

  step('吴老师 opens 社工证审核 from 培训管理 and approves it', async () => {
    const api = await apiSession(server.url, TRAINER)
    const pending = await api<{ qualifications: Qualification[] }>('GET', '/training/qualifications?status=pending')
    const hers = pending.body.qualifications.find((q) => q.number === CERT_NO)
    expect(hers).toBeDefined()
    await login(TRAINER)
    await page.goto(server.url + '/training/manage')
    await page.locator(sel('manage-qualifications')).click()
    await page.waitForURL('**/talent/qualifications')
    const row = page.locator(sel(`review-${hers!.id}`))
    await row.waitFor()
    expect(await row.textContent()).toContain('陈阿姨')
    // Her scan is next to it: a thumbnail that opens full screen.
    const thumb = page.locator(`${sel(`review-scan-${hers!.id}-image`)} img`)
    await expect.poll(() => thumb.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBe(24)
    await thumb.click()
    await page.locator('.van-image-preview').waitFor()
    // Kept once its fade-in has finished.
    await page.locator('.van-image-preview').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)))
    await shot('05a-review-scan-preview', false)
    await page.locator('.van-image-preview__close-icon').click()
    await expect.poll(() => page.locator('.van-image-preview').isVisible()).toBe(false)
    // 退回 needs a reason.
    await page.locator(sel(`review-reject-${hers!.id}`)).click()
    await expect.poll(() => row.textContent()).toContain('退回请填写原因')
    await shot('05-review')
    await page.locator(sel(`review-verify-${hers!.id}`)).click()
    await expect.poll(() => row.count()).toBe(0)
    const member = await apiSession(server.url, MEMBER)
    const after = await member<{ qualifications: { number: string; status: string }[] }>('GET', '/training/qualifications')
    expect(after.body.qualifications.find((q) => q.number === CERT_NO)?.status).toBe('verified')
    await logout(page, server.url)
  })

  step('博睿社工’s staff search the pool by 长者探访 and find 陈阿姨; with expired certificates, 平东村·黄生 too', async () => {
    await login(STAFF)
    await page.goto(server.url + '/talent/search')
    await page.locator(sel('search-form')).waitFor()
    await fillTestField(page, 'search-skill', '长者探访')
    await page.locator(sel('search-submit')).click()
    const results = page.locator(sel('search-results'))
    await expect.poll(() => results.textContent()).toContain('陈阿姨')
    const chen = page.locator('section[data-test^="talent-"]').filter({ hasText: '陈阿姨' }).first()
    expect(await chen.textContent()).toContain('138****0001')
    expect(await chen.textContent()).toContain('助理社会工作师')
    await shot('06-search-skill')

    await fillTestField(page, 'search-skill', '')
    await page.locator(sel('search-submit')).click()
    await expect.poll(() => results.textContent()).toContain('冯姑娘')
    expect(await results.textContent()).not.toContain('黄生')
    const feng = page.locator('section[data-test^="talent-"]').filter({ hasText: '冯姑娘' }).first()
    expect(await feng.textContent()).toContain('可参与专业项目')
    await page.locator(`${sel('search-expired')}`).click()
    await expect.poll(() => results.textContent()).toContain('黄生')
    const huang = page.locator('section[data-test^="talent-"]').filter({ hasText: '黄生' }).first()
    expect(await huang.textContent()).toContain('已过期')
    await huang.scrollIntoViewIfNeeded()
    await shot('07-search-expired', false)

    // 邀请加入项目: 冯姑娘 is already on the project's team (409, the server's message in the sheet); 黄生 is invited.
    expect(invitation).toBeDefined()
    await feng.locator('[data-test^="invite-"]').click()
    await page.locator(sel('invite-form')).waitFor()
    await page.locator(sel('invite-submit')).click()
    await expect.poll(() => page.locator(sel('invite-form')).textContent()).toContain('请填写角色')
    await page.locator(sel('invite-project')).selectOption(invitation!.project_id)
    await fillTestField(page, 'invite-role', '小组工作员')
    await page.locator(sel('invite-submit')).click()
    await page.locator(sel('invite-error')).waitFor()
    expect((await page.locator(sel('invite-error')).textContent())?.trim()).not.toBe('')
    await shot('08-invite-refused', false)
    await page.locator(sel('invite-cancel')).click()
    await huang.locator('[data-test^="invite-"]').click()
    await page.locator(sel('invite-project')).selectOption(invitation!.project_id)
    await fillTestField(page, 'invite-role', '龙舟安全志愿者')
    await fillTestField(page, 'invite-message', '端午前后的防溺水宣传')
    await page.locator(sel('invite-submit')).click()
    await expect.poll(() => page.locator(sel('invite-form')).count()).toBe(0)
    const sent = page.locator(sel('org-invitations'))
    await expect.poll(() => sent.textContent()).toContain('龙舟安全志愿者')
    expect(await sent.textContent()).toContain('已接受')
    await sent.scrollIntoViewIfNeeded()
    await shot('08b-org-invitations', false)
    await logout(page, server.url)
  })

  step('吴老师 opens 培训成效 from 培训管理: the village table with 叠滘村 and its chart, and each tab’s CSV', async () => {
    await login(TRAINER)
    await page.goto(server.url + '/training/manage')
    await page.locator(sel('manage-dashboard')).click()
    await page.waitForURL('**/training/dashboard')
    const table = page.locator(sel('dash-table-villages'))
    await table.waitFor()
    expect(await table.locator('tbody').textContent()).toContain('叠滘村')
    await page.locator('[data-test="echart"] svg').first().waitFor()
    expect(await page.locator(sel('dash-csv-villages')).getAttribute('href')).toBe('/api/v1/training/dashboard?format=csv&table=villages')
    await shot('09-dashboard-villages')
    await page.locator(sel('dash-tab-classes')).click()
    await page.locator(sel('dash-table-classes')).waitFor()
    expect(await page.locator(sel('dash-table-classes')).textContent()).toContain('发布需求')
    await shot('10-dashboard-classes')
    const csv = await page.evaluate(async () => {
      const answer = await fetch('/api/v1/training/dashboard?format=csv&table=villages')
      return { status: answer.status, type: answer.headers.get('content-disposition') ?? '', text: await answer.text() }
    })
    expect(csv.status).toBe(200)
    expect(csv.type).toContain('attachment')
    expect(csv.text).toContain('叠滘村')
  })

  step('陈阿姨 leaves the pool (confirmed on the page) and joins again with her consent', async () => {
    await logout(page, server.url)
    await login(MEMBER)
    await page.goto(server.url + '/talent')
    await page.locator(sel('pool-joined')).waitFor()
    await page.locator(sel('pool-leave')).click()
    await page.locator(sel('pool-leave-warning')).waitFor()
    await page.locator(sel('pool-leave-confirm')).click()
    await page.locator(sel('pool-not-joined')).waitFor()
    expect(await page.locator(sel('join-skills')).textContent()).toBe('')
    await fillTestField(page, 'join-skill-input', '长者探访')
    await page.locator(sel('join-skill-add')).click()
    await page.locator(sel('join-submit')).click()
    await expect.poll(() => page.locator(sel('join-consent-error')).textContent()).toBe('请阅读并勾选同意')
    await page.locator(sel('join-consent')).click()
    await page.locator(sel('pool-section')).scrollIntoViewIfNeeded()
    await shot('11-join-form')
    await page.locator(sel('join-submit')).click()
    await page.locator(sel('pool-joined')).waitFor()
    expect(await page.locator(sel('pool-section')).textContent()).toContain('长者探访')
  })

  step('the pages raised no error and the CSP blocked nothing', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
