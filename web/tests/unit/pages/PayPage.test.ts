import { afterEach, describe, expect, it, vi } from 'vitest'
import PayPage from '@/pages/pay/PayPage.vue'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { DONATION_ID, PAYMENT_ID, payment, TOKEN } from '../support/fund'
import { mountWithApp, settle } from '../support/app'

const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2148A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN'
const api = `/api/v1/payments/${PAYMENT_ID}`
const wechatPayment = () => payment({ provider: 'wechatpay', pay_url: `/pay/wechatpay/${PAYMENT_ID}?token=${TOKEN}` })
const alipayPayment = () => payment({ provider: 'alipay', pay_url: `/pay/alipay/${PAYMENT_ID}?token=${TOKEN}` })

function asWechat(): void {
  vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(WECHAT_UA)
}

afterEach(() => {
  document.body.innerHTML = ''
  delete window.WeixinJSBridge
})

describe('PayPage', () => {
  it('outside WeChat opens the H5 order and goes to the provider’s page with the link exactly as signed', async () => {
    const h5 = 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx2016&package=1037687096&redirect_url=https%3A%2F%2Fcare.example.cn%2Ffund'
    const { requests } = stubFetch({
      [`GET ${api}`]: jsonResponse(200, { payment: wechatPayment() }),
      [`POST ${api}/checkout`]: jsonResponse(200, { action: { type: 'redirect', url: h5 } }),
    })
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined)
    const { wrapper } = await mountWithApp(PayPage, { path: `/pay/wechatpay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    expect(wrapper.get('[data-test="pay-provider"]').text()).toBe('微信支付')
    expect(wrapper.get('[data-test="pay-amount"]').text()).toBe('¥20.00')
    expect(wrapper.find('[data-test="pay-open-in-browser"]').exists()).toBe(false)
    await wrapper.get('[data-test="pay-go"]').trigger('click')
    await settle()
    expect(requests[1]).toMatchObject({ method: 'POST', url: `${api}/checkout?token=${TOKEN}`, body: { scene: 'h5' } })
    expect(assign).toHaveBeenCalledWith(h5)
  })

  it('does not follow a link that is not https (nor one of ours)', async () => {
    stubFetch({
      [`GET ${api}`]: jsonResponse(200, { payment: alipayPayment() }),
      [`POST ${api}/checkout`]: jsonResponse(200, { action: { type: 'redirect', url: 'javascript:alert(1)' } }),
    })
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined)
    const { wrapper } = await mountWithApp(PayPage, { path: `/pay/alipay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    await wrapper.get('[data-test="pay-go"]').trigger('click')
    await settle()
    expect(assign).not.toHaveBeenCalled()
    expect(wrapper.get('[data-test="pay-note"]').text()).toContain('付款链接有误')
  })

  it('inside WeChat opens WeChat Pay’s sheet with the signed parameters, then asks and returns to the donation', async () => {
    asWechat()
    const params = { appId: 'wx8888888888888888', timeStamp: '1414561699', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA', paySign: 'oR9d8Puh…' }
    const { requests } = stubFetch({
      [`GET ${api}`]: jsonResponse(200, { payment: wechatPayment() }),
      [`POST ${api}/checkout`]: jsonResponse(200, { action: { type: 'jsapi', params } }),
      [`POST ${api}/query`]: jsonResponse(200, { payment: wechatPayment() }),
    })
    const invoke = vi.fn((_method: string, _params: object, callback: (res: { err_msg: string }) => void) =>
      callback({ err_msg: 'get_brand_wcpay_request:ok' }),
    )
    window.WeixinJSBridge = { invoke }
    const { wrapper, router } = await mountWithApp(PayPage, { path: `/pay/wechatpay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    await wrapper.get('[data-test="pay-go"]').trigger('click')
    await settle()
    expect(requests[1]?.body).toEqual({ scene: 'jsapi' })
    expect(invoke).toHaveBeenCalledWith('getBrandWCPayRequest', params, expect.any(Function))
    expect(requests[2]?.url).toBe(`${api}/query?token=${TOKEN}`)
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/fund/donations/${DONATION_ID}?token=${TOKEN}`))
  })

  it('stays when the payer closes the sheet, saying nothing was charged', async () => {
    asWechat()
    const { requests } = stubFetch({
      [`GET ${api}`]: jsonResponse(200, { payment: wechatPayment() }),
      [`POST ${api}/checkout`]: jsonResponse(200, { action: { type: 'jsapi', params: { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'RSA', paySign: 's' } } }),
    })
    window.WeixinJSBridge = { invoke: (_m, _p, callback) => callback({ err_msg: 'get_brand_wcpay_request:cancel' }) }
    const { wrapper, router } = await mountWithApp(PayPage, { path: `/pay/wechatpay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    await wrapper.get('[data-test="pay-go"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="pay-note"]').text()).toContain('没有扣款')
    expect(requests).toHaveLength(2)
    expect(router.currentRoute.value.path).toBe(`/pay/wechatpay/${PAYMENT_ID}`)
  })

  it('inside WeChat, where the server needs the payer’s WeChat identity, explains how to pay in the browser', async () => {
    asWechat()
    stubFetch({
      [`GET ${api}`]: jsonResponse(200, { payment: wechatPayment() }),
      [`POST ${api}/checkout`]: errorResponse(422, 'openid_required', '需要微信身份'),
    })
    const { wrapper } = await mountWithApp(PayPage, { path: `/pay/wechatpay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    await wrapper.get('[data-test="pay-go"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="pay-open-in-browser"]').text()).toContain('在浏览器打开')
    expect(wrapper.get('[data-test="pay-link"]').text()).toContain(`token=${TOKEN}`)
    expect(wrapper.find('[data-test="pay-go"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="pay-error"]').exists()).toBe(false)
  })

  it('inside WeChat does not even offer Alipay, only the way to the browser', async () => {
    asWechat()
    const { requests } = stubFetch({ [`GET ${api}`]: jsonResponse(200, { payment: alipayPayment() }) })
    const { wrapper } = await mountWithApp(PayPage, { path: `/pay/alipay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    expect(wrapper.get('[data-test="pay-open-in-browser"]').text()).toContain('支付宝不能在微信里使用')
    expect(wrapper.find('[data-test="pay-go"]').exists()).toBe(false)
    expect(requests).toHaveLength(1)
  })

  it('“I paid” asks the provider: not yet says so and stays; paid goes back to the donation', async () => {
    stubFetch({
      [`GET ${api}`]: jsonResponse(200, { payment: alipayPayment() }),
      [`POST ${api}/query`]: jsonResponse(200, { payment: alipayPayment() }),
    })
    const { wrapper, router } = await mountWithApp(PayPage, { path: `/pay/alipay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    await wrapper.get('[data-test="pay-check"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="pay-note"]').text()).toContain('还没有收到付款结果')
    stubFetch({ [`POST ${api}/query`]: jsonResponse(200, { payment: payment({ provider: 'alipay', status: 'paid' }) }) })
    await wrapper.get('[data-test="pay-check"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/fund/donations/${DONATION_ID}?token=${TOKEN}`))
  })

  it('cancels at the provider through the payer’s own route and returns to the donation', async () => {
    const { requests } = stubFetch({
      [`GET ${api}`]: jsonResponse(200, { payment: wechatPayment() }),
      [`POST ${api}/cancel`]: jsonResponse(200, { payment: payment({ provider: 'wechatpay', status: 'closed' }) }),
    })
    const { wrapper, router } = await mountWithApp(PayPage, { path: `/pay/wechatpay/${PAYMENT_ID}?token=${TOKEN}` })
    await settle()
    await wrapper.get('[data-test="pay-cancel"]').trigger('click')
    await settle()
    expect(requests[1]?.url).toBe(`${api}/cancel?token=${TOKEN}`)
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/fund/donations/${DONATION_ID}?token=${TOKEN}`))
  })

  it('says "not found or not yours" to a stranger', async () => {
    stubFetch({ [`GET ${api}`]: errorResponse(404, 'payment_not_found', '支付单不存在') })
    const { wrapper } = await mountWithApp(PayPage, { path: `/pay/alipay/${PAYMENT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="pay-not-found"]').text()).toContain('不属于你')
    expect(wrapper.find('[data-test="pay-go"]').exists()).toBe(false)
  })
})
