/**
 * `/api/v1/market/quote-requests|quotes|contracts` and `/api/v1/villages/{id}/public`: a rural
 * village buys a project — it asks for a quote, the organisation quotes a price and a milestone
 * schedule, the village accepts; then the contract's collective decision (above the threshold),
 * the notice (公示) with objections, milestone reports, acceptance and payment (booked in the
 * village's own book), amendments, the village's evaluation and residents' ratings; and the
 * village's public page (村务公开). Contract: docs/api-market.md "Purchase (rural villages only)".
 * Money is integer fen, times UTC epoch ms.
 */
import { http } from './client'
import type { Need } from './market'

/** Quote requests, quotes and contracts by their ids as the server gives them. */
export type PurchaseId = string
/** Objections and amendments: numbers or strings, passed back as given. */
export type ItemId = string | number

export type QuoteRequestStatus = 'open' | 'accepted' | 'withdrawn'
export type QuoteStatus = 'open' | 'accepted' | 'superseded' | 'declined'
export type ContractStatus = 'awaiting_decision' | 'in_notice' | 'active' | 'completed' | 'decision_failed'
export type MilestoneStatus = 'pending' | 'reported' | 'accepted' | 'returned'
export type AmendmentStatus = 'proposed' | 'accepted' | 'declined'

/** The kinds of meeting a collective decision is taken in (docs: `meeting_kind`). */
export const MEETING_KINDS = ['村民代表会议', '村民会议', '党总支会议', '村委会会议', '其他'] as const
export type MeetingKind = (typeof MEETING_KINDS)[number]

/** A milestone as a quote or an amendment proposes it. */
export interface MilestoneInput {
  title: string
  due_ms: number
  amount_fen: number
  deliverables?: string
}

export interface QuoteMilestone {
  n: number
  title: string
  due_ms: number
  amount_fen: number
  deliverables: string
}

export interface Quote {
  id: PurchaseId
  quote_request_id: PurchaseId
  amount_fen: number
  note: string
  milestones: QuoteMilestone[]
  status: QuoteStatus
  created_at_ms: number
}

export interface QuoteRequest {
  id: PurchaseId
  village_id: number
  village_name: string
  village_rural: boolean
  project_id: string
  project_title: string
  org_id: number
  org_name: string
  need_id: string | null
  need_title: string | null
  message: string
  status: QuoteRequestStatus
  created_at_ms: number
  quotes: Quote[]
  can_quote: boolean
  can_accept: boolean
}

export interface QuoteRequestInput {
  village_id: number
  project_id: string
  need_id?: string
  message?: string
}

export interface QuoteInput {
  quote_request_id: PurchaseId
  amount_fen: number
  note?: string
  milestones: MilestoneInput[]
}

export interface Decision {
  meeting_kind: string
  held_on_ms: number
  votes_for: number
  votes_against: number
  votes_abstain: number
  minutes_file_id: string | null
  minutes_text: string
  passed: boolean
  recorded_at_ms: number
}

export interface DecisionInput {
  meeting_kind: string
  held_on_ms: number
  votes_for: number
  votes_against: number
  votes_abstain: number
  minutes_file_id?: string
  minutes_text?: string
}

export interface Notice {
  starts_at_ms: number
  ends_at_ms: number
  days: number
}

export interface Objection {
  id: ItemId
  text: string
  answer: string | null
  created_at_ms: number
  answered_at_ms: number | null
}

export interface MilestoneReport {
  text: string
  beneficiaries: number
  photo_ids: string[]
  event_id: string | null
  reported_at_ms: number
}

export interface Payment {
  milestone: number
  amount_fen: number
  voucher_no: string
  paid_at_ms: number
  book_seq: number
}

export interface ContractMilestone {
  n: number
  title: string
  due_ms: number
  amount_fen: number
  deliverables: string
  status: MilestoneStatus
  report: MilestoneReport | null
  /** Empty (or null) unless the milestone was returned. */
  return_reason: string | null
  accepted_at_ms: number | null
  payment: Omit<Payment, 'milestone'> | null
}

export interface Amendment {
  id: ItemId
  proposed_by: 'village' | 'org'
  reason: string
  amount_fen: number
  milestones: QuoteMilestone[]
  status: AmendmentStatus
  created_at_ms: number
  decided_at_ms: number | null
}

export interface Evaluation {
  stars: number
  comment: string
  created_at_ms: number
}

export interface Contract {
  id: PurchaseId
  version: number
  village_id: number
  village_name: string
  org_id: number
  org_name: string
  project_id: string
  project_title: string
  quote_id: PurchaseId
  amount_fen: number
  paid_fen: number
  status: ContractStatus
  needs_decision: boolean
  threshold_fen: number
  decision: Decision | null
  notice: Notice | null
  objections: Objection[]
  milestones: ContractMilestone[]
  amendments: Amendment[]
  evaluation: Evaluation | null
  rating: { count: number; average_x10: number }
  created_at_ms: number
  activated_at_ms: number | null
  can_manage: boolean
  can_report: boolean
}

export interface ReportInput {
  text: string
  beneficiaries: number
  photo_ids?: string[]
  event_id?: string
}

export interface PaymentInput {
  milestone: number
  amount_fen: number
  voucher_no: string
}

export interface AmendmentInput {
  reason: string
  amount_fen: number
  milestones: MilestoneInput[]
}

export interface StarsInput {
  stars: number
  comment: string
}

/** A contract as the village's public page shows it: milestones with title, due, amount, status only. */
export interface PublicContract {
  id: PurchaseId
  project_id: string
  project_title: string
  org_name: string
  amount_fen: number
  paid_fen: number
  status: ContractStatus
  decision: Decision | null
  notice: Notice | null
  objections: Objection[]
  milestones: Pick<ContractMilestone, 'title' | 'due_ms' | 'amount_fen' | 'status'>[]
  created_at_ms: number
}

export interface PublicPayment {
  contract_id: PurchaseId
  project_title: string
  org_name: string
  milestone: number
  milestone_title: string
  amount_fen: number
  voucher_no: string
  paid_at_ms: number
  book_seq: number
}

export interface PublicEvaluation {
  contract_id: PurchaseId
  project_title: string
  org_name: string
  stars: number
  comment: string
}

export interface VillagePublic {
  village: { id: number; name: string; rural: boolean }
  needs: Need[]
  in_notice: PublicContract[]
  contracts: PublicContract[]
  payments: PublicPayment[]
  evaluations: PublicEvaluation[]
  totals: { contracts: number; contracted_fen: number; paid_fen: number }
}

/** Whose lists: a village's (its staff) or an organisation's (its staff). */
export type PartyScope = { village_id: number } | { org_id: number }

const scopeQuery = (scope: PartyScope) => ('village_id' in scope ? `?village_id=${scope.village_id}` : `?org_id=${scope.org_id}`)
const contractUrl = (id: PurchaseId) => `/market/contracts/${encodeURIComponent(id)}`

/* Quote requests and quotes. */

export function createQuoteRequest(input: QuoteRequestInput): Promise<{ quote_request: QuoteRequest }> {
  return http.post('/market/quote-requests', input)
}

export function listQuoteRequests(scope: PartyScope): Promise<{ quote_requests: QuoteRequest[] }> {
  return http.get(`/market/quote-requests${scopeQuery(scope)}`)
}

export function getQuoteRequest(id: PurchaseId): Promise<{ quote_request: QuoteRequest }> {
  return http.get(`/market/quote-requests/${encodeURIComponent(id)}`)
}

export function withdrawQuoteRequest(id: PurchaseId): Promise<{ quote_request: QuoteRequest }> {
  return http.post(`/market/quote-requests/${encodeURIComponent(id)}/withdraw`)
}

export function createQuote(input: QuoteInput): Promise<{ quote: Quote }> {
  return http.post('/market/quotes', input)
}

export function acceptQuote(id: PurchaseId): Promise<{ contract: Contract }> {
  return http.post(`/market/quotes/${encodeURIComponent(id)}/accept`)
}

export function declineQuote(id: PurchaseId, reason: string): Promise<{ quote: Quote }> {
  return http.post(`/market/quotes/${encodeURIComponent(id)}/decline`, reason === '' ? {} : { reason })
}

/* Contracts. */

export function listContracts(scope: PartyScope): Promise<{ contracts: Contract[] }> {
  return http.get(`/market/contracts${scopeQuery(scope)}`)
}

export function getContract(id: PurchaseId): Promise<{ contract: Contract }> {
  return http.get(contractUrl(id))
}

export function recordDecision(id: PurchaseId, input: DecisionInput): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/decision`, input)
}

export function fileObjection(id: PurchaseId, text: string): Promise<{ objection: Objection }> {
  return http.post(`${contractUrl(id)}/objections`, { text })
}

export function answerObjection(id: PurchaseId, objectionId: ItemId, answer: string): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/objections/${encodeURIComponent(String(objectionId))}/answer`, { answer })
}

export function reportMilestone(id: PurchaseId, n: number, input: ReportInput): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/milestones/${n}/report`, input)
}

export function acceptMilestone(id: PurchaseId, n: number): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/milestones/${n}/accept`)
}

export function returnMilestone(id: PurchaseId, n: number, reason: string): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/milestones/${n}/return`, { reason })
}

export function recordPayment(id: PurchaseId, input: PaymentInput): Promise<{ payment: Payment; contract: Contract }> {
  return http.post(`${contractUrl(id)}/payments`, input)
}

export function proposeAmendment(id: PurchaseId, input: AmendmentInput): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/amendments`, input)
}

export function decideAmendment(id: PurchaseId, amendmentId: ItemId, accept: boolean): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/amendments/${encodeURIComponent(String(amendmentId))}/${accept ? 'accept' : 'decline'}`)
}

export function rateContract(id: PurchaseId, input: StarsInput): Promise<{ rating: StarsInput }> {
  return http.post(`${contractUrl(id)}/ratings`, input)
}

export function evaluateContract(id: PurchaseId, input: StarsInput): Promise<{ contract: Contract }> {
  return http.post(`${contractUrl(id)}/evaluation`, input)
}

/* 村务公开. */

export function getVillagePublic(villageId: number): Promise<VillagePublic> {
  return http.get(`/villages/${villageId}/public`)
}
