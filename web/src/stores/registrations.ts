/**
 * 我的活动: the signed-in resident's registrations with their events, split into upcoming and
 * past (an event is past once it has ended), for the list and the ticket page.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as eventsApi from '@/api/events'
import { useAuthStore } from './auth'
import { attempt, ok, type Result } from './result'

export type { MyRegistration } from '@/api/events'

export const useRegistrationsStore = defineStore('registrations', () => {
  const auth = useAuthStore()
  const mine = ref<eventsApi.MyRegistration[]>([])
  const loaded = ref(false)

  async function load(): Promise<Result> {
    const result = await attempt(eventsApi.listMyRegistrations)
    if (!result.ok) {
      if (result.error.status === 401) {
        auth.clear()
      }
      return result
    }
    mine.value = result.value.registrations
    loaded.value = true
    return ok()
  }

  /** Events not yet ended, soonest first. */
  function upcoming(nowMs: number): eventsApi.MyRegistration[] {
    return mine.value.filter((r) => r.event.ends_at_ms > nowMs).sort((a, b) => a.event.starts_at_ms - b.event.starts_at_ms)
  }

  /** Ended events, most recent first. */
  function past(nowMs: number): eventsApi.MyRegistration[] {
    return mine.value.filter((r) => r.event.ends_at_ms <= nowMs).sort((a, b) => b.event.starts_at_ms - a.event.starts_at_ms)
  }

  /** One registration (for its ticket), loading the list if it is not there yet. */
  async function find(id: eventsApi.RegistrationId): Promise<Result<eventsApi.MyRegistration | null>> {
    let found = mine.value.find((r) => r.id === id)
    if (found === undefined) {
      const result = await load()
      if (!result.ok) {
        return result
      }
      found = mine.value.find((r) => r.id === id)
    }
    return ok(found ?? null)
  }

  function reset(): void {
    mine.value = []
    loaded.value = false
  }

  return { mine, loaded, load, upcoming, past, find, reset }
})
