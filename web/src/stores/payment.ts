/**
 * A payment order at the sandbox provider: show it, pay it, or cancel it. Every call takes the
 * guest's access token from their pay link (null when signed in): a payment answers its payer
 * only, anyone else gets 404 `payment_not_found`.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as paymentsApi from '@/api/payments'
import { attempt, ok, type Result } from './result'

export type { Payment, PaymentStatus } from '@/api/payments'

/**
 * Only a path inside this app is followed after paying (`/fund/donations/{id}?token=…`); anything else
 * (another site, `//host`) falls back to the fund page, so a forged order cannot redirect away.
 */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
    ? value
    : '/fund'
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

  async function settle(id: string, token: string | null, action: 'pay' | 'cancel'): Promise<Result<paymentsApi.Payment>> {
    busy.value = true
    const call = action === 'pay' ? paymentsApi.paySandbox : paymentsApi.cancelSandbox
    const result = await attempt(() => call(id, token))
    busy.value = false
    if (!result.ok) {
      return result
    }
    payment.value = result.value.payment
    return ok(result.value.payment)
  }

  return {
    payment,
    busy,
    load,
    pay: (id: string, token: string | null) => settle(id, token, 'pay'),
    cancel: (id: string, token: string | null) => settle(id, token, 'cancel'),
  }
})
