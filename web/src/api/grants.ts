/**
 * `/api/v1/grants/*`: 关爱基金项目申报与评审 — grant calls, organisations' applications (draft,
 * amend, submit, withdraw), public support votes, eligibility, the reviewer pool with conflicts of
 * interest, review meetings with their panel assignment, the reviewer's scoring sheet, an
 * application's scores and a meeting's ranking; decisions within the call's budget, the public
 * notice (公示) of the results with its objections and their answers. Contract: docs/api-grants.md (scoring, scores and
 * ranking as the lead specified them while the server grows). Money is integer fen, times UTC
 * epoch ms; calls, applications, reviewers, meetings and seats are 20-character public ids,
 * organisations and villages numeric ids.
 */
import { http } from './client'
import type { VillageRef } from './types'

export type PublicId = string

/** `cancelled` only for fund admins; the others follow the call's dates. */
export type CallPhase = 'upcoming' | 'open' | 'support' | 'review' | 'cancelled'
export type FundingMode = 'full' | 'joint' | 'cooperative'
export const FUNDING_MODES: readonly FundingMode[] = ['full', 'joint', 'cooperative']

/** The project types the web offers when a call is created (free strings on the server). */
export const PROJECT_TYPES = ['长者服务', '青少年', '残障支持', '家庭综合', '社区营造', '外来务工融入'] as const

export interface RubricLine {
  criterion: string
  /** 1..100. */
  weight: number
}

export interface CallInput {
  title: string
  description?: string
  project_types: string[]
  budget_fen: number
  cap_fen: number
  opens_at_ms: number
  closes_at_ms: number
  support_closes_at_ms?: number
  review_at_ms?: number
  notice_at_ms?: number
  funding_modes: FundingMode[]
  min_cofunding_pct?: number
  min_org_rating?: '3A' | '4A' | '5A'
  panel: { experts: number; citizens: number }
  rubric: RubricLine[]
  expert_weight_pct?: number
  normalise?: boolean
  purpose_id?: number
  objection_days?: number
}

export interface Call {
  id: PublicId
  title: string
  description: string
  project_types: string[]
  budget_fen: number
  cap_fen: number
  awarded_fen: number
  opens_at_ms: number
  closes_at_ms: number
  support_closes_at_ms: number | null
  review_at_ms: number | null
  notice_at_ms: number | null
  objection_days: number
  funding_modes: FundingMode[]
  min_cofunding_pct: number
  min_org_rating: string | null
  panel: { experts: number; citizens: number }
  rubric: RubricLine[]
  expert_weight_pct: number | null
  normalise: boolean
  purpose_id: number | null
  status: 'published' | 'cancelled'
  phase: CallPhase
}

export type ApplicationStatus = 'draft' | 'submitted' | 'withdrawn' | 'ineligible' | 'eligible' | 'under_review' | 'decided'

export interface BudgetLine {
  item: string
  amount_fen: number
}

export interface CoFunder {
  name: string
  org_id: number | null
  share_fen: number
}

/** What lists show (`GET …/calls/{id}/applications`, `GET /grants/my/applications`). */
export interface ApplicationSummary {
  id: PublicId
  call_id: PublicId
  org: { id: number; name: string }
  title: string
  project_type: string
  requested_fen: number
  /** The budget lines' total. */
  total_fen: number
  funding_mode: FundingMode
  status: ApplicationStatus
  decision: 'approved' | 'rejected' | null
  awarded_fen: number
  support_count: number
  submitted_at_ms: number | null
  updated_at_ms: number
}

/** What the caller may do with an application now. */
export interface ApplicationViewer {
  owner: boolean
  admin: boolean
  reviewer: boolean
  voted: boolean
  can_amend: boolean
  can_submit: boolean
  can_withdraw: boolean
}

export interface Application extends ApplicationSummary {
  summary: string
  beneficiaries: string
  beneficiary_count: number
  goals: string
  indicators: string
  activities: string
  starts_at_ms: number | null
  ends_at_ms: number | null
  /** Village ids (names from `GET /villages`). */
  villages: number[]
  budget_lines: BudgetLine[]
  co_funders: CoFunder[]
  partner_name: string
  in_kind_note: string
  in_kind_fen: number
  sponsorship_id: number | null
  call: { id: PublicId; title: string; phase: CallPhase; closes_at_ms: number; support_closes_at_ms: number | null }
  // Staff of the organisation and fund admins only:
  /** Problem keys found by the automatic checks at submission. */
  auto_checks?: string[]
  eligibility_note?: string
  version?: number
  decision_reason?: string
  /** Staff of the organisation, fund admins and seated reviewers only (metadata; see Attachments). */
  attachments?: Attachment[]
  viewer: ApplicationViewer
}

/** The fields a draft carries; PUT sends them without `call_id`/`org_id`. */
export interface ApplicationDraft {
  title: string
  project_type: string
  villages: number[]
  beneficiaries: string
  beneficiary_count: number
  summary: string
  goals: string
  indicators: string
  activities: string
  starts_at_ms?: number
  ends_at_ms?: number
  budget_lines: BudgetLine[]
  requested_fen: number
  funding_mode: FundingMode
  co_funders: CoFunder[]
  partner_name: string
  in_kind_note: string
  in_kind_fen: number
  sponsorship_id?: number | null
}

export interface CreateApplicationRequest extends ApplicationDraft {
  call_id: PublicId
  org_id: number
}

export interface SupportResponse {
  support_count: number
  counted: boolean
  already_voted: boolean
}

export type ReviewerKind = 'expert' | 'citizen'
export type ReviewerStatus = 'applied' | 'approved' | 'rejected' | 'suspended'

export interface Reviewer {
  id: PublicId
  kind: ReviewerKind
  status: ReviewerStatus
  name: string
  title: string
  project_types: string[]
  load_cap: number
  user_id?: number
  village?: VillageRef | null
  statement?: string
  declarations?: string
  created_at_ms?: number
}

export interface Conflict {
  org_id: number | null
  village_id: number | null
  note: string
}

export type SeatStatus = 'proposed' | 'accepted' | 'declined' | 'removed'

/** Why the assignment placed this reviewer here. */
export interface SeatReason {
  tag_match?: boolean
  village_match?: boolean
  load_after?: number
  cost?: number
}

export interface Seat {
  id: PublicId
  application_id: PublicId
  application_title: string
  project_type: string
  reviewer_id: PublicId
  reviewer_name: string
  kind: ReviewerKind
  seat_no: number
  status: SeatStatus
  cost: number
  reason: SeatReason
}

export type ShortfallReason = 'no_eligible_reviewers' | 'not_enough_eligible' | 'at_load_cap'

export interface Shortfall {
  application_id: PublicId
  kind: ReviewerKind
  missing: number
  reason: ShortfallReason
  eligible: number
  conflicted: number
  unavailable: number
  untagged: number
  declined: number
  at_cap: number
}

export interface Meeting {
  id: PublicId
  call_id: PublicId
  title: string
  held_at_ms: number
  venue: string
  scores_due_ms: number
  status: 'planned' | 'assigned' | 'closed'
  cost: number | null
}

export interface MeetingInput {
  call_id: PublicId
  held_at_ms: number
  scores_due_ms: number
  venue?: string
  title?: string
}

export interface AssignOutcome {
  assignments: Seat[]
  shortfalls: Shortfall[]
  cost: number
  phases: number
  elapsed_us: number
  dry_run: boolean
  meeting: Meeting
}

export interface AddExpertRequest {
  user_id: number
  kind: 'expert'
  project_types: string[]
  load_cap?: number
  title?: string
  statement?: string
}

export interface ApplyReviewerRequest {
  statement: string
  project_types: string[]
  village_id?: number
  declarations?: string
}

export interface ConflictRequest {
  org_id?: number
  village_id?: number
  note: string
}

// ---- Scoring (the lead's routes, built alongside)

export type ReviewStatus = 'none' | 'draft' | 'submitted' | 'abstained'

export interface Review {
  application_id: PublicId
  status: ReviewStatus
  /** criterion → 0..10. */
  scores: Record<string, number>
  comment: string
  /** Weighted 0..10, or null (nothing submitted). */
  score: number | null
  submitted_at_ms: number | null
}

export interface ReviewSheet {
  review: Review
  application: Application
  rubric: RubricLine[]
  scores_due_ms: number
}

export interface ReviewRequest {
  scores: Record<string, number>
  comment: string
  status?: 'draft' | 'submitted' | 'abstained'
}

export interface ApplicationScores {
  application_id: PublicId
  overall: number | null
  expert: number | null
  citizen: number | null
  overall_norm: number | null
  expert_norm: number | null
  citizen_norm: number | null
  valid: number
  abstained: number
  recused: number
  pending: number
  insufficient_reviews: boolean
  criteria: { criterion: string; mean: number | null }[]
}

export interface ReviewRow {
  reviewer: { id: PublicId; name: string; kind: ReviewerKind }
  status: ReviewStatus
  scores: Record<string, number>
  comment: string
  score: number | null
}

export interface RankingRow {
  rank: number
  application_id: PublicId
  title: string
  org_name: string
  project_type: string
  requested_fen: number
  /** `eligible`, `under_review` or `decided` (decisions only from `under_review` on). */
  status: ApplicationStatus
  overall: number | null
  expert: number | null
  citizen: number | null
  insufficient_reviews: boolean
  proposed_fen: number
  running_total_fen: number
  note: string
}

export interface Ranking {
  ranking: RankingRow[]
  budget_fen: number
  /** What the call's decisions award now (the budget's used part). */
  awarded_fen: number
  cap_fen: number
}

// ---- Decisions and the public notice

export type Decision = 'approved' | 'rejected'

/** An approval names `awarded_fen` (1 … min(requested, cap)); a rejection none. */
export interface DecisionRequest {
  decision: Decision
  awarded_fen?: number
  reason: string
}

export interface Notice {
  id: PublicId
  call_id: PublicId
  call_title: string
  note: string
  published_at_ms: number
  objections_close_ms: number
}

/** One decided application in the notice, in rank order. */
export interface NoticeResult {
  rank: number
  application_id: PublicId
  title: string
  org_name: string
  project_type: string
  funding_mode: FundingMode
  requested_fen: number
  decision: Decision | null
  awarded_fen: number
  reason: string
  overall: number | null
  expert: number | null
  citizen: number | null
  insufficient_reviews: boolean
}

export type ObjectionStatus = 'open' | 'upheld' | 'dismissed'

export interface Objection {
  id: PublicId
  application_id: PublicId
  application_title: string
  /** Masked (张**) except for fund admins and the objector. */
  by: string
  status: ObjectionStatus
  answer: string
  created_at_ms: number
  answered_at_ms: number | null
  /** Fund admins and the objector only. */
  body?: string
}

export interface NoticeView {
  notice: Notice
  budget_fen: number
  awarded_fen: number
  results: NoticeResult[]
  objections: Objection[]
}

const enc = (value: string) => encodeURIComponent(value)

// ---- Calls

/** Public; fund admins also see cancelled calls. */
export function listCalls(): Promise<{ calls: Call[]; now_ms: number }> {
  return http.get('/grants/calls')
}

export function getCall(id: PublicId): Promise<{ call: Call; now_ms: number }> {
  return http.get(`/grants/calls/${enc(id)}`)
}

/** 201; 400 naming the field at fault (`panel.experts`, `rubric[1].weight`). */
export function createCall(body: CallInput): Promise<{ call: Call }> {
  return http.post('/grants/calls', body)
}

/** The public sees applications that passed eligibility; fund admins every submitted one. */
export function listCallApplications(id: PublicId, status: ApplicationStatus | null = null): Promise<{ applications: ApplicationSummary[] }> {
  const query = status === null ? '' : `?status=${enc(status)}`
  return http.get(`/grants/calls/${enc(id)}/applications${query}`)
}

// ---- Applications

/** One attempt = one `idempotencyKey`: a retry answers the first draft. */
export function createApplication(body: CreateApplicationRequest, idempotencyKey: string): Promise<{ application: Application }> {
  return http.post('/grants/applications', body, { headers: { 'Idempotency-Key': idempotencyKey } })
}

export function getApplication(id: PublicId): Promise<{ application: Application }> {
  return http.get(`/grants/applications/${enc(id)}`)
}

/** 409 `grants.deadline_passed` / `grants.not_amendable`. */
export function amendApplication(id: PublicId, body: ApplicationDraft): Promise<{ application: Application }> {
  return http.put(`/grants/applications/${enc(id)}`, body)
}

/** 422 naming the field the automatic checks refused (`requested_fen`, `co_funders`, …). */
export function submitApplication(id: PublicId): Promise<{ application: Application }> {
  return http.post(`/grants/applications/${enc(id)}/submit`)
}

export function withdrawApplication(id: PublicId): Promise<{ application: Application }> {
  return http.post(`/grants/applications/${enc(id)}/withdraw`)
}

/** Fund admins, after the close (409 `grants.call_still_open` before). */
export function setEligibility(id: PublicId, eligible: boolean, note: string): Promise<{ application: Application }> {
  return http.post(`/grants/applications/${enc(id)}/eligibility`, { eligible, note })
}

/** One vote per account; 403 `grants.own_application`, 409 `grants.support_closed`. */
export function supportApplication(id: PublicId): Promise<SupportResponse> {
  return http.post(`/grants/applications/${enc(id)}/support`)
}

/** The applications of the organisations the caller staffs. */
export function listMyApplications(): Promise<{ applications: ApplicationSummary[] }> {
  return http.get('/grants/my/applications')
}

// ---- Reviewers

export function addExpert(body: AddExpertRequest): Promise<{ reviewer: Reviewer }> {
  return http.post('/grants/reviewers', body)
}

/** 409 `grants.already_reviewer`, 422 `grants.village_required`. */
export function applyReviewer(body: ApplyReviewerRequest): Promise<{ reviewer: Reviewer }> {
  return http.post('/grants/reviewers/apply', body)
}

export function approveReviewer(id: PublicId): Promise<{ reviewer: Reviewer }> {
  return http.post(`/grants/reviewers/${enc(id)}/approve`)
}

export function rejectReviewer(id: PublicId): Promise<{ reviewer: Reviewer }> {
  return http.post(`/grants/reviewers/${enc(id)}/reject`)
}

export function listReviewers(status: ReviewerStatus | null = null): Promise<{ reviewers: Reviewer[] }> {
  const query = status === null ? '' : `?status=${enc(status)}`
  return http.get(`/grants/reviewers${query}`)
}

export function declareConflict(reviewerId: PublicId, body: ConflictRequest): Promise<{ conflict: Conflict & { created_at_ms: number } }> {
  return http.post(`/grants/reviewers/${enc(reviewerId)}/conflicts`, body)
}

/** 404 for someone who is not a reviewer. */
export function getMyReviewer(): Promise<{ reviewer: Reviewer; conflicts: Conflict[]; seats: Seat[] }> {
  return http.get('/grants/me/reviewer')
}

// ---- Meetings and seats

export function createMeeting(body: MeetingInput): Promise<{ meeting: Meeting }> {
  return http.post('/grants/meetings', body)
}

export function listMeetings(callId: PublicId): Promise<{ meetings: Meeting[] }> {
  return http.get(`/grants/meetings?call_id=${enc(callId)}`)
}

export function getMeeting(id: PublicId): Promise<{ meeting: Meeting; call: Call; assignments: Seat[] }> {
  return http.get(`/grants/meetings/${enc(id)}`)
}

/** `dryRun`: the panels the solver would write, nothing written. 409 `grants.pool_changed`. */
export function assignMeeting(id: PublicId, dryRun: boolean): Promise<AssignOutcome> {
  return http.post(`/grants/meetings/${enc(id)}/assign${dryRun ? '?dry_run=1' : ''}`)
}

export function setAvailability(meetingId: PublicId, available: boolean, reviewerId?: PublicId): Promise<{ available: boolean }> {
  return http.post(`/grants/meetings/${enc(meetingId)}/availability`, reviewerId === undefined ? { available } : { available, reviewer_id: reviewerId })
}

/** 409 `grants.seat_not_open`. */
export function acceptSeat(id: PublicId): Promise<{ seat: Seat }> {
  return http.post(`/grants/seats/${enc(id)}/accept`)
}

export function declineSeat(id: PublicId): Promise<{ seat: Seat }> {
  return http.post(`/grants/seats/${enc(id)}/decline`)
}

// ---- Scoring, scores and ranking

/** The seated reviewer's sheet (`review.status` is `none` before anything is saved). */
export function getReview(applicationId: PublicId): Promise<ReviewSheet> {
  return http.get(`/grants/reviews/${enc(applicationId)}`)
}

/** 404 `grants.seat_not_found`, 409 `grants.scores_closed`, 400 naming `scores.<criterion>`. */
export function saveReview(applicationId: PublicId, body: ReviewRequest): Promise<{ review: Review }> {
  return http.put(`/grants/reviews/${enc(applicationId)}`, body)
}

export function getApplicationScores(id: PublicId): Promise<{ scores: ApplicationScores; reviews: ReviewRow[] }> {
  return http.get(`/grants/applications/${enc(id)}/scores`)
}

export function getRanking(meetingId: PublicId): Promise<Ranking> {
  return http.get(`/grants/meetings/${enc(meetingId)}/ranking`)
}

// ---- Attachments (附件): docs/api-grants.md, Attachments

/** One file of an application (its bytes are downloaded from `url`). */
export interface Attachment {
  id: PublicId
  label: string
  name: string
  content_type: AttachmentType
  size_bytes: number
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string
  created_at_ms: number
  url: string
}

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number]
/** 10 MiB a file, 10 files an application (the server decides both). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
export const MAX_ATTACHMENTS = 10

/**
 * The applicant's staff add a file: its raw bytes with its own type (`application/octet-stream`
 * when the browser names none; the server reads the real type from the bytes) → 201
 * `{attachment}`. 400 `grants.attachment_empty`, 413 `grants.attachment_too_large` /
 * `body_too_large`, 422 `grants.attachment_type`, 409 `grants.too_many_attachments` /
 * `grants.deadline_passed` / `grants.not_amendable`, 404 for anyone else.
 */
export function uploadAttachment(applicationId: PublicId, file: File, label: string): Promise<{ attachment: Attachment }> {
  const body = file.type === '' ? new Blob([file], { type: 'application/octet-stream' }) : file
  const query = `label=${encodeURIComponent(label)}&name=${encodeURIComponent(file.name)}`
  return http.post<{ attachment: Attachment }>(`/grants/applications/${applicationId}/attachments?${query}`, {}, { file: body })
}

/** The applicant's staff remove a file (same state and deadline rule) → 204. */
export function deleteAttachment(applicationId: PublicId, attachmentId: PublicId): Promise<void> {
  return http.delete<void>(`/grants/applications/${applicationId}/attachments/${attachmentId}`)
}

// ---- Decisions and the public notice

/** 422 `grants.award_out_of_range`, 409 `grants.over_budget` (both naming `awarded_fen`), `grants.decision_changed`, `grants.not_decidable`. */
export function decideApplication(id: PublicId, body: DecisionRequest): Promise<{ application: Application }> {
  return http.post(`/grants/applications/${enc(id)}/decision`, body)
}

/** 201; 409 `grants.undecided_applications` while any application is under review, `grants.notice_published`. */
export function publishNotice(callId: PublicId, note: string): Promise<NoticeView> {
  return http.post(`/grants/calls/${enc(callId)}/notice`, note === '' ? {} : { note })
}

/** Public; 404 `grants.notice_not_found` before the notice. */
export function getNotice(callId: PublicId): Promise<NoticeView> {
  return http.get(`/grants/calls/${enc(callId)}/notice`)
}

/** Signed in; 409 `grants.objections_closed` after the window. */
export function fileObjection(noticeId: PublicId, applicationId: PublicId, body: string): Promise<{ objection: Objection }> {
  return http.post(`/grants/notices/${enc(noticeId)}/objections`, { application_id: applicationId, body })
}

/** Fund admins, once (409 `grants.already_answered`). */
export function answerObjection(id: PublicId, upheld: boolean, answer: string): Promise<{ objection: Objection }> {
  return http.post(`/grants/objections/${enc(id)}/answer`, { upheld, answer })
}
