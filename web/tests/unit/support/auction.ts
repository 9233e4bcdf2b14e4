/** Fixtures of 公益拍卖: a live lot with the default increment table, and a fake live socket. */
import type { Lot, MyLot } from '@/api/auction'
import type { WebSocketLike } from '@/api/live'
import { NOW } from './events'

export const LOT_ID = 'k7q2abcdefghijklmnop'
const HOUR = 3_600_000

export const DEFAULT_INCREMENTS = [
  { from_fen: 0, step_fen: 1_000 },
  { from_fen: 20_000, step_fen: 2_000 },
  { from_fen: 100_000, step_fen: 5_000 },
  { from_fen: 500_000, step_fen: 10_000 },
]

export function lot(overrides: Partial<Lot> = {}): Lot {
  return {
    id: LOT_ID,
    title: '岭南山水（书法）',
    description: '纸本',
    donor_name: '陈**',
    market_value_fen: 30_000,
    purpose_id: null,
    status: 'live',
    starts_at_ms: NOW - HOUR,
    ends_at_ms: NOW + HOUR,
    scheduled_end_ms: NOW + HOUR,
    extensions: 0,
    max_extensions: 12,
    extend_window_ms: 300_000,
    start_price_fen: 10_000,
    price_fen: null,
    leader: null,
    bid_count: 0,
    min_bid_fen: 10_000,
    has_reserve: false,
    reserve_met: true,
    increments: DEFAULT_INCREMENTS,
    ...overrides,
  }
}

/** An entry of 我的竞拍 (`GET /me/auction/bids`): the lot in my view, my maximum, the server's state. */
export function myLot(overrides: Partial<MyLot> = {}): MyLot {
  return {
    lot: lot({ price_fen: 10_000, bid_count: 1, leader: '陈**', leading: true, min_bid_fen: 11_000 }),
    my_max_fen: 10_000,
    state: 'leading',
    ...overrides,
  }
}

/** A WebSocket the test drives: `receive` a message, `drop` the connection. */
export class FakeSocket implements WebSocketLike {
  static made: FakeSocket[] = []
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code: number }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  constructor(public url: string) {
    FakeSocket.made.push(this)
  }
  close() {}
  receive(state: unknown) {
    this.onmessage?.({ data: JSON.stringify(state) })
  }
  drop(code = 1006) {
    this.onclose?.({ code })
  }
}
