import { Button } from 'vant'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { CheckinRequest } from '@/api/events'
import AttendancePage from '@/pages/events-admin/AttendancePage.vue'
import CheckinPage from '@/pages/events-admin/CheckinPage.vue'
import CreateEventPage from '@/pages/events-admin/CreateEventPage.vue'
import ManageEventsPage from '@/pages/events-admin/ManageEventsPage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { careEvent, REG_ID, regId, registration, staffUser, venue, villages } from '../support/events'
import { errorResponse, jsonResponse, type RecordedRequest, type Responder, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'
import { shanghai } from '../support/time'

const stats = { registrations: 3, seats_confirmed: 3, seats_waitlisted: 2, checked_in: 1, checked_in_seats: 1, no_shows: 0, attendance_rate: 0.5 }
const attendance = {
  event: careEvent(),
  registrations: [
    registration({ checked_in_at_ms: shanghai(2026, 10, 28, 9, 5) }),
    registration({ id: regId(10), name: '李伯', ticket_code: 'AB12CD34', seats: 2, answers: {} }),
    registration({ id: regId(11), name: '王姨', ticket_code: null, status: 'waitlisted', position: 1, seats: 2, answers: {} }),
  ],
}

function buttonTarget(wrapper: VueWrapper, test: string): unknown {
  return wrapper.findAllComponents(Button).find((b) => b.attributes('data-test') === test)?.props('to')
}

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

const me = { 'GET /api/v1/me': jsonResponse(200, { user: staffUser }) }

describe('ManageEventsPage', () => {
  it('lists my organisation’s events with check-in and attendance links, and a create button', async () => {
    const { requests } = stubFetch({ ...me, 'GET /api/v1/events': jsonResponse(200, { events: [careEvent()], next_cursor: null }) })
    const { wrapper } = await mountWithApp(ManageEventsPage, { path: '/events/manage' })
    await settle()
    expect(wrapper.get('[data-test="manage-org"]').text()).toContain('博睿社工')
    expect(requests.filter((r) => r.url.startsWith('/api/v1/events')).map((r) => r.url)).toEqual(['/api/v1/events?org_id=3&limit=50'])
    expect(wrapper.findAll('[data-test="manage-event"]')).toHaveLength(1)
    expect(buttonTarget(wrapper, 'manage-checkin')).toEqual({ name: 'event-checkin', params: { id: 1 } })
    expect(buttonTarget(wrapper, 'manage-attendance')).toEqual({ name: 'event-attendance', params: { id: 1 } })
    expect(buttonTarget(wrapper, 'manage-create')).toEqual({ name: 'event-create', query: { org_id: 3 } })
  })
})

describe('CreateEventPage', () => {
  function stub(create: Responder | Response) {
    return stubFetch({
      ...me,
      'GET /api/v1/venues': jsonResponse(200, { venues: [venue] }),
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'POST /api/v1/events': create,
    })
  }
  const posted = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST').map((r) => r.body as Record<string, unknown>)

  it('publishes an event for my organisation with a venue, villages and a choice question', async () => {
    const { requests } = stub(jsonResponse(201, { event: careEvent({ id: 42 }) }))
    const { wrapper, router } = await mountWithApp(CreateEventPage, { path: '/events/new' })
    await settle()
    await wrapper.get('[data-test="create-title"] input').setValue('重阳敬老宴')
    await wrapper.get('[data-test="create-type-elderly"]').trigger('click')
    await wrapper.get('[data-test="create-venue-1"]').trigger('click')
    await wrapper.get('[data-test="create-starts"] input').setValue('2030-10-10T11:00')
    await wrapper.get('[data-test="create-ends"] input').setValue('2030-10-10T14:00')
    await wrapper.get('[data-test="create-opens"] input').setValue('2030-10-01T09:00')
    await wrapper.get('[data-test="create-closes"] input').setValue('2030-10-09T18:00')
    await wrapper.get('[data-test="create-capacity"] input').setValue('80')
    await wrapper.get('[data-test="create-per-person"] input').setValue('2')
    await wrapper.get('[data-test="create-audience-villages"]').trigger('click')
    await wrapper.get('[data-test="create-villages"] .van-checkbox').trigger('click')
    await wrapper.get('[data-test="create-add-choice"]').trigger('click')
    await wrapper.get('[data-test="create-question-1-label"] input').setValue('是否需要轮椅?')
    await wrapper.get('[data-test="create-question-1-options"] textarea').setValue('是\n否\n')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posted(requests)[0]).toEqual({
      org_id: 3,
      title: '重阳敬老宴',
      description: '',
      type: 'elderly',
      venue_id: 1,
      starts_at_ms: shanghai(2030, 9, 10, 11, 0),
      ends_at_ms: shanghai(2030, 9, 10, 14, 0),
      capacity: 80,
      signup_opens_at_ms: shanghai(2030, 9, 1, 9, 0),
      signup_closes_at_ms: shanghai(2030, 9, 9, 18, 0),
      audience: 'villages',
      village_ids: [1],
      per_person_limit: 2,
      questions: [{ id: 'q1', label: '是否需要轮椅?', kind: 'choice', options: ['是', '否'], required: false }],
      records_hours: false,
      confirm_within_hours: 0,
    })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/events/42'), { timeout: 5_000 })
  })

  it('sends a new venue, and shows the server’s error next to the field it names', async () => {
    const { requests } = stub(errorResponse(400, 'invalid_time_range', '结束时间必须晚于开始时间', 'ends_at_ms'))
    const { wrapper } = await mountWithApp(CreateEventPage, { path: '/events/new' })
    await settle()
    await wrapper.get('[data-test="create-title"] input').setValue('社区清洁')
    await wrapper.get('[data-test="create-venue-new"]').trigger('click')
    await wrapper.get('[data-test="create-venue-name"] input').setValue('夏北广场')
    await wrapper.get('[data-test="create-venue-address"] input').setValue('夏北路 2 号')
    await wrapper.get('[data-test="create-records-hours"]').trigger('click')
    await wrapper.get('[data-test="create-volunteer-minutes"] input').setValue('90')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posted(requests)[0]).toMatchObject({
      venue: { name: '夏北广场', address: '夏北路 2 号' },
      records_hours: true,
      volunteer_minutes: 90,
    })
    expect(posted(requests)[0]).not.toHaveProperty('venue_id')
    expect(wrapper.get('[data-test="create-ends"]').text()).toContain('结束时间必须晚于开始时间')
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false)
  })

  it('checks the form before sending', async () => {
    const { requests } = stub(jsonResponse(201, { event: careEvent() }))
    const { wrapper } = await mountWithApp(CreateEventPage, { path: '/events/new' })
    await settle()
    await wrapper.get('[data-test="create-capacity"] input').setValue('0')
    await wrapper.get('[data-test="create-add-text"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posted(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="create-title"]').text()).toContain('此项必填')
    expect(wrapper.get('[data-test="create-capacity"]').text()).toContain('不小于 1')
    expect(wrapper.get('[data-test="create-questions-error"]').text()).toContain('第 1 个问题')
  })
})

describe('AttendancePage', () => {
  function stub(extra: Record<string, Responder | Response> = {}) {
    return stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, attendance),
      'GET /api/v1/events/1/stats': jsonResponse(200, stats),
      ...extra,
    })
  }

  it('shows the figures, the attendance rate and each registration with its check-in time', async () => {
    stub()
    const { wrapper } = await mountWithApp(AttendancePage, { path: '/events/1/attendance' })
    await settle()
    expect(wrapper.get('[data-test="stat-checked-in"]').text()).toBe('1')
    expect(wrapper.get('[data-test="stat-rate"]').text()).toBe('50%')
    expect(wrapper.get('[data-test="stat-seats"]').text()).toBe('3/30 席')
    const rows = wrapper.findAll('[data-test="attendance-row"]')
    expect(rows.map((r) => r.get('[data-test="attendance-name"]').text())).toEqual(['陈阿姨', '李伯', '王姨'])
    expect(rows[0]?.get('[data-test="attendance-checked-at"]').text()).toBe('09:05 签到')
    expect(rows[0]?.text()).toContain('是否需要工作人员协助?：需要')
    expect(rows[2]?.get('[data-test="registration-status"]').text()).toBe('候补第 1 位')
  })

  it('changes the capacity, showing capacity_below_confirmed at the field', async () => {
    const { requests } = stub({ 'PATCH /api/v1/events/1': errorResponse(409, 'capacity_below_confirmed', '名额不能少于已确认的席位', 'capacity') })
    const { wrapper } = await mountWithApp(AttendancePage, { path: '/events/1/attendance' })
    await settle()
    expect((wrapper.get('[data-test="capacity-input"] input').element as HTMLInputElement).value).toBe('30')
    await wrapper.get('[data-test="capacity-input"] input').setValue('2')
    await wrapper.get('[data-test="capacity-form"]').trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ capacity: 2 })
    expect(wrapper.get('[data-test="capacity-input"]').text()).toContain('名额不能少于已确认的席位')
  })

  it('cancels the event only with a reason, after a confirm step on the page', async () => {
    const cancelled = { ...attendance, event: careEvent({ signup_state: 'cancelled', status: 'cancelled', cancel_reason: '台风' }) }
    let done = false
    const { requests } = stubFetch({
      'GET /api/v1/events/1/attendance': () => jsonResponse(200, done ? cancelled : attendance),
      'GET /api/v1/events/1/stats': jsonResponse(200, stats),
      'POST /api/v1/events/1/cancel': () => {
        done = true
        return jsonResponse(200, { event: cancelled.event })
      },
    })
    const { wrapper } = await mountWithApp(AttendancePage, { path: '/events/1/attendance' })
    usePrefsStore().setElderMode(true)
    await settle()
    await wrapper.get('[data-test="cancel-event"]').trigger('click')
    await wrapper.get('[data-test="cancel-event-confirm"]').trigger('click')
    await settle()
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    expect(wrapper.get('[data-test="cancel-event-reason"]').text()).toContain('请填写取消原因')
    await wrapper.get('[data-test="cancel-event-reason"] textarea').setValue('台风')
    await wrapper.get('[data-test="cancel-event-confirm"]').trigger('click')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ reason: '台风' })
    expect(wrapper.get('[data-test="attendance-cancelled"]').text()).toContain('台风')
  })
})

describe('CheckinPage', () => {
  function checkinAnswer(request: RecordedRequest, already: boolean) {
    const body = request.body as CheckinRequest
    return jsonResponse(200, {
      checkin: { registration_id: REG_ID, ticket_code: body.ticket_code, name: '陈阿姨', seats: 1, checked_in_at_ms: shanghai(2026, 10, 28, 9, 41), by_user_id: 8, client_id: body.client_id ?? null },
      already,
    })
  }

  it('checks a typed code in and shows the name; the same code again shows 已于 HH:mm 签到', async () => {
    let seen = false
    const { requests } = stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, attendance),
      'POST /api/v1/events/1/checkins': (request) => {
        const response = checkinAnswer(request, seen)
        seen = true
        return response
      },
    })
    const { wrapper } = await mountWithApp(CheckinPage, { path: '/events/1/checkin' })
    await settle()
    expect(wrapper.get('[data-test="checkin-count"]').text()).toBe('已签到 1 份，共 2 份报名')
    await wrapper.get('[data-test="checkin-code"] input').setValue(' k7m2 q9xd ')
    await wrapper.get('[data-test="checkin-form"]').trigger('submit')
    await settle()
    expect((requests.find((r) => r.method === 'POST')?.body as CheckinRequest).ticket_code).toBe('K7M2Q9XD')
    const result = wrapper.get('[data-test="checkin-result"]')
    expect(result.attributes('data-kind')).toBe('checked_in')
    expect(result.text()).toContain('签到成功')
    expect(wrapper.get('[data-test="checkin-name"]').text()).toBe('陈阿姨')

    await wrapper.get('[data-test="checkin-code"] input').setValue('K7M2Q9XD')
    await wrapper.get('[data-test="checkin-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="checkin-result"]').attributes('data-kind')).toBe('already')
    expect(wrapper.get('[data-test="checkin-time"]').text()).toBe('已于 09:41 签到')
  })

  it('rejects a malformed code without asking the server, and shows server refusals', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/events/1/attendance': jsonResponse(200, attendance),
      'POST /api/v1/events/1/checkins': errorResponse(409, 'ticket_not_valid', ''),
    })
    const { wrapper } = await mountWithApp(CheckinPage, { path: '/events/1/checkin' })
    await settle()
    await wrapper.get('[data-test="checkin-code"] input').setValue('ABC')
    await wrapper.get('[data-test="checkin-form"]').trigger('submit')
    await settle()
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    expect(wrapper.get('[data-test="checkin-code"]').text()).toContain('8 位')
    await wrapper.get('[data-test="checkin-code"] input').setValue('AB12CD34')
    await wrapper.get('[data-test="checkin-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="checkin-result"]').attributes('data-kind')).toBe('error')
    expect(wrapper.get('[data-test="checkin-error"]').text()).toBe('这张票无效（候补中或已取消）')
  })

  it('offline: says so, names the holder from the saved list and lists the scan as waiting', async () => {
    stubFetch({ 'GET /api/v1/events/1/attendance': jsonResponse(200, attendance) })
    const first = await mountWithApp(CheckinPage, { path: '/events/1/checkin' })
    await settle()
    first.wrapper.unmount()

    vi.spyOn(window.navigator, 'onLine', 'get').mockReturnValue(false)
    const { requests } = stubFetch({ 'GET /api/v1/events/1/attendance': () => Promise.reject(new TypeError('offline')) })
    const { wrapper } = await mountWithApp(CheckinPage, { path: '/events/1/checkin' })
    await settle()
    expect(wrapper.find('[data-test="checkin-offline"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="checkin-cached"]').exists()).toBe(true)
    await wrapper.get('[data-test="checkin-code"] input').setValue('AB12CD34')
    await wrapper.get('[data-test="checkin-form"]').trigger('submit')
    await settle()
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    expect(wrapper.get('[data-test="checkin-result"]').attributes('data-kind')).toBe('queued')
    expect(wrapper.get('[data-test="checkin-name"]').text()).toBe('李伯')
    expect(wrapper.get('[data-test="checkin-pending"]').text()).toContain('AB12CD34')
  })
})
