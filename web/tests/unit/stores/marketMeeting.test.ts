import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { useMarketMeetingStore } from '@/stores/marketMeeting'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { villageStaff } from '../support/market'
import { MEETING_ID, meeting, OTHER_PROJECT_ID, shortlisted } from '../support/marketMeeting'

const URL_ = `/api/v1/market/meetings/${MEETING_ID}`

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

describe('useMarketMeetingStore', () => {
  it('reads the meeting again after a shortlist change, so its counts and report move with it', async () => {
    const { requests } = stubFetch({
      [`POST ${URL_}/shortlist`]: jsonResponse(200, { shortlist: [shortlisted()] }),
      [`GET ${URL_}`]: jsonResponse(200, { meeting: meeting({ title: '读过了' }) }),
    })
    const store = useMarketMeetingStore()
    const result = await store.toggleShortlist(MEETING_ID, 3, OTHER_PROJECT_ID, true)
    expect(result.ok).toBe(true)
    await vi.waitFor(() => expect(store.meeting?.title).toBe('读过了'))
    expect(store.shortlist).toHaveLength(1)
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${URL_}/shortlist`, `GET ${URL_}`])
  })

  it('keeps the list as it was when a change is refused, and a 401 signs out', async () => {
    stubFetch({ [`DELETE ${URL_}/shortlist/${OTHER_PROJECT_ID}`]: errorResponse(409, 'market.shortlist_requested', '已发出报价请求') })
    const store = useMarketMeetingStore()
    store.shortlist = [shortlisted()]
    const refused = await store.toggleShortlist(MEETING_ID, 3, OTHER_PROJECT_ID, false)
    expect(!refused.ok && refused.error.code).toBe('market.shortlist_requested')
    expect(store.shortlist).toHaveLength(1)
    const auth = useAuthStore()
    auth.user = villageStaff.user as never
    stubFetch({ [`POST ${URL_}/shortlist/quote-requests`]: errorResponse(401, 'unauthenticated', '') })
    await store.requestQuotes(MEETING_ID, 3)
    expect(auth.user).toBeNull()
  })

  it('forgets the shortlists and the last one-tap result when the account changes', async () => {
    const auth = useAuthStore()
    auth.user = villageStaff.user as never
    const store = useMarketMeetingStore()
    store.shortlist = [shortlisted()]
    store.wantedBy = [shortlisted()]
    store.requested = { quote_requests: [], skipped: [] }
    auth.user = null
    await vi.waitFor(() => expect(store.shortlist).toEqual([]))
    expect(store.wantedBy).toEqual([])
    expect(store.requested).toBeNull()
  })
})
