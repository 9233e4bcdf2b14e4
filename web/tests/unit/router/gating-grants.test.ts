import { describe, expect, it } from 'vitest'
import { routes } from '@/router'
import { canApplyGrants, canManageGrants, canSeeGrants, featureGate, roleGate, sectionTarget } from '@/router/gating'
import { SECTIONS } from '@/router/sections'

const grantsSection = SECTIONS.find((s) => s.key === 'grants')!

describe('grants gating', () => {
  it('opens the home section and the routes only with the grants feature', () => {
    expect(sectionTarget(grantsSection, ['fund'])).toEqual({ name: 'section', params: { key: 'grants' } })
    expect(sectionTarget(grantsSection, ['grants'])).toEqual({ name: 'grants' })
    const meta = routes.find((r) => r.name === 'grants-apply')!.meta!
    expect(featureGate(meta, {}, [])).toEqual({ name: 'section', params: { key: 'grants' } })
    expect(featureGate(meta, {}, ['grants'])).toBe(true)
  })

  it('keeps the form for organisation staff and administration for fund admins', () => {
    const form = routes.find((r) => r.name === 'grants-edit')!.meta!
    const admin = routes.find((r) => r.name === 'grants-admin-meeting')!.meta!
    expect(roleGate(form, { features: ['grants'], roles: ['resident'] })).toEqual({ name: 'me' })
    expect(roleGate(form, { features: ['grants'], roles: ['org_staff'] })).toBe(true)
    expect(roleGate(admin, { features: ['grants'], roles: ['org_staff'] })).toEqual({ name: 'me' })
    expect(roleGate(admin, { features: ['grants'], roles: ['fund_admin'] })).toBe(true)
  })

  it('shows the 我的 links by feature and role', () => {
    expect(canSeeGrants({ features: ['grants'], roles: null })).toBe(false)
    expect(canSeeGrants({ features: ['grants'], roles: ['resident'] })).toBe(true)
    expect(canApplyGrants({ features: ['grants'], roles: ['resident'] })).toBe(false)
    expect(canApplyGrants({ features: ['grants'], roles: ['org_staff'] })).toBe(true)
    expect(canManageGrants({ features: [], roles: ['fund_admin'] })).toBe(false)
    expect(canManageGrants({ features: ['grants'], roles: ['fund_admin'] })).toBe(true)
  })
})
