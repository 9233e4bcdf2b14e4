import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { objectionsOpen, useGrantsNoticeStore } from '@/stores/grantsNotice'
import { CALL_ID, noticeView, objection, OBJECTION_ID } from '../support/grants'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('grantsNotice', () => {
  it('is open until the close, not at it', () => {
    expect(objectionsOpen({ objections_close_ms: 1000 }, 999)).toBe(true)
    expect(objectionsOpen({ objections_close_ms: 1000 }, 1000)).toBe(false)
  })

  it('reads an unpublished notice as none, not as a failure; other errors stay errors', async () => {
    stubFetch({ [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: errorResponse(404, 'grants.notice_not_found', '') })
    const store = useGrantsNoticeStore()
    expect(await store.load(CALL_ID)).toEqual({ ok: true, value: null })
    expect(store.view).toBeNull()
    stubFetch({ [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: errorResponse(404, 'grants.call_not_found', '') })
    const missing = await store.load(CALL_ID)
    expect(!missing.ok && missing.error.code).toBe('grants.call_not_found')
  })

  it('adds a filed objection and replaces an answered one in the view', async () => {
    stubFetch({
      [`GET /api/v1/grants/calls/${CALL_ID}/notice`]: jsonResponse(200, noticeView(1000)),
      'POST /api/v1/grants/notices/noticeaaaaaaaaaaaaaa/objections': jsonResponse(201, { objection: objection() }),
      [`POST /api/v1/grants/objections/${OBJECTION_ID}/answer`]: jsonResponse(200, { objection: objection({ status: 'dismissed', answer: '无误' }) }),
    })
    const store = useGrantsNoticeStore()
    await store.load(CALL_ID)
    await store.object(objection().application_id, '评分有误，请复核')
    expect(store.view?.objections.map((o) => o.status)).toEqual(['open'])
    await store.answer(OBJECTION_ID, false, '无误')
    expect(store.view?.objections.map((o) => [o.status, o.answer])).toEqual([['dismissed', '无误']])
  })
})
