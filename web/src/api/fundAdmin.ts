/**
 * Care Fund administration (`fund_admin` role; 403 otherwise): purposes, government allocations,
 * sponsorships, commitments (grants), disbursements, refunds, disclosures (docs/api-fund.md).
 */
import { http } from './client'
import type { Donation, PublicId, Purpose } from './fund'

export interface CreatePurposeRequest {
  code: string
  name: string
  description: string
  restricted: boolean
  filing_no: string
}

export type AllocationStatus = 'received' | 'pending'

/** An organisation's self-raised co-funding (自筹/合作出资) received into the fund. */
export interface RecordCofundingRequest {
  org_id: number
  amount_fen: number
  /** The bank slip or transfer number. */
  reference: string
  purpose_id?: number
  memo?: string
}

export interface CreateAllocationRequest {
  amount_fen: number
  /** The budget document number (预算文号). */
  budget_ref: string
  purpose_id?: number
  memo: string
  status: AllocationStatus
}

export type SponsorKind = 'enterprise' | 'foundation'

export interface CreateSponsorshipRequest {
  sponsor_name: string
  sponsor_kind: SponsorKind
  committed_fen: number
  purpose_id?: number
  naming_text: string
  term_start_ms: number
  term_end_ms: number
  instalments: number
}

/** The contract leaves the sponsorship's shape open; these are the fields the UI reads. */
export interface Sponsorship {
  id: number
  sponsor_name: string
  sponsor_kind?: SponsorKind
  committed_fen?: number
  received_fen?: number
  naming_text?: string
  instalments?: number
  [key: string]: unknown
}

export interface InstalmentRequest {
  amount_fen: number
  reference: string
}

export interface CreateCommitmentRequest {
  org_id: number
  purpose_id?: number
  amount_fen: number
  project_name: string
}

export type DisbursementStatus = 'proposed' | 'paid'

export interface AdminDisbursement {
  id: number
  commitment_id?: number
  org_name?: string
  project_name?: string
  amount_fen: number
  memo?: string
  status: string
  approvals?: number
  approvals_needed?: number
  [key: string]: unknown
}

export interface ProposeDisbursementRequest {
  commitment_id: number
  amount_fen: number
  memo: string
}

export interface Disclosure {
  purpose_id?: number | null
  purpose_name?: string | null
  period_label?: string
  title?: string
  due_at_ms?: number
  published_at_ms?: number
  [key: string]: unknown
}

export interface DisclosureCalendar {
  due: Disclosure[]
  overdue: Disclosure[]
  published: Disclosure[]
}

export interface PublishDisclosureRequest {
  purpose_id: number
  period_label: string
  title: string
  body: string
}

/** An organisation as the public list `GET /api/v1/orgs` gives it. */
export interface Org {
  id: number
  name: string
  credit_code: string
  rating: string | null
}

export function listOrgs(): Promise<{ orgs: Org[] }> {
  return http.get<{ orgs: Org[] }>('/orgs')
}

const enc = (value: string | number) => encodeURIComponent(String(value))

export function createPurpose(body: CreatePurposeRequest): Promise<{ purpose: Purpose }> {
  return http.post<{ purpose: Purpose }>('/fund/purposes', body)
}

export function createAllocation(body: CreateAllocationRequest): Promise<{ allocation: { id: number } }> {
  return http.post<{ allocation: { id: number } }>('/fund/allocations', body)
}

export function recordCofunding(body: RecordCofundingRequest): Promise<{ cofunding: { entry_id: number } }> {
  return http.post<{ cofunding: { entry_id: number } }>('/fund/cofundings', body)
}

export function listSponsorships(): Promise<{ sponsorships: Sponsorship[] }> {
  return http.get<{ sponsorships: Sponsorship[] }>('/fund/sponsorships')
}

export function createSponsorship(body: CreateSponsorshipRequest): Promise<unknown> {
  return http.post<unknown>('/fund/sponsorships', body)
}

export function recordInstalment(sponsorshipId: number, body: InstalmentRequest): Promise<unknown> {
  return http.post<unknown>(`/fund/sponsorships/${enc(sponsorshipId)}/instalments`, body)
}

export function createCommitment(body: CreateCommitmentRequest): Promise<{ commitment: { id: number } }> {
  return http.post<{ commitment: { id: number } }>('/fund/commitments', body)
}

export function listDisbursements(status: DisbursementStatus): Promise<{ disbursements: AdminDisbursement[] }> {
  return http.get<{ disbursements: AdminDisbursement[] }>(`/fund/disbursements?status=${status}`)
}

export function proposeDisbursement(body: ProposeDisbursementRequest): Promise<unknown> {
  return http.post<unknown>('/fund/disbursements', body)
}

/** 403 `self_approval` when the proposer approves their own disbursement. */
export function approveDisbursement(id: number): Promise<unknown> {
  return http.post<unknown>(`/fund/disbursements/${enc(id)}/approve`)
}

/**
 * Refunds a donation by its public id (the money goes back the way it came; the receipt is
 * voided). Errors as `refundByReceipt`.
 */
export function refundDonation(id: PublicId, reason: string): Promise<{ donation: Donation }> {
  return http.post<{ donation: Donation }>(`/fund/donations/${enc(id)}/refund`, { reason })
}

/**
 * Refunds the donation a receipt was issued for, by the receipt number the donor quotes
 * (e.g. "GC2026-000123"). 404 `donation_not_found`; 409 `donation_not_refundable` (not
 * confirmed, refunded or asked for already) or `insufficient_funds` (its money has already been
 * granted out); 503 `provider_unavailable` (the refund stays requested and is finished later).
 */
export function refundByReceipt(receiptNo: string, reason: string): Promise<{ donation: Donation }> {
  return http.post<{ donation: Donation }>(`/fund/receipts/${enc(receiptNo)}/refund`, { reason })
}

export function getDisclosures(): Promise<DisclosureCalendar> {
  return http.get<DisclosureCalendar>('/fund/disclosures')
}

export function publishDisclosure(body: PublishDisclosureRequest): Promise<unknown> {
  return http.post<unknown>('/fund/disclosures', body)
}
