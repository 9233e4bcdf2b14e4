/** Sample Care Fund API bodies, shaped as docs/api-fund.md describes them. */
import type { Donation, FundReport, FundSummary, JournalEntry, Purpose, Receipt } from '@/api/fund'
import type { Payment } from '@/api/payments'
import type { CheckpointList } from '@/api/transparency'

/** Public ids (20 characters of base32) and a guest's access token, as the server makes them. */
export const DONATION_ID = 'donation2345abcdefgh'
export const PAYMENT_ID = 'paymentabcdefgh23456'
export const TOKEN = '0123456789abcdef0123456789abcdef'
export const CHECK_CODE = 'A1B2C3D4E5'

export const fundraiser = { name: '佛山市南海区桂城慈善会', credit_code: '53440605MJL123456X', fund_name: '关爱桂城基金' }

export const summary: FundSummary = {
  raised_fen: 1_000_000_000,
  granted_fen: 600_000_000,
  disbursed_fen: 550_000_000,
  pending_fen: 350_000_000,
  balance_fen: 400_000_000,
  by_source: [
    { source: 'government', amount_fen: 800_000_000 },
    { source: 'public', amount_fen: 150_000_000 },
    { source: 'sponsor', amount_fen: 50_000_000 },
  ],
  by_purpose: [
    { purpose_id: 1, name: '一般基金', naming: null, raised_fen: 900_000_000, granted_fen: 500_000_000, balance_fen: 400_000_000 },
    { purpose_id: 2, name: '关爱长者计划', naming: 'XX集团·关爱长者计划', raised_fen: 100_000_000, granted_fen: 100_000_000, balance_fen: 0 },
  ],
  monthly: [
    { month: '2012-03', source: 'public', amount_fen: 12_345 },
    { month: '2012-02', source: 'government', amount_fen: 800_000_000 },
    { month: '2012-03', source: 'public', amount_fen: 55 },
  ],
  granted_to: [
    { org_id: 1, org_name: '博睿社工', amount_fen: 400_000_000, disbursed_fen: 350_000_000 },
    { org_id: 2, org_name: '启创社工', amount_fen: 200_000_000, disbursed_fen: 200_000_000 },
  ],
  fundraiser,
}

export const purposes: Purpose[] = [
  { id: 1, code: 'general', name: '一般基金', description: '', restricted: false, filing_no: '5344060500001', naming: null, active: true },
  { id: 2, code: 'elderly', name: '关爱长者计划', description: '独居长者探访', restricted: true, filing_no: '5344060500002', naming: 'XX集团·关爱长者计划', active: true },
  { id: 3, code: 'old', name: '已结束的项目', description: '', restricted: true, filing_no: '5344060500003', naming: null, active: false },
]

export function entry(id: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id,
    kind: 'donation',
    created_at_ms: 1_700_000_000_000 + id,
    memo: `entry ${id}`,
    source: 'public',
    purpose: null,
    donor: '匿名',
    amount_fen: 2000,
    reverses_entry_id: null,
    lines: [
      { account_code: '1001', account_name: '银行存款', amount_fen: 2000 },
      { account_code: '4001', account_name: '捐赠收入', amount_fen: -2000 },
    ],
    ...extra,
  }
}

export function donation(extra: Partial<Donation> = {}): Donation {
  return {
    id: DONATION_ID,
    amount_fen: 2000,
    purpose: null,
    anonymous: true,
    donor: '匿名',
    message: null,
    status: 'pending',
    receipt_no: null,
    receipt_check: null,
    refund_requested: false,
    created_at_ms: 1_700_000_000_000,
    confirmed_at_ms: null,
    ...extra,
  }
}

export function payment(extra: Partial<Payment> = {}): Payment {
  return {
    id: PAYMENT_ID,
    provider: 'sandbox',
    status: 'created',
    amount_fen: 2000,
    description: '关爱桂城基金捐款',
    pay_url: `/pay/sandbox/${PAYMENT_ID}?token=${TOKEN}`,
    return_url: `/fund/donations/${DONATION_ID}?token=${TOKEN}`,
    created_at_ms: 1_700_000_000_000,
    paid_at_ms: null,
    ...extra,
  }
}

/** The whole receipt (as its donor or the holder of its check code sees it). */
export function receipt(extra: Partial<Receipt> = {}): Receipt {
  return {
    receipt_no: 'GC2026-000123',
    status: 'valid',
    full: true,
    donor: '陈阿姨',
    amount_fen: 2000,
    amount_in_words: '贰拾元整',
    purpose: null,
    issued_at_ms: 1_700_000_000_000,
    fundraiser,
    filing_no: '5344060500001',
    check_code: CHECK_CODE,
    verify_url: `https://example.org/r/GC2026-000123?code=${CHECK_CODE}`,
    ...extra,
  }
}

/** The public verification of the same receipt: donor masked, no check code. */
export function publicReceipt(extra: Partial<Receipt> = {}): Receipt {
  return receipt({ full: false, donor: '陈**', check_code: null, verify_url: null, ...extra })
}

export function report(id: number, extra: Partial<FundReport> = {}): FundReport {
  return {
    id,
    purpose_id: 2,
    purpose_name: '关爱长者计划',
    period_label: 'progress-3',
    title: `第三季度进展 ${id}`,
    body: '本期探访独居长者 120 人次。\n新增志愿者 8 名。',
    published_at_ms: 1_700_000_000_000 - id,
    ...extra,
  }
}

/** The checkpoints list with the fund chain signed and the audit log not yet. */
export const checkpoints: CheckpointList = {
  algorithm: 'ed25519',
  public_key: 'a1'.repeat(32),
  public_key_fingerprint: '1a2b 3c4d 5e6f 7a8b',
  latest: {
    fund: {
      chain: 'fund',
      seq: 120,
      head_hash: '0123456789abcdef'.repeat(4),
      at_ms: Date.UTC(2026, 11, 3, 2, 10),
      public_key: 'a1'.repeat(32),
      signature: 'b2'.repeat(64),
    },
    audit: null,
  },
  checkpoints: [],
  next_cursor: null,
}
