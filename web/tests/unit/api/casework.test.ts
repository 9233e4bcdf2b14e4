import { describe, expect, it } from 'vitest'
import * as api from '@/api/casework'
import { ApiError } from '@/api/client'
import { application, message, services, stats, villages } from '../support/casework'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

const sent = (requests: { method: string; url: string; body: unknown }[]) => requests.map((r) => ({ method: r.method, url: r.url, body: r.body }))

describe('casework api module', () => {
  it('reads villages, the catalogue (with its filters) and one service', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'GET /api/v1/casework/services': jsonResponse(200, { services }),
      'GET /api/v1/casework/services/2': jsonResponse(200, { service: services[1] }),
    })
    expect((await api.listVillages()).villages).toEqual(villages)
    await api.listServices()
    await api.listServices({ village_id: 1 })
    await api.listServices({ village_id: 1, org_id: 3 })
    expect((await api.getService(2)).service.name).toBe('心理辅导')
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/villages',
      'GET /api/v1/casework/services',
      'GET /api/v1/casework/services?village_id=1',
      'GET /api/v1/casework/services?village_id=1&org_id=3',
      'GET /api/v1/casework/services/2',
    ])
  })

  it('posts a new service and an application with exactly the given bodies', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/casework/services': jsonResponse(201, { service: services[0] }),
      'POST /api/v1/casework/applications': jsonResponse(201, { application: application() }),
    })
    const serviceBody = { org_id: 3, name: '长者探访', description: '上门', response_days: 3, village_ids: [1] }
    await api.createService(serviceBody)
    const applicationBody = { service_id: 1, for_whom: 'self' as const, description: '需要探访', contact_phone: '13900001111' }
    await api.createApplication(applicationBody)
    expect(sent(requests)).toEqual([
      { method: 'POST', url: '/api/v1/casework/services', body: serviceBody },
      { method: 'POST', url: '/api/v1/casework/applications', body: applicationBody },
    ])
    expect(requests[1]?.headers['content-type']).toBe('application/json')
  })

  it('reads one application, mine, the inbox (status and overdue in the query), escalations and stats', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/casework/applications/9': jsonResponse(200, { application: application() }),
      'GET /api/v1/me/casework/applications': jsonResponse(200, { applications: [application()] }),
      'GET /api/v1/casework/inbox': jsonResponse(200, { applications: [] }),
      'GET /api/v1/casework/escalations': jsonResponse(200, { applications: [] }),
      'GET /api/v1/casework/stats': jsonResponse(200, { orgs: stats }),
    })
    await api.getApplication(9)
    await api.listMyApplications()
    await api.listInbox({ org_id: 3 })
    await api.listInbox({ org_id: 3, status: 'submitted', overdue: true })
    await api.listInbox({ org_id: 3, overdue: false })
    await api.listEscalations()
    expect((await api.getStats()).orgs).toEqual(stats)
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/casework/applications/9',
      '/api/v1/me/casework/applications',
      '/api/v1/casework/inbox?org_id=3',
      '/api/v1/casework/inbox?org_id=3&status=submitted&overdue=true',
      '/api/v1/casework/inbox?org_id=3',
      '/api/v1/casework/escalations',
      '/api/v1/casework/stats',
    ])
  })

  it('sends each action to its own path with the contract’s body', async () => {
    const ok = jsonResponse(200, { application: application() })
    const { requests } = stubFetch({
      'POST /api/v1/casework/applications/9/accept': ok,
      'POST /api/v1/casework/applications/9/refer': ok,
      'POST /api/v1/casework/applications/9/decline': ok,
      'POST /api/v1/casework/applications/9/close': ok,
      'POST /api/v1/casework/applications/9/rate': ok,
      'POST /api/v1/casework/applications/9/reopen': ok,
      'POST /api/v1/casework/applications/9/messages': jsonResponse(201, { message: message() }),
      'GET /api/v1/casework/applications/9/messages': jsonResponse(200, { messages: [message()] }),
    })
    await api.acceptApplication(9, 7)
    await api.referApplication(9, { service_id: 5, reason: '更合适' })
    await api.declineApplication(9, '不在服务范围')
    await api.closeApplication(9, '已完成探访')
    await api.rateApplication(9, { score: 5, comment: '很好' })
    await api.reopenApplication(9, '还需要帮助')
    await api.postMessage(9, '你好')
    expect((await api.listMessages(9)).messages).toHaveLength(1)
    expect(sent(requests).map((r) => [r.url.split('/').pop(), r.body])).toEqual([
      ['accept', { worker_user_id: 7 }],
      ['refer', { service_id: 5, reason: '更合适' }],
      ['decline', { reason: '不在服务范围' }],
      ['close', { outcome: '已完成探访' }],
      ['rate', { score: 5, comment: '很好' }],
      ['reopen', { reason: '还需要帮助' }],
      ['messages', { body: '你好' }],
      ['messages', undefined],
    ])
  })

  it('throws the server’s error code and field', async () => {
    stubFetch({
      'POST /api/v1/casework/applications': errorResponse(400, 'invalid_id_number', '身份证号校验位不正确', 'sensitive.id_number'),
    })
    const error = await api
      .createApplication({ service_id: 1, for_whom: 'self', description: 'x', contact_phone: '13900001111' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, code: 'invalid_id_number', field: 'sensitive.id_number' })
  })
})
