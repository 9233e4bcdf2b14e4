/** `/api/v1/payments/*`: a payment order and the sandbox provider's pay/cancel (docs/api-fund.md). */
import { http } from './client'

export type PaymentStatus = 'created' | 'paid' | 'closed' | 'refunded'

export interface Payment {
  id: number
  provider: string
  status: PaymentStatus
  amount_fen: number
  description: string
  /** Where the payer goes afterwards, e.g. "/fund/donations/7" (a path inside this app). */
  return_url: string
}

const enc = (value: number) => encodeURIComponent(String(value))

export function getPayment(id: number): Promise<{ payment: Payment }> {
  return http.get<{ payment: Payment }>(`/payments/${enc(id)}`)
}

/** The sandbox marks its order paid and notifies the server, as a real provider would. */
export function paySandbox(id: number): Promise<{ payment: Payment }> {
  return http.post<{ payment: Payment }>(`/payments/sandbox/${enc(id)}/pay`)
}

/** 200 with status `closed`. */
export function cancelSandbox(id: number): Promise<{ payment: Payment }> {
  return http.post<{ payment: Payment }>(`/payments/sandbox/${enc(id)}/cancel`)
}
