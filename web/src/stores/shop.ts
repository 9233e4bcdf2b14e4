/**
 * 公益商城 catalogue: the public list (filters, loaded page by page through `next_cursor`), one
 * product's page (with the fundraiser of record and the fund purpose's filing number), and the
 * pickup venues for checkout. `donationFor` is the one place the client works out a donation part.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listVenues, type Venue } from '@/api/events'
import * as shopApi from '@/api/shop'
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
  const query = ref<shopApi.ProductQuery>({})
  const products = ref<shopApi.Product[]>([])
  const nextCursor = ref<string | null>(null)
  const finished = ref(false)
  let pageRequest: Promise<Result> | null = null

  const current = ref<shopApi.ProductDetail | null>(null)
  const venues = ref<Venue[]>([])

  /** Starts the list again from the first page with these filters. */
  function setQuery(value: shopApi.ProductQuery): void {
    query.value = { ...value }
    products.value = []
    nextCursor.value = null
    finished.value = false
    pageRequest = null
  }

  /**
   * Appends the next page. Concurrent calls share one request; a page that arrives after the
   * filters changed is dropped.
   */
  function loadMore(): Promise<Result> {
    if (finished.value) {
      return Promise.resolve(ok())
    }
    if (pageRequest === null) {
      const cursor = nextCursor.value
      const filters = query.value
      const request = attempt(() => shopApi.listProducts(filters, cursor, SHOP_PAGE_SIZE)).then((result): Result => {
        if (pageRequest !== request) {
          return ok()
        }
        pageRequest = null
        if (!result.ok) {
          return result
        }
        const known = new Set(products.value.map((p) => p.id))
        products.value = [...products.value, ...result.value.products.filter((p) => !known.has(p.id))]
        nextCursor.value = result.value.next_cursor
        finished.value = result.value.next_cursor === null
        return ok()
      })
      pageRequest = request
    }
    return pageRequest
  }

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

  return { query, products, nextCursor, finished, current, venues, setQuery, loadMore, load, loadVenues }
})
