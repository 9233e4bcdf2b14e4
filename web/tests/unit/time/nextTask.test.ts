import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTask } from '@/time/nextTask'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('nextTask', () => {
  it('resolves in a later task: after promise callbacks and after a timer queued before it', async () => {
    vi.stubGlobal('scheduler', undefined)
    const order: string[] = []
    setTimeout(() => order.push('earlier timer'), 0)
    const done = nextTask().then(() => order.push('next task'))
    void Promise.resolve().then(() => order.push('microtask'))
    await done
    expect(order).toEqual(['microtask', 'earlier timer', 'next task'])
  })

  it('uses scheduler.yield where the browser has it', async () => {
    const yieldFn = vi.fn(() => Promise.resolve())
    vi.stubGlobal('scheduler', { yield: yieldFn })
    await nextTask()
    expect(yieldFn).toHaveBeenCalledTimes(1)
  })
})
