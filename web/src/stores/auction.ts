/**
 * 公益拍卖: the lot list by phase (即将开拍 / 竞拍中 / 已结束), paged by cursor, and the pure bidding rules the pages
 * need — which of two states of a lot is the newer (updates arrive out of order), the increment
 * at a price, and the quick-bid amounts (the next three rungs of the increment table).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as auctionApi from '@/api/auction'
import { cursorPages } from './cursorPages'
import { useClockStore } from './clock'

export type {
  CreateLotRequest,
  Image,
  IncrementBand,
  Lot,
  LotId,
  LotListStatus,
  LotStage,
  LotStatus,
  MyLot,
  MyLotServerState,
  PublicBid,
  SiteNotification,
  UnsoldReason,
} from '@/api/auction'

/** The list's tabs, in the order they show. */
export const LOT_TABS = ['live', 'upcoming', 'ended'] as const
export type LotTab = (typeof LOT_TABS)[number]

const FINAL: readonly auctionApi.LotStatus[] = ['sold', 'unsold']

/** Closed for good: no later state of the lot undoes it. */
export function isFinal(status: auctionApi.LotStatus): boolean {
  return FINAL.includes(status)
}

/** Phases in the order a lot goes through them (sold and unsold share the last rank). */
const PHASE_RANK: Record<auctionApi.LotStatus, number> = {
  pending_approval: 0,
  upcoming: 1,
  live: 2,
  ended: 3,
  sold: 4,
  unsold: 4,
}

/**
 * What a live change may lack and the shown state keeps: the viewer's own fields (only the REST
 * answer has them) and the lot's content (sent with the opening state, not with each change).
 */
const VIEWER_FIELDS = [
  'leading',
  'my_max_fen',
  'stage',
  'unsold_reason',
  'sale_price_fen',
  'pay_by_ms',
  'you_are_buyer',
  'offer_price_fen',
  'offer_expires_at_ms',
  'you_are_offered',
  'reserve_fen',
  'has_runner_up',
  // What no bid changes: a live change leaves it out (docs/api-auction.md "Live").
  'description',
  'description_html',
  'photos',
] as const satisfies readonly (keyof auctionApi.Lot)[]

/**
 * The state to show after `incoming` arrives while `current` is shown, or null to ignore it (it is
 * older). The version is `bid_count`: a lower one is older; with the same count, an earlier phase
 * is older; a closed lot (sold / unsold) never reopens. A live change lacks the viewer's own
 * fields (`leading`, `stage` …) and the description and photos: they are kept from `current`, except `leading` once the bid count
 * moved (unknown until the REST answer comes back).
 */
export function newerLot(current: auctionApi.Lot | null, incoming: auctionApi.Lot): auctionApi.Lot | null {
  if (current === null || current.id !== incoming.id) {
    return incoming
  }
  if (isFinal(current.status) && !isFinal(incoming.status)) {
    return null
  }
  if (incoming.bid_count < current.bid_count) {
    return null
  }
  if (incoming.bid_count === current.bid_count && PHASE_RANK[incoming.status] < PHASE_RANK[current.status]) {
    return null
  }
  const merged: auctionApi.Lot = { ...incoming }
  const moved = incoming.bid_count !== current.bid_count
  for (const field of VIEWER_FIELDS) {
    if (!(field in incoming) && field in current && !(moved && field === 'leading')) {
      Object.assign(merged, { [field]: current[field] })
    }
  }
  return merged
}

/** The step at `priceFen`: the band with the greatest `from_fen` at or below it. */
export function stepAt(increments: readonly auctionApi.IncrementBand[], priceFen: number): number {
  let step = increments[0]?.step_fen ?? 0
  for (const band of increments) {
    if (band.from_fen <= priceFen) {
      step = band.step_fen
    }
  }
  return step
}

/**
 * The quick-bid amounts: `count` rungs of the increment ladder from the least bid the lot takes
 * now (`min_bid_fen`), each the previous plus the step at it. For the leader (who may only raise
 * their own maximum, `myMaxFen`) the ladder starts at the first rung above it. None once bidding
 * is over.
 */
export function quickBidAmounts(lot: auctionApi.Lot, myMaxFen: number | null, count = 3): number[] {
  if (lot.min_bid_fen === null || lot.status !== 'live') {
    return []
  }
  let amount = lot.min_bid_fen
  const out: number[] = []
  // A broken table (a zero step) must not loop for ever.
  for (let guard = 0; out.length < count && guard < 10_000; guard += 1) {
    if (myMaxFen === null || amount > myMaxFen) {
      out.push(amount)
    }
    const step = stepAt(lot.increments, amount)
    if (step <= 0) {
      break
    }
    amount += step
  }
  return out
}

/** Lots per page of the list. */
export const LOTS_PAGE_SIZE = 20

export const useAuctionStore = defineStore('auction', () => {
  const clock = useClockStore()
  const list = cursorPages(async (filters: { status: LotTab }, cursor) => {
    const page = await auctionApi.listLots(filters.status, cursor, LOTS_PAGE_SIZE)
    if (typeof page.now_ms === 'number') {
      clock.noteServerTime(page.now_ms)
    }
    // A page without next_cursor is the last (never ask for the same page again).
    return { items: page.lots, next_cursor: page.next_cursor ?? null }
  })
  const { items: lots, finished, loadMore } = list
  const tab = ref<LotTab>('live')

  /** Starts the list again from the first page of `which` (the page then asks for it). */
  function setTab(which: LotTab): void {
    tab.value = which
    list.setQuery({ status: which })
  }

  /** A live state of a listed lot (the lot page passes what it saw back to the list). */
  function update(lot: auctionApi.Lot): void {
    const index = lots.value.findIndex((l) => l.id === lot.id)
    const current = lots.value[index]
    if (current === undefined) {
      return
    }
    const next = newerLot(current, lot)
    if (next !== null) {
      lots.value.splice(index, 1, next)
    }
  }

  return { tab, lots, finished, setTab, loadMore, update }
})
