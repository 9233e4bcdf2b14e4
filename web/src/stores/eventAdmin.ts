/**
 * 活动管理 for organisation staff (`org_staff` of the event's organisation): their
 * organisations' events, creating one, the attendance list and figures, capacity and
 * cancellation. Check-in itself is the `checkin` store (it works offline).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as eventsApi from '@/api/events'
import { attemptSignedIn, useAuthStore } from './auth'
import { ok, type Result } from './result'

export type { Attendance, CreateEventRequest, EventStats, NewQuestion, NewVenue } from '@/api/events'

/** Staff lists: up to this many events per page, and at most this many pages. */
const ORG_PAGE_SIZE = 50
const ORG_MAX_PAGES = 4
/** "Include ended events" looks back this far. */
export const PAST_WINDOW_MS = 90 * 24 * 3_600_000

export interface StaffOrg {
  id: number
  name: string
}

export const useEventAdminStore = defineStore('eventAdmin', () => {
  const auth = useAuthStore()
  const orgEvents = ref<eventsApi.CareEvent[]>([])
  const attendance = ref<eventsApi.Attendance | null>(null)
  const stats = ref<eventsApi.EventStats | null>(null)

  /** The organisations the signed-in user is staff of (one entry per organisation). */
  const staffOrgs = computed<StaffOrg[]>(() => {
    const seen = new Map<number, StaffOrg>()
    for (const grant of auth.user?.roles ?? []) {
      if (grant.role === 'org_staff' && grant.org_id !== null && !seen.has(grant.org_id)) {
        seen.set(grant.org_id, { id: grant.org_id, name: grant.org_name ?? String(grant.org_id) })
      }
    }
    return [...seen.values()]
  })

  /** Runs one staff call; a 401 means the session ended elsewhere: sign out locally. */
  const run = attemptSignedIn

  /** An organisation's events, soonest first; with `sinceMs`, also those ended since then. */
  async function loadOrgEvents(orgId: number, sinceMs: number | null = null): Promise<Result> {
    const query: eventsApi.EventQuery = { org_id: orgId, ...(sinceMs === null ? {} : { from_ms: sinceMs }) }
    const collected: eventsApi.CareEvent[] = []
    let cursor: string | null = null
    for (let page = 0; page < ORG_MAX_PAGES; page++) {
      const at: string | null = cursor
      const result: Result<eventsApi.EventsPage> = await run(() => eventsApi.listEvents(query, at, ORG_PAGE_SIZE))
      if (!result.ok) {
        return result
      }
      collected.push(...result.value.events.filter((e) => !collected.some((c) => c.id === e.id)))
      cursor = result.value.next_cursor
      if (cursor === null) {
        break
      }
    }
    orgEvents.value = collected
    return ok()
  }

  const createEvent = async (body: eventsApi.CreateEventRequest): Promise<Result<eventsApi.CareEvent>> => {
    const result = await run(() => eventsApi.createEvent(body))
    return result.ok ? ok(result.value.event) : result
  }

  /** The attendance list and the figures, together. */
  async function loadAttendance(eventId: number): Promise<Result> {
    if (attendance.value?.event.id !== eventId) {
      attendance.value = null
      stats.value = null
    }
    const [list, figures] = await Promise.all([run(() => eventsApi.getAttendance(eventId)), run(() => eventsApi.getStats(eventId))])
    if (list.ok) {
      attendance.value = list.value
    }
    if (figures.ok) {
      stats.value = figures.value
    }
    return !list.ok ? list : !figures.ok ? figures : ok()
  }

  function replaceEvent(event: eventsApi.CareEvent): void {
    if (attendance.value?.event.id === event.id) {
      attendance.value = { ...attendance.value, event }
    }
    orgEvents.value = orgEvents.value.map((e) => (e.id === event.id ? event : e))
  }

  /** Raising the capacity promotes the waitlist, so the list is reloaded afterwards. */
  async function changeCapacity(eventId: number, capacity: number): Promise<Result<eventsApi.CareEvent>> {
    const result = await run(() => eventsApi.updateCapacity(eventId, capacity))
    if (!result.ok) {
      return result
    }
    replaceEvent(result.value.event)
    void loadAttendance(eventId)
    return ok(result.value.event)
  }

  async function cancelEvent(eventId: number, reason: string): Promise<Result<eventsApi.CareEvent>> {
    const result = await run(() => eventsApi.cancelEvent(eventId, reason))
    if (!result.ok) {
      return result
    }
    replaceEvent(result.value.event)
    void loadAttendance(eventId)
    return ok(result.value.event)
  }

  return {
    staffOrgs,
    orgEvents,
    attendance,
    stats,
    loadOrgEvents,
    createEvent,
    loadAttendance,
    changeCapacity,
    cancelEvent,
  }
})
