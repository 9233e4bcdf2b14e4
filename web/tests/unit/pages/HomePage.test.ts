import { afterEach, describe, expect, it } from 'vitest'
import HomePage from '@/pages/home/HomePage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { meta, residentUser } from '../support/events'
import { errorResponse, jsonResponse, stubFetch, type Responder } from '../support/fetch'
import { home, homeMe } from '../support/home'
import { mountWithApp, settle } from '../support/app'

const FEATURES = ['fund', 'events', 'casework', 'shop', 'auction', 'grants', 'market', 'forum']

function stub(answer: Responder | Response, user: unknown = null) {
  return stubFetch({
    'GET /api/v1/meta': jsonResponse(200, meta(FEATURES)),
    'GET /api/v1/me': user ? jsonResponse(200, { user }) : errorResponse(401, 'unauthenticated', ''),
    'GET /api/v1/home': answer,
  })
}

async function mountHome() {
  const mounted = await mountWithApp(HomePage, { path: '/' })
  await settle()
  return mounted
}

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

describe('HomePage', () => {
  it('renders every block from one GET /home, in order, each with its 更多 link', async () => {
    const { requests } = stub(jsonResponse(200, home()))
    const { wrapper } = await mountHome()
    expect(requests.filter((r) => r.url.startsWith('/api/v1/home'))).toHaveLength(1)
    // Only the one answer feeds the blocks: no section list is asked for.
    expect(requests.map((r) => r.url).filter((u) => /\/(events|shop|auction|grants|market|forum|casework|fund)\b/.test(u))).toEqual([])

    const blocks = wrapper.findAll('[data-test^="home-block-"]').map((b) => b.attributes('data-test'))
    expect(blocks).toEqual(['home-block-events', 'home-block-fund', 'home-block-services', 'home-block-products', 'home-block-lots', 'home-block-calls', 'home-block-meetings', 'home-block-threads'])

    const events = wrapper.get('[data-test="home-block-events"]')
    expect(events.get('h2').text()).toBe('近期活动')
    expect(events.findAll('[data-test="event-card"]')).toHaveLength(2)
    expect(events.findAll('[data-test="event-remaining"]').map((e) => e.text())).toEqual(['剩余 27 席', '已满，可排队候补'])
    expect(events.get('[data-test="event-card"]').attributes('href')).toBe('/events/1')
    expect(wrapper.get('[data-test="home-more-events"]').attributes('href')).toBe('/events')

    expect(wrapper.get('[data-test="home-fund-raised"]').text()).toContain('¥13,451,000.00')
    expect(wrapper.get('[data-test="home-fund-balance"]').text()).toContain('基金余额')
    expect(wrapper.get('[data-test="home-grant"]').text()).toContain('资助·家庭综合服务中心·家庭暴力预防')
    expect(wrapper.get('[data-test="home-grant"]').text()).toContain('¥150,000.00')

    expect(wrapper.get('[data-test="home-service"]').text()).toContain('长者探访')
    expect(wrapper.get('[data-test="home-service"]').attributes('href')).toBe('/services/1/apply')
    expect(wrapper.get('[data-test="product-card"]').text()).toContain('长者手工香囊')
    expect(wrapper.get('[data-test="lot-card"]').text()).toContain('岭南山水（书法）')
    expect(wrapper.get('[data-test="lot-countdown"]').text()).not.toBe('')
    expect(wrapper.get('[data-test="home-call"]').attributes('href')).toMatch(/^\/grants\/calls\//)
    expect(wrapper.get('[data-test="home-meeting"]').text()).toContain('2012年关爱桂城社会服务供需见面会')
    expect(wrapper.get('[data-test="home-more-meetings"]').attributes('href')).toBe('/market/meetings')

    const threads = wrapper.findAll('[data-test="home-thread"]')
    expect(threads).toHaveLength(2)
    expect(threads[0]?.text()).toContain('夜间停车越来越难')
    expect(threads[0]?.text()).toContain('居民议事 · 查看 242 · 回复 8')

    expect(wrapper.find('[data-test="home-block-me"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="home-skeleton"]').exists()).toBe(false)
  })

  it('shows times in Asia/Shanghai whatever the process time zone', async () => {
    stub(jsonResponse(200, home()))
    const { wrapper } = await mountHome()
    expect(wrapper.get('[data-test="event-card"]').text()).toContain('12月3日周四 19:30–21:00')
    expect(wrapper.get('[data-test="home-grant"]').text()).toContain('2026/12/01')
  })

  it('hides empty blocks but always shows the fund totals', async () => {
    stub(jsonResponse(200, home({ events: [], services: [], products: [], lots: [], calls: [], meetings: [], threads: [], fund: { raised_fen: 0, granted_fen: 0, disbursed_fen: 0, balance_fen: 0, latest_grants: [] } })))
    const { wrapper } = await mountHome()
    expect(wrapper.findAll('[data-test^="home-block-"]').map((b) => b.attributes('data-test'))).toEqual(['home-block-fund'])
    expect(wrapper.get('[data-test="home-fund-raised"]').text()).toContain('¥0.00')
    expect(wrapper.find('[data-test="home-grant"]').exists()).toBe(false)
  })

  it('shows the personal block first, only when me is not null', async () => {
    stub(jsonResponse(200, home({ me: homeMe() })), residentUser)
    const { wrapper } = await mountHome()
    expect(wrapper.findAll('[data-test^="home-block-"]')[0]?.attributes('data-test')).toBe('home-block-me')
    const next = wrapper.get('[data-test="home-next-activity"]')
    expect(next.text()).toContain('义工日')
    expect(next.text()).toContain('12月5日周六 09:00')
    expect(next.attributes('href')).toBe('/events/7')
    expect(wrapper.get('[data-test="home-applications-link"]').text()).toBe('我的申请（2）')
    expect(wrapper.findAll('[data-test="home-application"]')).toHaveLength(2)
    expect(wrapper.get('[data-test="home-application"]').attributes('href')).toBe('/casework/applications/9')
    expect(wrapper.get('[data-test="home-unread-count"]').text()).toBe('2 条')
  })

  it('shows 还没有报名的活动 when signed in without a next activity', async () => {
    stub(jsonResponse(200, home({ me: homeMe({ next_activity: null, open_applications: [], unread: 0 }) })), residentUser)
    const { wrapper } = await mountHome()
    expect(wrapper.get('[data-test="home-no-next-activity"]').text()).toBe('还没有报名的活动')
    expect(wrapper.get('[data-test="home-applications-link"]').text()).toBe('我的申请（0）')
  })

  it('shows a skeleton while loading, then a retry message on failure that loads again', async () => {
    let calls = 0
    stub(() => {
      calls += 1
      return calls === 1 ? errorResponse(503, 'unavailable', '服务暂时不可用') : jsonResponse(200, home())
    })
    const { wrapper } = await mountWithApp(HomePage, { path: '/' })
    expect(wrapper.find('[data-test="home-skeleton"]').exists()).toBe(true)
    await settle()
    expect(wrapper.find('[data-test="home-skeleton"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="home-error"]').text()).toContain('首页没有加载出来。')
    expect(wrapper.get('[data-test="home-error"]').text()).toContain('服务暂时不可用')
    await wrapper.get('[data-test="home-retry"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="home-error"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="home-block-events"]').exists()).toBe(true)
  })

  it('uses three grid columns and single-column fund totals in 长辈模式, in English too', async () => {
    window.localStorage.setItem('carecity.elderMode', '1')
    stub(jsonResponse(200, home()))
    const { wrapper } = await mountWithApp(HomePage, { path: '/', locale: 'en' })
    await settle()
    expect(usePrefsStore().elderMode).toBe(true)
    expect(wrapper.get('.van-grid-item').attributes('style')).toContain('33.33')
    expect(wrapper.get('[data-test="home-block-events"] h2').text()).toBe('Upcoming events')
    expect(wrapper.get('[data-test="home-more-threads"]').text()).toBe('More')
  })
})
