import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { safeReturnPath, usePaymentStore } from '@/stores/payment'
import { DONATION_ID, PAYMENT_ID, payment, TOKEN } from '../support/fund'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

const path = `/api/v1/payments/${PAYMENT_ID}`

describe('payment store', () => {
  it('loads the payment order with the guest’s token, and without one for a signed-in payer', async () => {
    const { requests } = stubFetch({ [`GET ${path}`]: jsonResponse(200, { payment: payment() }) })
    const store = usePaymentStore()
    expect((await store.load(PAYMENT_ID, TOKEN)).ok).toBe(true)
    expect(store.payment?.amount_fen).toBe(2000)
    await store.load(PAYMENT_ID, null)
    expect(requests.map((r) => r.url)).toEqual([`${path}?token=${TOKEN}`, path])
  })

  it('pays through the sandbox with the token and a JSON body, and returns the paid payment', async () => {
    const { requests } = stubFetch({ [`POST /api/v1/payments/sandbox/${PAYMENT_ID}/pay`]: jsonResponse(200, { payment: payment({ status: 'paid' }) }) })
    const store = usePaymentStore()
    const pending = store.pay(PAYMENT_ID, TOKEN)
    expect(store.busy).toBe(true)
    const result = await pending
    expect(store.busy).toBe(false)
    expect(result).toMatchObject({ ok: true, value: { status: 'paid', return_url: `/fund/donations/${DONATION_ID}?token=${TOKEN}` } })
    expect(requests[0]?.url).toBe(`/api/v1/payments/sandbox/${PAYMENT_ID}/pay?token=${TOKEN}`)
    expect(requests[0]?.body).toEqual({})
    expect(requests[0]?.headers['content-type']).toBe('application/json')
  })

  it('cancels; a failure comes back as a value', async () => {
    const { requests } = stubFetch({ [`POST /api/v1/payments/${PAYMENT_ID}/cancel`]: jsonResponse(200, { payment: payment({ status: 'closed' }) }) })
    const store = usePaymentStore()
    expect((await store.cancel(PAYMENT_ID, TOKEN)).ok).toBe(true)
    expect(store.payment?.status).toBe('closed')
    expect(requests[0]?.url).toBe(`/api/v1/payments/${PAYMENT_ID}/cancel?token=${TOKEN}`)
    stubFetch({ [`POST /api/v1/payments/sandbox/${PAYMENT_ID}/pay`]: errorResponse(409, 'payment_not_payable', '该支付单已关闭或已支付') })
    expect(await store.pay(PAYMENT_ID, TOKEN)).toMatchObject({ ok: false, error: { code: 'payment_not_payable', status: 409 } })
    expect(store.busy).toBe(false)
  })

  it('checks out for the page’s scene and hands back what the browser does next', async () => {
    const h5 = 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=1'
    const { requests } = stubFetch({ [`POST /api/v1/payments/${PAYMENT_ID}/checkout`]: jsonResponse(200, { action: { type: 'redirect', url: h5 } }) })
    const store = usePaymentStore()
    const pending = store.checkout(PAYMENT_ID, TOKEN, 'h5')
    expect(store.busy).toBe(true)
    expect(await pending).toEqual({ ok: true, value: { type: 'redirect', url: h5 } })
    expect(store.busy).toBe(false)
    expect(requests[0]?.url).toBe(`/api/v1/payments/${PAYMENT_ID}/checkout?token=${TOKEN}`)
    expect(requests[0]?.body).toEqual({ scene: 'h5' })
    stubFetch({ [`POST /api/v1/payments/${PAYMENT_ID}/checkout`]: errorResponse(422, 'openid_required', '请在浏览器中打开') })
    expect(await store.checkout(PAYMENT_ID, null, 'jsapi')).toMatchObject({ ok: false, error: { code: 'openid_required', status: 422 } })
  })

  it('asks the provider on “I paid” and keeps the answer', async () => {
    const { requests } = stubFetch({ [`POST /api/v1/payments/${PAYMENT_ID}/query`]: jsonResponse(200, { payment: payment({ status: 'paid' }) }) })
    const store = usePaymentStore()
    expect((await store.query(PAYMENT_ID, TOKEN)).ok).toBe(true)
    expect(store.payment?.status).toBe('paid')
    expect(requests[0]?.url).toBe(`/api/v1/payments/${PAYMENT_ID}/query?token=${TOKEN}`)
  })

  it('reports someone else’s payment (or a wrong token) as the server’s 404 payment_not_found', async () => {
    stubFetch({ [`GET ${path}`]: errorResponse(404, 'payment_not_found', '支付单不存在') })
    expect(await usePaymentStore().load(PAYMENT_ID, 'wrong')).toMatchObject({ ok: false, error: { code: 'payment_not_found', status: 404 } })
  })

  it('follows only paths inside the app after paying (the guest’s token included)', () => {
    expect(safeReturnPath(`/fund/donations/${DONATION_ID}?token=${TOKEN}`)).toBe(`/fund/donations/${DONATION_ID}?token=${TOKEN}`)
    expect(safeReturnPath('https://evil.example/')).toBe('/fund')
    expect(safeReturnPath('//evil.example/')).toBe('/fund')
    expect(safeReturnPath('/\\evil.example')).toBe('/fund')
    expect(safeReturnPath(undefined)).toBe('/fund')
  })
})
