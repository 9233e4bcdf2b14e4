/**
 * Words of 社工服务进村(居): a price (fixed or a range), a listing's and a need's status, need
 * sources, age bands, and the matching reasons (`type_match`, `budget_fit`, …) worded in the UI
 * language from the codes and numbers the server sends (docs/api-market.md).
 */
import { useI18n } from 'vue-i18n'
import type { AgeBand, NeedSource, NeedStatus, Price, ProjectStatus, Reason } from '@/api/market'
import type { ContractStatus, MilestoneStatus, QuoteRequestStatus, QuoteStatus } from '@/api/marketPurchase'
import { fromZonedDate } from '@/time/zone'
import type { ScheduleProblem } from '@/stores/marketPurchase'
import { formatFen, parseYuanToFen } from './useMoney'

export const PROJECT_STATUS_TAG = { pending_approval: 'warning', approved: 'success', rejected: 'danger', withdrawn: 'default' } as const
export const NEED_STATUS_TAG = { open: 'primary', met: 'success', closed: 'default' } as const
export const REQUEST_STATUS_TAG = { open: 'primary', accepted: 'success', withdrawn: 'default' } as const
export const QUOTE_STATUS_TAG = { open: 'primary', accepted: 'success', superseded: 'default', declined: 'default' } as const
export const CONTRACT_STATUS_TAG = { awaiting_decision: 'warning', in_notice: 'primary', active: 'success', completed: 'success', decision_failed: 'danger' } as const
/** The server's meeting kinds (Chinese words) and their locale keys. */
const MEETING_KIND_KEYS: Record<string, string> = { 村民代表会议: 'representatives', 村民会议: 'assembly', 党总支会议: 'party', 村委会会议: 'committee', 其他: 'other' }
export const MILESTONE_STATUS_TAG = { pending: 'default', reported: 'primary', accepted: 'success', returned: 'danger' } as const

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
  const requestStatusLabel = (status: QuoteRequestStatus) => t(`market.requestStatus.${status}`)
  const quoteStatusLabel = (status: QuoteStatus) => t(`market.quoteStatus.${status}`)
  const contractStatusLabel = (status: ContractStatus) => t(`market.contractStatus.${status}`)
  const milestoneStatusLabel = (status: MilestoneStatus) => t(`market.milestoneStatus.${status}`)

  const meetingKindLabel = (kind: string) => (MEETING_KIND_KEYS[kind] === undefined ? kind : t(`market.meetingKind.${MEETING_KIND_KEYS[kind]}`))

  /** A problem `buildSchedule` found, as its field message. */
  function scheduleProblemText(problem: ScheduleProblem): string {
    switch (problem) {
      case 'required':
        return t('market.form.required')
      case 'invalid_date':
        return t('market.form.date')
      case 'order':
        return t('market.schedule.order')
      case 'count':
        return t('market.schedule.count')
      case 'sum':
        return t('market.schedule.sum')
      default:
        return t(`market.form.amountError.${problem}`)
    }
  }

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
   * Two `YYYY-MM-DD` fields as midnight in the subdistrict's time zone, the second after the first; a problem is noted
   * under the field at fault in `problems` (0 stands in for a missing date).
   */
  function parseDates(from: string, to: string, fields: [string, string], problems: Record<string, string>): [number, number] {
    const fromMs = fromZonedDate(from)
    const toMs = fromZonedDate(to)
    if (fromMs === null) problems[fields[0]] = t('market.form.date')
    if (toMs === null) problems[fields[1]] = t('market.form.date')
    if (fromMs !== null && toMs !== null && toMs <= fromMs) problems[fields[1]] = t('market.form.endsBeforeStart')
    return [fromMs ?? 0, toMs ?? 0]
  }

  return {
    parseAmount,
    parseDates,
    projectStatusLabel,
    needStatusLabel,
    sourceLabel,
    ageBandLabel,
    requestStatusLabel,
    quoteStatusLabel,
    contractStatusLabel,
    milestoneStatusLabel,
    scheduleProblemText,
    meetingKindLabel,
    reasonText,
    priceText,
  }
}
