/** A payment order at the sandbox provider: show it, pay it, or cancel it. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as paymentsApi from '@/api/payments'
import { attempt, ok, type Result } from './result'

export type { Payment, PaymentStatus } from '@/api/payments'

/**
 * Only a path inside this app is followed after paying (`/fund/donations/7`); anything else
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

  async function load(id: number): Promise<Result> {
    const result = await attempt(() => paymentsApi.getPayment(id))
    if (!result.ok) {
      return result
    }
    payment.value = result.value.payment
    return ok()
  }

  async function settle(id: number, action: 'pay' | 'cancel'): Promise<Result<paymentsApi.Payment>> {
    busy.value = true
    const call = action === 'pay' ? paymentsApi.paySandbox : paymentsApi.cancelSandbox
    const result = await attempt(() => call(id))
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
    pay: (id: number) => settle(id, 'pay'),
    cancel: (id: number) => settle(id, 'cancel'),
  }
})
