/**
 * 首页: the condensed collection, read in one request (`GET /home`). The page shows the answer it
 * has while a reload runs, so coming back to 首页 never blanks it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as homeApi from '@/api/home'
import { attempt, ok, type FormError, type Result } from './result'

export type { Home, HomeFund, HomeMe, HomeThread } from '@/api/home'

export const useHomeStore = defineStore('home', () => {
  const home = ref<homeApi.Home | null>(null)
  const loading = ref(false)
  /** The last load's failure, cleared by the next success. */
  const error = ref<FormError | null>(null)

  async function load(): Promise<Result> {
    loading.value = true
    const result = await attempt(homeApi.getHome)
    loading.value = false
    if (!result.ok) {
      error.value = result.error
      return result
    }
    home.value = result.value
    error.value = null
    return ok()
  }

  return { home, loading, error, load }
})
