import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { groupSeats, useGrantsReviewStore } from '@/stores/grantsReview'
import { APP_ID, seat, SEAT_ID, sheet } from '../support/grants'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const reviewer = { id: 'revaaaaaaaaaaaaaaaaa', kind: 'expert', status: 'approved', name: '李老师', title: '', project_types: ['长者服务'], load_cap: 8 }

describe('grantsReview store', () => {
  it('groups seats by status, proposed first, leaving out empty groups', () => {
    const seats = [seat({ id: 'a'.repeat(20), status: 'accepted' }), seat({ id: 'b'.repeat(20) }), seat({ id: 'c'.repeat(20), status: 'removed' })]
    expect(groupSeats(seats).map((g) => [g.status, g.seats.map((s) => s.id[0])])).toEqual([
      ['proposed', ['b']],
      ['accepted', ['a']],
      ['removed', ['c']],
    ])
  })

  it('reads a 404 from /me/reviewer as "not a reviewer", not as an error', async () => {
    stubFetch({ 'GET /api/v1/grants/me/reviewer': errorResponse(404, 'grants.reviewer_not_found', '不是评审人员') })
    const store = useGrantsReviewStore()
    expect(await store.loadMe()).toEqual({ ok: true, value: undefined })
    expect(store.notReviewer).toBe(true)
    expect(store.reviewer).toBeNull()
  })

  it('loads my seats and replaces a seat with the answer to accept or decline', async () => {
    stubFetch({
      'GET /api/v1/grants/me/reviewer': jsonResponse(200, { reviewer, conflicts: [], seats: [seat()] }),
      [`POST /api/v1/grants/seats/${SEAT_ID}/accept`]: jsonResponse(200, { seat: seat({ status: 'accepted' }) }),
      [`POST /api/v1/grants/seats/${SEAT_ID}/decline`]: errorResponse(409, 'grants.seat_not_open', '席位已答复'),
    })
    const store = useGrantsReviewStore()
    await store.loadMe()
    expect(store.seatGroups.map((g) => g.status)).toEqual(['proposed'])
    expect((await store.acceptSeat(SEAT_ID)).ok).toBe(true)
    expect(store.seatGroups.map((g) => g.status)).toEqual(['accepted'])
    const declined = await store.declineSeat(SEAT_ID)
    expect(!declined.ok && declined.error).toMatchObject({ code: 'grants.seat_not_open', status: 409 })
    expect(store.seats[0]?.status).toBe('accepted')
  })

  it('saves a review with its status and keeps the answer on the sheet', async () => {
    const { requests } = stubFetch({
      [`GET /api/v1/grants/reviews/${APP_ID}`]: jsonResponse(200, sheet()),
      [`PUT /api/v1/grants/reviews/${APP_ID}`]: (r) =>
        jsonResponse(200, { review: { application_id: APP_ID, status: 'submitted', scores: (r.body as { scores: object }).scores, comment: '好', score: 6.6, submitted_at_ms: 1 } }),
    })
    const store = useGrantsReviewStore()
    expect((await store.loadSheet(APP_ID)).ok).toBe(true)
    expect(store.sheet?.review.status).toBe('none')
    const saved = await store.saveReview(APP_ID, { scores: { 社区需求: 8, 可行性: 6 }, comment: '好', status: 'submitted' })
    expect(saved.ok && saved.value.score).toBe(6.6)
    expect(store.sheet?.review.status).toBe('submitted')
    expect(requests[1]?.body).toEqual({ scores: { 社区需求: 8, 可行性: 6 }, comment: '好', status: 'submitted' })
  })

  it('keeps the field of a refused score, and the codes of a closed sheet and a missing seat', async () => {
    stubFetch({ [`PUT /api/v1/grants/reviews/${APP_ID}`]: errorResponse(400, 'out_of_range', '分数应为 0 到 10', 'scores.可行性') })
    const store = useGrantsReviewStore()
    const refused = await store.saveReview(APP_ID, { scores: { 可行性: 11 }, comment: '' })
    expect(!refused.ok && refused.error.field).toBe('scores.可行性')

    stubFetch({ [`PUT /api/v1/grants/reviews/${APP_ID}`]: errorResponse(409, 'grants.scores_closed', '评分已截止') })
    const closed = await store.saveReview(APP_ID, { scores: {}, comment: '', status: 'draft' })
    expect(!closed.ok && closed.error.code).toBe('grants.scores_closed')

    stubFetch({ [`GET /api/v1/grants/reviews/${APP_ID}`]: errorResponse(404, 'grants.seat_not_found', '没有评审席位') })
    const missing = await store.loadSheet(APP_ID)
    expect(!missing.ok && missing.error).toMatchObject({ code: 'grants.seat_not_found', status: 404 })
  })

  it('applies as a citizen reviewer; a second record is 409', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/grants/reviewers/apply': jsonResponse(201, { reviewer: { ...reviewer, kind: 'citizen', status: 'applied' } }),
    })
    const store = useGrantsReviewStore()
    const applied = await store.applyAsCitizen({ statement: '退休教师', project_types: ['青少年'], village_id: 1 })
    expect(applied.ok && applied.value.status).toBe('applied')
    expect(requests[0]?.body).toEqual({ statement: '退休教师', project_types: ['青少年'], village_id: 1 })
    stubFetch({ 'POST /api/v1/grants/reviewers/apply': errorResponse(409, 'grants.already_reviewer', '已经是评审人员') })
    const again = await store.applyAsCitizen({ statement: 'x', project_types: ['青少年'] })
    expect(!again.ok && again.error.code).toBe('grants.already_reviewer')
  })
})
