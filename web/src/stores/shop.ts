/**
 * 公益商城 catalogue: the public list (filters, loaded page by page through `next_cursor`), one
 * product's page (with the fundraiser of record and the fund purpose's filing number), and the
 * pickup venues for checkout. `donationFor` is the one place the client works out a donation part.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listVenues, type Venue } from '@/api/events'
import * as shopApi from '@/api/shop'
import { cursorPages } from './cursorPages'
import { attempt, ok, type Result } from './result'

export const SHOP_PAGE_SIZE = 20

export type {
  Category,
  Donation,
  DonationKind,
  Fulfilment,
  Order,
  OrderItem,
  OrderStatus,
  Product,
  ProductDetail,
  ProductEdit,
  ProductInput,
  ProductQuery,
  ProductStatus,
} from '@/api/shop'
export type { Image } from '@/api/media'
export { CATEGORIES, DONATION_KINDS } from '@/api/shop'

/**
 * The donation part of one item, in fen, as the server computes it: `fixed` its value (never above
 * the price), `percent` rounded down to the fen, `all` the whole price. Integer arithmetic only.
 */
export function donationFor(priceFen: number, donation: shopApi.Donation): number {
  if (!Number.isSafeInteger(priceFen) || priceFen <= 0) {
    return 0
  }
  switch (donation.kind) {
    case 'all':
      return priceFen
    case 'fixed':
      return Math.min(Math.max(0, Math.trunc(donation.value)), priceFen)
    case 'percent':
      return Math.trunc((priceFen * Math.min(Math.max(0, Math.trunc(donation.value)), 100)) / 100)
  }
}

export const useShopStore = defineStore('shop', () => {
  const list = cursorPages(async (filters: shopApi.ProductQuery, cursor) => {
    const page = await shopApi.listProducts(filters, cursor, SHOP_PAGE_SIZE)
    return { items: page.products, next_cursor: page.next_cursor }
  })
  const current = ref<shopApi.ProductDetail | null>(null)
  const venues = ref<Venue[]>([])

  async function load(id: string): Promise<Result<shopApi.ProductDetail>> {
    if (current.value?.id !== id) {
      current.value = null
    }
    const result = await attempt(() => shopApi.getProduct(id))
    if (!result.ok) {
      return result
    }
    current.value = result.value.product
    return ok(result.value.product)
  }

  async function loadVenues(): Promise<Result> {
    if (venues.value.length > 0) {
      return ok()
    }
    const result = await attempt(listVenues)
    if (!result.ok) {
      return result
    }
    venues.value = result.value.venues
    return ok()
  }

  const { query, items: products, nextCursor, finished, setQuery, loadMore } = list
  return { query, products, nextCursor, finished, current, venues, setQuery, loadMore, load, loadVenues }
})
