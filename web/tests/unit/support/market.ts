/** Fixtures of 社工服务进村(居): a listing, a need with a match, a survey round and its results. */
import type { Match, Need, Project, ProjectView, Round, RoundResults, Wanted } from '@/api/market'
import { NOW } from './events'

export const MPROJECT_ID = 'mprojaaaaaaaaaaaaaaa'
export const NEED_ID = 'needaaaaaaaaaaaaaaaa'
export const ROUND_ID = 'roundaaaaaaaaaaaaaaa'
const DAY = 86_400_000

export const villageStaff = {
  user: {
    id: 11,
    display_name: '梁书记',
    phone: '13800000003',
    email: null,
    roles: [{ role: 'village_staff', org_id: null, org_name: null, village_id: 3, village_name: '叠滘村' }],
    created_at_ms: NOW - 100 * DAY,
  },
}

export const resident = { user: { ...villageStaff.user, id: 12, display_name: '陈阿姨', roles: [{ role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null }] } }
export const marketAdmin = { user: { ...villageStaff.user, id: 13, display_name: '黄主任', roles: [{ role: 'fund_admin', org_id: null, org_name: null, village_id: null, village_name: null }] } }

export function mproject(overrides: Partial<ProjectView> = {}): ProjectView {
  return {
    id: MPROJECT_ID,
    org_id: 3,
    org_name: '博睿社工',
    org_rating: '5A',
    title: '独居长者“平安铃”探访',
    project_type: '长者服务',
    target_group: '独居长者',
    price: { kind: 'range', min_fen: 6_000_000, max_fen: 8_000_000 },
    duration_days: 365,
    sessions: 48,
    service_hours: 96,
    beneficiaries: 120,
    description: '## 服务内容\n\n每周探访',
    description_html: '<h2>服务内容</h2><p>每周探访</p>',
    indicators: ['每周探访 1 次'],
    team: [{ name: '陈**', role: '项目主管', level: '中级社工师', party_member: true }],
    status: 'approved',
    created_at_ms: NOW - 10 * DAY,
    updated_at_ms: NOW - 9 * DAY,
    can_edit: false,
    can_review: false,
    ...overrides,
  }
}

export function need(overrides: Partial<Need> = {}): Need {
  return {
    id: NEED_ID,
    village_id: 3,
    village_name: '叠滘村',
    village_rural: true,
    title: '独居长者的日常探访',
    project_type: '长者服务',
    target_group: '独居长者',
    beneficiaries: 60,
    story: '村里独居长者多',
    budget_min_fen: 2_000_000,
    budget_max_fen: 9_000_000,
    period: { from_ms: NOW, to_ms: NOW + 365 * DAY },
    source: 'survey',
    survey_round_id: ROUND_ID,
    status: 'open',
    created_at_ms: NOW - DAY,
    updated_at_ms: NOW - DAY,
    ...overrides,
  }
}

export function match(project: Project = mproject()): Match {
  return {
    project_id: project.id,
    score: 90,
    reasons: [
      { code: 'type_match', points: 40 },
      { code: 'target_group_match', points: 20, partial: 0 },
      { code: 'budget_fit', points: 20, partial: 0, price_min_fen: 6_000_000, price_max_fen: 8_000_000 },
      { code: 'org_rating', points: 10, level: '5A' },
    ],
    project,
  }
}

export function wanted(): Wanted {
  const m = match()
  return { village_id: 3, village_name: '叠滘村', need_id: NEED_ID, need_title: '独居长者的日常探访', project_type: '长者服务', score: m.score, reasons: m.reasons }
}

export function round(overrides: Partial<Round> = {}): Round {
  return {
    id: ROUND_ID,
    village_id: 3,
    village_name: '叠滘村',
    title: '叠滘村2012年村民服务需求调查',
    options: ['长者探访', '长者助餐', '儿童课后托管'],
    opens_at_ms: NOW - 30 * DAY,
    closes_at_ms: NOW + 15 * DAY,
    open: true,
    answered: false,
    can_manage: false,
    ...overrides,
  }
}

export function results(): RoundResults {
  return {
    round: round({ can_manage: true }),
    answers: 30,
    by_option: [
      { option: '长者探访', count: 12 },
      { option: '长者助餐', count: 10 },
      { option: '儿童课后托管', count: 8 },
    ],
    written_in: 4,
    by_age_band: [
      { age_band: '60to79', count: 10 },
      { age_band: '80plus', count: 5 },
    ],
  }
}
