import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { useCaseworkAdminStore } from '@/stores/caseworkAdmin'
import { useCaseworkStaffStore } from '@/stores/caseworkStaff'
import { application, services, staffUser, stats } from '../support/casework'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

function signIn(roles: { role: string; org_id: number | null; org_name: string | null }[]): void {
  useAuthStore().user = {
    ...staffUser,
    roles: roles.map((r) => ({ ...r, role: r.role as 'org_staff', village_id: null, village_name: null })),
  }
}

describe('casework staff store', () => {
  it('knows the organisations the user is staff of, each once', () => {
    signIn([
      { role: 'org_staff', org_id: 3, org_name: '博睿社工' },
      { role: 'resident', org_id: null, org_name: null },
      { role: 'org_staff', org_id: 3, org_name: '博睿社工' },
      { role: 'org_staff', org_id: 4, org_name: '启创社工' },
      { role: 'fund_admin', org_id: 5, org_name: 'X' },
    ])
    const staff = useCaseworkStaffStore()
    expect(staff.orgs).toEqual([
      { id: 3, name: '博睿社工' },
      { id: 4, name: '启创社工' },
    ])
    expect(staff.isStaffOf(4)).toBe(true)
    expect(staff.isStaffOf(5)).toBe(false)
  })

  it('loads the inbox with its filter and remembers it; a stale answer is dropped', async () => {
    let release: (r: Response) => void = () => {}
    const { requests } = stubFetch({
      'GET /api/v1/casework/inbox': (request) =>
        request.url.includes('overdue=true')
          ? jsonResponse(200, { applications: [application({ id: 2, overdue: true })] })
          : new Promise<Response>((done) => {
              release = done
            }),
    })
    const staff = useCaseworkStaffStore()
    const slow = staff.loadInbox({ org_id: 3 })
    await staff.loadInbox({ org_id: 3, status: 'submitted', overdue: true })
    release(jsonResponse(200, { applications: [application({ id: 1 })] }))
    await slow
    expect(staff.inbox.map((a) => a.id)).toEqual([2])
    expect(staff.inboxFilter).toEqual({ org_id: 3, status: 'submitted', overdue: true })
    expect(requests.map((r) => r.url)).toEqual(['/api/v1/casework/inbox?org_id=3', '/api/v1/casework/inbox?org_id=3&status=submitted&overdue=true'])
  })

  it('offers other organisations’ services for a referral', async () => {
    stubFetch({ 'GET /api/v1/casework/services': jsonResponse(200, { services }) })
    const staff = useCaseworkStaffStore()
    await staff.loadReferServices(3)
    expect(staff.referServices.map((s) => s.id)).toEqual([5])
  })

  it('publishes a service; a duplicate name comes back as service_exists', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/casework/services': (request) =>
        (request.body as { name: string }).name === '长者探访'
          ? errorResponse(409, 'service_exists', '同名服务已存在')
          : jsonResponse(201, { service: services[0] }),
    })
    const staff = useCaseworkStaffStore()
    expect((await staff.publishService({ org_id: 3, name: '助浴', description: '上门助浴', response_days: 7 })).ok).toBe(true)
    expect(await staff.publishService({ org_id: 3, name: '长者探访', description: 'x', response_days: 3 })).toMatchObject({
      ok: false,
      error: { code: 'service_exists', status: 409 },
    })
    expect(requests[0]?.body).toEqual({ org_id: 3, name: '助浴', description: '上门助浴', response_days: 7 })
  })
})

describe('casework admin store', () => {
  it('loads escalations and statistics; a 403 is a value', async () => {
    stubFetch({
      'GET /api/v1/casework/escalations': jsonResponse(200, { applications: [application({ overdue: true, sensitive: null, has_sensitive: false })] }),
      'GET /api/v1/casework/stats': jsonResponse(200, { orgs: stats }),
    })
    const admin = useCaseworkAdminStore()
    expect((await admin.loadEscalations()).ok).toBe(true)
    expect((await admin.loadStats()).ok).toBe(true)
    expect(admin.escalations).toHaveLength(1)
    expect(admin.stats).toEqual(stats)

    stubFetch({ 'GET /api/v1/casework/stats': errorResponse(403, 'forbidden', '没有权限') })
    expect(await admin.loadStats()).toMatchObject({ ok: false, error: { status: 403 } })
    expect(admin.stats).toEqual(stats)
  })
})
