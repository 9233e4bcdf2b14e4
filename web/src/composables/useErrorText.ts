/** Turns a store `FormError` into the text to show: the server's localised message first. */
import { useI18n } from 'vue-i18n'
import type { FormError } from '@/stores/result'

export function useErrorText() {
  const { t, te } = useI18n()

  function errorText(error: FormError): string {
    if (error.message !== null) {
      return error.message
    }
    if (error.code === 'rate_limited') {
      return error.retryAfterSeconds !== null
        ? t('errors.rate_limited', { seconds: error.retryAfterSeconds })
        : t('errors.rate_limited_plain')
    }
    const key = `errors.${error.code}`
    return te(key) ? t(key) : t('errors.unknown')
  }

  return { errorText }
}
