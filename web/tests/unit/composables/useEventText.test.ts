import { describe, expect, it } from 'vitest'
import { dateRange } from '@/composables/useEventText'

// Shanghai midnight of a calendar day, written in UTC so the process's TZ never matters.
const shanghaiMidnight = (month: number, day: number) => Date.UTC(2026, month, day) - 8 * 3_600_000

describe('event date helpers', () => {
  // Wednesday 2026-11-25 15:30 in Shanghai.
  const wednesday = Date.UTC(2026, 10, 25, 7, 30)

  it('gives no bounds for 全部', () => {
    expect(dateRange('all', wednesday)).toEqual({})
  })

  it('covers today, the rest of the week to Sunday, and the rest of the month, in Shanghai', () => {
    const today = shanghaiMidnight(10, 25)
    expect(dateRange('today', wednesday)).toEqual({ from_ms: today, to_ms: shanghaiMidnight(10, 26) - 1 })
    expect(dateRange('week', wednesday)).toEqual({ from_ms: today, to_ms: shanghaiMidnight(10, 30) - 1 })
    expect(dateRange('month', wednesday)).toEqual({ from_ms: today, to_ms: shanghaiMidnight(11, 1) - 1 })
  })

  it('on a Sunday the week ends that night; on a Monday it runs seven days', () => {
    const sunday = Date.UTC(2026, 10, 29, 1)
    const monday = Date.UTC(2026, 10, 30, 1)
    expect(dateRange('week', sunday).to_ms).toBe(shanghaiMidnight(10, 30) - 1)
    expect(dateRange('week', monday).to_ms).toBe(shanghaiMidnight(11, 7) - 1)
  })

  it('takes "today" from Shanghai, not UTC: 00:30 on Monday in Shanghai is still Sunday in UTC', () => {
    const earlyMonday = Date.UTC(2026, 10, 29, 16, 30)
    expect(dateRange('today', earlyMonday)).toEqual({ from_ms: shanghaiMidnight(10, 30), to_ms: shanghaiMidnight(11, 1) - 1 })
  })
})
