/**
 * 项目申报与评审 in words: call phases, application and seat statuses, funding modes, reviewer
 * kinds, the assignment's shortfall reasons, and a store `FormProblem` as a field message.
 */
import { useI18n } from 'vue-i18n'
import type { ApplicationStatus, CallPhase, FundingMode, ReviewerKind, ReviewStatus, SeatStatus, ShortfallReason } from '@/stores/grants'
import type { FormProblem } from '@/stores/grantsApply'
import { DATE_STYLE, formatInZone } from '@/time/zone'
import { useFormat } from './useFormat'

/** Vant tag colours for an application's status. */
export function statusTagType(status: ApplicationStatus): 'primary' | 'success' | 'danger' | 'warning' | 'default' {
  switch (status) {
    case 'submitted':
    case 'under_review':
      return 'primary'
    case 'eligible':
    case 'decided':
      return 'success'
    case 'ineligible':
      return 'danger'
    case 'draft':
      return 'warning'
    default:
      return 'default'
  }
}

export function useGrantsText() {
  const { t, te, locale } = useI18n()
  const { formatTime } = useFormat()

  const phaseLabel = (phase: CallPhase) => t(`grants.phase.${phase}`)
  const statusLabel = (status: ApplicationStatus) => t(`grants.status.${status}`)
  const modeLabel = (mode: FundingMode) => t(`grants.mode.${mode}`)
  const kindLabel = (kind: ReviewerKind) => t(`grants.kind.${kind}`)
  const seatStatusLabel = (status: SeatStatus) => t(`grants.seatStatus.${status}`)
  const reviewStatusLabel = (status: ReviewStatus) => t(`grants.reviewStatus.${status}`)
  const reasonLabel = (reason: ShortfallReason) => (te(`grants.shortfall.${reason}`) ? t(`grants.shortfall.${reason}`) : reason)

  /** A day, without the time (project dates), in the subdistrict's time zone. */
  function formatDay(ms: number): string {
    return formatInZone(ms, locale.value, DATE_STYLE.date)
  }

  /** A problem the client found in the form, as its field message. */
  function problemText(problem: FormProblem['problem']): string {
    switch (problem) {
      case 'required':
      case 'empty':
        return t('fundAdmin.required')
      case 'invalid_count':
        return t('grants.form.invalidCount')
      case 'invalid_date':
        return t('grants.form.invalidDate')
      case 'ends_before_start':
        return t('grants.form.endsBeforeStart')
      default:
        return t(`donate.amountError.${problem}`)
    }
  }

  /** A score 0..10 with one decimal, or a dash. */
  function scoreText(score: number | null | undefined): string {
    return score === null || score === undefined ? '—' : score.toFixed(1)
  }

  return { phaseLabel, statusLabel, modeLabel, kindLabel, seatStatusLabel, reviewStatusLabel, reasonLabel, formatTime, formatDay, problemText, scoreText }
}
