/** 公益商城 words: categories, order and listing states, the price filter's bands (in fen). */
import { useI18n } from 'vue-i18n'
import type { Category, OrderStatus, ProductQuery, ProductStatus } from '@/stores/shop'

/** The price filter: each band as a `min_price_fen`/`max_price_fen` pair (integers, inclusive). */
export const PRICE_BANDS = {
  all: {},
  under20: { max_price_fen: 2000 },
  from20to50: { min_price_fen: 2000, max_price_fen: 5000 },
  from50to100: { min_price_fen: 5000, max_price_fen: 10000 },
  over100: { min_price_fen: 10000 },
} as const satisfies Record<string, Pick<ProductQuery, 'min_price_fen' | 'max_price_fen'>>

export type PriceBand = keyof typeof PRICE_BANDS
export const PRICE_BAND_KEYS = Object.keys(PRICE_BANDS) as PriceBand[]

export function useShopText() {
  const { t } = useI18n()
  return {
    categoryLabel: (category: Category) => t(`shop.category.${category}`),
    orderStatusLabel: (status: OrderStatus) => t(`shop.status.${status}`),
    productStatusLabel: (status: ProductStatus) => t(`shop.productStatus.${status}`),
  }
}
