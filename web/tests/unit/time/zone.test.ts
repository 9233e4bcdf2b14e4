/**
 * Every expectation is written in UTC (`Date.UTC`, ISO strings with `Z`), so the process's own
 * TZ never matters: the module must give the same answers on a phone set to anything.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  DATE_STYLE,
  DEFAULT_TIME_ZONE,
  formatInZone,
  fromZonedDate,
  fromZonedInput,
  isSameZonedDay,
  setTimeZone,
  startOfZonedDay,
  startOfZonedMonth,
  timeZone,
  toZonedDate,
  toZonedInput,
  wallClock,
  zonedDateAfterMonths,
  zonedDayAt,
  zoneOffsetMs,
} from '@/time/zone'

const SHANGHAI = 'Asia/Shanghai'
const NEW_YORK = 'America/New_York'
const HOUR = 3_600_000
const utc = (iso: string) => Date.parse(iso)

afterEach(() => {
  setTimeZone(undefined)
})

describe('the current zone', () => {
  it('is Asia/Shanghai until meta says otherwise, and falls back to it for a missing or unknown name', () => {
    expect(timeZone()).toBe(DEFAULT_TIME_ZONE)
    expect(DEFAULT_TIME_ZONE).toBe(SHANGHAI)
    expect(setTimeZone(NEW_YORK)).toBe(NEW_YORK)
    expect(timeZone()).toBe(NEW_YORK)
    expect(setTimeZone('Mars/Olympus_Mons')).toBe(SHANGHAI)
    setTimeZone(NEW_YORK)
    expect(setTimeZone('')).toBe(SHANGHAI)
    setTimeZone(NEW_YORK)
    expect(setTimeZone(undefined)).toBe(SHANGHAI)
  })

  it('is what helpers use when no zone is given', () => {
    const ms = utc('2026-11-28T01:00:00Z')
    expect(toZonedInput(ms)).toBe('2026-11-28T09:00')
    setTimeZone(NEW_YORK)
    expect(toZonedInput(ms)).toBe('2026-11-27T20:00')
  })
})

describe('Asia/Shanghai (UTC+8 all year)', () => {
  it('shows the demo 义工日 at 09:00, not the UTC 01:00', () => {
    const ms = utc('2026-11-28T01:00:00Z')
    expect(formatInZone(ms, 'zh-CN', DATE_STYLE.clock, SHANGHAI)).toBe('09:00')
    expect(formatInZone(ms, 'zh-CN', DATE_STYLE.dayWithWeekday, SHANGHAI)).toBe('11月28日周六')
    expect(formatInZone(ms, 'en', DATE_STYLE.dayWithWeekday, SHANGHAI)).toBe('Sat, November 28')
    expect(formatInZone(ms, 'zh-CN', DATE_STYLE.longDate, SHANGHAI)).toBe('2026年11月28日')
    expect(formatInZone(ms, 'zh-CN', DATE_STYLE.dateTime, SHANGHAI)).toBe('2026/11/28 09:00')
  })

  it('reads the wall clock, offset and weekday', () => {
    const ms = utc('2026-12-31T16:30:00Z')
    expect(wallClock(ms, SHANGHAI)).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 30, second: 0, weekday: 5 })
    expect(zoneOffsetMs(ms, SHANGHAI)).toBe(8 * HOUR)
  })

  it('round-trips datetime-local and date values', () => {
    expect(fromZonedInput('2026-11-28T09:00', SHANGHAI)).toBe(utc('2026-11-28T01:00:00Z'))
    expect(toZonedInput(utc('2026-11-28T01:00:00Z'), SHANGHAI)).toBe('2026-11-28T09:00')
    expect(fromZonedInput('2027-01-01T00:05', SHANGHAI)).toBe(utc('2026-12-31T16:05:00Z'))
    for (const value of ['2026-01-05T09:07', '2026-06-30T23:59', '2026-03-08T02:30', '2028-02-29T00:00']) {
      expect(toZonedInput(fromZonedInput(value, SHANGHAI)!, SHANGHAI)).toBe(value)
    }
    expect(fromZonedDate('2026-11-28', SHANGHAI)).toBe(utc('2026-11-27T16:00:00Z'))
    expect(toZonedDate(utc('2026-11-27T16:00:00Z'), SHANGHAI)).toBe('2026-11-28')
    expect(toZonedDate(utc('2026-11-27T15:59:59Z'), SHANGHAI)).toBe('2026-11-27')
  })

  it('refuses empty, malformed and impossible values', () => {
    expect(fromZonedInput('', SHANGHAI)).toBeNull()
    expect(fromZonedInput('tomorrow', SHANGHAI)).toBeNull()
    expect(fromZonedInput('2026-02-30T10:00', SHANGHAI)).toBeNull()
    expect(fromZonedInput('2026-02-10T24:00', SHANGHAI)).toBeNull()
    expect(fromZonedDate('2026-13-01', SHANGHAI)).toBeNull()
    expect(fromZonedDate('2026-2-1', SHANGHAI)).toBeNull()
  })

  it('starts days and months at midnight in the zone', () => {
    const lateEvening = utc('2026-11-28T15:30:00Z') // 23:30 on the 28th in Shanghai
    expect(startOfZonedDay(lateEvening, SHANGHAI)).toBe(utc('2026-11-27T16:00:00Z'))
    expect(startOfZonedDay(utc('2026-11-28T16:30:00Z'), SHANGHAI)).toBe(utc('2026-11-28T16:00:00Z'))
    expect(zonedDayAt(lateEvening, 1, 14, 0, SHANGHAI)).toBe(utc('2026-11-29T06:00:00Z'))
    expect(zonedDayAt(utc('2026-12-31T02:00:00Z'), 1, 9, 30, SHANGHAI)).toBe(utc('2027-01-01T01:30:00Z'))
    expect(startOfZonedMonth(lateEvening, 1, SHANGHAI)).toBe(utc('2026-11-30T16:00:00Z'))
    expect(startOfZonedMonth(utc('2026-12-05T00:00:00Z'), 1, SHANGHAI)).toBe(utc('2026-12-31T16:00:00Z'))
    expect(isSameZonedDay(utc('2026-11-27T16:00:00Z'), utc('2026-11-28T15:59:00Z'), SHANGHAI)).toBe(true)
    expect(isSameZonedDay(utc('2026-11-27T15:59:00Z'), utc('2026-11-27T16:00:00Z'), SHANGHAI)).toBe(false)
  })

  it('counts months from the day in the zone, rolling a missing day over as Date does', () => {
    // 00:30 on 1 December in Shanghai is still 30 November in UTC.
    expect(zonedDateAfterMonths(utc('2026-11-30T16:30:00Z'), 6, SHANGHAI)).toBe('2027-06-01')
    expect(zonedDateAfterMonths(utc('2026-08-31T04:00:00Z'), 6, SHANGHAI)).toBe('2027-03-03')
    expect(zonedDateAfterMonths(utc('2026-12-07T04:00:00Z'), 0, SHANGHAI)).toBe('2026-12-07')
  })
})

describe('America/New_York (daylight saving time)', () => {
  it('uses -5 h in winter and -4 h in summer', () => {
    expect(zoneOffsetMs(utc('2026-01-15T12:00:00Z'), NEW_YORK)).toBe(-5 * HOUR)
    expect(zoneOffsetMs(utc('2026-07-15T12:00:00Z'), NEW_YORK)).toBe(-4 * HOUR)
    expect(formatInZone(utc('2026-07-15T13:00:00Z'), 'en', DATE_STYLE.clock, NEW_YORK)).toBe('09:00')
    expect(formatInZone(utc('2026-01-15T14:00:00Z'), 'en', DATE_STYLE.clock, NEW_YORK)).toBe('09:00')
  })

  it('reads wall clock on either side of both changes (2026-03-08 and 2026-11-01)', () => {
    expect(fromZonedInput('2026-03-08T01:59', NEW_YORK)).toBe(utc('2026-03-08T06:59:00Z'))
    expect(fromZonedInput('2026-03-08T03:00', NEW_YORK)).toBe(utc('2026-03-08T07:00:00Z'))
    expect(fromZonedInput('2026-03-09T09:00', NEW_YORK)).toBe(utc('2026-03-09T13:00:00Z'))
    expect(fromZonedInput('2026-10-31T09:00', NEW_YORK)).toBe(utc('2026-10-31T13:00:00Z'))
    expect(fromZonedInput('2026-11-01T00:30', NEW_YORK)).toBe(utc('2026-11-01T04:30:00Z'))
    // 01:30 happens twice that night: the first (EDT) is meant.
    expect(fromZonedInput('2026-11-01T01:30', NEW_YORK)).toBe(utc('2026-11-01T05:30:00Z'))
    expect(fromZonedInput('2026-11-01T03:00', NEW_YORK)).toBe(utc('2026-11-01T08:00:00Z'))
  })

  it('round-trips every quarter hour across both changes', () => {
    for (const [from, to] of [
      ['2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z'],
      ['2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z'],
    ] as const) {
      for (let ms = utc(from); ms < utc(to); ms += HOUR / 4) {
        const value = toZonedInput(ms, NEW_YORK)
        const back = fromZonedInput(value, NEW_YORK)!
        // The repeated autumn hour maps back to its first occurrence; everything else exactly.
        expect(back === ms || back === ms - HOUR).toBe(true)
        expect(toZonedInput(back, NEW_YORK)).toBe(value)
      }
    }
  })

  it('starts days at local midnight, 23 and 25 hours long on the change days', () => {
    const springDay = startOfZonedDay(utc('2026-03-08T20:00:00Z'), NEW_YORK)
    expect(springDay).toBe(utc('2026-03-08T05:00:00Z'))
    expect(zonedDayAt(springDay, 1, 0, 0, NEW_YORK) - springDay).toBe(23 * HOUR)
    const autumnDay = startOfZonedDay(utc('2026-11-01T20:00:00Z'), NEW_YORK)
    expect(autumnDay).toBe(utc('2026-11-01T04:00:00Z'))
    expect(zonedDayAt(autumnDay, 1, 0, 0, NEW_YORK) - autumnDay).toBe(25 * HOUR)
    expect(fromZonedDate('2026-11-02', NEW_YORK)).toBe(utc('2026-11-02T05:00:00Z'))
    expect(toZonedDate(utc('2026-11-02T04:59:00Z'), NEW_YORK)).toBe('2026-11-01')
    expect(startOfZonedMonth(utc('2026-11-15T12:00:00Z'), 0, NEW_YORK)).toBe(utc('2026-11-01T04:00:00Z'))
    expect(wallClock(utc('2026-11-01T04:00:00Z'), NEW_YORK).weekday).toBe(0)
  })
})
