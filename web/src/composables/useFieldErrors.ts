/**
 * Field errors for forms whose fields are many and numbered (`budget_lines[2].amount_fen`,
 * `rubric[1].weight`): the client's messages by field name, and the server's error shown under
 * the field it names when the page shows that field (`shown`), else once above the form.
 */
import { computed, ref } from 'vue'
import type { FormError } from '@/stores/result'
import { useErrorText } from './useErrorText'

export function useFieldErrors(shown: RegExp) {
  const { errorText } = useErrorText()
  const client = ref<Record<string, string>>({})
  const server = ref<FormError | null>(null)

  function fieldError(name: string): string {
    const local = client.value[name]
    if (local) {
      return local
    }
    return server.value !== null && server.value.field === name ? errorText(server.value) : ''
  }

  /** The server error no shown field carries, as text ('' when none). */
  const formError = computed(() => {
    const e = server.value
    return e !== null && (e.field === null || !shown.test(e.field)) ? errorText(e) : ''
  })

  function clearField(name: string): void {
    if (name in client.value) {
      const { [name]: _gone, ...rest } = client.value
      client.value = rest
    }
    if (server.value?.field === name) {
      server.value = null
    }
  }

  function setClient(errors: Record<string, string>): void {
    client.value = errors
  }

  function setServer(error: FormError | null): void {
    server.value = error
  }

  function clear(): void {
    client.value = {}
    server.value = null
  }

  /** The props a `<van-field>` named `name` takes for its error: `v-bind="fieldProps('title')"`. */
  function fieldProps(name: string): { name: string; error: boolean; 'error-message': string } {
    const message = fieldError(name)
    return { name, error: message !== '', 'error-message': message }
  }

  const hasErrors = computed(() => Object.keys(client.value).length > 0 || server.value !== null)

  return { fieldError, fieldProps, formError, clearField, setClient, setServer, clear, hasErrors }
}
