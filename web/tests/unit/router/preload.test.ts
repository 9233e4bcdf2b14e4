import { describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { preloadRoute } from '@/router'

describe('preloadRoute', () => {
  it('starts loading the lazily imported components of the page at a path, and only those', async () => {
    const Eager = defineComponent({ render: () => null })
    const lazyLoader = vi.fn(() => Promise.resolve({ default: Eager }))
    const otherLoader = vi.fn(() => Promise.resolve({ default: Eager }))
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: Eager },
        { path: '/fund', component: lazyLoader },
        { path: '/events', component: otherLoader },
      ],
    })
    expect(await Promise.all(preloadRoute(router, '/fund?tab=1'))).toHaveLength(1)
    expect(lazyLoader).toHaveBeenCalledTimes(1)
    expect(otherLoader).not.toHaveBeenCalled()
    expect(preloadRoute(router, '/')).toEqual([])
  })

  it('swallows a failed load: the navigation itself reports it', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/broken', component: () => Promise.reject(new Error('chunk gone')) }],
    })
    await expect(Promise.all(preloadRoute(router, '/broken'))).resolves.toEqual([undefined])
  })
})
