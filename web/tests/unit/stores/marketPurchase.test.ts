import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildSchedule, emptyMilestone, rowsFrom, rowsTotalFen, useMarketPurchaseStore } from '@/stores/marketPurchase'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { CONTRACT_ID, contract, milestone, REQUEST_ID, quoteRequest } from '../support/marketPurchase'
import { shanghai } from '../support/time'

const row = (title: string, due: string, amount: string) => ({ ...emptyMilestone(), title, due, amount })

describe('buildSchedule', () => {
  it('builds the request in fen when the milestones add up to the total', () => {
    const built = buildSchedule('60000', [row('建档', '2026-12-01', '18000'), { ...row('探访', '2027-06-01', '42000'), deliverables: ' 每周探访 ' }])
    expect(built).toEqual({
      ok: true,
      amount_fen: 6_000_000,
      milestones: [
        { title: '建档', due_ms: shanghai(2026, 11, 1), amount_fen: 1_800_000 },
        { title: '探访', due_ms: shanghai(2027, 5, 1), amount_fen: 4_200_000, deliverables: '每周探访' },
      ],
    })
  })

  it('refuses milestones that do not add up, dates out of order and missing fields, by field', () => {
    const built = buildSchedule('60000', [row('建档', '2027-06-01', '18000'), row('', '2026-12-01', '40000.005')])
    expect(built.ok).toBe(false)
    if (built.ok) return
    expect(built.problems).toEqual({ 'milestones[1].title': 'required', 'milestones[1].due_ms': 'order', 'milestones[1].amount_fen': 'too_many_decimals' })
    const off = buildSchedule('60000', [row('建档', '2026-12-01', '18000'), row('探访', '2027-06-01', '40000')])
    expect(off).toEqual({ ok: false, problems: { milestones: 'sum' }, sum_fen: 5_800_000 })
    expect(buildSchedule('', []).ok).toBe(false)
    const many = buildSchedule('13', Array.from({ length: 13 }, () => row('x', '2026-12-01', '1')))
    expect(many.ok || many.problems.milestones).toBe('count')
  })

  it('totals what parses and turns a contract’s milestones back into rows', () => {
    expect(rowsTotalFen([row('a', '', '1.5'), row('b', '', 'x'), row('c', '', '2')])).toBe(350)
    expect(rowsFrom([milestone(1)], () => '2026-12-28', (fen) => String(fen / 100))).toEqual([{ title: '需求评估与建档', due: '2026-12-28', amount: '18000', deliverables: '' }])
  })
})

describe('useMarketPurchaseStore', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  it('replaces the contract and its row with every action’s answer', async () => {
    stubFetch({
      'GET /api/v1/market/contracts': jsonResponse(200, { contracts: [contract()] }),
      [`POST /api/v1/market/contracts/${CONTRACT_ID}/milestones/1/accept`]: jsonResponse(200, { contract: contract({ milestones: [milestone(1, { status: 'accepted' }), milestone(2)] }) }),
    })
    const store = useMarketPurchaseStore()
    await store.loadContracts({ village_id: 3 })
    expect((await store.acceptMilestone(CONTRACT_ID, 1)).ok).toBe(true)
    expect(store.contract?.milestones[0]?.status).toBe('accepted')
    expect(store.contracts[0]?.milestones[0]?.status).toBe('accepted')
  })

  it('reads the request again after a quote, and keeps a refusal as a result', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/market/quotes': jsonResponse(201, { quote: quoteRequest().quotes[0] }),
      [`GET /api/v1/market/quote-requests/${REQUEST_ID}`]: jsonResponse(200, { quote_request: quoteRequest({ can_quote: true }) }),
      'POST /api/v1/market/quote-requests': errorResponse(409, 'market.request_exists', '已有进行中的报价请求'),
    })
    const store = useMarketPurchaseStore()
    const sent = await store.submitQuote({ quote_request_id: REQUEST_ID, amount_fen: 100, milestones: [{ title: 'a', due_ms: 1, amount_fen: 100 }] })
    expect(sent.ok).toBe(true)
    expect(requests.at(-1)?.url).toBe(`/api/v1/market/quote-requests/${REQUEST_ID}`)
    expect(store.request?.can_quote).toBe(true)
    const refused = await store.requestQuote({ village_id: 3, project_id: 'p' })
    expect(refused.ok ? null : refused.error.code).toBe('market.request_exists')
  })
})
