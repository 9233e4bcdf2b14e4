/**
 * `/api/v1/casework/*`, `/api/v1/me/casework/*` and `/api/v1/villages`: resident service
 * applications (服务申请) — the service catalogue, applying (with separately consented sensitive
 * data), the applicant's and the staff's view of one application, its messages, the staff inbox,
 * and the administrators' escalations and statistics (docs/api-casework.md). Times are UTC epoch
 * ms. One function per endpoint.
 */
import { http } from './client'

export type ApplicationStatus = 'submitted' | 'accepted' | 'referred' | 'declined' | 'closed'

export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['submitted', 'accepted', 'referred', 'declined', 'closed']

export type TimelineKind =
  | 'submitted'
  | 'accepted'
  | 'referred'
  | 'declined'
  | 'message'
  | 'closed'
  | 'rated'
  | 'reopened'
  | 'sensitive_purged'

export const TIMELINE_KINDS: readonly TimelineKind[] = [
  'submitted',
  'accepted',
  'referred',
  'declined',
  'message',
  'closed',
  'rated',
  'reopened',
  'sensitive_purged',
]

export type ForWhom = 'self' | 'family'

export interface VillageRef {
  id: number
  name: string
}

/** A village or community (村/居) as `GET /api/v1/villages` lists it. */
export interface Village extends VillageRef {
  kind: string
  rural: boolean
  collective_economy: boolean | null
  created_at_ms: number
}

/** A service an organisation offers. `villages` empty means every village. */
export interface CaseworkService {
  id: number
  org_id: number
  org_name: string
  name: string
  description: string
  eligibility: string | null
  villages: VillageRef[]
  response_days: number
  active: boolean
  created_at_ms: number
}

export interface ServiceRef {
  id: number
  name: string
  org_id: number
  org_name: string
}

export interface PersonRef {
  user_id: number
  name: string
}

/**
 * Health condition and ID number: in clear only for the applicant and the assigned worker
 * (`sensitive_visible`), masked for the organisation's other staff, null when not given or purged.
 */
export interface SensitiveData {
  health_condition: string | null
  id_number: string | null
}

export interface TimelineEntry {
  at_ms: number
  kind: TimelineKind
  /** Already masked by the server as the viewer may see it. */
  actor: string
  note: string
}

export interface Application {
  id: number
  service: ServiceRef
  org_id: number
  org_name: string
  applicant: PersonRef
  for_whom: ForWhom
  beneficiary_name: string | null
  relationship: string | null
  description: string
  preferred_times: string | null
  /** Clear for the applicant and the organisation's staff, masked otherwise. */
  contact_phone: string
  village: VillageRef | null
  status: ApplicationStatus
  worker: PersonRef | null
  submitted_at_ms: number
  due_at_ms: number
  first_response_at_ms: number | null
  /** No response yet and now > due_at_ms. */
  overdue: boolean
  closed_at_ms: number | null
  outcome: string | null
  rating: number | null
  rating_comment: string | null
  /** The applicant may reopen until then (14 days after closing); null when not closed. */
  reopen_until_ms: number | null
  has_sensitive: boolean
  sensitive: SensitiveData | null
  sensitive_visible: boolean
  /**
   * Sensitive data is held but does not open for this application (sealed values are bound to
   * their application; one moved from another row, or sealed under another key, never opens).
   * `sensitive` is then null.
   */
  sensitive_unreadable: boolean
  timeline: TimelineEntry[]
}

export interface Message {
  id: number
  author: PersonRef
  from_staff: boolean
  body: string
  created_at_ms: number
}

export interface ServiceFilter {
  village_id?: number
  org_id?: number
}

export interface CreateServiceRequest {
  org_id: number
  name: string
  description: string
  eligibility?: string
  /** Omitted or empty: every village. */
  village_ids?: number[]
  /** 1..60. */
  response_days: number
}

export interface SensitiveInput {
  health_condition?: string
  id_number?: string
}

/**
 * `sensitive` is accepted only together with `sensitive_consent: true` (else 400
 * `sensitive_consent_required`); build the body with `buildApplicationRequest` in the store.
 */
export interface CreateApplicationRequest {
  service_id: number
  for_whom: ForWhom
  beneficiary_name?: string
  relationship?: string
  description: string
  preferred_times?: string
  contact_phone: string
  village_id?: number
  sensitive?: SensitiveInput
  sensitive_consent?: true
}

export interface InboxFilter {
  org_id: number
  status?: ApplicationStatus
  overdue?: boolean
}

export interface RateRequest {
  /** 1..5. */
  score: number
  comment?: string
}

export interface ReferRequest {
  service_id: number
  reason: string
}

export interface OrgStats {
  org_id: number
  org_name: string
  applications: number
  open: number
  overdue: number
  median_first_response_ms: number | null
  satisfaction_avg: number | null
  rated: number
}

/**
 * What the state-changing routes answer. The contract gives `{application}` for accept and refer
 * and only "200" for decline, close, rate and reopen, so the field is optional: callers reload
 * the application when it is missing.
 */
export interface ApplicationEnvelope {
  application?: Application
}

const enc = (value: number) => encodeURIComponent(String(value))

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      search.set(key, String(value))
    }
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

export function listVillages(): Promise<{ villages: Village[] }> {
  return http.get<{ villages: Village[] }>('/villages')
}

/** Active services; `village_id` keeps those covering that village. */
export function listServices(filter: ServiceFilter = {}): Promise<{ services: CaseworkService[] }> {
  return http.get<{ services: CaseworkService[] }>(`/casework/services${query({ village_id: filter.village_id, org_id: filter.org_id })}`)
}

/** 404 `service_not_found`. */
export function getService(id: number): Promise<{ service: CaseworkService }> {
  return http.get<{ service: CaseworkService }>(`/casework/services/${enc(id)}`)
}

/**
 * Staff of `org_id` only (403 otherwise). 201; 400 `out_of_range` (`response_days` 1..60),
 * 404 `village_not_found`, 409 `service_exists`.
 */
export function createService(body: CreateServiceRequest): Promise<{ service: CaseworkService }> {
  return http.post<{ service: CaseworkService }>('/casework/services', body)
}

/**
 * 201. 400 `sensitive_consent_required` (field `sensitive_consent`), `invalid_id_number` (field
 * `sensitive.id_number`), `invalid_phone` (`contact_phone`), `beneficiary_required`; 404
 * `service_not_found`; 422 `service_not_in_village`.
 */
export function createApplication(body: CreateApplicationRequest): Promise<{ application: Application }> {
  return http.post<{ application: Application }>('/casework/applications', body)
}

/** The applicant and the organisation's staff; 404 `application_not_found` for everyone else. */
export function getApplication(id: number): Promise<{ application: Application }> {
  return http.get<{ application: Application }>(`/casework/applications/${enc(id)}`)
}

/** Newest first. */
export function listMyApplications(): Promise<{ applications: Application[] }> {
  return http.get<{ applications: Application[] }>('/me/casework/applications')
}

/** Staff of `org_id`: overdue first, then by due time. */
export function listInbox(filter: InboxFilter): Promise<{ applications: Application[] }> {
  return http.get<{ applications: Application[] }>(
    `/casework/inbox${query({ org_id: filter.org_id, status: filter.status, overdue: filter.overdue ? true : undefined })}`,
  )
}

/** 400 `worker_not_staff` (field `worker_user_id`); 409 `invalid_transition`. */
export function acceptApplication(id: number, workerUserId: number): Promise<ApplicationEnvelope> {
  return http.post<ApplicationEnvelope>(`/casework/applications/${enc(id)}/accept`, { worker_user_id: workerUserId })
}

/** The application moves to the other organisation; 400 `refer_to_self`. */
export function referApplication(id: number, body: ReferRequest): Promise<ApplicationEnvelope> {
  return http.post<ApplicationEnvelope>(`/casework/applications/${enc(id)}/refer`, body)
}

export function declineApplication(id: number, reason: string): Promise<ApplicationEnvelope> {
  return http.post<ApplicationEnvelope>(`/casework/applications/${enc(id)}/decline`, { reason })
}

/** The assigned worker only (403 for other staff). */
export function closeApplication(id: number, outcome: string): Promise<ApplicationEnvelope> {
  return http.post<ApplicationEnvelope>(`/casework/applications/${enc(id)}/close`, { outcome })
}

/** The applicant, once, when closed; 409 `already_rated`, `invalid_transition`. */
export function rateApplication(id: number, body: RateRequest): Promise<ApplicationEnvelope> {
  return http.post<ApplicationEnvelope>(`/casework/applications/${enc(id)}/rate`, body)
}

/** The applicant, within 14 days of closing; 409 `reopen_window_passed`. */
export function reopenApplication(id: number, reason: string): Promise<ApplicationEnvelope> {
  return http.post<ApplicationEnvelope>(`/casework/applications/${enc(id)}/reopen`, { reason })
}

export function listMessages(id: number): Promise<{ messages: Message[] }> {
  return http.get<{ messages: Message[] }>(`/casework/applications/${enc(id)}/messages`)
}

/** 201; 409 `application_closed` for a closed or declined application. */
export function postMessage(id: number, body: string): Promise<{ message: Message }> {
  return http.post<{ message: Message }>(`/casework/applications/${enc(id)}/messages`, { body })
}

/** fund_admin, platform_admin: overdue applications, oldest due first (sensitive never shown). */
export function listEscalations(): Promise<{ applications: Application[] }> {
  return http.get<{ applications: Application[] }>('/casework/escalations')
}

/** fund_admin, platform_admin: per-organisation figures. */
export function getStats(): Promise<{ orgs: OrgStats[] }> {
  return http.get<{ orgs: OrgStats[] }>('/casework/stats')
}
