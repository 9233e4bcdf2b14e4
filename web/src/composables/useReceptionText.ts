/**
 * Words of 党员接待室: category and referral-status labels, weekdays, a month's name, dates in the
 * subdistrict's time zone (China time), and a visit's badges (已解决 / 已转介 · 已受理 / 待回访). `visitBadges` and `monthName` are pure
 * (they take the translate function) for unit tests.
 */
import { useI18n } from 'vue-i18n'
import { type Stats, VISIT_CATEGORIES, type Visit, type VisitCategory } from '@/api/reception'
import { awaitsFollowUp, type VisitProblem } from '@/stores/reception'
import { DATE_STYLE, formatInZone, fromZonedDate } from '@/time/zone'

export type Translate = (key: string, named?: Record<string, unknown>) => string

/** Tag colours: Vant's orange fails text contrast, so what waits is the brand colour. */
export type BadgeKind = 'resolved' | 'referred' | 'followUp'
export const BADGE_TAG: Record<BadgeKind, 'success' | 'primary' | 'danger'> = { resolved: 'success', referred: 'primary', followUp: 'danger' }

export function categoryLabel(category: string, t: Translate, te: (key: string) => boolean): string {
  return te(`reception.category.${category}`) ? t(`reception.category.${category}`) : category
}

export function referralStatusLabel(status: string, t: Translate, te: (key: string) => boolean): string {
  return te(`reception.referralStatus.${status}`) ? t(`reception.referralStatus.${status}`) : status
}

/** A visit's badges, in this order: 已解决, 已转介 · <status>, 待回访. */
export function visitBadges(visit: Pick<Visit, 'resolved' | 'referral' | 'follow_up_ms'>, t: Translate, te: (key: string) => boolean): { kind: BadgeKind; text: string }[] {
  const badges: { kind: BadgeKind; text: string }[] = []
  if (visit.resolved) {
    badges.push({ kind: 'resolved', text: t('reception.visits.resolved') })
  }
  if (visit.referral !== null) {
    badges.push({ kind: 'referred', text: t('reception.visits.referred', { separator: t('reception.separator'), status: referralStatusLabel(visit.referral.status, t, te) }) })
  }
  if (awaitsFollowUp(visit)) {
    badges.push({ kind: 'followUp', text: t('reception.visits.followUp') })
  }
  return badges
}

/** `2026-11` as "2026年11月" / "November 2026". */
export function monthName(month: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month)
  if (match === null) {
    return month
  }
  const first = fromZonedDate(`${month}-01`)
  return first === null ? month : formatInZone(first, locale, DATE_STYLE.month)
}

export function useReceptionText() {
  const { t, te, locale } = useI18n()

  const dateTime = (ms: number) => formatInZone(ms, locale.value, DATE_STYLE.monthDayTime)
  const fullDateTime = (ms: number) => formatInZone(ms, locale.value, DATE_STYLE.numericDateTime)
  const date = (ms: number) => formatInZone(ms, locale.value, DATE_STYLE.numericDate)

  return {
    categoryLabel: (category: string) => categoryLabel(category, t, te),
    referralStatusLabel: (status: string) => referralStatusLabel(status, t, te),
    weekdayLabel: (weekday: number) => t(`reception.weekday.${weekday}`),
    weekdayShort: (weekday: number) => t(`reception.weekdayShort.${weekday}`),
    monthName: (month: string) => monthName(month, locale.value),
    visitBadges: (visit: Pick<Visit, 'resolved' | 'referral' | 'follow_up_ms'>) => visitBadges(visit, t, te),
    problemText: (problem: VisitProblem) => t(`reception.form.problem.${problem}`),
    dateTime,
    fullDateTime,
    date,
  }
}

/** Visits by category summed over the villages of a month's statistics, in the form's order. */
export function categoryTotals(stats: Pick<Stats, 'villages'>): { category: VisitCategory; count: number }[] {
  return VISIT_CATEGORIES.map((category) => ({ category, count: stats.villages.reduce((sum, v) => sum + (v.by_category[category] ?? 0), 0) }))
}

/** ECharts options (a plain object, no ECharts import) for the bar chart of visits by category. */
export function categoryBarOption(totals: readonly { category: VisitCategory; count: number }[], label: (category: VisitCategory) => string): Record<string, unknown> {
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#323233' } },
    yAxis: { type: 'category', inverse: true, data: totals.map((row) => label(row.category)), axisLabel: { color: '#323233', fontSize: 13 } },
    series: [{ type: 'bar', data: totals.map((row) => row.count), itemStyle: { color: '#c62828' }, label: { show: true, position: 'right', color: '#323233' } }],
  }
}
