/** Sample events API bodies, shaped as docs/api-events.md describes them. */
import type { CareEvent, MyRegistration, Registration } from '@/api/events'

export const HOUR = 3_600_000

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
/** A registration id shaped as the server makes them (20 base32 characters); `regId(9)` is the samples' default. */
export function regId(n: number): string {
  return `ticket${'a'.repeat(12)}${BASE32[(n >> 5) & 31]}${BASE32[n & 31]}`
}
export const REG_ID = regId(9)
/** A fixed "now" for tests that need one. */
export const NOW = Date.UTC(2026, 10, 28, 2, 0, 0)

export const venue = { id: 1, name: '关爱桂城企业创享家', address: '桂城街道南海大道 1 号', map_url: 'https://map.example/1' }

export function careEvent(extra: Partial<CareEvent> = {}): CareEvent {
  return {
    id: 1,
    org_id: 3,
    org_name: '博睿社工',
    organiser: '博睿社工',
    title: '长者智能手机课堂',
    description: '教长者用手机挂号、视频通话。',
    cover_url: '',
    type: 'elderly',
    venue,
    starts_at_ms: NOW + 2 * HOUR,
    ends_at_ms: NOW + 4 * HOUR,
    signup_opens_at_ms: NOW - HOUR,
    signup_closes_at_ms: NOW + HOUR,
    capacity: 30,
    confirmed: 3,
    waitlisted: 0,
    remaining: 27,
    audience: 'everyone',
    villages: [],
    per_person_limit: 2,
    questions: [{ id: 'q1', label: '是否需要工作人员协助?', kind: 'choice', options: ['需要', '不需要'], required: true }],
    records_hours: false,
    volunteer_minutes: 0,
    confirm_within_hours: 0,
    status: 'published',
    cancel_reason: null,
    signup_state: 'open',
    created_at_ms: NOW - 24 * HOUR,
    ...extra,
  }
}

export function registration(extra: Partial<Registration> = {}): Registration {
  return {
    id: REG_ID,
    event_id: 1,
    user_id: 7,
    name: '陈阿姨',
    seats: 1,
    status: 'confirmed',
    position: null,
    ticket_code: 'K7M2Q9XD',
    answers: { q1: '需要' },
    offer_expires_at_ms: null,
    checked_in_at_ms: null,
    created_at_ms: NOW - HOUR,
    updated_at_ms: NOW - HOUR,
    ...extra,
  }
}

export function myRegistration(extra: Partial<Registration> = {}, event: Partial<CareEvent> = {}): MyRegistration {
  const reg = registration(extra)
  return { ...reg, event: careEvent({ id: reg.event_id, ...event }) }
}

export const villages = [
  { id: 1, name: '叠滘村', kind: 'village', rural: true, created_at_ms: 0 },
  { id: 2, name: '夏北社区', kind: 'community', rural: false, created_at_ms: 0 },
]

export const staffUser = {
  id: 8,
  display_name: '博睿社工·李社工',
  phone: '13800000002',
  email: null,
  roles: [{ role: 'org_staff', org_id: 3, org_name: '博睿社工', village_id: null, village_name: null }],
  created_at_ms: 0,
} as const

export const residentUser = {
  id: 7,
  display_name: '陈阿姨',
  phone: '13800000001',
  email: null,
  roles: [{ role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null }],
  created_at_ms: 0,
} as const

export const meta = (features: string[]) => ({ name: '关爱城市', version: '0.1.0', consent_version: '1', public_origin: '', features })
