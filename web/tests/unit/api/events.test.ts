import { describe, expect, it } from 'vitest'
import * as eventsApi from '@/api/events'
import * as villagesApi from '@/api/villages'
import * as volunteersApi from '@/api/volunteers'
import { careEvent, REG_ID, registration } from '../support/events'
import { emptyResponse, jsonResponse, stubFetch } from '../support/fetch'

describe('events api', () => {
  it('lists events with only the filters given, the cursor and the page size', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/events': jsonResponse(200, { events: [careEvent()], next_cursor: null }) })
    await eventsApi.listEvents({}, null, 20)
    await eventsApi.listEvents({ from_ms: 10, to_ms: 20, type: 'health', village_id: 2, org_id: 3 }, 'c2', 20)
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/events?limit=20',
      '/api/v1/events?from_ms=10&to_ms=20&type=health&village_id=2&org_id=3&cursor=c2&limit=20',
    ])
  })

  it('sends a sign-up as JSON and reads the registration', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/events/1/registrations': jsonResponse(201, { registration: registration() }) })
    const { registration: reg } = await eventsApi.register(1, { seats: 2, answers: { q1: '需要' } })
    expect(reg.ticket_code).toBe('K7M2Q9XD')
    expect(requests[0]).toMatchObject({ method: 'POST', body: { seats: 2, answers: { q1: '需要' } } })
    expect(requests[0]?.headers['content-type']).toBe('application/json')
  })

  it('uses the contract’s methods and paths for the resident and staff actions', async () => {
    const { requests } = stubFetch({
      [`DELETE /api/v1/events/1/registrations/${REG_ID}`]: emptyResponse(204),
      [`POST /api/v1/events/1/registrations/${REG_ID}/confirm`]: jsonResponse(200, { registration: registration() }),
      'PATCH /api/v1/events/1': jsonResponse(200, { event: careEvent({ capacity: 40 }) }),
      'POST /api/v1/events/1/cancel': jsonResponse(200, { event: careEvent({ signup_state: 'cancelled' }) }),
      'POST /api/v1/events/1/checkins': jsonResponse(200, {
        checkin: { registration_id: REG_ID, ticket_code: 'K7M2Q9XD', name: '陈阿姨', seats: 1, checked_in_at_ms: 5, by_user_id: 8, client_id: 'c' },
        already: false,
      }),
      'PUT /api/v1/me/village': jsonResponse(200, { village: { id: 1, name: '叠滘村' } }),
      'POST /api/v1/volunteers/me': jsonResponse(201, { volunteer: { user_id: 7, real_name: '陈阿姨', registered_at_ms: 0, total_minutes: 0 } }),
    })
    await eventsApi.cancelRegistration(1, REG_ID)
    await eventsApi.confirmOffer(1, REG_ID)
    await eventsApi.updateCapacity(1, 40)
    await eventsApi.cancelEvent(1, '台风')
    await eventsApi.checkIn(1, { ticket_code: 'K7M2Q9XD', client_id: 'c', scanned_at_ms: 4 })
    await villagesApi.setMyVillage(1)
    await volunteersApi.registerVolunteer('陈阿姨')
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['DELETE', `/api/v1/events/1/registrations/${REG_ID}`, {}],
      ['POST', `/api/v1/events/1/registrations/${REG_ID}/confirm`, {}],
      ['PATCH', '/api/v1/events/1', { capacity: 40 }],
      ['POST', '/api/v1/events/1/cancel', { reason: '台风' }],
      ['POST', '/api/v1/events/1/checkins', { ticket_code: 'K7M2Q9XD', client_id: 'c', scanned_at_ms: 4 }],
      ['PUT', '/api/v1/me/village', { village_id: 1 }],
      ['POST', '/api/v1/volunteers/me', { real_name: '陈阿姨' }],
    ])
  })

  it('builds the links the pages use', () => {
    expect(eventsApi.eventIcsUrl(12)).toBe('/api/v1/events/12/event.ics')
    expect(eventsApi.ticketQrUrl(12, 'ticketaaaaaaaaaaaab2')).toBe('/api/v1/events/12/registrations/ticketaaaaaaaaaaaab2/qr.svg')
    expect(volunteersApi.CERTIFICATE_URL).toBe('/api/v1/volunteers/me/certificate.html')
  })
})
