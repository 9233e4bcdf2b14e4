/** Fixtures of 资助项目: a funded project with two milestones, its summary, a report, a visit. */
import type { Project, ProjectSummary, Report, Visit } from '@/api/grantsProjects'
import { NOW } from './events'
import { APP_ID, CALL_ID } from './grants'

export const PROJECT_ID = 'projaaaaaaaaaaaaaaaa'
export const REPORT_ID = 'repaaaaaaaaaaaaaaaaa'
const DAY = 86_400_000

export function report(overrides: Partial<Report> = {}): Report {
  return {
    id: REPORT_ID,
    project_id: PROJECT_ID,
    kind: 'progress',
    period_end_ms: NOW - 10 * DAY,
    body: '本季度开展助餐 60 次，服务长者 40 人。',
    milestone_seq: 1,
    use_of_funds: [{ item: '食材', amount_fen: 2_000_000 }],
    used_fen: 2_000_000,
    status: 'approved',
    review_note: '',
    submitted_at_ms: NOW - 9 * DAY,
    reviewed_at_ms: NOW - 8 * DAY,
    disbursement: { id: 7, status: 'paid', amount_fen: 4_000_000 },
    ...overrides,
  }
}

export function visit(overrides: Partial<Visit> = {}): Visit {
  return { id: 'visitaaaaaaaaaaaaaaa', by: '李**', visited_at_ms: NOW - 5 * DAY, body: '现场查看助餐点，长者反映饭菜可口。', created_at_ms: NOW - 5 * DAY, ...overrides }
}

export function project(overrides: Partial<Project> = {}): Project {
  return {
    id: PROJECT_ID,
    application_id: APP_ID,
    call_id: CALL_ID,
    call_title: '2026年关爱基金社区服务项目',
    title: '长者助餐与探访',
    org_id: 3,
    org_name: '博睿社工',
    project_type: '长者服务',
    funding_mode: 'joint',
    villages: [{ id: 1, name: '叠滘村' }],
    awarded_fen: 10_000_000,
    co_funders: [{ name: '叠滘村委会', share_fen: 2_000_000 }],
    partner_name: '叠滘长者饭堂',
    in_kind_note: '村委提供场地',
    sponsor: { name: '顺德农商行', naming_text: '顺德农商行·长者饭堂', amount_fen: 3_000_000 },
    starts_at_ms: NOW - 100 * DAY,
    ends_at_ms: NOW + 265 * DAY,
    status: 'active',
    disbursed_fen: 4_000_000,
    released_fen: 0,
    leftover_fen: 0,
    leftover_note: '',
    milestones: [
      { seq: 1, label: '启动', amount_fen: 4_000_000, due_ms: NOW - 90 * DAY, status: 'paid', disbursement_id: 7 },
      { seq: 2, label: '中期', amount_fen: 6_000_000, due_ms: NOW + 90 * DAY, status: 'planned', disbursement_id: null },
    ],
    reporting: { long_project: true, next_due_ms: NOW - 2 * DAY, overdue: true, final_due_ms: NOW + 355 * DAY },
    reports: [report()],
    visits: [visit()],
    observers: [{ name: '李**' }],
    created_at_ms: NOW - 100 * DAY,
    can_report: false,
    can_manage: false,
    ...overrides,
  }
}

export function summary(overrides: Partial<ProjectSummary> = {}): ProjectSummary {
  const p = project()
  return {
    id: p.id,
    title: p.title,
    org_name: p.org_name,
    project_type: p.project_type,
    funding_mode: p.funding_mode,
    awarded_fen: p.awarded_fen,
    disbursed_fen: p.disbursed_fen,
    sponsor: p.sponsor,
    status: p.status,
    starts_at_ms: p.starts_at_ms,
    ends_at_ms: p.ends_at_ms,
    call_id: p.call_id,
    call_title: p.call_title,
    reporting: p.reporting,
    ...overrides,
  }
}
