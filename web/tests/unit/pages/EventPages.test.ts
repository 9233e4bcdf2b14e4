import { Button } from 'vant'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import EventDetailPage from '@/pages/events/EventDetailPage.vue'
import EventsPage from '@/pages/events/EventsPage.vue'
import MyEventsPage from '@/pages/events/MyEventsPage.vue'
import SignupPage from '@/pages/events/SignupPage.vue'
import TicketPage from '@/pages/events/TicketPage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { careEvent, HOUR, meta, myRegistration, REG_ID, regId, registration, residentUser, staffUser, villages } from '../support/events'
import { emptyResponse, errorResponse, jsonResponse, type RecordedRequest, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'
import { shanghai } from '../support/time'

/** Where a `<van-button :to>` leads (it renders a button, not a link). */
function buttonTarget(wrapper: VueWrapper, test: string): unknown {
  return wrapper.findAllComponents(Button).find((b) => b.attributes('data-test') === test)?.props('to')
}

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

describe('EventsPage', () => {
  it('shows cards with type, venue and seats left (or 已满), and refilters by type and range', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'GET /api/v1/events': jsonResponse(200, {
        events: [careEvent(), careEvent({ id: 2, title: '亲子阅读会', type: 'family', remaining: 0, confirmed: 30 })],
        next_cursor: null,
      }),
    })
    const { wrapper } = await mountWithApp(EventsPage, { path: '/events' })
    await settle()
    const cards = wrapper.findAll('[data-test="event-card"]')
    expect(cards).toHaveLength(2)
    expect(cards[0]?.text()).toContain('长者智能手机课堂')
    expect(cards[0]?.text()).toContain('长者')
    expect(cards[0]?.text()).toContain('关爱桂城企业创享家')
    expect(cards[0]?.get('[data-test="event-remaining"]').text()).toBe('剩余 27 席')
    expect(cards[0]?.get('[data-test="event-signup-state"]').text()).toBe('报名中')
    expect(cards[1]?.get('[data-test="event-remaining"]').text()).toBe('已满，可排队候补')
    expect(cards[0]?.attributes('href')).toBe('/events/1')
    expect(wrapper.get('[data-test="filter-village"]').text()).toContain('叠滘村')

    await wrapper.get('[data-test="filter-type"]').setValue('family')
    await wrapper.get('[data-test="range-today"]').trigger('click')
    await settle()
    const last = new URL(requests.filter((r) => r.url.startsWith('/api/v1/events')).at(-1)!.url, 'http://x').searchParams
    expect(last.get('type')).toBe('family')
    expect(Number(last.get('to_ms')) - Number(last.get('from_ms'))).toBe(24 * HOUR - 1)
    expect(wrapper.get('[data-test="range-today"]').attributes('aria-pressed')).toBe('true')
  })
})

describe('EventDetailPage', () => {
  function stub(extra: Record<string, Response | ((r: RecordedRequest) => Response)> = {}, detail: object = { event: careEvent(), my_registration: null }, user: unknown = residentUser) {
    return stubFetch({
      'GET /api/v1/events/1': jsonResponse(200, detail),
      'GET /api/v1/me': user ? jsonResponse(200, { user }) : errorResponse(401, 'unauthenticated', ''),
      ...extra,
    })
  }

  it('shows the venue with address and map link, the seats, audience, calendar file and a sign-up button', async () => {
    stub()
    const { wrapper } = await mountWithApp(EventDetailPage, { path: '/events/1' })
    await settle()
    expect(wrapper.get('[data-test="event-title"]').text()).toBe('长者智能手机课堂')
    expect(wrapper.get('[data-test="event-address"]').text()).toContain('南海大道')
    expect(wrapper.get('[data-test="event-map"]').attributes('href')).toBe('https://map.example/1')
    expect(wrapper.get('[data-test="event-seats"]').text()).toContain('共 30 席 · 已报名 3 席 · 候补 0 席')
    expect(wrapper.get('[data-test="event-remaining"]').text()).toBe('剩余 27 席')
    expect(wrapper.get('[data-test="event-audience"]').text()).toContain('所有居民均可报名')
    expect(wrapper.get('[data-test="event-ics"]').attributes('href')).toBe('/api/v1/events/1/event.ics')
    expect(buttonTarget(wrapper, 'event-signup')).toEqual({ name: 'event-signup', params: { id: 1 } })
    expect(wrapper.find('[data-test="my-registration"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="event-staff-checkin"]').exists()).toBe(false)
  })

  it('names the villages of a village-only event and offers staff their links', async () => {
    stub({}, { event: careEvent({ audience: 'villages', villages: [{ id: 1, name: '叠滘村' }, { id: 2, name: '夏北社区' }] }) }, staffUser)
    const { wrapper } = await mountWithApp(EventDetailPage, { path: '/events/1' })
    await settle()
    expect(wrapper.get('[data-test="event-audience"]').text()).toContain('仅限叠滘村、夏北社区的居民')
    expect(buttonTarget(wrapper, 'event-staff-checkin')).toEqual({ name: 'event-checkin', params: { id: 1 } })
  })

  it('shows my ticket, and cancels only after a confirm step on the page', async () => {
    const { requests } = stub(
      { [`DELETE /api/v1/events/1/registrations/${REG_ID}`]: emptyResponse(204) },
      { event: careEvent(), my_registration: registration() },
    )
    const { wrapper } = await mountWithApp(EventDetailPage, { path: '/events/1' })
    usePrefsStore().setElderMode(true)
    await settle()
    expect(wrapper.get('[data-test="registration-status"]').text()).toBe('已报名')
    expect(wrapper.get('[data-test="my-ticket-code"]').text()).toBe('K7M2Q9XD')
    expect(buttonTarget(wrapper, 'my-ticket-link')).toEqual({ name: 'ticket', params: { regId: REG_ID } })
    expect(wrapper.find('[data-test="event-signup"]').exists()).toBe(false)

    await wrapper.get('[data-test="cancel-registration"]').trigger('click')
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false)
    expect(wrapper.get('[data-test="cancel-registration-warning"]').text()).toContain('名额会让给候补')
    // Nothing is a pop-up: the confirm step is part of the page.
    expect(document.querySelector('.van-dialog, .van-popup')).toBeNull()
    await wrapper.get('[data-test="cancel-registration-confirm"]').trigger('click')
    await settle()
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([`/api/v1/events/1/registrations/${REG_ID}`])
  })

  it('shows the waitlist position, and an offered seat with its deadline and a confirm button', async () => {
    stub({}, { event: careEvent({ remaining: 0 }), my_registration: registration({ status: 'waitlisted', position: 3, ticket_code: null }) })
    const waiting = await mountWithApp(EventDetailPage, { path: '/events/1' })
    await settle()
    expect(waiting.wrapper.get('[data-test="registration-status"]').text()).toBe('候补第 3 位')
    expect(waiting.wrapper.get('[data-test="my-waitlist"]').text()).toContain('第 3 位')
    waiting.wrapper.unmount()

    const expires = shanghai(2026, 10, 28, 18, 30)
    const { requests } = stub(
      { [`POST /api/v1/events/1/registrations/${REG_ID}/confirm`]: jsonResponse(200, { registration: registration() }) },
      { event: careEvent(), my_registration: registration({ status: 'offered', ticket_code: null, offer_expires_at_ms: expires, seats: 2 }) },
    )
    const offered = await mountWithApp(EventDetailPage, { path: '/events/1' })
    await settle()
    expect(offered.wrapper.get('[data-test="my-offer"]').text()).toContain('18:30')
    expect(offered.wrapper.get('[data-test="my-offer"]').text()).toContain('2 席')
    await offered.wrapper.get('[data-test="offer-confirm"]').trigger('click')
    await settle()
    expect(requests.some((r) => r.url === `/api/v1/events/1/registrations/${REG_ID}/confirm`)).toBe(true)
    expect(offered.wrapper.get('[data-test="my-ticket-code"]').text()).toBe('K7M2Q9XD')
  })

  it('says when sign-up opens, and that it is closed', async () => {
    stub({}, { event: careEvent({ signup_state: 'closed' }) })
    const { wrapper } = await mountWithApp(EventDetailPage, { path: '/events/1' })
    await settle()
    expect(wrapper.get('[data-test="event-signup-note"]').text()).toBe('报名已截止')
  })

  it('shows 没有找到这个活动 for an unknown event', async () => {
    stubFetch({
      'GET /api/v1/events/1': errorResponse(404, 'event_not_found', '活动不存在'),
      'GET /api/v1/me': errorResponse(401, 'unauthenticated', ''),
    })
    const { wrapper } = await mountWithApp(EventDetailPage, { path: '/events/1' })
    await settle()
    expect(wrapper.text()).toContain('没有找到这个活动')
  })
})

describe('SignupPage', () => {
  function stub(register: Response | ((r: RecordedRequest) => Response), event = careEvent()) {
    return stubFetch({
      'GET /api/v1/events/1': jsonResponse(200, { event, my_registration: null }),
      'GET /api/v1/meta': jsonResponse(200, meta(['events', 'volunteers'])),
      'POST /api/v1/events/1/registrations': register,
    })
  }
  const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST')

  it('offers 本人 + N 位家属 up to the limit, asks the required question first, then goes to the ticket', async () => {
    const { requests } = stub(jsonResponse(201, { registration: registration({ seats: 2 }) }))
    const { wrapper, router } = await mountWithApp(SignupPage, { path: '/events/1/signup' })
    await settle()
    expect(wrapper.get('[data-test="seats-1"]').text()).toBe('仅本人')
    expect(wrapper.get('[data-test="seats-2"]').text()).toBe('本人 + 1 位家属')
    expect(wrapper.find('[data-test="seats-3"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="question-q1"]').text()).toContain('（必答）')

    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="answer-error-q1"]').text()).toBe('请回答这个问题')

    await wrapper.get('[data-test="seats-2"]').trigger('click')
    await wrapper.get('[data-test="answer-q1-1"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ seats: 2, answers: { q1: '不需要' } })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/me/tickets/${REG_ID}`), { timeout: 5_000 })
  })

  it('goes back to the event with the waitlist position', async () => {
    stub(jsonResponse(201, { registration: registration({ status: 'waitlisted', position: 4, ticket_code: null }) }))
    const { wrapper, router } = await mountWithApp(SignupPage, { path: '/events/1/signup' })
    await settle()
    await wrapper.get('[data-test="answer-q1-0"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/events/1'), { timeout: 5_000 })
  })

  it('shows a field error next to the question the server names', async () => {
    stub(errorResponse(400, 'invalid_choice', '请从选项中选择', 'answers.q1'))
    const { wrapper } = await mountWithApp(SignupPage, { path: '/events/1/signup' })
    await settle()
    await wrapper.get('[data-test="answer-q1-0"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="answer-error-q1"]').text()).toBe('请从选项中选择')
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false)
  })

  it('links to the home-village setting on village_required, and back here after saving', async () => {
    stub(errorResponse(422, 'village_required', '请先设置你所在的村（居）'))
    const { wrapper } = await mountWithApp(SignupPage, { path: '/events/1/signup' })
    await settle()
    await wrapper.get('[data-test="answer-q1-0"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="form-error"]').text()).toContain('请先设置你所在的村（居）')
    expect(wrapper.get('[data-test="remedy-village"]').attributes('href')).toBe('/me/village?redirect=/events/1/signup')
  })

  it('explains audience_volunteers, already_registered and signup_closed with a way on', async () => {
    for (const [status, code, test] of [
      [403, 'audience_volunteers', 'remedy-volunteer'],
      [409, 'already_registered', 'remedy-mine'],
      [409, 'signup_closed', 'remedy-event'],
      [403, 'audience_villages', 'remedy-village'],
    ] as const) {
      stub(errorResponse(status, code, ''))
      const { wrapper } = await mountWithApp(SignupPage, { path: '/events/1/signup' })
      await settle()
      await wrapper.get('[data-test="answer-q1-0"]').trigger('click')
      await wrapper.get('form').trigger('submit')
      await settle()
      // No server text: the localised fallback for the code.
      expect(wrapper.get('[data-test="form-error"]').text().length).toBeGreaterThan(4)
      expect(wrapper.find(`[data-test="${test}"]`).exists(), code).toBe(true)
      wrapper.unmount()
    }
  })
})

describe('TicketPage and MyEventsPage', () => {
  it('shows the ticket QR from the contract’s path and the code in large text', async () => {
    stubFetch({ 'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [myRegistration()] }) })
    const { wrapper } = await mountWithApp(TicketPage, { path: `/me/tickets/${REG_ID}` })
    await settle()
    expect(wrapper.get('[data-test="ticket-qr"]').attributes('src')).toBe(`/api/v1/events/1/registrations/${REG_ID}/qr.svg`)
    expect(wrapper.get('[data-test="ticket-code"]').text()).toBe('K7M2Q9XD')
    expect(wrapper.get('[data-test="ticket-event-title"]').text()).toBe('长者智能手机课堂')
  })

  it('has no QR for a waitlisted registration', async () => {
    stubFetch({
      'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [myRegistration({ status: 'waitlisted', position: 2, ticket_code: null })] }),
    })
    const { wrapper } = await mountWithApp(TicketPage, { path: `/me/tickets/${REG_ID}` })
    await settle()
    expect(wrapper.find('[data-test="ticket-qr"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="ticket-no-code"]').exists()).toBe(true)
  })

  it('lists upcoming then past registrations with their status chips', async () => {
    const now = Date.now()
    stubFetch({
      'GET /api/v1/me/registrations': jsonResponse(200, {
        registrations: [
          myRegistration({ id: regId(1), event_id: 1 }, { title: '长者智能手机课堂', starts_at_ms: now + 2 * HOUR, ends_at_ms: now + 4 * HOUR }),
          myRegistration({ id: regId(2), event_id: 2, status: 'waitlisted', position: 2, ticket_code: null }, { title: '亲子阅读会', starts_at_ms: now + 50 * HOUR, ends_at_ms: now + 52 * HOUR }),
          myRegistration({ id: regId(3), event_id: 3, checked_in_at_ms: now - 30 * HOUR }, { title: '中秋游园会', starts_at_ms: now - 30 * HOUR, ends_at_ms: now - 28 * HOUR }),
        ],
      }),
    })
    const { wrapper } = await mountWithApp(MyEventsPage, { path: '/me/events' })
    await settle()
    const upcoming = wrapper.get('[data-test="my-events-upcoming"]').findAll('[data-test="my-event"]')
    expect(upcoming.map((e) => e.get('[data-test="registration-status"]').text())).toEqual(['已报名', '候补第 2 位'])
    expect(upcoming[0]?.attributes('href')).toBe(`/me/tickets/${regId(1)}`)
    expect(upcoming[1]?.attributes('href')).toBe('/events/2')
    const past = wrapper.get('[data-test="my-events-past"]').findAll('[data-test="my-event"]')
    expect(past.map((e) => e.text())).toEqual([expect.stringContaining('中秋游园会')])
    expect(past[0]?.get('[data-test="registration-status"]').text()).toBe('已签到')
  })
})
