import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { receiptQrUrl, useReceiptStore } from '@/stores/receipt'
import { CHECK_CODE, publicReceipt, receipt } from '../support/fund'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('receipt store', () => {
  it('reports a valid receipt: the public verification without a code', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/fund/receipts/GC2026-000123': jsonResponse(200, { receipt: publicReceipt() }) })
    const result = await useReceiptStore().verify('GC2026-000123')
    expect(result).toMatchObject({ ok: true, value: { state: 'valid', receipt: { amount_in_words: '贰拾元整', full: false, donor: '陈**' } } })
    expect(requests[0]?.url).toBe('/api/v1/fund/receipts/GC2026-000123')
  })

  it('asks with the check code for the whole receipt', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/fund/receipts/GC2026-000123': jsonResponse(200, { receipt: receipt() }) })
    const result = await useReceiptStore().verify('GC2026-000123', CHECK_CODE)
    expect(result).toMatchObject({ ok: true, value: { state: 'valid', receipt: { full: true, check_code: CHECK_CODE } } })
    expect(requests[0]?.url).toBe(`/api/v1/fund/receipts/GC2026-000123?code=${CHECK_CODE}`)
  })

  it('reports a void receipt', async () => {
    stubFetch({ 'GET /api/v1/fund/receipts/GC2026-000123': jsonResponse(200, { receipt: receipt({ status: 'void' }) }) })
    expect(await useReceiptStore().verify('GC2026-000123')).toMatchObject({ ok: true, value: { state: 'void' } })
  })

  it('turns 404 receipt_not_found into a "not found" answer, not an error', async () => {
    stubFetch({ 'GET /api/v1/fund/receipts/NOPE': errorResponse(404, 'receipt_not_found', '票据不存在') })
    const store = useReceiptStore()
    expect(await store.verify('NOPE')).toEqual({ ok: true, value: { state: 'not_found', receiptNo: 'NOPE' } })
    expect(store.verification?.state).toBe('not_found')
  })

  it('keeps other failures as errors (a missing route is not a missing receipt)', async () => {
    stubFetch({ 'GET /api/v1/fund/receipts/X': errorResponse(404, 'route_not_found', '接口不存在') })
    expect(await useReceiptStore().verify('X')).toMatchObject({ ok: false, error: { code: 'route_not_found' } })
    stubFetch({ 'GET /api/v1/fund/receipts/X': () => Promise.reject(new TypeError('offline')) })
    expect(await useReceiptStore().verify('X')).toMatchObject({ ok: false, error: { code: 'network_error' } })
  })

  it('puts the check code in the QR code’s URL and escapes both parts', async () => {
    expect(receiptQrUrl('GC2026-000123', CHECK_CODE)).toBe(`/api/v1/fund/receipts/GC2026-000123/qr.svg?code=${CHECK_CODE}`)
    expect(receiptQrUrl('GC 1/2', 'a&b')).toBe('/api/v1/fund/receipts/GC%201%2F2/qr.svg?code=a%26b')
  })
})
