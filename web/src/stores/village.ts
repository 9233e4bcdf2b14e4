/**
 * Villages (村/居) and the signed-in resident's home village, which decides whether events open
 * only to some villages accept their sign-up.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Village, VillageRef } from '@/api/types'
import * as villagesApi from '@/api/villages'
import { useAuthStore } from './auth'
import { attempt, ok, type Result } from './result'

export type { Village, VillageRef } from '@/api/types'

export const useVillageStore = defineStore('village', () => {
  const auth = useAuthStore()
  const villages = ref<Village[]>([])
  const villagesLoaded = ref(false)
  /** Undefined until asked; null when the resident has not set one. */
  const mine = ref<VillageRef | null | undefined>(undefined)
  let villagesRequest: Promise<Result> | null = null

  /** Loads the village list once; concurrent callers share the request. */
  function ensureVillages(): Promise<Result> {
    if (villagesLoaded.value) {
      return Promise.resolve(ok())
    }
    if (villagesRequest === null) {
      villagesRequest = attempt(villagesApi.listVillages).then((result): Result => {
        villagesRequest = null
        if (!result.ok) {
          return result
        }
        villages.value = result.value.villages
        villagesLoaded.value = true
        return ok()
      })
    }
    return villagesRequest
  }

  async function loadMine(): Promise<Result> {
    const result = await attempt(villagesApi.getMyVillage)
    if (!result.ok) {
      if (result.error.status === 401) {
        auth.clear()
      }
      return result
    }
    mine.value = result.value.village
    return ok()
  }

  async function setMine(villageId: number): Promise<Result<VillageRef>> {
    const result = await attempt(() => villagesApi.setMyVillage(villageId))
    if (!result.ok) {
      if (result.error.status === 401) {
        auth.clear()
      }
      return result
    }
    mine.value = result.value.village
    return ok(result.value.village)
  }

  function reset(): void {
    mine.value = undefined
  }

  return { villages, villagesLoaded, mine, ensureVillages, loadMine, setMine, reset }
})
