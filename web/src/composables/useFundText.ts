/** Translated names of fund sources, journal entry kinds and statuses, with a raw fallback. */
import { useI18n } from 'vue-i18n'
import type { EntryKind, FundSource } from '@/api/fund'
import { formatFen } from './useMoney'

export function useFundText() {
  const { t, te, locale } = useI18n()

  function label(prefix: string, value: string): string {
    const key = `${prefix}.${value}`
    return te(key) ? t(key) : value
  }

  /** Calendar date in the UI language. */
  function formatDate(ms: number): string {
    return new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms))
  }

  return {
    formatFen,
    formatDate,
    sourceLabel: (source: FundSource | string) => label('fundText.source', source),
    kindLabel: (kind: EntryKind | string) => label('fundText.kind', kind),
    donationStatusLabel: (status: string) => label('fundText.donationStatus', status),
  }
}
