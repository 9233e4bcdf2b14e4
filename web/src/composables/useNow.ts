/**
 * The shared clock for a page's countdowns: holds `stores/clock` while the component is mounted
 * (one timer for every countdown on screen) and returns its `now` (server-adjusted epoch ms).
 */
import { computed, onMounted, onUnmounted } from 'vue'
import { useClockStore } from '@/stores/clock'

export function useNow() {
  const clock = useClockStore()
  let release: (() => void) | null = null
  onMounted(() => {
    release = clock.hold()
  })
  onUnmounted(() => {
    release?.()
    release = null
  })
  return computed(() => clock.now)
}
