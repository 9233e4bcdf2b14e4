/**
 * 信息公开: the fund's published progress and final reports, newest first, optionally for one
 * purpose, loaded page by page through `next_cursor`; plus the one report a detail page shows.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as fundApi from '@/api/fund'
import { attempt, ok, type Result } from './result'

export const REPORTS_PAGE_SIZE = 20

export type { FundReport } from '@/api/fund'

export const useFundReportsStore = defineStore('fundReports', () => {
  const reports = ref<fundApi.FundReport[]>([])
  const purposeId = ref<number | null>(null)
  const nextCursor = ref<string | null>(null)
  const finished = ref(false)
  const report = ref<fundApi.FundReport | null>(null)
  let listRequest: Promise<Result> | null = null
  let reportRequests = 0

  /** Forgets loaded pages and lists `id`'s reports (null: every purpose) from the newest. */
  function setPurpose(id: number | null): void {
    purposeId.value = id
    reports.value = []
    nextCursor.value = null
    finished.value = false
    listRequest = null
  }

  /**
   * Appends the next page. Concurrent calls share one request; a page that arrives after the
   * filter changed is dropped. Once `next_cursor` is null further calls do nothing.
   */
  function loadMore(): Promise<Result> {
    if (finished.value) {
      return Promise.resolve(ok())
    }
    if (listRequest === null) {
      const cursor = nextCursor.value
      const purpose = purposeId.value
      const request = attempt(() => fundApi.listReports(purpose, cursor, REPORTS_PAGE_SIZE)).then((result): Result => {
        if (listRequest !== request) {
          return ok() // filter changed while in flight: drop the stale page
        }
        listRequest = null
        if (!result.ok) {
          return result
        }
        const known = new Set(reports.value.map((r) => r.id))
        reports.value = [...reports.value, ...result.value.reports.filter((r) => !known.has(r.id))]
        nextCursor.value = result.value.next_cursor
        finished.value = result.value.next_cursor === null
        return ok()
      })
      listRequest = request
    }
    return listRequest
  }

  /**
   * Loads one report into `report`; on failure `report` is null (404 `report_not_found`). Only
   * the latest call's answer is kept when the page switches reports quickly.
   */
  async function loadReport(id: number): Promise<Result> {
    if (report.value?.id !== id) {
      report.value = null
    }
    const mine = ++reportRequests
    const result = await attempt(() => fundApi.getReport(id))
    if (mine !== reportRequests) {
      return ok()
    }
    if (!result.ok) {
      report.value = null
      return result
    }
    report.value = result.value.report
    return ok()
  }

  return { reports, purposeId, nextCursor, finished, report, setPurpose, loadMore, loadReport }
})
