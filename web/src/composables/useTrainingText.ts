/**
 * Words of 党员社工培育: hours from minutes ("12.5"), a member's progress line ("出勤 3/4 · 实践
 * 12.5/16 小时 · 考核 已通过"), practice kinds, methods and statuses, assessment states, certificate
 * states, and the problems the practice form finds. `formatHours` and `progressLine` are pure
 * (the line takes the translate function) for unit tests.
 */
import { useI18n } from 'vue-i18n'
import type { AssessmentStatus, CertificateState, PracticeMethod, PracticeStatus, Progress } from '@/api/training'
import type { PracticeProblem } from '@/stores/training'
import { DATE_STYLE, formatInZone } from '@/time/zone'

export type Translate = (key: string, named?: Record<string, unknown>) => string

/** Tag colours: Vant's orange "warning" fails text contrast, so what waits is the brand colour. */
export const PRACTICE_STATUS_TAG = { pending: 'primary', confirmed: 'success', rejected: 'danger' } as const
export const CERTIFICATE_STATE_TAG = { valid: 'success', expired: 'default', revoked: 'danger' } as const
export const ASSESSMENT_TAG = { passed: 'success', pending: 'primary', failed: 'danger', not_required: 'default' } as const

/** Minutes as hours with at most two decimals and no trailing zeros: 750 → "12.5", 960 → "16", 45 → "0.75". */
export function formatHours(minutes: number): string {
  const hours = Math.round((minutes / 60) * 100) / 100
  return String(hours)
}

/** The practice minutes that count: confirmed records and volunteer-event check-ins. */
export function countedMinutes(progress: Pick<Progress, 'hours'>): number {
  return progress.hours.practice_minutes + progress.hours.volunteer_minutes
}

/**
 * "出勤 3/4 · 实践 12.5/16 小时 · 考核 已通过": attendance, the practice counted against the hours
 * the programme requires (left out when it requires none; without the requirement known, the
 * hours alone), and the assessment.
 */
export function progressLine(progress: Progress, requiredHours: number | null, t: Translate): string {
  const parts = [t('training.progress.attendance', { attended: progress.attendance.attended, sessions: progress.attendance.sessions })]
  const hours = formatHours(countedMinutes(progress))
  if (requiredHours === null) {
    parts.push(t('training.progress.hoursOnly', { hours }))
  } else if (requiredHours > 0) {
    parts.push(t('training.progress.hours', { hours, required: requiredHours }))
  }
  parts.push(t('training.progress.assessment', { status: t(`training.assessment.${progress.assessment.status}`) }))
  return parts.join(t('training.progress.separator'))
}

export function useTrainingText() {
  const { t, te, locale } = useI18n()

  /** A date in the UI language and the subdistrict's time zone ("2026年3月1日"). */
  function formatDate(ms: number): string {
    return formatInZone(ms, locale.value, DATE_STYLE.longDate)
  }

  const label = (prefix: string, value: string) => (te(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : value)

  /** One refusal of a batch: who, and the server's message (a localised fallback for its code when it sent none). */
  function refusalText(who: string | number, code: string, message: string): string {
    const text = message !== '' ? message : te(`errors.${code}`) ? t(`errors.${code}`) : t('errors.unknown')
    return t('training.refusal', { who: String(who), message: text })
  }

  return {
    formatDate,
    refusalText,
    progressLine: (progress: Progress, requiredHours: number | null) => progressLine(progress, requiredHours, t),
    kindLabel: (kind: string) => label('training.practiceKind', kind),
    methodLabel: (method: PracticeMethod | string) => label('training.practiceMethod', method),
    practiceStatusLabel: (status: PracticeStatus) => t(`training.practiceStatus.${status}`),
    assessmentLabel: (status: AssessmentStatus) => t(`training.assessment.${status}`),
    stateLabel: (state: CertificateState) => t(`training.certificateState.${state}`),
    sessionStatusLabel: (status: string) => label('training.sessionStatus', status),
    practiceProblemText: (problem: PracticeProblem) => t(`training.practiceForm.problem.${problem}`),
  }
}
