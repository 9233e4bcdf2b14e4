/** `/api/v1/me*`: the signed-in account, its sessions, data export and deletion. */
import { http, type JsonValue } from './client'
import type { RoleGrant, User } from './types'

export interface MeResponse {
  user: User
  /** Convenience copies of `user.id` / `user.roles`. */
  id: number
  roles: RoleGrant[]
}

export interface Session {
  id: number
  created_at_ms: number
  last_seen_at_ms: number
  expires_at_ms: number
  user_agent: string
  ip: string
  /** True for the session making this request. */
  current: boolean
}

export interface SessionsResponse {
  sessions: Session[]
}

export type ExportDocument = { [key: string]: JsonValue }

/** 200, or 401 `unauthenticated` when there is no valid session. */
export function getMe(): Promise<MeResponse> {
  return http.get<MeResponse>('/me')
}

export function listSessions(): Promise<SessionsResponse> {
  return http.get<SessionsResponse>('/me/sessions')
}

/** 204; the session can no longer be used. */
export function revokeSession(id: number): Promise<void> {
  return http.delete<void>(`/me/sessions/${encodeURIComponent(String(id))}`)
}

/** Everything the platform holds about the account, as one JSON object. */
export function exportMyData(): Promise<ExportDocument> {
  return http.get<ExportDocument>('/me/export')
}

/**
 * 204; the account is anonymised and the session ended. The password must be given again:
 * 401 `wrong_password` (field `password`, nothing deleted), 400 `missing_field`, 429 `rate_limited`.
 */
export function deleteAccount(password: string): Promise<void> {
  return http.delete<void>('/me', { body: { password } })
}
