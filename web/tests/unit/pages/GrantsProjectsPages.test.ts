import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import MeGrantsLinks from '@/components/grants/MeGrantsLinks.vue'
import ApplicationPage from '@/pages/grants/ApplicationPage.vue'
import AgreementFormPage from '@/pages/grants-projects/AgreementFormPage.vue'
import MyProjectsPage from '@/pages/grants-projects/MyProjectsPage.vue'
import ProjectPage from '@/pages/grants-projects/ProjectPage.vue'
import ProjectsPage from '@/pages/grants-projects/ProjectsPage.vue'
import ReportFormPage from '@/pages/grants-projects/ReportFormPage.vue'
import { featureGate, roleGate } from '@/router/gating'
import { routes } from '@/router'
import { useAuthStore } from '@/stores/auth'
import { useMetaStore } from '@/stores/meta'
import { application, APP_ID, call, CALL_ID } from '../support/grants'
import { project, PROJECT_ID, report, REPORT_ID, summary } from '../support/grantsProjects'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'
import { NOW } from '../support/events'

const staff = { user: sampleUser }
const admin = { user: { ...sampleUser, id: 9, roles: [{ role: 'fund_admin', org_id: null, org_name: null, village_id: null, village_name: null }] } }
const observer = { user: { ...sampleUser, id: 8, roles: [{ role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null }] } }
const guest = errorResponse(401, 'unauthenticated', '')
const PROJECT_URL = `/api/v1/grants/projects/${PROJECT_ID}`

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('ProjectsPage', () => {
  it('lists the projects with the sponsor naming and an overdue report, and filters by call', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': guest,
      'GET /api/v1/grants/calls': jsonResponse(200, { calls: [call()], now_ms: NOW }),
      'GET /api/v1/grants/projects': jsonResponse(200, { projects: [summary()] }),
    })
    const { wrapper } = await mountWithApp(ProjectsPage, { path: '/grants/projects' })
    await settle()
    const card = wrapper.get(`[data-test="project-${PROJECT_ID}"]`)
    expect(card.get('[data-test="project-sponsor"]').text()).toBe('冠名顺德农商行·长者饭堂')
    expect(card.get('[data-test="project-overdue"]').text()).toBe('已逾期')
    expect(card.get('[data-test="project-status-active"]').text()).toBe('执行中')
    expect(card.text()).toContain('资助 ¥100,000.00')
    expect(wrapper.find('[data-test="projects-mine-link"]').exists()).toBe(false)
    await wrapper.get(`[data-test="projects-filter-${CALL_ID}"]`).trigger('click')
    await settle()
    expect(requests.at(-1)?.url).toBe(`/api/v1/grants/projects?call_id=${CALL_ID}`)
  })

  it('says so when there are none', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, staff),
      'GET /api/v1/grants/calls': jsonResponse(200, { calls: [], now_ms: NOW }),
      'GET /api/v1/grants/projects': jsonResponse(200, { projects: [] }),
    })
    const { wrapper } = await mountWithApp(ProjectsPage, { path: '/grants/projects' })
    await settle()
    expect(wrapper.get('[data-test="projects-empty"]').text()).toContain('还没有资助项目')
    expect(wrapper.find('[data-test="projects-mine-link"]').exists()).toBe(true)
  })
})

describe('ProjectPage (public)', () => {
  it('shows the agreement with 冠名, milestones, the money bar, the reporting rule, approved reports and masked visit notes', async () => {
    stubFetch({
      'GET /api/v1/me': guest,
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project() }),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/grants/projects/${PROJECT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="project-naming"]').text()).toBe('冠名顺德农商行·长者饭堂')
    expect(wrapper.get('[data-test="project-sponsor"]').text()).toContain('顺德农商行 冠名支持 ¥30,000.00')
    expect(wrapper.get('[data-test="project-agreement"]').text()).toContain('叠滘村委会 ¥20,000.00')
    expect(wrapper.get('[data-test="milestone-status-1"]').text()).toBe('已拨付')
    expect(wrapper.get('[data-test="milestone-status-2"]').text()).toBe('计划中')
    expect(wrapper.get('[data-test="money-paid"]').text()).toBe('¥40,000.00')
    expect(wrapper.get('[data-test="money-pending"]').text()).toBe('¥60,000.00')
    expect(wrapper.get('[data-test="reporting-overdue"]').text()).toBe('已逾期')
    expect(wrapper.get('[data-test="project-reporting"]').text()).toContain('至少每 3 个月')
    expect(wrapper.get(`[data-test="report-funds-${REPORT_ID}"]`).text()).toContain('食材¥20,000.00')
    expect(wrapper.get('[data-test="visit-visitaaaaaaaaaaaaaaa"]').text()).toContain('李**')
    expect(wrapper.find('[data-test="project-admin"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="visit-form"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="project-file-report"]').exists()).toBe(false)
  })

  it('shows the leftover once closed, and 404 as not found', async () => {
    stubFetch({
      'GET /api/v1/me': guest,
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project({ status: 'closed', released_fen: 1_500_000, leftover_fen: 1_500_000, leftover_note: '剩余食材费退回基金' }) }),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/grants/projects/${PROJECT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="project-leftover"]').text()).toContain('结余 ¥15,000.00 已退回关爱基金')
    expect(wrapper.get('[data-test="project-leftover"]').text()).toContain('剩余食材费退回基金')
    expect(wrapper.get('[data-test="money-released"]').text()).toBe('¥15,000.00')
    expect(wrapper.get('[data-test="milestone-status-1"]').text()).toBe('已拨付')
    expect(wrapper.get('[data-test="milestone-status-2"]').text()).toBe('不再拨付')
    wrapper.unmount()
    stubFetch({ 'GET /api/v1/me': guest, [`GET ${PROJECT_URL}`]: errorResponse(404, 'grants.project_not_found', '项目不存在') })
    const missing = await mountWithApp(ProjectPage, { path: `/grants/projects/${PROJECT_ID}` })
    await settle()
    expect(missing.wrapper.get('[data-test="project-not-found"]').text()).toContain('没有这个项目')
  })
})

describe('ProjectPage (fund admin)', () => {
  const pending = report({ id: 'repbbbbbbbbbbbbbbbbb', status: 'submitted', milestone_seq: 2, reviewed_at_ms: null, disbursement: null })

  it('asks for a note to return a report, approves one, and shows refusals where they belong', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, admin),
      'GET /api/v1/grants/me/observing': jsonResponse(200, { projects: [] }),
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project({ can_manage: true, reports: [report(), pending], observers: [{ user_id: 12, name: '李四' }] }) }),
      [`POST /api/v1/grants/reports/${pending.id}/approve`]: jsonResponse(200, { report: { ...pending, status: 'approved', disbursement: { id: 8, status: 'proposed', amount_fen: 6_000_000 } } }),
      [`POST ${PROJECT_URL}/close`]: errorResponse(409, 'grants.final_report_missing', '尚无已通过的结项报告'),
      [`POST ${PROJECT_URL}/observers`]: errorResponse(422, 'grants.observer_conflict', '该用户是项目机构的工作人员', 'user_id'),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/grants/projects/${PROJECT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="project-admin"]').text()).toContain('待审核')
    await wrapper.get(`[data-test="review-return-${pending.id}"]`).trigger('click')
    expect(wrapper.get(`[data-test="review-note-${pending.id}"]`).text()).toContain('退回报告须写明原因')
    expect(requests.some((r) => r.url.endsWith('/return'))).toBe(false)
    await wrapper.get(`[data-test="review-approve-${pending.id}"]`).trigger('click')
    await settle()
    expect(requests.find((r) => r.url.endsWith('/approve'))?.body).toEqual({})
    expect(requests.filter((r) => r.method === 'GET' && r.url === PROJECT_URL)).toHaveLength(2)

    expect(wrapper.get('[data-test="close-preview"]').text()).toContain('¥60,000.00')
    await wrapper.get('[data-test="close-note"] textarea').setValue('结余退回')
    await wrapper.get('[data-test="close-submit"]').trigger('click')
    await settle()
    expect(requests.find((r) => r.url.endsWith('/close'))?.body).toEqual({ leftover_note: '结余退回' })
    expect(wrapper.get('[data-test="close-error"]').text()).toBe('尚无已通过的结项报告')

    await wrapper.get('[data-test="observer-id"] input').setValue('abc')
    await wrapper.get('[data-test="observer-add"]').trigger('click')
    expect(wrapper.get('[data-test="observer-id"]').text()).toContain('请填写用户编号')
    await wrapper.get('[data-test="observer-id"] input').setValue('3')
    await wrapper.get('[data-test="observer-add"]').trigger('click')
    await settle()
    expect(requests.find((r) => r.url.endsWith('/observers'))?.body).toEqual({ user_id: 3 })
    expect(wrapper.get('[data-test="observer-id"]').text()).toContain('该用户是项目机构的工作人员')
    expect(wrapper.find('[data-test="observer-remove-12"]').exists()).toBe(true)
  })

  it('points a proposed milestone payment to the fund\'s disbursement page', async () => {
    const milestones = project().milestones.map((m) => (m.seq === 2 ? { ...m, status: 'proposed' as const } : m))
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, admin),
      'GET /api/v1/grants/me/observing': jsonResponse(200, { projects: [] }),
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project({ can_manage: true, milestones }) }),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/grants/projects/${PROJECT_ID}` })
    await settle()
    expect(wrapper.get('[data-test="milestone-status-2"]').text()).toBe('拨付审批中')
    expect(wrapper.get('[data-test="admin-disbursement-pending"] a').attributes('href')).toBe('/fund/admin/disbursements')
  })
})

describe('ProjectPage (observer)', () => {
  it('offers the visit form to an observer and posts the note', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, observer),
      'GET /api/v1/grants/me/observing': jsonResponse(200, { projects: [summary()] }),
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project() }),
      [`POST ${PROJECT_URL}/visits`]: jsonResponse(201, { visit: { id: 'visitbbbbbbbbbbbbbbb', by: '王**', visited_at_ms: NOW, body: '看过', created_at_ms: NOW } }),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/grants/projects/${PROJECT_ID}` })
    await settle()
    await wrapper.get('[data-test="visit-form"]').trigger('submit')
    expect(wrapper.get('[data-test="visit-body"]').text()).toContain('此项必填')
    await wrapper.get('[data-test="visit-body"] textarea').setValue('探访 5 户长者')
    await wrapper.get('[data-test="visit-form"]').trigger('submit')
    await settle()
    const post = requests.find((r) => r.method === 'POST')
    expect(post?.body).toMatchObject({ body: '探访 5 户长者' })
    expect(typeof (post?.body as { visited_at_ms: number }).visited_at_ms).toBe('number')
  })

  it('does not offer it to someone else', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, observer),
      'GET /api/v1/grants/me/observing': jsonResponse(200, { projects: [] }),
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project() }),
    })
    const { wrapper } = await mountWithApp(ProjectPage, { path: `/grants/projects/${PROJECT_ID}` })
    await settle()
    expect(wrapper.find('[data-test="visit-form"]').exists()).toBe(false)
  })
})

describe('ReportFormPage', () => {
  function serve(reply: Response) {
    return stubFetch({
      [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project({ can_report: true }) }),
      [`POST ${PROJECT_URL}/reports`]: reply,
    })
  }

  it('requires the use of funds for a final report, totals it live, and shows the server refusal under the lines', async () => {
    const { requests } = serve(errorResponse(422, 'grants.use_of_funds_required', '结项报告须填写资金使用明细', 'use_of_funds'))
    const { wrapper } = await mountWithApp(ReportFormPage, { path: `/grants/projects/${PROJECT_ID}/report` })
    await settle()
    await wrapper.get('[data-test="report-kind-final"]').trigger('click')
    await wrapper.get('[data-test="report-body"] textarea').setValue('项目完成')
    await wrapper.get('[data-test="report-form"]').trigger('submit')
    expect(wrapper.get('[data-test="report-funds-error"]').text()).toBe('结项报告须逐项填写资金使用明细')
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    await wrapper.get('[data-test="report-line-0-item"] input').setValue('食材')
    await wrapper.get('[data-test="report-line-0-amount"] input').setValue('100.5')
    await wrapper.get('[data-test="report-add-line"]').trigger('click')
    await wrapper.get('[data-test="report-line-1-item"] input').setValue('交通')
    await wrapper.get('[data-test="report-line-1-amount"] input').setValue('20')
    expect(wrapper.get('[data-test="report-total"]').text()).toBe('资金使用合计：¥120.50')
    await wrapper.get('[data-test="report-form"]').trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({ kind: 'final', body: '项目完成', use_of_funds: [{ item: '食材', amount_fen: 10050 }, { item: '交通', amount_fen: 2000 }] })
    expect(wrapper.get('[data-test="report-funds-error"]').text()).toBe('结项报告须填写资金使用明细')
  })

  it('cites a planned milestone in a progress report and shows 409s above the form', async () => {
    const { requests } = serve(errorResponse(409, 'grants.final_report_exists', '结项报告已提交'))
    const { wrapper } = await mountWithApp(ReportFormPage, { path: `/grants/projects/${PROJECT_ID}/report` })
    await settle()
    expect(wrapper.find('[data-test="report-milestone-1"]').exists()).toBe(false)
    await wrapper.get('[data-test="report-milestone-2"]').trigger('click')
    await wrapper.get('[data-test="report-body"] textarea').setValue('中期进展')
    await wrapper.get('[data-test="report-form"]').trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({ kind: 'progress', milestone_seq: 2, use_of_funds: [] })
    expect(wrapper.get('[data-test="report-error"]').text()).toBe('结项报告已提交')
  })

  it('says a closed project takes no reports, and shows staff of other organisations nothing', async () => {
    stubFetch({ [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project({ status: 'closed', can_report: true }) }) })
    const { wrapper } = await mountWithApp(ReportFormPage, { path: `/grants/projects/${PROJECT_ID}/report` })
    await settle()
    expect(wrapper.get('[data-test="report-closed"]').text()).toContain('已结项')
    expect(wrapper.find('[data-test="report-form"]').exists()).toBe(false)
    wrapper.unmount()
    stubFetch({ [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project({ can_report: false }) }) })
    const other = await mountWithApp(ReportFormPage, { path: `/grants/projects/${PROJECT_ID}/report` })
    await settle()
    expect(other.wrapper.get('[data-test="report-not-found"]').text()).toContain('没有这个项目')
    expect(other.wrapper.find('[data-test="report-form"]').exists()).toBe(false)
  })
})

describe('AgreementFormPage', () => {
  const approved = application({ status: 'decided', decision: 'approved', awarded_fen: 10_000_000, viewer: { owner: false, admin: true, reviewer: false, voted: false, can_amend: false, can_submit: false, can_withdraw: false } })

  async function fill(wrapper: Awaited<ReturnType<typeof mountWithApp>>['wrapper']) {
    await wrapper.get('[data-test="agreement-starts"] input').setValue('2027-01-01')
    await wrapper.get('[data-test="agreement-ends"] input').setValue('2027-12-31')
    await wrapper.get('[data-test="milestone-form-0-label"] input').setValue('启动')
    await wrapper.get('[data-test="milestone-form-0-amount"] input').setValue('40000')
    await wrapper.get('[data-test="milestone-form-0-due"] input').setValue('2027-01-15')
  }

  it('checks the milestones against the award as typed and refuses to send a mismatch', async () => {
    const { requests } = stubFetch({
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: approved }),
      [`POST /api/v1/grants/applications/${APP_ID}/project`]: errorResponse(422, 'grants.milestones_sum', '里程碑金额之和须等于资助金额', 'milestones'),
    })
    const { wrapper } = await mountWithApp(AgreementFormPage, { path: `/grants/admin/applications/${APP_ID}/agreement` })
    await settle()
    expect(wrapper.get('[data-test="agreement-awarded"]').text()).toBe('资助金额 ¥100,000.00')
    await fill(wrapper)
    expect(wrapper.get('[data-test="agreement-gap"]').text()).toBe('还差 ¥60,000.00')
    await wrapper.get('[data-test="agreement-form"]').trigger('submit')
    expect(wrapper.get('[data-test="agreement-milestones-error"]').text()).toBe('还差 ¥60,000.00')
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    await wrapper.get('[data-test="agreement-add-milestone"]').trigger('click')
    await wrapper.get('[data-test="milestone-form-1-label"] input').setValue('中期')
    await wrapper.get('[data-test="milestone-form-1-amount"] input').setValue('70000')
    await wrapper.get('[data-test="milestone-form-1-due"] input').setValue('2027-06-30')
    expect(wrapper.get('[data-test="agreement-gap"]').text()).toBe('超出 ¥10,000.00')
    await wrapper.get('[data-test="milestone-form-1-amount"] input').setValue('60000')
    expect(wrapper.get('[data-test="agreement-gap"]').text()).toBe('金额一致')
    await wrapper.get('[data-test="agreement-sponsorship"] input').setValue('5')
    await wrapper.get('[data-test="agreement-form"]').trigger('submit')
    expect(wrapper.get('[data-test="agreement-sponsor-fen"]').text()).toContain('须同时填写')
    await wrapper.get('[data-test="agreement-sponsor-fen"] input').setValue('30000')
    await wrapper.get('[data-test="agreement-form"]').trigger('submit')
    await settle()
    await wrapper.get('[data-test="agreement-form"]').trigger('submit')
    await settle()
    const posts = requests.filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(2)
    expect(posts[0]?.body).toMatchObject({ milestones: [{ label: '启动', amount_fen: 4_000_000 }, { label: '中期', amount_fen: 6_000_000 }], sponsorship_id: 5, sponsor_fen: 3_000_000 })
    expect(posts[0]?.headers['idempotency-key']).toBeTruthy()
    expect(posts[1]?.headers['idempotency-key']).toBe(posts[0]?.headers['idempotency-key'])
    expect(wrapper.get('[data-test="agreement-milestones-error"]').text()).toBe('里程碑金额之和须等于资助金额')
  })

  it('signs and opens the new project; refuses an application not approved', async () => {
    const { router } = await (async () => {
      stubFetch({
        [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: approved }),
        [`POST /api/v1/grants/applications/${APP_ID}/project`]: jsonResponse(201, { project: project() }),
        'GET /api/v1/me': guest,
        'GET /api/v1/grants/me/observing': jsonResponse(200, { projects: [] }),
        [`GET ${PROJECT_URL}`]: jsonResponse(200, { project: project() }),
      })
      const mounted = await mountWithApp(AgreementFormPage, { path: `/grants/admin/applications/${APP_ID}/agreement` })
      await settle()
      await fill(mounted.wrapper)
      await mounted.wrapper.get('[data-test="milestone-form-0-amount"] input').setValue('100000')
      await mounted.wrapper.get('[data-test="agreement-form"]').trigger('submit')
      await settle()
      return mounted
    })()
    expect(router.currentRoute.value.name).toBe('grants-project')
    document.body.innerHTML = ''
    stubFetch({ [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application({ status: 'decided', decision: 'rejected' }) }) })
    const refused = await mountWithApp(AgreementFormPage, { path: `/grants/admin/applications/${APP_ID}/agreement` })
    await settle()
    expect(refused.wrapper.get('[data-test="agreement-not-approved"]').text()).toContain('只有获批资助的申请')
    expect(refused.wrapper.find('[data-test="agreement-form"]').exists()).toBe(false)
  })
})

describe('MyProjectsPage', () => {
  it('lists the organisation\'s projects, and says when one observes none', async () => {
    stubFetch({
      'GET /api/v1/grants/my/projects': jsonResponse(200, { projects: [summary({ sponsor: null })] }),
      'GET /api/v1/grants/me/observing': jsonResponse(200, { projects: [] }),
    })
    const Mine = defineComponent({ render: () => h(MyProjectsPage, { list: 'mine' }) })
    const mine = await mountWithApp(Mine, { path: '/grants/my/projects' })
    await settle()
    expect(mine.wrapper.find(`[data-test="project-${PROJECT_ID}"]`).exists()).toBe(true)
    expect(mine.wrapper.find('[data-test="project-sponsor"]').exists()).toBe(false)
    mine.wrapper.unmount()
    const Observing = defineComponent({ render: () => h(MyProjectsPage, { list: 'observing' }) })
    const observing = await mountWithApp(Observing, { path: '/grants/me/observing' })
    await settle()
    expect(observing.wrapper.get('[data-test="projects-empty"]').text()).toContain('你还不是任何项目的观察员')
  })
})

describe('gating and links', () => {
  it('puts the routes behind the grants feature and the right roles', () => {
    const meta = (name: string) => routes.find((r) => r.name === name)!.meta!
    expect(featureGate(meta('grants-projects'), {}, [])).toEqual({ name: 'section', params: { key: 'grants' } })
    expect(featureGate(meta('grants-project'), {}, ['grants'])).toBe(true)
    expect(roleGate(meta('grants-my-projects'), { features: ['grants'], roles: ['resident'] })).toEqual({ name: 'me' })
    expect(roleGate(meta('grants-project-report'), { features: ['grants'], roles: ['org_staff'] })).toBe(true)
    expect(roleGate(meta('grants-agreement'), { features: ['grants'], roles: ['org_staff'] })).toEqual({ name: 'me' })
    expect(roleGate(meta('grants-agreement'), { features: ['grants'], roles: ['fund_admin'] })).toBe(true)
    expect(meta('grants-observing').requiresAuth).toBe(true)
  })

  it('shows 签订协议 on an approved application to a fund admin only', async () => {
    const approvedForAdmin = application({ status: 'decided', decision: 'approved', awarded_fen: 10_000_000, viewer: { owner: false, admin: true, reviewer: false, voted: false, can_amend: false, can_submit: false, can_withdraw: false } })
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, admin),
      'GET /api/v1/villages': jsonResponse(200, { villages: [] }),
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: approvedForAdmin }),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: `/grants/applications/${APP_ID}` })
    await settle()
    expect(wrapper.get('[data-test="app-agreement"]').text()).toBe('签订协议 / 立项')
    wrapper.unmount()
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, staff),
      'GET /api/v1/villages': jsonResponse(200, { villages: [] }),
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application({ status: 'decided', decision: 'approved' }) }),
    })
    const owner = await mountWithApp(ApplicationPage, { path: `/grants/applications/${APP_ID}` })
    await settle()
    expect(owner.wrapper.find('[data-test="app-agreement"]').exists()).toBe(false)
  })

  it('links 我的资助项目 for staff and 我观察的项目 for everyone signed in on 我的', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, staff) })
    const { wrapper } = await mountWithApp(MeGrantsLinks, { path: '/me' })
    useMetaStore().meta = { features: ['grants'] } as unknown as NonNullable<ReturnType<typeof useMetaStore>['meta']>
    await useAuthStore().ensureLoaded()
    await settle()
    expect(wrapper.find('[data-test="me-grants-projects"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="me-grants-observing"]').exists()).toBe(true)
    useAuthStore().user = observer.user as never
    await settle()
    expect(wrapper.find('[data-test="me-grants-projects"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="me-grants-observing"]').exists()).toBe(true)
  })
})
