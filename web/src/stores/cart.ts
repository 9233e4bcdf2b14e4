/**
 * The 公益商城 cart, on this device only: kept in localStorage per signed-in user (a guest's cart
 * lives in memory and joins the user's cart on sign-in). Each line holds what the list showed
 * (price, donation part, stock) so the cart shows totals without a request; quantities stay in
 * 1..min(stock, MAX_QUANTITY). The server decides at checkout: a line that no longer fits comes
 * back as 409 `shop.sold_out` and `bound` lowers it.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { Product } from '@/api/shop'
import { useAuthStore } from './auth'

/** The server takes 1..99 of one product per order line. */
export const MAX_QUANTITY = 99
/** …and at most 20 lines per order. */
export const MAX_LINES = 20
const STORAGE_PREFIX = 'carecity.shop.cart.'

export interface CartLine {
  product_id: string
  title: string
  org: { id: number; name: string }
  price_fen: number
  donation_fen: number
  stock: number
  thumb_url: string | null
  quantity: number
}

export type AddOutcome = 'added' | 'capped' | 'sold_out' | 'full'

function clampQuantity(quantity: number, stock: number): number {
  return Math.max(0, Math.min(Math.trunc(quantity), stock, MAX_QUANTITY))
}

function isLine(value: unknown): value is CartLine {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const line = value as Partial<CartLine>
  return (
    typeof line.product_id === 'string' &&
    typeof line.title === 'string' &&
    Number.isSafeInteger(line.price_fen) &&
    Number.isSafeInteger(line.donation_fen) &&
    Number.isSafeInteger(line.stock) &&
    Number.isSafeInteger(line.quantity) &&
    typeof line.org?.id === 'number'
  )
}

function readStorage(key: string): CartLine[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter(isLine).filter((l) => l.quantity > 0) : []
  } catch {
    return []
  }
}

export const useCartStore = defineStore('cart', () => {
  const auth = useAuthStore()
  const lines = ref<CartLine[]>([])
  /** The localStorage key of the signed-in user's cart; null for a guest. */
  let storageKey: string | null = null

  const count = computed(() => lines.value.reduce((sum, l) => sum + l.quantity, 0))
  const totalFen = computed(() => lines.value.reduce((sum, l) => sum + l.price_fen * l.quantity, 0))
  const donationFen = computed(() => lines.value.reduce((sum, l) => sum + l.donation_fen * l.quantity, 0))
  const goodsValueFen = computed(() => totalFen.value - donationFen.value)

  function save(): void {
    if (storageKey === null) {
      return
    }
    try {
      localStorage.setItem(storageKey, JSON.stringify(lines.value))
    } catch {
      // Storage full or blocked (private mode): the cart still works for this visit.
    }
  }

  /** Switches to the signed-in user's saved cart; a guest's lines join it. */
  function switchUser(userId: number | null): void {
    const guestLines = storageKey === null ? lines.value : []
    storageKey = userId === null ? null : STORAGE_PREFIX + userId
    lines.value = storageKey === null ? [] : readStorage(storageKey)
    for (const line of guestLines) {
      merge(line, line.quantity)
    }
    save()
  }

  function merge(snapshot: Omit<CartLine, 'quantity'>, quantity: number): AddOutcome {
    const existing = lines.value.find((l) => l.product_id === snapshot.product_id)
    if (existing === undefined && lines.value.length >= MAX_LINES) {
      return 'full'
    }
    const wanted = (existing?.quantity ?? 0) + quantity
    const bounded = clampQuantity(wanted, snapshot.stock)
    if (bounded === 0) {
      return 'sold_out'
    }
    const line: CartLine = { ...snapshot, quantity: bounded }
    lines.value = existing === undefined ? [...lines.value, line] : lines.value.map((l) => (l.product_id === line.product_id ? line : l))
    return bounded < wanted ? 'capped' : 'added'
  }

  /** Adds `quantity` of a product (its current price, donation part and stock). */
  function add(product: Product, quantity = 1): AddOutcome {
    const outcome = merge(
      {
        product_id: product.id,
        title: product.title,
        org: { id: product.org.id, name: product.org.name },
        price_fen: product.price_fen,
        donation_fen: product.donation_fen,
        stock: product.stock,
        thumb_url: product.photos?.[0]?.thumb_url ?? null,
      },
      quantity,
    )
    save()
    return outcome
  }

  /** Sets a line's quantity, bounded by its stock; 0 removes it. */
  function setQuantity(productId: string, quantity: number): void {
    lines.value = lines.value
      .map((l) => (l.product_id === productId ? { ...l, quantity: clampQuantity(quantity, l.stock) } : l))
      .filter((l) => l.quantity > 0)
    save()
  }

  /**
   * Records what is left of a product now (after `shop.sold_out`). The quantity stays as the
   * buyer chose it: the cart shows the line as too many, and the buyer lowers or removes it.
   */
  function setStock(productId: string, stock: number): void {
    lines.value = lines.value.map((l) => (l.product_id === productId ? { ...l, stock: Math.max(0, stock) } : l))
    save()
  }

  /** Lines asking for more than is left. */
  const overStock = computed(() => lines.value.filter((l) => l.quantity > l.stock))

  function remove(productId: string): void {
    lines.value = lines.value.filter((l) => l.product_id !== productId)
    save()
  }

  /** Empties the cart (after an order was created from it). */
  function clear(): void {
    lines.value = []
    save()
  }

  watch(() => auth.user?.id ?? null, switchUser, { immediate: true })
  // Public shop pages do not ask who is signed in; the cart must know whose it is.
  void auth.ensureLoaded()

  return { lines, count, totalFen, donationFen, goodsValueFen, overStock, add, setQuantity, setStock, remove, clear }
})
