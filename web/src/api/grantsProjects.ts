/**
 * `/api/v1/grants/projects…`: 资助项目 — the agreement that turns an approved application into a
 * funded project (milestones summing to the award, optional sponsor naming 冠名), progress and
 * final reports with the use of funds, their review, closing with the leftover released, and
 * observers' visit notes. Contract: the funded projects contract of issue 11. Money is integer
 * fen, times UTC epoch ms; projects, reports and visits are 20-character public ids.
 */
import { http } from './client'
import type { FundingMode, PublicId } from './grants'

export type ProjectStatus = 'active' | 'closing' | 'closed'
export type MilestoneStatus = 'planned' | 'reported' | 'proposed' | 'paid'
export type ReportKind = 'progress' | 'final'
export type ReportStatus = 'submitted' | 'approved' | 'returned'

export interface Milestone {
  seq: number
  label: string
  amount_fen: number
  due_ms: number
  status: MilestoneStatus
  /** The fund's disbursement (an integer id) once the milestone's payment is proposed. */
  disbursement_id: number | null
}

export interface Reporting {
  /** Over six months: a progress report at least every three months. */
  long_project: boolean
  next_due_ms: number | null
  overdue: boolean
  /** ends_at_ms + 90 days. */
  final_due_ms: number
}

export interface Sponsor {
  name: string
  naming_text: string
  amount_fen: number
}

export interface UseOfFundsLine {
  item: string
  amount_fen: number
}

export interface Report {
  id: PublicId
  project_id: PublicId
  kind: ReportKind
  period_end_ms: number
  body: string
  milestone_seq: number | null
  use_of_funds: UseOfFundsLine[]
  used_fen: number
  status: ReportStatus
  review_note: string
  submitted_at_ms: number
  reviewed_at_ms: number | null
  /** The fund disbursement an approved report proposed (integer id; status proposed | paid). */
  disbursement: { id: number; status: 'proposed' | 'paid'; amount_fen: number } | null
}

export interface Visit {
  id: PublicId
  /** Masked on public pages (张**). */
  by: string
  visited_at_ms: number
  body: string
  created_at_ms: number
}

/** `user_id` only for the organisation's staff and fund admins; in public the name is masked. */
export interface Observer {
  user_id?: number
  name: string
}

/** What lists show. */
export interface ProjectSummary {
  id: PublicId
  title: string
  org_name: string
  project_type: string
  funding_mode: FundingMode
  awarded_fen: number
  disbursed_fen: number
  sponsor: Sponsor | null
  status: ProjectStatus
  starts_at_ms: number
  ends_at_ms: number
  call_id: PublicId
  call_title: string
  reporting: Reporting
}

export interface Project extends ProjectSummary {
  application_id: PublicId
  org_id: number
  villages: { id: number; name: string }[]
  co_funders: { name: string; share_fen: number }[]
  partner_name: string | null
  in_kind_note: string | null
  released_fen: number
  leftover_fen: number
  leftover_note: string
  milestones: Milestone[]
  /** Public: approved only; the organisation's staff and fund admins see every status. */
  reports: Report[]
  visits: Visit[]
  observers: Observer[]
  created_at_ms: number
  /** The project organisation's staff, while the project is not closed. */
  can_report: boolean
  /** Fund admins. Observers are not flagged here: they are the projects of `listObserving()`. */
  can_manage: boolean
}

export interface MilestoneInput {
  label: string
  amount_fen: number
  due_ms: number
}

export interface AgreementInput {
  starts_at_ms: number
  ends_at_ms: number
  milestones: MilestoneInput[]
  sponsorship_id?: number
  sponsor_fen?: number
  note?: string
}

export interface ReportInput {
  kind: ReportKind
  period_end_ms: number
  body: string
  milestone_seq?: number
  use_of_funds: UseOfFundsLine[]
}

const enc = (value: string) => encodeURIComponent(value)

/** One attempt = one `idempotencyKey`: a retry answers the first project. */
export function createProject(applicationId: PublicId, body: AgreementInput, idempotencyKey: string): Promise<{ project: Project }> {
  return http.post(`/grants/applications/${enc(applicationId)}/project`, body, { headers: { 'Idempotency-Key': idempotencyKey } })
}

export function listProjects(callId: PublicId | null = null): Promise<{ projects: ProjectSummary[] }> {
  return http.get(`/grants/projects${callId === null ? '' : `?call_id=${enc(callId)}`}`)
}

export function getProject(id: PublicId): Promise<{ project: Project }> {
  return http.get(`/grants/projects/${enc(id)}`)
}

export function listMyProjects(): Promise<{ projects: ProjectSummary[] }> {
  return http.get('/grants/my/projects')
}

export function listObserving(): Promise<{ projects: ProjectSummary[] }> {
  return http.get('/grants/me/observing')
}

export function fileReport(projectId: PublicId, body: ReportInput): Promise<{ report: Report }> {
  return http.post(`/grants/projects/${enc(projectId)}/reports`, body)
}

export function approveReport(id: PublicId, note: string): Promise<{ report: Report }> {
  return http.post(`/grants/reports/${enc(id)}/approve`, note === '' ? {} : { note })
}

export function returnReport(id: PublicId, note: string): Promise<{ report: Report }> {
  return http.post(`/grants/reports/${enc(id)}/return`, { note })
}

export function closeProject(id: PublicId, leftoverNote: string): Promise<{ project: Project }> {
  return http.post(`/grants/projects/${enc(id)}/close`, { leftover_note: leftoverNote })
}

export function addObserver(projectId: PublicId, userId: number): Promise<{ observer: Observer }> {
  return http.post(`/grants/projects/${enc(projectId)}/observers`, { user_id: userId })
}

export function removeObserver(projectId: PublicId, userId: number): Promise<void> {
  return http.delete(`/grants/projects/${enc(projectId)}/observers/${userId}`)
}

export function addVisit(projectId: PublicId, body: { visited_at_ms: number; body: string }): Promise<{ visit: Visit }> {
  return http.post(`/grants/projects/${enc(projectId)}/visits`, body)
}
