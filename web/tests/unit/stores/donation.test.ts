import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DonateRequest } from '@/api/fund'
import { useAuthStore } from '@/stores/auth'
import { newIdempotencyKey, POLL_INTERVAL_MS, useDonationStore } from '@/stores/donation'
import { DONATION_ID, donation, payment, TOKEN } from '../support/fund'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

const body: DonateRequest = { amount_fen: 2000, purpose_id: null, anonymous: true, message: null, donor_name: null }
const created = {
  donation: donation(),
  payment: payment(),
}
/** The donation's URL as its guest donor calls it: with their access token. */
const guestUrl = `/api/v1/fund/donations/${DONATION_ID}`

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.useRealTimers()
})

describe('donation store: creating a donation', () => {
  it('sends the body with an Idempotency-Key of 8–64 characters', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/fund/donations': jsonResponse(201, created) })
    const result = await useDonationStore().donate(body)
    expect(result).toEqual({ ok: true, value: created })
    expect(requests[0]?.body).toEqual(body)
    expect(requests[0]?.headers['content-type']).toBe('application/json')
    const key = requests[0]?.headers['idempotency-key'] ?? ''
    expect(key.length).toBeGreaterThanOrEqual(8)
    expect(key.length).toBeLessThanOrEqual(64)
  })

  it('resends the same key when the same form is retried after a failure', async () => {
    let attempt = 0
    const { requests } = stubFetch({
      'POST /api/v1/fund/donations': () => (++attempt === 1 ? Promise.reject(new TypeError('connection reset')) : jsonResponse(201, created)),
    })
    const store = useDonationStore()
    expect((await store.donate(body)).ok).toBe(false)
    expect((await store.donate({ ...body })).ok).toBe(true)
    expect(requests).toHaveLength(2)
    expect(requests[1]?.headers['idempotency-key']).toBe(requests[0]?.headers['idempotency-key'])
  })

  it('sends the same key for a double tap (two requests in flight)', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/fund/donations': jsonResponse(201, created) })
    const store = useDonationStore()
    await Promise.all([store.donate(body), store.donate(body)])
    expect(requests).toHaveLength(2)
    expect(requests[0]?.headers['idempotency-key']).toBe(requests[1]?.headers['idempotency-key'])
  })

  it('uses a new key once the form changed', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/fund/donations': errorResponse(400, 'amount_out_of_range', '金额超出范围', 'amount_fen') })
    const store = useDonationStore()
    const first = await store.donate(body)
    expect(first).toMatchObject({ ok: false, error: { code: 'amount_out_of_range', field: 'amount_fen' } })
    await store.donate({ ...body, amount_fen: 5000 })
    expect(requests[1]?.headers['idempotency-key']).not.toBe(requests[0]?.headers['idempotency-key'])
  })

  it('uses a new key for the next donation after one was created', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/fund/donations': jsonResponse(201, created) })
    const store = useDonationStore()
    await store.donate(body)
    await store.donate(body)
    expect(requests[1]?.headers['idempotency-key']).not.toBe(requests[0]?.headers['idempotency-key'])
    expect(store.current?.id).toBe(DONATION_ID)
  })

  it('makes UUID-shaped keys even where crypto.randomUUID is missing (plain-HTTP pages)', () => {
    const randomUUID = globalThis.crypto.randomUUID
    try {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true })
      const a = newIdempotencyKey()
      const b = newIdempotencyKey()
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(a).not.toBe(b)
    } finally {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: randomUUID, configurable: true })
    }
  })
})

describe('donation store: following a donation', () => {
  it('polls every 1.5 s while pending, with the guest’s token, and stops when confirmed', async () => {
    vi.useFakeTimers()
    let calls = 0
    const { requests } = stubFetch({
      [`GET ${guestUrl}`]: () =>
        jsonResponse(200, {
          donation: ++calls < 3 ? donation() : donation({ status: 'confirmed', receipt_no: 'GC2026-000123', receipt_check: 'A1B2C3D4E5' }),
        }),
    })
    const store = useDonationStore()
    const outcome = store.follow(DONATION_ID, TOKEN)
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 2 + 10)
    expect(await outcome).toEqual({ ok: true, value: 'settled' })
    expect(calls).toBe(3)
    expect(requests.map((r) => r.url)).toEqual(Array(3).fill(`${guestUrl}?token=${TOKEN}`))
    expect(store.current?.receipt_no).toBe('GC2026-000123')
    expect(store.current?.receipt_check).toBe('A1B2C3D4E5')
  })

  it('sends no token for a signed-in donor (their session is the key)', async () => {
    const { requests } = stubFetch({ [`GET ${guestUrl}`]: jsonResponse(200, { donation: donation({ status: 'confirmed' }) }) })
    expect(await useDonationStore().follow(DONATION_ID, null)).toEqual({ ok: true, value: 'settled' })
    expect(requests[0]?.url).toBe(guestUrl)
  })

  it('gives up with "timeout" after about a minute of pending', async () => {
    vi.useFakeTimers()
    let calls = 0
    stubFetch({ [`GET ${guestUrl}`]: () => (calls++, jsonResponse(200, { donation: donation() })) })
    const outcome = useDonationStore().follow(DONATION_ID, TOKEN)
    await vi.advanceTimersByTimeAsync(61_000)
    expect(await outcome).toEqual({ ok: true, value: 'timeout' })
    expect(calls).toBeGreaterThanOrEqual(39)
    expect(calls).toBeLessThanOrEqual(41)
  })

  it('stops when the page aborts (leaving the page)', async () => {
    vi.useFakeTimers()
    let calls = 0
    stubFetch({ [`GET ${guestUrl}`]: () => (calls++, jsonResponse(200, { donation: donation() })) })
    const controller = new AbortController()
    const outcome = useDonationStore().follow(DONATION_ID, TOKEN, { signal: controller.signal })
    await vi.advanceTimersByTimeAsync(100)
    controller.abort()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(await outcome).toEqual({ ok: true, value: 'stopped' })
    expect(calls).toBe(1)
  })

  it('returns a settled donation at once, and "not found or not yours" (404) as an error value', async () => {
    stubFetch({ [`GET ${guestUrl}`]: jsonResponse(200, { donation: donation({ status: 'closed' }) }) })
    expect(await useDonationStore().follow(DONATION_ID, TOKEN)).toEqual({ ok: true, value: 'settled' })
    stubFetch({ [`GET ${guestUrl}`]: errorResponse(404, 'donation_not_found', '捐赠记录不存在') })
    const store = useDonationStore()
    expect(await store.follow(DONATION_ID, null)).toMatchObject({ ok: false, error: { code: 'donation_not_found', status: 404 } })
  })
})

describe('donation store: trace and my donations', () => {
  it('loads the trace with the guest’s token', async () => {
    const trace = { donation: donation({ status: 'confirmed' }), allocations: [], unallocated_fen: 2000 }
    const { requests } = stubFetch({ [`GET ${guestUrl}/trace`]: jsonResponse(200, trace) })
    const store = useDonationStore()
    expect((await store.loadTrace(DONATION_ID, TOKEN)).ok).toBe(true)
    expect(store.trace).toEqual(trace)
    expect(requests[0]?.url).toBe(`${guestUrl}/trace?token=${TOKEN}`)
  })

  it('lists my donations newest first; a 401 signs out locally', async () => {
    const auth = useAuthStore()
    stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }) })
    await auth.login({ login: 'x', password: 'y' })
    stubFetch({
      'GET /api/v1/me/donations': jsonResponse(200, {
        donations: [donation({ id: 'olderolderolderolder', created_at_ms: 1 }), donation({ id: 'newernewernewernewer', created_at_ms: 5 })],
      }),
    })
    const store = useDonationStore()
    await store.loadMine()
    expect(store.mine.map((d) => d.id)).toEqual(['newernewernewernewer', 'olderolderolderolder'])
    stubFetch({ 'GET /api/v1/me/donations': errorResponse(401, 'unauthenticated', '请先登录') })
    expect((await store.loadMine()).ok).toBe(false)
    expect(auth.isLoggedIn).toBe(false)
  })
})
