import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { budgetTotalFen, useGrantsStore, weightedScore, weightShares } from '@/stores/grants'
import { useAuthStore } from '@/stores/auth'
import { application, APP_ID, call, CALL_ID } from '../support/grants'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'
import { NOW } from '../support/events'

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('grants rules', () => {
  it('adds the budget lines in integer fen', () => {
    expect(budgetTotalFen([])).toBe(0)
    expect(budgetTotalFen([{ amount_fen: 6_000_001 }, { amount_fen: 3_999_999 }, { amount_fen: 1 }])).toBe(10_000_001)
  })

  it('weights the rubric scores, and gives nothing until every criterion is scored', () => {
    const rubric = call().rubric
    expect(weightedScore(rubric, { 社区需求: 8 })).toBeNull()
    expect(weightedScore(rubric, { 社区需求: 8, 可行性: 6 })).toBe(6.6)
    expect(weightedScore(rubric, { 社区需求: 10, 可行性: 10 })).toBe(10)
    expect(weightedScore(rubric, { 社区需求: 0, 可行性: 0 })).toBe(0)
    expect(weightedScore(rubric, { 社区需求: 11, 可行性: 6 })).toBeNull()
    expect(weightedScore(rubric, { 社区需求: 7.5, 可行性: 6 })).toBeNull()
    expect(weightedScore([{ criterion: 'a', weight: 1 }, { criterion: 'b', weight: 2 }], { a: 1, b: 0 })).toBe(0.33)
    expect(weightShares([{ criterion: 'a', weight: 1 }, { criterion: 'b', weight: 3 }])).toEqual([25, 75])
  })
})

describe('grants store', () => {
  it('loads the calls, and a call with its public applications', async () => {
    const summary = { ...application({ status: 'eligible' }) }
    const { requests } = stubFetch({
      'GET /api/v1/grants/calls': jsonResponse(200, { calls: [call()], now_ms: NOW }),
      [`GET /api/v1/grants/calls/${CALL_ID}`]: jsonResponse(200, { call: call({ phase: 'support' }), now_ms: NOW }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [summary] }),
    })
    const store = useGrantsStore()
    expect((await store.loadCalls()).ok).toBe(true)
    expect(store.calls.map((c) => c.id)).toEqual([CALL_ID])
    expect((await store.loadCall(CALL_ID)).ok).toBe(true)
    expect(store.call?.phase).toBe('support')
    expect(store.callApplications.map((a) => a.id)).toEqual([APP_ID])
    expect(requests.map((r) => r.url)).toEqual(['/api/v1/grants/calls', `/api/v1/grants/calls/${CALL_ID}`, `/api/v1/grants/calls/${CALL_ID}/applications`])
  })

  it('records a support vote: the count moves, the application counts as voted, a repeat is no error', async () => {
    stubFetch({
      [`GET /api/v1/grants/calls/${CALL_ID}`]: jsonResponse(200, { call: call({ phase: 'support' }), now_ms: NOW }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [application({ status: 'eligible', support_count: 4 })] }),
      [`POST /api/v1/grants/applications/${APP_ID}/support`]: jsonResponse(200, { support_count: 5, counted: true, already_voted: false }),
    })
    const store = useGrantsStore()
    await store.loadCall(CALL_ID)
    expect(store.hasVoted(APP_ID)).toBe(false)
    const result = await store.support(APP_ID)
    expect(result).toEqual({ ok: true, value: { support_count: 5, counted: true, already_voted: false } })
    expect(store.callApplications[0]?.support_count).toBe(5)
    expect(store.hasVoted(APP_ID)).toBe(true)
  })

  it('maps the own-organisation refusal and a closed support phase to FormErrors', async () => {
    stubFetch({
      [`POST /api/v1/grants/applications/${APP_ID}/support`]: errorResponse(403, 'grants.own_application', '申报机构的工作人员不能点赞'),
    })
    const store = useGrantsStore()
    const own = await store.support(APP_ID)
    expect(own.ok).toBe(false)
    expect(!own.ok && own.error).toMatchObject({ code: 'grants.own_application', status: 403, message: '申报机构的工作人员不能点赞' })
    expect(store.hasVoted(APP_ID)).toBe(false)

    stubFetch({ [`POST /api/v1/grants/applications/${APP_ID}/support`]: errorResponse(409, 'grants.support_closed', '点赞已结束') })
    const closed = await store.support(APP_ID)
    expect(!closed.ok && closed.error.code).toBe('grants.support_closed')
  })

  it('signs out locally when a vote answers 401', async () => {
    stubFetch({ [`POST /api/v1/grants/applications/${APP_ID}/support`]: errorResponse(401, 'unauthenticated', '请先登录') })
    const auth = useAuthStore()
    auth.user = { ...sampleUser, roles: [] }
    await useGrantsStore().support(APP_ID)
    expect(auth.user).toBeNull()
  })

  it('marks an application voted from its viewer and says not found as a 404', async () => {
    stubFetch({
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application({ viewer: { owner: false, admin: false, reviewer: false, voted: true, can_amend: false, can_submit: false, can_withdraw: false } }) }),
      'GET /api/v1/grants/applications/missingaaaaaaaaaaaaa': errorResponse(404, 'grants.application_not_found', '找不到'),
    })
    const store = useGrantsStore()
    await store.loadApplication(APP_ID)
    expect(store.hasVoted(APP_ID)).toBe(true)
    const missing = await store.loadApplication('missingaaaaaaaaaaaaa')
    expect(!missing.ok && missing.error.status).toBe(404)
    expect(store.application).toBeNull()
  })
})
