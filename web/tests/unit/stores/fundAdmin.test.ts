import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { useFundAdminStore } from '@/stores/fundAdmin'
import { emptyResponse, errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('fund admin store', () => {
  it('records a government allocation with the documented body', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/fund/allocations': jsonResponse(201, { entry: { id: 1 } }) })
    const body = { amount_fen: 100_000_000, budget_ref: '桂财〔2026〕12号', memo: '2026 年度拨款', status: 'pending' as const }
    expect((await useFundAdminStore().createAllocation(body)).ok).toBe(true)
    expect(requests[0]?.body).toEqual(body)
  })

  it('passes field errors back for the form', async () => {
    stubFetch({ 'POST /api/v1/fund/purposes': errorResponse(400, 'invalid_filing_no', '备案号格式不正确', 'filing_no') })
    const result = await useFundAdminStore().createPurpose({ code: 'x', name: 'X', description: '', restricted: true, filing_no: '?' })
    expect(result).toMatchObject({ ok: false, error: { field: 'filing_no', message: '备案号格式不正确' } })
  })

  it('creates a sponsorship and records an instalment; the page reloads the list', async () => {
    const list = { sponsorships: [{ id: 4, sponsor_name: 'XX集团', committed_fen: 100_000 }] }
    const { requests } = stubFetch({
      'POST /api/v1/fund/sponsorships': jsonResponse(201, { sponsorship: { id: 4 } }),
      'POST /api/v1/fund/sponsorships/4/instalments': jsonResponse(201, { instalment: { id: 9 } }),
      'GET /api/v1/fund/sponsorships': jsonResponse(200, list),
    })
    const store = useFundAdminStore()
    const created = await store.createSponsorship({
      sponsor_name: 'XX集团',
      sponsor_kind: 'enterprise',
      committed_fen: 100_000,
      naming_text: 'XX集团·关爱长者计划',
      term_start_ms: 1,
      term_end_ms: 2,
      instalments: 2,
    })
    expect(created.ok).toBe(true)
    expect((await store.recordInstalment(4, { amount_fen: 50_000, reference: 'BANK-1' })).ok).toBe(true)
    await store.loadSponsorships()
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/v1/fund/sponsorships',
      'POST /api/v1/fund/sponsorships/4/instalments',
      'GET /api/v1/fund/sponsorships',
    ])
    expect(store.sponsorships).toEqual(list.sponsorships)
  })

  it('a done action stays done even when the list cannot be reloaded', async () => {
    stubFetch({
      'POST /api/v1/fund/sponsorships': jsonResponse(201, { sponsorship: { id: 4 } }),
      'GET /api/v1/fund/sponsorships': errorResponse(405, 'method_not_allowed', '不支持该请求方法'),
    })
    const store = useFundAdminStore()
    const body = { sponsor_name: 'X', sponsor_kind: 'foundation' as const, committed_fen: 1, naming_text: 'X', term_start_ms: 1, term_end_ms: 2, instalments: 1 }
    expect((await store.createSponsorship(body)).ok).toBe(true)
    expect(await store.loadSponsorships()).toMatchObject({ ok: false, error: { status: 405 } })
  })

  it('lists disbursements by status, and a self approval comes back as 403 self_approval', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/disbursements': jsonResponse(200, { disbursements: [{ id: 3, amount_fen: 500, status: 'proposed' }] }),
      'POST /api/v1/fund/disbursements/3/approve': errorResponse(403, 'self_approval', '不能批准自己提出的拨付'),
    })
    const store = useFundAdminStore()
    await store.loadDisbursements('proposed')
    expect(requests[0]?.url).toBe('/api/v1/fund/disbursements?status=proposed')
    expect(await store.approveDisbursement(3)).toMatchObject({ ok: false, error: { code: 'self_approval', status: 403 } })
    expect(store.disbursements).toHaveLength(1)
  })

  it('loads the organisations a grant can go to, and keeps the old list when that fails', async () => {
    const orgs = [{ id: 1, name: '博睿社工', credit_code: '52440605MJL1001X2A', rating: '5A' }]
    stubFetch({ 'GET /api/v1/orgs': jsonResponse(200, { orgs }) })
    const store = useFundAdminStore()
    expect((await store.loadOrgs()).ok).toBe(true)
    expect(store.orgs).toEqual(orgs)
    stubFetch({ 'GET /api/v1/orgs': errorResponse(503, 'overloaded', '系统繁忙，请稍后再试') })
    expect(await store.loadOrgs()).toMatchObject({ ok: false, error: { status: 503 } })
    expect(store.orgs).toEqual(orgs)
  })

  it('a payout that wants the password again keeps the admin signed in, and approves after re-entry', async () => {
    const auth = useAuthStore()
    auth.user = { ...sampleUser, roles: [...sampleUser.roles] }
    const { requests } = stubFetch({
      'POST /api/v1/fund/disbursements/3/approve': errorResponse(401, 'reauth_required', '为保护账号安全，请重新输入密码后再操作'),
      'POST /api/v1/auth/reauth': emptyResponse(204),
    })
    const store = useFundAdminStore()
    expect(await store.approveDisbursement(3)).toMatchObject({ ok: false, error: { code: 'reauth_required', status: 401 } })
    expect(auth.user).not.toBeNull()
    expect((await store.reauthenticate('guicheng2012')).ok).toBe(true)
    expect(requests[1]).toMatchObject({ method: 'POST', url: '/api/v1/auth/reauth', body: { password: 'guicheng2012' } })
    expect(auth.user).not.toBeNull()
  })

  it('approves with an empty JSON body', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/fund/disbursements/3/approve': jsonResponse(200, { disbursement: { id: 3, status: 'paid' } }),
    })
    expect((await useFundAdminStore().approveDisbursement(3)).ok).toBe(true)
    expect(requests[0]?.body).toEqual({})
  })

  it('refunds by the receipt number with a reason and loads the disclosure calendar', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/fund/receipts/GC2026-000123/refund': emptyResponse(200),
      'GET /api/v1/fund/disclosures': jsonResponse(200, { due: [{ title: 'Q1' }], overdue: [], published: [] }),
    })
    const store = useFundAdminStore()
    expect((await store.refundByReceipt('GC2026-000123', '捐赠人申请退回')).ok).toBe(true)
    expect(requests[0]?.url).toBe('/api/v1/fund/receipts/GC2026-000123/refund')
    expect(requests[0]?.body).toEqual({ reason: '捐赠人申请退回' })
    await store.loadDisclosures()
    expect(store.disclosures.due).toEqual([{ title: 'Q1' }])
  })

  it('signs out locally on 401', async () => {
    const auth = useAuthStore()
    stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }) })
    await auth.login({ login: 'x', password: 'y' })
    stubFetch({ 'POST /api/v1/fund/commitments': errorResponse(401, 'unauthenticated', '请先登录') })
    await useFundAdminStore().createCommitment({ org_id: 1, amount_fen: 1, project_name: 'p' })
    expect(auth.isLoggedIn).toBe(false)
  })
})
