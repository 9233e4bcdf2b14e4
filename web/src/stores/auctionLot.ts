/**
 * One lot as its page shows it, kept live: the REST state first, then every state the live
 * channel (`/ws/auctions/{id}`, api/live.ts) pushes — each replaces what is shown unless it is
 * older (`newerLot`: updates may arrive out of order; a closed lot stays closed). When the
 * channel gives up, the lot is polled over REST instead. The public bid history follows the bid
 * count; when the viewer is involved (leading, or bid here), their own view (`leading`) is asked
 * again after every change, so "您已被超越" shows without a reload.
 *
 * Bidding: one `Idempotency-Key` per attempt — kept for a retry of the same amount after a lost
 * answer, dropped once the server answered (accepted or refused), since a replay of the key would
 * repeat the first answer.
 *
 * After the close: the buyer opens the payment here, and a runner-up answers an offer (the
 * answer's lot is shown as it is, with no second GET).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as auctionApi from '@/api/auction'
import type { Payment } from '@/api/payments'
import { type LiveConnection, type LiveOptions, type LiveStatus, openLive } from '@/api/live'
import { newerLot } from './auction'
import { signedOutOn401, useAuthStore } from './auth'
import { useClockStore } from './clock'
import { newIdempotencyKey } from './donation'
import { attempt, ok, type Result } from './result'

export const POLL_MS = 5_000

/** The live channel's status, or `polling` once it gave up and REST took over. */
export type LotFeed = 'idle' | LiveStatus | 'polling'

/** Test hooks passed through to `openLive`, and the poll's timers. */
export interface WatchOptions {
  live?: Partial<LiveOptions<{ lot: auctionApi.Lot }>>
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: unknown) => void
}

export const useAuctionLotStore = defineStore('auctionLot', () => {
  const auth = useAuthStore()
  const clock = useClockStore()

  const lot = ref<auctionApi.Lot | null>(null)
  const bids = ref<auctionApi.PublicBid[]>([])
  const feed = ref<LotFeed>('idle')
  /** My maximum on this lot: the server's `my_max_fen`, or my bid in this visit if higher (newer). */
  const myMaxFen = ref<number | null>(null)
  /** The last accepted bid of mine here: whether it extended the end. */
  const lastBid = ref<auctionApi.PlaceBidResponse['bid'] | null>(null)
  const bidding = ref(false)

  let lotId: string | null = null
  let connection: LiveConnection | null = null
  let poll: { handle: unknown; clear: (h: unknown) => void } | null = null
  let attemptKey: { lotId: string; maxFen: number; key: string } | null = null
  let bidsShownFor = -1
  let viewerRefresh: Promise<void> | null = null
  let viewerAgain = false

  /** Whether the viewer's own fields are worth asking for after a change. */
  const involved = computed(() => auth.user !== null && (lot.value?.leading === true || myMaxFen.value !== null))

  /** Applies a state by the newest rule; true if it is now shown. */
  function apply(incoming: auctionApi.Lot): boolean {
    if (incoming.id !== lotId) {
      return false
    }
    const next = newerLot(lot.value, incoming)
    if (next === null) {
      return false
    }
    const before = lot.value?.bid_count ?? -1
    lot.value = next
    if (next.bid_count !== before || bidsShownFor !== next.bid_count) {
      void loadBids()
    }
    return true
  }

  async function loadBids(): Promise<void> {
    const id = lotId
    const count = lot.value?.bid_count ?? 0
    if (id === null) {
      return
    }
    const result = await attempt(() => auctionApi.listLotBids(id))
    if (result.ok && id === lotId && count >= bidsShownFor) {
      bids.value = result.value.bids
      bidsShownFor = count
    }
  }

  /** GET the lot (the viewer's own view) and apply it. */
  async function refresh(): Promise<Result<auctionApi.Lot>> {
    const id = lotId
    if (id === null) {
      return notLoaded()
    }
    const result = await attempt(() => auctionApi.getLot(id))
    if (!result.ok) {
      return result
    }
    if (typeof result.value.now_ms === 'number') {
      clock.noteServerTime(result.value.now_ms)
    }
    const known = result.value.lot.my_max_fen
    if (typeof known === 'number' && id === lotId) {
      // My maximum only rises: an answer older than a bid of mine in this visit does not undo it.
      myMaxFen.value = Math.max(myMaxFen.value ?? known, known)
    }
    apply(result.value.lot)
    return ok(result.value.lot)
  }

  /** One viewer refresh at a time; a change meanwhile asks once more afterwards. */
  function refreshViewer(): void {
    if (viewerRefresh !== null) {
      viewerAgain = true
      return
    }
    viewerRefresh = refresh().then(() => {
      viewerRefresh = null
      if (viewerAgain) {
        viewerAgain = false
        refreshViewer()
      }
    })
  }

  /** Loads the lot and its bid history (a different lot than before starts from nothing). */
  async function load(id: string): Promise<Result<auctionApi.Lot>> {
    if (lotId !== id) {
      stopWatching()
      lot.value = null
      bids.value = []
      myMaxFen.value = null
      lastBid.value = null
      bidsShownFor = -1
      lotId = id
    }
    return refresh()
  }

  function stopPolling(): void {
    if (poll !== null) {
      poll.clear(poll.handle)
      poll = null
    }
  }

  /** Opens the live channel for the loaded lot (or polls REST once it gives up). */
  function watch(options: WatchOptions = {}): void {
    const id = lotId
    if (id === null || connection !== null) {
      return
    }
    connection = openLive<{ lot: auctionApi.Lot }>(`/ws/auctions/${encodeURIComponent(id)}`, {
      ...options.live,
      onState: (state) => {
        if (state.lot === undefined) {
          return
        }
        const before = lot.value
        // Asked before applying: the new state drops `leading`, which made the viewer involved.
        const wasInvolved = involved.value
        const changed = before === null || state.lot.bid_count !== before.bid_count || state.lot.status !== before.status
        // A new bid may have taken my lead; the close may have made me the buyer (then: 去付款).
        if (apply(state.lot) && changed && wasInvolved) {
          refreshViewer()
        }
      },
      onStatus: (status) => {
        if (status === 'closed') {
          return
        }
        if (status === 'gave_up') {
          feed.value = 'polling'
          const setTimer = options.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms))
          const clear = options.clearInterval ?? ((h: unknown) => clearInterval(h as ReturnType<typeof setInterval>))
          stopPolling()
          poll = { handle: setTimer(() => void refresh(), POLL_MS), clear }
          void refresh()
          return
        }
        feed.value = status
      },
    })
  }

  function stopWatching(): void {
    connection?.close()
    connection = null
    stopPolling()
    feed.value = 'idle'
  }

  /** Places `maxFen` as my maximum. A refusal is the server's error (then the lot is asked again). */
  async function placeBid(maxFen: number): Promise<Result<auctionApi.PlaceBidResponse>> {
    const id = lotId
    if (id === null || bidding.value) {
      return notLoaded()
    }
    if (attemptKey === null || attemptKey.lotId !== id || attemptKey.maxFen !== maxFen) {
      attemptKey = { lotId: id, maxFen, key: newIdempotencyKey() }
    }
    const key = attemptKey.key
    bidding.value = true
    const result = await attempt(() => auctionApi.placeBid(id, maxFen, key))
    bidding.value = false
    if (!result.ok) {
      if (result.error.status !== null) {
        attemptKey = null // answered: the next try is a new attempt
        if (result.error.status === 401) {
          auth.clear()
        } else {
          void refresh() // the minimum, the end or the phase moved
        }
      }
      return result
    }
    attemptKey = null
    const placed = result.value
    clock.noteServerTime(placed.bid.at_ms)
    myMaxFen.value = placed.bid.max_fen
    lastBid.value = placed.bid
    apply({ ...placed.lot, leading: placed.leading })
    if (lot.value !== null && lot.value.bid_count === placed.lot.bid_count) {
      lot.value = { ...lot.value, leading: placed.leading }
    }
    return result
  }

  function notLoaded<T>(): Result<T> {
    return { ok: false, error: { code: 'unknown', message: null, field: null, retryAfterSeconds: null, status: null } }
  }

  /** The won lot's payment (opened, or the open one again): the page goes to its `pay_url`. */
  async function pay(): Promise<Result<Payment>> {
    const id = lotId
    if (id === null) {
      return notLoaded()
    }
    const result = signedOutOn401(await attempt(() => auctionApi.payLot(id)))
    return result.ok ? ok(result.value.payment) : result
  }

  /** Accepts or declines the runner-up offer; the answer's lot is shown. */
  async function answerOffer(accept: boolean): Promise<Result<auctionApi.Lot>> {
    const id = lotId
    if (id === null) {
      return notLoaded()
    }
    const call = accept ? auctionApi.acceptOffer : auctionApi.declineOffer
    const result = signedOutOn401(await attempt(() => call(id)))
    if (!result.ok) {
      return result
    }
    apply(result.value.lot)
    return ok(result.value.lot)
  }

  return { lot, bids, feed, myMaxFen, lastBid, bidding, load, refresh, watch, stopWatching, placeBid, apply, pay, answerOffer }
})
