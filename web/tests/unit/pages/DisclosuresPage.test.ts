import { afterEach, describe, expect, it } from 'vitest'
import DisclosuresPage from '@/pages/fund-admin/DisclosuresPage.vue'
import { jsonResponse, stubFetch } from '../support/fetch'
import { purposes } from '../support/fund'
import { mountWithApp, settle } from '../support/app'
import { NOW } from '../support/events'

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

const DAY = 86_400_000

describe('DisclosuresPage', () => {
  it('fills purpose, period and title from an overdue calendar item, and publishes that period', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/purposes': jsonResponse(200, { purposes }),
      'GET /api/v1/fund/disclosures': jsonResponse(200, {
        overdue: [{ purpose_id: 2, purpose_name: '关爱长者计划', period_label: 'progress-3', due_at_ms: NOW - DAY }],
        due: [{ purpose_id: 1, purpose_name: '一般基金', period_label: 'final', due_at_ms: NOW + 20 * DAY }],
        published: [{ id: 5, purpose_id: 2, purpose_name: '关爱长者计划', period_label: 'progress-2', title: '第二季度', published_at_ms: NOW - 90 * DAY }],
      }),
      'POST /api/v1/fund/disclosures': jsonResponse(201, { disclosure: { id: 6 } }),
    })
    const { wrapper } = await mountWithApp(DisclosuresPage, { path: '/fund/admin/disclosures' })
    await settle()
    // Published reports have nothing left to fill in.
    expect(wrapper.get('[data-test="disclosures-published"]').find('[data-test="disclosure-fill"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="disclosures-due"]').find('[data-test="disclosure-fill"]').exists()).toBe(true)

    await wrapper.get('[data-test="disclosures-overdue"] [data-test="disclosure-fill"]').trigger('click')
    await settle()
    expect((wrapper.get('input[name="period_label"]').element as HTMLInputElement).value).toBe('progress-3')
    expect((wrapper.get('input[name="title"]').element as HTMLInputElement).value).toBe('关爱长者计划 · 第3期进展')
    expect(wrapper.get('[data-test="disclosure-period-name"]').text()).toBe('第3期进展')

    await wrapper.get('textarea[name="body"]').setValue('本季度探访独居长者 120 人次，支出 ¥36,000。')
    await wrapper.get('[data-test="disclosure-form"]').trigger('submit')
    await settle()
    const posted = requests.filter((r) => r.method === 'POST')
    expect(posted.map((r) => r.body)).toEqual([
      { purpose_id: 2, period_label: 'progress-3', title: '关爱长者计划 · 第3期进展', body: '本季度探访独居长者 120 人次，支出 ¥36,000。' },
    ])
  })

  it('still refuses to publish without a purpose or a period', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/purposes': jsonResponse(200, { purposes }),
      'GET /api/v1/fund/disclosures': jsonResponse(200, { overdue: [], due: [], published: [] }),
    })
    const { wrapper } = await mountWithApp(DisclosuresPage, { path: '/fund/admin/disclosures' })
    await settle()
    await wrapper.get('input[name="title"]').setValue('标题')
    await wrapper.get('textarea[name="body"]').setValue('正文')
    await wrapper.get('[data-test="disclosure-form"]').trigger('submit')
    await settle()
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    expect(wrapper.text()).toContain('请选择用途')
  })
})
