/**
 * 公益商城 for the selling organisations' staff (`org_staff`): their organisations' listings in
 * every state (create, edit, restock, withdraw, photos), their orders (ship, refund in full or
 * line by line, complete) and pickup confirmation; and for fund admins the review of pending
 * listings. The three lists are paged by cursor (`cursorPages`); an action's answer replaces its
 * item wherever the list has got to.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { uploadImage } from '@/api/media'
import * as shopApi from '@/api/shop'
import { attemptSignedIn, signedOutOn401, useAuthStore } from './auth'
import { cursorPages } from './cursorPages'
import { newIdempotencyKey } from './donation'
import { ok, type Result } from './result'
import { SHOP_PAGE_SIZE } from './shop'

export type { RefundLine } from '@/api/shop'

/** Statuses from which the server refunds an order in full (paid and not yet completed). */
const REFUNDABLE: readonly shopApi.OrderStatus[] = ['paid', 'ready_for_pickup', 'shipped']

/** Whether every line of the order is goods of one of `orgIds` (the server's rule for seller staff). */
export function whollyOf(order: Pick<shopApi.Order, 'items'>, orgIds: readonly number[]): boolean {
  return order.items.length > 0 && order.items.every((item) => orgIds.includes(item.org.id))
}

/**
 * What staff may do to an order, as docs/api-shop.md rules it: seller staff ship, complete and
 * refund only orders wholly of their organisations' goods (one seller never acts on another's);
 * fund admins refund any paid order (an order of several sellers only by them).
 */
export function orderPermissions(
  order: Pick<shopApi.Order, 'items' | 'status' | 'fulfilment'>,
  who: { orgIds: readonly number[]; fundAdmin: boolean },
): { ship: boolean; complete: boolean; refund: boolean } {
  const seller = whollyOf(order, who.orgIds)
  return {
    ship: seller && order.status === 'paid' && order.fulfilment.kind === 'delivery',
    complete: seller && order.status === 'shipped',
    refund: (seller || who.fundAdmin) && REFUNDABLE.includes(order.status),
  }
}

/** What of a line is still to refund. */
export function leftToRefund(item: Pick<shopApi.OrderItem, 'quantity' | 'refunded_quantity'>): number {
  return item.quantity - item.refunded_quantity
}

/**
 * The lines of an order `who` may refund part of, those with something left: fund admins any
 * line, seller staff the lines of their own organisations — one seller gives back its own goods
 * in an order it shares with another (docs/api-shop.md). Refunding all that is left of the order
 * at once stays `orderPermissions(…).refund`.
 */
export function refundableLines(
  order: Pick<shopApi.Order, 'items' | 'status'>,
  who: { orgIds: readonly number[]; fundAdmin: boolean },
): shopApi.OrderItem[] {
  if (!REFUNDABLE.includes(order.status)) {
    return []
  }
  return order.items.filter((item) => leftToRefund(item) > 0 && (who.fundAdmin || who.orgIds.includes(item.org.id)))
}

/** What refunding `items` of `order` gives back, in fen (unit price × quantity). */
export function refundFen(order: Pick<shopApi.Order, 'items'>, items: readonly shopApi.RefundLine[]): number {
  return items.reduce((sum, line) => {
    const item = order.items.find((i) => i.product_id === line.product_id)
    return sum + (item === undefined ? 0 : item.unit_price_fen * line.quantity)
  }, 0)
}

/**
 * The product of the line a refused line refund names (`items[i].quantity`, `items[i].product_id`:
 * `i` counts the lines sent, not the order's), or null when the error names no line.
 */
export function refusedLine(field: string | null, items: readonly shopApi.RefundLine[]): string | null {
  const at = field === null ? null : /^items\[(\d+)\]\./.exec(field)
  return at === null ? null : (items[Number(at[1])]?.product_id ?? null)
}

export const useShopStaffStore = defineStore('shopStaff', () => {
  const auth = useAuthStore()
  const orgs = computed(() => auth.staffOrgs)
  const productList = cursorPages(async (filters: { org: number }, cursor) => {
    const page = await shopApi.listOrgProducts(filters.org, cursor, SHOP_PAGE_SIZE)
    return { items: page.products, next_cursor: page.next_cursor }
  })
  const orderList = cursorPages(async (filters: { org: number }, cursor) => {
    const page = await shopApi.listOrgOrders(filters.org, cursor, SHOP_PAGE_SIZE)
    return { items: page.orders, next_cursor: page.next_cursor }
  })
  /** Listings waiting for a fund admin, across organisations, newest first (as the server lists them). */
  const pendingList = cursorPages(async (_: Record<string, never>, cursor) => {
    const page = await shopApi.listProducts({ status: 'pending_approval' }, cursor, SHOP_PAGE_SIZE)
    return { items: page.products, next_cursor: page.next_cursor }
  })
  const products = productList.items
  const orders = orderList.items
  const pending = pendingList.items
  /** The organisation `products` and `orders` are listed for. */
  const orgId = ref<number | null>(null)

  const fundAdmin = computed(() => auth.user?.roles.some((grant) => grant.role === 'fund_admin') ?? false)
  const who = computed(() => ({ orgIds: orgs.value.map((o) => o.id), fundAdmin: fundAdmin.value }))
  const canShip = (order: shopApi.Order) => orderPermissions(order, who.value).ship
  const canComplete = (order: shopApi.Order) => orderPermissions(order, who.value).complete
  const canRefund = (order: shopApi.Order) => orderPermissions(order, who.value).refund
  const linesToRefund = (order: shopApi.Order) => refundableLines(order, who.value)
  /**
   * The key of each order's line refund being attempted, kept until the server made that refund:
   * a retry after a lost answer (or a refusal such as `refund_under_way` while the first request
   * is still being made) is the same refund, even with the lines changed meanwhile — the server
   * then answers `idempotency_key_reused` rather than refund twice, and that ends the attempt too.
   */
  const refundKeys = new Map<string, string>()

  const run = attemptSignedIn

  /** Starts `org`'s listings again from the first page (the page then asks for it with `loadMoreProducts`). */
  function setProductsOrg(org: number): void {
    orgId.value = org
    productList.setQuery({ org })
  }

  /** Starts `org`'s orders again from the first page (the page then asks for it with `loadMoreOrders`). */
  function setOrdersOrg(org: number): void {
    orgId.value = org
    orderList.setQuery({ org })
  }

  const loadMoreProducts = async () => signedOutOn401(await productList.loadMore())
  const loadMoreOrders = async () => signedOutOn401(await orderList.loadMore())

  /** Replaces a listing in `products` with the server's answer. */
  async function productAction(call: () => Promise<{ product: shopApi.Product }>): Promise<Result<shopApi.Product>> {
    const result = await run(call)
    if (!result.ok) {
      return result
    }
    const product = result.value.product
    products.value = products.value.map((p) => (p.id === product.id ? product : p))
    return ok(product)
  }

  const createProduct = (body: shopApi.ProductInput) => run(() => shopApi.createProduct(body))
  const editProduct = (id: string, body: shopApi.ProductEdit) => productAction(() => shopApi.editProduct(id, body))
  const restock = (id: string, quantity: number) => productAction(() => shopApi.restockProduct(id, quantity))
  const withdraw = (id: string) => productAction(() => shopApi.withdrawProduct(id))
  /** A listing of theirs in any state (the public page answers staff too). */
  const loadProduct = (id: string) => run(() => shopApi.getProduct(id))
  const upload = (file: Blob) => run(() => uploadImage(file))

  /** Replaces an order in `orders` with the server's answer. */
  async function orderAction(call: () => Promise<{ order: shopApi.Order }>): Promise<Result> {
    const result = await run(call)
    if (!result.ok) {
      return result
    }
    const order = result.value.order
    orders.value = orders.value.map((o) => (o.id === order.id ? order : o))
    return ok()
  }

  const ship = (id: string, carrier: string, trackingNo: string) => orderAction(() => shopApi.shipOrder(id, carrier, trackingNo))
  const refund = (id: string, reason: string) => orderAction(() => shopApi.refundOrder(id, reason))

  /** Refunds those quantities of those lines of the order, under one key per attempt. */
  async function refundLines(id: string, reason: string, items: shopApi.RefundLine[]): Promise<Result> {
    const key = refundKeys.get(id) ?? newIdempotencyKey()
    refundKeys.set(id, key)
    const result = await orderAction(() => shopApi.refundOrder(id, reason, items, key))
    if (result.ok || result.error.code === 'idempotency_key_reused') {
      refundKeys.delete(id)
    }
    if (!result.ok && result.error.status === 409) {
      // The order changed meanwhile (another refund, the same key's refund, all refunded):
      // show it as it is now, so the steppers offer what is really left. The refusal stays.
      await orderAction(() => shopApi.getOrder(id))
    }
    return result
  }
  const complete = (id: string) => orderAction(() => shopApi.completeOrder(id))

  /** Confirms a pickup code (scanned or typed) → the order, now `completed`. */
  async function confirmPickup(code: string): Promise<Result<shopApi.Order | undefined>> {
    const result = await run(() => shopApi.confirmPickup(code.trim()))
    return result.ok ? ok(result.value?.order) : result
  }

  /** Fund admins: starts the listings waiting for review again from the first page. */
  const restartPending = () => pendingList.setQuery({})
  const loadMorePending = async () => signedOutOn401(await pendingList.loadMore())

  async function review(id: string, approve: boolean, reason: string): Promise<Result> {
    const result = await run(() => (approve ? shopApi.approveProduct(id, reason || undefined) : shopApi.rejectProduct(id, reason)))
    if (!result.ok) {
      return result
    }
    pending.value = pending.value.filter((p) => p.id !== id)
    return ok()
  }

  return {
    orgs,
    orgId,
    products,
    orders,
    pending,
    productsFinished: productList.finished,
    ordersFinished: orderList.finished,
    pendingFinished: pendingList.finished,
    canShip,
    canComplete,
    canRefund,
    linesToRefund,
    setProductsOrg,
    setOrdersOrg,
    loadMoreProducts,
    loadMoreOrders,
    loadProduct,
    createProduct,
    editProduct,
    restock,
    withdraw,
    upload,
    ship,
    refund,
    refundLines,
    complete,
    confirmPickup,
    restartPending,
    loadMorePending,
    review,
  }
})
