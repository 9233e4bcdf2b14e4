import { afterEach, describe, expect, it, vi } from 'vitest'
import MeMarketLinks from '@/components/market/MeMarketLinks.vue'
import CataloguePage from '@/pages/market/CataloguePage.vue'
import MySurveysPage from '@/pages/market/MySurveysPage.vue'
import NeedFormPage from '@/pages/market/NeedFormPage.vue'
import NeedPage from '@/pages/market/NeedPage.vue'
import OrgProjectsPage from '@/pages/market/OrgProjectsPage.vue'
import PendingPage from '@/pages/market/PendingPage.vue'
import ProjectFormPage from '@/pages/market/ProjectFormPage.vue'
import ProjectPage from '@/pages/market/ProjectPage.vue'
import SurveyAnswerPage from '@/pages/market/SurveyAnswerPage.vue'
import SurveyFormPage from '@/pages/market/SurveyFormPage.vue'
import SurveyResultsPage from '@/pages/market/SurveyResultsPage.vue'
import VillageWorkbenchPage from '@/pages/market/VillageWorkbenchPage.vue'
import WantedPage from '@/pages/market/WantedPage.vue'
import { routes } from '@/router'
import { featureGate, roleGate, sectionTarget } from '@/router/gating'
import { SECTIONS } from '@/router/sections'
import { useAuthStore } from '@/stores/auth'
import { useMetaStore } from '@/stores/meta'
import { mountWithApp, settle } from '../support/app'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'
import { marketAdmin, match, MPROJECT_ID, mproject, need, NEED_ID, resident, results, round, ROUND_ID, villageStaff, wanted } from '../support/market'

const guest = errorResponse(401, 'unauthenticated', '')
const orgStaff = { user: sampleUser }
const PROJECT_URL = `/api/v1/market/projects/${MPROJECT_ID}`

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

async function fill(wrapper: Awaited<ReturnType<typeof mountWithApp>>['wrapper'], id: string, value: string): Promise<void> {
  await wrapper.get(`[data-test="${id}"] input, [data-test="${id}"] textarea`).setValue(value)
}

describe('CataloguePage', () => {
  it('lists approved projects with fixed or range prices and filters by type and search', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/market/projects': jsonResponse(200, { projects: [mproject(), mproject({ id: 'mprojbbbbbbbbbbbbbbb', org_rating: null, price: { kind: 'fixed', min_fen: 500_000, max_fen: 500_000 } })] }),
    })
    const { wrapper, router } = await mountWithApp(CataloguePage, { path: '/market' })
    await settle()
    const card = wrapper.get(`[data-test="market-project-${MPROJECT_ID}"]`)
    expect(card.get('[data-test="market-price"]').text()).toBe('¥60,000.00 – ¥80,000.00')
    expect(card.get('[data-test="market-rating"]').text()).toBe('5A')
    expect(wrapper.get('[data-test="market-project-mprojbbbbbbbbbbbbbbb"] [data-test="market-price"]').text()).toBe('¥5,000.00')
    await wrapper.get('[data-test="market-filter-0"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.query.type).toBe('长者服务')
    expect(requests.at(-1)?.url).toBe(`/api/v1/market/projects?type=${encodeURIComponent('长者服务')}`)
    await fill(wrapper, 'market-search', '探访')
    await wrapper.get('form[role="search"]').trigger('submit')
    await settle()
    expect(requests.at(-1)?.url).toContain(`q=${encodeURIComponent('探访')}`)
  })

  it('shows the empty state, and a refused search under the field', async () => {
    stubFetch({ 'GET /api/v1/market/projects': jsonResponse(200, { projects: [] }) })
    const { wrapper } = await mountWithApp(CataloguePage, { path: '/market' })
    await settle()
    expect(wrapper.get('[data-test="market-empty"]').text()).toContain('没有符合条件的服务项目')
    wrapper.unmount()
    stubFetch({ 'GET /api/v1/market/projects': errorResponse(400, 'too_long', '搜索词太长了', 'q') })
    const refused = await mountWithApp(CataloguePage, { path: '/market?q=x' })
    await settle()
    expect(refused.wrapper.get('[data-test="market-search"]').text()).toContain('搜索词太长了')
    expect(refused.wrapper.find('[data-test="market-error"]').exists()).toBe(false)
  })
})

describe('ProjectPage', () => {
  it('shows the org with its rating, price, delivery, indicators, masked team and the sanitised description', async () => {
    stubFetch({ 'GET /api/v1/me': guest, [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: mproject() }) })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/market/projects/${MPROJECT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="project-org"]').text()).toContain('博睿社工')
    expect(wrapper.get('[data-test="project-org"]').text()).toContain('评估等级 5A')
    expect(wrapper.get('[data-test="project-price"]').text()).toContain('¥60,000.00 – ¥80,000.00')
    expect(wrapper.get('[data-test="project-delivery"]').text()).toContain('48 场次 · 96 小时 · 受益 120 人')
    expect(wrapper.get('[data-test="project-indicators"]').text()).toContain('每周探访 1 次')
    expect(wrapper.get('[data-test="team-0"]').text()).toContain('陈**')
    expect(wrapper.get('[data-test="project-description"] h2').text()).toBe('服务内容')
    expect(wrapper.find('[data-test="project-owner"]').exists()).toBe(false)
    expect(wrapper.find('[data-test^="review-"]').exists()).toBe(false)
  })

  it('answers 404 as not found', async () => {
    stubFetch({ 'GET /api/v1/me': guest, [`GET ${PROJECT_URL}`]: errorResponse(404, 'market.project_not_found', '服务项目不存在') })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/market/projects/${MPROJECT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="project-not-found"]').text()).toContain('没有找到这个服务项目')
  })

  it('lets the owner withdraw, showing the rejection note, and a second withdrawal’s refusal', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: mproject({ status: 'rejected', review_note: '请补充成效指标', can_edit: true }) }),
      [`POST ${PROJECT_URL}/withdraw`]: errorResponse(409, 'market.project_withdrawn', '该服务项目已下架'),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/market/projects/${MPROJECT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="project-status"]').text()).toBe('未通过')
    expect(wrapper.get('[data-test="project-review-note"]').text()).toContain('请补充成效指标')
    await wrapper.get('[data-test="project-withdraw"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.method).toBe('POST')
    expect(wrapper.get('[data-test="project-action-error"]').text()).toContain('该服务项目已下架')
  })

  it('lets an admin reject only with a note, and shows a decision already taken', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, marketAdmin),
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: mproject({ status: 'pending_approval', can_review: true }) }),
      [`POST ${PROJECT_URL}/reject`]: errorResponse(409, 'market.project_not_pending', '该服务项目不在待审核状态'),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/market/projects/${MPROJECT_ID}` })
    await settle()
    await wrapper.get('[data-test="review-reject"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="review-note"]').text()).toContain('不通过须写明审核意见')
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0)
    await fill(wrapper, 'review-note', '价格偏高')
    await wrapper.get('[data-test="review-reject"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.body).toEqual({ note: '价格偏高' })
    expect(wrapper.get('[data-test="review-error"]').text()).toContain('该服务项目不在待审核状态')
  })
})

describe('PendingPage', () => {
  it('lists the queue and drops a listing once approved, naming the revision read', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/market/projects/pending': jsonResponse(200, { projects: [mproject({ status: 'pending_approval', revision: 3 })] }),
      [`POST ${PROJECT_URL}/approve`]: jsonResponse(200, { project: mproject({ status: 'approved' }) }),
    })
    const { wrapper } = await mountWithApp(PendingPage, { path: '/market/admin/pending' })
    await settle()
    expect(wrapper.find(`[data-test="market-project-${MPROJECT_ID}"]`).exists()).toBe(true)
    await wrapper.get('[data-test="review-approve"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.body).toEqual({ revision: 3 })
    expect(wrapper.get('[data-test="pending-empty"]').text()).toContain('没有待审核的服务项目')
  })

  it('shows a refusal', async () => {
    stubFetch({ 'GET /api/v1/market/projects/pending': errorResponse(403, 'forbidden', '') })
    const { wrapper } = await mountWithApp(PendingPage, { path: '/market/admin/pending' })
    await settle()
    expect(wrapper.get('[data-test="pending-error"]').text()).toContain('你没有权限进行这个操作')
  })
})

describe('VillageWorkbenchPage', () => {
  it('lists the village’s needs and, on the surveys tab, its rounds', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      'GET /api/v1/market/needs': jsonResponse(200, { needs: [need()] }),
      'GET /api/v1/market/surveys': jsonResponse(200, { rounds: [round({ can_manage: true })] }),
    })
    const { wrapper } = await mountWithApp(VillageWorkbenchPage, { path: '/market/village' })
    await settle()
    expect(wrapper.get('[data-test="village-name"]').text()).toBe('叠滘村')
    expect(requests.at(-1)?.url).toBe('/api/v1/market/needs?village_id=3')
    expect(wrapper.get(`[data-test="need-${NEED_ID}"]`).text()).toContain('预算 ¥20,000.00 – ¥90,000.00')
    await wrapper.get('[data-test="village-tab-surveys"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.url).toBe('/api/v1/market/surveys?village_id=3')
    expect(wrapper.get(`[data-test="round-${ROUND_ID}"]`).text()).toContain('进行中')
  })

  it('says so to someone who is nobody’s staff', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, resident) })
    const { wrapper } = await mountWithApp(VillageWorkbenchPage, { path: '/market/village' })
    await settle()
    expect(wrapper.get('[data-test="village-none"]').text()).toContain('你还不是任何村（居）的工作人员')
  })
})

describe('NeedFormPage', () => {
  async function mountForm(post: Response) {
    const stub = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      'GET /api/v1/market/surveys': jsonResponse(200, { rounds: [round({ can_manage: true })] }),
      'POST /api/v1/market/needs': post,
      [`GET /api/v1/market/needs/${NEED_ID}`]: jsonResponse(200, { need: need() }),
      [`GET /api/v1/market/needs/${NEED_ID}/matches`]: jsonResponse(200, { matches: [] }),
    })
    const mounted = await mountWithApp(NeedFormPage, { path: '/market/village/3/needs/new' })
    await settle()
    const w = mounted.wrapper
    await fill(w, 'need-title', '独居长者的日常探访')
    await w.get('[data-test="need-type-0"]').trigger('click')
    await fill(w, 'need-target', '独居长者')
    await fill(w, 'need-people', '60')
    await fill(w, 'need-budget-min', '20000')
    await fill(w, 'need-budget-max', '90000.5')
    await fill(w, 'need-from', '2026-12-01')
    await fill(w, 'need-to', '2027-11-30')
    await w.get(`[data-test="need-round-${ROUND_ID}"]`).trigger('click')
    return { ...mounted, ...stub }
  }

  it('checks the form on the client first, the budget above all', async () => {
    const { wrapper, requests } = await mountForm(jsonResponse(201, { need: need() }))
    await fill(wrapper, 'need-budget-max', '100')
    await fill(wrapper, 'need-to', '2026-11-01')
    await wrapper.get('[data-test="need-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="need-budget-max"]').text()).toContain('预算上限不能低于下限')
    expect(wrapper.get('[data-test="need-to"]').text()).toContain('结束日期须晚于开始日期')
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0)
  })

  it('posts the need in fen with an idempotency key and opens its page', async () => {
    const { wrapper, requests, router } = await mountForm(jsonResponse(201, { need: need() }))
    await wrapper.get('[data-test="need-form"]').trigger('submit')
    await settle()
    const post = requests.find((r) => r.method === 'POST')!
    expect(post.body).toMatchObject({ village_id: 3, project_type: '长者服务', beneficiaries: 60, budget_min_fen: 2_000_000, budget_max_fen: 9_000_050, source: 'survey', survey_round_id: ROUND_ID })
    expect(post.headers['idempotency-key']).toBeTruthy()
    expect(router.currentRoute.value.name).toBe('market-need')
  })

  it('shows the server’s refusals under the field they name', async () => {
    const { wrapper } = await mountForm(errorResponse(422, 'market.round_not_found', '需求调查不存在', 'survey_round_id'))
    await wrapper.get('[data-test="need-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="need-round"]').element.closest('.van-field')?.textContent).toContain('需求调查不存在')
    expect(wrapper.find('[data-test="need-form-error"]').exists()).toBe(false)
  })
})

describe('NeedPage', () => {
  it('shows the matches best first with the reasons worded, and lets the village’s staff close it', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET /api/v1/market/needs/${NEED_ID}`]: jsonResponse(200, { need: need() }),
      [`GET /api/v1/market/needs/${NEED_ID}/matches`]: jsonResponse(200, { matches: [match()] }),
      [`POST /api/v1/market/needs/${NEED_ID}/close`]: jsonResponse(200, { need: need({ status: 'met' }) }),
    })
    const { wrapper } = await mountWithApp(NeedPage, { path: `/market/needs/${NEED_ID}` })
    await settle()
    const first = wrapper.get('[data-test="match-0"]')
    expect(first.get('[data-test="match-score"]').text()).toBe('匹配度 90 分')
    expect(first.get('[data-test="reason-type_match"]').text()).toContain('服务类型相符+40')
    expect(first.get('[data-test="reason-budget_fit"]').text()).toContain('报价 ¥60,000.00 – ¥80,000.00 在预算之内')
    expect(first.get('[data-test="reason-org_rating"]').text()).toContain('机构评估等级 5A')
    expect(wrapper.get('[data-test="need-source"]').text()).toContain('居民调查')
    await wrapper.get('[data-test="need-close-met"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.body).toEqual({ status: 'met' })
    expect(wrapper.get('[data-test="need-status"]').text()).toBe('已满足')
    expect(wrapper.find('[data-test="need-close"]').exists()).toBe(false)
  })

  it('hides closing from the public, words partial reasons, and shows a refusal to close', async () => {
    stubFetch({
      'GET /api/v1/me': guest,
      [`GET /api/v1/market/needs/${NEED_ID}`]: jsonResponse(200, { need: need() }),
      [`GET /api/v1/market/needs/${NEED_ID}/matches`]: jsonResponse(200, {
        matches: [{ ...match(), reasons: [{ code: 'target_group_match', points: 10, partial: 1 }, { code: 'budget_fit', points: 10, partial: 1, price_min_fen: 100, price_max_fen: 200 }] }],
      }),
    })
    const { wrapper } = await mountWithApp(NeedPage, { path: `/market/needs/${NEED_ID}` })
    await settle()
    expect(wrapper.find('[data-test="need-close"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="reason-target_group_match"]').text()).toContain('服务对象相近')
    expect(wrapper.get('[data-test="reason-budget_fit"]').text()).toContain('与预算部分重合')
    wrapper.unmount()
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET /api/v1/market/needs/${NEED_ID}`]: jsonResponse(200, { need: need() }),
      [`GET /api/v1/market/needs/${NEED_ID}/matches`]: jsonResponse(200, { matches: [] }),
      [`POST /api/v1/market/needs/${NEED_ID}/close`]: errorResponse(409, 'market.need_not_open', '该需求已关闭或已满足'),
    })
    const staff = await mountWithApp(NeedPage, { path: `/market/needs/${NEED_ID}` })
    await settle()
    expect(staff.wrapper.get('[data-test="need-no-matches"]').text()).toContain('暂时没有匹配的服务项目')
    await staff.wrapper.get('[data-test="need-close-closed"]').trigger('click')
    await settle()
    expect(staff.wrapper.get('[data-test="need-close-error"]').text()).toContain('该需求已关闭或已满足')
  })
})

describe('SurveyFormPage and SurveyResultsPage', () => {
  it('refuses duplicate options on the client and shows the server’s date refusal under the field', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      'POST /api/v1/market/surveys': errorResponse(422, 'invalid_time_range', '结束时间必须晚于开始时间', 'closes_at_ms'),
    })
    const { wrapper } = await mountWithApp(SurveyFormPage, { path: '/market/village/3/surveys/new' })
    await settle()
    await fill(wrapper, 'survey-title', '2026年村民需求调查')
    await fill(wrapper, 'survey-option-0', '长者探访')
    await fill(wrapper, 'survey-option-1', '长者探访')
    await fill(wrapper, 'survey-opens', '2026-12-01')
    await fill(wrapper, 'survey-closes', '2026-12-31')
    await wrapper.get('[data-test="survey-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="survey-option-1"]').text()).toContain('选项不能重复')
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0)
    await wrapper.get('[data-test="survey-option-add"]').trigger('click')
    await fill(wrapper, 'survey-option-1', '儿童课后托管')
    await wrapper.get('[data-test="survey-option-remove-2"]').trigger('click')
    await wrapper.get('[data-test="survey-form"]').trigger('submit')
    await settle()
    expect(requests.at(-1)?.body).toMatchObject({ village_id: 3, title: '2026年村民需求调查', options: ['长者探访', '儿童课后托管'] })
    expect(wrapper.get('[data-test="survey-closes"]').text()).toContain('结束时间必须晚于开始时间')
  })

  it('shows the counts by option and age band, and 404 as not found', async () => {
    stubFetch({ [`GET /api/v1/market/surveys/${ROUND_ID}/results`]: jsonResponse(200, { results: results() }) })
    const { wrapper } = await mountWithApp(SurveyResultsPage, { path: `/market/surveys/${ROUND_ID}/results` })
    await settle()
    expect(wrapper.get('[data-test="results-answers"]').text()).toBe('共 30 人参加')
    expect(wrapper.get('[data-test="results-option-0"]').text()).toContain('长者探访')
    expect(wrapper.get('[data-test="results-option-0"]').text()).toContain('12')
    expect(wrapper.get('[data-test="results-age-80plus"]').text()).toContain('80 岁及以上')
    expect(wrapper.get('[data-test="results-written"]').text()).toContain('另有 4 人')
    wrapper.unmount()
    stubFetch({ [`GET /api/v1/market/surveys/${ROUND_ID}/results`]: errorResponse(404, 'market.round_not_found', '需求调查不存在') })
    const other = await mountWithApp(SurveyResultsPage, { path: `/market/surveys/${ROUND_ID}/results` })
    await settle()
    expect(other.wrapper.find('[data-test="results-not-found"]').exists()).toBe(true)
  })

  it('withholds the counts below the minimum number of answers', async () => {
    stubFetch({
      [`GET /api/v1/market/surveys/${ROUND_ID}/results`]: jsonResponse(200, {
        results: { ...results(), answers: 2, by_option: [], by_age_band: [], written_in: 0, hidden: true, min_answers: 5 },
      }),
    })
    const { wrapper } = await mountWithApp(SurveyResultsPage, { path: `/market/surveys/${ROUND_ID}/results` })
    await settle()
    expect(wrapper.get('[data-test="results-answers"]').text()).toBe('共 2 人参加')
    expect(wrapper.get('[data-test="results-hidden"]').text()).toContain('满 5 人参加后')
    expect(wrapper.find('[data-test="results-options"]').exists()).toBe(false)
  })
})

describe('MySurveysPage and SurveyAnswerPage', () => {
  it('lists my village’s open rounds, and says where to set a village when there are none', async () => {
    stubFetch({ 'GET /api/v1/market/surveys': jsonResponse(200, { rounds: [round(), round({ id: 'roundbbbbbbbbbbbbbbb', answered: true })] }) })
    const { wrapper } = await mountWithApp(MySurveysPage, { path: '/market/surveys' })
    await settle()
    expect(wrapper.get(`[data-test="survey-state-${ROUND_ID}"]`).text()).toBe('去参加')
    expect(wrapper.get('[data-test="survey-state-roundbbbbbbbbbbbbbbb"]').text()).toBe('已参加')
    wrapper.unmount()
    stubFetch({ 'GET /api/v1/market/surveys': jsonResponse(200, { rounds: [] }) })
    const none = await mountWithApp(MySurveysPage, { path: '/market/surveys' })
    await settle()
    expect(none.wrapper.find('[data-test="surveys-set-village"]').exists()).toBe(true)
  })

  it('answers once: picks and an age band, then thanks', async () => {
    const { requests } = stubFetch({
      [`GET /api/v1/market/surveys/${ROUND_ID}`]: jsonResponse(200, { round: round() }),
      [`POST /api/v1/market/surveys/${ROUND_ID}/answers`]: jsonResponse(201, { round: round({ answered: true }) }),
    })
    const { wrapper } = await mountWithApp(SurveyAnswerPage, { path: `/market/surveys/${ROUND_ID}` })
    await settle()
    await wrapper.get('[data-test="answer-form"]').trigger('submit')
    await settle()
    expect(wrapper.text()).toContain('请至少选择一项或填写你的需求')
    expect(wrapper.text()).toContain('请选择年龄段')
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0)
    await wrapper.get('[data-test="answer-pick-0"]').trigger('click')
    await wrapper.get('[data-test="answer-age-60to79"]').trigger('click')
    await fill(wrapper, 'answer-other', '龙舟文化兴趣班')
    await wrapper.get('[data-test="answer-form"]').trigger('submit')
    await settle()
    expect(requests.at(-1)?.body).toEqual({ picks: ['长者探访'], age_band: '60to79', other: '龙舟文化兴趣班' })
    expect(wrapper.get('[data-test="answer-done"]').text()).toContain('你已参加过这次调查')
  })

  it('shows the server’s 409 already answered clearly', async () => {
    stubFetch({
      [`GET /api/v1/market/surveys/${ROUND_ID}`]: jsonResponse(200, { round: round() }),
      [`POST /api/v1/market/surveys/${ROUND_ID}/answers`]: errorResponse(409, 'market.already_answered', '您已参加过本轮需求调查'),
    })
    const { wrapper } = await mountWithApp(SurveyAnswerPage, { path: `/market/surveys/${ROUND_ID}` })
    await settle()
    await wrapper.get('[data-test="answer-pick-1"]').trigger('click')
    await wrapper.get('[data-test="answer-age-unknown"]').trigger('click')
    await wrapper.get('[data-test="answer-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="answer-done"]').text()).toContain('你已参加过这次调查')
    expect(wrapper.get('[data-test="answer-error"]').text()).toContain('您已参加过本轮需求调查')
  })

  it('shows a closed round and a refused pick', async () => {
    stubFetch({
      [`GET /api/v1/market/surveys/${ROUND_ID}`]: jsonResponse(200, { round: round() }),
      [`POST /api/v1/market/surveys/${ROUND_ID}/answers`]: errorResponse(422, 'market.unknown_option', '所选需求不在本轮调查的选项中', 'picks[0]'),
    })
    const { wrapper } = await mountWithApp(SurveyAnswerPage, { path: `/market/surveys/${ROUND_ID}` })
    await settle()
    await wrapper.get('[data-test="answer-pick-2"]').trigger('click')
    await wrapper.get('[data-test="answer-age-18to59"]').trigger('click')
    await wrapper.get('[data-test="answer-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="answer-picks"]').element.closest('.van-field')?.textContent).toContain('所选需求不在本轮调查的选项中')
    wrapper.unmount()
    stubFetch({ [`GET /api/v1/market/surveys/${ROUND_ID}`]: jsonResponse(200, { round: round({ open: false }) }) })
    const closed = await mountWithApp(SurveyAnswerPage, { path: `/market/surveys/${ROUND_ID}` })
    await settle()
    expect(closed.wrapper.get('[data-test="answer-closed"]').text()).toContain('不在开放时间内')
  })
})

describe('OrgProjectsPage, ProjectFormPage and WantedPage', () => {
  it('lists the organisation’s listings in every status with the rejection note', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      'GET /api/v1/market/projects/mine': jsonResponse(200, { projects: [mproject({ status: 'rejected', review_note: '请补充成效指标' }), mproject({ id: 'mprojbbbbbbbbbbbbbbb', status: 'pending_approval' })] }),
    })
    const { wrapper } = await mountWithApp(OrgProjectsPage, { path: '/market/org' })
    await settle()
    expect(requests.at(-1)?.url).toBe('/api/v1/market/projects/mine?org_id=3')
    expect(wrapper.get(`[data-test="market-status-${MPROJECT_ID}"]`).text()).toBe('未通过')
    expect(wrapper.get(`[data-test="org-note-${MPROJECT_ID}"]`).text()).toContain('请补充成效指标')
    expect(wrapper.get('[data-test="market-status-mprojbbbbbbbbbbbbbbb"]').text()).toBe('待审核')
  })

  it('creates a fixed-price listing with team rows, and shows price and team refusals under their fields', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      'POST /api/v1/market/projects': errorResponse(400, 'too_long', '内容太长', 'team[0].name'),
    })
    const { wrapper } = await mountWithApp(ProjectFormPage, { path: '/market/org/projects/new' })
    await settle()
    await fill(wrapper, 'pf-title', '长者探访')
    await wrapper.get('[data-test="pf-type-0"]').trigger('click')
    await fill(wrapper, 'pf-target', '独居长者')
    await wrapper.get('[data-test="pf-price-fixed"]').trigger('click')
    await fill(wrapper, 'pf-min', '50000')
    await fill(wrapper, 'pf-days', '365')
    await fill(wrapper, 'pf-indicator-0', '每周探访 1 次')
    await wrapper.get('[data-test="pf-team-add"]').trigger('click')
    await wrapper.get('[data-test="project-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="pf-team-name-0"]').text()).toContain('请填写此项')
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0)
    await fill(wrapper, 'pf-team-name-0', '陈社工')
    await fill(wrapper, 'pf-team-role-0', '项目主管')
    await wrapper.get('[data-test="project-form"]').trigger('submit')
    await settle()
    const post = requests.find((r) => r.method === 'POST')!
    expect(post.body).toMatchObject({ org_id: 3, price: { kind: 'fixed', min_fen: 5_000_000, max_fen: 5_000_000 }, duration_days: 365, sessions: 0, indicators: ['每周探访 1 次'], team: [{ name: '陈社工', role: '项目主管', party_member: false }] })
    expect(post.headers['idempotency-key']).toBeTruthy()
    expect(wrapper.get('[data-test="pf-team-name-0"]').text()).toContain('内容太长')
  })

  it('edits a listing (back to review) and shows the range refusal under the maximum', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: mproject({ can_edit: true, team: [{ name: '陈大文', role: '项目主管' }] }) }),
      [`PUT ${PROJECT_URL}`]: errorResponse(422, 'market.price_range', '价格区间无效', 'price.max_fen'),
    })
    const { wrapper } = await mountWithApp(ProjectFormPage, { path: `/market/projects/${MPROJECT_ID}/edit` })
    await settle()
    expect(wrapper.get('[data-test="pf-edit-note"]').text()).toContain('重新进入审核')
    expect((wrapper.get('[data-test="pf-team-name-0"] input').element as HTMLInputElement).value).toBe('陈大文')
    expect((wrapper.get('[data-test="pf-max"] input').element as HTMLInputElement).value).toBe('80000')
    await wrapper.get('[data-test="project-form"]').trigger('submit')
    await settle()
    expect(requests.at(-1)?.method).toBe('PUT')
    expect(requests.at(-1)?.body).not.toHaveProperty('org_id')
    expect(wrapper.get('[data-test="pf-max"]').text()).toContain('价格区间无效')
  })

  it('shows where a listing is wanted, with the reasons', async () => {
    stubFetch({ [`GET ${PROJECT_URL}/wanted`]: jsonResponse(200, { wanted: [wanted()] }) })
    const { wrapper } = await mountWithApp(WantedPage, { path: `/market/projects/${MPROJECT_ID}/wanted` })
    await settle()
    const row = wrapper.get(`[data-test="wanted-${NEED_ID}"]`)
    expect(row.text()).toContain('叠滘村')
    expect(row.get('[data-test="reason-type_match"]').text()).toContain('服务类型相符')
  })
})

describe('gating and links', () => {
  it('opens the market section with the feature and guards the staff routes by role', () => {
    const meta = (name: string) => routes.find((r) => r.name === name)!.meta!
    const section = SECTIONS.find((s) => s.key === 'market')!
    expect(sectionTarget(section, ['market'])).toEqual({ name: 'market' })
    expect(sectionTarget(section, [])).toEqual({ name: 'section', params: { key: 'market' } })
    expect(featureGate(meta('market'), {}, [])).toEqual({ name: 'section', params: { key: 'market' } })
    expect(roleGate(meta('market-village'), { features: ['market'], roles: ['resident'] })).toEqual({ name: 'me' })
    expect(roleGate(meta('market-village'), { features: ['market'], roles: ['village_staff'] })).toBe(true)
    expect(roleGate(meta('market-org'), { features: ['market'], roles: ['village_staff'] })).toEqual({ name: 'me' })
    expect(roleGate(meta('market-pending'), { features: ['market'], roles: ['platform_admin'] })).toBe(true)
    expect(roleGate(meta('market-pending'), { features: ['market'], roles: ['org_staff'] })).toEqual({ name: 'me' })
    expect(meta('market-surveys').requiresAuth).toBe(true)
  })

  it('links 我的 to the workbench by role', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, villageStaff) })
    const { wrapper } = await mountWithApp(MeMarketLinks, { path: '/me' })
    useMetaStore().meta = { features: ['market'] } as unknown as NonNullable<ReturnType<typeof useMetaStore>['meta']>
    await useAuthStore().ensureLoaded()
    await settle()
    expect(wrapper.find('[data-test="me-market-village"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="me-market-surveys"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="me-market-org"]').exists()).toBe(false)
    useAuthStore().user = marketAdmin.user as never
    await settle()
    expect(wrapper.find('[data-test="me-market-village"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="me-market-pending"]').exists()).toBe(true)
  })
})
