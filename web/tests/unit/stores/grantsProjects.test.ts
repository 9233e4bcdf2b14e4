import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { useAuthStore } from '@/stores/auth'
import { useGrantsProjectsStore } from '@/stores/grantsProjects'
import { project, PROJECT_ID, summary } from '../support/grantsProjects'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('grants projects store', () => {
  it('forgets the projects an account observes, its own projects and the open project when the account changes', async () => {
    stubFetch({
      'GET /api/v1/grants/me/observing': jsonResponse(200, { projects: [summary()] }),
      'GET /api/v1/grants/my/projects': jsonResponse(200, { projects: [summary()] }),
      [`GET /api/v1/grants/projects/${PROJECT_ID}`]: jsonResponse(200, { project: project({ observers: [{ user_id: 8, name: '李四' }] }) }),
    })
    const auth = useAuthStore()
    const store = useGrantsProjectsStore()
    auth.user = { ...sampleUser, roles: [...sampleUser.roles] }
    await nextTick()
    expect((await store.loadObserving()).ok).toBe(true)
    expect((await store.loadMine()).ok).toBe(true)
    expect((await store.loadProject(PROJECT_ID)).ok).toBe(true)
    expect(store.observing.map((p) => p.id)).toEqual([PROJECT_ID])
    auth.clear()
    await nextTick()
    expect(store.observing).toEqual([])
    expect(store.mine).toEqual([])
    expect(store.project).toBeNull()
  })

  it('retries the agreement with the same Idempotency-Key, and a changed agreement with a new one', async () => {
    let calls = 0
    const { requests } = stubFetch({
      'POST /api/v1/grants/applications/appaaaaaaaaaaaaaaaaa/project': () => {
        calls += 1
        return calls === 1 ? errorResponse(503, 'unavailable', '服务繁忙') : jsonResponse(201, { project: project() })
      },
    })
    const store = useGrantsProjectsStore()
    const body = { starts_at_ms: 1, ends_at_ms: 2, milestones: [{ label: '启动', amount_fen: 100, due_ms: 2 }] }
    expect((await store.createProject('appaaaaaaaaaaaaaaaaa', body)).ok).toBe(false)
    expect((await store.createProject('appaaaaaaaaaaaaaaaaa', body)).ok).toBe(true)
    const keys = requests.map((r) => r.headers['idempotency-key'])
    expect(keys[0]).toBeTruthy()
    expect(keys[1]).toBe(keys[0])
    expect(store.project?.id).toBe(PROJECT_ID)
    await store.createProject('appaaaaaaaaaaaaaaaaa', { ...body, note: '改' })
    expect(requests[2]?.headers['idempotency-key']).not.toBe(keys[0])
  })
})
