/**
 * The shared mechanics of a fund admin form: field errors (client and server, by the server's
 * field names), a submitting flag, a success notice, and a yuan → fen check for money fields.
 */
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useNoticeStore } from '@/stores/notice'
import type { Result } from '@/stores/result'
import { useFormErrors } from './useFormErrors'
import { parseYuanToFen } from './useMoney'

export function useAdminForm<F extends string>(fields: readonly F[]) {
  const { t } = useI18n()
  const notices = useNoticeStore()
  const errors = useFormErrors(fields)
  const submitting = ref(false)

  /** Fen for a typed yuan amount, or null after setting the field's error. */
  function money(field: F, text: string): number | null {
    const parsed = parseYuanToFen(text)
    if (!parsed.ok) {
      errors.setClientError(field, t(`donate.amountError.${parsed.error}`))
      return null
    }
    return parsed.fen
  }

  /** A required text field: trimmed text, or null after setting the field's error. */
  function required(field: F, text: string): string | null {
    const value = text.trim()
    if (value === '') {
      errors.setClientError(field, t('fundAdmin.required'))
      return null
    }
    return value
  }

  /** A positive whole number typed into a field (an id, a count). */
  function positiveInt(field: F, text: string): number | null {
    const value = text.trim()
    if (!/^[1-9]\d{0,14}$/.test(value)) {
      errors.setClientError(field, t('fundAdmin.positiveInt'))
      return null
    }
    return Number(value)
  }

  /** Sends once the client checks passed; shows server errors; a notice on success. */
  async function submit<T>(action: () => Promise<Result<T>>, successKey: string): Promise<boolean> {
    if (errors.hasClientErrors()) {
      return false
    }
    submitting.value = true
    const result = await action()
    submitting.value = false
    if (!result.ok) {
      errors.setServerError(result.error)
      return false
    }
    notices.show(successKey)
    return true
  }

  return { errors, submitting, money, required, positiveInt, submit }
}
