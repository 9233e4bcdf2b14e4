/** Sample 服务申请 API bodies, shaped as docs/api-casework.md describes them. */
import type { Application, CaseworkService, Message, OrgStats, Village } from '@/api/casework'

export const villages: Village[] = [
  { id: 1, name: '叠滘村', kind: 'village', rural: true, collective_economy: true, created_at_ms: 1 },
  { id: 2, name: '桂园社区', kind: 'community', rural: false, collective_economy: null, created_at_ms: 1 },
]

export function service(extra: Partial<CaseworkService> = {}): CaseworkService {
  return {
    id: 1,
    org_id: 3,
    org_name: '博睿社工',
    name: '长者探访',
    description: '为独居、空巢长者提供定期上门探访',
    eligibility: '60 岁以上独居或空巢长者',
    villages: [],
    response_days: 3,
    active: true,
    created_at_ms: 1_700_000_000_000,
    ...extra,
  }
}

export const services: CaseworkService[] = [
  service(),
  service({ id: 2, name: '心理辅导', description: '一对一心理辅导', eligibility: null, villages: [{ id: 2, name: '桂园社区' }], response_days: 5 }),
  service({ id: 5, org_id: 4, org_name: '启创社工', name: '家庭综合服务', villages: [{ id: 1, name: '叠滘村' }] }),
]

export const SUBMITTED_AT = 1_700_000_000_000
const DAY = 86_400_000

export function application(extra: Partial<Application> = {}): Application {
  return {
    id: 9,
    service: { id: 1, name: '长者探访', org_id: 3, org_name: '博睿社工' },
    org_id: 3,
    org_name: '博睿社工',
    applicant: { user_id: 5, name: '陈**' },
    for_whom: 'family',
    beneficiary_name: '陈伯',
    relationship: '父亲',
    description: '独居，腿脚不便，希望每周有人上门看看',
    preferred_times: '周二上午',
    contact_phone: '13900001111',
    village: { id: 1, name: '叠滘村' },
    status: 'submitted',
    worker: null,
    submitted_at_ms: SUBMITTED_AT,
    due_at_ms: SUBMITTED_AT + 3 * DAY,
    first_response_at_ms: null,
    overdue: false,
    closed_at_ms: null,
    outcome: null,
    rating: null,
    rating_comment: null,
    reopen_until_ms: null,
    has_sensitive: true,
    sensitive: { health_condition: '***', id_number: '440***********1234' },
    sensitive_visible: false,
    sensitive_unreadable: false,
    timeline: [{ at_ms: SUBMITTED_AT, kind: 'submitted', actor: '陈**', note: '' }],
    ...extra,
  }
}

export function message(extra: Partial<Message> = {}): Message {
  return {
    id: 1,
    author: { user_id: 7, name: '李社工' },
    from_staff: true,
    body: '您好，我是李社工，周二上午上门可以吗？',
    created_at_ms: SUBMITTED_AT + 3_600_000,
    ...extra,
  }
}

export const stats: OrgStats[] = [
  { org_id: 3, org_name: '博睿社工', applications: 12, open: 4, overdue: 1, median_first_response_ms: 5.5 * 3_600_000, satisfaction_avg: 4.25, rated: 4 },
  { org_id: 4, org_name: '启创社工', applications: 0, open: 0, overdue: 0, median_first_response_ms: null, satisfaction_avg: null, rated: 0 },
]

/** A resident who is nobody's staff. */
export const resident = {
  id: 5,
  display_name: '陈阿姨',
  phone: '138****0001',
  email: null,
  roles: [{ role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null }],
  created_at_ms: 1,
} as const

/** 李社工: staff of 博睿社工 (org 3). */
export const staffUser = {
  id: 7,
  display_name: '李社工',
  phone: '138****0002',
  email: null,
  roles: [{ role: 'org_staff', org_id: 3, org_name: '博睿社工', village_id: null, village_name: null }],
  created_at_ms: 1,
} as const

export const meta = (features: string[] = ['fund', 'casework']) => ({
  name: '关爱城市',
  version: '0.1.0',
  consent_version: '2026-11',
  public_origin: '',
  features,
})
