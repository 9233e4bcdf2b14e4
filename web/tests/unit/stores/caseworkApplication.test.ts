import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useCaseworkApplicationStore } from '@/stores/caseworkApplication'
import { application, message } from '../support/casework'
import { emptyResponse, errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('casework application store', () => {
  it('loads an application and its messages, oldest message first', async () => {
    stubFetch({
      'GET /api/v1/casework/applications/9': jsonResponse(200, { application: application() }),
      'GET /api/v1/casework/applications/9/messages': jsonResponse(200, {
        messages: [message({ id: 2, created_at_ms: 20 }), message({ id: 1, created_at_ms: 10 })],
      }),
    })
    const store = useCaseworkApplicationStore()
    expect((await store.load(9)).ok).toBe(true)
    await store.loadMessages(9)
    expect(store.current?.id).toBe(9)
    expect(store.messagesFor).toBe(9)
    expect(store.messages.map((m) => m.id)).toEqual([1, 2])
  })

  it('says application_not_found for someone else’s application and forgets the old one', async () => {
    stubFetch({
      'GET /api/v1/casework/applications/9': jsonResponse(200, { application: application() }),
      'GET /api/v1/casework/applications/10': errorResponse(404, 'application_not_found', '申请不存在'),
    })
    const store = useCaseworkApplicationStore()
    await store.load(9)
    expect(await store.load(10)).toMatchObject({ ok: false, error: { code: 'application_not_found' } })
    expect(store.current?.id).toBe(9)
  })

  it('appends a sent message and reloads the application for its timeline', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/casework/applications/9/messages': jsonResponse(200, { messages: [message()] }),
      'POST /api/v1/casework/applications/9/messages': jsonResponse(201, { message: message({ id: 2, body: '好的' }) }),
      'GET /api/v1/casework/applications/9': jsonResponse(200, {
        application: application({ timeline: [...application().timeline, { at_ms: 2, kind: 'message', actor: '李社工', note: '' }] }),
      }),
    })
    const store = useCaseworkApplicationStore()
    await store.loadMessages(9)
    expect((await store.sendMessage(9, '  好的 ')).ok).toBe(true)
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ body: '好的' })
    expect(store.messages.map((m) => m.body)).toEqual(['您好，我是李社工，周二上午上门可以吗？', '好的'])
    expect(store.current?.timeline.map((e) => e.kind)).toEqual(['submitted', 'message'])
  })

  it('keeps the application the action returned', async () => {
    const accepted = application({ status: 'accepted', worker: { user_id: 7, name: '李社工' } })
    const { fetchMock } = stubFetch({ 'POST /api/v1/casework/applications/9/accept': jsonResponse(200, { application: accepted }) })
    const store = useCaseworkApplicationStore()
    expect(await store.accept(9, 7)).toMatchObject({ ok: true, value: { status: 'accepted' } })
    expect(store.current?.worker?.name).toBe('李社工')
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('reloads when an action answers without the application; a failed reload keeps the action done', async () => {
    let reloads = 0
    const { requests } = stubFetch({
      'POST /api/v1/casework/applications/9/decline': jsonResponse(200, {}),
      'POST /api/v1/casework/applications/9/close': emptyResponse(200),
      'GET /api/v1/casework/applications/9': () =>
        ++reloads === 1 ? jsonResponse(200, { application: application({ status: 'declined' }) }) : errorResponse(503, 'busy', '繁忙'),
    })
    const store = useCaseworkApplicationStore()
    expect(await store.decline(9, ' 不在服务范围 ')).toMatchObject({ ok: true, value: { status: 'declined' } })
    expect(requests[0]?.body).toEqual({ reason: '不在服务范围' })
    expect(await store.close(9, '完成')).toEqual({ ok: true, value: null })
  })

  it('does not reload after a referral (the application now belongs to another organisation)', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/casework/applications/9/refer': jsonResponse(200, {}) })
    const store = useCaseworkApplicationStore()
    expect(await store.refer(9, { service_id: 5, reason: '更合适' })).toEqual({ ok: true, value: null })
    expect(requests).toHaveLength(1)
  })

  it('rates with an optional comment and reopens with a reason; conflicts come back as values', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/casework/applications/9/rate': (request) =>
        (request.body as { comment?: string }).comment === undefined
          ? errorResponse(409, 'already_rated', '已经评价过了')
          : jsonResponse(200, { application: application({ status: 'closed', rating: 5, rating_comment: '谢谢' }) }),
      'POST /api/v1/casework/applications/9/reopen': errorResponse(409, 'reopen_window_passed', '已超过可重新打开的期限'),
    })
    const store = useCaseworkApplicationStore()
    expect((await store.rate(9, 5, ' 谢谢 ')).ok).toBe(true)
    expect(await store.rate(9, 4, '  ')).toMatchObject({ ok: false, error: { code: 'already_rated', status: 409 } })
    expect(await store.reopen(9, '还需要')).toMatchObject({ ok: false, error: { code: 'reopen_window_passed' } })
    expect(requests.map((r) => r.body)).toEqual([{ score: 5, comment: '谢谢' }, { score: 4 }, { reason: '还需要' }])
    expect(store.current?.rating).toBe(5)
  })
})
