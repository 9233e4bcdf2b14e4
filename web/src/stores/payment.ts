/**
 * A payment order: show it, open it at its provider for the scene the pay page is in (WeChat
 * Pay's sheet or H5 page, Alipay's page), ask the provider whether it was paid, cancel it, or,
 * at the sandbox provider, pay it. Every call takes the
 * guest's access token from their pay link (null when signed in): a payment answers its payer
 * only, anyone else gets 404 `payment_not_found`.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as paymentsApi from '@/api/payments'
import { attempt, ok, type Result } from './result'

export type { PayAction, Payment, PayScene, PaymentStatus } from '@/api/payments'

/**
 * Only a path inside this app is followed after paying (`/fund/donations/{id}?token=…`); anything else
 * (another site, `//host`) falls back to the fund page, so a forged order cannot redirect away.
 */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
    ? value
    : '/fund'
}

/**
 * A provider's pay link the server handed back: an https page (WeChat Pay's H5 page, Alipay's
 * gateway), or one of our own paths; anything else (`javascript:`, `//host`) is not followed.
 * Plain http is accepted for this machine only (the tests' provider doubles).
 */
export function safeProviderUrl(value: string): string | null {
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) {
    return value
  }
  try {
    const url = new URL(value)
    const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
    // The link as given: a signed query string must reach the provider byte for byte.
    return url.protocol === 'https:' || (url.protocol === 'http:' && local) ? value : null
  } catch {
    return null
  }
}

export const usePaymentStore = defineStore('payment', () => {
  const payment = ref<paymentsApi.Payment | null>(null)
  /** Whether a pay/cancel request is in flight: a second tap must not send another. */
  const busy = ref(false)

  async function load(id: string, token: string | null): Promise<Result> {
    const result = await attempt(() => paymentsApi.getPayment(id, token))
    if (!result.ok) {
      return result
    }
    payment.value = result.value.payment
    return ok()
  }

  const calls = { pay: paymentsApi.paySandbox, cancel: paymentsApi.cancelPayment, query: paymentsApi.queryPayment }

  async function settle(id: string, token: string | null, action: keyof typeof calls): Promise<Result<paymentsApi.Payment>> {
    busy.value = true
    const result = await attempt(() => calls[action](id, token))
    busy.value = false
    if (!result.ok) {
      return result
    }
    payment.value = result.value.payment
    return ok(result.value.payment)
  }

  /** What the browser does next to pay at the provider; the page follows it. */
  async function checkout(id: string, token: string | null, scene: paymentsApi.PayScene): Promise<Result<paymentsApi.PayAction>> {
    busy.value = true
    const result = await attempt(() => paymentsApi.checkout(id, token, scene))
    busy.value = false
    return result.ok ? ok(result.value.action) : result
  }

  return {
    payment,
    busy,
    load,
    checkout,
    /** The sandbox marks its order paid (sandbox only). */
    pay: (id: string, token: string | null) => settle(id, token, 'pay'),
    cancel: (id: string, token: string | null) => settle(id, token, 'cancel'),
    /** "I paid": the provider is asked now. */
    query: (id: string, token: string | null) => settle(id, token, 'query'),
  }
})
