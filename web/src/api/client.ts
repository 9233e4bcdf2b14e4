/**
 * The one HTTP client of the app: a thin fetch wrapper for the CareCity JSON API.
 *
 * - Sends the session cookie (`credentials: 'same-origin'`) and `Accept-Language` matching the
 *   UI locale, so the server localises `error.message`.
 * - State-changing requests always carry `Content-Type: application/json` and a JSON body
 *   (`{}` when there is nothing to say): the server rejects them otherwise (CSRF defence).
 * - Every failure becomes a typed error: `ApiError` for an HTTP error response, `NetworkError`
 *   when no response arrived. Callers never see a raw `Response`.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** The server's error envelope: `{"error":{"code","message","field"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; field: string | null }
}

/** An HTTP error response from the API (status ≥ 400). */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    /** Stable snake_case code, e.g. `invalid_credentials`; `http_<status>` if the body had none. */
    readonly code: string,
    /** Localised text from the server; empty when the body was not the error envelope. */
    message: string,
    /** The request field the error is about, or null. */
    readonly field: string | null,
    /** Seconds from `Retry-After`, or null. */
    readonly retryAfterSeconds: number | null,
    /** The error object's other fields (e.g. `product_id` of `shop.sold_out`); `{}` when none. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
  }
}

/** No HTTP response at all: offline, DNS, connection reset, aborted. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'
  readonly code = 'network_error'
  constructor(override readonly cause: unknown) {
    super('network_error')
  }
}

const API_PREFIX = '/api/v1'

let acceptLanguage = 'zh-CN'

/** Sets the `Accept-Language` sent with every request (called when the UI locale changes). */
export function setAcceptLanguage(locale: string): void {
  acceptLanguage = locale
}

export function getAcceptLanguage(): string {
  return acceptLanguage
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) {
    return false
  }
  const error: unknown = value.error
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  )
}

function parseRetryAfter(header: string | null): number | null {
  if (header === null) {
    return null
  }
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) {
    return Math.ceil(seconds)
  }
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'))
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    body = null
  }
  if (isErrorBody(body)) {
    const { code, message, field, ...details } = body.error as ErrorBody['error'] & Record<string, unknown>
    return new ApiError(
      response.status,
      code,
      typeof message === 'string' ? message : '',
      typeof field === 'string' && field !== '' ? field : null,
      retryAfter,
      details,
    )
  }
  return new ApiError(response.status, `http_${response.status}`, '', null, retryAfter)
}

export interface RequestOptions {
  /** JSON body; ignored for GET. State-changing requests default to `{}`. */
  body?: object
  signal?: AbortSignal
  /** Extra request headers, e.g. `Idempotency-Key` on a POST that moves money. */
  headers?: Record<string, string>
  /** A raw body instead of JSON (an image upload): sent as is, with the file's own `Content-Type`. */
  file?: Blob
}

/**
 * Performs one API request and returns the parsed JSON body (undefined for 204 or an empty body).
 * Throws `ApiError` for status ≥ 400 and `NetworkError` when no response arrived.
 * `T` is the caller's statement of the contract; the body is not validated at run time.
 */
export async function request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    ...options.headers,
    Accept: 'application/json',
    'Accept-Language': acceptLanguage,
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal }
  if (method !== 'GET' && options.file !== undefined) {
    headers['Content-Type'] = options.file.type
    init.body = options.file
  } else if (method !== 'GET') {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(options.body ?? {})
  }
  let response: Response
  try {
    response = await fetch(API_PREFIX + path, init)
  } catch (cause) {
    throw new NetworkError(cause)
  }
  if (!response.ok) {
    throw await toApiError(response)
  }
  if (response.status === 204) {
    return undefined as T
  }
  const text = await response.text()
  return (text === '' ? undefined : JSON.parse(text)) as T
}

export const http = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body: object = {}, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body: object = {}, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body: object = {}, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
}
