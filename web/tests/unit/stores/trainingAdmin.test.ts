import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildClassInput, buildProgrammeInput, type ClassForm, parseRosterPhones, useTrainingAdminStore } from '@/stores/trainingAdmin'
import { toZonedInput } from '@/time/zone'
import { NOW } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { klass, practice, progress } from '../support/training'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

const DAY = 86_400_000

describe('parseRosterPhones', () => {
  it('takes phone numbers one a line or separated, once each, and names the rest', () => {
    expect(parseRosterPhones('13800000021\n13800000022, 13800000021、1380000002；abc\n\n')).toEqual({
      phones: ['13800000021', '13800000022'],
      invalid: ['1380000002', 'abc'],
    })
    expect(parseRosterPhones('  ')).toEqual({ phones: [], invalid: [] })
  })
})

describe('buildProgrammeInput', () => {
  it('builds the programme with its modules one a line and its rules as numbers', () => {
    const built = buildProgrammeInput({
      title: ' 党员社工基础班 ',
      description: '',
      modules: '居民需求挖掘\n\n个案工作方法\n居民需求挖掘',
      minAttendancePct: '75',
      practiceHours: '16',
      passMark: '60',
      level: '党员社工（初级）',
      validYears: '3',
    })
    expect(built).toEqual({
      input: {
        title: '党员社工基础班',
        description: '',
        modules: ['居民需求挖掘', '个案工作方法'],
        rules: { min_attendance_pct: 75, practice_hours: 16, pass_mark: 60 },
        certificate: { level: '党员社工（初级）', valid_years: 3 },
      },
    })
  })

  it('names each problem by the server’s field', () => {
    expect(
      buildProgrammeInput({ title: '', description: '', modules: ' ', minAttendancePct: '101', practiceHours: 'x', passMark: '60', level: '', validYears: '0' }),
    ).toEqual({
      problems: { title: 'required', modules: 'modules', 'rules.min_attendance_pct': 'whole', 'rules.practice_hours': 'whole', 'certificate.level': 'required', 'certificate.valid_years': 'whole' },
    })
  })
})

describe('buildClassInput', () => {
  const start = NOW + 7 * DAY
  const form = (overrides: Partial<ClassForm> = {}): ClassForm => ({
    programmeId: 1,
    title: '2026 秋季班（叠滘村）',
    orgId: null,
    venueId: 1,
    capacity: '30',
    villageIds: [3],
    secretariesOnly: false,
    refresher: false,
    sessions: [{ startsAt: toZonedInput(start), endsAt: toZonedInput(start + 2 * 3_600_000), module: '居民需求挖掘' }],
    quiz: [{ text: '第一步是？', options: ['接案', '结案'], answer: [0], multiple: false }],
    assignment: '',
    ...overrides,
  })

  it('builds the class: sessions in ms, the quiz with its answers, no org or assignment when left out', () => {
    const built = buildClassInput(form(), NOW)
    expect('input' in built && built.input).toEqual({
      programme_id: 1,
      title: '2026 秋季班（叠滘村）',
      venue_id: 1,
      capacity: 30,
      eligible: { village_ids: [3], secretaries_only: false },
      refresher: false,
      sessions: [{ starts_at_ms: start, ends_at_ms: start + 2 * 3_600_000, module: '居民需求挖掘' }],
      quiz: [{ text: '第一步是？', options: ['接案', '结案'], answer: [0], multiple: false }],
    })
    const withOrg = buildClassInput(form({ orgId: 2, assignment: ' 写评估 ' }), NOW)
    expect('input' in withOrg && [withOrg.input.org_id, withOrg.input.assignment]).toEqual([2, '写评估'])
  })

  it('names the numbered fields: a session in the past or ending first, a question without a right answer', () => {
    const built = buildClassInput(
      form({
        villageIds: [],
        sessions: [
          { startsAt: toZonedInput(NOW - DAY), endsAt: toZonedInput(NOW), module: '' },
          { startsAt: toZonedInput(start), endsAt: toZonedInput(start - 3_600_000), module: '个案' },
        ],
        quiz: [{ text: '题', options: ['甲', ' '], answer: [0, 1], multiple: false }],
      }),
      NOW,
    )
    expect(built).toEqual({
      problems: {
        'eligible.village_ids': 'required',
        'sessions[0].starts_at_ms': 'past',
        'sessions[0].module': 'required',
        'sessions[1].ends_at_ms': 'order',
        'quiz[0].options': 'options',
        'quiz[0].answer': 'answer',
      },
    })
    expect(buildClassInput(form({ sessions: [], capacity: '0' }), NOW)).toEqual({ problems: { capacity: 'whole', sessions: 'required' } })
  })
})

describe('useTrainingAdminStore', () => {
  it('imports a roster and reads the class, roster and progress again; refusals come back as they are', async () => {
    const refused = [{ member: '13800000099', code: 'training.person_not_found', message: '没有找到使用这个手机号的账号' }]
    const { requests } = stubFetch({
      'POST /api/v1/training/classes/4/enrolments': jsonResponse(201, { enrolled: [21], refused }),
      'GET /api/v1/training/classes/4': jsonResponse(200, { class: klass({ enrolled: 1, is_trainer: true }) }),
      'GET /api/v1/training/classes/4/roster': jsonResponse(200, { trainees: [{ user_id: 21, name: '陈阿姨', phone: '138****0001', village_id: 3, village_name: '叠滘村', enrolled_at_ms: NOW }] }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
    })
    const store = useTrainingAdminStore()
    const result = await store.importRoster(4, [{ phone: '13800000001', village_id: 3, secretary: false }, { phone: '13800000099', village_id: 3, secretary: false }])
    expect(result.ok && result.value.refused).toEqual(refused)
    expect(requests[0]?.body).toEqual({ members: [{ phone: '13800000001', village_id: 3, secretary: false }, { phone: '13800000099', village_id: 3, secretary: false }] })
    expect(store.roster.map((r) => r.name)).toEqual(['陈阿姨'])
    expect(store.klass?.enrolled).toBe(1)
  })

  it('takes a decided practice record off the list, also when someone else decided it first', async () => {
    stubFetch({
      'POST /api/v1/training/practice/pracaaaaaaaaaaaaaaaa/reject': jsonResponse(200, { practice: practice({ status: 'rejected', reason: '重复' }) }),
      'POST /api/v1/training/practice/otheraaaaaaaaaaaaaaa/confirm': errorResponse(409, 'training.practice_decided', '已经处理过了'),
    })
    const store = useTrainingAdminStore()
    store.pending = [practice(), practice({ id: 'otheraaaaaaaaaaaaaaa' })]
    expect((await store.decide('pracaaaaaaaaaaaaaaaa', false, '重复')).ok).toBe(true)
    const late = await store.decide('otheraaaaaaaaaaaaaaa', true)
    expect(!late.ok && late.error.message).toBe('已经处理过了')
    expect(store.pending).toEqual([])
  })
})
