/** `/api/v1/auth/*`: register, log in and out, recover a password. One function per endpoint. */
import { http } from './client'
import type { UserEnvelope } from './types'

interface RegisterCommon {
  password: string
  display_name: string
  /** The privacy-policy version the user accepted, from `GET /meta`. */
  consent_version: string
}

export type RegisterRequest = RegisterCommon & ({ phone: string; email?: never } | { email: string; phone?: never })

export interface LoginRequest {
  /** A phone number or an email address. */
  login: string
  password: string
}

export interface RecoverRequest {
  login: string
}

export interface RecoverConfirmRequest {
  login: string
  code: string
  new_password: string
}

/** 201 + session cookie. 409 `account_exists` when the phone/email is taken. */
export function register(body: RegisterRequest): Promise<UserEnvelope> {
  return http.post<UserEnvelope>('/auth/register', body)
}

/** 200 + session cookie. 401 `invalid_credentials`; 429 `rate_limited` with Retry-After. */
export function login(body: LoginRequest): Promise<UserEnvelope> {
  return http.post<UserEnvelope>('/auth/login', body)
}

/**
 * 204; the current session counts as freshly signed in (for payouts and role changes, which answer
 * 401 `reauth_required` otherwise). 401 `wrong_password` (field `password`), 429 `rate_limited`.
 */
export function reauthenticate(password: string): Promise<void> {
  return http.post<void>('/auth/reauth', { password })
}

/** 204; ends the current session. */
export function logout(): Promise<void> {
  return http.post<void>('/auth/logout')
}

/** 202 whether or not the account exists (no enumeration); 429 when rate limited. */
export function requestRecovery(body: RecoverRequest): Promise<void> {
  return http.post<void>('/auth/recover/request', body)
}

/** 204; 400 `invalid_code` when the code is wrong or expired. */
export function confirmRecovery(body: RecoverConfirmRequest): Promise<void> {
  return http.post<void>('/auth/recover/confirm', body)
}
