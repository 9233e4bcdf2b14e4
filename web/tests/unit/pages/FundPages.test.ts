import { afterEach, describe, expect, it, vi } from 'vitest'
import FundSummaryPage from '@/pages/fund/FundSummaryPage.vue'
import ReceiptVerifyPage from '@/pages/fund/ReceiptVerifyPage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { CHECK_CODE, checkpoints, publicReceipt, receipt, summary } from '../support/fund'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

const CHECKPOINTS = 'GET /api/v1/transparency/checkpoints'

describe('FundSummaryPage', () => {
  it('shows the five figures in yuan and the fundraiser of record', async () => {
    stubFetch({ 'GET /api/v1/fund/summary': jsonResponse(200, summary), [CHECKPOINTS]: jsonResponse(200, checkpoints) })
    const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund' })
    await settle()
    expect(wrapper.get('[data-test="figure-raised"]').text()).toContain('¥10,000,000.00')
    expect(wrapper.get('[data-test="figure-granted"]').text()).toContain('¥6,000,000.00')
    expect(wrapper.get('[data-test="figure-disbursed"]').text()).toContain('¥5,500,000.00')
    expect(wrapper.get('[data-test="figure-balance"]').text()).toContain('¥4,000,000.00')
    expect(wrapper.get('[data-test="figure-pending"]').text()).toContain('¥3,500,000.00')
    expect(wrapper.get('[data-test="fundraiser-credit-code"]').text()).toBe(summary.fundraiser.credit_code)
    expect(wrapper.get('[data-test="purpose-list"]').text()).toContain('冠名：XX集团·关爱长者计划')
  })

  it('puts every chart’s figures in a table too (summed per month and source)', async () => {
    stubFetch({ 'GET /api/v1/fund/summary': jsonResponse(200, summary), [CHECKPOINTS]: jsonResponse(200, checkpoints) })
    const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund' })
    await settle()
    const sources = wrapper.get('[data-test="table-sources"]').text()
    expect(sources).toContain('街道财政')
    expect(sources).toContain('¥8,000,000.00')
    expect(sources).toContain('80.0%')
    const monthly = wrapper.get('[data-test="table-monthly"]').findAll('tbody tr').map((row) => row.text())
    expect(monthly).toEqual(['2012-02街道财政¥8,000,000.00', '2012-03公众捐款¥124.00'])
    expect(wrapper.get('[data-test="table-granted"]').text()).toContain('博睿社工')
    // Normal mode: tables sit in a collapsible <details> next to the charts.
    expect(wrapper.get('[data-test="table-sources"]').element.closest('details')).not.toBeNull()
  })

  it('holds each chart’s place with a box of its height and draws nothing until it is scrolled into view', async () => {
    stubFetch({ 'GET /api/v1/fund/summary': jsonResponse(200, summary), [CHECKPOINTS]: jsonResponse(200, checkpoints) })
    const observed: Element[] = []
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        observe(el: Element): void {
          observed.push(el)
        }
        disconnect(): void {}
      },
    )
    try {
      const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund' })
      await settle()
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      const boxes = wrapper.findAll('[data-test="lazy-chart"]')
      expect(boxes.map((box) => (box.element as HTMLElement).style.height)).toEqual(['280px', '300px', '220px'])
      expect(observed).toEqual(boxes.map((box) => box.element))
      expect(wrapper.find('[data-test="echart"]').exists()).toBe(false)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('in 长辈模式 shows the tables instead of charts, and never loads the charts', async () => {
    stubFetch({ 'GET /api/v1/fund/summary': jsonResponse(200, summary), [CHECKPOINTS]: jsonResponse(200, checkpoints) })
    const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund' })
    usePrefsStore().setElderMode(true)
    await settle()
    expect(wrapper.find('[data-test="echart"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="lazy-chart"]').exists()).toBe(false)
    const table = wrapper.get('[data-test="table-sources"]').element
    expect(table.closest('details')).toBeNull()
    expect(wrapper.text()).not.toContain('以表格查看')
  })

  it('shows the error with a retry', async () => {
    stubFetch({
      'GET /api/v1/fund/summary': errorResponse(500, 'internal', '服务器出错了'),
      [CHECKPOINTS]: jsonResponse(200, checkpoints),
    })
    const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund' })
    await settle()
    expect(wrapper.get('[data-test="fund-error"]').text()).toContain('服务器出错了')
  })

  it('ends with the 防篡改校验点 card: entries, the shortened head hash, the time and the key fingerprint', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/summary': jsonResponse(200, summary),
      [CHECKPOINTS]: jsonResponse(200, checkpoints),
    })
    const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund' })
    await settle()
    const card = wrapper.get('[data-test="checkpoints"]')
    expect(card.text()).toContain('防篡改校验点')
    const fund = card.get('[data-test="checkpoint-fund"]').text()
    expect(fund).toContain('资金流水')
    expect(fund).toContain('共 120 条')
    expect(fund).toContain('01234567…89abcdef')
    expect(fund).toContain('2026')
    expect(card.get('[data-test="checkpoint-audit"]').text()).toContain('尚未生成校验点')
    expect(card.get('[data-test="checkpoint-key"]').text()).toBe('1a2b 3c4d 5e6f 7a8b')
    expect(requests.map((r) => r.url)).toContain('/api/v1/transparency/checkpoints?limit=1')
  })

  it('speaks English too, and leaves the card out when the checkpoints cannot be loaded', async () => {
    stubFetch({
      'GET /api/v1/fund/summary': jsonResponse(200, summary),
      [CHECKPOINTS]: jsonResponse(200, checkpoints),
    })
    const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund', locale: 'en' })
    await settle()
    expect(wrapper.get('[data-test="checkpoint-fund"]').text()).toContain('120 entries')
    wrapper.unmount()
    document.body.innerHTML = ''
    stubFetch({
      'GET /api/v1/fund/summary': jsonResponse(200, summary),
      [CHECKPOINTS]: errorResponse(503, 'unavailable', '服务暂时不可用'),
    })
    const { wrapper: without } = await mountWithApp(FundSummaryPage, { path: '/fund' })
    await settle()
    expect(without.find('[data-test="figure-raised"]').exists()).toBe(true)
    expect(without.find('[data-test="checkpoints"]').exists()).toBe(false)
  })
})

describe('ReceiptVerifyPage', () => {
  async function verdict(response: Response, path = '/r/GC2026-000123', locale: 'zh-CN' | 'en' = 'zh-CN') {
    const { requests } = stubFetch({ [`GET /api/v1/fund/receipts/${path.slice(3).split('?')[0]}`]: response })
    const { wrapper } = await mountWithApp(ReceiptVerifyPage, { path, locale })
    await settle()
    return { wrapper, requests }
  }

  it('without a code: the public verification, donor masked, no check code, QR code or print, and says so', async () => {
    const { wrapper, requests } = await verdict(jsonResponse(200, { receipt: publicReceipt() }))
    expect(requests[0]?.url).toBe('/api/v1/fund/receipts/GC2026-000123')
    expect(wrapper.get('[data-test="verify-verdict"]').attributes('data-state')).toBe('valid')
    expect(wrapper.get('[data-test="verify-verdict"]').text()).toContain('真实有效')
    expect(wrapper.get('[data-test="receipt-donor"]').text()).toBe('陈**')
    expect(wrapper.get('[data-test="receipt-words"]').text()).toContain('贰拾元整')
    expect(wrapper.get('[data-test="verify-public-note"]').text()).toContain('公开核验信息：捐赠人姓名已隐去')
    expect(wrapper.find('[data-test="receipt-check-code"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="receipt-qr"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="receipt-print"]').exists()).toBe(false)
  })

  it('says so in English too', async () => {
    const { wrapper } = await verdict(jsonResponse(200, { receipt: publicReceipt() }), '/r/GC2026-000123', 'en')
    expect(wrapper.get('[data-test="verify-public-note"]').text()).toContain('Public verification: the donor’s name is hidden')
  })

  it('with the QR code’s link (?code=): passes the code on and shows the whole receipt with its QR code', async () => {
    const { wrapper, requests } = await verdict(jsonResponse(200, { receipt: receipt() }), `/r/GC2026-000123?code=${CHECK_CODE}`)
    expect(requests[0]?.url).toBe(`/api/v1/fund/receipts/GC2026-000123?code=${CHECK_CODE}`)
    expect(wrapper.get('[data-test="receipt-donor"]').text()).toBe('陈阿姨')
    expect(wrapper.get('[data-test="receipt-check-code"]').text()).toBe(CHECK_CODE)
    expect(wrapper.get('[data-test="receipt-qr"]').attributes('src')).toBe(`/api/v1/fund/receipts/GC2026-000123/qr.svg?code=${CHECK_CODE}`)
    expect(wrapper.find('[data-test="verify-public-note"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="receipt-print"]').exists()).toBe(true)
  })

  it('says 已作废 for a void receipt', async () => {
    const { wrapper } = await verdict(jsonResponse(200, { receipt: publicReceipt({ status: 'void' }) }))
    expect(wrapper.get('[data-test="verify-verdict"]').text()).toContain('已作废')
  })

  it('says 未找到 for an unknown number', async () => {
    const { wrapper } = await verdict(errorResponse(404, 'receipt_not_found', '票据不存在'), '/r/NOPE')
    expect(wrapper.get('[data-test="verify-verdict"]').text()).toContain('未找到')
    expect(wrapper.find('[data-test="receipt"]').exists()).toBe(false)
  })
})
