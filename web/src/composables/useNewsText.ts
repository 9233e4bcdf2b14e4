/**
 * 资讯 in words: categories, statuses, related kinds and their buttons, where an article comes from
 * (its organisation, or 桂城街道), its day and time in the subdistrict's zone, and a form problem.
 */
import { useI18n } from 'vue-i18n'
import type { ArticleStatus, ArticleSummary, NewsCategory, RelatedAction, RelatedKind } from '@/stores/news'
import type { Problem } from '@/stores/newsDesk'
import { DATE_STYLE, formatInZone } from '@/time/zone'

export function useNewsText() {
  const { t, locale } = useI18n()

  return {
    categoryLabel: (category: NewsCategory | 'all') => t(`news.categories.${category}`),
    statusLabel: (status: ArticleStatus) => t(`news.statuses.${status}`),
    kindLabel: (kind: RelatedKind) => t(`news.kinds.${kind}`),
    actionLabel: (action: RelatedAction) => t(`news.actions.${action}`),
    sourceName: (article: Pick<ArticleSummary, 'org'>) => article.org?.name ?? t('news.subdistrict'),
    day: (ms: number) => formatInZone(ms, locale.value, DATE_STYLE.date),
    dateTime: (ms: number) => formatInZone(ms, locale.value, DATE_STYLE.dateTime),
    problemText: (problem: Problem) => t(`news.form.problems.${problem}`),
  }
}
