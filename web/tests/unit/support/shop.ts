/** Sample 公益商城 API bodies, shaped as docs/api-shop.md describes them. */
import type { Order, Product } from '@/api/shop'

export function product(extra: Partial<Product> = {}): Product {
  return {
    id: 'aaaaaaaaaaaaaaaaaaaa',
    org: { id: 1, name: '博睿社工' },
    title: '长者手工香囊',
    description: '叠滘村长者手工缝制',
    category: 'handmade',
    price_fen: 3800,
    donation: { kind: 'fixed', value: 2000 },
    donation_fen: 2000,
    goods_value_fen: 1800,
    stock: 5,
    status: 'approved',
    review_note: null,
    created_at_ms: 1_700_000_000_000,
    updated_at_ms: 1_700_000_000_000,
    ...extra,
  }
}

export function order(extra: Partial<Order> = {}): Order {
  return {
    id: 'oooooooooooooooooooo',
    status: 'pending_payment',
    total_fen: 7600,
    donation_fen: 4000,
    goods_value_fen: 3600,
    receipt_no: null,
    refunded_fen: 0,
    items: [
      {
        product_id: 'aaaaaaaaaaaaaaaaaaaa',
        org: { id: 1, name: '博睿社工' },
        title: '长者手工香囊',
        quantity: 2,
        unit_price_fen: 3800,
        unit_donation_fen: 2000,
        total_fen: 7600,
        donation_fen: 4000,
        refunded_quantity: 0,
      },
    ],
    fulfilment: { kind: 'pickup', venue: { id: 1, name: '关爱桂城企业创享家', address: '南海大道北' } },
    payment: { id: 'pppppppppppppppppppp', status: 'created' },
    created_at_ms: 1_700_000_000_000,
    expires_at_ms: 1_700_000_900_000,
    paid_at_ms: null,
    shipped_at_ms: null,
    completed_at_ms: null,
    closed_at_ms: null,
    ...extra,
  }
}
