/**
 * 活动: the public list (filtered, loaded page by page through `next_cursor`), one event's detail
 * with my registration, and the resident's actions on it (sign up, cancel, confirm an offered
 * seat). Venues for the staff form are here too: they are public.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as eventsApi from '@/api/events'
import { signedOutOn401 } from './auth'
import { cursorPages } from './cursorPages'
import { attempt, ok, type Result } from './result'

export const EVENTS_PAGE_SIZE = 20

export type {
  Audience,
  CareEvent,
  EventQuery,
  EventType,
  MyRegistration,
  Question,
  Registration,
  RegistrationStatus,
  SignupState,
  Venue,
} from '@/api/events'
export { AUDIENCES, EVENT_TYPES } from '@/api/events'

/** Re-exported for pages, which never import `api/`. */
export const eventIcsUrl = eventsApi.eventIcsUrl
export const ticketQrUrl = eventsApi.ticketQrUrl

/** A registration that still holds (or waits for) seats. */
export function isActiveRegistration(registration: eventsApi.Registration | null | undefined): boolean {
  return registration != null && ['confirmed', 'waitlisted', 'offered'].includes(registration.status)
}

export const useEventsStore = defineStore('events', () => {
  const list = cursorPages(async (filters: eventsApi.EventQuery, cursor) => {
    const page = await eventsApi.listEvents(filters, cursor, EVENTS_PAGE_SIZE)
    return { items: page.events, next_cursor: page.next_cursor }
  })

  const current = ref<eventsApi.CareEvent | null>(null)
  const myRegistration = ref<eventsApi.Registration | null>(null)
  const venues = ref<eventsApi.Venue[]>([])

  /** Loads one event and, when signed in, my registration for it. */
  async function load(id: number): Promise<Result<eventsApi.CareEvent>> {
    if (current.value?.id !== id) {
      current.value = null
      myRegistration.value = null
    }
    const result = await attempt(() => eventsApi.getEvent(id))
    if (!result.ok) {
      return result
    }
    current.value = result.value.event
    myRegistration.value = result.value.my_registration ?? null
    return ok(result.value.event)
  }

  async function register(eventId: number, body: eventsApi.RegisterRequest): Promise<Result<eventsApi.Registration>> {
    const result = signedOutOn401(await attempt(() => eventsApi.register(eventId, body)))
    if (!result.ok) {
      return result
    }
    const registration = result.value.registration
    if (current.value?.id === eventId) {
      myRegistration.value = registration
    }
    // Seat counts changed: a failed reload must not turn the sign-up into an error.
    void load(eventId)
    return ok(registration)
  }

  async function cancelRegistration(eventId: number, registrationId: eventsApi.RegistrationId): Promise<Result> {
    const result = signedOutOn401(await attempt(() => eventsApi.cancelRegistration(eventId, registrationId)))
    if (!result.ok) {
      return result
    }
    if (myRegistration.value?.id === registrationId) {
      myRegistration.value = { ...myRegistration.value, status: 'cancelled', ticket_code: null, position: null }
    }
    void load(eventId)
    return ok()
  }

  async function confirmOffer(eventId: number, registrationId: eventsApi.RegistrationId): Promise<Result<eventsApi.Registration>> {
    const result = signedOutOn401(await attempt(() => eventsApi.confirmOffer(eventId, registrationId)))
    if (!result.ok) {
      return result
    }
    if (myRegistration.value?.id === registrationId) {
      myRegistration.value = result.value.registration
    }
    return ok(result.value.registration)
  }

  async function loadVenues(): Promise<Result> {
    const result = await attempt(eventsApi.listVenues)
    if (!result.ok) {
      return result
    }
    venues.value = result.value.venues
    return ok()
  }

  const { query, items: events, nextCursor, finished, setQuery, loadMore } = list
  return {
    query,
    events,
    nextCursor,
    finished,
    current,
    myRegistration,
    venues,
    setQuery,
    loadMore,
    load,
    register,
    cancelRegistration,
    confirmOffer,
    loadVenues,
  }
})
