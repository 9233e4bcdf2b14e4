import { afterEach, describe, expect, it, vi } from 'vitest'
import MeMarketLinks from '@/components/market/MeMarketLinks.vue'
import MeetingFormPage from '@/pages/market/MeetingFormPage.vue'
import MeetingPage from '@/pages/market/MeetingPage.vue'
import MeetingsPage from '@/pages/market/MeetingsPage.vue'
import { useAuthStore } from '@/stores/auth'
import { boothsByHour } from '@/stores/marketMeeting'
import { useMetaStore } from '@/stores/meta'
import { usePrefsStore } from '@/stores/prefs'
import { mountWithApp, settle } from '../support/app'
import { errorResponse, jsonResponse, type RecordedRequest, stubFetch } from '../support/fetch'
import { marketAdmin, MPROJECT_ID, mproject, villageStaff } from '../support/market'
import { booth, MEETING_ID, meeting, OTHER_PROJECT_ID, shortlisted, START, villages } from '../support/marketMeeting'
import { orgStaff, REQUEST_ID } from '../support/marketPurchase'

const guest = errorResponse(401, 'unauthenticated', '')
const URL_ = `/api/v1/market/meetings/${MEETING_ID}`
const PATH = `/market/meetings/${MEETING_ID}`
const HOUR = 3_600_000
const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET')
const setFeatures = () => (useMetaStore().meta = { features: ['market'] } as unknown as NonNullable<ReturnType<typeof useMetaStore>['meta']>)

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('boothsByHour', () => {
  it('groups booths by the hour they start, in time order', () => {
    const late = booth({ id: 'b2', starts_at_ms: START + HOUR + 30 * 60_000, table_no: 'C1' })
    const groups = boothsByHour([late, booth({ id: 'b3', table_no: 'A2' }), booth({ id: 'b1' })])
    expect(groups.map((g) => g.hour_ms)).toEqual([START, START + HOUR])
    expect(groups[0]?.booths.map((b) => b.id)).toEqual(['b1', 'b3'])
  })
})

describe('MeetingsPage', () => {
  it('lists the meetings with their report numbers and links them; admins alone get the create link', async () => {
    stubFetch({ 'GET /api/v1/me': guest, 'GET /api/v1/market/meetings': jsonResponse(200, { meetings: [meeting()] }) })
    const { wrapper, router } = await mountWithApp(MeetingsPage, { path: '/market/meetings' })
    setFeatures()
    await settle()
    expect(wrapper.get(`[data-test="meeting-line-${MEETING_ID}"]`).text()).toBe('38 个项目 · 3 份合同 · ¥125,000.00')
    expect(wrapper.find('[data-test="meetings-new"]').exists()).toBe(false)
    useAuthStore().user = marketAdmin.user as never
    await settle()
    expect(wrapper.find('[data-test="meetings-new"]').exists()).toBe(true)
    await wrapper.get(`[data-test="meeting-${MEETING_ID}"]`).trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(PATH))
  })

  it('is linked from 我的 for everyone signed in', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, villageStaff) })
    const { wrapper, router } = await mountWithApp(MeMarketLinks, { path: '/me' })
    setFeatures()
    await useAuthStore().ensureLoaded()
    await settle()
    await wrapper.get('[data-test="me-market-meetings"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/market/meetings'))
  })
})

describe('MeetingPage, public', () => {
  it('shows the info, the report with projects and money first, the booths by hour and the event link; no toggles', async () => {
    stubFetch({ 'GET /api/v1/me': guest, [`GET ${URL_}`]: jsonResponse(200, { meeting: meeting() }) })
    const { wrapper, router } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    expect(wrapper.get('[data-test="report-projects"]').text()).toBe('38')
    expect(wrapper.get('[data-test="report-amount"]').text()).toBe('¥125,000.00')
    expect(wrapper.get('[data-test="report-contracts"]').text()).toBe('3')
    expect(wrapper.get('[data-test="report-checked-in"]').text()).toBe('21')
    expect(wrapper.get('[data-test="meeting-seats"]').text()).toContain('每个村（居）3 人，每家机构 2 人')
    expect(wrapper.get('[data-test="meeting-villages"]').text()).toBe('叠滘村、夏北社区')
    expect(wrapper.findAll('[data-test^="booth-hour-"]')).toHaveLength(2)
    expect(wrapper.get(`[data-test="booth-project-${MPROJECT_ID}"]`).attributes('href')).toBe(`/market/projects/${MPROJECT_ID}`)
    expect(wrapper.get(`[data-test="booth-count-${MPROJECT_ID}"]`).text()).toBe('1')
    expect(wrapper.find('[data-test^="booth-toggle-"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="meeting-shortlist"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="booth-form"]').exists()).toBe(false)
    await wrapper.get('[data-test="meeting-event"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/events/8'))
  })

  it('says so when the meeting does not exist', async () => {
    stubFetch({ 'GET /api/v1/me': guest, [`GET ${URL_}`]: errorResponse(404, 'market.meeting_not_found', 'not found') })
    const { wrapper } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    expect(wrapper.find('[data-test="meeting-not-found"]').exists()).toBe(true)
  })
})

describe('MeetingPage, an invited village’s staff', () => {
  function villageRoutes(rural: boolean, extra: Record<string, Response | ((r: RecordedRequest) => Response)> = {}) {
    return stubFetch({
      'GET /api/v1/me': jsonResponse(200, villageStaff),
      [`GET ${URL_}`]: jsonResponse(200, { meeting: meeting() }),
      'GET /api/v1/villages': jsonResponse(200, villages(rural)),
      [`GET ${URL_}/shortlist`]: jsonResponse(200, { shortlist: [shortlisted()] }),
      ...extra,
    })
  }

  it('toggles a booth into and out of the shortlist through the right calls', async () => {
    const { requests } = villageRoutes(true, {
      [`POST ${URL_}/shortlist`]: jsonResponse(200, { shortlist: [shortlisted(), shortlisted({ booth: meeting().booths[1]! })] }),
      [`DELETE ${URL_}/shortlist/${MPROJECT_ID}`]: jsonResponse(200, { shortlist: [] }),
    })
    const { wrapper } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    expect(requests.find((r) => r.url.startsWith(`${URL_}/shortlist`))?.url).toBe(`${URL_}/shortlist?village_id=3`)
    expect(wrapper.get(`[data-test="booth-toggle-${MPROJECT_ID}"]`).text()).toBe('移出意向')
    expect(wrapper.get(`[data-test="booth-toggle-${OTHER_PROJECT_ID}"]`).text()).toBe('加入意向')
    await wrapper.get(`[data-test="booth-toggle-${OTHER_PROJECT_ID}"]`).trigger('click')
    await settle()
    expect(writes(requests)[0]).toMatchObject({ method: 'POST', url: `${URL_}/shortlist`, body: { village_id: 3, project_id: OTHER_PROJECT_ID } })
    expect(wrapper.get(`[data-test="booth-toggle-${OTHER_PROJECT_ID}"]`).text()).toBe('移出意向')
    await wrapper.get(`[data-test="booth-toggle-${MPROJECT_ID}"]`).trigger('click')
    await settle()
    expect(writes(requests)[1]).toMatchObject({ method: 'DELETE', url: `${URL_}/shortlist/${MPROJECT_ID}?village_id=3` })
    expect(wrapper.find('[data-test="shortlist-none"]').exists()).toBe(true)
  })

  it('shows 409 market.meeting_over with the server’s words', async () => {
    villageRoutes(true, { [`POST ${URL_}/shortlist`]: errorResponse(409, 'market.meeting_over', '见面会已结束') })
    const { wrapper } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    await wrapper.get(`[data-test="booth-toggle-${OTHER_PROJECT_ID}"]`).trigger('click')
    await settle()
    expect(wrapper.get('[data-test="meeting-action-error"]').text()).toContain('见面会已结束')
  })

  it('sends the quote requests in one tap and shows what was made and skipped, with links', async () => {
    let answered = false
    const { requests } = villageRoutes(true, {
      [`GET ${URL_}/shortlist`]: () =>
        jsonResponse(200, {
          shortlist: [
            shortlisted(answered ? { quote_request_id: REQUEST_ID, quote_request_status: 'open' } : {}),
            shortlisted({ booth: meeting().booths[1]!, quote_request_id: 'qreqzzzzzzzzzzzzzzzz', quote_request_status: 'open' }),
          ],
        }),
      [`POST ${URL_}/shortlist/quote-requests`]: () => {
        answered = true
        return jsonResponse(201, { quote_requests: [{ id: REQUEST_ID, project_id: MPROJECT_ID, project_title: '独居长者“平安铃”探访', org_name: '博睿社工', status: 'open' }], skipped: [OTHER_PROJECT_ID] })
      },
    })
    const { wrapper } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    expect(wrapper.get(`[data-test="shortlist-status-${MPROJECT_ID}"]`).text()).toBe('未发报价请求')
    await wrapper.get('[data-test="shortlist-one-tap"]').trigger('click')
    await settle()
    expect(writes(requests)[0]?.body).toEqual({ village_id: 3 })
    expect(wrapper.get('[data-test="shortlist-created"]').text()).toBe('已发出 1 个报价请求')
    expect(wrapper.get(`[data-test="shortlist-created-${MPROJECT_ID}"]`).attributes('href')).toBe(`/market/quote-requests/${REQUEST_ID}`)
    expect(wrapper.get('[data-test="shortlist-skipped"]').text()).toContain('长者防跌倒改造')
    expect(wrapper.get(`[data-test="shortlist-status-${MPROJECT_ID}"]`).text()).toBe('等待报价')
    expect(wrapper.get(`[data-test="shortlist-request-${MPROJECT_ID}"]`).attributes('href')).toBe(`/market/quote-requests/${REQUEST_ID}`)
    // Nothing waits any more: the button goes.
    expect(wrapper.find('[data-test="shortlist-one-tap"]').exists()).toBe(false)
  })

  it('shows an urban community why it does not buy, with the project calls, and no one-tap button', async () => {
    villageRoutes(false)
    const { wrapper, router } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    expect(wrapper.find('[data-test="shortlist-one-tap"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="shortlist-not-rural"]').text()).toContain('社区请申报关爱基金项目')
    expect(wrapper.find(`[data-test="booth-toggle-${MPROJECT_ID}"]`).exists()).toBe(true)
    await wrapper.get('[data-test="shortlist-grants"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('grants'))
  })

  it('shows the server’s 422 not_rural the same way, instead of the button', async () => {
    villageRoutes(true, { [`POST ${URL_}/shortlist/quote-requests`]: errorResponse(422, 'market.not_rural', '社区不能购买服务') })
    const { wrapper } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    await wrapper.get('[data-test="shortlist-one-tap"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="shortlist-not-rural"]').text()).toContain('社区不能购买服务')
    expect(wrapper.find('[data-test="shortlist-one-tap"]').exists()).toBe(false)
  })

  it('keeps the page usable in 长辈模式 without pop-ups', async () => {
    villageRoutes(true)
    const { wrapper } = await mountWithApp(MeetingPage, { path: PATH })
    usePrefsStore().elderMode = true
    await settle()
    expect(wrapper.find('[data-test="shortlist-one-tap"]').exists()).toBe(true)
    expect(document.querySelector('.van-popup')).toBeNull()
  })
})

describe('MeetingPage, an invited organisation’s staff', () => {
  it('lists the villages that shortlisted its projects, adds a booth for an approved project and removes its own', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, orgStaff),
      [`GET ${URL_}`]: jsonResponse(200, { meeting: meeting() }),
      [`GET ${URL_}/shortlist`]: jsonResponse(200, { shortlist: [shortlisted(), shortlisted({ village_id: 4, village_name: '夏北社区' })] }),
      'GET /api/v1/market/projects/mine': jsonResponse(200, {
        projects: [mproject(), mproject({ id: 'mprojcccccccccccccccc', title: '青少年课后托管' }), mproject({ id: 'mprojdddddddddddddddd', status: 'pending_approval' })],
      }),
      [`POST ${URL_}/booths`]: jsonResponse(201, { meeting: meeting() }),
      [`DELETE ${URL_}/booths/${booth().id}`]: errorResponse(409, 'market.booth_shortlisted', '已有村居加入意向'),
    })
    const { wrapper } = await mountWithApp(MeetingPage, { path: PATH })
    await settle()
    expect(requests.find((r) => r.url.startsWith(`${URL_}/shortlist`))?.url).toBe(`${URL_}/shortlist?org_id=5`)
    expect(wrapper.get(`[data-test="wanted-${MPROJECT_ID}"]`).text()).toContain('2 个村（居）：叠滘村、夏北社区')
    // The project already at a booth and the one pending approval are not offered.
    expect(wrapper.findAll('[data-test^="booth-pick-"]').map((w) => w.attributes('data-test'))).toEqual(['booth-pick-mprojcccccccccccccccc'])
    await wrapper.get('[data-test="booth-table"] input').setValue('C3')
    await wrapper.get('[data-test="booth-form"]').trigger('submit')
    await settle()
    expect(writes(requests)[0]).toMatchObject({ method: 'POST', body: { project_id: 'mprojcccccccccccccccc', starts_at_ms: START, ends_at_ms: START + HOUR, table_no: 'C3' } })
    expect(wrapper.find(`[data-test="booth-remove-boothbbbbbbbbbbbbbbb"]`).exists()).toBe(false)
    await wrapper.get(`[data-test="booth-remove-${booth().id}"]`).trigger('click')
    await settle()
    expect(wrapper.get('[data-test="meeting-action-error"]').text()).toContain('已有村居加入意向')
  })
})

describe('MeetingFormPage', () => {
  it('checks the form, then creates the meeting inviting the picked villages and organisations and opens it', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, marketAdmin),
      'GET /api/v1/orgs': jsonResponse(200, { orgs: [{ id: 5, name: '博睿社工', credit_code: 'x', rating: '5A' }] }),
      'GET /api/v1/venues': jsonResponse(200, { venues: [{ id: 1, name: '关爱桂城企业创享家', address: '南海大道北', map_url: '' }] }),
      'GET /api/v1/villages': jsonResponse(200, villages(true)),
      'POST /api/v1/market/meetings': jsonResponse(201, { meeting: meeting() }),
      [`GET ${URL_}`]: jsonResponse(200, { meeting: meeting() }),
    })
    const { wrapper, router } = await mountWithApp(MeetingFormPage, { path: '/market/meetings/new' })
    await settle()
    await wrapper.get('[data-test="meeting-form"]').trigger('submit')
    await settle()
    expect(writes(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="meeting-form-villages-error"]').text()).toBe('请至少选择一个')
    await wrapper.get('[data-test="meeting-form-title"] input').setValue('2026年供需见面会')
    await wrapper.get('[data-test="meeting-form-host-5"]').trigger('click')
    await wrapper.get('[data-test="meeting-form-village-3"]').trigger('click')
    await wrapper.get('[data-test="meeting-form-org-5"]').trigger('click')
    await wrapper.get('[data-test="meeting-form"]').trigger('submit')
    await settle()
    expect(writes(requests)[0]?.body).toMatchObject({ title: '2026年供需见面会', host_org_id: 5, venue_id: 1, capacity: 120, seats_per_village: 3, seats_per_org: 2, village_ids: [3], org_ids: [5] })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(PATH))
  })
})
