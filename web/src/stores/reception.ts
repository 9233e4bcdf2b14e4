/**
 * 党员接待室 for the member on duty: my rooms (on duty or managed), the recent visits of my rooms by
 * calendar month, one visit (resolve / reopen, the one-step referral), recording a visit, and the
 * services that cover a visit's village. Pure rules exported for the pages and tests:
 * `chinaWeekday` / `chinaMonth` / `shiftMonth` / `monthSteps` (the subdistrict's time zone, China
 * time, whatever the phone's zone: `time/zone.ts`),
 * `buildVisitInput` (the request from the form — no name or phone without consent) and
 * `openingKey` (one Idempotency-Key per opening of the referral sheet). Managers' side:
 * `receptionAdmin`.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as casework from '@/api/casework'
import * as api from '@/api/reception'
import { fromZonedDate, fromZonedInput, toZonedDate, toZonedInput, wallClock, zonedDayAt } from '@/time/zone'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { newIdempotencyKey } from './donation'
import { ok, type Result } from './result'

export type { CaseworkService } from '@/api/casework'
export type { DutyEntry, Referral, ReferralStatus, Resident, Room, Visit, VisitCategory, VisitInput } from '@/api/reception'

export const DAY_MS = 24 * 3600 * 1000
/** How far back a visit may be recorded. */
export const MAX_BACKDATE_DAYS = 31

/** The weekday (0 = Sunday … 6 = Saturday) of `ms` in the subdistrict's time zone. */
export function chinaWeekday(ms: number): number {
  return wallClock(ms).weekday
}

/** The calendar month of `ms` in the subdistrict's time zone, as `YYYY-MM`. */
export function chinaMonth(ms: number): string {
  return toZonedDate(ms).slice(0, 7)
}

/** `YYYY-MM` moved by `delta` months (`2026-01`, −1 → `2025-12`). */
export function shiftMonth(month: string, delta: number): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month)
  if (match === null) {
    return month
  }
  const index = Number(match[1]) * 12 + Number(match[2]) - 1 + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** The month switcher's steps from `month`: the month before, and the month after unless that passes `max` (this month). */
export function monthSteps(month: string, max: string): { previous: string; next: string | null } {
  const next = shiftMonth(month, 1)
  return { previous: shiftMonth(month, -1), next: next <= max ? next : null }
}

export interface VisitForm {
  room_id: number | null
  category: api.VisitCategory | ''
  summary: string
  action_taken: string
  /** `datetime-local`; equal to `openedAt` means "now" (the server's clock decides). */
  visitedAt: string
  openedAt: string
  /** `YYYY-MM-DD` or ''. */
  followUp: string
  consent: boolean
  name: string
  phone: string
}

export type VisitField = 'room_id' | 'category' | 'summary' | 'visited_at_ms' | 'follow_up_ms' | 'resident.name' | 'resident.phone'
export type VisitProblem = 'required' | 'invalid_date' | 'future' | 'too_old' | 'before_visit' | 'invalid_phone'

/** A mainland mobile number, as the server takes it. */
export const MOBILE = /^1[3-9]\d{9}$/

export function blankVisitForm(nowMs: number, roomId: number | null): VisitForm {
  const now = toZonedInput(nowMs)
  return { room_id: roomId, category: '', summary: '', action_taken: '', visitedAt: now, openedAt: now, followUp: '', consent: false, name: '', phone: '' }
}

/**
 * The visit request from the form, or each field's problem (named by the server's fields). The
 * resident's name and phone are sent only with consent — without it the request carries neither,
 * whatever was typed. A follow-up date on the visit's own day is the visit's time.
 */
export function buildVisitInput(form: VisitForm, nowMs: number): { input: api.VisitInput } | { problems: Partial<Record<VisitField, VisitProblem>> } {
  const problems: Partial<Record<VisitField, VisitProblem>> = {}
  if (form.room_id === null) {
    problems.room_id = 'required'
  }
  if (form.category === '') {
    problems.category = 'required'
  }
  if (form.summary.trim() === '') {
    problems.summary = 'required'
  }
  let visitedMs: number | undefined
  if (form.visitedAt !== form.openedAt) {
    const parsed = fromZonedInput(form.visitedAt)
    if (parsed === null) {
      problems.visited_at_ms = form.visitedAt.trim() === '' ? 'required' : 'invalid_date'
    } else if (parsed > nowMs) {
      problems.visited_at_ms = 'future'
    } else if (parsed < nowMs - MAX_BACKDATE_DAYS * DAY_MS) {
      problems.visited_at_ms = 'too_old'
    } else {
      visitedMs = parsed
    }
  }
  let followMs: number | undefined
  if (form.followUp.trim() !== '') {
    const day = fromZonedDate(form.followUp)
    const visit = visitedMs ?? nowMs
    if (day === null) {
      problems.follow_up_ms = 'invalid_date'
    } else if (zonedDayAt(day, 1) <= visit) {
      problems.follow_up_ms = 'before_visit'
    } else {
      followMs = Math.max(day, visit)
    }
  }
  let resident: api.Resident | undefined
  if (form.consent) {
    const name = form.name.trim()
    const phone = form.phone.replace(/\s+/g, '')
    if (name === '') {
      problems['resident.name'] = 'required'
    }
    if (phone === '') {
      problems['resident.phone'] = 'required'
    } else if (!MOBILE.test(phone)) {
      problems['resident.phone'] = 'invalid_phone'
    }
    resident = { name, phone }
  }
  if (Object.keys(problems).length > 0 || form.room_id === null || form.category === '') {
    return { problems }
  }
  const input: api.VisitInput = {
    room_id: form.room_id,
    category: form.category,
    summary: form.summary.trim(),
    action_taken: form.action_taken.trim(),
    consent: { name_phone: form.consent },
  }
  if (visitedMs !== undefined) {
    input.visited_at_ms = visitedMs
  }
  if (followMs !== undefined) {
    input.follow_up_ms = followMs
  }
  if (resident !== undefined) {
    input.resident = resident
  }
  return { input }
}

/**
 * One Idempotency-Key per opening of the referral sheet: `open()` makes a new one, `key()` gives
 * the current one (made on first use), so a double tap or a retry while the sheet stays open
 * sends the same key and never makes two applications.
 */
export function openingKey(make: () => string = newIdempotencyKey) {
  let current: string | null = null
  return {
    open(): string {
      current = make()
      return current
    },
    key(): string {
      current ??= make()
      return current
    },
  }
}

/** Whether a visit waits for a follow-up: a follow-up date set and not resolved. */
export function awaitsFollowUp(visit: Pick<api.Visit, 'follow_up_ms' | 'resolved'>): boolean {
  return visit.follow_up_ms !== null && !visit.resolved
}

/** My rooms: where I am on duty or which I manage. */
export function myRooms(rooms: readonly api.Room[]): api.Room[] {
  return rooms.filter((r) => r.on_duty || r.manage)
}

export const useReceptionStore = defineStore('reception', () => {
  const auth = useAuthStore()
  const rooms = ref<api.Room[]>([])
  const visits = ref<api.Visit[]>([])
  /** The month `visits` is of. */
  const month = ref('')
  const visit = ref<api.Visit | null>(null)
  /** Services covering the open visit's village. */
  const services = ref<casework.CaseworkService[]>([])

  watch(
    () => auth.user?.id ?? null,
    () => {
      rooms.value = []
      visits.value = []
      month.value = ''
      visit.value = null
      services.value = []
    },
  )

  const loadRooms = () => readInto(() => api.listRooms(), (v) => (rooms.value = myRooms(v.rooms)))

  /** The visits of my rooms (and those I recorded) in a China calendar month. */
  async function loadVisits(forMonth: string): Promise<Result> {
    if (month.value !== forMonth) {
      visits.value = []
    }
    month.value = forMonth
    return readInto(
      () => api.listVisits({ month: forMonth }),
      (v) => {
        if (month.value === forMonth) {
          visits.value = v.visits
        }
      },
    )
  }

  function replaceVisit(next: api.Visit): void {
    visit.value = next
    visits.value = visits.value.map((v) => (v.id === next.id ? next : v))
  }

  async function loadVisit(id: string): Promise<Result> {
    if (visit.value?.id !== id) {
      visit.value = null
      services.value = []
    }
    return readInto(() => api.getVisit(id), (v) => (visit.value = v.visit))
  }

  async function createVisit(input: api.VisitInput): Promise<Result<api.Visit>> {
    const result = await attemptSignedIn(() => api.createVisit(input))
    if (!result.ok) {
      return result
    }
    const created = result.value.visit
    visit.value = created
    if (month.value === chinaMonth(created.visited_at_ms)) {
      visits.value = [created, ...visits.value.filter((v) => v.id !== created.id)]
    }
    return ok(created)
  }

  async function resolve(id: string, resolved: boolean): Promise<Result> {
    return readInto(() => api.resolveVisit(id, resolved), (v) => replaceVisit(v.visit))
  }

  const loadServices = (villageId: number) => readInto(() => casework.listServices({ village_id: villageId }), (v) => (services.value = v.services))

  async function refer(id: string, input: api.ReferInput, idempotencyKey: string): Promise<Result<number>> {
    const result = await attemptSignedIn(() => api.referVisit(id, input, idempotencyKey))
    if (!result.ok) {
      return result
    }
    replaceVisit(result.value.visit)
    return ok(result.value.application_id)
  }

  return { rooms, visits, month, visit, services, loadRooms, loadVisits, loadVisit, createVisit, resolve, loadServices, refer }
})
