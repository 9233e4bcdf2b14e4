/**
 * `/api/v1/market/meetings*`: the 供需见面会 (supply–demand meeting) — an event of the events
 * domain (`event_id`: sign-ups, tickets and check-ins are the events API's) plus the market's
 * invitations, booths and shortlists, and its public report. Contract: docs/api-market.md "The
 * supply–demand meeting (供需见面会)". Meetings and booths are addressed by 20-character public
 * ids, villages and organisations by numbers; money is integer fen, times UTC epoch ms.
 */
import { http } from './client'
import type { PartyScope } from './marketPurchase'
import type { VillageRef } from './types'

export interface Booth {
  id: string
  org_id: number
  org_name: string
  project_id: string
  project_title: string
  project_type: string
  starts_at_ms: number
  ends_at_ms: number
  table_no: string
  /** How many villages shortlisted the project. */
  shortlisted_by: number
}

/** The yardstick of a meeting: how many projects, how much money. */
export interface MeetingReport {
  projects_presented: number
  villages_invited: number
  villages_shortlisting: number
  intentions: number
  quote_requests: number
  contracts: number
  contracts_fen: number
  attendees_checked_in: number
}

export interface Meeting {
  id: string
  event_id: number
  title: string
  description: string
  host_org_id: number
  host_org_name: string
  venue: { name: string; address: string }
  starts_at_ms: number
  ends_at_ms: number
  seats_per_village: number
  seats_per_org: number
  villages: VillageRef[]
  orgs: VillageRef[]
  booths: Booth[]
  report: MeetingReport
}

export interface MeetingInput {
  title: string
  description: string
  host_org_id: number
  venue_id: number
  starts_at_ms: number
  ends_at_ms: number
  signup_closes_at_ms?: number
  capacity: number
  seats_per_village: number
  seats_per_org: number
  village_ids: number[]
  org_ids: number[]
}

export interface BoothInput {
  project_id: string
  starts_at_ms: number
  ends_at_ms: number
  table_no?: string
}

/** One village's intention for one booth's project. */
export interface Shortlisted {
  village_id: number
  village_name: string
  booth: Booth
  quote_request_id: string | null
  quote_request_status: 'open' | 'accepted' | 'withdrawn' | null
  created_at_ms: number
}

/** What 一键发出报价请求 made, and the projects it left because a request was already open. */
export interface ShortlistRequests {
  quote_requests: { id: string; project_id: string; project_title: string; org_name: string; status: string }[]
  skipped: string[]
}

const meetingUrl = (id: string) => `/market/meetings/${encodeURIComponent(id)}`
const scopeQuery = (scope: PartyScope) => ('village_id' in scope ? `?village_id=${scope.village_id}` : `?org_id=${scope.org_id}`)

export function listMeetings(): Promise<{ meetings: Meeting[] }> {
  return http.get('/market/meetings')
}

export function getMeeting(id: string): Promise<{ meeting: Meeting }> {
  return http.get(meetingUrl(id))
}

export function createMeeting(input: MeetingInput): Promise<{ meeting: Meeting }> {
  return http.post('/market/meetings', input)
}

export function addBooth(id: string, input: BoothInput): Promise<{ meeting: Meeting }> {
  return http.post(`${meetingUrl(id)}/booths`, input)
}

export function removeBooth(id: string, boothId: string): Promise<{ meeting: Meeting }> {
  return http.delete(`${meetingUrl(id)}/booths/${encodeURIComponent(boothId)}`)
}

export function listShortlist(id: string, scope: PartyScope): Promise<{ shortlist: Shortlisted[] }> {
  return http.get(`${meetingUrl(id)}/shortlist${scopeQuery(scope)}`)
}

export function addToShortlist(id: string, villageId: number, projectId: string): Promise<{ shortlist: Shortlisted[] }> {
  return http.post(`${meetingUrl(id)}/shortlist`, { village_id: villageId, project_id: projectId })
}

export function removeFromShortlist(id: string, villageId: number, projectId: string): Promise<{ shortlist: Shortlisted[] }> {
  return http.delete(`${meetingUrl(id)}/shortlist/${encodeURIComponent(projectId)}?village_id=${villageId}`)
}

export function requestQuotesFromShortlist(id: string, villageId: number): Promise<ShortlistRequests> {
  return http.post(`${meetingUrl(id)}/shortlist/quote-requests`, { village_id: villageId })
}
