import { afterEach, describe, expect, it } from 'vitest'
import RefundPage from '@/pages/fund-admin/RefundPage.vue'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { donation } from '../support/fund'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

const ROUTE = 'POST /api/v1/fund/receipts/GC2026-000123/refund'

async function submitRefund(response: Response, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const { requests } = stubFetch({ [ROUTE]: response })
  const { wrapper } = await mountWithApp(RefundPage, { path: '/fund/admin/refund', locale })
  await settle()
  await wrapper.get('input[name="receipt_no"]').setValue('  GC2026-000123 ')
  await wrapper.get('textarea[name="reason"]').setValue('捐赠人申请退款')
  await wrapper.get('input[name="confirm"]').setValue(locale === 'en' ? 'REFUND' : '退款')
  await wrapper.get('[data-test="refund-form"]').trigger('submit')
  await settle()
  return { wrapper, requests }
}

describe('RefundPage', () => {
  it('refunds by the receipt number the donor quotes (票据号), with the reason, and clears the form', async () => {
    const { wrapper, requests } = await submitRefund(jsonResponse(200, { donation: donation({ status: 'refunded' }) }))
    expect(requests.map((r) => [r.url, r.body])).toEqual([['/api/v1/fund/receipts/GC2026-000123/refund', { reason: '捐赠人申请退款' }]])
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false)
    expect((wrapper.get('input[name="receipt_no"]').element as HTMLInputElement).value).toBe('')
  })

  it('asks for the receipt number before sending anything', async () => {
    const { requests } = stubFetch({ [ROUTE]: jsonResponse(200, {}) })
    const { wrapper } = await mountWithApp(RefundPage, { path: '/fund/admin/refund' })
    await settle()
    expect(wrapper.text()).toContain('票据号')
    await wrapper.get('textarea[name="reason"]').setValue('x')
    await wrapper.get('input[name="confirm"]').setValue('退款')
    await wrapper.get('[data-test="refund-form"]').trigger('submit')
    await settle()
    expect(requests).toHaveLength(0)
    expect(wrapper.get('input[name="receipt_no"]').element.closest('.van-field')?.textContent).toContain('此项必填')
  })

  it('explains an unknown receipt number at the field', async () => {
    const { wrapper } = await submitRefund(errorResponse(404, 'donation_not_found', '捐赠记录不存在'))
    expect(wrapper.get('input[name="receipt_no"]').element.closest('.van-field')?.textContent).toContain('没有找到这个票据号对应的捐款')
  })

  it('explains insufficient_funds as money already granted out (zh and en)', async () => {
    const zh = await submitRefund(errorResponse(409, 'insufficient_funds', '该资金可用余额不足'))
    expect(zh.wrapper.get('[data-test="form-error"]').text()).toContain('这笔捐款的钱已经资助出去了')
    zh.wrapper.unmount()
    const en = await submitRefund(errorResponse(409, 'insufficient_funds', 'Not enough money available in this fund'), 'en')
    expect(en.wrapper.get('[data-test="form-error"]').text()).toContain('has already been granted out')
  })

  it('explains a donation that cannot be refunded, and shows other errors in the server’s words', async () => {
    const refused = await submitRefund(errorResponse(409, 'donation_not_refundable', '该捐赠不能退款'))
    expect(refused.wrapper.get('[data-test="form-error"]').text()).toContain('这笔捐款不能退款：')
    refused.wrapper.unmount()
    const down = await submitRefund(errorResponse(503, 'provider_unavailable', '支付渠道暂时无法连接，请稍后重试'))
    expect(down.wrapper.get('[data-test="form-error"]').text()).toBe('支付渠道暂时无法连接，请稍后重试')
  })
})
