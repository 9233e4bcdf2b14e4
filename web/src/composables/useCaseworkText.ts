/**
 * Text for 服务申请: status and timeline names, who an application is for, durations (median
 * first response, how long overdue), and error text that knows the casework error codes.
 */
import { useI18n } from 'vue-i18n'
import type { Application } from '@/api/casework'
import type { FormError } from '@/stores/result'
import { useErrorText } from './useErrorText'
import { useFormat } from './useFormat'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Below this a duration reads in hours ("30 小时" is clearer than "1.3 天"), from it in days. */
const DAYS_FROM_MS = 2 * DAY_MS

/** One decimal, without a trailing ".0". */
function oneDecimal(value: number): string {
  return String(Math.round(value * 10) / 10)
}

/** A duration as a count of hours or days: `{unit: 'hours'|'days', n}`; under an hour: `{unit: 'underHour'}`. */
export function durationParts(ms: number): { unit: 'underHour' } | { unit: 'hours' | 'days'; n: string } {
  if (ms < HOUR_MS) {
    return { unit: 'underHour' }
  }
  if (ms < DAYS_FROM_MS) {
    return { unit: 'hours', n: oneDecimal(ms / HOUR_MS) }
  }
  return { unit: 'days', n: oneDecimal(ms / DAY_MS) }
}

export function useCaseworkText() {
  const { t, te } = useI18n()
  const { formatTime } = useFormat()
  const base = useErrorText()

  function label(prefix: string, value: string): string {
    const key = `${prefix}.${value}`
    return te(key) ? t(key) : value
  }

  /** The server's message first, then our text for a casework code, then the common fallbacks. */
  function errorText(error: FormError): string {
    if (error.message === null && te(`casework.errors.${error.code}`)) {
      return t(`casework.errors.${error.code}`)
    }
    return base.errorText(error)
  }

  /** "本人" or "家人：陈伯（父亲）". */
  function forWhomText(application: Pick<Application, 'for_whom' | 'beneficiary_name' | 'relationship'>): string {
    if (application.for_whom !== 'family') {
      return t('casework.forWhom.self')
    }
    const name = application.beneficiary_name ?? ''
    return application.relationship
      ? t('casework.forWhom.familyWithRelation', { name, relationship: application.relationship })
      : t('casework.forWhom.family', { name })
  }

  function formatDuration(ms: number): string {
    const parts = durationParts(ms)
    return parts.unit === 'underHour' ? t('casework.duration.underHour') : t(`casework.duration.${parts.unit}`, { n: parts.n })
  }

  return {
    formatTime,
    errorText,
    forWhomText,
    formatDuration,
    statusLabel: (status: string) => label('casework.status', status),
    timelineLabel: (kind: string) => label('casework.timeline', kind),
  }
}
