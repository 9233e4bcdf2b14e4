import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { type ApplicationForm, buildApplicationRequest, coversVillage, normaliseIdNumber, useCaseworkStore } from '@/stores/casework'
import { application, resident, service, services, villages } from '../support/casework'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

function form(extra: Partial<ApplicationForm> = {}): ApplicationForm {
  return {
    service_id: 1,
    for_whom: 'self',
    beneficiary_name: '',
    relationship: '',
    description: '  希望有人上门看看  ',
    preferred_times: '',
    contact_phone: '139 0000 1111',
    village_id: null,
    sensitive_consent: false,
    health_condition: '',
    id_number: '',
    ...extra,
  }
}

describe('buildApplicationRequest (what an application sends)', () => {
  it('sends only the required fields for a plain application for oneself', () => {
    expect(buildApplicationRequest(form())).toEqual({
      service_id: 1,
      for_whom: 'self',
      description: '希望有人上门看看',
      contact_phone: '13900001111',
    })
  })

  it('sends the beneficiary only for a family member, and optional fields only when filled', () => {
    const family = form({ for_whom: 'family', beneficiary_name: ' 陈伯 ', relationship: '父亲', preferred_times: '周二上午', village_id: 1 })
    expect(buildApplicationRequest(family)).toEqual({
      service_id: 1,
      for_whom: 'family',
      beneficiary_name: '陈伯',
      relationship: '父亲',
      description: '希望有人上门看看',
      preferred_times: '周二上午',
      contact_phone: '13900001111',
      village_id: 1,
    })
    // Switched back to "for myself": the typed beneficiary is not sent.
    expect(buildApplicationRequest({ ...family, for_whom: 'self' })).not.toHaveProperty('beneficiary_name')
  })

  it('never sends sensitive data without consent, even when the fields still hold text', () => {
    const body = buildApplicationRequest(form({ health_condition: '高血压', id_number: '44060519500101123X', sensitive_consent: false }))
    expect(body).not.toHaveProperty('sensitive')
    expect(body).not.toHaveProperty('sensitive_consent')
    expect(JSON.stringify(body)).not.toContain('高血压')
  })

  it('sends the filled sensitive fields with sensitive_consent: true once consented', () => {
    const body = buildApplicationRequest(form({ sensitive_consent: true, health_condition: ' 高血压 ', id_number: '440605 19500101 123x' }))
    expect(body.sensitive).toEqual({ health_condition: '高血压', id_number: '44060519500101123X' })
    expect(body.sensitive_consent).toBe(true)
    expect(buildApplicationRequest(form({ sensitive_consent: true, health_condition: '行动不便' })).sensitive).toEqual({ health_condition: '行动不便' })
  })

  it('sends no consent flag when consent was given but nothing sensitive was filled in', () => {
    const body = buildApplicationRequest(form({ sensitive_consent: true }))
    expect(body).not.toHaveProperty('sensitive')
    expect(body).not.toHaveProperty('sensitive_consent')
  })

  it('normalises ID numbers and knows which services cover a village', () => {
    expect(normaliseIdNumber(' 4406 0519 5001 01123x ')).toBe('44060519500101123X')
    expect(coversVillage(service({ villages: [] }), 2)).toBe(true)
    expect(coversVillage(service({ villages: [{ id: 1, name: '叠滘村' }] }), 2)).toBe(false)
    expect(coversVillage(service({ villages: [{ id: 1, name: '叠滘村' }] }), 1)).toBe(true)
  })
})

describe('casework store', () => {
  it('loads the villages once and the catalogue for a village', async () => {
    const { requests, fetchMock } = stubFetch({
      'GET /api/v1/villages': jsonResponse(200, { villages }),
      'GET /api/v1/casework/services': (request) =>
        jsonResponse(200, { services: request.url.includes('village_id=2') ? [services[0], services[1]] : services }),
    })
    const store = useCaseworkStore()
    await store.loadVillages()
    await store.loadVillages()
    expect(store.villages).toEqual(villages)
    await store.loadServices(2)
    expect(store.servicesVillageId).toBe(2)
    expect(store.services.map((s) => s.id)).toEqual([1, 2])
    await store.loadServices(null)
    expect(store.services).toHaveLength(3)
    expect(requests.filter((r) => r.url === '/api/v1/villages')).toHaveLength(1)
    expect(fetchMock).toHaveBeenCalledTimes(3)
  })

  it('drops a catalogue answer for a village no longer chosen', async () => {
    let release: (r: Response) => void = () => {}
    stubFetch({
      'GET /api/v1/casework/services': (request) =>
        request.url.includes('village_id=1')
          ? new Promise<Response>((done) => {
              release = done
            })
          : jsonResponse(200, { services: [services[1]] }),
    })
    const store = useCaseworkStore()
    const slow = store.loadServices(1)
    await store.loadServices(2)
    release(jsonResponse(200, { services }))
    await slow
    expect(store.servicesVillageId).toBe(2)
    expect(store.services.map((s) => s.id)).toEqual([2])
  })

  it('finds a service in the catalogue or asks the server', async () => {
    const { fetchMock } = stubFetch({
      'GET /api/v1/casework/services': jsonResponse(200, { services }),
      'GET /api/v1/casework/services/8': errorResponse(404, 'service_not_found', '服务不存在'),
    })
    const store = useCaseworkStore()
    await store.loadServices()
    expect(await store.getService(2)).toMatchObject({ ok: true, value: { name: '心理辅导' } })
    expect(await store.getService(8)).toMatchObject({ ok: false, error: { code: 'service_not_found', status: 404 } })
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  it('applies with the built body and puts the new application first in mine', async () => {
    const created = application({ id: 11 })
    const { requests } = stubFetch({
      'GET /api/v1/me/casework/applications': jsonResponse(200, { applications: [application({ id: 3, submitted_at_ms: 1 }), application({ id: 4, submitted_at_ms: 2 })] }),
      'POST /api/v1/casework/applications': jsonResponse(201, { application: created }),
    })
    const store = useCaseworkStore()
    await store.loadMine()
    expect(store.mine.map((a) => a.id)).toEqual([4, 3])
    const result = await store.apply(form({ sensitive_consent: false, health_condition: '高血压' }))
    expect(result).toMatchObject({ ok: true, value: { id: 11 } })
    expect(requests[1]?.body).toEqual({ service_id: 1, for_whom: 'self', description: '希望有人上门看看', contact_phone: '13900001111' })
    expect(store.mine.map((a) => a.id)).toEqual([11, 4, 3])
  })

  it('returns field errors as values, and a 401 signs out locally', async () => {
    stubFetch({
      'POST /api/v1/casework/applications': errorResponse(400, 'invalid_phone', '手机号格式不正确', 'contact_phone'),
      'GET /api/v1/me/casework/applications': errorResponse(401, 'unauthenticated', '请先登录'),
    })
    const auth = useAuthStore()
    auth.user = { ...resident, roles: [...resident.roles] }
    const store = useCaseworkStore()
    expect(await store.apply(form())).toMatchObject({ ok: false, error: { code: 'invalid_phone', field: 'contact_phone' } })
    expect(auth.isLoggedIn).toBe(true)
    expect(await store.loadMine()).toMatchObject({ ok: false, error: { status: 401 } })
    expect(auth.isLoggedIn).toBe(false)
  })
})
