/**
 * Public deployment facts from `GET /meta`, fetched once and shared: the consent version, the
 * feature list that opens gated sections (`fund`, `fund_admin`), and the time zone every time is
 * shown in (applied to `time/zone.ts` as soon as meta loads; the default until then).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { getMeta, type Meta } from '@/api/meta'
import { setTimeZone } from '@/time/zone'
import { attempt, ok, type Result } from './result'

export const useMetaStore = defineStore('meta', () => {
  const meta = ref<Meta | null>(null)
  let inFlight: Promise<Result<Meta>> | null = null

  /** The server's features; `[]` until meta loads, when it fails, or when the field is missing. */
  const features = computed<readonly string[]>(() => {
    const list = meta.value?.features
    return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : []
  })

  function hasFeature(name: string): boolean {
    return features.value.includes(name)
  }

  /**
   * Loads meta unless already loaded; concurrent callers share one request. A loaded meta sets
   * the app's time zone (`time_zone`, `Asia/Shanghai` when missing or unknown).
   */
  async function load(): Promise<Result<Meta>> {
    if (meta.value !== null) {
      return ok(meta.value)
    }
    if (inFlight === null) {
      inFlight = attempt(getMeta).then((result) => {
        if (result.ok) {
          meta.value = result.value
          setTimeZone(result.value.time_zone)
        }
        inFlight = null
        return result
      })
    }
    return inFlight
  }

  return { meta, features, hasFeature, load }
})
