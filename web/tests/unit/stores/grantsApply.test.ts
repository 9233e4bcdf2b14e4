import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildDraft, emptyForm, formFromApplication, linesTotal, useGrantsApplyStore, type ApplicationForm } from '@/stores/grantsApply'
import { application, APP_ID, call, CALL_ID } from '../support/grants'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { NOW } from '../support/events'
import { shanghai } from '../support/time'

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.unstubAllGlobals()
})

function filled(overrides: Partial<ApplicationForm> = {}): ApplicationForm {
  return {
    ...emptyForm(),
    org_id: 3,
    title: ' 长者助餐与探访 ',
    project_type: '长者服务',
    villages: [1, 2],
    budget_lines: [
      { item: '食材', amount: '60000' },
      { item: '社工人力', amount: '40,000.5' },
      { item: '', amount: '' },
    ],
    requested: '100000',
    ...overrides,
  }
}

describe('the budget lines total', () => {
  it('adds the typed amounts in fen, skipping blank lines and naming the unreadable ones', () => {
    expect(linesTotal([])).toEqual({ total_fen: 0, invalid: [] })
    expect(linesTotal([{ item: 'a', amount: '0.1' }, { item: 'b', amount: '0.2' }])).toEqual({ total_fen: 30, invalid: [] })
    expect(linesTotal([{ item: 'a', amount: '¥1,000.05' }, { item: '', amount: '' }, { item: 'c', amount: 'abc' }, { item: 'd', amount: '1.005' }])).toEqual({
      total_fen: 100_005,
      invalid: [2, 3],
    })
  })
})

describe('buildDraft', () => {
  it('sends fen, trims text, drops blank budget lines and leaves co-funders out unless joint', () => {
    const built = buildDraft(filled({ co_funders: [{ name: '合作社', share: '1' }], partner_name: '某公司' }))
    expect(built.ok).toBe(true)
    if (!built.ok) return
    expect(built.body).toMatchObject({
      title: '长者助餐与探访',
      villages: [1, 2],
      budget_lines: [
        { item: '食材', amount_fen: 6_000_000 },
        { item: '社工人力', amount_fen: 4_000_050 },
      ],
      requested_fen: 10_000_000,
      funding_mode: 'full',
      co_funders: [],
      partner_name: '',
      in_kind_fen: 0,
      beneficiary_count: 0,
    })
    expect(built.body).not.toHaveProperty('starts_at_ms')
  })

  it('keeps the co-funders of a joint project and the partner of a cooperative one', () => {
    const joint = buildDraft(filled({ funding_mode: 'joint', co_funders: [{ name: '夏北股份合作社', share: '30000' }, { name: '', share: '' }] }))
    expect(joint.ok && joint.body.co_funders).toEqual([{ name: '夏北股份合作社', org_id: null, share_fen: 3_000_000 }])
    const coop = buildDraft(filled({ funding_mode: 'cooperative', partner_name: ' 某物业公司 ', in_kind_note: '场地', in_kind: '5000' }))
    expect(coop.ok && coop.body).toMatchObject({ partner_name: '某物业公司', in_kind_note: '场地', in_kind_fen: 500_000, co_funders: [] })
  })

  it('names every problem by the server field it would be', () => {
    const built = buildDraft(
      filled({
        title: ' ',
        beneficiary_count: '十二',
        starts: '2026-12-10',
        ends: '2026-12-01',
        budget_lines: [{ item: '', amount: '100' }, { item: '场地', amount: '1.234' }],
        requested: '',
        funding_mode: 'joint',
        co_funders: [{ name: '合作社', share: '-5' }],
      }),
    )
    expect(built.ok).toBe(false)
    expect(!built.ok && built.problems).toEqual([
      { field: 'title', problem: 'required' },
      { field: 'beneficiary_count', problem: 'invalid_count' },
      { field: 'ends_at_ms', problem: 'ends_before_start' },
      { field: 'budget_lines[0].item', problem: 'required' },
      { field: 'budget_lines[1].amount_fen', problem: 'too_many_decimals' },
      { field: 'requested_fen', problem: 'empty' },
      { field: 'co_funders[0].share_fen', problem: 'not_positive' },
    ])
  })

  it('turns a saved application back into the form it came from', () => {
    const app = application({ funding_mode: 'joint', co_funders: [{ name: '合作社', org_id: null, share_fen: 3_000_050 }], starts_at_ms: shanghai(2026, 11, 1) })
    const form = formFromApplication(app)
    expect(form.budget_lines).toEqual([
      { item: '食材', amount: '60000' },
      { item: '社工人力', amount: '40000' },
    ])
    expect(form.co_funders).toEqual([{ name: '合作社', share: '30000.50' }])
    expect(form.starts).toBe('2026-12-01')
    const again = buildDraft(form)
    expect(again.ok && again.body.budget_lines).toEqual(app.budget_lines)
    expect(again.ok && again.body.starts_at_ms).toBe(app.starts_at_ms)
  })
})

describe('grantsApply store', () => {
  const callRoute = { [`GET /api/v1/grants/calls/${CALL_ID}`]: jsonResponse(200, { call: call(), now_ms: NOW }) }

  it('creates the draft once with an Idempotency-Key, then amends it with PUT', async () => {
    const { requests } = stubFetch({
      ...callRoute,
      'POST /api/v1/grants/applications': jsonResponse(201, { application: application() }),
      [`PUT /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application({ title: '改名' }) }),
    })
    const store = useGrantsApplyStore()
    await store.startNew(CALL_ID)
    const body = (buildDraft(filled()) as { ok: true; body: Parameters<typeof store.save>[0] }).body
    expect((await store.save(body, 3)).ok).toBe(true)
    expect((await store.save({ ...body, title: '改名' }, 3)).ok).toBe(true)
    const [post, put] = requests.slice(1)
    expect(post?.method).toBe('POST')
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(post?.body).toMatchObject({ call_id: CALL_ID, org_id: 3, requested_fen: 10_000_000 })
    expect(put?.method).toBe('PUT')
    expect(put?.body).not.toHaveProperty('call_id')
    expect(store.current?.title).toBe('改名')
    expect(store.mine.map((a) => a.id)).toEqual([APP_ID])
  })

  it('retries a lost create with the same key, and sends what changed meanwhile as an amendment', async () => {
    let posts = 0
    const { requests } = stubFetch({
      ...callRoute,
      'POST /api/v1/grants/applications': () => (++posts === 1 ? errorResponse(503, 'unavailable', '') : jsonResponse(201, { application: application() })),
      [`PUT /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application({ title: '第二版' }) }),
    })
    const store = useGrantsApplyStore()
    await store.startNew(CALL_ID)
    const body = (buildDraft(filled()) as { ok: true; body: Parameters<typeof store.save>[0] }).body
    const first = await store.save(body, 3)
    expect(!first.ok && first.error.status).toBe(503)
    const second = await store.save({ ...body, title: '第二版' }, 3)
    expect(second.ok && second.value.title).toBe('第二版')
    const posted = requests.filter((r) => r.method === 'POST')
    expect(posted).toHaveLength(2)
    expect(posted[1]?.headers['idempotency-key']).toBe(posted[0]?.headers['idempotency-key'])
    expect(requests.at(-1)?.method).toBe('PUT')
  })

  it('submits after saving, and keeps the field the automatic checks refused', async () => {
    stubFetch({
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application() }),
      ...callRoute,
      [`PUT /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application() }),
      [`POST /api/v1/grants/applications/${APP_ID}/submit`]: errorResponse(422, 'grants.cofunding_too_low', '合作方出资比例不足', 'co_funders'),
    })
    const store = useGrantsApplyStore()
    expect((await store.loadForEdit(APP_ID)).ok).toBe(true)
    expect(store.call?.id).toBe(CALL_ID)
    const body = (buildDraft(formFromApplication(store.current!)) as { ok: true; body: Parameters<typeof store.save>[0] }).body
    const result = await store.submit(body, 3)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatchObject({ code: 'grants.cofunding_too_low', field: 'co_funders', status: 422, message: '合作方出资比例不足' })
    expect(store.current?.status).toBe('draft')
  })

  it('submits and withdraws, each answer replacing the application in 我的项目申报', async () => {
    stubFetch({
      'GET /api/v1/grants/my/applications': jsonResponse(200, { applications: [application()] }),
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application() }),
      ...callRoute,
      [`PUT /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application() }),
      [`POST /api/v1/grants/applications/${APP_ID}/submit`]: jsonResponse(200, { application: application({ status: 'submitted' }) }),
      [`POST /api/v1/grants/applications/${APP_ID}/withdraw`]: jsonResponse(200, { application: application({ status: 'withdrawn' }) }),
    })
    const store = useGrantsApplyStore()
    await store.loadMine()
    await store.loadForEdit(APP_ID)
    const body = (buildDraft(formFromApplication(store.current!)) as { ok: true; body: Parameters<typeof store.save>[0] }).body
    expect((await store.submit(body, 3)).ok).toBe(true)
    expect(store.mine[0]?.status).toBe('submitted')
    expect((await store.withdraw(APP_ID)).ok).toBe(true)
    expect(store.mine[0]?.status).toBe('withdrawn')
  })

  it('maps a closed call to its code and a lost connection to network_error', async () => {
    stubFetch({
      ...callRoute,
      'POST /api/v1/grants/applications': errorResponse(409, 'grants.call_not_open', '申报已截止'),
    })
    const store = useGrantsApplyStore()
    await store.startNew(CALL_ID)
    const body = (buildDraft(filled()) as { ok: true; body: Parameters<typeof store.save>[0] }).body
    const closed = await store.save(body, 3)
    expect(!closed.ok && closed.error.code).toBe('grants.call_not_open')
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('offline') }))
    const offline = await store.save(body, 3)
    expect(!offline.ok && offline.error).toMatchObject({ code: 'network_error', status: null, message: null })
  })
})
