import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAccountStore } from '@/stores/account'
import { useAuthStore } from '@/stores/auth'
import { emptyResponse, errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

const sessions = [
  { id: 1, created_at_ms: 1, last_seen_at_ms: 10, expires_at_ms: 99, user_agent: 'old phone', ip: '10.0.0.1', current: false },
  { id: 5, created_at_ms: 2, last_seen_at_ms: 5, expires_at_ms: 99, user_agent: 'this phone', ip: '10.0.0.2', current: true },
  { id: 3, created_at_ms: 3, last_seen_at_ms: 30, expires_at_ms: 99, user_agent: 'tablet', ip: '10.0.0.3', current: false },
]

async function signedIn() {
  const auth = useAuthStore()
  stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }) })
  await auth.login({ login: 'x', password: 'y' })
  return auth
}

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('account store', () => {
  it('lists sessions with the current one first, then by last use', async () => {
    await signedIn()
    stubFetch({ 'GET /api/v1/me/sessions': jsonResponse(200, { sessions }) })
    const account = useAccountStore()
    expect((await account.loadSessions()).ok).toBe(true)
    expect(account.sessions.map((s) => s.id)).toEqual([5, 3, 1])
  })

  it('revokes another session and keeps the user signed in', async () => {
    const auth = await signedIn()
    const { requests } = stubFetch({
      'GET /api/v1/me/sessions': jsonResponse(200, { sessions }),
      'DELETE /api/v1/me/sessions/3': emptyResponse(204),
    })
    const account = useAccountStore()
    await account.loadSessions()
    expect((await account.revokeSession(3)).ok).toBe(true)
    expect(account.sessions.map((s) => s.id)).toEqual([5, 1])
    expect(auth.isLoggedIn).toBe(true)
    expect(requests[1]?.headers['content-type']).toBe('application/json')
  })

  it('revoking the current session logs out locally', async () => {
    const auth = await signedIn()
    stubFetch({
      'GET /api/v1/me/sessions': jsonResponse(200, { sessions }),
      'DELETE /api/v1/me/sessions/5': emptyResponse(204),
    })
    const account = useAccountStore()
    await account.loadSessions()
    await account.revokeSession(5)
    expect(auth.isLoggedIn).toBe(false)
    expect(account.sessions).toEqual([])
  })

  it('a 401 from any account call signs the user out locally', async () => {
    const auth = await signedIn()
    stubFetch({ 'GET /api/v1/me/sessions': errorResponse(401, 'unauthenticated', '请先登录') })
    const result = await useAccountStore().loadSessions()
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(auth.isLoggedIn).toBe(false)
  })

  it('returns the export document as is', async () => {
    await signedIn()
    const document = { user: { id: 7 }, sessions: [], audit: [{ action: 'accounts.user.registered' }] }
    stubFetch({ 'GET /api/v1/me/export': jsonResponse(200, document) })
    expect(await useAccountStore().exportData()).toEqual({ ok: true, value: document })
  })

  it('deleting the account sends the password and signs out; a failure keeps the user', async () => {
    const auth = await signedIn()
    let fail = true
    const { requests } = stubFetch({
      'DELETE /api/v1/me': () => (fail ? errorResponse(500, 'internal', '服务器错误') : emptyResponse(204)),
    })
    const account = useAccountStore()
    expect((await account.deleteAccount('secret-password')).ok).toBe(false)
    expect(auth.isLoggedIn).toBe(true)
    fail = false
    expect((await account.deleteAccount('secret-password')).ok).toBe(true)
    expect(requests.at(-1)?.body).toEqual({ password: 'secret-password' })
    expect(auth.isLoggedIn).toBe(false)
  })

  it('a wrong password keeps the user signed in; an ended session signs out', async () => {
    const auth = await signedIn()
    stubFetch({ 'DELETE /api/v1/me': errorResponse(401, 'wrong_password', '密码不正确，请重新输入', 'password') })
    const account = useAccountStore()
    const wrong = await account.deleteAccount('not-it')
    expect(wrong.ok).toBe(false)
    expect(auth.isLoggedIn).toBe(true)
    stubFetch({ 'DELETE /api/v1/me': errorResponse(401, 'unauthenticated', '请先登录') })
    expect((await account.deleteAccount('secret-password')).ok).toBe(false)
    expect(auth.isLoggedIn).toBe(false)
  })
})
