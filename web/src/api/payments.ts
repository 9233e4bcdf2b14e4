/**
 * `/api/v1/payments/*`: a payment order and the sandbox provider's pay/cancel (docs/api-fund.md).
 * A payment answers its payer only: a signed-in payer by their session, a guest by the access
 * token their pay link carries (`token`, null when signed in); anyone else gets 404
 * `payment_not_found`.
 */
import { http } from './client'
import { type PublicId, withToken } from './fund'

export type PaymentStatus = 'created' | 'paid' | 'closed' | 'refunded'

export interface Payment {
  id: PublicId
  provider: string
  status: PaymentStatus
  amount_fen: number
  description: string
  /** The provider's pay page inside this app, "/pay/sandbox/{id}" (with `?token=` for a guest). */
  pay_url: string
  /** Where the payer goes afterwards, "/fund/donations/{id}" (with the same `?token=` for a guest). */
  return_url: string
  created_at_ms: number
  paid_at_ms: number | null
}

const enc = (value: string) => encodeURIComponent(value)

export function getPayment(id: PublicId, token: string | null): Promise<{ payment: Payment }> {
  return http.get<{ payment: Payment }>(withToken(`/payments/${enc(id)}`, token))
}

/**
 * The sandbox marks its order paid and notifies the server, as a real provider would. 404 when
 * the sandbox is not configured (or the payment is not the caller's); 409 `payment_not_payable`.
 */
export function paySandbox(id: PublicId, token: string | null): Promise<{ payment: Payment }> {
  return http.post<{ payment: Payment }>(withToken(`/payments/sandbox/${enc(id)}/pay`, token))
}

/** 200 with status `closed`. */
export function cancelSandbox(id: PublicId, token: string | null): Promise<{ payment: Payment }> {
  return http.post<{ payment: Payment }>(withToken(`/payments/sandbox/${enc(id)}/cancel`, token))
}
