/**
 * One ticking clock for every countdown on screen (a list of lots shows many; they all read this
 * one `now` instead of each running its own timer). The tick runs only while somebody holds the
 * clock (`hold()` returns the release). `now` is the server's time as well as the page can tell:
 * the local clock plus an offset learnt from a time the server stated (a bid's `at_ms`).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

export const TICK_MS = 1_000

export const useClockStore = defineStore('clock', () => {
  const localNow = ref(Date.now())
  const offsetMs = ref(0)
  let holders = 0
  let timer: ReturnType<typeof setInterval> | null = null

  const now = computed(() => localNow.value + offsetMs.value)

  function tick(): void {
    localNow.value = Date.now()
  }

  /**
   * A time the server stated just now (its clock when it answered). The offset is the difference
   * to ours; an answer's travel time makes it a little late, so small differences (under a
   * second) are not worth a jump in every countdown.
   */
  function noteServerTime(serverMs: number, receivedAtMs = Date.now()): void {
    const offset = serverMs - receivedAtMs
    if (Math.abs(offset - offsetMs.value) >= TICK_MS) {
      offsetMs.value = offset
    }
    tick()
  }

  function hold(): () => void {
    holders += 1
    if (timer === null) {
      tick()
      timer = setInterval(tick, TICK_MS)
    }
    let released = false
    return () => {
      if (released) {
        return
      }
      released = true
      holders -= 1
      if (holders === 0 && timer !== null) {
        clearInterval(timer)
        timer = null
      }
    }
  }

  return { now, offsetMs, noteServerTime, hold, tick }
})
