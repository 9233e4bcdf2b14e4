/**
 * `/api/v1/market/…`: 社工服务进村(居), the supply–demand market — the catalogue (服务项目库) and its
 * approval, villages' needs (需求) with their ranked matches, and needs surveys (需求调查).
 * Contract: docs/api-market.md. Money is integer fen, times UTC epoch ms; projects, needs and
 * survey rounds are 20-character public ids, organisations and villages numeric ids.
 * (Quotes and contracts come later, in their own module.)
 */
import { http } from './client'
import type { PublicId } from './grants'

export { PROJECT_TYPES } from './grants'

export type PriceKind = 'fixed' | 'range'
export type OrgRating = '3A' | '4A' | '5A'
export type ProjectStatus = 'pending_approval' | 'approved' | 'rejected' | 'withdrawn'
export type NeedStatus = 'open' | 'met' | 'closed'
export type NeedSource = 'survey' | 'visits' | 'reception' | 'other'
export type AgeBand = 'under18' | '18to59' | '60to79' | '80plus' | 'unknown'

export const NEED_SOURCES: readonly NeedSource[] = ['survey', 'visits', 'reception', 'other']
export const AGE_BANDS: readonly AgeBand[] = ['under18', '18to59', '60to79', '80plus', 'unknown']

export interface Price {
  kind: PriceKind
  min_fen: number
  max_fen: number
}

export interface TeamMember {
  /** Masked (陈**) for everyone but the listing's organisation staff and the admins. */
  name: string
  role: string
  level?: string
  party_member?: boolean
}

export interface Project {
  id: PublicId
  org_id: number
  org_name: string
  org_rating: OrgRating | null
  title: string
  project_type: string
  target_group: string
  price: Price
  duration_days: number
  sessions: number
  service_hours: number
  beneficiaries: number
  /** Raw Markdown. */
  description: string
  /** Rendered and sanitised by the server: the only HTML the page inserts. */
  description_html: string
  indicators: string[]
  team: TeamMember[]
  status: ProjectStatus
  created_at_ms: number
  updated_at_ms: number
  /** One plus the number of edits; a review names the revision it read. */
  revision?: number
  /** Owners and admins (or a listing not approved): the last review. */
  review_note?: string
  reviewed_at_ms?: number | null
}

export interface ProjectView extends Project {
  can_edit: boolean
  can_review: boolean
  /** 人才库 members who accepted an invitation onto the team (docs/api-talent.md); absent without the feature. */
  pool_team?: TeamMember[]
}

/** What an organisation writes; `org_id` only on create. */
export interface ProjectInput {
  title: string
  project_type: string
  target_group: string
  price: Price
  duration_days: number
  description: string
  indicators: string[]
  sessions: number
  service_hours: number
  beneficiaries: number
  team: TeamMember[]
}

export interface ProjectFilter {
  type?: string
  q?: string
  village_id?: number
  org_id?: number
}

export type Reason =
  | { code: 'type_match'; points: number }
  | { code: 'target_group_match'; points: number; partial: 0 | 1 }
  | { code: 'budget_fit'; points: number; partial: 0 | 1; price_min_fen: number; price_max_fen: number }
  | { code: 'org_rating'; points: number; level: string }
  | { code: 'evaluations'; points: number; count: number; average_x10: number }
  | { code: 'serves_village'; points: number }

export interface Match {
  project_id: PublicId
  score: number
  reasons: Reason[]
  project: Project
}

export interface Wanted {
  village_id: number
  village_name: string
  need_id: PublicId
  need_title: string
  project_type: string
  score: number
  reasons: Reason[]
}

export interface Period {
  from_ms: number
  to_ms: number
}

export interface Need {
  id: PublicId
  village_id: number
  village_name: string
  village_rural: boolean
  title: string
  project_type: string
  target_group: string
  beneficiaries: number
  story: string
  budget_min_fen: number
  budget_max_fen: number
  period: Period
  source: NeedSource
  survey_round_id: PublicId | null
  status: NeedStatus
  created_at_ms: number
  updated_at_ms: number
}

export interface NeedInput {
  village_id: number
  title: string
  project_type: string
  target_group: string
  beneficiaries: number
  budget_min_fen: number
  budget_max_fen: number
  period: Period
  source: NeedSource
  story?: string
  survey_round_id?: PublicId
}

export interface Round {
  id: PublicId
  village_id: number
  village_name: string
  title: string
  options: string[]
  opens_at_ms: number
  closes_at_ms: number
  open: boolean
  /** By the caller. */
  answered: boolean
  can_manage: boolean
}

export interface RoundInput {
  village_id: number
  title: string
  options: string[]
  opens_at_ms: number
  closes_at_ms: number
}

export interface AnswerInput {
  picks: string[]
  other?: string
  age_band: AgeBand
}

export interface RoundResults {
  round: Round
  answers: number
  by_option: { option: string; count: number }[]
  written_in: number
  by_age_band: { age_band: AgeBand; count: number }[]
  /** Fewer than `min_answers` answers: the counts are withheld (empty lists). */
  hidden?: boolean
  min_answers?: number
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value))
    }
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

const idempotent = (key: string | undefined) => (key === undefined ? undefined : { headers: { 'Idempotency-Key': key } })

/* The catalogue. */

export function listProjects(filter: ProjectFilter = {}): Promise<{ projects: Project[] }> {
  return http.get(`/market/projects${query({ type: filter.type, q: filter.q, village_id: filter.village_id, org_id: filter.org_id })}`)
}

export function getProject(id: PublicId): Promise<{ project: ProjectView }> {
  return http.get(`/market/projects/${id}`)
}

export function listMyProjects(orgId: number): Promise<{ projects: Project[] }> {
  return http.get(`/market/projects/mine${query({ org_id: orgId })}`)
}

export function listPendingProjects(): Promise<{ projects: Project[] }> {
  return http.get('/market/projects/pending')
}

export function createProject(orgId: number, input: ProjectInput, idempotencyKey?: string): Promise<{ project: ProjectView }> {
  return http.post('/market/projects', { org_id: orgId, ...input }, idempotent(idempotencyKey))
}

export function updateProject(id: PublicId, input: ProjectInput): Promise<{ project: ProjectView }> {
  return http.put(`/market/projects/${id}`, input)
}

export function withdrawProject(id: PublicId): Promise<{ project: ProjectView }> {
  return http.post(`/market/projects/${id}/withdraw`)
}

/** `revision` is the one the admin read: an edit in between answers 409 `market.project_changed`. */
export function approveProject(id: PublicId, note = '', revision?: number): Promise<{ project: ProjectView }> {
  return http.post(`/market/projects/${id}/approve`, { ...(note === '' ? {} : { note }), ...(revision === undefined ? {} : { revision }) })
}

export function rejectProject(id: PublicId, note: string, revision?: number): Promise<{ project: ProjectView }> {
  return http.post(`/market/projects/${id}/reject`, { note, ...(revision === undefined ? {} : { revision }) })
}

export function listWanted(id: PublicId): Promise<{ wanted: Wanted[] }> {
  return http.get(`/market/projects/${id}/wanted`)
}

/* Needs. */

export function listNeeds(villageId?: number, status?: NeedStatus): Promise<{ needs: Need[] }> {
  return http.get(`/market/needs${query({ village_id: villageId, status })}`)
}

export function getNeed(id: PublicId): Promise<{ need: Need }> {
  return http.get(`/market/needs/${id}`)
}

export function createNeed(input: NeedInput, idempotencyKey?: string): Promise<{ need: Need }> {
  return http.post('/market/needs', input, idempotent(idempotencyKey))
}

export function closeNeed(id: PublicId, status: 'met' | 'closed'): Promise<{ need: Need }> {
  return http.post(`/market/needs/${id}/close`, { status })
}

export function listMatches(id: PublicId): Promise<{ matches: Match[] }> {
  return http.get(`/market/needs/${id}/matches`)
}

/* Needs surveys. */

/** Without a village: the open rounds of the caller's home village; with one: all its rounds (its staff). */
export function listRounds(villageId?: number): Promise<{ rounds: Round[] }> {
  return http.get(`/market/surveys${query({ village_id: villageId })}`)
}

export function getRound(id: PublicId): Promise<{ round: Round }> {
  return http.get(`/market/surveys/${id}`)
}

export function openRound(input: RoundInput): Promise<{ round: Round }> {
  return http.post('/market/surveys', input)
}

export function answerRound(id: PublicId, input: AnswerInput): Promise<{ round: Round }> {
  return http.post(`/market/surveys/${id}/answers`, input)
}

export function getResults(id: PublicId): Promise<{ results: RoundResults }> {
  return http.get(`/market/surveys/${id}/results`)
}
