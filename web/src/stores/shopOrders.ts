/**
 * 公益商城 for the buyer: checkout (one `Idempotency-Key` per attempt, the same key on a retry of
 * the same body, so a double tap or a lost answer never makes two orders), 我的订单 (paged by
 * cursor), one order (buyer, seller staff and fund admins read the same page), cancelling it while
 * unpaid.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as shopApi from '@/api/shop'
import { attemptSignedIn, signedOutOn401 } from './auth'
import { useCartStore } from './cart'
import { cursorPages } from './cursorPages'
import { newIdempotencyKey, sleep } from './donation'
import { fail, ok, type Result } from './result'
import { SHOP_PAGE_SIZE } from './shop'

export type { FulfilmentRequest, OrderCreated, OrderRequest } from '@/api/shop'

/** While an order waits for its payment, it is asked for again this often, for this long. */
export const FOLLOW_INTERVAL_MS = 3_000
export const FOLLOW_LIMIT_MS = 90_000

/** How following an unpaid order ended. */
export type FollowOutcome = 'settled' | 'timeout' | 'stopped'

/** Re-exported for pages, which never import `api/`. */
export const pickupQrUrl = shopApi.pickupQrUrl

/**
 * Whether the viewer is the order's buyer: the server names the buyer (masked) to everyone but
 * the buyer (docs/api-shop.md), so an order without `buyer` is the viewer's own.
 */
export function isBuyer(order: Pick<shopApi.Order, 'buyer'>): boolean {
  return order.buyer === undefined
}

/**
 * The donation part the order still gives after its refunds (what its reissued 捐赠票据 states):
 * each line's donation per unit for what was not refunded.
 */
export function donationKeptFen(order: Pick<shopApi.Order, 'items'>): number {
  return order.items.reduce((sum, item) => sum + item.unit_donation_fen * (item.quantity - item.refunded_quantity), 0)
}

/** The product a `shop.sold_out` / `shop.not_on_sale` error names, or null. */
export function soldOutProduct(error: { code: string; details?: Readonly<Record<string, unknown>> }): string | null {
  if (error.code !== 'shop.sold_out' && error.code !== 'shop.not_on_sale') {
    return null
  }
  const id = error.details?.product_id
  return typeof id === 'string' ? id : null
}

/** How checking out the cart ended, when the server answered with an order or a sold-out line. */
export type CheckoutOutcome =
  | { kind: 'ordered'; created: shopApi.OrderCreated }
  /** Nothing was reserved and the cart is kept; `title` is the named line's, when known. */
  | { kind: 'sold_out'; code: string; productId: string | null; title: string | null }

export const useShopOrdersStore = defineStore('shopOrders', () => {
  const myList = cursorPages(async (_: Record<string, never>, cursor) => {
    const page = await shopApi.listMyOrders(cursor, SHOP_PAGE_SIZE)
    return { items: page.orders, next_cursor: page.next_cursor }
  })
  const mine = myList.items
  const current = ref<shopApi.Order | null>(null)
  /** The key of the checkout being attempted, with the body it was made for. */
  let checkoutKey: { body: string; key: string } | null = null

  const run = attemptSignedIn

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

  /**
   * Orders the cart: its lines with the chosen fulfilment. On success the cart is emptied; a
   * sold-out (or no longer on sale) line keeps the cart and records the product's stock left
   * (0 when it is off sale or cannot be read) without changing the buyer's quantities.
   */
  async function checkoutCart(fulfilment: shopApi.FulfilmentRequest, anonymous: boolean): Promise<Result<CheckoutOutcome>> {
    const cart = useCartStore()
    const result = await checkout({
      items: cart.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity })),
      fulfilment,
      anonymous,
    })
    if (result.ok) {
      cart.clear()
      return ok({ kind: 'ordered', created: result.value })
    }
    const productId = soldOutProduct(result.error)
    if (productId === null && result.error.code !== 'shop.sold_out') {
      return fail(result.error)
    }
    const title = cart.lines.find((l) => l.product_id === productId)?.title ?? null
    if (productId !== null) {
      const fresh = await run(() => shopApi.getProduct(productId))
      cart.setStock(productId, fresh.ok && fresh.value.product.status === 'approved' ? fresh.value.product.stock : 0)
    }
    return ok({ kind: 'sold_out', code: result.error.code, productId, title })
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

  /**
   * Follows an unpaid order until its payment lands: asks for it again every `intervalMs`, one
   * request at a time, until it leaves `pending_payment` ('settled'), `limitMs` passes
   * ('timeout') or `signal` aborts ('stopped'). A poll that gets no answer is skipped and the
   * order shown stays; one the server refuses (a 4xx) ends the follow with its error.
   */
  async function follow(
    id: string,
    options: { intervalMs?: number; limitMs?: number; signal?: AbortSignal } = {},
  ): Promise<Result<FollowOutcome>> {
    const intervalMs = options.intervalMs ?? FOLLOW_INTERVAL_MS
    const limitMs = options.limitMs ?? FOLLOW_LIMIT_MS
    const started = Date.now()
    for (;;) {
      if (options.signal?.aborted) {
        return ok('stopped')
      }
      if (current.value?.id === id && current.value.status !== 'pending_payment') {
        return ok('settled')
      }
      if (Date.now() - started + intervalMs > limitMs) {
        return ok('timeout')
      }
      await sleep(intervalMs, options.signal)
      if (options.signal?.aborted) {
        return ok('stopped')
      }
      const result = await load(id)
      if (!result.ok && result.error.status !== null && result.error.status < 500) {
        return result
      }
    }
  }

  /** Starts 我的订单 again from the newest order (the page then asks for it with `loadMoreMine`). */
  const restartMine = () => myList.setQuery({})
  const loadMoreMine = async () => signedOutOn401(await myList.loadMore())

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

  return {
    mine,
    mineFinished: myList.finished,
    current,
    checkout,
    checkoutCart,
    load,
    follow,
    restartMine,
    loadMoreMine,
    cancel,
    complete,
  }
})
