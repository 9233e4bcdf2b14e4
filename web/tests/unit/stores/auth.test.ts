import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { emptyResponse, errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('auth store', () => {
  it('logs in and keeps the user the server returned', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }) })
    const auth = useAuthStore()
    const result = await auth.login({ login: '13912345678', password: 'correct horse' })
    expect(result.ok).toBe(true)
    expect(auth.isLoggedIn).toBe(true)
    expect(auth.user?.display_name).toBe('张三')
    expect(auth.status).toBe('ready')
    expect(requests[0]?.body).toEqual({ login: '13912345678', password: 'correct horse' })
  })

  it('maps invalid_credentials to a FormError carrying the server message', async () => {
    stubFetch({ 'POST /api/v1/auth/login': errorResponse(401, 'invalid_credentials', '账号或密码错误') })
    const auth = useAuthStore()
    const result = await auth.login({ login: '13912345678', password: 'wrong' })
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_credentials', message: '账号或密码错误', field: null, retryAfterSeconds: null, status: 401 },
    })
    expect(auth.isLoggedIn).toBe(false)
  })

  it('keeps the field the server blamed and the Retry-After of a rate limit', async () => {
    stubFetch({
      'POST /api/v1/auth/login': errorResponse(429, 'rate_limited', 'Too many attempts', 'login', { 'Retry-After': '60' }),
    })
    const result = await useAuthStore().login({ login: 'a@b.cn', password: 'x' })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'rate_limited', field: 'login', retryAfterSeconds: 60 })
    }
  })

  it('reports a network failure with no message so the page supplies its own', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('offline'))))
    const result = await useAuthStore().login({ login: 'a@b.cn', password: 'x' })
    expect(result).toMatchObject({ ok: false, error: { code: 'network_error', message: null, status: null } })
  })

  it('registers with the consent version and signs the new user in', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/auth/register': jsonResponse(201, { user: sampleUser }) })
    const auth = useAuthStore()
    const result = await auth.register({
      phone: '13912345678',
      password: 'longenough',
      display_name: '张三',
      consent_version: '2026-11',
    })
    expect(result.ok).toBe(true)
    expect(auth.user?.id).toBe(7)
    expect(requests[0]?.body).toEqual({
      phone: '13912345678',
      password: 'longenough',
      display_name: '张三',
      consent_version: '2026-11',
    })
  })

  it('surfaces account_exists with its field', async () => {
    stubFetch({ 'POST /api/v1/auth/register': errorResponse(409, 'account_exists', '该手机号已注册', 'phone') })
    const result = await useAuthStore().register({
      phone: '13912345678',
      password: 'longenough',
      display_name: '张三',
      consent_version: '2026-11',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'account_exists', field: 'phone', message: '该手机号已注册' } })
  })

  it('logs out: POSTs {} and forgets the user', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }),
      'POST /api/v1/auth/logout': emptyResponse(204),
    })
    const auth = useAuthStore()
    await auth.login({ login: 'x', password: 'y' })
    const result = await auth.logout()
    expect(result.ok).toBe(true)
    expect(auth.user).toBeNull()
    expect(requests[1]?.body).toEqual({})
    expect(requests[1]?.headers['content-type']).toBe('application/json')
  })

  it('treats a 401 on logout as already logged out, but keeps the user on a server error', async () => {
    let status = 401
    stubFetch({
      'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }),
      'POST /api/v1/auth/logout': () => errorResponse(status, status === 401 ? 'unauthenticated' : 'internal', ''),
    })
    const auth = useAuthStore()
    await auth.login({ login: 'x', password: 'y' })
    expect((await auth.logout()).ok).toBe(true)
    expect(auth.user).toBeNull()

    await auth.login({ login: 'x', password: 'y' })
    status = 500
    const result = await auth.logout()
    expect(result.ok).toBe(false)
    expect(auth.user).not.toBeNull()
  })

  it('asks GET /me once, and a 401 means signed out but ready', async () => {
    const { fetchMock } = stubFetch({ 'GET /api/v1/me': errorResponse(401, 'unauthenticated', '请先登录') })
    const auth = useAuthStore()
    expect(auth.status).toBe('unknown')
    await Promise.all([auth.ensureLoaded(), auth.ensureLoaded()])
    await auth.ensureLoaded()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(auth.status).toBe('ready')
    expect(auth.isLoggedIn).toBe(false)
  })

  it('reads the user out of the GET /me envelope', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, { user: sampleUser, id: 7, roles: sampleUser.roles }) })
    const auth = useAuthStore()
    await auth.ensureLoaded()
    expect(auth.user?.roles).toHaveLength(2)
  })

  it('maps invalid_code on recovery confirmation', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/auth/recover/request': emptyResponse(202),
      'POST /api/v1/auth/recover/confirm': errorResponse(400, 'invalid_code', '验证码错误或已过期', 'code'),
    })
    const auth = useAuthStore()
    expect((await auth.requestRecovery({ login: '13912345678' })).ok).toBe(true)
    const result = await auth.confirmRecovery({ login: '13912345678', code: '000000', new_password: 'newpassword' })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_code', field: 'code' } })
    expect(requests[1]?.body).toEqual({ login: '13912345678', code: '000000', new_password: 'newpassword' })
  })
})
