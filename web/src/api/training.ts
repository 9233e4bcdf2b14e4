/**
 * `/api/v1/training/…`: 党员社工培育 — the party-member register, programmes, classes (each session
 * is a roster-only event of the events domain: tickets, attendance and QR check-in are theirs),
 * enrolment and rosters, materials, the quiz and the assignment, practice (服务实践), progress and
 * certificates, and the public certificate check. Contract: docs/api-training.md. Times are UTC
 * epoch ms; classes, programmes and users are numeric ids, practice records 20-character public
 * ids, certificates their number (`GC2026-…`). One function per endpoint.
 */
import { http } from './client'
import type { Need, NeedInput } from './market'

export type ClassScope = 'mine' | 'teaching' | 'open' | 'all'
export type Enrolment = 'enrolled' | 'withdrawn'
export type PracticeKind = 'reception' | 'home_visit' | 'volunteer' | 'other'
export type PracticeMethod = 'casework' | 'groupwork' | 'community' | 'other'
export type PracticeStatus = 'pending' | 'confirmed' | 'rejected'
export type AssessmentStatus = 'passed' | 'pending' | 'failed' | 'not_required'
export type CertificateState = 'valid' | 'expired' | 'revoked'

/** What a member may log; `reception` (党员接待室 shifts) needs a room and is logged from the room's duty. */
export const PRACTICE_KINDS: readonly PracticeKind[] = ['home_visit', 'volunteer', 'other']
export const PRACTICE_METHODS: readonly PracticeMethod[] = ['casework', 'groupwork', 'community', 'other']

export interface Member {
  user_id: number
  name: string
  /** Masked (138****0001). */
  phone: string
  village_id: number
  village_name: string
  secretary: boolean
}

export interface MemberInput {
  phone: string
  village_id: number
  secretary: boolean
}

export interface Rules {
  min_attendance_pct: number
  practice_hours: number
  pass_mark: number
}

export interface ProgrammeInput {
  title: string
  description: string
  modules: string[]
  rules: Rules
  certificate: { level: string; valid_years: number }
}

export interface Programme extends ProgrammeInput {
  id: number
  /** The description rendered and sanitised by the server. */
  description_html: string
  created_at_ms: number
}

export interface Named {
  id: number
  name: string
}

export interface Session {
  /** The session's event (events domain): tickets, attendance, check-in. */
  event_id: number
  seq: number
  module: string
  starts_at_ms: number
  ends_at_ms: number
  /** The event's: published | cancelled. */
  status: string
}

export interface Question {
  text: string
  options: string[]
  multiple: boolean
  /** The right option indexes: only the class's trainers see them. */
  answer?: number[]
}

export type MaterialKind = 'markdown' | 'pdf' | 'image'

export interface Material {
  id: string
  event_id: number
  title: string
  kind: MaterialKind
  /** Markdown as written (empty for a file). */
  body: string
  /** Rendered and sanitised by the server: the only HTML the pages insert. */
  body_html: string
  /** A file's original name, its type as the server read it from the bytes, and where to fetch it; null for Markdown. */
  file_name: string | null
  content_type: string | null
  /** 0 for Markdown. */
  size_bytes: number
  /** `/api/v1/training/materials/{id}/file`: the class's trainers and enrolled trainees (images inline, PDFs as attachment). */
  url: string | null
  created_at_ms: number
}

export interface TrainingClass {
  id: number
  programme_id: number
  programme_title: string
  title: string
  org_id: number
  org_name: string
  venue_id: number
  venue_name: string
  capacity: number
  enrolled: number
  eligible: { village_ids: number[]; secretaries_only: boolean }
  villages: Named[]
  trainers: Named[]
  refresher: boolean
  starts_at_ms: number
  ends_at_ms: number
  sessions: Session[]
  session_event_ids: number[]
  quiz: Question[]
  assignment: string | null
  /** Only for the class's trainers and enrolled members (else empty). */
  materials: Material[]
  my_enrolment: Enrolment | null
  can_enrol: boolean
  is_trainer: boolean
}

export interface SessionInput {
  starts_at_ms: number
  ends_at_ms: number
  module: string
}

export interface QuestionInput {
  text: string
  options: string[]
  answer: number[]
  multiple: boolean
}

export interface ClassInput {
  programme_id: number
  title: string
  org_id?: number
  venue_id: number
  capacity: number
  eligible: { village_ids: number[]; secretaries_only: boolean }
  refresher: boolean
  sessions: SessionInput[]
  quiz: QuestionInput[]
  assignment?: string
}

/** A roster line: a phone number (added to the register with `village_id`), or an account. */
export type RosterEntry = { phone: string; village_id?: number; secretary?: boolean } | { user_id: number }

export interface RosterRefusal {
  /** The phone number or user id as sent. */
  member: string
  code: string
  message: string
}

export interface RosterResult {
  enrolled: number[]
  refused: RosterRefusal[]
}

export interface Trainee {
  user_id: number
  name: string
  phone: string
  village_id: number
  village_name: string
  enrolled_at_ms: number
}

export interface MaterialInput {
  event_id: number
  title: string
  body: string
}

export interface QuizResult {
  score: number
  best: number
  passed: boolean
}

export interface Assignment {
  user_id: number
  body: string
  submitted_at_ms: number
  grade: number | null
  feedback: string
  /** Graded, at or above the programme's pass mark. */
  passed: boolean
  /** The village-market need a secretary's passed needs assessment became (public id), or null. */
  need_id: string | null
}

/** `POST /api/v1/market/needs` without `village_id` (the trainee's registered village); `story` defaults to the assignment's text, `source` to `visits`. */
export type AssignmentNeedInput = Omit<NeedInput, 'village_id' | 'story' | 'source' | 'survey_round_id'> & Partial<Pick<NeedInput, 'story' | 'source'>>

export interface PracticeInput {
  kind: PracticeKind
  date_ms: number
  hours: number
  place: string
  method: PracticeMethod
  note: string
}

export interface Practice {
  id: string
  user_id: number
  user_name: string
  kind: PracticeKind
  date_ms: number
  minutes: number
  hours: number
  place: string
  method: PracticeMethod
  note: string
  room_id: number | null
  status: PracticeStatus
  reason: string
  decided_at_ms: number | null
  created_at_ms: number
}

export interface Progress {
  user_id: number
  name: string
  attendance: { attended: number; sessions: number; met: boolean }
  hours: { practice_minutes: number; volunteer_minutes: number; pending_minutes: number; met: boolean }
  assessment: {
    status: AssessmentStatus
    quiz_best: number | null
    assignment_submitted: boolean
    assignment_grade: number | null
  }
  complete: boolean
  certificate_no: string | null
}

/** The holder's and the class trainers' view. */
export interface Certificate {
  no: string
  check_code: string
  user_id: number
  class_id: number
  programme_id: number
  holder_name: string
  programme_title: string
  level: string
  hours: number
  issuer: string
  issued_at_ms: number
  expires_at_ms: number
  renews: boolean
  state: CertificateState
  revoked_reason: string | null
  revoked_at_ms: number | null
  /** `/c/{no}?code={check_code}`: the public check the QR code opens. */
  verify_path: string
}

export interface IssueRefusal {
  user_id: number
  code: string
  message: string
}

export interface IssueResult {
  issued: Certificate[]
  refused: IssueRefusal[]
}

/** The public check: the holder's name masked (陈*明), no account, no reason. */
export interface CertificateCheck {
  no: string
  holder_name: string
  programme_title: string
  level: string
  hours: number
  issuer: string
  issued_at_ms: number
  expires_at_ms: number
  state: CertificateState
  revoked_at_ms: number | null
  /** The `?code=` given matched the certificate's check code. */
  code_checked: boolean
}

const enc = (value: string | number) => encodeURIComponent(String(value))
const T = '/training'

/* ---- Register (党员名册) ---- */

/** Trainers. 201; 404 `training.person_not_found` (field `phone`), `village_not_found`. */
export function addMember(body: MemberInput): Promise<{ member: Member }> {
  return http.post<{ member: Member }>(`${T}/members`, body)
}

/** Trainers (every village), a village's staff (their own). */
export function listMembers(villageId?: number): Promise<{ members: Member[] }> {
  return http.get<{ members: Member[] }>(villageId === undefined ? `${T}/members` : `${T}/members?village_id=${enc(villageId)}`)
}

/* ---- Programmes ---- */

export function createProgramme(body: ProgrammeInput): Promise<{ programme: Programme }> {
  return http.post<{ programme: Programme }>(`${T}/programmes`, body)
}

export function listProgrammes(): Promise<{ programmes: Programme[] }> {
  return http.get<{ programmes: Programme[] }>(`${T}/programmes`)
}

/* ---- Classes ---- */

/** Trainers. 400 `in_the_past` (field `sessions[i].starts_at_ms`) and the fields' own refusals. */
export function createClass(body: ClassInput): Promise<{ class: TrainingClass }> {
  return http.post<{ class: TrainingClass }>(`${T}/classes`, body)
}

export function listClasses(scope: ClassScope): Promise<{ classes: TrainingClass[] }> {
  return http.get<{ classes: TrainingClass[] }>(`${T}/classes?scope=${enc(scope)}`)
}

/** 404 `training.class_not_found`. */
export function getClass(id: number): Promise<{ class: TrainingClass }> {
  return http.get<{ class: TrainingClass }>(`${T}/classes/${enc(id)}`)
}

/**
 * Enrols the caller. 403 `training.not_eligible`; 409 `training.already_enrolled`,
 * `training.class_full`, `training.class_over`.
 */
export function enrol(id: number): Promise<{ class: TrainingClass }> {
  return http.post<{ class: TrainingClass }>(`${T}/classes/${enc(id)}/enrolments`, {})
}

/** A class's trainers: one person refused does not stop the others. */
export function importRoster(id: number, members: RosterEntry[]): Promise<RosterResult> {
  return http.post<RosterResult>(`${T}/classes/${enc(id)}/enrolments`, { members })
}

/** The member (`me`) or a trainer: gives the seat back, cancels the sign-ups still to come. */
export function withdraw(id: number, user: number | 'me'): Promise<{ class: TrainingClass }> {
  return http.delete<{ class: TrainingClass }>(`${T}/classes/${enc(id)}/enrolments/${enc(user)}`)
}

export function getRoster(id: number): Promise<{ trainees: Trainee[] }> {
  return http.get<{ trainees: Trainee[] }>(`${T}/classes/${enc(id)}/roster`)
}

/* ---- Materials and assessment ---- */

/** 404 `training.session_not_found`. */
export function addMaterial(id: number, body: MaterialInput): Promise<{ material: Material }> {
  return http.post<{ material: Material }>(`${T}/classes/${enc(id)}/materials`, body)
}

/** A file's raw bytes with its own type (`application/octet-stream` when the browser names none: the server reads the real type from the bytes). */
export function fileBody(file: File): Blob {
  return file.type === '' ? new Blob([file], { type: 'application/octet-stream' }) : file
}

/**
 * A PDF or an image as a session's material (trainers of the class): the raw bytes → 201 `{material}`.
 * 400 `file_empty`, `missing_field`/`too_long` (field `title`); 413 `file_too_large`/`body_too_large`;
 * 422 `file_type`; 404 `training.session_not_found` (field `event_id`); 403 `forbidden`.
 */
export function uploadMaterialFile(id: number, eventId: number, title: string, file: File): Promise<{ material: Material }> {
  const query = `event_id=${enc(eventId)}&title=${enc(title)}&name=${enc(file.name)}`
  return http.post<{ material: Material }>(`${T}/classes/${enc(id)}/materials/files?${query}`, {}, { file: fileBody(file) })
}

/** One entry per question, option indexes. 409 `training.no_quiz`. */
export function submitQuiz(id: number, answers: number[][]): Promise<{ result: QuizResult }> {
  return http.post<{ result: QuizResult }>(`${T}/classes/${enc(id)}/quiz`, { answers })
}

/** Replaces the previous submission until graded: 409 `training.already_graded`. */
export function submitAssignment(id: number, body: string): Promise<{ assignment: Assignment }> {
  return http.post<{ assignment: Assignment }>(`${T}/classes/${enc(id)}/assignment`, { body })
}

export function listAssignments(id: number): Promise<{ assignments: Assignment[] }> {
  return http.get<{ assignments: Assignment[] }>(`${T}/classes/${enc(id)}/assignments`)
}

/**
 * A secretary posts their passed needs assessment as a need of their village → 201 `{need, assignment}`.
 * 404 `training.assignment_not_found`; 409 `training.not_secretaries_class`, `training.assignment_not_passed`,
 * `training.need_already_posted`; 403 `forbidden` (not the village's staff); the need form's field errors.
 */
export function postAssignmentNeed(id: number, body: AssignmentNeedInput): Promise<{ need: Need; assignment: Assignment }> {
  return http.post<{ need: Need; assignment: Assignment }>(`${T}/classes/${enc(id)}/assignment/need`, body)
}

export function gradeAssignment(id: number, userId: number, grade: number, feedback: string): Promise<{ assignment: Assignment }> {
  return http.post<{ assignment: Assignment }>(`${T}/classes/${enc(id)}/assignments/${enc(userId)}/grade`, { grade, feedback })
}

/* ---- Practice ---- */

export function logPractice(body: PracticeInput): Promise<{ practice: Practice }> {
  return http.post<{ practice: Practice }>(`${T}/practice`, body)
}

export function listMyPractice(): Promise<{ practice: Practice[] }> {
  return http.get<{ practice: Practice[] }>(`${T}/practice`)
}

/** Trainers: every pending record; a village's staff: reception shifts at their rooms. */
export function listPendingPractice(): Promise<{ practice: Practice[] }> {
  return http.get<{ practice: Practice[] }>(`${T}/practice/pending`)
}

/** 409 `training.practice_decided`; 403 `training.own_practice`. */
export function confirmPractice(id: string): Promise<{ practice: Practice }> {
  return http.post<{ practice: Practice }>(`${T}/practice/${enc(id)}/confirm`, {})
}

export function rejectPractice(id: string, reason: string): Promise<{ practice: Practice }> {
  return http.post<{ practice: Practice }>(`${T}/practice/${enc(id)}/reject`, { reason })
}

/* ---- Progress and certificates ---- */

/** A trainer sees every trainee, a member only themself. */
export function getProgress(id: number): Promise<{ progress: Progress[] }> {
  return http.get<{ progress: Progress[] }>(`${T}/classes/${enc(id)}/progress`)
}

export function issueCertificates(id: number, userIds: number[]): Promise<IssueResult> {
  return http.post<IssueResult>(`${T}/classes/${enc(id)}/certificates`, { user_ids: userIds })
}

export function listClassCertificates(id: number): Promise<{ certificates: Certificate[] }> {
  return http.get<{ certificates: Certificate[] }>(`${T}/classes/${enc(id)}/certificates`)
}

export function listMyCertificates(): Promise<{ certificates: Certificate[] }> {
  return http.get<{ certificates: Certificate[] }>(`${T}/certificates`)
}

/** No sign-in. 404 `training.certificate_not_found`. */
export function checkCertificate(no: string, code: string | null): Promise<{ certificate: CertificateCheck }> {
  const query = code === null ? '' : `?code=${enc(code)}`
  return http.get<{ certificate: CertificateCheck }>(`${T}/certificates/${enc(no)}${query}`)
}

/** Path of a certificate's QR code (SVG of its public check link), for an `<img src>`: holder or trainer, same origin. */
export function certificateQrUrl(no: string): string {
  return `/api/v1${T}/certificates/${enc(no)}/qr`
}

/** The class's trainers. 409 `training.already_revoked`. */
export function revokeCertificate(no: string, reason: string): Promise<{ certificate: Certificate }> {
  return http.post<{ certificate: Certificate }>(`${T}/certificates/${enc(no)}/revoke`, { reason })
}
