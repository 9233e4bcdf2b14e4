/**
 * 我的竞拍: the lots I bid on, each with where I stand (leading / outbid / won / lost, or offered
 * the lot as runner-up), paying a won lot, answering a runner-up offer, and my auction
 * notifications. The server lists my bids one by one (`GET /auction/my/bids`, lot id and title
 * only); the lots' states come from `GET /auction/lots/{id}`, which tells the viewer whether they
 * lead, bought it or were offered it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as auctionApi from '@/api/auction'
import type { Payment } from '@/api/payments'
import { useAuthStore } from './auth'
import { attempt, ok, type Result } from './result'

/** Where I stand on a lot. */
export type MyLotState = 'leading' | 'outbid' | 'won' | 'lost' | 'offered'

export interface MyLotEntry {
  lotId: auctionApi.LotId
  title: string
  /** My highest accepted maximum on it. */
  myMaxFen: number
  lastBidAtMs: number
  /** Null when the lot could not be loaded (then `state` is null too). */
  lot: auctionApi.Lot | null
  state: MyLotState | null
}

/** At most this many lots are looked up at once (the newest I bid on). */
export const MY_LOTS_LIMIT = 30

/** Where the viewer stands on `lot`, from the fields the server gives them. */
export function myLotState(lot: auctionApi.Lot): MyLotState {
  if (lot.you_are_offered === true && (lot.stage === 'offered' || lot.stage === 'awaiting_payment' || lot.stage === 'paid')) {
    return lot.stage === 'offered' ? 'offered' : 'won'
  }
  if (lot.you_are_buyer === true) {
    return 'won'
  }
  if (lot.status === 'sold' || lot.status === 'unsold') {
    return 'lost'
  }
  return lot.leading === true ? 'leading' : 'outbid'
}

/** Whether the viewer has a won lot to pay now. */
export function canPay(lot: auctionApi.Lot, nowMs: number): boolean {
  return (
    lot.stage === 'awaiting_payment' &&
    (lot.you_are_buyer === true || lot.you_are_offered === true) &&
    (lot.pay_by_ms == null || nowMs < lot.pay_by_ms)
  )
}

/** My accepted bids grouped by lot, newest lot first (bids come newest first). */
export function groupMyBids(bids: readonly auctionApi.MyBid[]): Omit<MyLotEntry, 'lot' | 'state'>[] {
  const byLot = new Map<string, Omit<MyLotEntry, 'lot' | 'state'>>()
  for (const bid of bids) {
    if (!bid.accepted) {
      continue
    }
    const entry = byLot.get(bid.lot.id)
    if (entry === undefined) {
      byLot.set(bid.lot.id, { lotId: bid.lot.id, title: bid.lot.title, myMaxFen: bid.max_fen, lastBidAtMs: bid.at_ms })
    } else {
      entry.myMaxFen = Math.max(entry.myMaxFen, bid.max_fen)
      entry.lastBidAtMs = Math.max(entry.lastBidAtMs, bid.at_ms)
    }
  }
  return [...byLot.values()].sort((a, b) => b.lastBidAtMs - a.lastBidAtMs)
}

export const useMyAuctionStore = defineStore('myAuction', () => {
  const auth = useAuthStore()
  const entries = ref<MyLotEntry[]>([])
  const notifications = ref<auctionApi.SiteNotification[]>([])
  const loaded = ref(false)

  function signedOutOn401<T>(result: Result<T>): Result<T> {
    if (!result.ok && result.error.status === 401) {
      auth.clear()
    }
    return result
  }

  async function load(): Promise<Result> {
    const result = signedOutOn401(await attempt(auctionApi.listMyBids))
    if (!result.ok) {
      return result
    }
    const groups = groupMyBids(result.value.bids).slice(0, MY_LOTS_LIMIT)
    const lots = await Promise.all(groups.map((g) => attempt(() => auctionApi.getLot(g.lotId))))
    entries.value = groups.map((g, i) => {
      const answer = lots[i]
      const lot = answer?.ok ? answer.value.lot : null
      return { ...g, lot, state: lot === null ? null : myLotState(lot) }
    })
    loaded.value = true
    return ok()
  }

  /** The auction's in-app notifications (outbid, won, reserve not met, second chance). */
  async function loadNotifications(): Promise<Result> {
    const result = signedOutOn401(await attempt(() => auctionApi.listNotifications(null)))
    if (!result.ok) {
      return result
    }
    notifications.value = result.value.notifications.filter((n) => n.template.startsWith('auction_'))
    return ok()
  }

  function replaceLot(lot: auctionApi.Lot): void {
    entries.value = entries.value.map((e) => (e.lotId === lot.id ? { ...e, lot, state: myLotState(lot) } : e))
  }

  /** The won lot's payment (opened, or the open one again): the page goes to its `pay_url`. */
  async function pay(lotId: auctionApi.LotId): Promise<Result<Payment>> {
    const result = signedOutOn401(await attempt(() => auctionApi.payLot(lotId)))
    return result.ok ? ok(result.value.payment) : result
  }

  async function answerOffer(lotId: auctionApi.LotId, accept: boolean): Promise<Result<auctionApi.Lot>> {
    const call = accept ? auctionApi.acceptOffer : auctionApi.declineOffer
    const result = signedOutOn401(await attempt(() => call(lotId)))
    if (!result.ok) {
      return result
    }
    replaceLot(result.value.lot)
    return ok(result.value.lot)
  }

  return { entries, notifications, loaded, load, loadNotifications, pay, answerOffer }
})
