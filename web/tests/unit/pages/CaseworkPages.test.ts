import { afterEach, describe, expect, it, vi } from 'vitest'
import ApplicationPage from '@/pages/casework/ApplicationPage.vue'
import CataloguePage from '@/pages/casework/CataloguePage.vue'
import InboxPage from '@/pages/casework/InboxPage.vue'
import MyApplicationsPage from '@/pages/casework/MyApplicationsPage.vue'
import PublishServicePage from '@/pages/casework/PublishServicePage.vue'
import SupervisionPage from '@/pages/casework/SupervisionPage.vue'
import { application, message, meta, resident, services, staffUser, stats, SUBMITTED_AT, villages } from '../support/casework'
import { errorResponse, jsonResponse, type RecordedRequest, type Responder, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

const DAY = 86_400_000
const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST')

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
  vi.useRealTimers()
})

describe('CataloguePage', () => {
  it('lists the services with organisation, eligibility, villages and response time, filtered by village', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'GET /api/v1/casework/services': (request) =>
        jsonResponse(200, { services: request.url.includes('village_id=2') ? services.slice(0, 2) : services }),
      'GET /api/v1/me': errorResponse(401, 'unauthenticated', ''),
    })
    const { wrapper } = await mountWithApp(CataloguePage, { path: '/services' })
    await settle()
    const first = wrapper.get('[data-test="service-1"]')
    expect(first.get('[data-test="service-name"]').text()).toBe('长者探访')
    expect(first.get('[data-test="service-org"]').text()).toBe('服务机构：博睿社工')
    expect(first.get('[data-test="service-eligibility"]').text()).toBe('60 岁以上独居或空巢长者')
    expect(first.get('[data-test="service-villages"]').text()).toBe('所有村（居）')
    expect(first.get('[data-test="service-response"]').text()).toBe('3 天内响应')
    expect(wrapper.get('[data-test="service-2"] [data-test="service-villages"]').text()).toBe('桂园社区')
    expect(wrapper.find('[data-test="service-2"] [data-test="service-eligibility"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-role="service-card"]')).toHaveLength(3)
    // Not signed in: no 我的申请 shortcut.
    expect(wrapper.find('[data-test="catalogue-mine"]').exists()).toBe(false)

    await wrapper.get('[data-test="village-2"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="village-2"]').attributes('aria-pressed')).toBe('true')
    expect(wrapper.findAll('[data-role="service-card"]')).toHaveLength(2)
    expect(requests.map((r) => r.url)).toContain('/api/v1/casework/services?village_id=2')
  })

  it('says so when a village has no services', async () => {
    stubFetch({
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'GET /api/v1/casework/services': (request) => jsonResponse(200, { services: request.url.includes('village_id') ? [] : services }),
      'GET /api/v1/me': jsonResponse(200, { user: resident }),
    })
    const { wrapper } = await mountWithApp(CataloguePage, { path: '/services' })
    await settle()
    expect(wrapper.find('[data-test="catalogue-mine"]').exists()).toBe(true)
    await wrapper.get('[data-test="village-1"]').trigger('click')
    await settle()
    expect(wrapper.text()).toContain('这个村（居）暂时没有可以申请的服务')
  })
})

describe('MyApplicationsPage', () => {
  it('lists my applications with their status, overdue chip and link', async () => {
    stubFetch({
      'GET /api/v1/me/casework/applications': jsonResponse(200, {
        applications: [application({ id: 9 }), application({ id: 8, status: 'accepted', overdue: false, worker: { user_id: 7, name: '李社工' } })],
      }),
    })
    const { wrapper } = await mountWithApp(MyApplicationsPage, { path: '/me/casework' })
    await settle()
    const items = wrapper.findAll('[data-test="application-item"]')
    expect(items.map((i) => i.get('[data-test="status-tag"]').text())).toEqual(['已提交', '已接受'])
    expect(items[0]!.get('a').attributes('href')).toBe('/casework/applications/9')
    expect(items[0]!.text()).toContain('家人：陈伯（父亲）')
    expect(items[1]!.text()).toContain('负责社工：李社工')
  })

  it('shows an empty state leading to the catalogue', async () => {
    stubFetch({ 'GET /api/v1/me/casework/applications': jsonResponse(200, { applications: [] }) })
    const { wrapper } = await mountWithApp(MyApplicationsPage, { path: '/me/casework' })
    await settle()
    expect(wrapper.text()).toContain('你还没有申请过服务')
    expect(wrapper.find('[data-test="mine-to-catalogue"]').exists()).toBe(true)
  })
})

function detailStub(user: unknown, app: ReturnType<typeof application>, extra: Record<string, Responder | Response> = {}) {
  return stubFetch({
    'GET /api/v1/me': jsonResponse(200, { user }),
    'GET /api/v1/meta': jsonResponse(200, meta()),
    'GET /api/v1/casework/applications/9': jsonResponse(200, { application: app }),
    'GET /api/v1/casework/applications/9/messages': jsonResponse(200, { messages: [message()] }),
    'GET /api/v1/casework/services': jsonResponse(200, { services }),
    ...extra,
  })
}

describe('ApplicationPage for the applicant', () => {
  const mine = (extra: Parameters<typeof application>[0] = {}) =>
    application({ sensitive: { health_condition: '高血压', id_number: null }, sensitive_visible: true, ...extra })

  it('shows status, service, due time, the request, clear sensitive data, the timeline and the thread', async () => {
    detailStub(resident, mine())
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    expect(wrapper.get('[data-test="application-service"]').text()).toBe('长者探访')
    expect(wrapper.get('[data-test="application-org"]').text()).toBe('博睿社工')
    expect(wrapper.get('[data-test="status-tag"]').text()).toBe('已提交')
    expect(wrapper.find('[data-test="application-due"]').exists()).toBe(true)
    expect(wrapper.get('[data-test="application-worker"]').text()).toBe('尚未分配')
    expect(wrapper.get('[data-test="application-for-whom"]').text()).toBe('家人：陈伯（父亲）')
    expect(wrapper.get('[data-test="sensitive"]').attributes('data-state')).toBe('clear')
    expect(wrapper.get('[data-test="sensitive-health"]').text()).toBe('高血压')
    expect(wrapper.get('[data-test="sensitive-id"]').text()).toBe('未提供')
    expect(wrapper.get('[data-test="timeline-kind"]').text()).toBe('提交申请')
    expect(wrapper.get('[data-test="message-body"]').text()).toContain('周二上午上门可以吗')
    // No staff actions for the applicant, no rating before closing.
    expect(wrapper.find('[data-test="triage"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="rate-form"]').exists()).toBe(false)
  })

  it('shows nothing of sensitive data that does not open for this application, and says so', async () => {
    detailStub(resident, mine({ sensitive: null, sensitive_visible: false, sensitive_unreadable: true }))
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    const block = wrapper.get('[data-test="sensitive"]')
    expect(block.attributes('data-state')).toBe('unreadable')
    expect(block.find('[data-test="sensitive-health"]').exists()).toBe(false)
    expect(block.get('[role="alert"]').text()).toContain('无法读取')
  })

  it('sends a message from the composer', async () => {
    const { requests } = detailStub(resident, mine(), {
      'POST /api/v1/casework/applications/9/messages': jsonResponse(201, {
        message: message({ id: 2, author: { user_id: 5, name: '陈**' }, from_staff: false, body: '可以，谢谢' }),
      }),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    await wrapper.get('[data-test="message-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="message-body-input"]').text()).toContain('请写下留言内容')
    await wrapper.get('[data-test="message-body-input"] textarea').setValue('可以，谢谢')
    await wrapper.get('[data-test="message-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ body: '可以，谢谢' })
    expect(wrapper.findAll('[data-test="message-body"]').map((m) => m.text())).toContain('可以，谢谢')
  })

  it('rates a closed application 1–5 with a comment, and offers reopening within the window', async () => {
    const closed = mine({
      status: 'closed',
      worker: { user_id: 7, name: '李社工' },
      closed_at_ms: Date.now() - DAY,
      outcome: '已完成 3 次探访',
      reopen_until_ms: Date.now() + 13 * DAY,
    })
    const { requests } = detailStub(resident, closed, {
      'POST /api/v1/casework/applications/9/rate': jsonResponse(200, { application: { ...closed, rating: 4, rating_comment: '很耐心' } }),
      'POST /api/v1/casework/applications/9/reopen': errorResponse(409, 'reopen_window_passed', '已超过可重新打开的期限'),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    expect(wrapper.get('[data-test="application-outcome"]').text()).toBe('已完成 3 次探访')
    expect(wrapper.find('[data-test="thread-closed"]').exists()).toBe(true)
    await wrapper.get('[data-test="rate-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="rate-form"]').text()).toContain('请选择评分')
    await wrapper.get('[data-test="score-4"]').trigger('click')
    expect(wrapper.get('[data-test="score-4"]').attributes('aria-pressed')).toBe('true')
    await wrapper.get('[data-test="rate-comment"] textarea').setValue('很耐心')
    await wrapper.get('[data-test="rate-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ score: 4, comment: '很耐心' })
    expect(wrapper.find('[data-test="rate-form"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="application-rating"]').text()).toContain('4 分')

    await wrapper.get('[data-test="reopen-reason"] textarea').setValue('腿又疼了')
    await wrapper.get('[data-test="reopen-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[1]?.body).toEqual({ reason: '腿又疼了' })
    expect(wrapper.get('[data-test="reopen-error"]').text()).toContain('已超过可重新打开的期限')
  })

  it('offers no reopening once the window has passed', async () => {
    detailStub(resident, mine({ status: 'closed', rating: 5, closed_at_ms: SUBMITTED_AT, reopen_until_ms: SUBMITTED_AT + 14 * DAY }))
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    expect(wrapper.find('[data-test="reopen-form"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="rate-form"]').exists()).toBe(false)
  })

  it('says “not found” for an application that is not mine', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: resident }),
      'GET /api/v1/casework/applications/9': errorResponse(404, 'application_not_found', '申请不存在'),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    expect(wrapper.find('[data-test="application-not-found"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="application-head"]').exists()).toBe(false)
  })
})

describe('ApplicationPage for staff', () => {
  it('shows masked sensitive data to staff who are not the assigned worker', async () => {
    detailStub(staffUser, application())
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    expect(wrapper.get('[data-test="sensitive"]').attributes('data-state')).toBe('masked')
    expect(wrapper.get('[data-test="sensitive-health"]').text()).toBe('***')
    expect(wrapper.get('[data-test="sensitive-id"]').text()).toBe('440***********1234')
    expect(wrapper.find('[data-test="triage"]').exists()).toBe(true)
  })

  it('accepts assigning to me (the signed-in user’s id) and then sees the data in clear', async () => {
    const accepted = application({
      status: 'accepted',
      worker: { user_id: 7, name: '李社工' },
      sensitive: { health_condition: '高血压', id_number: null },
      sensitive_visible: true,
    })
    const { requests } = detailStub(staffUser, application(), {
      'POST /api/v1/casework/applications/9/accept': jsonResponse(200, { application: accepted }),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    expect(wrapper.get('[data-test="assign-me"]').text()).toContain('李社工')
    await wrapper.get('[data-test="accept-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]).toMatchObject({ url: '/api/v1/casework/applications/9/accept', body: { worker_user_id: 7 } })
    expect(wrapper.get('[data-test="status-tag"]').text()).toBe('已接受')
    expect(wrapper.get('[data-test="sensitive-health"]').text()).toBe('高血压')
    // The assigned worker may now close the case.
    expect(wrapper.find('[data-test="close-form"]').exists()).toBe(true)
  })

  it('accepts for a colleague by user number and shows worker_not_staff next to it', async () => {
    const { requests } = detailStub(staffUser, application(), {
      'POST /api/v1/casework/applications/9/accept': errorResponse(400, 'worker_not_staff', '该用户不是本机构工作人员', 'worker_user_id'),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    await wrapper.get('[data-test="assign-other"]').trigger('click')
    await wrapper.get('[data-test="worker-id"] input').setValue('abc')
    await wrapper.get('[data-test="accept-form"]').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="worker-id"]').text()).toContain('请输入正确的用户编号')
    await wrapper.get('[data-test="worker-id"] input').setValue('12')
    await wrapper.get('[data-test="accept-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ worker_user_id: 12 })
    expect(wrapper.get('[data-test="worker-id"]').text()).toContain('该用户不是本机构工作人员')
  })

  it('refers to another organisation’s service with a reason, then returns to the inbox', async () => {
    const { requests } = detailStub(staffUser, application(), {
      'POST /api/v1/casework/applications/9/refer': jsonResponse(200, { application: application({ org_id: 4, org_name: '启创社工' }) }),
    })
    const { wrapper, router } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    await wrapper.get('[data-test="triage-refer"]').trigger('click')
    // Only other organisations' services are offered.
    expect(wrapper.findAll('[data-test^="refer-service-"]').map((c) => c.attributes('data-test'))).toEqual(['refer-service-5'])
    await wrapper.get('[data-test="refer-form"]').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    await wrapper.get('[data-test="refer-service-5"]').trigger('click')
    await wrapper.get('[data-test="refer-reason"] textarea').setValue('家庭综合服务更合适')
    await wrapper.get('[data-test="refer-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ service_id: 5, reason: '家庭综合服务更合适' })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('casework-staff'))
  })

  it('declines with a reason', async () => {
    const { requests } = detailStub(staffUser, application(), {
      'POST /api/v1/casework/applications/9/decline': jsonResponse(200, { application: application({ status: 'declined' }) }),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    await wrapper.get('[data-test="triage-decline"]').trigger('click')
    await wrapper.get('[data-test="decline-reason"] textarea').setValue('不在服务范围')
    await wrapper.get('[data-test="decline-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ reason: '不在服务范围' })
    expect(wrapper.get('[data-test="status-tag"]').text()).toBe('已婉拒')
    expect(wrapper.find('[data-test="triage"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="message-form"]').exists()).toBe(false)
  })

  it('lets only the assigned worker close the case', async () => {
    detailStub(staffUser, application({ status: 'accepted', worker: { user_id: 99, name: '王社工' } }))
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    expect(wrapper.find('[data-test="close-form"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="only-worker-closes"]').text()).toContain('王社工')
  })

  it('closes with an outcome as the assigned worker', async () => {
    const { requests } = detailStub(staffUser, application({ status: 'accepted', worker: { user_id: 7, name: '李社工' } }), {
      'POST /api/v1/casework/applications/9/close': jsonResponse(200, {}),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: '/casework/applications/9' })
    await settle()
    await wrapper.get('[data-test="close-outcome"] textarea').setValue('已完成 3 次探访')
    await wrapper.get('[data-test="close-form"]').trigger('submit')
    await settle()
    expect(posts(requests)[0]).toMatchObject({ url: '/api/v1/casework/applications/9/close', body: { outcome: '已完成 3 次探访' } })
    // The response had no application: it was reloaded.
    expect(requests.filter((r) => r.url === '/api/v1/casework/applications/9').length).toBe(2)
  })
})

describe('InboxPage', () => {
  it('lists the organisation’s applications with red overdue chips and due times, and filters', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: staffUser }),
      'GET /api/v1/casework/inbox': jsonResponse(200, {
        applications: [application({ id: 2, overdue: true }), application({ id: 3 })],
      }),
    })
    const { wrapper } = await mountWithApp(InboxPage, { path: '/casework/staff' })
    await settle()
    expect(wrapper.get('[data-test="inbox-org"]').text()).toContain('博睿社工')
    const items = wrapper.findAll('[data-test="application-item"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.get('[data-test="overdue-chip"]').text()).toBe('已逾期')
    expect(items[0]!.get('[data-test="item-due"]').classes()).toContain('cw-item__due--overdue')
    expect(items[1]!.find('[data-test="overdue-chip"]').exists()).toBe(false)
    expect(items[0]!.text()).toContain('申请人：陈**')
    expect(items[0]!.get('a').attributes('href')).toBe('/casework/applications/2')

    await wrapper.get('[data-test="inbox-status-submitted"]').trigger('click')
    await settle()
    await wrapper.get('[data-test="inbox-overdue"]').trigger('click')
    await settle()
    expect(requests.filter((r) => r.url.startsWith('/api/v1/casework/inbox')).map((r) => r.url)).toEqual([
      '/api/v1/casework/inbox?org_id=3',
      '/api/v1/casework/inbox?org_id=3&status=submitted',
      '/api/v1/casework/inbox?org_id=3&status=submitted&overdue=true',
    ])
  })
})

describe('PublishServicePage', () => {
  it('checks response_days 1–60 and publishes with the chosen villages', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: staffUser }),
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'POST /api/v1/casework/services': jsonResponse(201, { service: services[0] }),
    })
    const { wrapper, router } = await mountWithApp(PublishServicePage, { path: '/casework/staff/services/new' })
    await settle()
    await wrapper.get('[data-test="publish-name"] input').setValue('助浴服务')
    await wrapper.get('[data-test="publish-description"] textarea').setValue('上门助浴')
    await wrapper.get('[data-test="publish-days"] input').setValue('61')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="publish-days"]').text()).toContain('1 到 60 天')
    await wrapper.get('[data-test="publish-days"] input').setValue('7')
    await wrapper.get('[data-test="publish-village-2"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ org_id: 3, name: '助浴服务', description: '上门助浴', village_ids: [2], response_days: 7 })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('casework-staff'))
  })

  it('shows service_exists from the server', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: staffUser }),
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'POST /api/v1/casework/services': errorResponse(409, 'service_exists', '本机构已有同名服务', 'name'),
    })
    const { wrapper } = await mountWithApp(PublishServicePage, { path: '/casework/staff/services/new' })
    await settle()
    await wrapper.get('[data-test="publish-name"] input').setValue('长者探访')
    await wrapper.get('[data-test="publish-description"] textarea').setValue('x')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="publish-name"]').text()).toContain('本机构已有同名服务')
  })
})

describe('SupervisionPage', () => {
  it('shows per-organisation figures, the median first response in hours or days, and escalations', async () => {
    stubFetch({
      'GET /api/v1/casework/stats': jsonResponse(200, { orgs: stats }),
      'GET /api/v1/casework/escalations': jsonResponse(200, {
        applications: [application({ overdue: true, has_sensitive: false, sensitive: null })],
      }),
    })
    const { wrapper } = await mountWithApp(SupervisionPage, { path: '/casework/admin' })
    await settle()
    const [borui, qichuang] = wrapper.findAll('[data-test="org-stats"]')
    expect(borui!.get('[data-test="stat-applications"]').text()).toBe('12')
    expect(borui!.get('[data-test="stat-open"]').text()).toBe('4')
    expect(borui!.get('[data-test="stat-overdue"]').text()).toBe('1')
    expect(borui!.get('[data-test="stat-median"]').text()).toBe('5.5 小时')
    expect(borui!.get('[data-test="stat-satisfaction"]').text()).toBe('4.3 分（满分 5 分，4 人评价）')
    expect(qichuang!.get('[data-test="stat-median"]').text()).toBe('暂无')
    expect(qichuang!.get('[data-test="stat-satisfaction"]').text()).toBe('暂无评价')

    expect(wrapper.get('[data-test="view-escalations"]').text()).toBe('逾期未响应（1）')
    await wrapper.get('[data-test="view-escalations"]').trigger('click')
    const items = wrapper.findAll('[data-test="escalations"] [data-test="application-item"]')
    expect(items).toHaveLength(1)
    expect(items[0]!.get('[data-test="overdue-chip"]').text()).toBe('已逾期')
    expect(items[0]!.text()).toContain('博睿社工')
  })
})
