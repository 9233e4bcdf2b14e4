/**
 * 拍品管理 (fund admins): lots awaiting approval, creating a lot with its photos (uploaded first,
 * sent as `photo_ids`; it starts pending; another fund admin approves it — maker–checker),
 * results of ended lots with their stage, and offering a lapsed lot to the runner-up.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as auctionApi from '@/api/auction'
import { uploadImage } from '@/api/media'
import { useAuthStore } from './auth'
import { attempt, ok, type Result } from './result'

export const useAuctionAdminStore = defineStore('auctionAdmin', () => {
  const auth = useAuthStore()
  const pending = ref<auctionApi.Lot[]>([])
  const running = ref<auctionApi.Lot[]>([])
  const ended = ref<auctionApi.Lot[]>([])

  function signedOutOn401<T>(result: Result<T>): Result<T> {
    if (!result.ok && result.error.status === 401) {
      auth.clear()
    }
    return result
  }

  /** Pending, live and upcoming, and ended lots (each list's first page, up to the server's 100). */
  async function load(): Promise<Result> {
    const [p, live, upcoming, e] = await Promise.all(
      (['pending_approval', 'live', 'upcoming', 'ended'] as const).map((s) => attempt(() => auctionApi.listLots(s))),
    )
    for (const result of [p, live, upcoming, e]) {
      if (result !== undefined && !result.ok) {
        return signedOutOn401(result)
      }
    }
    const lots = (r: typeof p) => (r?.ok ? r.value.lots : [])
    pending.value = lots(p)
    running.value = [...lots(live), ...lots(upcoming)]
    ended.value = lots(e)
    return ok()
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

  return { pending, running, ended, load, create, upload, approve, offerRunnerUp }
})
