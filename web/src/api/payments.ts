/**
 * `/api/v1/payments/*`: a payment order, the real providers' checkout (WeChat Pay, Alipay), the
 * payer's cancel and "I paid" check, and the sandbox provider's pay/cancel (docs/api-fund.md).
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
  /** The provider's pay page inside this app, "/pay/{provider}/{id}" (with `?token=` for a guest). */
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

/** Where the pay page is: inside WeChat ("jsapi"), another mobile browser ("h5"). */
export type PayScene = 'jsapi' | 'h5'

/** What the browser does next: go to the provider's page, or open WeChat's payment sheet. */
export type PayAction =
  | { type: 'redirect'; url: string }
  | {
      type: 'jsapi'
      /** getBrandWCPayRequest's parameters, signed by the server. */
      params: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string }
    }

/**
 * Opens the order at the payment's provider for the scene the page is in. 422 `openid_required`
 * (WeChat Pay inside WeChat before the payer's WeChat identity is known), 422 `alipay_in_wechat`,
 * 409 `payment_not_payable`, 503 `provider_unavailable`.
 */
export function checkout(id: PublicId, token: string | null, scene: PayScene): Promise<{ action: PayAction }> {
  return http.post<{ action: PayAction }>(withToken(`/payments/${enc(id)}/checkout`, token), { scene })
}

/** The payer gives up: closed at the provider first, then here (200, status `closed`). */
export function cancelPayment(id: PublicId, token: string | null): Promise<{ payment: Payment }> {
  return http.post<{ payment: Payment }>(withToken(`/payments/${enc(id)}/cancel`, token))
}

/** "I paid": asks the provider now and confirms the payment if it was paid. */
export function queryPayment(id: PublicId, token: string | null): Promise<{ payment: Payment }> {
  return http.post<{ payment: Payment }>(withToken(`/payments/${enc(id)}/query`, token))
}
