/**
 * Decisions on a meeting's ranking, 发布公示, and the public notice page (objections and answers):
 * the states each shows and the server's refusals under the right field.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import CallPage from '@/pages/grants/CallPage.vue'
import NoticePage from '@/pages/grants/NoticePage.vue'
import MeetingPage from '@/pages/grants-admin/MeetingPage.vue'
import { application, APP_ID, call, CALL_ID, MEETING_ID, noticeView, objection, OBJECTION_ID, ranking, rankingRow } from '../support/grants'
import { errorResponse, jsonResponse, sampleUser, stubFetch, type Responder } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'
import { NOW } from '../support/events'

const DAY = 86_400_000
const meeting = { id: MEETING_ID, call_id: CALL_ID, title: '评审会', held_at_ms: NOW, venue: '', scores_due_ms: NOW, status: 'assigned', cost: 0 }
const resident = { user: { ...sampleUser, id: 8, roles: [{ role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null }] } }
const admin = { user: { ...sampleUser, id: 2, roles: [{ role: 'fund_admin', org_id: null, org_name: null, village_id: null, village_name: null }] } }
const noNotice = errorResponse(404, 'grants.notice_not_found', '本批次尚未公示结果')

/** Answers each request with the next response; the last one repeats. */
function inTurn(...responses: Response[]): Responder {
  let i = 0
  return () => responses[Math.min(i++, responses.length - 1)]!.clone()
}

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

async function openRanking(routes: Record<string, Responder | Response>) {
  const stub = stubFetch({
    [`GET /api/v1/grants/meetings/${MEETING_ID}`]: jsonResponse(200, { meeting, call: call({ phase: 'review' }), assignments: [] }),
    [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [application({ status: 'under_review' })] }),
    [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: noNotice,
    ...routes,
  })
  const { wrapper } = await mountWithApp(MeetingPage, { path: `/grants/admin/meetings/${MEETING_ID}` })
  await settle()
  await wrapper.get('[data-test="ranking-load"]').trigger('click')
  await settle()
  return { wrapper, ...stub }
}

describe('MeetingPage decisions', () => {
  it('approves the proposal by default, previews the total against the budget, and shows the budget refusals under the amount', async () => {
    const decided = ranking([rankingRow({ status: 'decided', proposed_fen: 0 })], { awarded_fen: 15_000_000 })
    const { wrapper, requests } = await openRanking({
      [`GET /api/v1/grants/meetings/${MEETING_ID}/ranking`]: inTurn(jsonResponse(200, ranking([rankingRow({ proposed_fen: 7_000_000 })])), jsonResponse(200, decided)),
      [`POST /api/v1/grants/applications/${APP_ID}/decision`]: inTurn(
        errorResponse(409, 'grants.over_budget', '超出本批次剩余预算', 'awarded_fen'),
        errorResponse(422, 'grants.award_out_of_range', '资助金额应在 1 分到申请金额与单项上限之间', 'awarded_fen'),
        jsonResponse(200, { application: application({ status: 'decided', decision: 'approved', awarded_fen: 7_000_000 }) }),
      ),
    })
    expect(wrapper.get('[data-test="ranking-awarded"]').text()).toBe('已资助 ¥80,000.00 / 预算 ¥150,000.00，剩余 ¥70,000.00')
    expect(wrapper.get(`[data-test="rank-decision-${APP_ID}"]`).text()).toBe('尚未作出决定')
    await wrapper.get(`[data-test="rank-decide-${APP_ID}"]`).trigger('click')
    const amount = wrapper.get(`[data-test="decision-amount-${APP_ID}"] input`)
    expect((amount.element as HTMLInputElement).value).toBe('70000')
    expect(wrapper.get(`[data-test="decision-after-${APP_ID}"]`).text()).toBe('决定后已资助 ¥150,000.00，预算 ¥150,000.00')

    // No reason: refused on the phone, nothing sent.
    await wrapper.get(`[data-test="decision-submit-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="decision-reason-${APP_ID}"]`).text()).toContain('此项必填')
    expect(requests.some((r) => r.method === 'POST')).toBe(false)

    await amount.setValue('90000')
    const after = wrapper.get(`[data-test="decision-after-${APP_ID}"]`)
    expect(after.text()).toBe('决定后已资助 ¥170,000.00，预算 ¥150,000.00、将超出预算 ¥20,000.00')
    expect(after.classes()).toContain('decision__after--over')
    await wrapper.get(`[data-test="decision-reason-${APP_ID}"] textarea`).setValue('需求明确，预算合理')
    await wrapper.get(`[data-test="decision-submit-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="decision-amount-${APP_ID}"]`).text()).toContain('超出本批次剩余预算：最多还能批准 ¥70,000.00')

    await wrapper.get(`[data-test="decision-submit-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="decision-amount-${APP_ID}"]`).text()).toContain('资助金额应在 ¥0.01 至 ¥100,000.00 之间')

    await amount.setValue('70000')
    await wrapper.get(`[data-test="decision-submit-${APP_ID}"]`).trigger('submit')
    await settle()
    const posts = requests.filter((r) => r.method === 'POST')
    expect(posts.at(-1)?.body).toEqual({ decision: 'approved', awarded_fen: 7_000_000, reason: '需求明确，预算合理' })
    expect(wrapper.find(`[data-test="decision-${APP_ID}"]`).exists()).toBe(false)
    expect(wrapper.get(`[data-test="rank-decision-${APP_ID}"]`).text()).toBe('已批准资助 ¥70,000.00')
    expect(wrapper.get('[data-test="ranking-awarded"]').text()).toBe('已资助 ¥150,000.00 / 预算 ¥150,000.00，剩余 ¥0.00')
    expect(wrapper.get(`[data-test="rank-decide-${APP_ID}"]`).text()).toBe('修改决定')
  })

  it('says in words why the proposal is what it is', async () => {
    const { wrapper } = await openRanking({
      [`GET /api/v1/grants/meetings/${MEETING_ID}/ranking`]: jsonResponse(200, ranking([
        rankingRow({ note: 'partial' }),
        rankingRow({ application_id: 'appbbbbbbbbbbbbbbbbb', rank: 2, note: 'budget_exhausted', proposed_fen: 0 }),
      ])),
    })
    expect(wrapper.get(`[data-test="rank-note-${APP_ID}"]`).text()).toBe('预算所剩不足，按余额部分建议')
    expect(wrapper.get('[data-test="rank-note-appbbbbbbbbbbbbbbbbb"]').text()).toBe('预算已用完，未建议资助')
  })

  it('rejects without an amount; a decision made meanwhile reloads the ranking, and a not-decidable one is said above the button', async () => {
    const { wrapper, requests } = await openRanking({
      [`GET /api/v1/grants/meetings/${MEETING_ID}/ranking`]: jsonResponse(200, ranking()),
      [`POST /api/v1/grants/applications/${APP_ID}/decision`]: inTurn(
        errorResponse(409, 'grants.decision_changed', '该申报刚被他人作出决定，请刷新后重试'),
        errorResponse(409, 'grants.not_decidable', '该申报当前不能作出资助决定'),
      ),
    })
    await wrapper.get(`[data-test="rank-decide-${APP_ID}"]`).trigger('click')
    await wrapper.get(`[data-test="decision-reject-${APP_ID}"]`).trigger('click')
    expect(wrapper.find(`[data-test="decision-amount-${APP_ID}"]`).exists()).toBe(false)
    expect(wrapper.get(`[data-test="decision-after-${APP_ID}"]`).text()).toBe('决定后已资助 ¥80,000.00，预算 ¥150,000.00')
    await wrapper.get(`[data-test="decision-reason-${APP_ID}"] textarea`).setValue('与本批次方向不符')
    const readsBefore = requests.filter((r) => r.method === 'GET').length
    await wrapper.get(`[data-test="decision-submit-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ decision: 'rejected', reason: '与本批次方向不符' })
    expect(wrapper.get(`[data-test="decision-error-${APP_ID}"]`).text()).toBe('该申报刚被其他管理员作出决定，已刷新，请核对后再提交')
    const reads = requests.slice(readsBefore).filter((r) => r.method === 'GET').map((r) => r.url)
    expect(reads).toEqual(expect.arrayContaining([`/api/v1/grants/calls/${CALL_ID}/applications`, `/api/v1/grants/meetings/${MEETING_ID}/ranking`]))

    await wrapper.get(`[data-test="decision-submit-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="decision-error-${APP_ID}"]`).text()).toBe('该申报现在不能作出决定（尚未进入评审，或结果已公示）')
  })

  it('offers 发布公示 only once nothing is under review, and links to the notice after publishing', async () => {
    const { wrapper } = await openRanking({
      [`GET /api/v1/grants/meetings/${MEETING_ID}/ranking`]: jsonResponse(200, ranking([rankingRow(), rankingRow({ application_id: 'appbbbbbbbbbbbbbbbbb', rank: 2, status: 'eligible' })])),
    })
    expect(wrapper.get('[data-test="notice-undecided"]').text()).toBe('还有 1 个申报在评审中，全部作出决定后才能发布公示')
    expect(wrapper.find('[data-test="notice-publish-button"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('尚未分配评审，不能作出决定')
  })

  it('publishes with a note after the confirmation; a refusal is shown, and the decisions freeze', async () => {
    const { wrapper, requests } = await openRanking({
      [`GET /api/v1/grants/meetings/${MEETING_ID}/ranking`]: jsonResponse(200, ranking([rankingRow({ status: 'decided' })])),
      [`POST /api/v1/grants/calls/${CALL_ID}/notice`]: inTurn(
        errorResponse(409, 'grants.undecided_applications', '还有申报尚未作出资助决定'),
        jsonResponse(201, noticeView(7 * DAY)),
      ),
    })
    expect(wrapper.find(`[data-test="rank-decide-${APP_ID}"]`).exists()).toBe(true)
    await wrapper.get('[data-test="notice-publish-button"]').trigger('click')
    expect(wrapper.get('[data-test="notice-publish-button-warning"]').text()).toContain('发布后资助决定不能再更改')
    await wrapper.get('[data-test="notice-note"] textarea').setValue('如有异议请在异议期内提出')
    await wrapper.get('[data-test="notice-publish-button-confirm"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="notice-publish-error"]').text()).toBe('还有申报尚未作出资助决定')
    await wrapper.get('[data-test="notice-publish-button-confirm"]').trigger('click')
    await settle()
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ note: '如有异议请在异议期内提出' }, { note: '如有异议请在异议期内提出' }])
    expect(wrapper.find('[data-test="notice-link"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="notice-publish-error"]').exists()).toBe(false)
    expect(wrapper.find(`[data-test="rank-decide-${APP_ID}"]`).exists()).toBe(false)
  })
})

describe('NoticePage', () => {
  const path = `/grants/calls/${CALL_ID}/notice`

  it('shows the results, the budget and the countdown; a guest is asked to sign in to object', async () => {
    stubFetch({
      'GET /api/v1/me': errorResponse(401, 'unauthenticated', ''),
      [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: jsonResponse(200, noticeView(2 * DAY + 3_600_000, { objections: [objection({ status: 'dismissed', answer: '经复核，评分无误' })] })),
    })
    const { wrapper } = await mountWithApp(NoticePage, { path })
    await settle()
    expect(wrapper.get('[data-test="notice-budget"]').text()).toBe('预算 ¥150,000.00，资助合计 ¥90,000.00')
    expect(wrapper.get('[data-test="notice-window-open"]').text()).toMatch(/^异议期还剩 2 天 0[01]:\d\d:\d\d/)
    const result = wrapper.get(`[data-test="result-${APP_ID}"]`)
    expect(result.text()).toContain('第 1 名 · 长者助餐与探访')
    expect(result.text()).toContain('博睿社工 · 长者服务')
    expect(result.text()).toContain('全资')
    expect(wrapper.get(`[data-test="result-decision-${APP_ID}"]`).text()).toBe('批准资助')
    expect(wrapper.get(`[data-test="result-awarded-${APP_ID}"]`).text()).toBe('¥90,000.00')
    expect(wrapper.get(`[data-test="result-reason-${APP_ID}"]`).text()).toBe('理由：需求明确，预算合理')
    expect(result.text()).toContain('8.2')
    expect(wrapper.find(`[data-test="object-login-${APP_ID}"]`).exists()).toBe(true)
    expect(wrapper.get(`[data-test="objection-by-${OBJECTION_ID}"]`).text()).toContain('王**')
    expect(wrapper.get(`[data-test="objection-status-${OBJECTION_ID}"]`).text()).toBe('异议不成立')
    expect(wrapper.get(`[data-test="objection-answer-${OBJECTION_ID}"]`).text()).toBe('答复：经复核，评分无误')
    expect(wrapper.find(`[data-test="answer-form-${OBJECTION_ID}"]`).exists()).toBe(false)
  })

  it('lets a signed-in resident object to one result; too short and a closed period are refused under the form', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, resident),
      [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: jsonResponse(200, noticeView(DAY)),
      'POST /api/v1/grants/notices/noticeaaaaaaaaaaaaaa/objections': inTurn(
        errorResponse(409, 'grants.objections_closed', '异议期已结束'),
        jsonResponse(201, { objection: objection({ by: '王小明', body: '该机构去年项目未结项' }) }),
      ),
    })
    const { wrapper } = await mountWithApp(NoticePage, { path })
    await settle()
    expect(wrapper.get('[data-test="notice-no-objections"]').text()).toBe('暂无异议')
    await wrapper.get(`[data-test="object-${APP_ID}"]`).trigger('click')
    await wrapper.get(`[data-test="object-body-${APP_ID}"] textarea`).setValue('不同意')
    await wrapper.get(`[data-test="object-form-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="object-body-${APP_ID}"]`).text()).toContain('请至少写 5 个字')
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    await wrapper.get(`[data-test="object-body-${APP_ID}"] textarea`).setValue('该机构去年项目未结项')
    await wrapper.get(`[data-test="object-form-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="object-error-${APP_ID}"]`).text()).toBe('异议期已结束')
    await wrapper.get(`[data-test="object-form-${APP_ID}"]`).trigger('submit')
    await settle()
    expect(requests.filter((r) => r.method === 'POST').at(-1)?.body).toEqual({ application_id: APP_ID, body: '该机构去年项目未结项' })
    expect(wrapper.find(`[data-test="object-form-${APP_ID}"]`).exists()).toBe(false)
    expect(wrapper.get(`[data-test="objection-${OBJECTION_ID}"]`).text()).toContain('该机构去年项目未结项')
    expect(wrapper.get(`[data-test="objection-status-${OBJECTION_ID}"]`).text()).toBe('待答复')
  })

  it('after the period: closed, no objecting; a fund admin answers an open objection once', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, admin),
      [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: jsonResponse(200, noticeView(-1000, { objections: [objection({ by: '王小明', body: '评分有误' })] })),
      [`POST /api/v1/grants/objections/${OBJECTION_ID}/answer`]: inTurn(
        errorResponse(409, 'grants.already_answered', '该异议已答复'),
        jsonResponse(200, { objection: objection({ status: 'upheld', answer: '已复核并更正', answered_at_ms: NOW }) }),
      ),
    })
    const { wrapper } = await mountWithApp(NoticePage, { path })
    await settle()
    expect(wrapper.get('[data-test="notice-window-closed"]').text()).toContain('异议期已于')
    expect(wrapper.find(`[data-test="object-${APP_ID}"]`).exists()).toBe(false)
    expect(wrapper.find(`[data-test="object-login-${APP_ID}"]`).exists()).toBe(false)
    await wrapper.get(`[data-test="answer-form-${OBJECTION_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="answer-body-${OBJECTION_ID}"]`).text()).toContain('此项必填')
    await wrapper.get(`[data-test="answer-upheld-${OBJECTION_ID}"]`).trigger('click')
    await wrapper.get(`[data-test="answer-body-${OBJECTION_ID}"] textarea`).setValue('已复核并更正')
    await wrapper.get(`[data-test="answer-form-${OBJECTION_ID}"]`).trigger('submit')
    await settle()
    expect(wrapper.get(`[data-test="answer-error-${OBJECTION_ID}"]`).text()).toBe('该异议已答复')
    await wrapper.get(`[data-test="answer-form-${OBJECTION_ID}"]`).trigger('submit')
    await settle()
    expect(requests.filter((r) => r.method === 'POST').at(-1)?.body).toEqual({ upheld: true, answer: '已复核并更正' })
    expect(wrapper.get(`[data-test="objection-status-${OBJECTION_ID}"]`).text()).toBe('异议成立')
    expect(wrapper.get(`[data-test="objection-answer-${OBJECTION_ID}"]`).text()).toBe('答复：已复核并更正')
    expect(wrapper.find(`[data-test="answer-form-${OBJECTION_ID}"]`).exists()).toBe(false)
  })

  it('says the results are not published yet before the notice', async () => {
    stubFetch({
      'GET /api/v1/me': errorResponse(401, 'unauthenticated', ''),
      [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: noNotice,
    })
    const { wrapper } = await mountWithApp(NoticePage, { path })
    await settle()
    expect(wrapper.get('[data-test="notice-not-found"]').text()).toContain('本批次尚未公示结果')
  })
})

describe('CallPage and the notice', () => {
  it('links to the published results only once they exist', async () => {
    const routes = (notice: Response) => ({
      'GET /api/v1/me': errorResponse(401, 'unauthenticated', ''),
      [`GET /api/v1/grants/calls/${CALL_ID}`]: jsonResponse(200, { call: call({ phase: 'review' }), now_ms: NOW }),
      [`GET /api/v1/grants/calls/${CALL_ID}/applications`]: jsonResponse(200, { applications: [] }),
      [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: notice,
    })
    stubFetch(routes(noNotice))
    const before = await mountWithApp(CallPage, { path: `/grants/calls/${CALL_ID}` })
    await settle()
    expect(before.wrapper.find('[data-test="call-notice"]').exists()).toBe(false)
    before.wrapper.unmount()
    stubFetch(routes(jsonResponse(200, noticeView(DAY))))
    const after = await mountWithApp(CallPage, { path: `/grants/calls/${CALL_ID}` })
    await settle()
    expect(after.wrapper.get('[data-test="call-notice"]').text()).toBe('查看结果公示')
  })
})
