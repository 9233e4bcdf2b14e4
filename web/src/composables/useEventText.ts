/**
 * Words and times for 活动: type, audience, sign-up and registration states, seat counts, and
 * event times in the UI language. Pure helpers (`dateRange`, `toLocalInput`, `fromLocalInput`)
 * are exported for unit tests and forms.
 */
import { useI18n } from 'vue-i18n'
import type { CareEvent } from '@/stores/events'

export type DateRangeKey = 'today' | 'week' | 'month' | 'all'

export const DATE_RANGES: readonly DateRangeKey[] = ['today', 'week', 'month', 'all']

function startOfDay(ms: number): Date {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d
}

/**
 * The `from_ms`/`to_ms` filter for a range in local time: 今天 = today; 本周 = today to the end
 * of Sunday (a Chinese week starts on Monday); 本月 = today to the end of the month; 全部 = no
 * bounds (the server's default: events not yet ended).
 */
export function dateRange(key: DateRangeKey, nowMs: number): { from_ms?: number; to_ms?: number } {
  if (key === 'all') {
    return {}
  }
  const today = startOfDay(nowMs)
  const end = new Date(today)
  if (key === 'today') {
    end.setDate(end.getDate() + 1)
  } else if (key === 'week') {
    const daysToMonday = (8 - today.getDay()) % 7 || 7
    end.setDate(end.getDate() + daysToMonday)
  } else {
    end.setMonth(end.getMonth() + 1, 1)
  }
  return { from_ms: today.getTime(), to_ms: end.getTime() - 1 }
}

/** `<input type="datetime-local">` value for an instant, in local time ("2026-11-28T14:00"). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The instant a datetime-local value means in local time, or null when empty or malformed. */
export function fromLocalInput(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim())
  if (match === null) {
    return null
  }
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number]
  const date = new Date(y, mo - 1, d, h, mi, 0, 0)
  return date.getMonth() === mo - 1 && date.getDate() === d ? date.getTime() : null
}

export function useEventText() {
  const { t, te, locale } = useI18n()

  function label(prefix: string, value: string): string {
    const key = `${prefix}.${value}`
    return te(key) ? t(key) : value
  }

  function clock(ms: number): string {
    return new Intl.DateTimeFormat(locale.value, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms))
  }

  function day(ms: number): string {
    return new Intl.DateTimeFormat(locale.value, { month: 'long', day: 'numeric', weekday: 'short' }).format(new Date(ms))
  }

  /** "11月28日周五 14:00–16:00"; across days "11月28日周五 14:00 – 11月29日周六 16:00". */
  function formatWhen(startsMs: number, endsMs: number): string {
    const sameDay = startOfDay(startsMs).getTime() === startOfDay(endsMs).getTime()
    return sameDay ? `${day(startsMs)} ${clock(startsMs)}–${clock(endsMs)}` : `${day(startsMs)} ${clock(startsMs)} – ${day(endsMs)} ${clock(endsMs)}`
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
