import { afterEach, describe, expect, it, vi } from 'vitest'
import MeMarketLinks from '@/components/market/MeMarketLinks.vue'
import ContractPage from '@/pages/market/ContractPage.vue'
import NeedPage from '@/pages/market/NeedPage.vue'
import OrgProjectsPage from '@/pages/market/OrgProjectsPage.vue'
import ProjectPage from '@/pages/market/ProjectPage.vue'
import QuoteRequestPage from '@/pages/market/QuoteRequestPage.vue'
import VillagePublicPage from '@/pages/market/VillagePublicPage.vue'
import VillageWorkbenchPage from '@/pages/market/VillageWorkbenchPage.vue'
import { useAuthStore } from '@/stores/auth'
import { useMetaStore } from '@/stores/meta'
import { usePrefsStore } from '@/stores/prefs'
import { mountWithApp, settle } from '../support/app'
import { errorResponse, jsonResponse, type RecordedRequest, stubFetch } from '../support/fetch'
import { match, MPROJECT_ID, mproject, need, NEED_ID, resident, villageStaff } from '../support/market'
import { CONTRACT_ID, contract, milestone, orgStaff, QUOTE_ID, quoteRequest, REQUEST_ID, villagePublic } from '../support/marketPurchase'
import { shanghai } from '../support/time'

type Wrapper = Awaited<ReturnType<typeof mountWithApp>>['wrapper']
const guest = errorResponse(401, 'unauthenticated', '')
const NEED_URL = `/api/v1/market/needs/${NEED_ID}`
const REQUEST_URL = `/api/v1/market/quote-requests/${REQUEST_ID}`
const CONTRACT_URL = `/api/v1/market/contracts/${CONTRACT_ID}`

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

async function fill(wrapper: Wrapper, id: string, value: string): Promise<void> {
  await wrapper.get(`[data-test="${id}"] input, [data-test="${id}"] textarea`).setValue(value)
}

const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST')

describe('NeedPage: 请求报价', () => {
  function needRoutes(rural: boolean, post: Response = jsonResponse(201, { quote_request: quoteRequest() })) {
    return stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${NEED_URL}`]: jsonResponse(200, { need: need({ village_rural: rural }) }),
      [`GET ${NEED_URL}/matches`]: jsonResponse(200, { matches: [match()] }),
      'POST /api/v1/market/quote-requests': post,
      [`GET ${REQUEST_URL}`]: jsonResponse(200, { quote_request: quoteRequest() }),
    })
  }

  it('lets a rural village’s staff request a quote for a match, naming the need, and opens the request', async () => {
    const { requests } = needRoutes(true)
    const { wrapper, router } = await mountWithApp(NeedPage, { path: `/market/needs/${NEED_ID}` })
    await settle()
    expect(wrapper.get('[data-test="need-village"]').attributes('href')).toBe('/market/villages/3')
    await wrapper.get('[data-test="match-0-quote-button"]').trigger('click')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ village_id: 3, project_id: MPROJECT_ID, need_id: NEED_ID })
    expect(router.currentRoute.value.name).toBe('market-quote-request')
    expect(router.currentRoute.value.params.id).toBe(REQUEST_ID)
  })

  it('shows an urban community why it cannot buy, with the project calls, and no button', async () => {
    needRoutes(false)
    const { wrapper, router } = await mountWithApp(NeedPage, { path: `/market/needs/${NEED_ID}` })
    await settle()
    expect(wrapper.find('[data-test="match-0-quote-button"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="match-0-quote-not-rural"]').text()).toContain('社区请申报关爱基金项目')
    await wrapper.get('[data-test="match-0-quote-grants"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('grants'))
  })

  it('shows the server’s not_rural answer the same way, and hides the button from the public', async () => {
    needRoutes(true, errorResponse(422, 'market.not_rural', '只有有集体经济组织的村才能购买服务'))
    const { wrapper } = await mountWithApp(NeedPage, { path: `/market/needs/${NEED_ID}` })
    await settle()
    await wrapper.get('[data-test="match-0-quote-button"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="match-0-quote-not-rural"]').text()).toContain('只有有集体经济组织的村才能购买服务')
    expect(wrapper.find('[data-test="match-0-quote-button"]').exists()).toBe(false)
    wrapper.unmount()
    stubFetch({
      'GET /api/v1/me': guest,
      [`GET ${NEED_URL}`]: jsonResponse(200, { need: need() }),
      [`GET ${NEED_URL}/matches`]: jsonResponse(200, { matches: [match()] }),
    })
    const pub = await mountWithApp(NeedPage, { path: `/market/needs/${NEED_ID}` })
    await settle()
    expect(pub.wrapper.find('[data-test="match-0-quote"]').exists()).toBe(false)
  })
})

describe('ProjectPage: 请求报价', () => {
  it('offers a village’s staff a quote request without a need, and explains a refusal for an urban community', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET /api/v1/market/projects/${MPROJECT_ID}`]: jsonResponse(200, { project: mproject() }),
      'POST /api/v1/market/quote-requests': errorResponse(422, 'market.not_rural', '社区不能购买服务'),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/market/projects/${MPROJECT_ID}` })
    await settle()
    await wrapper.get('[data-test="project-quote-3-button"]').trigger('click')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ village_id: 3, project_id: MPROJECT_ID })
    expect(wrapper.get('[data-test="project-quote-3-not-rural"]').text()).toContain('社区不能购买服务')
  })

  it('offers nothing to the public or to organisation staff', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, orgStaff), [`GET /api/v1/market/projects/${MPROJECT_ID}`]: jsonResponse(200, { project: mproject() }) })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/market/projects/${MPROJECT_ID}` })
    await settle()
    expect(wrapper.find('[data-test="project-quote"]').exists()).toBe(false)
  })
})

describe('QuoteRequestPage', () => {
  async function mountAsOrg(post: Response = jsonResponse(201, { quote: quoteRequest().quotes[0] })) {
    const stub = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      [`GET ${REQUEST_URL}`]: jsonResponse(200, { quote_request: quoteRequest({ quotes: [], can_quote: true, can_accept: false }) }),
      'POST /api/v1/market/quotes': post,
    })
    const mounted = await mountWithApp(QuoteRequestPage, { path: `/market/quote-requests/${REQUEST_ID}` })
    await settle()
    const w = mounted.wrapper
    await fill(w, 'quote-form-amount', '60000')
    await fill(w, 'quote-form-title-0', '需求评估与建档')
    await fill(w, 'quote-form-due-0', '2026-12-01')
    await fill(w, 'quote-form-amount-0', '18000')
    await w.get('[data-test="quote-form-add"]').trigger('click')
    await fill(w, 'quote-form-title-1', '全年探访')
    await fill(w, 'quote-form-due-1', '2027-06-01')
    await fill(w, 'quote-form-amount-1', '40000')
    return { ...mounted, ...stub }
  }

  it('blocks a quote whose milestones do not add up, then sends it in fen', async () => {
    const { wrapper, requests } = await mountAsOrg()
    expect(wrapper.get('[data-test="quote-form-sum"]').text()).toContain('节点合计 ¥58,000.00，总价 ¥60,000.00')
    await wrapper.get('[data-test="quote-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="quote-form-sum-error"]').text()).toContain('各节点金额之和须等于总价')
    expect(posts(requests)).toHaveLength(0)
    await fill(wrapper, 'quote-form-amount-1', '42000')
    expect(wrapper.find('[data-test="quote-form-sum-error"]').exists()).toBe(false)
    await wrapper.get('[data-test="quote-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toMatchObject({
      quote_request_id: REQUEST_ID,
      amount_fen: 6_000_000,
      milestones: [
        { title: '需求评估与建档', amount_fen: 1_800_000 },
        { title: '全年探访', amount_fen: 4_200_000 },
      ],
    })
  })

  it('shows the server’s sum refusal under the sum', async () => {
    const { wrapper } = await mountAsOrg(errorResponse(422, 'market.milestones_sum', '节点金额之和与总价不符', 'milestones'))
    await fill(wrapper, 'quote-form-amount-1', '42000')
    await wrapper.get('[data-test="quote-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="quote-form-sum-error"]').text()).toContain('节点金额之和与总价不符')
  })

  it('lets the village accept a quote and opens the contract; a refusal is shown on the quote', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${REQUEST_URL}`]: jsonResponse(200, { quote_request: quoteRequest() }),
      [`POST /api/v1/market/quotes/${QUOTE_ID}/accept`]: jsonResponse(201, { contract: contract({ status: 'awaiting_decision', can_manage: true }) }),
      [`GET ${CONTRACT_URL}`]: jsonResponse(200, { contract: contract({ status: 'awaiting_decision', can_manage: true }) }),
    })
    const { wrapper, router } = await mountWithApp(QuoteRequestPage, { path: `/market/quote-requests/${REQUEST_ID}` })
    await settle()
    expect(wrapper.get(`[data-test="quote-amount-${QUOTE_ID}"]`).text()).toBe('¥60,000.00')
    expect(wrapper.find('[data-test="quote-form"]').exists()).toBe(false)
    await wrapper.get(`[data-test="quote-accept-${QUOTE_ID}"]`).trigger('click')
    await settle()
    expect(posts(requests)).toHaveLength(1)
    expect(router.currentRoute.value.name).toBe('market-contract')
    wrapper.unmount()
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${REQUEST_URL}`]: jsonResponse(200, { quote_request: quoteRequest() }),
      [`POST /api/v1/market/quotes/${QUOTE_ID}/accept`]: errorResponse(422, 'market.not_rural', '社区不能购买服务，请申报关爱基金项目'),
    })
    const refused = await mountWithApp(QuoteRequestPage, { path: `/market/quote-requests/${REQUEST_ID}` })
    await settle()
    await refused.wrapper.get(`[data-test="quote-accept-${QUOTE_ID}"]`).trigger('click')
    await settle()
    expect(refused.wrapper.get(`[data-test="quote-error-${QUOTE_ID}"]`).text()).toContain('社区不能购买服务')
  })
})

describe('ContractPage', () => {
  it('takes the village’s collective decision only with minutes, and shows the steps', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${CONTRACT_URL}`]: jsonResponse(200, { contract: contract({ status: 'awaiting_decision', can_manage: true }) }),
      [`POST ${CONTRACT_URL}/decision`]: jsonResponse(200, {
        contract: contract({
          status: 'in_notice',
          can_manage: true,
          notice: { starts_at_ms: 0, ends_at_ms: 5 * 86_400_000, days: 5 },
          decision: { meeting_kind: '村民代表会议', held_on_ms: 0, votes_for: 31, votes_against: 2, votes_abstain: 1, minutes_file_id: null, minutes_text: '同意', passed: true, recorded_at_ms: 0 },
        }),
      }),
    })
    const { wrapper } = await mountWithApp(ContractPage, { path: `/market/contracts/${CONTRACT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="contract-status"]').text()).toBe('待集体决策')
    expect(wrapper.get('[data-test="contract-amount"]').text()).toBe('¥60,000.00')
    await wrapper.get('[data-test="decision-kind-村民代表会议"]').trigger('click')
    await fill(wrapper, 'decision-held-on', '2026-11-20')
    await fill(wrapper, 'decision-votes_for', '31')
    await fill(wrapper, 'decision-votes_against', '2')
    await wrapper.get('[data-test="decision-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="decision-minutes-text"]').text()).toContain('请上传会议纪要照片或填写会议纪要')
    expect(posts(requests)).toHaveLength(0)
    await fill(wrapper, 'decision-minutes-text', '同意')
    await wrapper.get('[data-test="decision-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ meeting_kind: '村民代表会议', held_on_ms: shanghai(2026, 10, 20), votes_for: 31, votes_against: 2, votes_abstain: 0, minutes_text: '同意' })
    expect(wrapper.get('[data-test="contract-status"]').text()).toBe('公示中')
    expect(wrapper.get('[data-test="contract-votes"]').text()).toContain('赞成 31 票')
    expect(wrapper.find(`[data-test="objection-form-${CONTRACT_ID}"]`).exists()).toBe(true)
  })

  it('lets the organisation report a milestone, and only the organisation', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      [`GET ${CONTRACT_URL}`]: jsonResponse(200, { contract: contract({ can_report: true }) }),
      [`POST ${CONTRACT_URL}/milestones/1/report`]: jsonResponse(200, { contract: contract({ can_report: true, milestones: [milestone(1, { status: 'reported', report: { text: '完成 60 户建档', beneficiaries: 60, photo_ids: [], event_id: null, reported_at_ms: 0 } }), milestone(2)] }) }),
    })
    const { wrapper } = await mountWithApp(ContractPage, { path: `/market/contracts/${CONTRACT_ID}` })
    await settle()
    expect(wrapper.find('[data-test="milestone-1-pay-form"]').exists()).toBe(false)
    await fill(wrapper, 'milestone-1-report-text', '完成 60 户建档')
    await fill(wrapper, 'milestone-1-report-people', '60')
    await wrapper.get('[data-test="milestone-1-report-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ text: '完成 60 户建档', beneficiaries: 60 })
    expect(wrapper.get('[data-test="milestone-1-status"]').text()).toBe('待验收')
    expect(wrapper.find('[data-test="milestone-1-report-form"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="milestone-1-accept"]').exists()).toBe(false)
  })

  it('records a payment prefilled with the milestone’s amount and shows the book’s refusals under their fields', async () => {
    let answer: Response = errorResponse(409, 'villagebook.voucher_taken', '凭证号已被使用')
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${CONTRACT_URL}`]: jsonResponse(200, { contract: contract({ can_manage: true, milestones: [milestone(1, { status: 'accepted' }), milestone(2)] }) }),
      [`POST ${CONTRACT_URL}/payments`]: () => answer,
    })
    const { wrapper } = await mountWithApp(ContractPage, { path: `/market/contracts/${CONTRACT_ID}` })
    await settle()
    expect((wrapper.get('[data-test="milestone-1-pay-amount"] input').element as HTMLInputElement).value).toBe('18000')
    await wrapper.get('[data-test="milestone-1-pay-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="milestone-1-pay-voucher"]').text()).toContain('请填写此项')
    await fill(wrapper, 'milestone-1-pay-voucher', '叠集记〔2012〕003号')
    await wrapper.get('[data-test="milestone-1-pay-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ milestone: 1, amount_fen: 1_800_000, voucher_no: '叠集记〔2012〕003号' })
    expect(wrapper.get('[data-test="milestone-1-pay-voucher"]').text()).toContain('凭证号已被使用')
    answer = errorResponse(422, 'villagebook.insufficient_funds', '')
    await wrapper.get('[data-test="milestone-1-pay-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="milestone-1-pay-amount"]').text()).toContain('村集体账余额不足')
    answer = jsonResponse(201, { payment: {}, contract: contract({ can_manage: true, paid_fen: 1_800_000, milestones: [milestone(1, { status: 'accepted', payment: { amount_fen: 1_800_000, voucher_no: '叠集记〔2012〕003号', paid_at_ms: 0, book_seq: 4 } }), milestone(2)] }) })
    await wrapper.get('[data-test="milestone-1-pay-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="milestone-1-payment"]').text()).toContain('村集体账第 4 笔')
    expect(wrapper.get('[data-test="contract-paid"]').text()).toBe('¥18,000.00')
  })

  it('lets the other party answer an amendment, and the village return a report with a reason', async () => {
    const amendment = { id: 9, proposed_by: 'org' as const, reason: '增加探访次数', amount_fen: 6_500_000, milestones: [], status: 'proposed' as const, created_at_ms: 0, decided_at_ms: null }
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${CONTRACT_URL}`]: jsonResponse(200, { contract: contract({ can_manage: true, amendments: [amendment], milestones: [milestone(1, { status: 'reported' }), milestone(2)] }) }),
      [`POST ${CONTRACT_URL}/amendments/9/decline`]: errorResponse(409, 'market.amendment_open', '已处理'),
      [`POST ${CONTRACT_URL}/milestones/1/return`]: jsonResponse(200, { contract: contract({ can_manage: true, milestones: [milestone(1, { status: 'returned', return_reason: '缺少照片' }), milestone(2)] }) }),
    })
    const { wrapper } = await mountWithApp(ContractPage, { path: `/market/contracts/${CONTRACT_ID}` })
    await settle()
    expect(wrapper.find('[data-test="amendment-open"]').exists()).toBe(false)
    await wrapper.get('[data-test="amendment-decline-9"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="amendment-error"]').text()).toContain('已处理')
    await wrapper.get('[data-test="milestone-1-return"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="milestone-1-return"]').text()).toContain('请填写此项')
    await fill(wrapper, 'milestone-1-return-text', '缺少照片')
    await wrapper.get('[data-test="milestone-1-return"]').trigger('submit')
    await settle()
    expect(requests.at(-1)?.body).toEqual({ reason: '缺少照片' })
    expect(wrapper.get('[data-test="milestone-1-return-reason"]').text()).toContain('缺少照片')
  })
})

describe('ContractPage: amendments', () => {
  it('proposes a new schedule starting from the contract’s, checked against its total', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      [`GET ${CONTRACT_URL}`]: jsonResponse(200, { contract: contract({ can_report: true }) }),
      [`POST ${CONTRACT_URL}/amendments`]: errorResponse(422, 'market.amendment_changes_done', '已验收的节点不能修改'),
    })
    const { wrapper } = await mountWithApp(ContractPage, { path: `/market/contracts/${CONTRACT_ID}` })
    await settle()
    await wrapper.get('[data-test="amendment-open"]').trigger('click')
    await settle()
    expect((wrapper.get('[data-test="amendment-form-amount-1"] input').element as HTMLInputElement).value).toBe('42000')
    await fill(wrapper, 'amendment-form-amount', '65000')
    await wrapper.get('[data-test="amendment-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="amendment-form-text"]').text()).toContain('请填写此项')
    expect(wrapper.get('[data-test="amendment-form-sum-error"]').text()).toContain('各节点金额之和须等于总价')
    expect(posts(requests)).toHaveLength(0)
    await fill(wrapper, 'amendment-form-text', '增加探访次数')
    await fill(wrapper, 'amendment-form-amount-1', '47000')
    await wrapper.get('[data-test="amendment-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toMatchObject({ reason: '增加探访次数', amount_fen: 6_500_000, milestones: [{ amount_fen: 1_800_000 }, { amount_fen: 4_700_000 }] })
    expect(wrapper.get('[data-test="amendment-form-error"]').text()).toContain('已验收的节点不能修改')
  })
})

describe('VillagePublicPage', () => {
  it('shows the totals, needs, the notice with answers, payments with voucher and book entry, evaluations', async () => {
    stubFetch({ 'GET /api/v1/me': guest, 'GET /api/v1/villages/3/public': jsonResponse(200, villagePublic()) })
    const { wrapper } = await mountWithApp(VillagePublicPage, { path: '/market/villages/3' })
    await settle()
    expect(wrapper.get('[data-test="public-village"]').text()).toBe('叠滘村')
    expect(wrapper.get('[data-test="public-paid"]').text()).toBe('¥18,000.00')
    expect(wrapper.find(`[data-test="public-need-${NEED_ID}"]`).exists()).toBe(true)
    expect(wrapper.get('[data-test="objection-answer-7"]').text()).toContain('已比较三家报价')
    expect(wrapper.find('[data-test="objection-login-contrbbbbbbbbbbbbbbb"]').exists()).toBe(true)
    const payment = wrapper.get('[data-test="public-payment-4"]').text()
    expect(payment).toContain('叠集记〔2012〕003号')
    expect(payment).toContain('¥18,000.00')
    expect(wrapper.get('[data-test="public-evaluation-0"]').text()).toContain('长者们很满意')
    expect(wrapper.find('[data-test^="rate-"]').exists()).toBe(false)
  })

  it('lets a resident rate an active contract and says so clearly when the server refuses', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, resident),
      'GET /api/v1/me/village': jsonResponse(200, { village: { id: 3, name: '叠滘村' } }),
      'GET /api/v1/villages/3/public': jsonResponse(200, villagePublic()),
      [`POST ${CONTRACT_URL}/ratings`]: errorResponse(404, 'market.contract_not_found', ''),
    })
    const { wrapper } = await mountWithApp(VillagePublicPage, { path: '/market/villages/3' })
    await settle()
    const form = `rate-${CONTRACT_ID}`
    await wrapper.get(`[data-test="${form}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="${form}-missing"]`).text()).toContain('请选择星级')
    expect(posts(requests)).toHaveLength(0)
    await wrapper.get(`[data-test="${form}-star-4"]`).trigger('click')
    await fill(wrapper, `${form}-comment`, '很好')
    await wrapper.get(`[data-test="${form}"]`).trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ stars: 4, comment: '很好' })
    expect(wrapper.get(`[data-test="${form}-error"]`).text()).toContain('只有本村（居）的居民可以评价')
  })

  it('files an objection while in notice when signed in', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, resident),
      'GET /api/v1/me/village': jsonResponse(200, { village: null }),
      'GET /api/v1/villages/3/public': jsonResponse(200, villagePublic()),
      'POST /api/v1/market/contracts/contrbbbbbbbbbbbbbbb/objections': errorResponse(409, 'market.not_in_notice', '公示期已结束'),
    })
    const { wrapper } = await mountWithApp(VillagePublicPage, { path: '/market/villages/3' })
    await settle()
    expect(wrapper.find(`[data-test="rate-${CONTRACT_ID}"]`).exists()).toBe(false)
    expect(wrapper.get(`[data-test="rate-note-${CONTRACT_ID}"]`).text()).toContain('只有本村（居）的居民')
    const form = 'objection-form-contrbbbbbbbbbbbbbbb'
    await fill(wrapper, `${form}-text`, '价格偏高')
    await wrapper.get(`[data-test="${form}"]`).trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ text: '价格偏高' })
    expect(wrapper.get(`[data-test="${form}-error"]`).text()).toContain('公示期已结束')
  })
})

describe('workbenches and links', () => {
  it('lists the village’s quote requests and contracts as tabs', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      'GET /api/v1/market/quote-requests': jsonResponse(200, { quote_requests: [quoteRequest()] }),
      'GET /api/v1/market/contracts': jsonResponse(200, { contracts: [contract({ paid_fen: 1_800_000 })] }),
    })
    const { wrapper } = await mountWithApp(VillageWorkbenchPage, { path: '/market/village?tab=quotes' })
    await settle()
    expect(requests.at(-1)?.url).toBe('/api/v1/market/quote-requests?village_id=3')
    expect(wrapper.get(`[data-test="request-${REQUEST_ID}"]`).text()).toContain('博睿社工')
    await wrapper.get('[data-test="village-tab-contracts"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.url).toBe('/api/v1/market/contracts?village_id=3')
    expect(wrapper.get(`[data-test="contract-${CONTRACT_ID}"]`).text()).toContain('已付 ¥18,000.00')
    expect(wrapper.get('[data-test="village-public-link"]').attributes('href')).toBe('/market/villages/3')
  })

  it('lists the organisation’s quote requests', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      'GET /api/v1/market/quote-requests': jsonResponse(200, { quote_requests: [quoteRequest({ can_quote: true, can_accept: false })] }),
    })
    const { wrapper } = await mountWithApp(OrgProjectsPage, { path: '/market/org?tab=quotes' })
    await settle()
    expect(requests.at(-1)?.url).toBe('/api/v1/market/quote-requests?org_id=5')
    expect(wrapper.get(`[data-test="request-${REQUEST_ID}"]`).text()).toContain('叠滘村')
  })

  it('links 我的 to the quote requests and contracts by role', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, villageStaff) })
    const { wrapper, router } = await mountWithApp(MeMarketLinks, { path: '/me' })
    useMetaStore().meta = { features: ['market'] } as unknown as NonNullable<ReturnType<typeof useMetaStore>['meta']>
    await useAuthStore().ensureLoaded()
    await settle()
    await wrapper.get('[data-test="me-market-village-quotes"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.fullPath).toBe('/market/village?tab=quotes')
    expect(wrapper.find('[data-test="me-market-org-contracts"]').exists()).toBe(false)
    useAuthStore().user = orgStaff.user as never
    await settle()
    await wrapper.get('[data-test="me-market-org-contracts"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.fullPath).toBe('/market/org?tab=contracts')
    expect(wrapper.find('[data-test="me-market-village-quotes"]').exists()).toBe(false)
  })

  it('keeps every form on the page in 长辈模式 (no pop-up)', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${CONTRACT_URL}`]: jsonResponse(200, { contract: contract({ status: 'awaiting_decision', can_manage: true }) }),
    })
    const { wrapper } = await mountWithApp(ContractPage, { path: `/market/contracts/${CONTRACT_ID}` })
    usePrefsStore().elderMode = true
    await settle()
    expect(wrapper.find('[data-test="decision-form"]').exists()).toBe(true)
    expect(document.querySelector('.van-popup')).toBeNull()
  })
})
