/**
 * One text parameter of the current route's query string, or null when absent or empty (a
 * repeated parameter counts as absent). The fund pages read a guest's access token (`token`)
 * and a receipt's check code (`code`) this way.
 */
import { computed, type ComputedRef } from 'vue'
import { useRoute } from 'vue-router'

export function useQueryParam(name: string): ComputedRef<string | null> {
  const route = useRoute()
  return computed(() => {
    const value = route.query[name]
    return typeof value === 'string' && value !== '' ? value : null
  })
}
