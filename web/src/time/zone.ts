/**
 * The subdistrict's time zone and every conversion between instants (epoch ms) and what people
 * read or type: times are shown, and `date` / `datetime-local` inputs are read, as wall-clock time
 * in the zone the server publishes in `GET /meta` `time_zone` (default `Asia/Shanghai`), whatever
 * zone the phone or browser is set to. Never use `Date`'s local getters or `toLocale*` for this.
 *
 * The zone is a Vue ref, so a page rendered before `/meta` answered re-renders when it is set.
 * Pure otherwise: no DOM, no HTTP.
 */
import { shallowRef } from 'vue'

/** The zone of 桂城街道, and of any server that does not say. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

const current = shallowRef(DEFAULT_TIME_ZONE)

/** Whether `name` is an IANA zone this browser knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** The zone times are shown and read in. */
export function timeZone(): string {
  return current.value
}

/**
 * Sets the zone (from `GET /meta` at startup); a missing, empty or unknown name sets the default.
 * Returns the zone now in use.
 */
export function setTimeZone(name: string | null | undefined): string {
  current.value = typeof name === 'string' && name !== '' && isTimeZone(name) ? name : DEFAULT_TIME_ZONE
  return current.value
}

const formats = new Map<string, Intl.DateTimeFormat>()

/** One cached `Intl.DateTimeFormat` per locale, options and zone. */
function formatter(locale: string, options: Intl.DateTimeFormatOptions, zone: string): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`
  let format = formats.get(key)
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone })
    formats.set(key, format)
  }
  return format
}

/** `ms` formatted with `options` in the zone (the zone is always the subdistrict's unless given). */
export function formatInZone(ms: number, locale: string, options: Intl.DateTimeFormatOptions, zone = timeZone()): string {
  return formatter(locale, options, zone).format(new Date(ms))
}

/** The option sets the app shows times with. */
export const DATE_STYLE = {
  /** "14:00" */
  clock: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  /** "11月28日周五" / "Fri, November 28" */
  dayWithWeekday: { month: 'long', day: 'numeric', weekday: 'short' },
  /** "2026/11/28" */
  date: { year: 'numeric', month: '2-digit', day: '2-digit' },
  /** "2026年11月28日" / "November 28, 2026" */
  longDate: { year: 'numeric', month: 'long', day: 'numeric' },
  /** "2026年11月" / "November 2026" */
  month: { year: 'numeric', month: 'long' },
  /** "2026/3/1": no padding */
  numericDate: { year: 'numeric', month: 'numeric', day: 'numeric' },
  /** "2026/11/28 14:00" (the UI language's clock: "02:00 PM" in English) */
  dateTime: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
  /** "11/28 14:00" */
  monthDayTime: { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
  /** "2026/3/1 14:00" */
  numericDateTime: { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>

/** A wall-clock reading in a zone; `month` 1–12, `weekday` 0 (Sunday) – 6. */
export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  weekday: number
}

const PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
}

/** What a clock on the wall in `zone` reads at `ms`. */
export function wallClock(ms: number, zone = timeZone()): WallClock {
  const parts: Record<string, string> = {}
  for (const part of formatter('en-US', PARTS, zone).formatToParts(new Date(ms))) {
    parts[part.type] = part.value
  }
  const year = Number(parts.year)
  const month = Number(parts.month)
  const day = Number(parts.day)
  // Some engines say 24 for midnight even with h23.
  const hour = Number(parts.hour) % 24
  return { year, month, day, hour, minute: Number(parts.minute), second: Number(parts.second), weekday: civilWeekday(year, month, day) }
}

/** The weekday (0 = Sunday) of a calendar date, whatever the zone. */
function civilWeekday(year: number, month: number, day: number): number {
  return new Date(civilUtc(year, month, day, 0, 0)).getUTCDay()
}

/** The instant a wall clock would show in UTC, with `Date.UTC`'s two-digit-year quirk avoided. */
function civilUtc(year: number, month: number, day: number, hour: number, minute: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute))
  d.setUTCFullYear(year, month - 1, day)
  return d.getTime()
}

/** How far `zone`'s wall clock is ahead of UTC at `ms` (+8 h for Shanghai), to the minute. */
export function zoneOffsetMs(ms: number, zone = timeZone()): number {
  const w = wallClock(ms, zone)
  const wallMs = civilUtc(w.year, w.month, w.day, w.hour, w.minute)
  return Math.round((wallMs - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS) * MINUTE_MS
}

/**
 * The instant a wall-clock reading means in `zone`. The offset is read at the naive guess and
 * read once more where that lands, which settles it on both sides of a DST change. A time read
 * twice in the autumn is its first occurrence; one the spring gap skips lands an hour off.
 */
export function fromWallClock(year: number, month: number, day: number, hour = 0, minute = 0, zone = timeZone()): number {
  const naive = civilUtc(year, month, day, hour, minute)
  const first = naive - zoneOffsetMs(naive, zone)
  const offset = zoneOffsetMs(first, zone)
  return naive - offset
}

const pad2 = (n: number) => String(n).padStart(2, '0')
const pad4 = (n: number) => String(n).padStart(4, '0')

/** Whether y-m-d is a real calendar date (no 2 月 30 日). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(civilUtc(year, month, day, 0, 0))
  return month >= 1 && month <= 12 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
}

/** `<input type="datetime-local">` value of `ms` in the zone: "2026-11-28T14:00". */
export function toZonedInput(ms: number, zone = timeZone()): string {
  const w = wallClock(ms, zone)
  return `${pad4(w.year)}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}`
}

/** The instant a `datetime-local` value means as wall-clock time in the zone; null when empty or malformed. */
export function fromZonedInput(value: string, zone = timeZone()): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?$/.exec(value.trim())
  if (match === null) {
    return null
  }
  const [y, mo, d, h, mi] = match.slice(1, 6).map(Number) as [number, number, number, number, number]
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59) {
    return null
  }
  return fromWallClock(y, mo, d, h, mi, zone)
}

/** `<input type="date">` value of the day `ms` falls on in the zone: "2026-11-28". */
export function toZonedDate(ms: number, zone = timeZone()): string {
  return toZonedInput(ms, zone).slice(0, 10)
}

/** Midnight in the zone starting a `YYYY-MM-DD` date; null when empty or not a real date. */
export function fromZonedDate(value: string, zone = timeZone()): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim())
  if (match === null) {
    return null
  }
  const [y, mo, d] = match.slice(1, 4).map(Number) as [number, number, number]
  return isCalendarDate(y, mo, d) ? fromWallClock(y, mo, d, 0, 0, zone) : null
}

/** Midnight in the zone starting the day `ms` falls on. */
export function startOfZonedDay(ms: number, zone = timeZone()): number {
  const w = wallClock(ms, zone)
  return fromWallClock(w.year, w.month, w.day, 0, 0, zone)
}

/**
 * The instant at `hour:minute` in the zone, `days` calendar days after the day `ms` falls on
 * (`days` may be negative; months roll over): "tomorrow at 14:00".
 */
export function zonedDayAt(ms: number, days: number, hour = 0, minute = 0, zone = timeZone()): number {
  const w = wallClock(ms, zone)
  const date = new Date(civilUtc(w.year, w.month, w.day, 0, 0) + days * DAY_MS)
  return fromWallClock(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, zone)
}

/**
 * The `YYYY-MM-DD` date `months` calendar months after the day `ms` falls on in the zone; a day
 * the month lacks rolls over as `Date` does (31 August + 6 months → 3 March).
 */
export function zonedDateAfterMonths(ms: number, months: number, zone = timeZone()): string {
  const w = wallClock(ms, zone)
  const d = new Date(civilUtc(w.year, w.month + months, w.day, 0, 0))
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

/** Midnight in the zone starting the 1st of the month `months` after the one `ms` falls in. */
export function startOfZonedMonth(ms: number, months = 0, zone = timeZone()): number {
  const w = wallClock(ms, zone)
  const index = w.year * 12 + (w.month - 1) + months
  return fromWallClock(Math.floor(index / 12), (index % 12) + 1, 1, 0, 0, zone)
}

/** Whether two instants fall on the same calendar day in the zone. */
export function isSameZonedDay(a: number, b: number, zone = timeZone()): boolean {
  return toZonedDate(a, zone) === toZonedDate(b, zone)
}
