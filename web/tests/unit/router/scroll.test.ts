import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter, START_LOCATION, type RouteLocationNormalized } from 'vue-router'
import { routes, scrollBehavior } from '@/router'

describe('scrollBehavior', () => {
  const router = createRouter({ history: createMemoryHistory(), routes })
  // A resolved location carries everything scrollBehavior reads (its name may be null in the type).
  const home = router.resolve('/') as RouteLocationNormalized
  const events = router.resolve('/events') as RouteLocationNormalized

  it('leaves the page the app opens on where the browser has it', () => {
    expect(scrollBehavior(home, START_LOCATION, null)).toBe(false)
  })

  it('returns to the saved place on back and forward, even on the first page after a reload', () => {
    expect(scrollBehavior(home, events, { left: 0, top: 480 })).toEqual({ left: 0, top: 480 })
    expect(scrollBehavior(home, START_LOCATION, { left: 0, top: 120 })).toEqual({ left: 0, top: 120 })
  })

  it('starts any other navigation at the top', () => {
    expect(scrollBehavior(events, home, null)).toEqual({ top: 0 })
  })
})
