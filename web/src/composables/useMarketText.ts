/**
 * Words of 社工服务进村(居): a price (fixed or a range), a listing's and a need's status, need
 * sources, age bands, and the matching reasons (`type_match`, `budget_fit`, …) worded in the UI
 * language from the codes and numbers the server sends (docs/api-market.md).
 */
import { useI18n } from 'vue-i18n'
import type { AgeBand, NeedSource, NeedStatus, Price, ProjectStatus, Reason } from '@/api/market'
import { dateToMs } from '@/stores/grantsApply'
import { formatFen, parseYuanToFen } from './useMoney'

export const PROJECT_STATUS_TAG = { pending_approval: 'warning', approved: 'success', rejected: 'danger', withdrawn: 'default' } as const
export const NEED_STATUS_TAG = { open: 'primary', met: 'success', closed: 'default' } as const

/** A fixed price, or `min – max`. */
export function priceText(price: Price): string {
  return price.kind === 'fixed' || price.min_fen === price.max_fen ? formatFen(price.min_fen) : `${formatFen(price.min_fen)} – ${formatFen(price.max_fen)}`
}

export function useMarketText() {
  const { t } = useI18n()

  const projectStatusLabel = (status: ProjectStatus) => t(`market.projectStatus.${status}`)
  const needStatusLabel = (status: NeedStatus) => t(`market.needStatus.${status}`)
  const sourceLabel = (source: NeedSource) => t(`market.source.${source}`)
  const ageBandLabel = (band: AgeBand) => t(`market.ageBand.${band}`)

  function reasonText(reason: Reason): string {
    switch (reason.code) {
      case 'type_match':
        return t('market.reason.type_match')
      case 'target_group_match':
        return t(reason.partial ? 'market.reason.target_group_partial' : 'market.reason.target_group_match')
      case 'budget_fit':
        return t(reason.partial ? 'market.reason.budget_partial' : 'market.reason.budget_fit', {
          price: priceText({ kind: 'range', min_fen: reason.price_min_fen, max_fen: reason.price_max_fen }),
        })
      case 'org_rating':
        return t('market.reason.org_rating', { level: reason.level })
      case 'evaluations':
        return t('market.reason.evaluations', { count: reason.count, average: (reason.average_x10 / 10).toFixed(1) })
      case 'serves_village':
        return t('market.reason.serves_village')
      default:
        return t('market.reason.other')
    }
  }

  /** A yuan amount typed in a form, as fen, or the problem worded (`error` is '' when fine). */
  function parseAmount(text: string): { fen: number; error: string } {
    const parsed = parseYuanToFen(text)
    return parsed.ok ? { fen: parsed.fen, error: '' } : { fen: 0, error: t(`market.form.amountError.${parsed.error}`) }
  }

  /**
   * Two `YYYY-MM-DD` fields as local-midnight ms, the second after the first; a problem is noted
   * under the field at fault in `problems` (0 stands in for a missing date).
   */
  function parseDates(from: string, to: string, fields: [string, string], problems: Record<string, string>): [number, number] {
    const fromMs = dateToMs(from)
    const toMs = dateToMs(to)
    if (fromMs === null) problems[fields[0]] = t('market.form.date')
    if (toMs === null) problems[fields[1]] = t('market.form.date')
    if (fromMs !== null && toMs !== null && toMs <= fromMs) problems[fields[1]] = t('market.form.endsBeforeStart')
    return [fromMs ?? 0, toMs ?? 0]
  }

  return { parseAmount, parseDates, projectStatusLabel, needStatusLabel, sourceLabel, ageBandLabel, reasonText, priceText }
}
