import { describe, expect, it } from 'vitest'
import { dateRange, fromLocalInput, toLocalInput } from '@/composables/useEventText'

describe('event date helpers', () => {
  // Wednesday 2026-11-25 15:30 local time.
  const wednesday = new Date(2026, 10, 25, 15, 30).getTime()

  it('gives no bounds for 全部', () => {
    expect(dateRange('all', wednesday)).toEqual({})
  })

  it('covers today, the rest of the week to Sunday, and the rest of the month', () => {
    const today = new Date(2026, 10, 25).getTime()
    expect(dateRange('today', wednesday)).toEqual({ from_ms: today, to_ms: new Date(2026, 10, 26).getTime() - 1 })
    expect(dateRange('week', wednesday)).toEqual({ from_ms: today, to_ms: new Date(2026, 10, 30).getTime() - 1 })
    expect(dateRange('month', wednesday)).toEqual({ from_ms: today, to_ms: new Date(2026, 11, 1).getTime() - 1 })
  })

  it('on a Sunday the week ends that night; on a Monday it runs seven days', () => {
    const sunday = new Date(2026, 10, 29, 9).getTime()
    const monday = new Date(2026, 10, 30, 9).getTime()
    expect(dateRange('week', sunday).to_ms).toBe(new Date(2026, 10, 30).getTime() - 1)
    expect(dateRange('week', monday).to_ms).toBe(new Date(2026, 11, 7).getTime() - 1)
  })

  it('reads and writes datetime-local values in local time', () => {
    const ms = new Date(2026, 0, 5, 9, 7).getTime()
    expect(toLocalInput(ms)).toBe('2026-01-05T09:07')
    expect(fromLocalInput('2026-01-05T09:07')).toBe(ms)
    expect(fromLocalInput('')).toBeNull()
    expect(fromLocalInput('2026-02-30T10:00')).toBeNull()
    expect(fromLocalInput('tomorrow')).toBeNull()
  })
})
