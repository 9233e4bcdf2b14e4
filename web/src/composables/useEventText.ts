/**
 * Words and times for 活动: type, audience, sign-up and registration states, seat counts, and
 * event times in the UI language and the subdistrict's time zone. `dateRange` is exported for
 * unit tests; forms read and write times with `time/zone.ts`.
 */
import { useI18n } from 'vue-i18n'
import type { CareEvent } from '@/stores/events'
import { DATE_STYLE, formatInZone, isSameZonedDay, startOfZonedDay, startOfZonedMonth, wallClock, zonedDayAt } from '@/time/zone'

export type DateRangeKey = 'today' | 'week' | 'month' | 'all'

export const DATE_RANGES: readonly DateRangeKey[] = ['today', 'week', 'month', 'all']

/**
 * The `from_ms`/`to_ms` filter for a range in the subdistrict's time zone: 今天 = today; 本周 =
 * today to the end of Sunday (a Chinese week starts on Monday); 本月 = today to the end of the
 * month; 全部 = no bounds (the server's default: events not yet ended).
 */
export function dateRange(key: DateRangeKey, nowMs: number): { from_ms?: number; to_ms?: number } {
  if (key === 'all') {
    return {}
  }
  const today = startOfZonedDay(nowMs)
  let end: number
  if (key === 'today') {
    end = zonedDayAt(nowMs, 1)
  } else if (key === 'week') {
    const daysToMonday = (8 - wallClock(nowMs).weekday) % 7 || 7
    end = zonedDayAt(nowMs, daysToMonday)
  } else {
    end = startOfZonedMonth(nowMs, 1)
  }
  return { from_ms: today, to_ms: end - 1 }
}

export function useEventText() {
  const { t, te, locale } = useI18n()

  function label(prefix: string, value: string): string {
    const key = `${prefix}.${value}`
    return te(key) ? t(key) : value
  }

  function clock(ms: number): string {
    return formatInZone(ms, locale.value, DATE_STYLE.clock)
  }

  function day(ms: number): string {
    return formatInZone(ms, locale.value, DATE_STYLE.dayWithWeekday)
  }

  /** "11月28日周五 14:00–16:00"; across days "11月28日周五 14:00 – 11月29日周六 16:00". */
  function formatWhen(startsMs: number, endsMs: number): string {
    return isSameZonedDay(startsMs, endsMs) ? `${day(startsMs)} ${clock(startsMs)}–${clock(endsMs)}` : `${day(startsMs)} ${clock(startsMs)} – ${day(endsMs)} ${clock(endsMs)}`
  }

  /** "11月28日周五 14:00". */
  function formatDayTime(ms: number): string {
    return `${day(ms)} ${clock(ms)}`
  }

  /** "剩余 N 席", or "已满，可排队候补". */
  function remainingText(event: Pick<CareEvent, 'remaining'>): string {
    return event.remaining > 0 ? t('eventText.remaining', { n: event.remaining }) : t('eventText.full')
  }

  /** "仅本人" for 1, "本人 + N 位家属" for more. */
  function seatsText(seats: number): string {
    return seats <= 1 ? t('eventText.seatsSelf') : t('eventText.seatsFamily', { n: seats - 1 })
  }

  return {
    clock,
    formatWhen,
    formatDayTime,
    remainingText,
    seatsText,
    typeLabel: (type: string) => label('eventText.type', type),
    audienceLabel: (audience: string) => label('eventText.audience', audience),
    signupStateLabel: (state: string) => label('eventText.signupState', state),
    statusLabel: (status: string) => label('eventText.status', status),
  }
}
