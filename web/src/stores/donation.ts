/**
 * Giving to the Care Fund: creating a donation (with an idempotency key), following its status
 * until the payment confirms it, where its money went, and the donor's own list.
 *
 * A donation answers its donor only: a signed-in donor by their session, a guest by the access
 * token their pay and return links carry. Every call about one donation takes that `token` (null
 * when signed in); anyone else gets 404 `donation_not_found` (`isNotFound` in result.ts).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as fundApi from '@/api/fund'
import { useAuthStore } from './auth'
import { attempt, fail, ok, type Result } from './result'

export type { Donation, DonateRequest, DonateResponse, DonationTrace, DonationStatus } from '@/api/fund'

export const POLL_INTERVAL_MS = 1_500
export const POLL_LIMIT_MS = 60_000

/** How following a pending donation ended. */
export type PollOutcome = 'settled' | 'timeout' | 'stopped'

/**
 * A random key of 36 characters. `crypto.randomUUID` exists only in secure contexts (HTTPS or
 * localhost); a WeChat page over plain HTTP still has `getRandomValues`.
 */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto
  if (typeof c.randomUUID === 'function') {
    return c.randomUUID()
  }
  const bytes = c.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        done()
      },
      { once: true },
    )
  })
}

export const useDonationStore = defineStore('donation', () => {
  const auth = useAuthStore()
  const current = ref<fundApi.Donation | null>(null)
  const trace = ref<fundApi.DonationTrace | null>(null)
  const mine = ref<fundApi.Donation[]>([])

  /**
   * One donate attempt = one key. The key is kept while the request body stays the same, so a
   * double tap or a retry after a lost response resends the same key and the server answers
   * with the same donation; changing anything in the form starts a new attempt.
   */
  let attemptKey: { body: string; key: string } | null = null

  function keyFor(body: fundApi.DonateRequest): string {
    const fingerprint = JSON.stringify(body)
    if (attemptKey === null || attemptKey.body !== fingerprint) {
      attemptKey = { body: fingerprint, key: newIdempotencyKey() }
    }
    return attemptKey.key
  }

  /** Forgets the current attempt's key (a new donation will get a new one). */
  function resetAttempt(): void {
    attemptKey = null
  }

  async function donate(body: fundApi.DonateRequest): Promise<Result<fundApi.DonateResponse>> {
    const key = keyFor(body)
    const result = await attempt(() => fundApi.createDonation(body, key))
    if (result.ok) {
      // Created: whatever is submitted next is a new donation.
      resetAttempt()
      current.value = result.value.donation
    }
    return result
  }

  async function load(id: string, token: string | null): Promise<Result<fundApi.Donation>> {
    const result = await attempt(() => fundApi.getDonation(id, token))
    if (!result.ok) {
      return result
    }
    current.value = result.value.donation
    return ok(result.value.donation)
  }

  /**
   * Loads the donation and, while it is `pending`, reloads it every `intervalMs` until its status
   * changes ('settled'), `limitMs` passes ('timeout') or `signal` aborts ('stopped'). A failed
   * request ends the poll with that error.
   */
  async function follow(
    id: string,
    token: string | null,
    options: { intervalMs?: number; limitMs?: number; signal?: AbortSignal } = {},
  ): Promise<Result<PollOutcome>> {
    const intervalMs = options.intervalMs ?? POLL_INTERVAL_MS
    const limitMs = options.limitMs ?? POLL_LIMIT_MS
    const started = Date.now()
    for (;;) {
      if (options.signal?.aborted) {
        return ok('stopped')
      }
      const result = await load(id, token)
      if (!result.ok) {
        return fail(result.error)
      }
      if (result.value.status !== 'pending') {
        return ok('settled')
      }
      if (Date.now() - started + intervalMs > limitMs) {
        return ok('timeout')
      }
      await sleep(intervalMs, options.signal)
    }
  }

  async function loadTrace(id: string, token: string | null): Promise<Result> {
    const result = await attempt(() => fundApi.getDonationTrace(id, token))
    if (!result.ok) {
      return result
    }
    trace.value = result.value
    return ok()
  }

  async function loadMine(): Promise<Result> {
    const result = await attempt(fundApi.listMyDonations)
    if (!result.ok) {
      if (result.error.status === 401) {
        auth.clear()
      }
      return result
    }
    mine.value = [...result.value.donations].sort((a, b) => b.created_at_ms - a.created_at_ms)
    return ok()
  }

  return { current, trace, mine, donate, resetAttempt, load, follow, loadTrace, loadMine }
})
