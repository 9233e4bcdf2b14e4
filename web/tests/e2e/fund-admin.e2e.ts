/**
 * Care Fund administration with four eyes, on a phone (390×844), against the real server with the
 * demo data: read 已拨付 on /fund → log in as the maker (13800000004) → 我的 → 基金管理 → record a
 * ¥100,000 government allocation (桂财〔2026〕1号, received) → commit ¥50,000 to 博睿社工 →
 * propose a ¥20,000 disbursement against it → approving it oneself is refused with the server's
 * message → refund a guest's paid ¥50 donation by the receipt number the donor quotes (票据号),
 * a second refund is refused, the receipt is void → log out → log in as the checker
 * (13800000008) → approve → it is paid → the disclosure calendar lists the demo's published
 * reports → /fund shows 已拨付 up by exactly ¥20,000 → the public journal lists the allocation
 * and the disbursement.
 * Screenshots go to $E2E_OUT.
 *
 * Like fund-donate.e2e.ts, the file first starts the server and reads `GET /api/v1/meta`: without
 * `"fund"` and `"fund_admin"` in `features` the suite is skipped — or, when
 * CARECITY_REQUIRE_FUND=1, every test in it fails with a message saying so.
 */
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { loginWithDemoPassword, openDemoSuitePage, type PhonePage, screenshot, sel, startDemoSuite, stopDemoSuite } from './support'

const MAKER = '13800000004'
const CHECKER = '13800000008'
const BUDGET_REF = '桂财〔2026〕1号'
/** Unique per run, so the disbursement is found by what the user typed, not by its position. */
const RUN = String(Date.now()).slice(-6)
const PROJECT = `长者探访E2E-${RUN}`
const DISBURSEMENT_MEMO = `首期拨付E2E-${RUN}`
/** What the server says (zh-CN) when a proposer approves their own disbursement. */
const SELF_APPROVAL_MESSAGE = '不能复核自己提出的拨付'

/** Seed, start, and ask the server whether it serves the fund and its administration. */
const suite = await startDemoSuite({
  name: 'fund-admin',
  features: ['fund', 'fund_admin'],
  api: 'fund admin',
  requireEnv: 'CARECITY_REQUIRE_FUND',
})
const { server, step } = suite

let phone: PhonePage
let page: Page

interface SummaryFigures {
  disbursed_fen: number
  granted_fen: number
}
/** A guest's donation paid in the sandbox through the API, to be refunded by its receipt number. */
const REFUND_FEN = 5_000
let refundReceiptNo = ''

/** 已拨付 / 已资助 as /fund showed them (and the API returned them) before anything was done. */
let before: SummaryFigures
let commitmentId = 0

const shot = (name: string, fullPage = true) => screenshot(page, name, fullPage)
const login = (account: string) => loginWithDemoPassword(page, server.url, account)

/** `¥5,750,000.00` → 575000000 fen, with integer arithmetic only. */
function fenOf(text: string | null): number {
  const match = /^(-?)¥([\d,]+)\.(\d{2})$/.exec((text ?? '').trim())
  if (!match) {
    throw new Error(`not a money figure: ${JSON.stringify(text)}`)
  }
  const fen = Number(match[2]!.replaceAll(',', '')) * 100 + Number(match[3])
  return match[1] === '-' ? -fen : fen
}

async function apiSummary(): Promise<SummaryFigures & { granted_to: { org_id: number; org_name: string }[] }> {
  const response = await fetch(`${server.url}/api/v1/fund/summary`)
  expect(response.status).toBe(200)
  return (await response.json()) as SummaryFigures & { granted_to: { org_id: number; org_name: string }[] }
}

/** The figures on /fund, once the summary has loaded. */
async function pageFigures(): Promise<SummaryFigures> {
  await page.goto(server.url + '/fund')
  await page.waitForLoadState('networkidle')
  const disbursed = page.locator(`${sel('figure-disbursed')} .figure__value`)
  await expect.poll(() => disbursed.isVisible()).toBe(true)
  return {
    disbursed_fen: fenOf(await disbursed.textContent()),
    granted_fen: fenOf(await page.locator(`${sel('figure-granted')} .figure__value`).textContent()),
  }
}

/**
 * A guest gives `amountFen` and pays in the sandbox, as the browser would (the pay link's token on
 * every call); resolves with the receipt number once the payment is confirmed.
 */
async function paidGuestDonation(amountFen: number): Promise<string> {
  const json = { 'Content-Type': 'application/json' }
  const created = await fetch(`${server.url}/api/v1/fund/donations`, {
    method: 'POST',
    headers: { ...json, 'Idempotency-Key': `e2e-refund-${RUN}` },
    body: JSON.stringify({ amount_fen: amountFen, anonymous: false, donor_name: '王小明' }),
  })
  expect(created.status).toBe(201)
  const { donation, payment } = (await created.json()) as { donation: { id: string }; payment: { id: string; pay_url: string } }
  const token = new URL(payment.pay_url, server.url).searchParams.get('token') ?? ''
  expect(token).toMatch(/^[0-9a-f]{32}$/)
  const paid = await fetch(`${server.url}/api/v1/payments/sandbox/${payment.id}/pay?token=${token}`, { method: 'POST', headers: json, body: '{}' })
  expect(paid.status).toBe(200)
  // The sandbox confirms through its notification, a moment later.
  let receiptNo = ''
  await expect
    .poll(async () => {
      const response = await fetch(`${server.url}/api/v1/fund/donations/${donation.id}?token=${token}`)
      const body = (await response.json()) as { donation: { receipt_no: string | null } }
      receiptNo = body.donation.receipt_no ?? ''
      return receiptNo
    })
    .not.toBe('')
  return receiptNo
}

/** The one visible toast's text (a notice in normal mode). */
async function expectToast(text: string): Promise<void> {
  await expect.poll(() => page.locator('.van-toast').filter({ hasText: text }).count()).toBeGreaterThan(0)
}

async function fill(field: string, value: string): Promise<void> {
  const input = page.locator(`input[name="${field}"], textarea[name="${field}"]`)
  await input.fill(value)
  expect(await input.inputValue()).toBe(value)
}

/** From 我的: 基金管理 → one of its menu items. */
async function openAdmin(item: string, path: string): Promise<void> {
  await page.locator(sel('me-fund-admin')).click()
  await page.waitForURL('**/fund/admin')
  await page.locator(sel(`admin-${item}`)).click()
  await page.waitForURL(`**${path}`)
  await page.waitForLoadState('networkidle')
}

/** The disbursement this run proposed, in the list currently shown. */
function ourDisbursement(): Locator {
  return page.locator(`${sel('disbursement-list')} .admin-item`).filter({ hasText: DISBURSEMENT_MEMO })
}

describe.skipIf(suite.skip)('Care Fund administration: allocation, grant, four-eyes disbursement on a phone', () => {
  beforeAll(async () => {
    if (!suite.available) {
      return // every test fails through `step` with the reason
    }
    phone = await openDemoSuitePage(suite)
    page = phone.page
  })

  afterAll(() => stopDemoSuite(suite, phone))

  step('reads 已拨付 on the public /fund summary before anything is done', async () => {
    before = await pageFigures()
    const api = await apiSummary()
    // The page shows what the API says.
    expect(before).toEqual({ disbursed_fen: api.disbursed_fen, granted_fen: api.granted_fen })
    expect(before.disbursed_fen).toBeGreaterThan(0)
  })

  step('logs in as the maker and opens 基金管理 from 我的', async () => {
    await login(MAKER)
    expect((await page.locator(sel('me-role')).allTextContents()).map((r) => r.trim())).toContain('基金管理员')
    await page.locator(sel('me-fund-admin')).click()
    await page.waitForURL('**/fund/admin')
    await expect.poll(() => page.locator(sel('admin-disbursement')).isVisible()).toBe(true)
    await shot('fund-admin-01-menu')
  })

  step('records a received ¥100,000 government allocation', async () => {
    await page.locator(sel('admin-allocation')).click()
    await page.waitForURL('**/fund/admin/allocation')
    await page.waitForLoadState('networkidle')
    await fill('amount_fen', '100000')
    await fill('budget_ref', BUDGET_REF)
    await fill('memo', `2026年度街道财政拨款E2E-${RUN}`)
    const received = page.locator(`${sel('allocation-form')} .van-radio`, { hasText: '已到账' })
    await received.click()
    expect(await received.getAttribute('aria-checked')).toBe('true')
    await page.locator(`${sel('allocation-form')} button[type="submit"]`).click()
    await expectToast('已记录财政拨款')
    expect(await page.locator(sel('form-error')).count()).toBe(0)
    // The form is cleared for the next one.
    expect(await page.locator('input[name="budget_ref"]').inputValue()).toBe('')
  })

  step('commits ¥50,000 to 博睿社工 and shows the new grant number', async () => {
    // The commitment form asks for the organisation's number: the public summary names it.
    const org = (await apiSummary()).granted_to.find((g) => g.org_name.includes('博睿社工'))
    expect(org, 'the demo data has 博睿社工 among the funded organisations').toBeDefined()

    await page.locator(sel('back')).click()
    await page.waitForURL('**/fund/admin')
    await page.locator(sel('admin-commitment')).click()
    await page.waitForURL('**/fund/admin/commitment')
    await page.waitForLoadState('networkidle')
    await fill('org_id', String(org!.org_id))
    await fill('project_name', PROJECT)
    await fill('amount_fen', '50000')
    await page.locator(`${sel('commitment-form')} button[type="submit"]`).click()
    await expectToast('已创建资助承诺')
    expect(await page.locator(sel('form-error')).count()).toBe(0)
    const created = page.locator(sel('commitment-created'))
    await expect.poll(() => created.isVisible()).toBe(true)
    const match = /资助编号\s*(\d+)/.exec((await created.textContent()) ?? '')
    expect(match, `grant number in ${JSON.stringify(await created.textContent())}`).not.toBeNull()
    commitmentId = Number(match![1])
    expect(commitmentId).toBeGreaterThan(0)
  })

  step('proposes a ¥20,000 disbursement for the grant, waiting for a second administrator', async () => {
    await page.locator(sel('back')).click()
    await page.waitForURL('**/fund/admin')
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/fund/disbursements?status=proposed'))
    await page.locator(sel('admin-disbursement')).click()
    await page.waitForURL('**/fund/admin/disbursements')
    expect((await listed).status()).toBe(200)
    // A fresh demo database has no proposal waiting.
    await expect.poll(() => page.locator('.page-intro', { hasText: '没有记录' }).isVisible()).toBe(true)
    expect(await ourDisbursement().count()).toBe(0)
    await fill('commitment_id', String(commitmentId))
    await fill('amount_fen', '20000')
    await fill('memo', DISBURSEMENT_MEMO)
    await page.locator(`${sel('disbursement-form')} button[type="submit"]`).click()
    await expectToast('已提出拨付，等待另一位管理员审批')

    const item = ourDisbursement()
    await expect.poll(() => item.count()).toBe(1)
    const text = (await item.textContent()) ?? ''
    expect(text).toContain('¥20,000.00 · 待审批')
    expect(text).toContain('博睿社工')
    expect(text).toContain(PROJECT)
    expect(text).toContain(`资助 ${commitmentId}`)
    await shot('fund-admin-02-proposed')
  })

  step('refuses the proposer’s own approval with the server’s message', async () => {
    const item = ourDisbursement()
    await item.locator('button', { hasText: '批准' }).click()
    const refusal = item.locator('[role="alert"]')
    await expect.poll(() => refusal.isVisible()).toBe(true)
    expect(((await refusal.textContent()) ?? '').trim()).toBe(SELF_APPROVAL_MESSAGE)
    await shot('fund-admin-03-self-approval-refused')

    // Still waiting after a reload: nothing was approved.
    await page.reload()
    await page.waitForLoadState('networkidle')
    await expect.poll(() => ourDisbursement().count()).toBe(1)
    expect(await ourDisbursement().textContent()).toContain('¥20,000.00 · 待审批')
  })

  step('refunds a guest’s donation by the receipt number the donor quotes, once, and voids its receipt', async () => {
    refundReceiptNo = await paidGuestDonation(REFUND_FEN)
    await page.locator(sel('back')).click()
    await page.waitForURL('**/fund/admin')
    await page.locator(sel('admin-refund')).click()
    await page.waitForURL('**/fund/admin/refund')
    const refund = async () => {
      await fill('receipt_no', refundReceiptNo)
      await fill('reason', `捐赠人申请退款E2E-${RUN}`)
      await fill('confirm', '退款')
      await page.locator(`${sel('refund-form')} button[type="submit"]`).click()
    }
    await refund()
    await expectToast('已退款')
    expect(await page.locator(sel('form-error')).count()).toBe(0)
    expect(await page.locator('input[name="receipt_no"]').inputValue()).toBe('')
    await shot('fund-admin-03b-refunded')

    // A second refund of the same receipt is refused, in words.
    await refund()
    await expect.poll(() => page.locator(sel('form-error')).isVisible()).toBe(true)
    expect(await page.locator(sel('form-error')).textContent()).toContain('这笔捐款不能退款')

    // The public verification now says the receipt is void.
    const response = await fetch(`${server.url}/api/v1/fund/receipts/${encodeURIComponent(refundReceiptNo)}`)
    expect(((await response.json()) as { receipt: { status: string } }).receipt.status).toBe('void')
  })

  step('goes back to 我的 and logs out', async () => {
    // Admin pages have no tab bar: back to the menu, back to 我的.
    await page.locator(sel('back')).click()
    await page.waitForURL('**/fund/admin')
    await page.locator(sel('back')).click()
    await page.waitForURL('**/me')
    await page.locator(sel('me-logout')).click()
    await expect.poll(() => page.locator(sel('me-guest')).isVisible()).toBe(true)
  })

  step('logs in as the checker, approves the disbursement, and it shows as paid', async () => {
    await login(CHECKER)
    await openAdmin('disbursement', '/fund/admin/disbursements')
    const item = ourDisbursement()
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.textContent()).toContain('¥20,000.00 · 待审批')
    await item.locator('button', { hasText: '批准' }).click()
    await expectToast('已批准')
    // It leaves the list of proposals…
    await expect.poll(() => ourDisbursement().count()).toBe(0)

    // …and appears among the paid ones.
    await page.locator('.admin-tabs button', { hasText: '已拨付' }).click()
    await expect.poll(() => page.locator('.admin-tabs button', { hasText: '已拨付' }).getAttribute('aria-pressed')).toBe('true')
    await page.waitForLoadState('networkidle')
    const paid = ourDisbursement()
    await expect.poll(() => paid.count()).toBe(1)
    const text = (await paid.textContent()) ?? ''
    expect(text).toContain('¥20,000.00 · 已拨付')
    expect(text).toContain('博睿社工')
    expect(await paid.locator('button', { hasText: '批准' }).count()).toBe(0)
    await shot('fund-admin-04-paid')
  })

  step('shows the disclosure calendar with the demo’s published reports', async () => {
    await page.locator(sel('back')).click()
    await page.waitForURL('**/fund/admin')
    await page.locator(sel('admin-disclosure')).click()
    await page.waitForURL('**/fund/admin/disclosures')
    await page.waitForLoadState('networkidle')

    // What the server publishes (same session as the page).
    const response = await page.request.get(`${server.url}/api/v1/fund/disclosures`)
    expect(response.status()).toBe(200)
    const calendar = (await response.json()) as { published: { title: string }[] }
    expect(calendar.published.length).toBeGreaterThan(0)

    const items = page.locator(`${sel('disclosures-published')} .admin-item`)
    await expect.poll(() => items.count()).toBe(calendar.published.length)
    expect(await page.locator('#disclosures-published').textContent()).toContain(`已公开（${calendar.published.length}）`)
    const firstTitle = (await items.first().locator('.admin-item__title').textContent()) ?? ''
    expect(firstTitle).toContain(calendar.published[0]!.title)
    expect(await items.first().locator('.admin-item__meta').textContent()).toMatch(/公开$/)
    // Some 200 reports: the first screen is enough to see the calendar.
    await shot('fund-admin-05-disclosures', false)
  })

  step('shows 已拨付 up by exactly ¥20,000 (and 已资助 by ¥50,000) on the public /fund summary', async () => {
    const after = await pageFigures()
    expect(after.disbursed_fen - before.disbursed_fen).toBe(2_000_000)
    expect(after.granted_fen - before.granted_fen).toBe(5_000_000)
    const api = await apiSummary()
    expect(api.disbursed_fen - before.disbursed_fen).toBe(2_000_000)
    await shot('fund-admin-06-summary-after')
  })

  step('lists the allocation and the paid disbursement in the public journal', async () => {
    await page.goto(server.url + '/fund/journal')
    await page.waitForLoadState('networkidle')
    const entries = page.locator(sel('journal-entry'))
    const allocation = entries.filter({ hasText: BUDGET_REF }).filter({ hasText: `E2E-${RUN}` })
    await expect.poll(() => allocation.count()).toBe(1)
    expect(((await allocation.locator(sel('entry-amount')).textContent()) ?? '').trim()).toBe('¥100,000.00')
    const disbursement = entries.filter({ hasText: DISBURSEMENT_MEMO })
    await expect.poll(() => disbursement.count()).toBe(1)
    expect(((await disbursement.locator(sel('entry-amount')).textContent()) ?? '').trim()).toMatch(/^-?¥20,000\.00$/)
    expect(await disbursement.textContent()).toContain('博睿社工')
  })

  step('raised no uncaught errors in the page', () => {
    expect(phone.pageErrors).toEqual([])
  })
})
