import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { uploadImage } from '@/api/media'
import * as shop from '@/api/shop'
import { emptyResponse, jsonResponse, stubFetch } from '../support/fetch'
import { order, product } from '../support/shop'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('shop API', () => {
  it('lists products with only the filters given, and the cursor as `before`', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/shop/products': jsonResponse(200, { products: [product()], next_cursor: null }) })
    await shop.listProducts({ q: '香囊', category: 'handmade', min_price_fen: 2000 }, 'cursor2222', 20)
    await shop.listProducts({}, null, 20)
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/shop/products?q=%E9%A6%99%E5%9B%8A&category=handmade&min_price_fen=2000&before=cursor2222&limit=20',
      '/api/v1/shop/products?limit=20',
    ])
  })

  it('creates an order with the Idempotency-Key header and the body as documented', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/shop/orders': jsonResponse(201, { order: order(), payment: { id: 'p', pay_url: '/pay/sandbox/p' } }),
    })
    const body = { items: [{ product_id: 'a', quantity: 2 }], fulfilment: { kind: 'pickup' as const, venue_id: 1 }, anonymous: false }
    await shop.createOrder(body, 'key-12345678')
    expect(requests[0]!.headers['idempotency-key']).toBe('key-12345678')
    expect(requests[0]!.body).toEqual(body)
  })

  it('refunds lines with the items in the body and the Idempotency-Key header', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/shop/orders/o/refund': jsonResponse(200, { order: order() }) })
    const items = [{ product_id: 'a', quantity: 1 }]
    await shop.refundOrder('o', '买家要求', items, 'key-12345678')
    expect(requests[0]!.body).toEqual({ reason: '买家要求', items })
    expect(requests[0]!.headers['idempotency-key']).toBe('key-12345678')
  })

  it('keeps the sold-out error’s product_id', async () => {
    stubFetch({
      'POST /api/v1/shop/orders': jsonResponse(409, { error: { code: 'shop.sold_out', message: '商品库存不足', field: null, product_id: 'abc' } }),
    })
    const error = await shop.createOrder({ items: [], fulfilment: { kind: 'pickup', venue_id: 1 }, anonymous: false }, 'k').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('shop.sold_out')
    expect((error as ApiError).details).toEqual({ product_id: 'abc' })
  })

  it('sends staff and review actions to their routes', async () => {
    const answer = jsonResponse(200, { product: product() })
    const { requests } = stubFetch({
      'POST /api/v1/shop/products/x/restock': answer,
      'POST /api/v1/shop/products/x/withdraw': answer,
      'POST /api/v1/shop/products/x/approve': answer,
      'POST /api/v1/shop/products/x/reject': answer,
      'PATCH /api/v1/shop/products/x': answer,
      'POST /api/v1/shop/orders/o/ship': jsonResponse(200, { order: order() }),
      'POST /api/v1/shop/orders/o/refund': jsonResponse(200, { order: order() }),
      'POST /api/v1/shop/pickups': jsonResponse(200, { order: order() }),
    })
    await shop.restockProduct('x', 5)
    await shop.withdrawProduct('x')
    await shop.approveProduct('x')
    await shop.rejectProduct('x', '图片不清楚')
    await shop.editProduct('x', { price_fen: 100 })
    await shop.shipOrder('o', '顺丰', 'SF1')
    await shop.refundOrder('o', '买家要求')
    await shop.confirmPickup('code')
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/api/v1/shop/products/x/restock', { quantity: 5 }],
      ['POST', '/api/v1/shop/products/x/withdraw', {}],
      ['POST', '/api/v1/shop/products/x/approve', {}],
      ['POST', '/api/v1/shop/products/x/reject', { reason: '图片不清楚' }],
      ['PATCH', '/api/v1/shop/products/x', { price_fen: 100 }],
      ['POST', '/api/v1/shop/orders/o/ship', { carrier: '顺丰', tracking_no: 'SF1' }],
      ['POST', '/api/v1/shop/orders/o/refund', { reason: '买家要求' }],
      ['POST', '/api/v1/shop/pickups', { code: 'code' }],
    ])
    expect(shop.pickupQrUrl('o')).toBe('/api/v1/shop/orders/o/pickup-qr.svg')
  })

  it('uploads an image as the raw file with its own Content-Type', async () => {
    const { fetchMock } = stubFetch({ 'POST /api/v1/media/images': () => emptyResponse(204) })
    const file = new Blob(['x'], { type: 'image/png' })
    await uploadImage(file)
    const init = fetchMock.mock.calls[0]![1] as RequestInit
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('image/png')
    expect(init.body).toBe(file)
  })
})
