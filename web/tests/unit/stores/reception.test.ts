import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Room, Visit } from '@/api/reception'
import {
  awaitsFollowUp,
  blankVisitForm,
  buildVisitInput,
  chinaMonth,
  chinaWeekday,
  DAY_MS,
  myRooms,
  openingKey,
  monthSteps,
  shiftMonth,
  useReceptionStore,
  type VisitForm,
} from '@/stores/reception'
import { buildDutySlots, rosterByWeekday, WEEKDAY_ORDER } from '@/stores/receptionAdmin'
import { toZonedInput } from '@/time/zone'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

/** 2026-11-30 23:30 UTC = Tuesday 2026-12-01 07:30 in China. */
const LATE_NOVEMBER_UTC = Date.UTC(2026, 10, 30, 23, 30)
const NOW = Date.UTC(2026, 10, 20, 2, 0)

const visit = (overrides: Partial<Visit> = {}): Visit => ({
  id: 'k3Jaaaaaaaaaaaaaaaaa',
  room_id: 1,
  room_name: '叠滘村党员接待室',
  village_id: 3,
  village_name: '叠滘村',
  recorded_by: { user_id: 21, name: '陈阿姨' },
  visited_at_ms: NOW,
  category: 'elderly',
  summary: '独居老人希望有人定期上门探访',
  action_taken: '',
  follow_up_ms: null,
  consent: { name_phone: true },
  resident: { name: '黄伯', phone: '13912340000' },
  resident_visible: true,
  resolved: false,
  referral: null,
  can_refer: true,
  created_at_ms: NOW,
  ...overrides,
})

const room = (overrides: Partial<Room> = {}): Room => ({
  id: 1,
  village_id: 3,
  village_name: '叠滘村',
  name: '叠滘村党员接待室',
  address: '',
  opening_hours: '',
  duty: [],
  manage: false,
  on_duty: false,
  created_at_ms: NOW,
  ...overrides,
})

describe('China time', () => {
  it('gives the weekday and month in China whatever the UTC day', () => {
    expect(new Date(LATE_NOVEMBER_UTC).getUTCDay()).toBe(1)
    expect(chinaWeekday(LATE_NOVEMBER_UTC)).toBe(2)
    expect(chinaMonth(LATE_NOVEMBER_UTC)).toBe('2026-12')
    expect(chinaMonth(Date.UTC(2026, 10, 30, 15, 59))).toBe('2026-11')
    // Sunday is 0, as the server's roster counts.
    expect(chinaWeekday(Date.UTC(2026, 10, 29, 4))).toBe(0)
  })

  it('moves months across years; the switcher never goes past this month', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(shiftMonth('2025-12', 1)).toBe('2026-01')
    expect(shiftMonth('2026-11', -13)).toBe('2025-10')
    expect(monthSteps('2026-12', '2026-12')).toEqual({ previous: '2026-11', next: null })
    expect(monthSteps('2025-12', '2026-12')).toEqual({ previous: '2025-11', next: '2026-01' })
  })
})

describe('buildVisitInput', () => {
  const form = (overrides: Partial<VisitForm> = {}): VisitForm => ({
    ...blankVisitForm(NOW, 1),
    category: 'elderly',
    summary: ' 独居老人希望有人定期上门探访 ',
    action_taken: ' 联系了网格员 ',
    ...overrides,
  })

  it('sends neither name nor phone when the resident did not agree, whatever was typed', () => {
    const built = buildVisitInput(form({ consent: false, name: '黄伯', phone: '13912340000' }), NOW)
    expect(built).toEqual({ input: { room_id: 1, category: 'elderly', summary: '独居老人希望有人定期上门探访', action_taken: '联系了网格员', consent: { name_phone: false } } })
    expect('input' in built && 'resident' in built.input).toBe(false)
  })

  it('sends the resident with consent, and names a missing or wrong phone by the server’s field', () => {
    expect(buildVisitInput(form({ consent: true, name: ' 黄伯 ', phone: '139 1234 0000' }), NOW)).toMatchObject({
      input: { consent: { name_phone: true }, resident: { name: '黄伯', phone: '13912340000' } },
    })
    expect(buildVisitInput(form({ consent: true, name: '', phone: '12345' }), NOW)).toEqual({ problems: { 'resident.name': 'required', 'resident.phone': 'invalid_phone' } })
  })

  it('leaves the time to the server when it was not changed, and takes a time up to 31 days back', () => {
    const built = buildVisitInput(form(), NOW + 60_000)
    expect('input' in built && !('visited_at_ms' in built.input)).toBe(true)
    const earlier = NOW - 3 * DAY_MS
    expect(buildVisitInput(form({ visitedAt: toZonedInput(earlier) }), NOW)).toMatchObject({ input: { visited_at_ms: Math.floor(earlier / 60_000) * 60_000 } })
    expect(buildVisitInput(form({ visitedAt: toZonedInput(NOW - 32 * DAY_MS) }), NOW)).toEqual({ problems: { visited_at_ms: 'too_old' } })
    expect(buildVisitInput(form({ visitedAt: toZonedInput(NOW + 2 * 3600_000) }), NOW)).toEqual({ problems: { visited_at_ms: 'future' } })
  })

  it('requires the room, the category and the summary; a follow-up is not before the visit', () => {
    expect(buildVisitInput(form({ room_id: null, category: '', summary: '  ' }), NOW)).toEqual({ problems: { room_id: 'required', category: 'required', summary: 'required' } })
    const visitMs = NOW - 2 * DAY_MS
    const visitDay = toZonedInput(visitMs).slice(0, 10)
    const dayBefore = toZonedInput(visitMs - DAY_MS).slice(0, 10)
    expect(buildVisitInput(form({ visitedAt: toZonedInput(visitMs), followUp: dayBefore }), NOW)).toEqual({ problems: { follow_up_ms: 'before_visit' } })
    const sameDay = buildVisitInput(form({ visitedAt: toZonedInput(visitMs), followUp: visitDay }), NOW)
    expect('input' in sameDay && sameDay.input.follow_up_ms! >= sameDay.input.visited_at_ms!).toBe(true)
  })
})

describe('openingKey', () => {
  it('keeps one key for the whole opening, and makes a new one when opened again', () => {
    let n = 0
    const keys = openingKey(() => `key-${++n}`)
    const first = keys.open()
    expect(keys.key()).toBe(first)
    expect(keys.key()).toBe(first)
    const second = keys.open()
    expect(second).not.toBe(first)
    expect(keys.key()).toBe(second)
  })
})

describe('visits and rooms', () => {
  it('awaits a follow-up only while not resolved', () => {
    expect(awaitsFollowUp({ follow_up_ms: NOW, resolved: false })).toBe(true)
    expect(awaitsFollowUp({ follow_up_ms: NOW, resolved: true })).toBe(false)
    expect(awaitsFollowUp({ follow_up_ms: null, resolved: false })).toBe(false)
  })

  it('keeps the rooms I am on duty in or manage', () => {
    expect(myRooms([room({ id: 1, on_duty: true }), room({ id: 2 }), room({ id: 3, manage: true })]).map((r) => r.id)).toEqual([1, 3])
  })
})

describe('duty roster', () => {
  it('reads the roster by weekday, Monday first, and writes it back in week order', () => {
    const roster = rosterByWeekday([
      { user_id: 21, weekday: 0 },
      { user_id: 21, weekday: 1 },
      { user_id: 22, weekday: 1 },
      { user_id: 22, weekday: 1 },
    ])
    expect(WEEKDAY_ORDER).toEqual([1, 2, 3, 4, 5, 6, 0])
    expect(roster[1]).toEqual([21, 22])
    expect(roster[3]).toEqual([])
    expect(buildDutySlots(roster)).toEqual([
      { user_id: 21, weekday: 1 },
      { user_id: 22, weekday: 1 },
      { user_id: 21, weekday: 0 },
    ])
  })
})

describe('useReceptionStore', () => {
  it('refers with the Idempotency-Key given, and shows the visit as answered', async () => {
    const referred = visit({ can_refer: false, referral: { application_id: 12, referred_at_ms: NOW, status: 'submitted', outcome: null, org_name: '博睿社工' } })
    const { requests } = stubFetch({ 'POST /api/v1/reception/visits/k3Jaaaaaaaaaaaaaaaaa/refer': jsonResponse(201, { application_id: 12, visit: referred }) })
    const store = useReceptionStore()
    store.visit = visit()
    const result = await store.refer('k3Jaaaaaaaaaaaaaaaaa', { service_id: 4, consent: true }, 'the-key')
    expect(result).toEqual({ ok: true, value: 12 })
    expect(requests[0]!.headers['idempotency-key']).toBe('the-key')
    expect(requests[0]!.body).toEqual({ service_id: 4, consent: true })
    expect(store.visit?.referral?.status).toBe('submitted')
  })

  it('returns the server’s refusal with its field', async () => {
    stubFetch({ 'POST /api/v1/reception/visits': errorResponse(400, 'invalid_phone', '请填写正确的手机号', 'resident.phone') })
    const result = await useReceptionStore().createVisit({ room_id: 1, category: 'other', summary: 'x', action_taken: '', consent: { name_phone: true }, resident: { name: '黄伯', phone: '1' } })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.field).toBe('resident.phone')
  })

  it('reads my rooms and the month’s visits', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/reception/rooms': jsonResponse(200, { rooms: [room({ on_duty: true }), room({ id: 2 })] }),
      'GET /api/v1/reception/visits': jsonResponse(200, { visits: [visit()] }),
    })
    const store = useReceptionStore()
    await store.loadRooms()
    await store.loadVisits('2026-11')
    expect(store.rooms.map((r) => r.id)).toEqual([1])
    expect(requests[1]!.url).toContain('month=2026-11')
    expect(store.visits).toHaveLength(1)
  })
})
