/**
 * `/api/v1/shop/*`: 公益商城 (contract: docs/api-shop.md). Products and orders are addressed by
 * public ids; anything not the caller's answers 404 as if absent. Money is integer fen.
 */
import { http } from './client'
import type { Image } from './media'

export type PublicId = string

export const CATEGORIES = ['handmade', 'souvenir', 'books', 'other'] as const
export type Category = (typeof CATEGORIES)[number]

export const DONATION_KINDS = ['fixed', 'percent', 'all'] as const
export type DonationKind = (typeof DONATION_KINDS)[number]

/** `fixed`: fen (0..price); `percent`: 1..100, rounded down to the fen; `all`: value ignored. */
export interface Donation {
  kind: DonationKind
  value: number
}

export type ProductStatus = 'pending_approval' | 'approved' | 'rejected' | 'withdrawn'

export interface OrgRef {
  id: number
  name: string
}

export interface Product {
  id: PublicId
  org: OrgRef
  title: string
  /** Markdown as the seller typed it. */
  description: string
  /** Sanitised HTML rendered by the server from `description`; absent on older servers. */
  description_html?: string
  photos?: Image[]
  category: Category
  price_fen: number
  donation: Donation
  donation_fen: number
  goods_value_fen: number
  stock: number
  status: ProductStatus
  review_note: string | null
  created_at_ms: number
  updated_at_ms: number
}

export interface Fundraiser {
  name: string
  credit_code: string
  fund_name: string
}

export interface FundPurposeRef {
  id: number
  name: string
  filing_no: string
}

/** One product's page: the fundraiser of record and the purpose receiving the donation parts. */
export interface ProductDetail extends Product {
  fundraiser?: Fundraiser
  fund_purpose?: FundPurposeRef
}

export interface ProductQuery {
  category?: Category
  org_id?: number
  min_price_fen?: number
  max_price_fen?: number
  q?: string
  /** `pending_approval`: every organisation's listings waiting for review (fund admins only). */
  status?: 'approved' | 'pending_approval'
}

export interface ProductPage {
  products: Product[]
  next_cursor: PublicId | null
}

export interface ProductInput {
  org_id: number
  title: string
  description: string
  category: Category
  price_fen: number
  stock: number
  donation: Donation
  /** ≤ 9 uploaded image ids; ignored by servers without photos. */
  photo_ids?: string[]
}

export type ProductEdit = Partial<Pick<ProductInput, 'title' | 'description' | 'category' | 'price_fen' | 'donation' | 'photo_ids'>>

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'ready_for_pickup'
  | 'shipped'
  | 'completed'
  | 'cancelled'
  | 'expired'
  | 'refunded'

export interface OrderItem {
  product_id: PublicId
  org: OrgRef
  title: string
  quantity: number
  unit_price_fen: number
  unit_donation_fen: number
  total_fen: number
  donation_fen: number
  /** How many of `quantity` went back in refunds so far. */
  refunded_quantity: number
}

export interface PickupVenue {
  id: number
  name: string
  address: string
}

export interface DeliveryDetails {
  name: string
  phone: string
  address: string
}

export type Fulfilment =
  | { kind: 'pickup'; venue: PickupVenue; carrier?: string | null; tracking_no?: string | null }
  | { kind: 'delivery'; delivery: DeliveryDetails; delivery_masked: boolean; carrier?: string | null; tracking_no?: string | null }

export interface Order {
  id: PublicId
  status: OrderStatus
  total_fen: number
  donation_fen: number
  goods_value_fen: number
  receipt_no: string | null
  /** What went back in refunds so far (of lines, or all that was left). */
  refunded_fen: number
  items: OrderItem[]
  /** Shipping details (`carrier`, `tracking_no`) come inside it. */
  fulfilment: Fulfilment
  /** The buyer only, once paid. */
  pickup_code?: string | null
  /** Everyone but the buyer: the buyer's name masked. */
  buyer?: string
  payment: { id: PublicId; status: 'created' | 'paid' | 'closed' | 'refunded' }
  created_at_ms: number
  expires_at_ms: number
  paid_at_ms: number | null
  shipped_at_ms: number | null
  completed_at_ms: number | null
  closed_at_ms: number | null
}

export type FulfilmentRequest =
  | { kind: 'pickup'; venue_id: number }
  | { kind: 'delivery'; name: string; phone: string; address: string }

export interface OrderRequest {
  items: { product_id: PublicId; quantity: number }[]
  fulfilment: FulfilmentRequest
  anonymous: boolean
}

export interface CheckoutPayment {
  id: PublicId
  pay_url: string
  return_url?: string
}

export interface OrderCreated {
  order: Pick<Order, 'id' | 'status' | 'total_fen' | 'donation_fen' | 'goods_value_fen' | 'expires_at_ms'>
  payment: CheckoutPayment
}

export interface OrderPage {
  orders: Order[]
  next_cursor: PublicId | null
}

const enc = (value: string | number) => encodeURIComponent(String(value))

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value))
    }
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

/** Approved listings, newest first; pass `next_cursor` as `before` for the next page. */
export function listProducts(filters: ProductQuery, before: PublicId | null, limit: number): Promise<ProductPage> {
  return http.get<ProductPage>(`/shop/products${query({ ...filters, before, limit })}`)
}

export function getProduct(id: PublicId): Promise<{ product: ProductDetail }> {
  return http.get<{ product: ProductDetail }>(`/shop/products/${enc(id)}`)
}

/** Staff of `org_id` → 201 with `status: "pending_approval"`. */
export function createProduct(body: ProductInput): Promise<{ product: Product }> {
  return http.post<{ product: Product }>('/shop/products', body)
}

/** Back to `pending_approval`; 409 `shop.product_withdrawn`. */
export function editProduct(id: PublicId, body: ProductEdit): Promise<{ product: Product }> {
  return http.patch<{ product: Product }>(`/shop/products/${enc(id)}`, body)
}

export function restockProduct(id: PublicId, quantity: number): Promise<{ product: Product }> {
  return http.post<{ product: Product }>(`/shop/products/${enc(id)}/restock`, { quantity })
}

export function withdrawProduct(id: PublicId): Promise<{ product: Product }> {
  return http.post<{ product: Product }>(`/shop/products/${enc(id)}/withdraw`)
}

/** Every state of an organisation's listings (its staff and fund admins), newest first, by `next_cursor` as `before`. */
export function listOrgProducts(orgId: number, before: PublicId | null = null, limit = 50): Promise<ProductPage> {
  return http.get<ProductPage>(`/shop/orgs/${enc(orgId)}/products${query({ before, limit })}`)
}

/** Fund admins, from `pending_approval` only (409 `shop.product_not_pending`). */
export function approveProduct(id: PublicId, reason?: string): Promise<{ product: Product }> {
  return http.post<{ product: Product }>(`/shop/products/${enc(id)}/approve`, reason ? { reason } : {})
}

export function rejectProduct(id: PublicId, reason: string): Promise<{ product: Product }> {
  return http.post<{ product: Product }>(`/shop/products/${enc(id)}/reject`, { reason })
}

/**
 * Reserves the stock of every line or nothing: 409 `shop.sold_out` / `shop.not_on_sale` with
 * `product_id` in the error. The same key and body answer the same order.
 */
export function createOrder(body: OrderRequest, idempotencyKey: string): Promise<OrderCreated> {
  return http.post<OrderCreated>('/shop/orders', body, { headers: { 'Idempotency-Key': idempotencyKey } })
}

export function getOrder(id: PublicId): Promise<{ order: Order }> {
  return http.get<{ order: Order }>(`/shop/orders/${enc(id)}`)
}

/** My orders, newest first; pass `next_cursor` as `before` for the next page. */
export function listMyOrders(before: PublicId | null = null, limit = 50): Promise<OrderPage> {
  return http.get<OrderPage>(`/shop/orders${query({ before, limit })}`)
}

/** Orders holding the organisation's products (its staff), newest first, by `next_cursor` as `before`. */
export function listOrgOrders(orgId: number, before: PublicId | null = null, limit = 50): Promise<OrderPage> {
  return http.get<OrderPage>(`/shop/orgs/${enc(orgId)}/orders${query({ before, limit })}`)
}

/** The buyer, while `pending_payment`; 409 `shop.order_not_cancellable` if paid meanwhile. */
export function cancelOrder(id: PublicId): Promise<{ order: Order }> {
  return http.post<{ order: Order }>(`/shop/orders/${enc(id)}/cancel`)
}

/** Seller staff, a paid delivery order → `shipped`. */
export function shipOrder(id: PublicId, carrier: string, trackingNo: string): Promise<{ order: Order }> {
  return http.post<{ order: Order }>(`/shop/orders/${enc(id)}/ship`, { carrier, tracking_no: trackingNo })
}

export function completeOrder(id: PublicId): Promise<{ order: Order }> {
  return http.post<{ order: Order }>(`/shop/orders/${enc(id)}/complete`)
}

/** Part of the lines to refund: `quantity` of what is left of the line of `product_id`. */
export interface RefundLine {
  product_id: PublicId
  quantity: number
}

/**
 * Without `items`, all that is left of the order goes back (fund admins, or staff of every seller
 * in it) and it becomes `refunded`. With `items`, those quantities of those lines (fund admins, or
 * staff of the sellers of every line named) under `idempotencyKey`: the same key again answers
 * the same refund, never a second one. 409 `shop.order_not_refundable` unless paid,
 * `shop.refund_too_many` (field `items[i].quantity`) beyond what is left of a line.
 */
export function refundOrder(id: PublicId, reason: string): Promise<{ order: Order }>
export function refundOrder(id: PublicId, reason: string, items: RefundLine[], idempotencyKey: string): Promise<{ order: Order }>
export function refundOrder(id: PublicId, reason: string, items?: RefundLine[], idempotencyKey?: string): Promise<{ order: Order }> {
  const path = `/shop/orders/${enc(id)}/refund`
  if (items === undefined || idempotencyKey === undefined) {
    return http.post<{ order: Order }>(path, { reason })
  }
  return http.post<{ order: Order }>(path, { reason, items }, { headers: { 'Idempotency-Key': idempotencyKey } })
}

/** Seller staff confirm a pickup code → the order `completed`; 404 `shop.pickup_not_found`, 409 `shop.pickup_used`. */
export function confirmPickup(code: string): Promise<{ order: Order }> {
  return http.post<{ order: Order }>('/shop/pickups', { code })
}

/** The buyer's pickup code as a QR code (SVG), for an `<img>`. */
export function pickupQrUrl(orderId: PublicId): string {
  return `/api/v1/shop/orders/${enc(orderId)}/pickup-qr.svg`
}
