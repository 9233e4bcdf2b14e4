import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { awardedAfterFen, awardLimitFen, buildCallInput, eligibilityOpen, panelsOf, undecidedCount, useGrantsAdminStore, type CallForm } from '@/stores/grantsAdmin'
import { application, APP_ID, call, CALL_ID, seat } from '../support/grants'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { NOW } from '../support/events'

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const MEETING_ID = 'meetaaaaaaaaaaaaaaaa'
const meeting = { id: MEETING_ID, call_id: CALL_ID, title: '第一次评审会', held_at_ms: NOW, venue: '', scores_due_ms: NOW + 1, status: 'planned', cost: null }

function callForm(overrides: Partial<CallForm> = {}): CallForm {
  return {
    title: '2026年项目',
    description: '',
    project_types: ['长者服务'],
    budget: '3500000',
    cap: '200000',
    opens: '2026-12-01T09:00',
    closes: '2026-12-31T17:00',
    support_closes: '',
    funding_modes: ['full'],
    min_cofunding_pct: '30',
    experts: '3',
    citizens: '2',
    rubric: [{ criterion: '社区需求', weight: '30' }, { criterion: '可行性', weight: '70' }, { criterion: '', weight: '' }],
    ...overrides,
  }
}

describe('grantsAdmin rules', () => {
  it('limits an award to the request and the cap, and previews the total a decision leaves', () => {
    expect(awardLimitFen(10_000_000, 20_000_000)).toBe(10_000_000)
    expect(awardLimitFen(30_000_000, 20_000_000)).toBe(20_000_000)
    // Changing an approval of ¥500 to ¥300 on a total of ¥1,200 leaves ¥1,000.
    expect(awardedAfterFen(120_000, 50_000, 30_000)).toBe(100_000)
    expect(undecidedCount([{ status: 'under_review' }, { status: 'decided' }, { status: 'eligible' }])).toBe(1)
  })

  it('builds a call in fen with its panel and rubric; the co-funding minimum only with joint', () => {
    const built = buildCallInput(callForm())
    expect(built.ok).toBe(true)
    if (!built.ok) return
    expect(built.body).toMatchObject({ budget_fen: 350_000_000, cap_fen: 20_000_000, panel: { experts: 3, citizens: 2 }, rubric: [{ criterion: '社区需求', weight: 30 }, { criterion: '可行性', weight: 70 }] })
    expect(built.body).not.toHaveProperty('min_cofunding_pct')
    expect(built.body).not.toHaveProperty('support_closes_at_ms')
    const joint = buildCallInput(callForm({ funding_modes: ['full', 'joint'], support_closes: '2027-01-07T17:00' }))
    expect(joint.ok && joint.body.min_cofunding_pct).toBe(30)
    expect(joint.ok && joint.body.support_closes_at_ms).toBeGreaterThan(0)
  })

  it('names the problems by the server field names', () => {
    const built = buildCallInput(callForm({ title: '', project_types: [], closes: '2026-11-01T09:00', support_closes: '2026-10-01T09:00', experts: '10', rubric: [{ criterion: '社区需求', weight: '0' }] }))
    expect(!built.ok && built.problems.map((p) => p.field)).toEqual(['title', 'project_types', 'closes_at_ms', 'support_closes_at_ms', 'panel.experts', 'rubric[0].weight'])
  })

  it('groups seats into panels, experts first by seat number', () => {
    const other = 'appbbbbbbbbbbbbbbbbb'
    const panels = panelsOf([
      seat({ id: '1'.repeat(20), kind: 'citizen', seat_no: 1 }),
      seat({ id: '2'.repeat(20), application_id: other, application_title: '青少年成长' }),
      seat({ id: '3'.repeat(20), kind: 'expert', seat_no: 2 }),
      seat({ id: '4'.repeat(20), kind: 'expert', seat_no: 1 }),
    ])
    expect(panels.map((p) => [p.application_id, p.seats.map((s) => s.id[0])])).toEqual([
      [APP_ID, ['4', '3', '1']],
      [other, ['2']],
    ])
  })

  it('opens eligibility at the close', () => {
    expect(eligibilityOpen(call(), NOW)).toBe(false)
    expect(eligibilityOpen(call({ closes_at_ms: NOW }), NOW)).toBe(true)
  })
})

describe('grantsAdmin store', () => {
  it('loads a call with its applications and meetings, and records eligibility', async () => {
    const { requests } = stubFetch({
      [`GET /api/v1/grants/calls/${CALL_ID}`]: jsonResponse(200, { call: call({ closes_at_ms: NOW - 1, phase: 'review' }), now_ms: NOW }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [application({ status: 'submitted' })] }),
      'GET /api/v1/grants/meetings': jsonResponse(200, { meetings: [meeting] }),
      [`POST /api/v1/grants/applications/${APP_ID}/eligibility`]: jsonResponse(200, { application: application({ status: 'ineligible' }) }),
    })
    const store = useGrantsAdminStore()
    expect((await store.loadCall(CALL_ID)).ok).toBe(true)
    expect(requests.find((r) => r.url.startsWith('/api/v1/grants/meetings'))?.url).toBe(`/api/v1/grants/meetings?call_id=${CALL_ID}`)
    expect(store.meetings).toHaveLength(1)
    expect((await store.setEligibility(APP_ID, false, '材料不全')).ok).toBe(true)
    expect(requests.at(-1)?.body).toEqual({ eligible: false, note: '材料不全' })
    expect(store.applications[0]?.status).toBe('ineligible')
  })

  it('maps an eligibility decision before the close to its code', async () => {
    stubFetch({ [`POST /api/v1/grants/applications/${APP_ID}/eligibility`]: errorResponse(409, 'grants.call_still_open', '申报尚未截止') })
    const result = await useGrantsAdminStore().setEligibility(APP_ID, true, '')
    expect(!result.ok && result.error).toMatchObject({ code: 'grants.call_still_open', status: 409 })
  })

  it('previews an assignment without touching the written seats, then writes it', async () => {
    const written = [seat({ status: 'proposed' })]
    const outcome = (dry: boolean) => ({
      assignments: written,
      shortfalls: [{ application_id: APP_ID, kind: 'citizen', missing: 1, reason: 'no_eligible_reviewers', eligible: 0, conflicted: 2, unavailable: 0, untagged: 0, declined: 0, at_cap: 0 }],
      cost: 10,
      phases: 3,
      elapsed_us: 1800,
      dry_run: dry,
      meeting: { ...meeting, status: dry ? 'planned' : 'assigned' },
    })
    let writtenYet = false
    const { requests } = stubFetch({
      [`GET /api/v1/grants/meetings/${MEETING_ID}`]: () => jsonResponse(200, { meeting, call: call(), assignments: writtenYet ? written : [] }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [application({ status: 'eligible' })] }),
      [`POST /api/v1/grants/meetings/${MEETING_ID}/assign`]: (r) => {
        const dry = r.url.endsWith('?dry_run=1')
        writtenYet ||= !dry
        return jsonResponse(200, outcome(dry))
      },
    })
    const store = useGrantsAdminStore()
    await store.loadMeeting(MEETING_ID)
    expect(store.meetingApps[APP_ID]?.title).toBe('长者助餐与探访')
    expect(store.panels).toEqual([])
    const preview = await store.assign(true)
    expect(preview.ok && preview.value.shortfalls[0]?.reason).toBe('no_eligible_reviewers')
    expect(store.assignments).toEqual([])
    expect(store.panels).toHaveLength(1)
    expect((await store.assign(false)).ok).toBe(true)
    expect(store.assignments).toEqual(written)
    expect(store.meeting?.status).toBe('assigned')
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      `/api/v1/grants/meetings/${MEETING_ID}/assign?dry_run=1`,
      `/api/v1/grants/meetings/${MEETING_ID}/assign`,
    ])
  })

  it('maps a changed pool to its code, and loads the ranking and an application\'s scores', async () => {
    stubFetch({
      [`GET /api/v1/grants/meetings/${MEETING_ID}`]: jsonResponse(200, { meeting, call: call(), assignments: [] }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [] }),
      [`POST /api/v1/grants/meetings/${MEETING_ID}/assign`]: errorResponse(409, 'grants.pool_changed', '评审人员库有变化'),
      [`GET /api/v1/grants/meetings/${MEETING_ID}/ranking`]: jsonResponse(200, { ranking: [], budget_fen: 100, awarded_fen: 0 }),
      [`GET /api/v1/grants/applications/${APP_ID}/scores`]: jsonResponse(200, { scores: { application_id: APP_ID, overall: 7.5, criteria: [] }, reviews: [] }),
    })
    const store = useGrantsAdminStore()
    await store.loadMeeting(MEETING_ID)
    const run = await store.assign(false)
    expect(!run.ok && run.error.code).toBe('grants.pool_changed')
    expect((await store.loadRanking()).ok).toBe(true)
    expect(store.ranking?.budget_fen).toBe(100)
    expect((await store.loadScores(APP_ID)).ok).toBe(true)
    expect(store.scores[APP_ID]?.scores.overall).toBe(7.5)
  })

  it('approves a citizen reviewer into the pool and adds an expert', async () => {
    const applied = { id: 'reva'.padEnd(20, 'a'), kind: 'citizen', status: 'applied', name: '王阿姨', title: '', project_types: ['长者服务'], load_cap: 5 }
    stubFetch({
      'GET /api/v1/grants/reviewers': jsonResponse(200, { reviewers: [applied] }),
      [`POST /api/v1/grants/reviewers/${applied.id}/approve`]: jsonResponse(200, { reviewer: { ...applied, status: 'approved' } }),
      'POST /api/v1/grants/reviewers': jsonResponse(201, { reviewer: { ...applied, id: 'revb'.padEnd(20, 'b'), kind: 'expert', status: 'approved' } }),
    })
    const store = useGrantsAdminStore()
    await store.loadPool()
    expect(store.pendingReviewers).toHaveLength(1)
    await store.decideReviewer(applied.id, true)
    expect(store.pendingReviewers).toHaveLength(0)
    await store.addExpert({ user_id: 9, kind: 'expert', project_types: ['青少年'] })
    expect(store.approvedReviewers.map((r) => r.kind)).toEqual(['citizen', 'expert'])
  })
})
