/**
 * 资讯 in words: categories, statuses, related kinds and their buttons, where an article comes from
 * (its organisation, or 桂城街道), its day and time in the subdistrict's zone, a related item's facts
 * (read from its section's own object: an event's time and seats, a price, a closing day), and a
 * form problem.
 */
import { useI18n } from 'vue-i18n'
import { useEventText } from '@/composables/useEventText'
import { formatFen } from '@/composables/useMoney'
import type { ArticleStatus, ArticleSummary, NewsCategory, RelatedAction, RelatedCard, RelatedKind } from '@/stores/news'
import type { Problem } from '@/stores/newsDesk'
import { DATE_STYLE, formatInZone } from '@/time/zone'

/** A number field of a related item's own object, or null. */
function num(item: Record<string, unknown>, key: string): number | null {
  const value = item[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

export function useNewsText() {
  const { t, locale } = useI18n()
  const { formatDayTime, remainingText } = useEventText()
  const dateTime = (ms: number) => formatInZone(ms, locale.value, DATE_STYLE.dateTime)

  /** "11月28日周五 09:00 · 剩余 12 席", "¥38.00", "当前价 ¥120.00 · 2026/12/08 20:00 结束", "2026/12/20 截止申报"; '' when nothing fits. */
  function relatedFacts(card: Pick<RelatedCard, 'kind' | 'item'>): string {
    const item = card.item
    const parts: string[] = []
    if (card.kind === 'event') {
      const starts = num(item, 'starts_at_ms')
      const remaining = num(item, 'remaining')
      parts.push(...(starts === null ? [] : [formatDayTime(starts)]), ...(remaining === null ? [] : [remainingText({ remaining })]))
    } else if (card.kind === 'product') {
      const price = num(item, 'price_fen')
      parts.push(...(price === null ? [] : [formatFen(price)]))
    } else if (card.kind === 'lot') {
      const price = num(item, 'price_fen') ?? num(item, 'start_price_fen')
      const ends = num(item, 'ends_at_ms')
      parts.push(...(price === null ? [] : [t('news.facts.lotPrice', { price: formatFen(price) })]), ...(ends === null ? [] : [t('news.facts.ends', { time: dateTime(ends) })]))
    } else if (card.kind === 'grant_call') {
      const closes = num(item, 'closes_at_ms')
      parts.push(...(closes === null ? [] : [t('news.facts.closes', { date: formatInZone(closes, locale.value, DATE_STYLE.date) })]))
    }
    return parts.join(t('news.separator'))
  }

  return {
    relatedFacts,
    categoryLabel: (category: NewsCategory | 'all') => t(`news.categories.${category}`),
    statusLabel: (status: ArticleStatus) => t(`news.statuses.${status}`),
    kindLabel: (kind: RelatedKind) => t(`news.kinds.${kind}`),
    actionLabel: (action: RelatedAction) => t(`news.actions.${action}`),
    sourceName: (article: Pick<ArticleSummary, 'org'>) => article.org?.name ?? t('news.subdistrict'),
    day: (ms: number) => formatInZone(ms, locale.value, DATE_STYLE.date),
    dateTime,
    problemText: (problem: Problem) => t(`news.form.problems.${problem}`),
  }
}
