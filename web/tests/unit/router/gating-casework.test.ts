/** Gating of 服务申请: the `services` home section, its routes and the 我的 entries (casework). */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GridItem } from 'vant'
import { createMemoryHistory, createRouter } from 'vue-router'
import HomePage from '@/pages/home/HomePage.vue'
import MePage from '@/pages/me/MePage.vue'
import { installGuards, routes } from '@/router'
import { canApplyCasework, canManageCasework, canSuperviseCasework, featureGate, roleGate, sectionTarget } from '@/router/gating'
import { SECTIONS } from '@/router/sections'
import { mountWithApp, settle } from '../support/app'
import { meta, resident, staffUser } from '../support/casework'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

const servicesSection = SECTIONS.find((s) => s.key === 'services')!
const grant = (role: string) => ({ role, org_id: null, org_name: null, village_id: null, village_name: null })
const fundAdmin = { ...resident, id: 4, roles: [grant('fund_admin')] }
const platformAdmin = { ...resident, id: 8, roles: [grant('platform_admin')] }

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('casework gating rules', () => {
  it('links the home 服务申请 entry to the catalogue only when the server lists casework', () => {
    expect(servicesSection).toMatchObject({ feature: 'casework', routeName: 'services' })
    expect(sectionTarget(servicesSection, ['fund'])).toEqual({ name: 'section', params: { key: 'services' } })
    expect(sectionTarget(servicesSection, ['fund', 'casework'])).toEqual({ name: 'services' })
  })

  it('sends casework routes to the services coming-soon page while the feature is off, and back once on', () => {
    const routeMeta = { titleKey: 'x', feature: 'casework', featureSection: 'services' as const }
    expect(featureGate(routeMeta, {}, ['fund'])).toEqual({ name: 'section', params: { key: 'services' } })
    expect(featureGate(routeMeta, {}, ['casework'])).toBe(true)
    const sectionMeta = { titleKey: 'app.name', titleKeyPrefix: 'sections' }
    expect(featureGate(sectionMeta, { key: 'services' }, ['casework'])).toEqual({ name: 'services', replace: true })
    expect(featureGate(sectionMeta, { key: 'services' }, [])).toBe(true)
  })

  it('decides the 我的 entries from the feature and the roles', () => {
    const on = ['casework']
    expect(canApplyCasework({ features: on, roles: ['resident'] })).toBe(true)
    expect(canApplyCasework({ features: on, roles: [] })).toBe(true)
    expect(canApplyCasework({ features: on, roles: null })).toBe(false)
    expect(canApplyCasework({ features: [], roles: ['resident'] })).toBe(false)
    expect(canManageCasework({ features: on, roles: ['org_staff'] })).toBe(true)
    expect(canManageCasework({ features: [], roles: ['org_staff'] })).toBe(false)
    expect(canManageCasework({ features: on, roles: ['fund_admin'] })).toBe(false)
    expect(canSuperviseCasework({ features: on, roles: ['fund_admin'] })).toBe(true)
    expect(canSuperviseCasework({ features: on, roles: ['platform_admin'] })).toBe(true)
    expect(canSuperviseCasework({ features: on, roles: ['org_staff', 'resident'] })).toBe(false)
    expect(canSuperviseCasework({ features: [], roles: ['platform_admin'] })).toBe(false)
  })

  it('lets any of several roles through requiresAnyRole', () => {
    const routeMeta = { titleKey: 'x', requiresAnyRole: ['fund_admin', 'platform_admin'] as const }
    expect(roleGate(routeMeta, { features: [], roles: ['platform_admin'] })).toBe(true)
    expect(roleGate(routeMeta, { features: [], roles: ['fund_admin'] })).toBe(true)
    expect(roleGate(routeMeta, { features: [], roles: ['org_staff'] })).toEqual({ name: 'me' })
  })
})

describe('the router guard on casework routes', () => {
  async function navigate(path: string, features: string[], user: unknown = null) {
    setActivePinia(createPinia())
    stubFetch({
      'GET /api/v1/meta': jsonResponse(200, meta(features)),
      'GET /api/v1/me': user ? jsonResponse(200, { user }) : errorResponse(401, 'unauthenticated', ''),
    })
    const router = createRouter({ history: createMemoryHistory(), routes })
    installGuards(router)
    await router.push(path)
    return router.currentRoute.value.fullPath
  }

  it('keeps every casework route on the services coming-soon page without the feature', async () => {
    for (const path of ['/services', '/services/1/apply', '/me/casework', '/casework/applications/9', '/casework/staff', '/casework/admin']) {
      expect(await navigate(path, ['fund'], staffUser)).toBe('/section/services')
    }
  })

  it('opens the catalogue to everyone, the old section link forwards to it', async () => {
    expect(await navigate('/services', ['casework'])).toBe('/services')
    expect(await navigate('/section/services', ['casework'])).toBe('/services')
  })

  it('needs sign-in to apply and to see applications', async () => {
    expect(await navigate('/services/1/apply', ['casework'])).toBe('/login?redirect=/services/1/apply')
    expect(await navigate('/me/casework', ['casework'])).toBe('/login?redirect=/me/casework')
    expect(await navigate('/casework/applications/9', ['casework'], resident)).toBe('/casework/applications/9')
  })

  it('opens the inbox and the service form to org_staff only', async () => {
    expect(await navigate('/casework/staff', ['casework'], resident)).toBe('/me')
    expect(await navigate('/casework/staff', ['casework'], staffUser)).toBe('/casework/staff')
    expect(await navigate('/casework/staff/services/new', ['casework'], staffUser)).toBe('/casework/staff/services/new')
  })

  it('opens supervision to fund and platform administrators only', async () => {
    expect(await navigate('/casework/admin', ['casework'])).toBe('/login?redirect=/casework/admin')
    expect(await navigate('/casework/admin', ['casework'], staffUser)).toBe('/me')
    expect(await navigate('/casework/admin', ['casework'], fundAdmin)).toBe('/casework/admin')
    expect(await navigate('/casework/admin', ['casework'], platformAdmin)).toBe('/casework/admin')
  })
})

describe('pages follow the casework gating', () => {
  it('home: the 服务申请 entry opens the catalogue only with the feature', async () => {
    const target = (w: Awaited<ReturnType<typeof mountWithApp>>['wrapper']) =>
      w.findAllComponents(GridItem).find((item) => item.attributes('data-test') === 'section-services')?.props('to')
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['fund'])) })
    const off = await mountWithApp(HomePage)
    await settle()
    expect(target(off.wrapper)).toEqual({ name: 'section', params: { key: 'services' } })
    off.wrapper.unmount()

    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['casework'])) })
    const on = await mountWithApp(HomePage)
    await settle()
    expect(target(on.wrapper)).toEqual({ name: 'services' })
  })

  async function meEntries(features: string[], user: unknown): Promise<string[]> {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(features)), 'GET /api/v1/me': jsonResponse(200, { user }) })
    const { wrapper } = await mountWithApp(MePage, { path: '/me' })
    await settle()
    const found = ['me-casework', 'me-casework-staff', 'me-casework-admin'].filter((id) => wrapper.find(`[data-test="${id}"]`).exists())
    wrapper.unmount()
    return found
  }

  it('我的: 我的申请 for residents, 服务申请管理 for staff, 服务申请督办 for administrators', async () => {
    expect(await meEntries(['fund'], staffUser)).toEqual([])
    expect(await meEntries(['casework'], resident)).toEqual(['me-casework'])
    expect(await meEntries(['casework'], staffUser)).toEqual(['me-casework', 'me-casework-staff'])
    expect(await meEntries(['casework'], fundAdmin)).toEqual(['me-casework', 'me-casework-admin'])
    expect(await meEntries(['casework'], platformAdmin)).toEqual(['me-casework', 'me-casework-admin'])
  })
})
