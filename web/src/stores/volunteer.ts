/** 志愿服务: whether I am a registered volunteer, my certified service records and total hours. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as volunteersApi from '@/api/volunteers'
import { useAuthStore } from './auth'
import { attempt, ok, type Result } from './result'

export type { ServiceRecord, Volunteer } from '@/api/volunteers'

/** Re-exported for pages, which never import `api/`. */
export const CERTIFICATE_URL = volunteersApi.CERTIFICATE_URL

/** Hours with one decimal, from whole minutes, without float surprises ("7.5", "0.0"). */
export function formatHours(minutes: number): string {
  const tenths = Math.round((Math.max(0, minutes) * 10) / 60)
  return `${Math.floor(tenths / 10)}.${tenths % 10}`
}

export const useVolunteerStore = defineStore('volunteer', () => {
  const auth = useAuthStore()
  const volunteer = ref<volunteersApi.Volunteer | null>(null)
  const records = ref<volunteersApi.ServiceRecord[]>([])
  const loaded = ref(false)

  /** Most recent service first. */
  const sortedRecords = computed(() => [...records.value].sort((a, b) => b.service_date_ms - a.service_date_ms))

  function handle401<T>(result: Result<T>): Result<T> {
    if (!result.ok && result.error.status === 401) {
      auth.clear()
    }
    return result
  }

  async function load(): Promise<Result> {
    const result = handle401(await attempt(volunteersApi.getMyVolunteering))
    if (!result.ok) {
      return result
    }
    volunteer.value = result.value.volunteer
    records.value = result.value.records
    loaded.value = true
    return ok()
  }

  async function registerMe(realName: string): Promise<Result<volunteersApi.Volunteer>> {
    const result = handle401(await attempt(() => volunteersApi.registerVolunteer(realName)))
    if (!result.ok) {
      return result
    }
    volunteer.value = result.value.volunteer
    return ok(result.value.volunteer)
  }

  return { volunteer, records, sortedRecords, loaded, load, registerMe }
})
