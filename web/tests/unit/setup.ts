/**
 * Every unit test runs at one fixed instant (the fixtures' NOW), so a test never depends on the
 * day the suite happens to run: fixtures say "starts in two hours", and it always does.
 * A test that needs time to move uses vi.useFakeTimers() itself.
 */
import { afterEach, beforeEach, vi } from 'vitest'
import { NOW } from './support/events'

beforeEach(() => {
  vi.setSystemTime(NOW)
})

afterEach(() => {
  vi.useRealTimers()
})
