/**
 * 拍品管理 (fund admins): lots awaiting approval, creating a lot with its photos (uploaded first,
 * sent as `photo_ids`; it starts pending; another fund admin approves it — maker–checker),
 * results of ended lots with their stage (page by page: they only grow), and offering a lapsed
 * lot to the runner-up.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as auctionApi from '@/api/auction'
import { uploadImage } from '@/api/media'
import { LOTS_PAGE_SIZE } from './auction'
import { signedOutOn401 } from './auth'
import { cursorPages } from './cursorPages'
import { attempt, ok, type Result } from './result'

export const useAuctionAdminStore = defineStore('auctionAdmin', () => {
  const pending = ref<auctionApi.Lot[]>([])
  const running = ref<auctionApi.Lot[]>([])
  const endedList = cursorPages(async (_query: object, cursor) => {
    const page = await auctionApi.listLots('ended', cursor, LOTS_PAGE_SIZE)
    return { items: page.lots, next_cursor: page.next_cursor ?? null }
  })
  const { items: ended, finished: endedFinished } = endedList

  /**
   * Pending, live and upcoming lots (each list's first page, up to the server's 100: lots wait or
   * run for days, not years) and the ended list started again from its first page, which the page
   * then asks for with `loadMoreEnded`.
   */
  async function load(): Promise<Result> {
    endedList.setQuery({})
    const [p, live, upcoming] = await Promise.all(
      (['pending_approval', 'live', 'upcoming'] as const).map((s) => attempt(() => auctionApi.listLots(s))),
    )
    for (const result of [p, live, upcoming]) {
      if (result !== undefined && !result.ok) {
        return signedOutOn401(result)
      }
    }
    const lots = (r: typeof p) => (r?.ok ? r.value.lots : [])
    pending.value = lots(p)
    running.value = [...lots(live), ...lots(upcoming)]
    return ok()
  }

  /** The next page of ended lots. */
  async function loadMoreEnded(): Promise<Result> {
    return signedOutOn401(await endedList.loadMore())
  }

  async function create(body: auctionApi.CreateLotRequest): Promise<Result<auctionApi.LotId>> {
    const result = signedOutOn401(await attempt(() => auctionApi.createLot(body)))
    return result.ok ? ok(result.value.lot.id) : result
  }

  /** Uploads one photo for a new lot (docs/api-media.md) → `{image}`. */
  async function upload(file: Blob): Promise<Result<{ image: auctionApi.Image }>> {
    return signedOutOn401(await attempt(() => uploadImage(file)))
  }

  function replace(lot: auctionApi.Lot): void {
    const swap = (list: auctionApi.Lot[]) => list.map((l) => (l.id === lot.id ? lot : l))
    ended.value = swap(ended.value)
  }

  async function approve(id: auctionApi.LotId): Promise<Result<auctionApi.Lot>> {
    const result = signedOutOn401(await attempt(() => auctionApi.approveLot(id)))
    if (!result.ok) {
      return result
    }
    pending.value = pending.value.filter((l) => l.id !== id)
    running.value = [result.value.lot, ...running.value]
    return ok(result.value.lot)
  }

  async function offerRunnerUp(id: auctionApi.LotId): Promise<Result<auctionApi.Lot>> {
    const result = signedOutOn401(await attempt(() => auctionApi.offerRunnerUp(id)))
    if (!result.ok) {
      return result
    }
    replace(result.value.lot)
    return ok(result.value.lot)
  }

  return { pending, running, ended, endedFinished, load, loadMoreEnded, create, upload, approve, offerRunnerUp }
})
