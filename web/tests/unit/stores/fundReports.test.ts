import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { REPORTS_PAGE_SIZE, useFundReportsStore } from '@/stores/fundReports'
import { report } from '../support/fund'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

const cursorOf = (url: string) => new URL(url, 'http://x').searchParams.get('cursor')

describe('fund reports store', () => {
  it('pages with next_cursor until it is null, showing a repeated report once', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/reports': (request) =>
        cursorOf(request.url) === null
          ? jsonResponse(200, { reports: [report(3), report(2)], next_cursor: '2' })
          : jsonResponse(200, { reports: [report(2), report(1)], next_cursor: null }),
    })
    const store = useFundReportsStore()
    store.setPurpose(null)
    await store.loadMore()
    expect(store.finished).toBe(false)
    await store.loadMore()
    expect(store.reports.map((r) => r.id)).toEqual([3, 2, 1])
    expect(store.finished).toBe(true)
    await store.loadMore()
    expect(requests.map((r) => r.url)).toEqual([
      `/api/v1/fund/reports?limit=${REPORTS_PAGE_SIZE}`,
      `/api/v1/fund/reports?cursor=2&limit=${REPORTS_PAGE_SIZE}`,
    ])
  })

  it('shares one request when asked twice at once', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/fund/reports': jsonResponse(200, { reports: [report(1)], next_cursor: '1' }) })
    const store = useFundReportsStore()
    await Promise.all([store.loadMore(), store.loadMore()])
    expect(requests).toHaveLength(1)
    expect(store.reports).toHaveLength(1)
  })

  it('starts again for a purpose and drops a page that was asked for under the old filter', async () => {
    let release: () => void = () => {}
    const { requests } = stubFetch({
      'GET /api/v1/fund/reports': (request) => {
        if (new URL(request.url, 'http://x').searchParams.get('purpose_id') === '2') {
          return jsonResponse(200, { reports: [report(9)], next_cursor: null })
        }
        return new Promise<Response>((resolve) => {
          release = () => resolve(jsonResponse(200, { reports: [report(1)], next_cursor: null }))
        })
      },
    })
    const store = useFundReportsStore()
    const stale = store.loadMore()
    store.setPurpose(2)
    await store.loadMore()
    release()
    await stale
    expect(store.purposeId).toBe(2)
    expect(store.reports.map((r) => r.id)).toEqual([9])
    expect(requests[1]?.url).toBe(`/api/v1/fund/reports?purpose_id=2&limit=${REPORTS_PAGE_SIZE}`)
  })

  it('keeps the cursor after a failed page so a retry asks for the same page', async () => {
    let fail = true
    const { requests } = stubFetch({
      'GET /api/v1/fund/reports': (request) =>
        cursorOf(request.url) === null
          ? jsonResponse(200, { reports: [report(2)], next_cursor: '2' })
          : fail
            ? errorResponse(500, 'internal', '')
            : jsonResponse(200, { reports: [report(1)], next_cursor: null }),
    })
    const store = useFundReportsStore()
    await store.loadMore()
    expect((await store.loadMore()).ok).toBe(false)
    fail = false
    expect((await store.loadMore()).ok).toBe(true)
    expect(cursorOf(requests[2]!.url)).toBe('2')
    expect(store.reports.map((r) => r.id)).toEqual([2, 1])
  })

  it('loads one report, and a 404 leaves no report and says report_not_found', async () => {
    stubFetch({
      'GET /api/v1/fund/reports/5': jsonResponse(200, { report: report(5) }),
      'GET /api/v1/fund/reports/6': errorResponse(404, 'report_not_found', '报告不存在'),
    })
    const store = useFundReportsStore()
    expect((await store.loadReport(5)).ok).toBe(true)
    expect(store.report?.id).toBe(5)
    const result = await store.loadReport(6)
    expect(result).toMatchObject({ ok: false, error: { code: 'report_not_found', status: 404 } })
    expect(store.report).toBeNull()
  })
})
