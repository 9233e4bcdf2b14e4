/**
 * Error state of one form. Client-side checks and server errors share it: a server error that
 * names a field the form shows is attached to that field (Vant highlights it); any other error
 * is shown once, above the submit button. Pages call `clearField` as the user edits a field.
 * `text` words a server error (default: the server's localised message); a form whose refusals
 * need the page's figures (an amount left in a budget) passes its own.
 */
import { computed, reactive, ref } from 'vue'
import type { FormError } from '@/stores/result'
import { useErrorText } from './useErrorText'

export function useFormErrors<F extends string>(fields: readonly F[], text?: (error: FormError) => string) {
  const { errorText: serverText } = useErrorText()
  const errorText = text ?? serverText
  const serverError = ref<FormError | null>(null)
  const clientErrors = reactive<Partial<Record<F, string>>>({}) as Partial<Record<F, string>>

  function isFormField(field: string | null): field is F {
    return field !== null && (fields as readonly string[]).includes(field)
  }

  /** Message for one field ('' when none): client check first, then the server's. */
  function fieldError(field: F): string {
    const local = clientErrors[field]
    if (local) {
      return local
    }
    const server = serverError.value
    return server !== null && server.field === field ? errorText(server) : ''
  }

  /** The server error that no shown field can carry, as text ('' when none). */
  const formError = computed(() => {
    const server = serverError.value
    return server !== null && !isFormField(server.field) ? errorText(server) : ''
  })

  function setClientError(field: F, message: string): void {
    clientErrors[field] = message
  }

  function setServerError(error: FormError): void {
    serverError.value = error
  }

  /** The user edited `field`: its error goes, the client's and a server error naming it alike. */
  function clearField(field: F): void {
    delete clientErrors[field]
    if (serverError.value !== null && serverError.value.field === field) {
      serverError.value = null
    }
  }

  function clear(): void {
    serverError.value = null
    for (const field of fields) {
      delete clientErrors[field]
    }
  }

  const hasClientErrors = (): boolean => fields.some((f) => Boolean(clientErrors[f]))

  return { fieldError, formError, setClientError, setServerError, clearField, clear, hasClientErrors, serverError }
}
