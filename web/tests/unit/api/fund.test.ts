import { describe, expect, it } from 'vitest'
import * as fundApi from '@/api/fund'
import { ApiError } from '@/api/client'
import { report } from '../support/fund'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

describe('fund reports api', () => {
  it('lists reports with the purpose and cursor only when given, then the page size', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/fund/reports': jsonResponse(200, { reports: [report(1)], next_cursor: null }) })
    const page = await fundApi.listReports(null, null, 20)
    await fundApi.listReports(2, '123', 20)
    expect(page.reports[0]?.period_label).toBe('progress-3')
    expect(page.next_cursor).toBeNull()
    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', '/api/v1/fund/reports?limit=20'],
      ['GET', '/api/v1/fund/reports?purpose_id=2&cursor=123&limit=20'],
    ])
  })

  it('reads one report, and a missing one is an ApiError report_not_found', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/reports/5': jsonResponse(200, { report: report(5) }),
      'GET /api/v1/fund/reports/6': errorResponse(404, 'report_not_found', '报告不存在'),
    })
    expect((await fundApi.getReport(5)).report.id).toBe(5)
    await expect(fundApi.getReport(6)).rejects.toBeInstanceOf(ApiError)
    await expect(fundApi.getReport(6)).rejects.toMatchObject({ code: 'report_not_found', status: 404 })
    expect(requests[0]?.url).toBe('/api/v1/fund/reports/5')
  })
})

describe('owner-only fund and payment calls', () => {
  it('append a guest’s access token as ?token= (escaped), and nothing for a signed-in donor', () => {
    expect(fundApi.withToken('/fund/donations/x', null)).toBe('/fund/donations/x')
    expect(fundApi.withToken('/fund/donations/x', '')).toBe('/fund/donations/x')
    expect(fundApi.withToken('/fund/donations/x', 'a+b')).toBe('/fund/donations/x?token=a%2Bb')
    expect(fundApi.withToken('/x?y=1', 't')).toBe('/x?y=1&token=t')
  })

  it('ask for a receipt publicly, or whole with its check code', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/fund/receipts/GC2026-000123': jsonResponse(200, { receipt: {} }) })
    await fundApi.getReceipt('GC2026-000123')
    await fundApi.getReceipt('GC2026-000123', 'A1B2C3D4E5')
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/fund/receipts/GC2026-000123',
      '/api/v1/fund/receipts/GC2026-000123?code=A1B2C3D4E5',
    ])
  })
})
