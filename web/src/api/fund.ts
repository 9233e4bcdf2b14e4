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

/**
 * A payment's or donation's public id: 20 characters of base32 (a–z, 2–7), unguessable. Such
 * objects answer only their payer (their session, or a guest's access token; 404 otherwise).
 */
export type PublicId = string

/**
 * The donor's view of their donation: only the donor reaches it (their session, or for a guest
 * the access token the pay and return links carry).
 */
export interface Donation {
  id: PublicId
  amount_fen: number
  purpose: PurposeRef | null
  anonymous: boolean
  /** Display name as the public may see it. */
  donor: string
  message: string | null
  status: DonationStatus
  receipt_no: string | null
  /** The receipt's check code, in the donor's own view only: it opens the whole receipt. */
  receipt_check: string | null
  /** A fund administrator has started a refund of it. */
  refund_requested: boolean
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
  id: PublicId
  status: 'created'
  /**
   * The provider's pay page inside this app: "/pay/sandbox/{id}?token=T" for a guest (the token
   * is their key to the payment and the donation), "/pay/sandbox/{id}" for a signed-in donor.
   */
  pay_url: string
  /** Where the payer goes afterwards: "/fund/donations/{donation id}" (with the same `?token=`). */
  return_url: string
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

/**
 * A receipt as the caller may see it. The public verification (`full: false`) shows the donor
 * masked ("陈**", "匿名") and no check code; the donor, whoever holds the check code (the QR link
 * carries it) and fund administrators see it whole.
 */
export interface Receipt {
  receipt_no: string
  status: ReceiptStatus
  /** Whether this is the whole receipt (false: the public verification). */
  full: boolean
  /** The donor's name ("匿名" when anonymous), masked ("陈**") in the public verification. */
  donor: string
  amount_fen: number
  /** Chinese capital numerals, e.g. "贰拾元整". */
  amount_in_words: string
  purpose: string | null
  issued_at_ms: number
  fundraiser: Fundraiser
  filing_no: string
  /** Only in the whole receipt (null in the public verification). */
  check_code: string | null
  /** "{origin}/r/{no}?code={check_code}", what the QR code encodes; null in the public verification. */
  verify_url: string | null
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

/**
 * `path` with the guest's access token as `?token=` (nothing for a signed-in donor, whose session
 * is their key). Every call about a guest's payment or donation carries it.
 */
export function withToken(path: string, token: string | null): string {
  return token ? `${path}${path.includes('?') ? '&' : '?'}token=${enc(token)}` : path
}

/** Path (under the site root) of the journal as CSV, UTF-8 with BOM; a plain link downloads it. */
export const ENTRIES_CSV_URL = '/api/v1/fund/entries.csv'

/**
 * Path of a receipt's QR code (an SVG of its verify_url), for an `<img src>`. The server draws it
 * only for whoever may see the whole receipt, so it takes the check code.
 */
export function receiptQrUrl(receiptNo: string, checkCode: string): string {
  return `/api/v1/fund/receipts/${enc(receiptNo)}/qr.svg?code=${enc(checkCode)}`
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
 * (field `amount_fen`), 404 `purpose_not_found`, 400 `missing_idempotency_key`, 503
 * `payments_unavailable` (no payment provider configured).
 */
export function createDonation(body: DonateRequest, idempotencyKey: string): Promise<DonateResponse> {
  return http.post<DonateResponse>('/fund/donations', body, { headers: { 'Idempotency-Key': idempotencyKey } })
}

/** The donor's own: `token` is a guest's access token (null when signed in). 404 `donation_not_found` for anyone else. */
export function getDonation(id: PublicId, token: string | null): Promise<{ donation: Donation }> {
  return http.get<{ donation: Donation }>(withToken(`/fund/donations/${enc(id)}`, token))
}

/** The donor's own, like `getDonation`. */
export function getDonationTrace(id: PublicId, token: string | null): Promise<DonationTrace> {
  return http.get<DonationTrace>(withToken(`/fund/donations/${enc(id)}/trace`, token))
}

/** Login required (401 otherwise). */
export function listMyDonations(): Promise<{ donations: Donation[] }> {
  return http.get<{ donations: Donation[] }>('/me/donations')
}

/**
 * The public verification, or with the right `checkCode` (or as the donor or a fund
 * administrator) the whole receipt. 404 `receipt_not_found` when no such receipt was issued.
 */
export function getReceipt(receiptNo: string, checkCode: string | null = null): Promise<{ receipt: Receipt }> {
  const path = `/fund/receipts/${enc(receiptNo)}`
  return http.get<{ receipt: Receipt }>(checkCode ? `${path}?code=${enc(checkCode)}` : path)
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
