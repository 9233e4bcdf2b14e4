import { afterEach, describe, expect, it, vi } from 'vitest'
import VillagePage from '@/pages/me/VillagePage.vue'
import VolunteerPage from '@/pages/volunteer/VolunteerPage.vue'
import { villages } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'
import { shanghai } from '../support/time'

afterEach(() => {
  document.body.innerHTML = ''
})

const volunteer = { user_id: 7, real_name: '陈阿姨', registered_at_ms: shanghai(2025, 0, 2), total_minutes: 450 }
const record = (id: number, title: string, minutes: number, day: number) => ({
  id,
  event_id: id,
  org_id: 3,
  org_name: '博睿社工',
  title,
  service_date_ms: shanghai(2025, 8, day),
  minutes,
  recorded_at_ms: 0,
})

describe('VolunteerPage', () => {
  it('offers registration to someone who is not a volunteer', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/volunteers/me': jsonResponse(200, { volunteer: null, records: [] }),
      'POST /api/v1/volunteers/me': jsonResponse(201, { volunteer: { ...volunteer, total_minutes: 0 } }),
    })
    const { wrapper } = await mountWithApp(VolunteerPage, { path: '/volunteer' })
    await settle()
    await wrapper.get('[data-test="volunteer-register"]').trigger('submit')
    await settle()
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    expect(wrapper.get('[data-test="volunteer-name"]').text()).toContain('请填写真实姓名')
    await wrapper.get('[data-test="volunteer-name"] input').setValue(' 陈阿姨 ')
    await wrapper.get('[data-test="volunteer-register"]').trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ real_name: '陈阿姨' })
    expect(wrapper.get('[data-test="volunteer-hours"]').text()).toBe('0.0')
  })

  it('shows total hours with one decimal, the records and the certificate link', async () => {
    stubFetch({
      'GET /api/v1/volunteers/me': jsonResponse(200, {
        volunteer,
        records: [record(1, '中秋游园会', 180, 10), record(2, '社区清洁', 270, 20)],
      }),
    })
    const { wrapper } = await mountWithApp(VolunteerPage, { path: '/volunteer' })
    await settle()
    expect(wrapper.get('[data-test="volunteer-hours"]').text()).toBe('7.5')
    const records = wrapper.findAll('[data-test="volunteer-record"]')
    expect(records.map((r) => r.text())).toEqual([expect.stringContaining('社区清洁'), expect.stringContaining('中秋游园会')])
    expect(records[0]?.text()).toContain('4.5 小时')
    expect(records[0]?.text()).toContain('博睿社工 记录')
    expect(wrapper.get('[data-test="volunteer-certificate"]').attributes('href')).toBe('/api/v1/volunteers/me/certificate.html')
  })
})

describe('VillagePage', () => {
  it('picks a home village from the list and returns to where it was opened from', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'GET /api/v1/me/village': jsonResponse(200, { village: null }),
      'PUT /api/v1/me/village': jsonResponse(200, { village: { id: 2, name: '夏北社区' } }),
    })
    const { wrapper, router } = await mountWithApp(VillagePage, { path: '/me/village?redirect=/events/4/signup' })
    await settle()
    await wrapper.get('[data-test="village-form"]').trigger('submit')
    await settle()
    expect(wrapper.find('[data-test="village-missing"]').exists()).toBe(true)
    await wrapper.get('[data-test="village-2"]').trigger('click')
    await wrapper.get('[data-test="village-form"]').trigger('submit')
    await settle()
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({ village_id: 2 })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/events/4/signup'), { timeout: 5_000 })
  })

  it('shows the current village and a server error', async () => {
    stubFetch({
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'GET /api/v1/me/village': jsonResponse(200, { village: { id: 1, name: '叠滘村' } }),
      'PUT /api/v1/me/village': errorResponse(404, 'village_not_found', ''),
    })
    const { wrapper } = await mountWithApp(VillagePage, { path: '/me/village' })
    await settle()
    expect(wrapper.get('[data-test="village-current"]').text()).toBe('当前：叠滘村')
    await wrapper.get('[data-test="village-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="form-error"]').text()).toContain('没有找到这个村（居）')
  })
})
