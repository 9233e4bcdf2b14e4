/** A typed fetch stub: each test states the responses it expects and reads back the requests. */
import { vi } from 'vitest'

export interface RecordedRequest {
  url: string
  method: string
  headers: Record<string, string>
  credentials: RequestCredentials | undefined
  body: unknown
}

export type Responder = (request: RecordedRequest) => Response | Promise<Response>

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export function emptyResponse(status = 204): Response {
  return new Response(null, { status })
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  field: string | null = null,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { error: { code, message, field } }, headers)
}

/**
 * A list endpoint of two pages: `first` with `next_cursor` `cursor`, then, asked with
 * `before=<cursor>`, `second` as the last page (`next_cursor: null`). `key` names the items' field.
 */
export function twoPages(key: string, first: unknown[], second: unknown[], cursor: string): Responder {
  return (request) =>
    new URL(request.url, 'http://localhost').searchParams.get('before') === cursor
      ? jsonResponse(200, { [key]: second, next_cursor: null })
      : jsonResponse(200, { [key]: first, next_cursor: cursor })
}

function normaliseHeaders(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  new Headers(init).forEach((value, key) => {
    out[key.toLowerCase()] = value
  })
  return out
}

/**
 * Replaces global fetch. `routes` maps "METHOD /path" to a responder; an unexpected request
 * fails the test loudly instead of hanging.
 */
export function stubFetch(routes: Record<string, Responder | Response>) {
  const requests: RecordedRequest[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url
    const method = (init.method ?? 'GET').toUpperCase()
    const request: RecordedRequest = {
      url,
      method,
      headers: normaliseHeaders(init.headers),
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
    }
    requests.push(request)
    const route = routes[`${method} ${new URL(url, 'http://localhost').pathname}`]
    if (route === undefined) {
      throw new Error(`unexpected request ${method} ${url}`)
    }
    return typeof route === 'function' ? route(request) : route.clone()
  })
  vi.stubGlobal('fetch', fetchMock)
  return { requests, fetchMock }
}

export const sampleUser = {
  id: 7,
  display_name: '张三',
  phone: '13912345678',
  email: null,
  roles: [
    { role: 'resident', org_id: null, org_name: null, village_id: null, village_name: null },
    { role: 'org_staff', org_id: 3, org_name: '博睿社工', village_id: null, village_name: null },
  ],
  created_at_ms: 1_700_000_000_000,
} as const
