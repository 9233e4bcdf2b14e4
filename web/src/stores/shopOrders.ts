/**
 * 公益商城 for the buyer: checkout (one `Idempotency-Key` per attempt, the same key on a retry of
 * the same body, so a double tap or a lost answer never makes two orders), 我的订单, one order
 * (buyer, seller staff and fund admins read the same page), cancelling it while unpaid.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as shopApi from '@/api/shop'
import { useAuthStore } from './auth'
import { newIdempotencyKey } from './donation'
import { attempt, ok, type Result } from './result'

export type { FulfilmentRequest, OrderCreated, OrderRequest } from '@/api/shop'

/** Re-exported for pages, which never import `api/`. */
export const pickupQrUrl = shopApi.pickupQrUrl

/** Statuses in which an order still moves on; the others are final. */
export const OPEN_STATUSES: readonly shopApi.OrderStatus[] = ['pending_payment', 'paid', 'ready_for_pickup', 'shipped']

/** The product a `shop.sold_out` / `shop.not_on_sale` error names, or null. */
export function soldOutProduct(error: { code: string; details?: Readonly<Record<string, unknown>> }): string | null {
  if (error.code !== 'shop.sold_out' && error.code !== 'shop.not_on_sale') {
    return null
  }
  const id = error.details?.product_id
  return typeof id === 'string' ? id : null
}

export const useShopOrdersStore = defineStore('shopOrders', () => {
  const auth = useAuthStore()
  const mine = ref<shopApi.Order[]>([])
  const current = ref<shopApi.Order | null>(null)
  /** The key of the checkout being attempted, with the body it was made for. */
  let checkoutKey: { body: string; key: string } | null = null

  async function run<T>(call: () => Promise<T>): Promise<Result<T>> {
    const result = await attempt(call)
    if (!result.ok && result.error.status === 401) {
      auth.clear()
    }
    return result
  }

  /**
   * Creates the order. The same body keeps its key until the server made the order, so a retry
   * after a network failure answers the same order; a changed cart is a new attempt.
   */
  async function checkout(body: shopApi.OrderRequest): Promise<Result<shopApi.OrderCreated>> {
    const fingerprint = JSON.stringify(body)
    if (checkoutKey === null || checkoutKey.body !== fingerprint) {
      checkoutKey = { body: fingerprint, key: newIdempotencyKey() }
    }
    const key = checkoutKey.key
    const result = await run(() => shopApi.createOrder(body, key))
    if (result.ok) {
      checkoutKey = null
    }
    return result
  }

  async function load(id: string): Promise<Result<shopApi.Order>> {
    if (current.value?.id !== id) {
      current.value = null
    }
    const result = await run(() => shopApi.getOrder(id))
    if (!result.ok) {
      return result
    }
    current.value = result.value.order
    return ok(result.value.order)
  }

  async function loadMine(): Promise<Result> {
    const result = await run(() => shopApi.listMyOrders())
    if (!result.ok) {
      return result
    }
    mine.value = result.value.orders
    return ok()
  }

  /** The server's answer to an order action replaces `current` (and the line in 我的订单). */
  async function orderAction(call: () => Promise<{ order: shopApi.Order }>): Promise<Result> {
    const result = await run(call)
    if (!result.ok) {
      return result
    }
    const order = result.value.order
    if (current.value === null || current.value.id === order.id) {
      current.value = order
    }
    mine.value = mine.value.map((o) => (o.id === order.id ? order : o))
    return ok()
  }

  /** Cancels an unpaid order (the server closes its payment first). */
  const cancel = (id: string) => orderAction(() => shopApi.cancelOrder(id))
  /** The buyer confirms receipt of a shipped order. */
  const complete = (id: string) => orderAction(() => shopApi.completeOrder(id))

  return { mine, current, checkout, load, loadMine, cancel, complete }
})
