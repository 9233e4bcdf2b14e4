import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { routes } from '@/router'
import FundReportPage from '@/pages/fund/FundReportPage.vue'
import FundReportsPage from '@/pages/fund/FundReportsPage.vue'
import FundSummaryPage from '@/pages/fund/FundSummaryPage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { purposes, report, summary } from '../support/fund'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

const params = (url: string) => new URL(url, 'http://x').searchParams

function reportsRoutes(pages: (url: string) => Response) {
  return stubFetch({
    'GET /api/v1/fund/purposes': jsonResponse(200, { purposes }),
    'GET /api/v1/fund/reports': (request) => pages(request.url),
  })
}

describe('FundReportsPage', () => {
  it('lists reports newest first with the period in words, purpose and date, linking to each', async () => {
    reportsRoutes(() =>
      jsonResponse(200, {
        reports: [report(2, { period_label: 'final', title: '关爱长者计划结项报告' }), report(1)],
        next_cursor: null,
      }),
    )
    const { wrapper } = await mountWithApp(FundReportsPage, { path: '/fund/reports' })
    await settle()
    const items = wrapper.findAll('[data-test="report-item"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.text()).toContain('关爱长者计划结项报告')
    expect(items[0]!.get('[data-test="report-period"]').text()).toBe('决算/结项报告')
    expect(items[1]!.get('[data-test="report-period"]').text()).toBe('第3期进展')
    expect(items[1]!.text()).toContain('关爱长者计划')
    expect(items[1]!.text()).toContain('2023')
    expect(items[0]!.attributes('href')).toBe('/fund/reports/2')
    expect(wrapper.get('[data-test="reports-end"]').text()).toBe('没有更多报告了')
    expect(wrapper.find('[data-test="reports-more"]').exists()).toBe(false)
  })

  it('loads the next page with 加载更多 until next_cursor is null', async () => {
    const { requests } = reportsRoutes((url) =>
      params(url).get('cursor') === null
        ? jsonResponse(200, { reports: [report(3), report(2)], next_cursor: '2' })
        : jsonResponse(200, { reports: [report(1)], next_cursor: null }),
    )
    const { wrapper } = await mountWithApp(FundReportsPage, { path: '/fund/reports' })
    await settle()
    expect(wrapper.findAll('[data-test="report-item"]')).toHaveLength(2)
    const more = wrapper.get('[data-test="reports-more"]')
    expect(more.text()).toBe('加载更多')
    await more.trigger('click')
    await settle()
    expect(wrapper.findAll('[data-test="report-item"]')).toHaveLength(3)
    expect(wrapper.find('[data-test="reports-more"]').exists()).toBe(false)
    const reportUrls = requests.filter((r) => r.url.startsWith('/api/v1/fund/reports')).map((r) => r.url)
    expect(reportUrls).toEqual(['/api/v1/fund/reports?limit=20', '/api/v1/fund/reports?cursor=2&limit=20'])
  })

  it('filters by purpose (every purpose offered, ended ones too) and says when there is nothing', async () => {
    const { requests } = reportsRoutes((url) =>
      params(url).get('purpose_id') === '3'
        ? jsonResponse(200, { reports: [], next_cursor: null })
        : jsonResponse(200, { reports: [report(1)], next_cursor: null }),
    )
    const { wrapper } = await mountWithApp(FundReportsPage, { path: '/fund/reports' })
    await settle()
    const select = wrapper.get('[data-test="filter-purpose"]')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['全部用途', '一般基金', '关爱长者计划', '已结束的项目'])
    await select.setValue('3')
    await settle()
    expect(wrapper.findAll('[data-test="report-item"]')).toHaveLength(0)
    expect(wrapper.get('[data-test="reports-empty"]').text()).toBe('这个用途暂时还没有公开的报告')
    expect(requests.at(-1)?.url).toBe('/api/v1/fund/reports?purpose_id=3&limit=20')
  })

  it('says so when nothing is published at all', async () => {
    reportsRoutes(() => jsonResponse(200, { reports: [], next_cursor: null }))
    const { wrapper } = await mountWithApp(FundReportsPage, { path: '/fund/reports' })
    await settle()
    expect(wrapper.get('[data-test="reports-empty"]').text()).toBe('暂时还没有公开的报告')
  })

  it('shows a failed page with a retry that asks again', async () => {
    let fail = true
    reportsRoutes(() => (fail ? errorResponse(500, 'internal', '服务器出错了') : jsonResponse(200, { reports: [report(1)], next_cursor: null })))
    const { wrapper } = await mountWithApp(FundReportsPage, { path: '/fund/reports' })
    await settle()
    expect(wrapper.get('[data-test="reports-error"]').text()).toContain('服务器出错了')
    fail = false
    await wrapper.get('[data-test="reports-error"] button').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="reports-error"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-test="report-item"]')).toHaveLength(1)
  })

  it('works in English with 长辈模式 on (same markup; sizes come from the theme variables)', async () => {
    reportsRoutes(() => jsonResponse(200, { reports: [report(1, { period_label: 'final' })], next_cursor: '1' }))
    const { wrapper } = await mountWithApp(FundReportsPage, { path: '/fund/reports', locale: 'en' })
    usePrefsStore().setElderMode(true)
    await settle()
    expect(wrapper.get('[data-test="report-period"]').text()).toBe('Final account')
    expect(wrapper.get('[data-test="reports-more"]').text()).toBe('Load more')
  })
})

describe('FundReportPage', () => {
  it('shows title, purpose, period in words, date and the body as plain text with its line breaks', async () => {
    const body = '第一行\n<b>不是粗体</b><img src=x onerror="alert(1)">\n第三行'
    stubFetch({ 'GET /api/v1/fund/reports/5': jsonResponse(200, { report: report(5, { body, period_label: 'progress-2' }) }) })
    const { wrapper } = await mountWithApp(FundReportPage, { path: '/fund/reports/5' })
    await settle()
    expect(wrapper.get('[data-test="report-title"]').text()).toBe('第三季度进展 5')
    expect(wrapper.get('[data-test="report-purpose"]').text()).toBe('关爱长者计划')
    expect(wrapper.get('[data-test="report-period"]').text()).toBe('第2期进展')
    expect(wrapper.get('[data-test="report-date"]').text()).toContain('2023')
    const el = wrapper.get('[data-test="report-body"]').element as HTMLElement
    expect(el.textContent).toBe(body)
    expect(el.querySelector('b')).toBeNull()
    expect(el.querySelector('img')).toBeNull()
    expect(wrapper.find('[data-test="report-not-found"]').exists()).toBe(false)
  })

  it('says the report does not exist on 404 and links back to the list', async () => {
    stubFetch({ 'GET /api/v1/fund/reports/6': errorResponse(404, 'report_not_found', 'report not found') })
    const { wrapper } = await mountWithApp(FundReportPage, { path: '/fund/reports/6' })
    await settle()
    expect(wrapper.get('[data-test="report-not-found"]').text()).toBe('这份报告不存在或已撤下。')
    expect(wrapper.find('[data-test="report-title"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="report-back"]').text()).toBe('查看全部公开报告')
  })

  it('shows other failures with a retry', async () => {
    stubFetch({ 'GET /api/v1/fund/reports/7': errorResponse(503, 'unavailable', '服务暂时不可用') })
    const { wrapper } = await mountWithApp(FundReportPage, { path: '/fund/reports/7' })
    await settle()
    expect(wrapper.get('[data-test="report-error"]').text()).toContain('服务暂时不可用')
  })
})

describe('FundSummaryPage link', () => {
  it('links to 信息公开', async () => {
    stubFetch({ 'GET /api/v1/fund/summary': jsonResponse(200, summary) })
    const { wrapper } = await mountWithApp(FundSummaryPage, { path: '/fund' })
    await settle()
    const cell = wrapper.get('[data-test="fund-reports"]')
    expect(cell.text()).toContain('信息公开')
    expect(cell.text()).toContain('定期进展与决算报告')
  })
})

describe('report routes', () => {
  it('are public fund pages gated by the fund feature', () => {
    const router = createRouter({ history: createMemoryHistory(), routes })
    const list = router.resolve('/fund/reports')
    const detail = router.resolve('/fund/reports/12')
    expect(list.name).toBe('fund-reports')
    expect(detail.name).toBe('fund-report')
    expect(detail.params.id).toBe('12')
    for (const route of [list, detail]) {
      expect(route.meta.feature).toBe('fund')
      expect(route.meta.requiresAuth).toBeFalsy()
    }
  })
})
