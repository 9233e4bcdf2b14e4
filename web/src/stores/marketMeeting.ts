/**
 * 供需见面会: the meetings (public list and page with booths and report), an admin's new meeting,
 * an organisation's booths, a village's shortlist (意向清单) with its one-tap quote requests, and
 * an organisation's view of which villages shortlisted its projects. Every booth or shortlist
 * action answers the meeting or the list, which replaces the one shown; a shortlist change also
 * reads the meeting again (its booths' counts and the report move with it).
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/marketMeeting'
import type { PartyScope } from '@/api/marketPurchase'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { ok, type Result } from './result'

export type { Booth, BoothInput, Meeting, MeetingInput, MeetingReport, Shortlisted, ShortlistRequests } from '@/api/marketMeeting'

const HOUR_MS = 3_600_000

/** A meeting's booths grouped by the hour they start in, in time order (the booth table's rows). */
export function boothsByHour(booths: readonly api.Booth[]): { hour_ms: number; booths: api.Booth[] }[] {
  const groups = new Map<number, api.Booth[]>()
  for (const booth of [...booths].sort((a, b) => a.starts_at_ms - b.starts_at_ms || a.table_no.localeCompare(b.table_no))) {
    const hour = Math.floor(booth.starts_at_ms / HOUR_MS) * HOUR_MS
    groups.set(hour, [...(groups.get(hour) ?? []), booth])
  }
  return [...groups.entries()].map(([hour_ms, list]) => ({ hour_ms, booths: list }))
}

export const useMarketMeetingStore = defineStore('marketMeeting', () => {
  const meetings = ref<api.Meeting[]>([])
  const meeting = ref<api.Meeting | null>(null)
  /** The village's intentions on the meeting shown (village staff). */
  const shortlist = ref<api.Shortlisted[]>([])
  /** Every village's intention for the organisation's projects (org staff). */
  const wantedBy = ref<api.Shortlisted[]>([])
  /** What the last 一键发出报价请求 made and skipped. */
  const requested = ref<api.ShortlistRequests | null>(null)

  // A party's shortlists are its own: not for the next account.
  const auth = useAuthStore()
  watch(
    () => auth.user?.id ?? null,
    () => {
      shortlist.value = []
      wantedBy.value = []
      requested.value = null
    },
  )

  const read = readInto

  const setMeeting = (v: { meeting: api.Meeting }) => {
    meeting.value = v.meeting
    meetings.value = meetings.value.map((m) => (m.id === v.meeting.id ? v.meeting : m))
  }

  const loadMeetings = () => read(api.listMeetings, (v) => (meetings.value = v.meetings), false)
  const loadMeeting = (id: string) => read(() => api.getMeeting(id), setMeeting, false)

  async function createMeeting(input: api.MeetingInput): Promise<Result<api.Meeting>> {
    const result = await attemptSignedIn(() => api.createMeeting(input))
    if (!result.ok) {
      return result
    }
    setMeeting(result.value)
    meetings.value = [result.value.meeting, ...meetings.value]
    return ok(result.value.meeting)
  }

  const addBooth = (id: string, input: api.BoothInput) => read(() => api.addBooth(id, input), setMeeting)
  const removeBooth = (id: string, boothId: string) => read(() => api.removeBooth(id, boothId), setMeeting)

  function loadShortlist(id: string, scope: PartyScope): Promise<Result> {
    return 'village_id' in scope ? read(() => api.listShortlist(id, scope), (v) => (shortlist.value = v.shortlist)) : read(() => api.listShortlist(id, scope), (v) => (wantedBy.value = v.shortlist))
  }

  /** Adds or removes a project from the village's list; the meeting's counts are read again. */
  async function toggleShortlist(id: string, villageId: number, projectId: string, add: boolean): Promise<Result> {
    const result = await read(
      () => (add ? api.addToShortlist(id, villageId, projectId) : api.removeFromShortlist(id, villageId, projectId)),
      (v) => (shortlist.value = v.shortlist),
    )
    if (result.ok) {
      void loadMeeting(id)
    }
    return result
  }

  /** 一键发出报价请求: the list and the meeting are read again to show the requests' status. */
  async function requestQuotes(id: string, villageId: number): Promise<Result<api.ShortlistRequests>> {
    const result = await attemptSignedIn(() => api.requestQuotesFromShortlist(id, villageId))
    if (!result.ok) {
      return result
    }
    requested.value = result.value
    await Promise.all([loadShortlist(id, { village_id: villageId }), loadMeeting(id)])
    return ok(result.value)
  }

  return {
    meetings,
    meeting,
    shortlist,
    wantedBy,
    requested,
    loadMeetings,
    loadMeeting,
    createMeeting,
    addBooth,
    removeBooth,
    loadShortlist,
    toggleShortlist,
    requestQuotes,
  }
})
