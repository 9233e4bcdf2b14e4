/**
 * Fixtures of 项目申报与评审: an open call, an application, a reviewer's seat, a review sheet, a
 * meeting's ranking row, and a published notice with its results and objections.
 */
import type { Application, Call, NoticeResult, NoticeView, Objection, Ranking, RankingRow, ReviewSheet, Seat } from '@/api/grants'
import { NOW } from './events'

export const CALL_ID = 'callaaaaaaaaaaaaaaaa'
export const APP_ID = 'appaaaaaaaaaaaaaaaaa'
export const SEAT_ID = 'seataaaaaaaaaaaaaaaa'
export const MEETING_ID = 'meetaaaaaaaaaaaaaaaa'
export const NOTICE_ID = 'noticeaaaaaaaaaaaaaa'
export const OBJECTION_ID = 'objaaaaaaaaaaaaaaaaa'
const DAY = 86_400_000

export function call(overrides: Partial<Call> = {}): Call {
  return {
    id: CALL_ID,
    title: '2026年关爱基金社区服务项目',
    description: '',
    project_types: ['长者服务', '青少年'],
    budget_fen: 350_000_000,
    cap_fen: 20_000_000,
    awarded_fen: 0,
    opens_at_ms: NOW - DAY,
    closes_at_ms: NOW + 10 * DAY,
    support_closes_at_ms: NOW + 17 * DAY,
    review_at_ms: null,
    notice_at_ms: null,
    objection_days: 7,
    funding_modes: ['full', 'joint', 'cooperative'],
    min_cofunding_pct: 30,
    min_org_rating: null,
    panel: { experts: 3, citizens: 2 },
    rubric: [
      { criterion: '社区需求', weight: 30 },
      { criterion: '可行性', weight: 70 },
    ],
    expert_weight_pct: null,
    normalise: false,
    purpose_id: null,
    status: 'published',
    phase: 'open',
    ...overrides,
  }
}

export function application(overrides: Partial<Application> = {}): Application {
  return {
    id: APP_ID,
    call_id: CALL_ID,
    org: { id: 3, name: '博睿社工' },
    title: '长者助餐与探访',
    project_type: '长者服务',
    requested_fen: 10_000_000,
    total_fen: 10_000_000,
    funding_mode: 'full',
    status: 'draft',
    decision: null,
    awarded_fen: 0,
    support_count: 0,
    submitted_at_ms: null,
    updated_at_ms: NOW,
    summary: '',
    beneficiaries: '独居及高龄长者',
    beneficiary_count: 120,
    goals: '',
    indicators: '',
    activities: '',
    starts_at_ms: null,
    ends_at_ms: null,
    villages: [1],
    budget_lines: [
      { item: '食材', amount_fen: 6_000_000 },
      { item: '社工人力', amount_fen: 4_000_000 },
    ],
    co_funders: [],
    partner_name: '',
    in_kind_note: '',
    in_kind_fen: 0,
    sponsorship_id: null,
    call: { id: CALL_ID, title: '2026年关爱基金社区服务项目', phase: 'open', closes_at_ms: NOW + 10 * DAY, support_closes_at_ms: NOW + 17 * DAY },
    viewer: { owner: true, admin: false, reviewer: false, voted: false, can_amend: true, can_submit: true, can_withdraw: true },
    ...overrides,
  }
}

export function seat(overrides: Partial<Seat> = {}): Seat {
  return {
    id: SEAT_ID,
    application_id: APP_ID,
    application_title: '长者助餐与探访',
    project_type: '长者服务',
    reviewer_id: 'revaaaaaaaaaaaaaaaaa',
    reviewer_name: '李老师',
    kind: 'expert',
    seat_no: 1,
    status: 'proposed',
    cost: 0,
    reason: { tag_match: true, village_match: false, load_after: 2, cost: 0 },
    ...overrides,
  }
}

export function sheet(overrides: Partial<ReviewSheet> = {}): ReviewSheet {
  return {
    review: { application_id: APP_ID, status: 'none', scores: {}, comment: '', score: null, submitted_at_ms: null },
    application: application({ status: 'under_review' }),
    rubric: call().rubric,
    scores_due_ms: NOW + 3 * DAY,
    ...overrides,
  }
}

/** What a ranking row and a notice's result say alike of the first-ranked application. */
const RANKED = {
  rank: 1,
  application_id: APP_ID,
  title: '长者助餐与探访',
  org_name: '博睿社工',
  project_type: '长者服务',
  requested_fen: 10_000_000,
  overall: 8.2,
  expert: 8,
  citizen: 8.5,
  insufficient_reviews: false,
}

export function rankingRow(overrides: Partial<RankingRow> = {}): RankingRow {
  return {
    ...RANKED,
    status: 'under_review',
    proposed_fen: 10_000_000,
    running_total_fen: 10_000_000,
    note: '',
    ...overrides,
  }
}

/** A budget of ¥150,000.00 with ¥80,000.00 already awarded, a cap of ¥200,000.00. */
export function ranking(rows: RankingRow[] = [rankingRow()], overrides: Partial<Ranking> = {}): Ranking {
  return { ranking: rows, budget_fen: 15_000_000, awarded_fen: 8_000_000, cap_fen: 20_000_000, ...overrides }
}

export function noticeResult(overrides: Partial<NoticeResult> = {}): NoticeResult {
  return {
    ...RANKED,
    funding_mode: 'full',
    decision: 'approved',
    awarded_fen: 9_000_000,
    reason: '需求明确，预算合理',
    ...overrides,
  }
}

export function objection(overrides: Partial<Objection> = {}): Objection {
  return {
    id: OBJECTION_ID,
    application_id: APP_ID,
    application_title: '长者助餐与探访',
    by: '王**',
    status: 'open',
    answer: '',
    created_at_ms: NOW,
    answered_at_ms: null,
    ...overrides,
  }
}

/** Published now; objections close `closesInMs` from the real clock (the page's countdown reads it). */
export function noticeView(closesInMs: number, overrides: Partial<NoticeView> = {}): NoticeView {
  return {
    notice: { id: NOTICE_ID, call_id: CALL_ID, call_title: '2026年关爱基金社区服务项目', note: '', published_at_ms: NOW, objections_close_ms: Date.now() + closesInMs },
    budget_fen: 15_000_000,
    awarded_fen: 9_000_000,
    results: [noticeResult()],
    objections: [],
    ...overrides,
  }
}
