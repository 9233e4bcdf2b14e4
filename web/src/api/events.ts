/**
 * `/api/v1/events*`, `/api/v1/venues`, `/api/v1/me/registrations`, `/api/v1/orgs/{id}/events/stats`:
 * 活动报名 — the public list and detail, residents' registrations and tickets, and what an
 * organisation's staff do (create, capacity, cancel, attendance, check-in). Contract:
 * docs/api-events.md. Times are UTC epoch ms. One function per endpoint.
 */
import { http } from './client'
import type { VillageRef } from './types'

export type EventType = 'community' | 'volunteer' | 'culture' | 'health' | 'elderly' | 'youth' | 'family' | 'training' | 'other'

export const EVENT_TYPES: readonly EventType[] = [
  'community',
  'volunteer',
  'culture',
  'health',
  'elderly',
  'youth',
  'family',
  'training',
  'other',
]

/** Who may sign up: everyone, residents of `villages`, or registered volunteers. */
export type Audience = 'everyone' | 'villages' | 'volunteers'

export const AUDIENCES: readonly Audience[] = ['everyone', 'villages', 'volunteers']

export type SignupState = 'not_open' | 'open' | 'closed' | 'cancelled'

export type EventStatus = 'published' | 'cancelled' | (string & {})

export interface Venue {
  id: number
  name: string
  address: string
  map_url: string
}

export type QuestionKind = 'text' | 'choice'

export interface Question {
  id: string
  label: string
  kind: QuestionKind
  /** Choices for `choice`; empty for `text`. */
  options: string[]
  required: boolean
}

export interface CareEvent {
  id: number
  org_id: number
  org_name: string
  organiser: string
  title: string
  description: string
  cover_url: string
  type: EventType
  venue: Venue
  starts_at_ms: number
  ends_at_ms: number
  signup_opens_at_ms: number
  signup_closes_at_ms: number
  /** Seats, not registrations: a group of 3 counts 3. */
  capacity: number
  confirmed: number
  waitlisted: number
  /** capacity − confirmed (offered seats are held, so they count as confirmed). */
  remaining: number
  audience: Audience
  villages: VillageRef[]
  per_person_limit: number
  questions: Question[]
  records_hours: boolean
  volunteer_minutes: number
  /** 0: a freed seat goes straight to the next in line; N: they must confirm within N hours. */
  confirm_within_hours: number
  status: EventStatus
  cancel_reason: string | null
  signup_state: SignupState
  created_at_ms: number
}

export type RegistrationStatus = 'confirmed' | 'waitlisted' | 'offered' | 'cancelled' | 'expired'

/** A registration's id in URLs and JSON: 20 unguessable base32 characters (never a sequence). */
export type RegistrationId = string

export interface Registration {
  id: RegistrationId
  event_id: number
  user_id: number
  /** Masked ("陈**") for everyone but the registrant and the event's staff. */
  name: string
  seats: number
  status: RegistrationStatus
  /** 1-based place on the waitlist, only while `waitlisted`. */
  position: number | null
  /** 8 characters, only while `confirmed`; the ticket QR encodes exactly this string. */
  ticket_code: string | null
  answers: Record<string, string>
  offer_expires_at_ms: number | null
  checked_in_at_ms: number | null
  created_at_ms: number
  updated_at_ms: number
}

/** One of my registrations with its event (`GET /me/registrations`). */
export interface MyRegistration extends Registration {
  event: CareEvent
}

export interface EventQuery {
  from_ms?: number
  to_ms?: number
  type?: EventType
  village_id?: number
  org_id?: number
}

export interface EventsPage {
  events: CareEvent[]
  next_cursor: string | null
}

export interface EventDetail {
  event: CareEvent
  /** Present (possibly null) only when signed in. */
  my_registration?: Registration | null
}

export interface RegisterRequest {
  seats: number
  answers: Record<string, string>
}

export interface NewVenue {
  name: string
  address: string
  map_url?: string
}

export interface NewQuestion {
  id: string
  label: string
  kind: QuestionKind
  options: string[]
  required: boolean
}

export interface CreateEventRequest {
  org_id: number
  title: string
  description?: string
  cover_url?: string
  type: EventType
  organiser?: string
  /** Either an existing venue's id or a new venue. */
  venue_id?: number
  venue?: NewVenue
  starts_at_ms: number
  ends_at_ms: number
  capacity: number
  signup_opens_at_ms: number
  signup_closes_at_ms: number
  audience?: Audience
  village_ids?: number[]
  per_person_limit?: number
  questions?: NewQuestion[]
  records_hours?: boolean
  volunteer_minutes?: number
  confirm_within_hours?: number
}

export interface Attendance {
  event: CareEvent
  /** All statuses, names unmasked, ticket codes included. */
  registrations: Registration[]
}

export interface CheckinRequest {
  ticket_code: string
  /** Unique per scan on this device, so an offline replay is recognisable. */
  client_id?: string
  /** When the scan happened (offline scans are synced later). */
  scanned_at_ms?: number
}

export interface Checkin {
  registration_id: RegistrationId
  ticket_code: string
  name: string
  seats: number
  checked_in_at_ms: number
  by_user_id: number
  client_id: string | null
}

export interface CheckinResponse {
  checkin: Checkin
  /** True when the ticket had been checked in before; `checked_in_at_ms` is that first time. */
  already: boolean
}

export interface EventStats {
  registrations: number
  seats_confirmed: number
  seats_waitlisted: number
  checked_in: number
  checked_in_seats: number
  no_shows: number
  /** Checked-in ÷ confirmed registrations, 0..1. */
  attendance_rate: number
}

export interface OrgEventStats {
  event_id: number
  title: string
  starts_at_ms: number
  capacity: number
  seats_confirmed: number
  checked_in: number
  no_shows: number
  attendance_rate: number
}

const enc = (value: string | number) => encodeURIComponent(String(value))

/** Path (under the site root) of an event's calendar file; a plain link downloads it. */
export function eventIcsUrl(eventId: number): string {
  return `/api/v1/events/${enc(eventId)}/event.ics`
}

/** Path of a confirmed registration's ticket QR (SVG), for an `<img src>` (owner or staff). */
export function ticketQrUrl(eventId: number, registrationId: RegistrationId): string {
  return `/api/v1/events/${enc(eventId)}/registrations/${enc(registrationId)}/qr.svg`
}

/** Default: events not yet ended, soonest first. Pass the previous page's `next_cursor` to continue. */
export function listEvents(query: EventQuery, cursor: string | null, limit: number): Promise<EventsPage> {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value))
    }
  }
  if (cursor !== null) {
    params.set('cursor', cursor)
  }
  params.set('limit', String(limit))
  return http.get<EventsPage>(`/events?${params.toString()}`)
}

/** 404 `event_not_found`. */
export function getEvent(id: number): Promise<EventDetail> {
  return http.get<EventDetail>(`/events/${enc(id)}`)
}

export function listVenues(): Promise<{ venues: Venue[] }> {
  return http.get<{ venues: Venue[] }>('/venues')
}

/**
 * 201 `confirmed` (with a ticket) or `waitlisted` (with a position). 400 `out_of_range` (seats),
 * `answer_required`, `invalid_choice` (field `answers.<id>`); 403 `audience_villages`,
 * `audience_volunteers`; 409 `already_registered`, `signup_not_open`, `signup_closed`,
 * `event_cancelled`; 422 `village_required`.
 */
export function register(eventId: number, body: RegisterRequest): Promise<{ registration: Registration }> {
  return http.post<{ registration: Registration }>(`/events/${enc(eventId)}/registrations`, body)
}

/** 204; 404 `registration_not_found` (also anyone else's); 409 `event_started`, `registration_not_active`, `already_checked_in`. */
export function cancelRegistration(eventId: number, registrationId: RegistrationId): Promise<void> {
  return http.delete<void>(`/events/${enc(eventId)}/registrations/${enc(registrationId)}`)
}

/** An `offered` seat becomes `confirmed`. 409 `offer_expired`, `registration_not_offered`. */
export function confirmOffer(eventId: number, registrationId: RegistrationId): Promise<{ registration: Registration }> {
  return http.post<{ registration: Registration }>(`/events/${enc(eventId)}/registrations/${enc(registrationId)}/confirm`)
}

/** Upcoming first, then past. Login required. */
export function listMyRegistrations(): Promise<{ registrations: MyRegistration[] }> {
  return http.get<{ registrations: MyRegistration[] }>('/me/registrations')
}

/**
 * 201. 400 `invalid_time_range`, `invalid_signup_window`, `out_of_range`, `invalid_value`,
 * `villages_required`, `invalid_question`; 403 not staff of `org_id`; 404 `venue_not_found`,
 * `village_not_found`.
 */
export function createEvent(body: CreateEventRequest): Promise<{ event: CareEvent }> {
  return http.post<{ event: CareEvent }>('/events', body)
}

/** Raising it promotes the waitlist; 409 `capacity_below_confirmed`. */
export function updateCapacity(eventId: number, capacity: number): Promise<{ event: CareEvent }> {
  return http.patch<{ event: CareEvent }>(`/events/${enc(eventId)}`, { capacity })
}

/** Every active registrant is notified. */
export function cancelEvent(eventId: number, reason: string): Promise<{ event: CareEvent }> {
  return http.post<{ event: CareEvent }>(`/events/${enc(eventId)}/cancel`, { reason })
}

export function getAttendance(eventId: number): Promise<Attendance> {
  return http.get<Attendance>(`/events/${enc(eventId)}/attendance`)
}

/**
 * Idempotent per ticket: a repeat answers `already: true` with the first time. 404
 * `ticket_not_found`; 409 `ticket_not_valid`, `checkin_not_open`, `event_cancelled`.
 */
export function checkIn(eventId: number, body: CheckinRequest): Promise<CheckinResponse> {
  return http.post<CheckinResponse>(`/events/${enc(eventId)}/checkins`, body)
}

export function getStats(eventId: number): Promise<EventStats> {
  return http.get<EventStats>(`/events/${enc(eventId)}/stats`)
}

export function getOrgEventStats(orgId: number): Promise<{ events: OrgEventStats[] }> {
  return http.get<{ events: OrgEventStats[] }>(`/orgs/${enc(orgId)}/events/stats`)
}
