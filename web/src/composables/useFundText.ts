/** Translated names of fund sources, journal entry kinds, statuses and report periods, with a raw fallback. */
import { useI18n } from 'vue-i18n'
import type { EntryKind, FundSource } from '@/api/fund'
import { DATE_STYLE, formatInZone } from '@/time/zone'
import { formatFen } from './useMoney'

export function useFundText() {
  const { t, te, locale } = useI18n()

  function label(prefix: string, value: string): string {
    const key = `${prefix}.${value}`
    return te(key) ? t(key) : value
  }

  /** Calendar date in the UI language, in the subdistrict's time zone. */
  function formatDate(ms: number): string {
    return formatInZone(ms, locale.value, DATE_STYLE.date)
  }

  /** A report period label in words: "progress-3" → 第3期进展, "final" → 决算/结项报告; else as given. */
  function periodLabel(period: string): string {
    if (period === 'final') {
      return t('fundText.period.final')
    }
    const m = /^progress-(\d+)$/.exec(period)
    return m ? t('fundText.period.progress', { n: m[1] }) : period
  }

  return {
    formatFen,
    periodLabel,
    formatDate,
    sourceLabel: (source: FundSource | string) => label('fundText.source', source),
    kindLabel: (kind: EntryKind | string) => label('fundText.kind', kind),
    donationStatusLabel: (status: string) => label('fundText.donationStatus', status),
  }
}
