import { describe, expect, it } from 'vitest'
import { isExtended, splitDuration } from '@/composables/useAuctionText'
import { canBid, canManageLots } from '@/router/gating'

describe('auction countdowns', () => {
  it('splits a duration into days and HH:MM:SS, rounding up to the second and never below zero', () => {
    expect(splitDuration(0)).toEqual({ days: 0, clock: '00:00:00' })
    expect(splitDuration(-5_000)).toEqual({ days: 0, clock: '00:00:00' })
    expect(splitDuration(1)).toEqual({ days: 0, clock: '00:00:01' })
    expect(splitDuration(3_661_000)).toEqual({ days: 0, clock: '01:01:01' })
    expect(splitDuration(2 * 86_400_000 + 59_000)).toEqual({ days: 2, clock: '00:00:59' })
  })

  it('calls a lot extended once the soft close moved its end', () => {
    expect(isExtended({ extensions: 0, ends_at_ms: 10, scheduled_end_ms: 10 })).toBe(false)
    expect(isExtended({ extensions: 1, ends_at_ms: 20, scheduled_end_ms: 10 })).toBe(true)
  })
})

describe('auction gating on 我的', () => {
  it('links 我的竞拍 for anyone signed in and 拍品管理 for fund admins, once the feature is on', () => {
    expect(canBid({ features: ['auction'], roles: [] })).toBe(true)
    expect(canBid({ features: ['auction'], roles: null })).toBe(false)
    expect(canBid({ features: [], roles: [] })).toBe(false)
    expect(canManageLots({ features: ['auction'], roles: ['fund_admin'] })).toBe(true)
    expect(canManageLots({ features: ['auction'], roles: ['org_staff'] })).toBe(false)
  })
})
