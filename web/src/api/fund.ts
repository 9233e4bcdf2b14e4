/**
 * `/api/v1/fund/*` and `/api/v1/me/donations`: the public Care Fund (关爱基金) — summary, purposes,
 * journal, donations, traces and receipts (docs/api-fund.md). Money is integer fen; times are
 * UTC epoch ms. One function per endpoint.
 */
import { http } from './client'

export type FundSource = 'government' | 'sponsor' | 'public' | 'shop' | 'auction' | 'cofunding'

export const FUND_SOURCES: readonly FundSource[] = ['government', 'sponsor', 'public', 'shop', 'auction', 'cofunding']

export type EntryKind =
  | 'donation'
  | 'allocation'
  | 'sponsorship'
  | 'grant'
  | 'disbursement'
  | 'settlement'
  | 'fee'
  | 'refund'
  | 'reversal'
  | 'shop_sale'
  | 'auction_sale'
  | 'cofunding'

/** The legal fundraiser of record (慈善组织) that holds the fund. */
export interface Fundraiser {
  name: string
  credit_code: string
  fund_name: string
}

export interface SourceTotal {
  source: FundSource
  amount_fen: number
}

export interface PurposeTotal {
  purpose_id: number
  name: string
  /** 冠名 text, e.g. "XX集团·关爱长者计划". */
  naming: string | null
  raised_fen: number
  granted_fen: number
  balance_fen: number
}

export interface MonthlyInflow {
  /** "2012-03". */
  month: string
  source: FundSource
  amount_fen: number
}

export interface GrantedTo {
  org_id: number
  org_name: string
  amount_fen: number
  disbursed_fen: number
}

export interface FundSummary {
  raised_fen: number
  granted_fen: number
  disbursed_fen: number
  pending_fen: number
  balance_fen: number
  by_source: SourceTotal[]
  by_purpose: PurposeTotal[]
  monthly: MonthlyInflow[]
  granted_to: GrantedTo[]
  fundraiser: Fundraiser
}

/** What a donation may be restricted to. */
export interface Purpose {
  id: number
  code: string
  name: string
  description: string
  restricted: boolean
  /** 备案号 of the fundraising filing. */
  filing_no: string
  naming: string | null
  active: boolean
}

export interface PurposeRef {
  id: number
  name: string
}

export interface EntryLine {
  account_code: string
  account_name: string
  /** Debit positive, credit negative; an entry's lines sum to zero. */
  amount_fen: number
}

export interface JournalEntry {
  id: number
  kind: EntryKind
  created_at_ms: number
  memo: string
  source: FundSource | null
  purpose: PurposeRef | null
  /** Already masked by the server ("陈**", "匿名"). */
  donor: string | null
  amount_fen: number
  reverses_entry_id: number | null
  lines: EntryLine[]
}

export interface EntriesPage {
  entries: JournalEntry[]
  next_cursor: string | null
}

export type DonationStatus = 'pending' | 'confirmed' | 'closed' | 'refunded'

export interface Donation {
  id: number
  amount_fen: number
  purpose: PurposeRef | null
  anonymous: boolean
  /** Display name as the public may see it. */
  donor: string
  message: string | null
  status: DonationStatus
  receipt_no: string | null
  created_at_ms: number
  confirmed_at_ms: number | null
}

export interface DonateRequest {
  amount_fen: number
  purpose_id: number | null
  anonymous: boolean
  message: string | null
  /** Guests only; a signed-in donor gives under their display name. */
  donor_name: string | null
}

export interface CreatedPayment {
  id: number
  status: 'created'
  /** The provider's pay page inside this app, e.g. "/pay/sandbox/12". */
  pay_url: string
  amount_fen: number
}

export interface DonateResponse {
  donation: Donation
  payment: CreatedPayment
}

export interface Disbursement {
  id: number
  amount_fen: number
  paid_at_ms: number
}

export interface Allocation {
  commitment_id: number
  org_name: string
  project_name: string
  amount_fen: number
  granted_at_ms: number
  disbursements: Disbursement[]
}

export interface DonationTrace {
  donation: Donation
  allocations: Allocation[]
  unallocated_fen: number
}

export type ReceiptStatus = 'valid' | 'void'

export interface Receipt {
  receipt_no: string
  status: ReceiptStatus
  donor: string
  amount_fen: number
  /** Chinese capital numerals, e.g. "贰拾元整". */
  amount_in_words: string
  purpose: string | null
  issued_at_ms: number
  fundraiser: Fundraiser
  filing_no: string
  check_code: string
  verify_url: string
}

/**
 * A published 信息公开 report. `period_label` is "progress-N" (第 N 期进展) or "final"
 * (决算/结项报告); `body` is plain text, to be shown as text, never as HTML.
 */
export interface FundReport {
  id: number
  purpose_id: number
  purpose_name: string
  period_label: string
  title: string
  body: string
  published_at_ms: number
}

export interface ReportsPage {
  reports: FundReport[]
  next_cursor: string | null
}

const enc = (value: string | number) => encodeURIComponent(String(value))

/** Path (under the site root) of the journal as CSV, UTF-8 with BOM; a plain link downloads it. */
export const ENTRIES_CSV_URL = '/api/v1/fund/entries.csv'

/** Path of a receipt's QR code (an SVG of its verify_url), for an `<img src>`. */
export function receiptQrUrl(receiptNo: string): string {
  return `/api/v1/fund/receipts/${enc(receiptNo)}/qr.svg`
}

export function getSummary(): Promise<FundSummary> {
  return http.get<FundSummary>('/fund/summary')
}

export function listPurposes(): Promise<{ purposes: Purpose[] }> {
  return http.get<{ purposes: Purpose[] }>('/fund/purposes')
}

/** Newest first; pass the previous page's `next_cursor` to continue. */
export function listEntries(cursor: string | null, limit: number): Promise<EntriesPage> {
  const query = new URLSearchParams({ limit: String(limit) })
  if (cursor !== null) {
    query.set('cursor', cursor)
  }
  return http.get<EntriesPage>(`/fund/entries?${query.toString()}`)
}

/**
 * 201. The same key with the same body answers the same 201 again (never a second donation);
 * the same key with another body is 409 `idempotency_key_reused`. 400 `amount_out_of_range`
 * (field `amount_fen`), 404 `purpose_not_found`, 400 `missing_idempotency_key`.
 */
export function createDonation(body: DonateRequest, idempotencyKey: string): Promise<DonateResponse> {
  return http.post<DonateResponse>('/fund/donations', body, { headers: { 'Idempotency-Key': idempotencyKey } })
}

export function getDonation(id: number): Promise<{ donation: Donation }> {
  return http.get<{ donation: Donation }>(`/fund/donations/${enc(id)}`)
}

export function getDonationTrace(id: number): Promise<DonationTrace> {
  return http.get<DonationTrace>(`/fund/donations/${enc(id)}/trace`)
}

/** Login required (401 otherwise). */
export function listMyDonations(): Promise<{ donations: Donation[] }> {
  return http.get<{ donations: Donation[] }>('/me/donations')
}

/** 404 `receipt_not_found` when no such receipt was issued. */
export function getReceipt(receiptNo: string): Promise<{ receipt: Receipt }> {
  return http.get<{ receipt: Receipt }>(`/fund/receipts/${enc(receiptNo)}`)
}

/** Public, newest first; `purposeId` null lists every purpose. Pass the previous page's `next_cursor` to continue. */
export function listReports(purposeId: number | null, cursor: string | null, limit: number): Promise<ReportsPage> {
  const query = new URLSearchParams()
  if (purposeId !== null) {
    query.set('purpose_id', String(purposeId))
  }
  if (cursor !== null) {
    query.set('cursor', cursor)
  }
  query.set('limit', String(limit))
  return http.get<ReportsPage>(`/fund/reports?${query.toString()}`)
}

/** Public. 404 `report_not_found`. */
export function getReport(id: number): Promise<{ report: FundReport }> {
  return http.get<{ report: FundReport }>(`/fund/reports/${enc(id)}`)
}
