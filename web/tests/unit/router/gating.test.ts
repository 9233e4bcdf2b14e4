import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GridItem } from 'vant'
import { createMemoryHistory, createRouter } from 'vue-router'
import HomePage from '@/pages/home/HomePage.vue'
import MePage from '@/pages/me/MePage.vue'
import { installGuards, routes } from '@/router'
import { canAdministerFund, canBuyInShop, canManageEvents, canReviewShop, canSellInShop, featureGate, roleGate, sectionTarget } from '@/router/gating'
import { homeSections, SECTIONS } from '@/router/sections'
import { useMetaStore } from '@/stores/meta'
import { mountWithApp, settle } from '../support/app'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

const fundSection = SECTIONS.find((s) => s.key === 'fund')!
const shopSection = SECTIONS.find((s) => s.key === 'shop')!
const meta = (features?: string[]) => ({
  name: '关爱城市',
  version: '0.1.0',
  consent_version: '2026-11',
  public_origin: '',
  ...(features === undefined ? {} : { features }),
})
const fundAdminUser = {
  ...sampleUser,
  roles: [{ role: 'fund_admin', org_id: null, org_name: null, village_id: null, village_name: null }],
}

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('gating rules', () => {
  it('shows 党员接待室 on the home page only to someone signed in', () => {
    expect(homeSections(false).some((s) => s.key === 'reception')).toBe(false)
    expect(homeSections(true).some((s) => s.key === 'reception')).toBe(true)
    expect(homeSections(true)).toHaveLength(SECTIONS.length)
  })

  it('links the home fund entry to the fund only when the feature is on', () => {
    expect(sectionTarget(fundSection, [])).toEqual({ name: 'section', params: { key: 'fund' } })
    expect(sectionTarget(fundSection, ['fund_admin'])).toEqual({ name: 'section', params: { key: 'fund' } })
    expect(sectionTarget(fundSection, ['fund'])).toEqual({ name: 'fund' })
    expect(sectionTarget(shopSection, ['fund'])).toEqual({ name: 'section', params: { key: 'shop' } })
    expect(sectionTarget(shopSection, ['fund', 'shop'])).toEqual({ name: 'shop' })
  })

  it('sends a gated route to its coming-soon page while its feature is off', () => {
    expect(featureGate({ titleKey: 'x', feature: 'fund' }, {}, [])).toEqual({ name: 'section', params: { key: 'fund' } })
    expect(featureGate({ titleKey: 'x', feature: 'fund' }, {}, ['fund'])).toBe(true)
    expect(featureGate({ titleKey: 'x', feature: 'fund_admin' }, {}, ['fund'])).toEqual({ name: 'section', params: { key: 'fund' } })
  })

  it('sends the fund coming-soon page to the fund once it opened', () => {
    const sectionMeta = { titleKey: 'app.name', titleKeyPrefix: 'sections' }
    expect(featureGate(sectionMeta, { key: 'fund' }, ['fund'])).toEqual({ name: 'fund', replace: true })
    expect(featureGate(sectionMeta, { key: 'fund' }, [])).toBe(true)
    expect(featureGate(sectionMeta, { key: 'shop' }, ['fund'])).toBe(true)
  })

  it('needs both the fund_admin feature and role for administration', () => {
    expect(canAdministerFund({ features: ['fund', 'fund_admin'], roles: ['fund_admin'] })).toBe(true)
    expect(canAdministerFund({ features: ['fund'], roles: ['fund_admin'] })).toBe(false)
    expect(canAdministerFund({ features: ['fund_admin'], roles: ['resident'] })).toBe(false)
    expect(canAdministerFund({ features: ['fund_admin'], roles: null })).toBe(false)
    expect(roleGate({ titleKey: 'x', requiresRole: 'fund_admin' }, { features: [], roles: ['resident'] })).toEqual({ name: 'me' })
    expect(roleGate({ titleKey: 'x', requiresRole: 'fund_admin' }, { features: [], roles: ['fund_admin'] })).toBe(true)
  })
})

describe('meta features', () => {
  it('reads a missing features field as []', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta()) })
    const store = useMetaStore()
    await store.load()
    expect(store.features).toEqual([])
    expect(store.hasFeature('fund')).toBe(false)
  })

  it('lists the features the server names', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['fund'])) })
    const store = useMetaStore()
    await store.load()
    expect(store.hasFeature('fund')).toBe(true)
    expect(store.hasFeature('fund_admin')).toBe(false)
  })
})

describe('the router guard', () => {
  async function navigate(path: string, features: string[] | undefined, user: unknown = null) {
    setActivePinia(createPinia()) // a fresh page load: meta and sign-in asked again
    stubFetch({
      'GET /api/v1/meta': jsonResponse(200, meta(features)),
      'GET /api/v1/me': user ? jsonResponse(200, { user, id: 7, roles: [] }) : errorResponse(401, 'unauthenticated', ''),
    })
    const router = createRouter({ history: createMemoryHistory(), routes })
    installGuards(router)
    await router.push(path)
    return router.currentRoute.value.fullPath
  }

  it('keeps the fund routes on the coming-soon page until the server has the fund', async () => {
    expect(await navigate('/fund', undefined)).toBe('/section/fund')
    expect(await navigate('/fund/donate', [])).toBe('/section/fund')
    expect(await navigate('/r/GC2026-000123', [])).toBe('/section/fund')
    expect(await navigate('/pay/sandbox/paymentabcdefgh23456?token=t', [])).toBe('/section/fund')
  })

  it('opens the fund routes with the feature, and the old section link forwards to /fund', async () => {
    expect(await navigate('/fund', ['fund'])).toBe('/fund')
    expect(await navigate('/fund/donations/donation2345abcdefgh?token=t', ['fund'])).toBe('/fund/donations/donation2345abcdefgh?token=t')
    expect(await navigate('/section/fund', ['fund'])).toBe('/fund')
    expect(await navigate('/section/shop', ['fund'])).toBe('/section/shop')
  })

  it('opens payments and donations by their public ids (20 characters a–z, 2–7), never by numbers', async () => {
    const resolve = (path: string) => createRouter({ history: createMemoryHistory(), routes }).resolve(path)
    const donation = resolve('/fund/donations/donation2345abcdefgh?token=abc')
    expect(donation.name).toBe('donation')
    expect(donation.params.id).toBe('donation2345abcdefgh')
    expect(donation.query.token).toBe('abc')
    expect(resolve('/fund/donations/donation2345abcdefgh/trace').name).toBe('donation-trace')
    expect(resolve('/pay/sandbox/paymentabcdefgh23456').name).toBe('pay-sandbox')
    for (const path of ['/fund/donations/7', '/fund/donations/7/trace', '/pay/sandbox/12', '/pay/sandbox/paymentabcdefgh2345']) {
      expect(resolve(path).name, path).toBe('not-found')
    }
  })

  it('falls back to coming soon when /meta cannot be read', async () => {
    stubFetch({ 'GET /api/v1/meta': () => Promise.reject(new TypeError('offline')) })
    const router = createRouter({ history: createMemoryHistory(), routes })
    installGuards(router)
    await router.push('/fund')
    expect(router.currentRoute.value.fullPath).toBe('/section/fund')
  })

  it('needs sign-in for my donations', async () => {
    expect(await navigate('/me/donations', ['fund'])).toBe('/login?redirect=/me/donations')
    expect(await navigate('/me/donations', ['fund'], sampleUser)).toBe('/me/donations')
  })

  it('opens fund administration only with the fund_admin feature and role', async () => {
    expect(await navigate('/fund/admin', [], fundAdminUser)).toBe('/section/fund')
    // Administration off but the public fund open: its coming-soon page forwards to the fund.
    expect(await navigate('/fund/admin', ['fund'], fundAdminUser)).toBe('/fund')
    expect(await navigate('/fund/admin', ['fund', 'fund_admin'])).toBe('/login?redirect=/fund/admin')
    expect(await navigate('/fund/admin', ['fund', 'fund_admin'], sampleUser)).toBe('/me')
    expect(await navigate('/fund/admin/refund', ['fund', 'fund_admin'], fundAdminUser)).toBe('/fund/admin/refund')
  })
})

describe('pages follow the gating', () => {
  it('home: the 关爱基金 entry opens the fund only when the feature is on', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta()) })
    const off = await mountWithApp(HomePage)
    await settle()
    const target = (w: typeof off.wrapper, key: string) =>
      w.findAllComponents(GridItem).find((item) => item.attributes('data-test') === `section-${key}`)?.props('to')
    expect(target(off.wrapper, 'fund')).toEqual({ name: 'section', params: { key: 'fund' } })
    off.wrapper.unmount()

    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['fund'])) })
    const on = await mountWithApp(HomePage)
    await settle()
    expect(target(on.wrapper, 'fund')).toEqual({ name: 'fund' })
    expect(target(on.wrapper, 'shop')).toEqual({ name: 'section', params: { key: 'shop' } })
  })

  it('我的: shows 我的捐款 with the fund, and fund administration only with feature and role', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['fund'])), 'GET /api/v1/me': jsonResponse(200, { user: fundAdminUser }) })
    const fundOnly = await mountWithApp(MePage, { path: '/me' })
    await settle()
    expect(fundOnly.wrapper.find('[data-test="me-donations"]').exists()).toBe(true)
    expect(fundOnly.wrapper.find('[data-test="me-fund-admin"]').exists()).toBe(false)
    fundOnly.wrapper.unmount()

    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['fund', 'fund_admin'])), 'GET /api/v1/me': jsonResponse(200, { user: fundAdminUser }) })
    const admin = await mountWithApp(MePage, { path: '/me' })
    await settle()
    expect(admin.wrapper.find('[data-test="me-fund-admin"]').exists()).toBe(true)
    admin.wrapper.unmount()

    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['fund', 'fund_admin'])), 'GET /api/v1/me': jsonResponse(200, { user: sampleUser }) })
    const resident = await mountWithApp(MePage, { path: '/me' })
    await settle()
    expect(resident.wrapper.find('[data-test="me-donations"]').exists()).toBe(true)
    expect(resident.wrapper.find('[data-test="me-fund-admin"]').exists()).toBe(false)
  })

  it('我的: no fund entries while the server has no fund', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta()), 'GET /api/v1/me': jsonResponse(200, { user: fundAdminUser }) })
    const { wrapper } = await mountWithApp(MePage, { path: '/me' })
    await settle()
    expect(wrapper.find('[data-test="me-profile"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="me-donations"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="me-fund-admin"]').exists()).toBe(false)
  })
})

describe('events and volunteers gating', () => {
  const eventsSection = SECTIONS.find((s) => s.key === 'events')!
  const volunteersSection = SECTIONS.find((s) => s.key === 'volunteers')!
  const staff = {
    ...sampleUser,
    roles: [{ role: 'org_staff', org_id: 3, org_name: '博睿社工', village_id: null, village_name: null }],
  }
  const resident = { ...sampleUser, roles: [{ role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null }] }

  async function navigate(path: string, features: string[], user: unknown = null) {
    setActivePinia(createPinia())
    stubFetch({
      'GET /api/v1/meta': jsonResponse(200, meta(features)),
      'GET /api/v1/me': user ? jsonResponse(200, { user, id: 7, roles: [] }) : errorResponse(401, 'unauthenticated', ''),
    })
    const router = createRouter({ history: createMemoryHistory(), routes })
    installGuards(router)
    await router.push(path)
    return router.currentRoute.value.fullPath
  }

  it('links the home events and volunteers entries once their features are on', () => {
    expect(sectionTarget(eventsSection, [])).toEqual({ name: 'section', params: { key: 'events' } })
    expect(sectionTarget(eventsSection, ['events'])).toEqual({ name: 'events' })
    expect(sectionTarget(volunteersSection, ['events'])).toEqual({ name: 'section', params: { key: 'volunteers' } })
    expect(sectionTarget(volunteersSection, ['volunteers'])).toEqual({ name: 'volunteer' })
  })

  it('shows 活动管理 only with the events feature and an org_staff role', () => {
    expect(canManageEvents({ features: ['events'], roles: ['org_staff'] })).toBe(true)
    expect(canManageEvents({ features: [], roles: ['org_staff'] })).toBe(false)
    expect(canManageEvents({ features: ['events'], roles: ['resident'] })).toBe(false)
    expect(canManageEvents({ features: ['events'], roles: null })).toBe(false)
  })

  it('opens the shop’s 我的 links by feature and role', () => {
    expect(canBuyInShop({ features: ['shop'], roles: ['resident'] })).toBe(true)
    expect(canBuyInShop({ features: ['shop'], roles: null })).toBe(false)
    expect(canBuyInShop({ features: [], roles: ['resident'] })).toBe(false)
    expect(canSellInShop({ features: ['shop'], roles: ['org_staff'] })).toBe(true)
    expect(canSellInShop({ features: ['shop'], roles: ['resident', 'fund_admin'] })).toBe(false)
    expect(canReviewShop({ features: ['shop'], roles: ['fund_admin'] })).toBe(true)
    expect(canReviewShop({ features: [], roles: ['fund_admin'] })).toBe(false)
  })

  it('keeps the events routes on the events coming-soon page until the server has them', async () => {
    expect(await navigate('/events', [])).toBe('/section/events')
    expect(await navigate('/events/1', ['fund'])).toBe('/section/events')
    expect(await navigate('/me/events', [], resident)).toBe('/section/events')
    expect(await navigate('/volunteer', ['events'], resident)).toBe('/section/volunteers')
    expect(await navigate('/section/events', ['events'])).toBe('/events')
  })

  it('opens the public event pages to guests, and sends sign-up, tickets and volunteering through login', async () => {
    expect(await navigate('/events', ['events'])).toBe('/events')
    expect(await navigate('/events/1', ['events'])).toBe('/events/1')
    expect(await navigate('/events/1/signup', ['events'])).toBe('/login?redirect=/events/1/signup')
    expect(await navigate('/me/tickets/ticketaaaaaaaaaaaaaj', ['events'])).toBe('/login?redirect=/me/tickets/ticketaaaaaaaaaaaaaj')
    expect(await navigate('/volunteer', ['volunteers'])).toBe('/login?redirect=/volunteer')
    expect(await navigate('/events/1/signup', ['events'], resident)).toBe('/events/1/signup')
    expect(await navigate('/volunteer', ['volunteers'], resident)).toBe('/volunteer')
  })

  it('opens the staff pages to org_staff only', async () => {
    expect(await navigate('/events/manage', ['events'], resident)).toBe('/me')
    expect(await navigate('/events/1/checkin', ['events'], resident)).toBe('/me')
    expect(await navigate('/events/manage', ['events'], staff)).toBe('/events/manage')
    expect(await navigate('/events/new', ['events'], staff)).toBe('/events/new')
    expect(await navigate('/events/1/attendance', ['events'], staff)).toBe('/events/1/attendance')
    expect(await navigate('/events/1/checkin', ['events'], staff)).toBe('/events/1/checkin')
  })

  it('我的: my events, home village, volunteering and 活动管理 follow the features and the role', async () => {
    stubFetch({
      'GET /api/v1/meta': jsonResponse(200, meta(['events', 'volunteers'])),
      'GET /api/v1/me': jsonResponse(200, { user: staff }),
      'GET /api/v1/me/village': jsonResponse(200, { village: { id: 1, name: '叠滘村' } }),
    })
    const on = await mountWithApp(MePage, { path: '/me' })
    await settle()
    expect(on.wrapper.find('[data-test="me-my-events"]').exists()).toBe(true)
    expect(on.wrapper.get('[data-test="me-village"]').text()).toContain('叠滘村')
    expect(on.wrapper.find('[data-test="me-volunteer"]').exists()).toBe(true)
    expect(on.wrapper.find('[data-test="me-event-admin"]').exists()).toBe(true)
    on.wrapper.unmount()

    stubFetch({
      'GET /api/v1/meta': jsonResponse(200, meta(['events'])),
      'GET /api/v1/me': jsonResponse(200, { user: resident }),
      'GET /api/v1/me/village': jsonResponse(200, { village: null }),
    })
    const residentView = await mountWithApp(MePage, { path: '/me' })
    await settle()
    expect(residentView.wrapper.get('[data-test="me-village"]').text()).toContain('未设置')
    expect(residentView.wrapper.find('[data-test="me-volunteer"]').exists()).toBe(false)
    expect(residentView.wrapper.find('[data-test="me-event-admin"]').exists()).toBe(false)
    residentView.wrapper.unmount()

    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta([])), 'GET /api/v1/me': jsonResponse(200, { user: staff }) })
    const off = await mountWithApp(MePage, { path: '/me' })
    await settle()
    expect(off.wrapper.find('[data-test="me-my-events"]').exists()).toBe(false)
    expect(off.wrapper.find('[data-test="me-event-admin"]').exists()).toBe(false)
  })

  it('home: the 活动 entry opens the events list with the feature', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta(['events'])) })
    const { wrapper } = await mountWithApp(HomePage)
    await settle()
    const target = wrapper.findAllComponents(GridItem).find((item) => item.attributes('data-test') === 'section-events')?.props('to')
    expect(target).toEqual({ name: 'events' })
  })
})
