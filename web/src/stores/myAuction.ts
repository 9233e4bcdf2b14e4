/**
 * 我的竞拍: the lots I bid on, each with where I stand (leading / outbid / won / lost, or offered
 * the lot as runner-up), paying a won lot (an offer is answered on the lot page), and my auction
 * notifications. One request (`GET /me/auction/bids`) gives every lot I bid on in my view, my
 * maximum on it and the server's word on where I stand.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as auctionApi from '@/api/auction'
import type { Payment } from '@/api/payments'
import { signedOutOn401 } from './auth'
import { attempt, ok, type Result } from './result'

/** Where I stand on a lot. */
export type MyLotState = auctionApi.MyLotServerState | 'offered'

export interface MyLotEntry {
  lotId: auctionApi.LotId
  title: string
  /** My highest accepted maximum on it. */
  myMaxFen: number
  lot: auctionApi.Lot
  state: MyLotState
}

/** The server's state, or `offered` while the lot is offered to me as runner-up. */
export function myLotState(lot: auctionApi.Lot, state: auctionApi.MyLotServerState): MyLotState {
  return lot.you_are_offered === true && lot.stage === 'offered' ? 'offered' : state
}

/** Whether the viewer has a won lot to pay now. */
export function canPay(lot: auctionApi.Lot, nowMs: number): boolean {
  return (
    lot.stage === 'awaiting_payment' &&
    (lot.you_are_buyer === true || lot.you_are_offered === true) &&
    (lot.pay_by_ms == null || nowMs < lot.pay_by_ms)
  )
}

export const useMyAuctionStore = defineStore('myAuction', () => {
  const entries = ref<MyLotEntry[]>([])
  const notifications = ref<auctionApi.SiteNotification[]>([])
  const loaded = ref(false)

  async function load(): Promise<Result> {
    const result = signedOutOn401(await attempt(auctionApi.listMyLots))
    if (!result.ok) {
      return result
    }
    entries.value = result.value.bids.map((b) => ({
      lotId: b.lot.id,
      title: b.lot.title,
      myMaxFen: b.my_max_fen,
      lot: b.lot,
      state: myLotState(b.lot, b.state),
    }))
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

  /** The won lot's payment (opened, or the open one again): the page goes to its `pay_url`. */
  async function pay(lotId: auctionApi.LotId): Promise<Result<Payment>> {
    const result = signedOutOn401(await attempt(() => auctionApi.payLot(lotId)))
    return result.ok ? ok(result.value.payment) : result
  }

  return { entries, notifications, loaded, load, loadNotifications, pay }
})
