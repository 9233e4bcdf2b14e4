/**
 * How store actions report outcomes to pages: a `Result` value instead of a thrown error, so a
 * page can show `error.message` and highlight `error.field` without try/catch. Stores stay
 * free of i18n; pages turn a `FormError` into text with `useErrorText`.
 */
import { ApiError, NetworkError } from '@/api/client'

export interface FormError {
  /** Server code (`invalid_credentials`, …), `network_error`, or `unknown`. */
  code: string
  /** Server-localised text; null when the client must supply its own (network failures etc.). */
  message: string | null
  /** The request field at fault, as the server named it, or null. */
  field: string | null
  retryAfterSeconds: number | null
  /** HTTP status, or null when no response arrived. */
  status: number | null
  /** The server error's other fields (e.g. `product_id` of `shop.sold_out`); absent when none. */
  details?: Readonly<Record<string, unknown>>
}

export type Result<T = void> = { ok: true; value: T } | { ok: false; error: FormError }

export function ok(): Result
export function ok<T>(value: T): Result<T>
export function ok<T>(value?: T): Result<T | undefined> {
  return { ok: true, value }
}

export function fail<T = void>(error: FormError): Result<T> {
  return { ok: false, error }
}

/** Maps anything an API call can throw to a `FormError`. */
export function toFormError(error: unknown): FormError {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      message: error.message === '' ? null : error.message,
      field: error.field,
      retryAfterSeconds: error.retryAfterSeconds,
      status: error.status,
      ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
    }
  }
  if (error instanceof NetworkError) {
    return { code: error.code, message: null, field: null, retryAfterSeconds: null, status: null }
  }
  // A bug or a malformed response body: keep the app usable, but leave a trace for developers.
  console.error(error)
  return { code: 'unknown', message: null, field: null, retryAfterSeconds: null, status: null }
}

/** Runs `action` and wraps its value or failure in a `Result`. */
export async function attempt<T>(action: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await action())
  } catch (error) {
    return fail<T>(toFormError(error))
  }
}

/**
 * Whether `error` is the server's 404 `code` (`donation_not_found`, `payment_not_found`): for
 * owner-only objects that means "no such thing, or not yours" — the server does not say which.
 */
export function isNotFound(error: FormError | null, code: string): boolean {
  return error !== null && error.status === 404 && error.code === code
}
