import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, NetworkError, request, setAcceptLanguage } from '@/api/client'
import { emptyResponse, errorResponse, jsonResponse, stubFetch } from '../support/fetch'

afterEach(() => setAcceptLanguage('zh-CN'))

describe('api client', () => {
  it('sends JSON, the session cookie and Accept-Language on a POST', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { ok: 1 }) })
    setAcceptLanguage('en')
    await request('POST', '/auth/login', { body: { login: 'a', password: 'b' } })
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      url: '/api/v1/auth/login',
      method: 'POST',
      credentials: 'same-origin',
      body: { login: 'a', password: 'b' },
    })
    expect(requests[0]?.headers['content-type']).toBe('application/json')
    expect(requests[0]?.headers['accept-language']).toBe('en')
  })

  it('sends an empty JSON object with Content-Type on a bodiless DELETE', async () => {
    const { requests } = stubFetch({ 'DELETE /api/v1/me': emptyResponse(204) })
    await expect(request('DELETE', '/me')).resolves.toBeUndefined()
    expect(requests[0]?.headers['content-type']).toBe('application/json')
    expect(requests[0]?.body).toEqual({})
  })

  it('sends no body and no Content-Type on a GET', async () => {
    const { requests } = stubFetch({ 'GET /api/v1/meta': jsonResponse(200, { name: 'x' }) })
    await expect(request('GET', '/meta')).resolves.toEqual({ name: 'x' })
    expect(requests[0]?.headers['content-type']).toBeUndefined()
    expect(requests[0]?.body).toBeUndefined()
  })

  it('turns the error envelope into an ApiError with code, message, field and Retry-After', async () => {
    stubFetch({
      'POST /api/v1/auth/login': errorResponse(429, 'rate_limited', '请稍后再试', 'login', { 'Retry-After': '30' }),
    })
    const error = await request('POST', '/auth/login').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', message: '请稍后再试', field: 'login', retryAfterSeconds: 30 })
  })

  it('gives a non-JSON error body the code http_<status>', async () => {
    stubFetch({ 'GET /api/v1/me': new Response('<html>Bad gateway</html>', { status: 502 }) })
    const error = await request('GET', '/me').catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 502, code: 'http_502', message: '', field: null })
  })

  it('wraps a failed fetch in NetworkError', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))))
    await expect(request('GET', '/meta')).rejects.toBeInstanceOf(NetworkError)
  })
})
