/**
 * 社工证 and 人才库: social-worker qualifications (`/api/v1/training/qualifications…`), the talent
 * pool (`/api/v1/talent/me`, the search `/api/v1/talent`), invitations onto a catalogue project's
 * team (`/api/v1/talent/invitations…`), and the training outcomes dashboard
 * (`/api/v1/training/dashboard`, JSON or CSV). Contracts: docs/api-talent.md, the dashboard section
 * of docs/api-training.md. Times are UTC epoch ms; qualifications, invitations and projects are
 * public ids, users, organisations and villages numeric ids. Phones come masked. One function per
 * endpoint.
 */
import { http } from './client'
import { fileBody, type CertificateState } from './training'

export type QualificationLevel = 'assistant' | 'social_worker' | 'senior'
export type QualificationStatus = 'pending' | 'verified' | 'rejected'
export type InvitationStatus = 'invited' | 'accepted' | 'declined'

/** Lowest first: `qualification=` in the search means this level or above. */
export const QUALIFICATION_LEVELS: readonly QualificationLevel[] = ['assistant', 'social_worker', 'senior']

export interface Qualification {
  id: string
  user_id: number
  name: string
  /** Masked (138****0027). */
  phone: string
  level: QualificationLevel
  number: string
  status: QualificationStatus
  /** Why it was sent back; empty unless rejected. */
  reason: string
  /** A verified 社会工作师 or 高级社会工作师. */
  professional: boolean
  decided_at_ms: number | null
  created_at_ms: number
  /** The certificate's scan (社工证扫描件): holder, trainers and platform admins fetch it from `url`. */
  scan: QualificationScan | null
}

export interface QualificationScan {
  content_type: string
  size_bytes: number
  /** `/api/v1/training/qualifications/{id}/scan` (images inline, PDF as attachment; private, no-store). */
  url: string
}

export interface QualificationInput {
  level: QualificationLevel
  number: string
}

export interface PoolCertificate {
  level: string
  programme_title: string
  expires_at_ms: number
  state: CertificateState
}

export interface VillageName {
  id: number
  name: string
}

/** A pool entry: mine from `GET /talent/me`, or a search result. */
export interface PoolEntry {
  user_id: number
  name: string
  /** Masked. */
  phone: string
  in_pool: boolean
  consent_at_ms: number | null
  withdrawn_at_ms: number | null
  skills: string[]
  villages: VillageName[]
  availability: string
  intro: string
  /** The highest verified level; null for none. */
  qualification: QualificationLevel | null
  professional: boolean
  certificates: PoolCertificate[]
  /** Accepted invitations. */
  placed: number
  updated_at_ms: number
}

/** Opting in or updating one's entry; `consent` must be true. */
export interface JoinInput {
  consent: true
  skills: string[]
  village_ids: number[]
  availability: string
  intro: string
}

export interface TalentFilter {
  skill?: string
  village_id?: number
  qualification?: QualificationLevel
  certificate_level?: string
  include_expired?: boolean
}

export interface Invitation {
  id: string
  user_id: number
  member_name: string
  org_id: number
  org_name: string
  project_id: string
  project_title: string
  role: string
  message: string
  status: InvitationStatus
  created_at_ms: number
  decided_at_ms: number | null
}

export interface InvitationInput {
  user_id: number
  project_id: string
  role: string
  message?: string
}

export interface DashboardProgramme {
  programme_id: number
  title: string
  classes: number
  enrolled: number
  completed: number
  certificates_valid: number
  practice_minutes: number
}

export interface DashboardClass {
  class_id: number
  title: string
  programme_title: string
  secretaries_only: boolean
  starts_at_ms: number
  ends_at_ms: number
  enrolled: number
  completed: number
  certificates_valid: number
  practice_minutes: number
  /** Secretaries' classes only; null for the others. */
  needs_posted: number | null
  projects_bought: number | null
}

export interface DashboardVillage {
  village_id: number
  village_name: string
  members: number
  enrolled: number
  completed: number
  certificates_valid: number
  practice_minutes: number
  reception_visits: number
  referrals: number
  talent_members: number
  placed: number
}

export interface Dashboard {
  generated_at_ms: number
  programmes: DashboardProgramme[]
  classes: DashboardClass[]
  villages: DashboardVillage[]
}

export type DashboardTable = 'villages' | 'classes' | 'programmes'

const enc = (value: string | number) => encodeURIComponent(String(value))

/* ---- Qualifications (社工证) ---- */

/**
 * Records one's own. 201; 409 `talent.qualification_exists` (field `level`) — a rejected one is
 * sent back to `pending` with the new number instead.
 */
export function recordQualification(body: QualificationInput): Promise<{ qualification: Qualification }> {
  return http.post<{ qualification: Qualification }>('/training/qualifications', body)
}

/** One's own; with `status`, everyone's in it (trainers, platform_admin; 403 otherwise). */
export function listQualifications(status?: QualificationStatus): Promise<{ qualifications: Qualification[] }> {
  return http.get<{ qualifications: Qualification[] }>(status === undefined ? '/training/qualifications' : `/training/qualifications?status=${enc(status)}`)
}

/**
 * The holder uploads (or replaces) the scan of a pending qualification: the raw bytes → 200 `{qualification}`.
 * 404 `talent.qualification_not_found`; 409 `talent.qualification_decided`; 400 `file_empty`;
 * 413 `file_too_large`/`body_too_large`; 422 `file_type`.
 */
export function uploadQualificationScan(id: string, file: File): Promise<{ qualification: Qualification }> {
  return http.put<{ qualification: Qualification }>(`/training/qualifications/${enc(id)}/scan`, {}, { file: fileBody(file) })
}

/** Trainers. 409 `talent.already_decided`; 403 `talent.own_qualification`. */
export function verifyQualification(id: string): Promise<{ qualification: Qualification }> {
  return http.post<{ qualification: Qualification }>(`/training/qualifications/${enc(id)}/verify`)
}

/** Trainers; `reason` required. */
export function rejectQualification(id: string, reason: string): Promise<{ qualification: Qualification }> {
  return http.post<{ qualification: Qualification }>(`/training/qualifications/${enc(id)}/reject`, { reason })
}

/* ---- The pool (人才库) ---- */

/** 404 `talent.not_in_pool` when never joined. */
export function getMyEntry(): Promise<{ entry: PoolEntry }> {
  return http.get<{ entry: PoolEntry }>('/talent/me')
}

/** Opts in or updates. 400 `talent.consent_required`; 422 `talent.certificate_required`; 404 `village_not_found`. */
export function putMyEntry(body: JoinInput): Promise<{ entry: PoolEntry }> {
  return http.put<{ entry: PoolEntry }>('/talent/me', body)
}

/** Withdraws at once: the answer has `in_pool: false`. */
export function leavePool(): Promise<{ entry: PoolEntry }> {
  return http.delete<{ entry: PoolEntry }>('/talent/me')
}

/** Org staff, trainers, platform admins (403 for residents). At most 100, most recently updated first. */
export function searchTalent(filter: TalentFilter = {}): Promise<{ members: PoolEntry[] }> {
  const search = new URLSearchParams()
  if (filter.skill !== undefined && filter.skill !== '') {
    search.set('skill', filter.skill)
  }
  if (filter.village_id !== undefined) {
    search.set('village_id', String(filter.village_id))
  }
  if (filter.qualification !== undefined) {
    search.set('qualification', filter.qualification)
  }
  if (filter.certificate_level !== undefined && filter.certificate_level !== '') {
    search.set('certificate_level', filter.certificate_level)
  }
  if (filter.include_expired === true) {
    search.set('include_expired', 'true')
  }
  const text = search.toString()
  return http.get<{ members: PoolEntry[] }>(text === '' ? '/talent' : `/talent?${text}`)
}

/* ---- Invitations ---- */

/** The project's organisation staff. 201; 404 `market.project_not_found`, `talent.not_in_pool`; 409 `talent.already_invited`. */
export function invite(body: InvitationInput): Promise<{ invitation: Invitation }> {
  return http.post<{ invitation: Invitation }>('/talent/invitations', body)
}

/** One's own; with `orgId`, that organisation's (its staff, platform_admin). */
export function listInvitations(orgId?: number): Promise<{ invitations: Invitation[] }> {
  return http.get<{ invitations: Invitation[] }>(orgId === undefined ? '/talent/invitations' : `/talent/invitations?org_id=${enc(orgId)}`)
}

/** The invited member. 409 `talent.already_answered`. */
export function answerInvitation(id: string, answer: 'accept' | 'decline'): Promise<{ invitation: Invitation }> {
  return http.post<{ invitation: Invitation }>(`/talent/invitations/${enc(id)}/${answer}`)
}

/* ---- The outcomes dashboard (培训成效) ---- */

/** Trainers, fund admins, platform admins. */
export function getDashboard(): Promise<Dashboard> {
  return http.get<Dashboard>('/training/dashboard')
}

/** The same-origin CSV download of one table (cookie session; `Content-Disposition: attachment`). */
export function dashboardCsvUrl(table: DashboardTable): string {
  return `/api/v1/training/dashboard?format=csv&table=${enc(table)}`
}
