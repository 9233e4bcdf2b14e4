/**
 * `/api/v1/auction/*` and `/api/v1/me/notifications`: 公益拍卖 — lots (public list and detail, bid
 * history), bidding with an idempotency key, my bids, paying a won lot, the runner-up's offer, and
 * what fund admins do (create, approve, offer to the runner-up). Contract: docs/api-auction.md.
 * Money is integer fen, times UTC epoch ms, lots and bids are 20-character public ids. The live
 * channel is `openLive('/ws/auctions/{id}')` (api/live.ts), which pushes `{lot: Lot}`.
 */
import { http } from './client'
import type { Image } from './media'
import type { Payment } from './payments'

export type { Image } from './media'

export type LotId = string

/** Public phases; `pending_approval` only for fund admins. `sold`/`unsold` are final. */
export type LotStatus = 'pending_approval' | 'upcoming' | 'live' | 'ended' | 'sold' | 'unsold'

/** The phases the list filters by (`GET /auction/lots?status=`). */
export type LotListStatus = 'upcoming' | 'live' | 'ended' | 'pending_approval'

/** After the close, for fund admins, the buyer and the runner-up offered the lot. */
export type LotStage = 'pending_approval' | 'approved' | 'awaiting_payment' | 'paid' | 'lapsed' | 'offered' | 'unsold'

export type UnsoldReason = 'no_bids' | 'reserve_not_met' | 'offer_declined' | 'offer_expired'

/** A price band: a price at or above `from_fen` steps by `step_fen`. Ascending, the first from 0. */
export interface IncrementBand {
  from_fen: number
  step_fen: number
}

export interface Lot {
  id: LotId
  title: string
  /** Absent from a live change (kept from the opening state). */
  description?: string
  /** Sanitised HTML rendered by the server from the Markdown description (when it offers it). */
  description_html?: string
  /** Masked in public (陈**); whole for fund admins. */
  donor_name: string
  market_value_fen: number | null
  purpose_id: number | null
  status: LotStatus
  starts_at_ms: number
  /** Moves with the soft close. */
  ends_at_ms: number
  /** The end as created. */
  scheduled_end_ms: number
  extensions: number
  max_extensions: number
  extend_window_ms: number
  start_price_fen: number
  /** Null before the first bid. */
  price_fen: number | null
  /** Masked; null before the first bid. */
  leader: string | null
  /** Accepted bids: the state's version. */
  bid_count: number
  /** The least maximum a bidder other than the leader may give now; null once bidding is over. */
  min_bid_fen: number | null
  has_reserve: boolean
  reserve_met: boolean
  increments: IncrementBand[]
  /** Photos, when the server offers them. */
  photos?: Image[]
  /** For a signed-in caller (never on the live channel). */
  leading?: boolean
  /** My highest accepted maximum, null if I never bid: the lot's page for a signed-in caller only. */
  my_max_fen?: number | null
  // For fund admins, the buyer and the runner-up offered the lot:
  stage?: LotStage
  unsold_reason?: UnsoldReason | null
  sale_price_fen?: number | null
  pay_by_ms?: number | null
  you_are_buyer?: boolean
  offer_price_fen?: number | null
  offer_expires_at_ms?: number | null
  you_are_offered?: boolean
  // Fund admins only:
  reserve_fen?: number | null
  has_runner_up?: boolean
}

/** A bid in the public history: the bidder masked, their maximum never shown. */
export interface PublicBid {
  id: string
  bidder: string
  /** The price after it. */
  price_fen: number | null
  at_ms: number
  seq: number | null
}

export interface PlaceBidResponse {
  bid: { id: string; accepted: true; max_fen: number; at_ms: number; extended: boolean }
  lot: Lot
  leading: boolean
}

/** Where I stand on a lot I bid on, as the server says (`GET /me/auction/bids`). */
export type MyLotServerState = 'leading' | 'outbid' | 'won' | 'lost'

/** One lot I have an accepted bid on (`GET /me/auction/bids`, the lot bid on last first). */
export interface MyLot {
  /** The viewer's view of the lot. */
  lot: Lot
  /** My highest accepted maximum on it. */
  my_max_fen: number
  state: MyLotServerState
  /** Only while the lot awaits my payment: ids null until `pay` opened it; `pay_by_ms` the deadline. */
  payment?: { id: string | null; pay_url: string | null; pay_by_ms: number }
}

export interface CreateLotRequest {
  title: string
  description?: string
  donor_name: string
  market_value_fen?: number
  starts_at_ms: number
  ends_at_ms: number
  start_price_fen: number
  reserve_fen?: number
  purpose_id?: number
  /** 0..9 of the creator's unused uploaded images (api/media.ts), in the order to show. */
  photo_ids?: string[]
}

/** An in-app notification (`notify_outbox`, channel `site`). */
export interface SiteNotification {
  id: number
  template: string
  params: Record<string, unknown>
  created_at_ms: number
}

const enc = (value: string) => encodeURIComponent(value)

/**
 * One page of lots by phase (or every approved lot): `before` is the previous page's
 * `next_cursor`, `limit` 1..100 (the server's default 100); `next_cursor` is null on the last page;
 * `now_ms` the server's clock when it answered.
 */
export function listLots(
  status: LotListStatus | null,
  before: string | null = null,
  limit: number | null = null,
): Promise<{ lots: Lot[]; next_cursor: string | null; now_ms: number }> {
  const params = new URLSearchParams()
  if (status !== null) {
    params.set('status', status)
  }
  if (before !== null) {
    params.set('before', before)
  }
  if (limit !== null) {
    params.set('limit', String(limit))
  }
  const query = params.toString()
  return http.get(`/auction/lots${query === '' ? '' : `?${query}`}`)
}

/** `now_ms`: the server's clock when it answered (the countdowns learn their offset from it). */
export function getLot(id: LotId): Promise<{ lot: Lot; now_ms: number }> {
  return http.get(`/auction/lots/${enc(id)}`)
}

export function listLotBids(id: LotId): Promise<{ bids: PublicBid[] }> {
  return http.get(`/auction/lots/${enc(id)}/bids`)
}

/** One attempt = one `idempotencyKey`: a replay answers what the first request answered. */
export function placeBid(id: LotId, maxFen: number, idempotencyKey: string): Promise<PlaceBidResponse> {
  return http.post(`/auction/lots/${enc(id)}/bids`, { max_fen: maxFen }, { headers: { 'Idempotency-Key': idempotencyKey } })
}

/** Every lot I bid on with where I stand, in one request. */
export function listMyLots(): Promise<{ bids: MyLot[] }> {
  return http.get('/me/auction/bids')
}

/** The buyer's payment (the open one again if one is open). */
export function payLot(id: LotId): Promise<{ payment: Payment }> {
  return http.post(`/auction/lots/${enc(id)}/pay`)
}

export function acceptOffer(id: LotId): Promise<{ lot: Lot }> {
  return http.post(`/auction/lots/${enc(id)}/accept-offer`)
}

export function declineOffer(id: LotId): Promise<{ lot: Lot }> {
  return http.post(`/auction/lots/${enc(id)}/decline-offer`)
}

export function createLot(body: CreateLotRequest): Promise<{ lot: { id: LotId; status: LotStatus } }> {
  return http.post('/auction/lots', body)
}

export function approveLot(id: LotId): Promise<{ lot: Lot }> {
  return http.post(`/auction/lots/${enc(id)}/approve`)
}

export function offerRunnerUp(id: LotId): Promise<{ lot: Lot }> {
  return http.post(`/auction/lots/${enc(id)}/offer-runner-up`)
}

/** Newest first; `before` pages back (the previous answer's `next_cursor`). */
export function listNotifications(before: string | null): Promise<{ notifications: SiteNotification[]; next_cursor: string | null }> {
  const query = before === null ? '' : `?before=${enc(before)}`
  return http.get(`/me/notifications${query}`)
}
