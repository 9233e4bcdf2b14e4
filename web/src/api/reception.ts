/**
 * `/api/v1/reception/…`: 党员接待室 — rooms of a village with their duty roster (party members of the
 * village's register, by weekday), visits (接待记录) recorded by the member on duty, the one-step
 * referral of a visit to a social-work organisation's service (a casework application on the
 * resident's behalf), and the monthly statistics. Contract: the reception API (v1). Times are UTC
 * epoch ms; rooms are numeric ids, visits unguessable public ids. One function per endpoint.
 */
import { http } from './client'

export type VisitCategory = 'elderly' | 'medical' | 'housing' | 'employment' | 'dispute' | 'environment' | 'policy' | 'other'

/** The order of the form's chips: 养老 医疗 住房 就业 邻里纠纷 环境卫生 政策咨询 其他. */
export const VISIT_CATEGORIES: readonly VisitCategory[] = ['elderly', 'medical', 'housing', 'employment', 'dispute', 'environment', 'policy', 'other']

/** The casework application's status, read live when the visit is read. */
export type ReferralStatus = 'submitted' | 'accepted' | 'referred' | 'declined' | 'closed'

export interface DutyEntry {
  user_id: number
  name: string
  /** Masked (138****0001). */
  phone: string
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
}

export interface Room {
  id: number
  village_id: number
  village_name: string
  name: string
  address: string
  opening_hours: string
  /** Filled only for the room's managers and its members on duty. */
  duty: DutyEntry[]
  manage: boolean
  on_duty: boolean
  created_at_ms: number
}

export interface RoomInput {
  village_id: number
  name: string
  address?: string
  opening_hours?: string
}

export interface DutySlot {
  user_id: number
  weekday: number
}

export interface Resident {
  name: string
  phone: string
}

export interface VisitInput {
  room_id: number
  category: VisitCategory
  summary: string
  action_taken: string
  visited_at_ms?: number
  follow_up_ms?: number
  consent: { name_phone: boolean }
  /** Only with `consent.name_phone: true`. */
  resident?: Resident
}

export interface Referral {
  application_id: number
  referred_at_ms: number
  status: ReferralStatus
  outcome: string | null
  org_name: string
}

export interface Visit {
  id: string
  room_id: number
  room_name: string
  village_id: number
  village_name: string
  recorded_by: { user_id: number; name: string }
  visited_at_ms: number
  category: VisitCategory
  summary: string
  action_taken: string
  follow_up_ms: number | null
  consent: { name_phone: boolean }
  /** Null when nothing was kept; in clear only when `resident_visible`, masked otherwise. */
  resident: Resident | null
  resident_visible: boolean
  resolved: boolean
  referral: Referral | null
  can_refer: boolean
  created_at_ms: number
}

export interface ReferInput {
  service_id: number
  consent: boolean
  note?: string
}

export interface VisitFilter {
  room_id?: number
  village_id?: number
  /** `YYYY-MM`, China calendar month. */
  month?: string
}

export interface Counts {
  visits: number
  referred: number
  resolved: number
  by_category: Partial<Record<VisitCategory, number>>
}

export interface RoomStats extends Counts {
  room_id: number
  room_name: string
  village_id: number
  village_name: string
}

export interface VillageStats extends Counts {
  village_id: number
  village_name: string
}

export interface Stats {
  month: string
  rooms: RoomStats[]
  villages: VillageStats[]
}

const enc = (value: string | number) => encodeURIComponent(String(value))
const R = '/reception'

function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${enc(v)}`)
  return parts.length === 0 ? '' : `?${parts.join('&')}`
}

/* ---- Rooms ---- */

/** A manager of the village. 404 `village_not_found`. */
export function createRoom(body: RoomInput): Promise<{ room: Room }> {
  return http.post<{ room: Room }>(`${R}/rooms`, body)
}

export function listRooms(villageId?: number): Promise<{ rooms: Room[] }> {
  return http.get<{ rooms: Room[] }>(`${R}/rooms${query({ village_id: villageId })}`)
}

/** 404 `training.room_not_found`. */
export function getRoom(id: number): Promise<{ room: Room }> {
  return http.get<{ room: Room }>(`${R}/rooms/${enc(id)}`)
}

/** Replaces the roster; 422 `reception.not_party_member` (field `duty[i].user_id`) and the old roster stands. */
export function saveDuty(id: number, duty: DutySlot[]): Promise<{ room: Room }> {
  return http.put<{ room: Room }>(`${R}/rooms/${enc(id)}/duty`, { duty })
}

/* ---- Visits ---- */

/** 400 `reception.consent_required` (field `consent.name_phone`), `invalid_phone` (field `resident.phone`). */
export function createVisit(body: VisitInput): Promise<{ visit: Visit }> {
  return http.post<{ visit: Visit }>(`${R}/visits`, body)
}

export function listVisits(filter: VisitFilter = {}): Promise<{ visits: Visit[] }> {
  return http.get<{ visits: Visit[] }>(`${R}/visits${query({ room_id: filter.room_id, village_id: filter.village_id, month: filter.month })}`)
}

/** 404 `reception.visit_not_found`. */
export function getVisit(id: string): Promise<{ visit: Visit }> {
  return http.get<{ visit: Visit }>(`${R}/visits/${enc(id)}`)
}

/** `resolved: false` reopens it. */
export function resolveVisit(id: string, resolved: boolean): Promise<{ visit: Visit }> {
  return http.post<{ visit: Visit }>(`${R}/visits/${enc(id)}/resolve`, { resolved })
}

/**
 * The one-step referral. The same `idempotencyKey` with the same body answers the first referral
 * again. 400 `reception.referral_consent_required`; 422 `reception.contact_required`,
 * `service_not_in_village`; 404 `service_not_found`; 409 `reception.already_referred`.
 */
export function referVisit(id: string, body: ReferInput, idempotencyKey: string): Promise<{ application_id: number; visit: Visit }> {
  return http.post<{ application_id: number; visit: Visit }>(`${R}/visits/${enc(id)}/refer`, body, { headers: { 'Idempotency-Key': idempotencyKey } })
}

/* ---- Statistics ---- */

export function getStats(month?: string, villageId?: number): Promise<Stats> {
  return http.get<Stats>(`${R}/stats${query({ month, village_id: villageId })}`)
}
