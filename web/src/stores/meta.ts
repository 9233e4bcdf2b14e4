/** Public deployment facts from `GET /meta`, fetched once and shared (e.g. the consent version). */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { getMeta, type Meta } from '@/api/meta'
import { attempt, ok, type Result } from './result'

export const useMetaStore = defineStore('meta', () => {
  const meta = ref<Meta | null>(null)
  let inFlight: Promise<Result<Meta>> | null = null

  /** Loads meta unless already loaded; concurrent callers share one request. */
  async function load(): Promise<Result<Meta>> {
    if (meta.value !== null) {
      return ok(meta.value)
    }
    if (inFlight === null) {
      inFlight = attempt(getMeta).then((result) => {
        if (result.ok) {
          meta.value = result.value
        }
        inFlight = null
        return result
      })
    }
    return inFlight
  }

  return { meta, load }
})
