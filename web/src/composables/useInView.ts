/**
 * Heavy parts of a page (the fund summary's charts) wait until the page has painted and the part
 * is on screen: `useInView(el)` turns `true` once — and stays true — after the browser's first
 * paint following mount (two animation frames) *and* the element has come within `rootMargin` of
 * the viewport (an IntersectionObserver). Without IntersectionObserver it turns true right after
 * that first paint. The observer is disconnected when it fires and when the component unmounts.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** Resolves after the next frame has been painted (rAF runs before paint; the second one after). */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') {
      setTimeout(resolve, 0)
      return
    }
    requestAnimationFrame(() => requestAnimationFrame(() => resolve()))
  })
}

export function useInView(el: Ref<HTMLElement | null>, rootMargin = '0px'): Ref<boolean> {
  const inView = ref(false)
  let observer: IntersectionObserver | null = null
  let alive = true

  onMounted(async () => {
    await afterNextPaint()
    if (!alive || el.value === null) {
      return
    }
    if (typeof IntersectionObserver === 'undefined') {
      inView.value = true
      return
    }
    observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          inView.value = true
          observer?.disconnect()
          observer = null
        }
      },
      { rootMargin },
    )
    observer.observe(el.value)
  })

  onBeforeUnmount(() => {
    alive = false
    observer?.disconnect()
    observer = null
  })

  return inView
}
