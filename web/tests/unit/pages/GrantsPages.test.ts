import { afterEach, describe, expect, it, vi } from 'vitest'
import ApplicationFormPage from '@/pages/grants/ApplicationFormPage.vue'
import CallPage from '@/pages/grants/CallPage.vue'
import MeetingPage from '@/pages/grants-admin/MeetingPage.vue'
import ScoreSheetPage from '@/pages/grants-review/ScoreSheetPage.vue'
import { application, APP_ID, call, CALL_ID, seat, sheet } from '../support/grants'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'
import { NOW } from '../support/events'

const staff = { user: sampleUser }
const resident = { user: { ...sampleUser, id: 8, roles: [] } }
const villages = { villages: [{ id: 1, name: '叠滘村', kind: 'village', rural: true, created_at_ms: 0 }] }

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('CallPage', () => {
  function serve(me: object | null) {
    return stubFetch({
      'GET /api/v1/me': me === null ? errorResponse(401, 'unauthenticated', '') : jsonResponse(200, me),
      [`GET /api/v1/grants/calls/${CALL_ID}`]: jsonResponse(200, { call: call({ phase: 'support' }), now_ms: NOW }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [application({ status: 'eligible', support_count: 4 })] }),
      [`POST /api/v1/grants/applications/${APP_ID}/support`]: jsonResponse(200, { support_count: 5, counted: true, already_voted: false }),
      [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: errorResponse(404, 'grants.notice_not_found', '本批次尚未公示结果'),
    })
  }

  it('lets a resident support an application once, and shows the rubric in shares', async () => {
    serve(resident)
    const { wrapper } = await mountWithApp(CallPage, { path: `/grants/calls/${CALL_ID}` })
    await settle()
    expect(wrapper.get('[data-test="call-rubric"]').text()).toContain('70%')
    await wrapper.get('[data-test="support-vote"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="support-voted"]').text()).toBe('已点赞')
    expect(wrapper.get('[data-test="support-count"]').text()).toBe('5 人点赞')
  })

  it('tells the applicant organisation\'s staff why they cannot vote, and a guest to sign in', async () => {
    serve(staff)
    const { wrapper } = await mountWithApp(CallPage, { path: `/grants/calls/${CALL_ID}` })
    await settle()
    expect(wrapper.find('[data-test="support-vote"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="support-own"]').text()).toContain('本机构')
    wrapper.unmount()
    serve(null)
    const guest = await mountWithApp(CallPage, { path: `/grants/calls/${CALL_ID}` })
    await settle()
    expect(guest.wrapper.get('[data-test="support-login"]').text()).toBe('登录后点赞')
  })
})

describe('ApplicationFormPage', () => {
  it('totals the budget lines as typed and shows the 422 under the field it names', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, staff),
      'GET /api/v1/villages': jsonResponse(200, villages),
      [`GET /api/v1/grants/calls/${CALL_ID}`]: jsonResponse(200, { call: call(), now_ms: NOW }),
      'POST /api/v1/grants/applications': jsonResponse(201, { application: application() }),
      [`POST /api/v1/grants/applications/${APP_ID}/submit`]: errorResponse(422, 'grants.over_cap', '申请金额超过单个项目上限', 'requested_fen'),
    })
    const { wrapper } = await mountWithApp(ApplicationFormPage, { path: `/grants/apply/${CALL_ID}` })
    await settle()
    await wrapper.get('[data-test="form-title"] input').setValue('长者助餐')
    await wrapper.get('[data-test="form-type-长者服务"]').trigger('click')
    await wrapper.get('[data-test="form-villages-1"]').trigger('click')
    await wrapper.get('[data-test="form-line-0-item"] input').setValue('食材')
    await wrapper.get('[data-test="form-line-0-amount"] input').setValue('0.1')
    await wrapper.get('[data-test="form-add-line"]').trigger('click')
    await wrapper.get('[data-test="form-line-1-item"] input').setValue('人力')
    await wrapper.get('[data-test="form-line-1-amount"] input').setValue('0.2')
    expect(wrapper.get('[data-test="form-budget-total"]').text()).toBe('预算合计：¥0.30')
    await wrapper.get('[data-test="form-requested"] input').setValue('300000')
    await wrapper.get('[data-test="form-submit"]').trigger('click')
    await settle()
    const post = requests.find((r) => r.method === 'POST' && r.url === '/api/v1/grants/applications')
    expect(post?.body).toMatchObject({ org_id: 3, project_type: '长者服务', villages: [1], budget_lines: [{ item: '食材', amount_fen: 10 }, { item: '人力', amount_fen: 20 }], requested_fen: 30_000_000 })
    expect(post?.headers['idempotency-key']).toBeTruthy()
    expect(wrapper.get('[data-test="form-requested"]').text()).toContain('申请金额超过单个项目上限')
  })
})

describe('ScoreSheetPage', () => {
  it('previews the weighted score, submits every criterion, and shows a refused score under its criterion', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/villages': jsonResponse(200, villages),
      [`GET /api/v1/grants/reviews/${APP_ID}`]: jsonResponse(200, sheet()),
      [`PUT /api/v1/grants/reviews/${APP_ID}`]: errorResponse(400, 'out_of_range', '分数应为 0 到 10', 'scores.可行性'),
    })
    const { wrapper } = await mountWithApp(ScoreSheetPage, { path: `/grants/review/${APP_ID}` })
    await settle()
    await wrapper.get('[data-test="sheet-submit"]').trigger('click')
    expect(wrapper.find('[data-test="sheet-incomplete"]').exists()).toBe(true)
    await wrapper.get('[data-test="score-0-pick-8"]').trigger('click')
    expect(wrapper.get('[data-test="sheet-preview"]').text()).toBe('每一项都打分后显示加权得分')
    // Unscored, + starts at 0: eight taps make 7, one − makes 6.
    for (let i = 0; i < 8; i++) {
      await wrapper.get('[data-test="score-1-plus"]').trigger('click')
    }
    await wrapper.get('[data-test="score-1-minus"]').trigger('click')
    expect(wrapper.get('[data-test="score-1-value"]').text()).toBe('6 / 10')
    expect(wrapper.get('[data-test="sheet-preview"]').text()).toBe('加权得分（预览）：6.6')
    await wrapper.get('[data-test="sheet-submit"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.body).toEqual({ scores: { 社区需求: 8, 可行性: 6 }, comment: '', status: 'submitted' })
    expect(wrapper.get('[data-test="score-1-error"]').text()).toBe('分数应为 0 到 10')
  })
})

describe('MeetingPage', () => {
  it('previews the panels with why each reviewer was placed and the shortfalls in words', async () => {
    const meeting = { id: 'meetaaaaaaaaaaaaaaaa', call_id: CALL_ID, title: '评审会', held_at_ms: NOW, venue: '', scores_due_ms: NOW, status: 'planned', cost: null }
    stubFetch({
      [`GET /api/v1/grants/meetings/${meeting.id}`]: jsonResponse(200, { meeting, call: call(), assignments: [] }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [application({ status: 'eligible' })] }),
      [`POST /api/v1/grants/meetings/${meeting.id}/assign`]: jsonResponse(200, {
        assignments: [seat({ reason: { tag_match: false, village_match: true, load_after: 3 } })],
        shortfalls: [{ application_id: APP_ID, kind: 'citizen', missing: 2, reason: 'at_load_cap', eligible: 4, conflicted: 1, unavailable: 0, untagged: 0, declined: 0, at_cap: 4 }],
        cost: 1,
        phases: 1,
        elapsed_us: 2000,
        dry_run: true,
        meeting,
      }),
    })
    const { wrapper } = await mountWithApp(MeetingPage, { path: `/grants/admin/meetings/${meeting.id}` })
    await settle()
    await wrapper.get('[data-test="assign-dry-run"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="assign-dry-note"]').exists()).toBe(true)
    expect(wrapper.get(`[data-test="panel-${APP_ID}"]`).text()).toContain('专家 · 李老师')
    expect(wrapper.get('[data-test^="seat-why-"]').text()).toBe('安排原因：领域不匹配、同村（居）、分配后共 3 个项目')
    const shortfall = wrapper.get(`[data-test="shortfall-${APP_ID}-citizen"]`)
    expect(shortfall.text()).toContain('长者助餐与探访：缺 2 位居民评审')
    expect(shortfall.text()).toContain('符合条件的评审人员都已满额')
    expect(shortfall.text()).toContain('已满额 4')
  })
})
