/** Fixtures of buying a project: a quote request with a quote, a contract, a village's public page. */
import type { Contract, ContractMilestone, Quote, QuoteRequest, VillagePublic } from '@/api/marketPurchase'
import { NOW } from './events'
import { MPROJECT_ID, NEED_ID, need } from './market'

export const REQUEST_ID = 'qreqaaaaaaaaaaaaaaaa'
export const QUOTE_ID = 'quoteaaaaaaaaaaaaaaa'
export const CONTRACT_ID = 'contraaaaaaaaaaaaaaa'
const DAY = 86_400_000

export const orgStaff = {
  user: {
    id: 21,
    display_name: '李社工',
    phone: '13800000002',
    email: null,
    roles: [{ role: 'org_staff', org_id: 5, org_name: '博睿社工', village_id: null, village_name: null }],
    created_at_ms: NOW - 100 * DAY,
  },
}

export function quote(overrides: Partial<Quote> = {}): Quote {
  return {
    id: QUOTE_ID,
    quote_request_id: REQUEST_ID,
    amount_fen: 6_000_000,
    note: '含全年物资',
    milestones: [
      { n: 1, title: '需求评估与建档', due_ms: NOW + 30 * DAY, amount_fen: 1_800_000, deliverables: '建档 60 户' },
      { n: 2, title: '全年探访', due_ms: NOW + 300 * DAY, amount_fen: 4_200_000, deliverables: '' },
    ],
    status: 'open',
    created_at_ms: NOW - DAY,
    ...overrides,
  }
}

export function quoteRequest(overrides: Partial<QuoteRequest> = {}): QuoteRequest {
  return {
    id: REQUEST_ID,
    village_id: 3,
    village_name: '叠滘村',
    village_rural: true,
    project_id: MPROJECT_ID,
    project_title: '独居长者“平安铃”探访',
    org_id: 5,
    org_name: '博睿社工',
    need_id: NEED_ID,
    need_title: '独居长者的日常探访',
    message: '',
    status: 'open',
    created_at_ms: NOW - 2 * DAY,
    quotes: [quote()],
    can_quote: false,
    can_accept: true,
    ...overrides,
  }
}

export function milestone(n: number, overrides: Partial<ContractMilestone> = {}): ContractMilestone {
  return {
    n,
    title: n === 1 ? '需求评估与建档' : '全年探访',
    due_ms: NOW + n * 30 * DAY,
    amount_fen: n === 1 ? 1_800_000 : 4_200_000,
    deliverables: '',
    status: 'pending',
    report: null,
    return_reason: null,
    accepted_at_ms: null,
    payment: null,
    ...overrides,
  }
}

export function contract(overrides: Partial<Contract> = {}): Contract {
  return {
    id: CONTRACT_ID,
    version: 1,
    village_id: 3,
    village_name: '叠滘村',
    org_id: 5,
    org_name: '博睿社工',
    project_id: MPROJECT_ID,
    project_title: '独居长者“平安铃”探访',
    quote_id: QUOTE_ID,
    amount_fen: 6_000_000,
    paid_fen: 0,
    status: 'active',
    needs_decision: true,
    threshold_fen: 5_000_000,
    decision: null,
    notice: null,
    objections: [],
    milestones: [milestone(1), milestone(2)],
    amendments: [],
    evaluation: null,
    rating: { count: 0, average_x10: 0 },
    created_at_ms: NOW - DAY,
    activated_at_ms: NOW,
    can_manage: false,
    can_report: false,
    ...overrides,
  }
}

export function villagePublic(overrides: Partial<VillagePublic> = {}): VillagePublic {
  const c = contract({ status: 'active', paid_fen: 1_800_000 })
  const inNotice = contract({
    id: 'contrbbbbbbbbbbbbbbb',
    status: 'in_notice',
    notice: { starts_at_ms: NOW - DAY, ends_at_ms: NOW + 4 * DAY, days: 5 },
    objections: [{ id: 7, text: '价格偏高', answer: '已比较三家报价', created_at_ms: NOW, answered_at_ms: NOW }],
  })
  const asPublic = (x: Contract) => ({
    id: x.id,
    project_id: x.project_id,
    project_title: x.project_title,
    org_name: x.org_name,
    amount_fen: x.amount_fen,
    paid_fen: x.paid_fen,
    status: x.status,
    decision: x.decision,
    notice: x.notice,
    objections: x.objections,
    milestones: x.milestones.map((m) => ({ title: m.title, due_ms: m.due_ms, amount_fen: m.amount_fen, status: m.status })),
    created_at_ms: x.created_at_ms,
  })
  return {
    village: { id: 3, name: '叠滘村', rural: true },
    needs: [need()],
    in_notice: [asPublic(inNotice)],
    contracts: [asPublic(c), asPublic(inNotice)],
    payments: [{ contract_id: CONTRACT_ID, project_title: c.project_title, org_name: '博睿社工', milestone: 1, milestone_title: '需求评估与建档', amount_fen: 1_800_000, voucher_no: '叠集记〔2012〕003号', paid_at_ms: NOW, book_seq: 4 }],
    evaluations: [{ contract_id: CONTRACT_ID, project_title: c.project_title, org_name: '博睿社工', stars: 5, comment: '长者们很满意' }],
    totals: { contracts: 2, contracted_fen: 12_000_000, paid_fen: 1_800_000 },
    ...overrides,
  }
}
