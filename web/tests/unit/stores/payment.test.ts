import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { safeReturnPath, usePaymentStore } from '@/stores/payment'
import { payment } from '../support/fund'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('payment store', () => {
  it('loads the payment order', async () => {
    stubFetch({ 'GET /api/v1/payments/12': jsonResponse(200, { payment: payment() }) })
    const store = usePaymentStore()
    expect((await store.load(12)).ok).toBe(true)
    expect(store.payment?.amount_fen).toBe(2000)
  })

  it('pays through the sandbox with a JSON body and returns the paid payment', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/payments/sandbox/12/pay': jsonResponse(200, { payment: payment({ status: 'paid' }) }) })
    const store = usePaymentStore()
    const pending = store.pay(12)
    expect(store.busy).toBe(true)
    const result = await pending
    expect(store.busy).toBe(false)
    expect(result).toMatchObject({ ok: true, value: { status: 'paid', return_url: '/fund/donations/7' } })
    expect(requests[0]?.body).toEqual({})
    expect(requests[0]?.headers['content-type']).toBe('application/json')
  })

  it('cancels; a failure comes back as a value', async () => {
    stubFetch({ 'POST /api/v1/payments/sandbox/12/cancel': jsonResponse(200, { payment: payment({ status: 'closed' }) }) })
    const store = usePaymentStore()
    expect((await store.cancel(12)).ok).toBe(true)
    expect(store.payment?.status).toBe('closed')
    stubFetch({ 'POST /api/v1/payments/sandbox/13/pay': errorResponse(409, 'payment_not_open', '订单已关闭') })
    expect(await store.pay(13)).toMatchObject({ ok: false, error: { code: 'payment_not_open', status: 409 } })
    expect(store.busy).toBe(false)
  })

  it('follows only paths inside the app after paying', () => {
    expect(safeReturnPath('/fund/donations/7')).toBe('/fund/donations/7')
    expect(safeReturnPath('https://evil.example/')).toBe('/fund')
    expect(safeReturnPath('//evil.example/')).toBe('/fund')
    expect(safeReturnPath('/\\evil.example')).toBe('/fund')
    expect(safeReturnPath(undefined)).toBe('/fund')
  })
})
