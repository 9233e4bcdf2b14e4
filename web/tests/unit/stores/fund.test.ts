import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { JOURNAL_PAGE_SIZE, useFundStore } from '@/stores/fund'
import { entry, purposes, summary } from '../support/fund'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('fund store', () => {
  it('loads the summary; ensureSummary does not ask twice', async () => {
    const { fetchMock } = stubFetch({ 'GET /api/v1/fund/summary': jsonResponse(200, summary) })
    const fund = useFundStore()
    expect((await fund.ensureSummary()).ok).toBe(true)
    expect((await fund.ensureSummary()).ok).toBe(true)
    expect(fund.summary?.fundraiser.credit_code).toBe('53440605MJL123456X')
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('returns a failure as a value and keeps the old summary', async () => {
    stubFetch({ 'GET /api/v1/fund/summary': errorResponse(503, 'unavailable', '服务暂时不可用') })
    const fund = useFundStore()
    const result = await fund.loadSummary()
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', message: '服务暂时不可用', status: 503 } })
    expect(fund.summary).toBeNull()
  })

  it('offers only active purposes to donors', async () => {
    stubFetch({ 'GET /api/v1/fund/purposes': jsonResponse(200, { purposes }) })
    const fund = useFundStore()
    await fund.loadPurposes()
    expect(fund.purposesLoaded).toBe(true)
    expect(fund.activePurposes.map((p) => p.id)).toEqual([1, 2])
  })

  it('pages through the journal with next_cursor until it is null', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/entries': (request) => {
        const cursor = new URL(request.url, 'http://x').searchParams.get('cursor')
        return cursor === null
          ? jsonResponse(200, { entries: [entry(3), entry(2)], next_cursor: 'c2' })
          : jsonResponse(200, { entries: [entry(2), entry(1)], next_cursor: null })
      },
    })
    const fund = useFundStore()
    await fund.loadMoreEntries()
    expect(fund.journalFinished).toBe(false)
    await fund.loadMoreEntries()
    // An entry repeated across pages (new entries arrived meanwhile) is shown once.
    expect(fund.entries.map((e) => e.id)).toEqual([3, 2, 1])
    expect(fund.journalFinished).toBe(true)
    await fund.loadMoreEntries()
    expect(requests).toHaveLength(2)
    expect(requests[0]?.url).toBe(`/api/v1/fund/entries?limit=${JOURNAL_PAGE_SIZE}`)
    expect(requests[1]?.url).toBe(`/api/v1/fund/entries?limit=${JOURNAL_PAGE_SIZE}&cursor=c2`)
  })

  it('shares one request when the list asks twice at once', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/fund/entries': jsonResponse(200, { entries: [entry(1)], next_cursor: 'next' }),
    })
    const fund = useFundStore()
    await Promise.all([fund.loadMoreEntries(), fund.loadMoreEntries()])
    expect(requests).toHaveLength(1)
    expect(fund.entries).toHaveLength(1)
  })

  it('keeps the cursor after a failed page so the retry asks for the same page', async () => {
    let fail = true
    const { requests } = stubFetch({
      'GET /api/v1/fund/entries': (request) =>
        new URL(request.url, 'http://x').searchParams.get('cursor') === null
          ? jsonResponse(200, { entries: [entry(2)], next_cursor: 'c2' })
          : fail
            ? errorResponse(500, 'internal', '')
            : jsonResponse(200, { entries: [entry(1)], next_cursor: null }),
    })
    const fund = useFundStore()
    await fund.loadMoreEntries()
    expect((await fund.loadMoreEntries()).ok).toBe(false)
    fail = false
    expect((await fund.loadMoreEntries()).ok).toBe(true)
    expect(requests.map((r) => new URL(r.url, 'http://x').searchParams.get('cursor'))).toEqual([null, 'c2', 'c2'])
    expect(fund.entries.map((e) => e.id)).toEqual([2, 1])
  })

  it('drops a page that arrives after the journal was reset', async () => {
    let release: (() => void) | null = null
    stubFetch({
      'GET /api/v1/fund/entries': () =>
        new Promise<Response>((done) => {
          release = () => done(jsonResponse(200, { entries: [entry(9)], next_cursor: null }))
        }),
    })
    const fund = useFundStore()
    const pending = fund.loadMoreEntries()
    await Promise.resolve()
    fund.resetJournal()
    release!()
    await pending
    expect(fund.entries).toEqual([])
    expect(fund.journalFinished).toBe(false)
  })
})
