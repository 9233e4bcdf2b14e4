import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Room, Visit } from '@/api/reception'
import ManagePage from '@/pages/reception/ManagePage.vue'
import VisitFormPage from '@/pages/reception/VisitFormPage.vue'
import VisitPage from '@/pages/reception/VisitPage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { mountWithApp, settle } from '../support/app'
import { NOW } from '../support/events'
import { errorResponse, jsonResponse, type RecordedRequest, sampleUser, stubFetch } from '../support/fetch'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const ID = 'k3Jaaaaaaaaaaaaaaaaa'
const staffUser = { ...sampleUser, roles: [{ role: 'village_staff', org_id: null, org_name: null, village_id: 3, village_name: '叠滘村' }] }

const visit = (overrides: Partial<Visit> = {}): Visit => ({
  id: ID,
  room_id: 1,
  room_name: '叠滘村党员接待室',
  village_id: 3,
  village_name: '叠滘村',
  recorded_by: { user_id: 7, name: '张三' },
  visited_at_ms: NOW,
  category: 'elderly',
  summary: '独居老人希望有人定期上门探访',
  action_taken: '',
  follow_up_ms: null,
  consent: { name_phone: true },
  resident: { name: '黄伯', phone: '13912340000' },
  resident_visible: true,
  resolved: false,
  referral: null,
  can_refer: true,
  created_at_ms: NOW,
  ...overrides,
})

const room = (overrides: Partial<Room> = {}): Room => ({
  id: 1,
  village_id: 3,
  village_name: '叠滘村',
  name: '叠滘村党员接待室',
  address: '叠滘村党群服务站一楼',
  opening_hours: '周一至周五 9:00-12:00',
  duty: [{ user_id: 21, name: '陈阿姨', phone: '138****0001', weekday: 1 }],
  manage: true,
  on_duty: true,
  created_at_ms: NOW,
  ...overrides,
})

const service = { id: 4, org_id: 2, org_name: '博睿社工', name: '长者探访', description: '', eligibility: null, villages: [], response_days: 3, active: true, created_at_ms: NOW }

describe('visit page: 转介 in one tap', () => {
  it('keeps one Idempotency-Key while the form stays open (a retry), and a new one for the next opening', async () => {
    let posts = 0
    const referred = visit({ can_refer: false, referral: { application_id: 12, referred_at_ms: NOW, status: 'submitted', outcome: null, org_name: '博睿社工' } })
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      [`GET /api/v1/reception/visits/${ID}`]: jsonResponse(200, { visit: visit() }),
      'GET /api/v1/casework/services': jsonResponse(200, { services: [service] }),
      [`POST /api/v1/reception/visits/${ID}/refer`]: () => (++posts < 3 ? errorResponse(503, 'unavailable', '服务暂时不可用') : jsonResponse(201, { application_id: 12, visit: referred })),
    })
    const { wrapper } = await mountWithApp(VisitPage, { path: `/reception/visits/${ID}` })
    // 长辈模式: the form opens on the page rather than in a sheet.
    usePrefsStore().elderMode = true
    await settle()
    expect(wrapper.find('[data-test="visit-resident-name"]').text()).toBe('黄伯')
    expect(wrapper.find('[data-test="visit-visible-note"]').exists()).toBe(true)

    const open = async () => {
      await wrapper.find('[data-test="visit-refer"]').trigger('click')
      await settle()
      await wrapper.find('[data-test="refer-service-4"]').trigger('click')
      await wrapper.find('[data-test="refer-consent"]').trigger('click')
    }
    const submit = async () => {
      await wrapper.find('[data-test="refer-form"]').trigger('submit')
      await settle()
    }
    const keys = (list: RecordedRequest[]) => list.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key'])

    await open()
    await submit()
    expect(wrapper.find('[data-test="refer-error"]').text()).toContain('服务暂时不可用')
    await submit()
    await wrapper.find('[data-test="refer-cancel"]').trigger('click')
    await settle()
    await open()
    await submit()

    const [first, retry, next] = keys(requests)
    expect(first).toBeTruthy()
    expect(retry).toBe(first)
    expect(next).not.toBe(first)
    expect(requests.filter((r) => r.method === 'POST')[0]!.body).toEqual({ service_id: 4, consent: true })
    expect(wrapper.find('[data-test="referral-status"]').text()).toBe('已提交')
    expect(wrapper.find('[data-test="visit-refer"]').exists()).toBe(false)
  })

  it('asks for the resident’s consent before sending anything', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      [`GET /api/v1/reception/visits/${ID}`]: jsonResponse(200, { visit: visit() }),
      'GET /api/v1/casework/services': jsonResponse(200, { services: [service] }),
    })
    const { wrapper } = await mountWithApp(VisitPage, { path: `/reception/visits/${ID}` })
    usePrefsStore().elderMode = true
    await settle()
    await wrapper.find('[data-test="visit-refer"]').trigger('click')
    await settle()
    await wrapper.find('[data-test="refer-service-4"]').trigger('click')
    await wrapper.find('[data-test="refer-form"]').trigger('submit')
    await settle()
    expect(wrapper.find('[data-test="refer-consent-error"]').text()).toBe('请先确认居民同意转介')
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
  })

  it('says why a visit without a kept phone cannot be referred', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      [`GET /api/v1/reception/visits/${ID}`]: jsonResponse(200, { visit: visit({ consent: { name_phone: false }, resident: null, resident_visible: false, can_refer: false }) }),
    })
    const { wrapper } = await mountWithApp(VisitPage, { path: `/reception/visits/${ID}` })
    await settle()
    expect(wrapper.find('[data-test="visit-refer"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="visit-refer-needs-phone"]').text()).toBe('转介需要居民同意留下的联系电话。')
    expect(wrapper.find('[data-test="visit-resident"]').text()).toBe('居民未同意留下姓名和电话')
  })
})

describe('登记来访', () => {
  it('sends no name or phone when the switch is off, and shows a server refusal under its field', async () => {
    let body: unknown = null
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      'GET /api/v1/reception/rooms': jsonResponse(200, { rooms: [room()] }),
      'POST /api/v1/reception/visits': (request) => {
        body = request.body
        return errorResponse(400, 'invalid_value', '来访事由太长', 'summary')
      },
    })
    const { wrapper } = await mountWithApp(VisitFormPage, { path: '/reception/visits/new?room=1' })
    await settle()
    expect(wrapper.find('[data-test="form-room"]').text()).toBe('叠滘村党员接待室')
    await wrapper.find('[data-test="form-category-dispute"]').trigger('click')
    await wrapper.find('[data-test="form-summary"] textarea').setValue('楼上装修噪音')
    // Typed, then the switch turned off again: neither is sent.
    await wrapper.find('[data-test="form-consent"]').trigger('click')
    await wrapper.find('[data-test="form-name"] input').setValue('黄伯')
    await wrapper.find('[data-test="form-consent"]').trigger('click')
    expect(wrapper.find('[data-test="form-name"]').exists()).toBe(false)
    await wrapper.find('[data-test="visit-form"]').trigger('submit')
    await settle()
    expect(body).toEqual({ room_id: 1, category: 'dispute', summary: '楼上装修噪音', action_taken: '', consent: { name_phone: false } })
    expect(wrapper.find('[data-test="form-summary"]').text()).toContain('来访事由太长')
  })
})

describe('接待室管理', () => {
  it('shows the server’s refusal naming the person when a roster is refused', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: staffUser }),
      'GET /api/v1/reception/rooms': jsonResponse(200, { rooms: [room()] }),
      'GET /api/v1/training/members': jsonResponse(200, { members: [{ user_id: 21, name: '陈阿姨', phone: '138****0001', village_id: 3, village_name: '叠滘村', secretary: false }] }),
      'PUT /api/v1/reception/rooms/1/duty': errorResponse(422, 'reception.not_party_member', '陈阿姨不在叠滘村的党员名册上', 'duty[0].user_id'),
    })
    const { wrapper } = await mountWithApp(ManagePage, { path: '/reception/manage' })
    await settle()
    expect(wrapper.find('[data-test="duty-1-1"]').text()).toBe('陈阿姨')
    await wrapper.find('[data-test="duty-edit-1"]').trigger('click')
    await settle()
    await wrapper.find('[data-test="duty-save-1"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="duty-error-1"]').text()).toBe('陈阿姨不在叠滘村的党员名册上')
    expect(wrapper.find('.reception-duty-day--refused legend').text()).toBe('周一值班')
  })
})
