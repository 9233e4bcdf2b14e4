/**
 * 讲义 as files and a secretary's needs assessment posted to the village market, on a phone
 * (390×844, and 360 px for the trainee's pages), against the real server with the demo data: the
 * trainer 吴老师 (13800000006) uploads a small PDF and a PNG as materials of "2026 党总支书记培训班"
 * on its admin page (a GIF is refused on the phone before anything is sent); 梁书记 (13800000003,
 * secretary of 叠滘村, enrolled) sees the image itself and the PDF as a file with its 下载/打开 link,
 * and submits the class's assignment; 吴老师 grades it 85; 梁书记 posts it as a village need through
 * the prefilled need form, and the need's market page shows it; his class page in 长辈模式 at 360 px.
 * Titles are unique per run.
 * Screenshots go to $E2E_OUT.
 *
 * Without `"training"` and `"market"` in `GET /api/v1/meta` features the suite is skipped — or,
 * when CARECITY_REQUIRE_FEATURES=1, every test in it fails with a message saying so.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect } from 'vitest'
import { apiSession, type DemoSuiteSession, demoSuiteSession, fillTestField, loginWithDemoPassword, logout, PNG_BYTES, screenshot, sel, startDemoSuite } from './support'

/** 梁书记: 叠滘村's secretary and staff, enrolled in the secretaries' class. */
const SECRETARY = '13800000003'
/** 吴老师: the trainer of the demo's classes. */
const TRAINER = '13800000006'
const CLASS_TITLE = '2026 党总支书记培训班'
const RUN = String(Date.now()).slice(-6)
const PDF_TITLE = `E2E讲义PDF-${RUN}`
const PNG_TITLE = `E2E村情图-${RUN}`
const ASSESSMENT = `叠滘村西约独居长者缺少日常探访（E2E-${RUN}）\n走访 40 户：独居长者 23 人，其中 9 人每周无人探访，希望有固定的探访和电话问候。`
const NEED_TITLE = `叠滘村居民需求：叠滘村西约独居长者缺少日常探访（E2E-${RUN}）`

/** The smallest PDF the server's sniffing accepts as one. */
const PDF_BYTES = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1')

interface Klass {
  id: number
  title: string
}

const suite = await startDemoSuite({ name: 'training-files', features: ['training', 'market'], api: 'training and market', requireEnv: 'CARECITY_REQUIRE_FEATURES' })
const { server, step } = suite

let session: DemoSuiteSession
let page: Page
let klass: Klass | undefined
let secretaryId: number | undefined
let needPath = ''

const shot = (name: string, fullPage = true) => screenshot(page, `training-files-${name}`, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)
const material = (title: string) => page.locator('article.training-material').filter({ hasText: title })
const fitsWidth = async (width: number) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)

describe.skipIf(suite.skip)('讲义 as PDF and image, and a secretary’s passed needs assessment posted as a village need, on a phone', () => {
  session = demoSuiteSession(suite)
  beforeAll(() => {
    if (suite.available) {
      page = session.page
    }
  })

  step('吴老师 uploads a PDF and a PNG as materials of the secretaries’ class; a GIF is refused on the phone', async () => {
    const secretary = await apiSession(server.url, SECRETARY)
    const mine = await secretary<{ classes: Klass[] }>('GET', '/training/classes?scope=mine')
    klass = mine.body.classes.find((c) => c.title === CLASS_TITLE)
    expect(klass).toBeDefined()
    const me = await secretary<{ user: { id: number } }>('GET', '/me')
    secretaryId = me.body.user.id

    await login(TRAINER)
    await page.goto(`${server.url}/training/manage/classes/${klass!.id}?tab=materials`)
    const form = page.locator(sel('material-form'))
    await form.waitFor()
    // The one 添加讲义 form: a file (PDF or image) or Markdown text, the file picked here.
    await page.locator(sel('material-kind-file')).click()
    const input = page.locator(`${sel('material-file-uploader')} input[type="file"]`)
    await input.setInputFiles({ name: 'animation.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') })
    await expect.poll(() => page.locator(sel('material-file-refused')).textContent()).toContain('不是 PDF 或 JPG、PNG、WebP 图片')

    await page.locator(sel('material-session-1')).click()
    await input.setInputFiles({ name: '居民需求评估方法.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES })
    await expect.poll(() => page.locator(sel('material-file-chosen')).textContent()).toContain('居民需求评估方法.pdf')
    await fillTestField(page, 'material-title', PDF_TITLE)
    await form.scrollIntoViewIfNeeded()
    await shot('01-upload-form', false)
    await page.locator(sel('material-submit')).click()
    await material(PDF_TITLE).waitFor()
    expect(await material(PDF_TITLE).locator('[data-test$="-link"]').textContent()).toBe('下载/打开')

    await input.setInputFiles({ name: '村情图.png', mimeType: 'image/png', buffer: PNG_BYTES })
    await fillTestField(page, 'material-title', PNG_TITLE)
    await page.locator(sel('material-submit')).click()
    await material(PNG_TITLE).waitFor()
    const img = material(PNG_TITLE).locator('img')
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(24)
    await page.locator(sel('admin-materials')).scrollIntoViewIfNeeded()
    await shot('02-admin-materials')
    await logout(page, server.url)
  })

  step('梁书记 sees the image itself and the PDF as a file he can open, at 360 px', async () => {
    expect(klass).toBeDefined()
    await page.setViewportSize({ width: 360, height: 740 })
    await login(SECRETARY)
    await page.goto(`${server.url}/training/classes/${klass!.id}`)
    await page.locator(sel('class-materials')).waitFor()
    const pdf = material(PDF_TITLE)
    expect(await pdf.textContent()).toContain('居民需求评估方法.pdf')
    expect(await pdf.textContent()).toContain('PDF 文件')
    const link = pdf.locator('a[data-test$="-link"]')
    expect(await link.textContent()).toBe('下载/打开')
    const href = (await link.getAttribute('href')) ?? ''
    expect(href).toMatch(/^\/api\/v1\/training\/materials\/[^/]+\/file$/)
    // The link answers him (cookie session, same origin) with the PDF's bytes.
    const fetched = await page.evaluate(async (url) => {
      const answer = await fetch(url)
      return { status: answer.status, head: (await answer.text()).slice(0, 8) }
    }, href)
    expect(fetched).toEqual({ status: 200, head: '%PDF-1.4' })
    const img = material(PNG_TITLE).locator('img')
    await img.scrollIntoViewIfNeeded()
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBe(24)
    expect(await img.getAttribute('loading')).toBe('lazy')
    await fitsWidth(360)
    await page.locator(sel('class-materials')).scrollIntoViewIfNeeded()
    await shot('03-trainee-materials-360', false)
    await img.click()
    await page.locator('.van-image-preview').waitFor()
    // Kept once its fade-in has finished.
    await page.locator('.van-image-preview').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)))
    await shot('04-image-preview-360', false)
    await page.locator('.van-image-preview__close-icon').click()
    await expect.poll(() => page.locator('.van-image-preview').isVisible()).toBe(false)
  })

  step('梁书记 submits the needs assessment', async () => {
    const box = page.locator(sel('class-assignment'))
    await box.scrollIntoViewIfNeeded()
    await page.locator(sel('assignment-form')).waitFor()
    await fillTestField(page, 'assignment-body', ASSESSMENT)
    await page.locator(sel('assignment-submit')).click()
    await page.locator(sel('assignment-submitted')).waitFor()
    // Not graded yet: nothing to post.
    expect(await page.locator(sel('assignment-need-open')).count()).toBe(0)
    await shot('05-assignment-submitted', false)
    await page.setViewportSize({ width: 390, height: 844 })
    await logout(page, server.url)
  })

  step('吴老师 grades it 85', async () => {
    expect(klass).toBeDefined()
    expect(secretaryId).toBeDefined()
    await login(TRAINER)
    await page.goto(`${server.url}/training/manage/classes/${klass!.id}?tab=assignments`)
    const card = page.locator(sel(`assignment-${secretaryId}`))
    await card.waitFor()
    expect(await card.textContent()).toContain('叠滘村西约独居长者缺少日常探访')
    await fillTestField(page, `assignment-grade-${secretaryId}`, '85')
    await page.locator(sel(`assignment-save-${secretaryId}`)).click()
    await expect.poll(() => card.textContent()).toContain('85')
    await card.scrollIntoViewIfNeeded()
    await shot('06-graded', false)
    await logout(page, server.url)
  })

  step('梁书记 posts it as a village need through the prefilled form, and the need’s page shows it', async () => {
    expect(klass).toBeDefined()
    await page.setViewportSize({ width: 360, height: 740 })
    await login(SECRETARY)
    await page.goto(`${server.url}/training/classes/${klass!.id}`)
    await expect.poll(() => page.locator(sel('assignment-grade')).textContent()).toContain('85')
    const open = page.locator(sel('assignment-need-open'))
    await open.scrollIntoViewIfNeeded()
    expect(await open.textContent()).toContain('发布为村级需求')
    await shot('07-post-as-need', false)
    await open.click()
    await page.locator(sel('need-form')).waitFor()
    expect(await page.locator(`${sel('need-title')} input`).inputValue()).toBe(NEED_TITLE)
    expect(await page.locator(`${sel('need-story')} textarea`).inputValue()).toBe(ASSESSMENT)
    // Empty fields are refused on the page, under each one.
    await page.locator(sel('need-submit')).click()
    await expect.poll(() => page.locator(sel('need-target')).textContent()).toContain('请填写此项')
    await page.locator(sel('need-type-0')).click()
    await fillTestField(page, 'need-target', '独居长者')
    await fillTestField(page, 'need-people', '23')
    await fillTestField(page, 'need-budget-min', '20000')
    await fillTestField(page, 'need-budget-max', '50000')
    await fitsWidth(360)
    await shot('08-need-form-360')
    await page.locator(sel('need-submit')).click()
    const done = page.locator(sel('assignment-need-done'))
    await done.waitFor()
    expect(await done.textContent()).toContain('已发布为村级需求')
    expect(await page.locator(sel('assignment-need-open')).count()).toBe(0)
    await done.scrollIntoViewIfNeeded()
    await shot('09-need-posted', false)
    const link = page.locator(sel('assignment-need-link'))
    needPath = (await link.getAttribute('href')) ?? ''
    expect(needPath).toMatch(/^\/market\/needs\/[a-z2-7]{20}$/)
    await link.click()
    await page.waitForURL(`**${needPath}`)
    await expect.poll(() => page.locator('h2[data-test="need-title"]').textContent()).toBe(NEED_TITLE)
    expect(await page.locator(sel('need-village')).textContent()).toBe('叠滘村')
    expect(await page.locator('main, .page').first().textContent()).toContain('西约独居长者')
    await fitsWidth(360)
    // The one-line notice of the post fades before the page is kept.
    await page.locator('.van-toast').waitFor({ state: 'hidden' })
    await shot('10-need-page-360')
  })

  step('back on the class page the need is linked, not offered again', async () => {
    await page.goto(`${server.url}/training/classes/${klass!.id}`)
    await page.locator(sel('assignment-need-link')).waitFor()
    expect(await page.locator(sel('assignment-need-link')).getAttribute('href')).toBe(needPath)
    expect(await page.locator(sel('assignment-need-open')).count()).toBe(0)
  })

  step('长辈模式 at 360 px: the materials fit, the PDF link is a 60 px target, the image opens as a page (no pop-up)', async () => {
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '1'))
    await page.goto(`${server.url}/training/classes/${klass!.id}`)
    await page.locator(sel('class-materials')).waitFor()
    expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true)
    await fitsWidth(360)
    const link = material(PDF_TITLE).locator('a[data-test$="-link"]')
    expect((await link.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(60)
    const image = material(PNG_TITLE).locator('a[data-test$="-image"]')
    expect(await image.getAttribute('href')).toMatch(/^\/api\/v1\/training\/materials\/[^/]+\/file$/)
    await page.locator(sel('class-materials')).scrollIntoViewIfNeeded()
    await shot('11-elder-360-materials', false)
    // The assignment comes with its own request, after the materials: wait for its link.
    const needLink = page.locator(sel('assignment-need-link'))
    await needLink.waitFor()
    expect((await needLink.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(60)
    await page.locator(sel('assignment-need')).scrollIntoViewIfNeeded()
    await shot('12-elder-360-need-link', false)
    await page.evaluate(() => window.localStorage.setItem('carecity.elderMode', '0'))
    await page.setViewportSize({ width: 390, height: 844 })
  })

  step('the pages raised no error and the CSP blocked nothing', () => {
    expect(session.phone.pageErrors).toEqual([])
  })
})
