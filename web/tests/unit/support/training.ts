/** Fixtures of 党员社工培育, shaped as docs/api-training.md (and training/routes.cc) answer them. */
import type { Certificate, CertificateCheck, Practice, Programme, Progress, TrainingClass } from '@/api/training'
import { NOW } from './events'

const DAY = 86_400_000
const HOUR = 3_600_000

export const CERT_NO = 'GC2026-ABCDEFGHJK'

export const member = {
  user: {
    id: 21,
    display_name: '陈阿姨',
    phone: '13800000001',
    email: null,
    roles: [{ role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null }],
    created_at_ms: NOW - 400 * DAY,
  },
}

export const trainer = {
  user: {
    ...member.user,
    id: 26,
    display_name: '党员社工培训·吴老师',
    phone: '13800000006',
    roles: [{ role: 'trainer', org_id: null, org_name: null, village_id: null, village_name: null }],
  },
}

export function programme(overrides: Partial<Programme> = {}): Programme {
  return {
    id: 1,
    title: '党员社工基础班',
    description: '面向村（居）普通党员',
    description_html: '<p>面向村（居）普通党员</p>',
    modules: ['居民需求挖掘', '个案工作方法', '小组工作方法', '社区工作方法'],
    rules: { min_attendance_pct: 75, practice_hours: 16, pass_mark: 60 },
    certificate: { level: '党员社工（初级）', valid_years: 3 },
    created_at_ms: NOW - 500 * DAY,
    ...overrides,
  }
}

export function klass(overrides: Partial<TrainingClass> = {}): TrainingClass {
  const start = NOW + 9 * DAY
  return {
    id: 4,
    programme_id: 1,
    programme_title: '党员社工基础班',
    title: '2026 冬季党员社工基础班（叠滘村）',
    org_id: 2,
    org_name: '启创社工',
    venue_id: 1,
    venue_name: '关爱桂城企业创享家',
    capacity: 30,
    enrolled: 0,
    eligible: { village_ids: [3], secretaries_only: false },
    villages: [{ id: 3, name: '叠滘村' }],
    trainers: [{ id: 26, name: '党员社工培训·吴老师' }],
    refresher: false,
    starts_at_ms: start,
    ends_at_ms: start + 21 * DAY + 2 * HOUR,
    sessions: [0, 1, 2, 3].map((i) => ({
      event_id: 100 + i,
      seq: i + 1,
      module: ['居民需求挖掘', '个案工作方法', '小组工作方法', '社区工作方法'][i]!,
      starts_at_ms: start + i * 7 * DAY,
      ends_at_ms: start + i * 7 * DAY + 2 * HOUR,
      status: 'published',
    })),
    session_event_ids: [100, 101, 102, 103],
    quiz: [
      { text: '个案工作的第一个阶段是？', options: ['接案', '结案', '评估', '转介'], multiple: false },
      { text: '以下哪些属于社会工作的三大方法？', options: ['个案工作', '小组工作', '社区工作', '行政命令'], multiple: true },
    ],
    assignment: null,
    materials: [],
    my_enrolment: null,
    can_enrol: true,
    is_trainer: false,
    ...overrides,
  }
}

export function progress(overrides: Partial<Progress> = {}): Progress {
  return {
    user_id: 21,
    name: '陈阿姨',
    attendance: { attended: 3, sessions: 4, met: true },
    hours: { practice_minutes: 600, volunteer_minutes: 150, pending_minutes: 120, met: false },
    assessment: { status: 'passed', quiz_best: 100, assignment_submitted: false, assignment_grade: null },
    complete: false,
    certificate_no: null,
    ...overrides,
  }
}

export function practice(overrides: Partial<Practice> = {}): Practice {
  return {
    id: 'pracaaaaaaaaaaaaaaaa',
    user_id: 22,
    user_name: '叠滘村·何伯',
    kind: 'home_visit',
    date_ms: NOW - 5 * DAY,
    minutes: 240,
    hours: 4,
    place: '叠滘村西约',
    method: 'casework',
    note: '跟进困难家庭的低保申请。',
    room_id: null,
    status: 'pending',
    reason: '',
    decided_at_ms: null,
    created_at_ms: NOW - 4 * DAY,
    ...overrides,
  }
}

export function certificate(overrides: Partial<Certificate> = {}): Certificate {
  return {
    no: CERT_NO,
    check_code: '123456',
    user_id: 21,
    class_id: 1,
    programme_id: 1,
    holder_name: '陈阿姨',
    programme_title: '党员社工基础班',
    level: '党员社工（初级）',
    hours: 24,
    issuer: '启创社工',
    issued_at_ms: NOW - 60 * DAY,
    expires_at_ms: NOW + 1000 * DAY,
    renews: false,
    state: 'valid',
    revoked_reason: null,
    revoked_at_ms: null,
    verify_path: `/c/${CERT_NO}?code=123456`,
    ...overrides,
  }
}

export function publicCheck(overrides: Partial<CertificateCheck> = {}): CertificateCheck {
  return {
    no: CERT_NO,
    holder_name: '陈*姨',
    programme_title: '党员社工基础班',
    level: '党员社工（初级）',
    hours: 24,
    issuer: '启创社工',
    issued_at_ms: NOW - 60 * DAY,
    expires_at_ms: NOW + 1000 * DAY,
    state: 'valid',
    revoked_at_ms: null,
    code_checked: true,
    ...overrides,
  }
}
