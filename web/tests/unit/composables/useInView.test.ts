import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { useInView } from '@/composables/useInView'

/** A stand-in IntersectionObserver: tests call `fire(isIntersecting)` on the latest one. */
class FakeObserver {
  static last: FakeObserver | null = null
  observed: Element[] = []
  disconnected = false
  options: IntersectionObserverInit | undefined
  constructor(
    private readonly callback: IntersectionObserverCallback,
    options?: IntersectionObserverInit,
  ) {
    this.options = options
    FakeObserver.last = this
  }
  observe(el: Element): void {
    this.observed.push(el)
  }
  disconnect(): void {
    this.disconnected = true
  }
  fire(isIntersecting: boolean): void {
    this.callback([{ isIntersecting } as IntersectionObserverEntry], this as unknown as IntersectionObserver)
  }
}

const Probe = defineComponent({
  setup() {
    const el = ref<HTMLElement | null>(null)
    const inView = useInView(el, '0px 0px 100px 0px')
    return () => h('div', { ref: el, 'data-in-view': String(inView.value) })
  },
})

/** Two animation frames: the paint useInView waits for. */
async function paint(): Promise<void> {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
  await nextTick()
}

describe('useInView', () => {
  beforeEach(() => {
    FakeObserver.last = null
    vi.stubGlobal('IntersectionObserver', FakeObserver)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('starts watching only after the first paint, and turns true once the element comes into view', async () => {
    const wrapper = mount(Probe)
    expect(FakeObserver.last).toBeNull()
    await paint()
    const observer = FakeObserver.last as FakeObserver | null
    expect(observer?.observed).toEqual([wrapper.element])
    expect(observer?.options?.rootMargin).toBe('0px 0px 100px 0px')
    observer?.fire(false)
    await nextTick()
    expect(wrapper.attributes('data-in-view')).toBe('false')
    observer?.fire(true)
    await nextTick()
    expect(wrapper.attributes('data-in-view')).toBe('true')
    expect(observer?.disconnected).toBe(true)
  })

  it('stops watching when the component goes away before it was seen', async () => {
    const wrapper = mount(Probe)
    await paint()
    const observer = FakeObserver.last as FakeObserver | null
    wrapper.unmount()
    expect(observer?.disconnected).toBe(true)
  })

  it('without IntersectionObserver, turns true right after the first paint', async () => {
    vi.stubGlobal('IntersectionObserver', undefined)
    const wrapper = mount(Probe)
    expect(wrapper.attributes('data-in-view')).toBe('false')
    await paint()
    expect(wrapper.attributes('data-in-view')).toBe('true')
  })
})
