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

/** An in-app message (消息). `read` and the list's `unread` come with the forum (docs/api-forum.md). */
export interface Notification {
  id: number
  template: string
  params: Record<string, unknown>
  created_at_ms: number
  read?: boolean
}

export interface NotificationsPage {
  notifications: Notification[]
  next_cursor: string | null
  /** The number of unread in-app messages (all pages). */
  unread?: number
}

/** Newest first; `before` pages back (the previous answer's `next_cursor`). */
export function listNotifications(before: string | null): Promise<NotificationsPage> {
  const query = before === null ? '' : `?before=${encodeURIComponent(before)}`
  return http.get<NotificationsPage>(`/me/notifications${query}`)
}

/** Marks my messages up to `upToId` (all when null) read; answers the unread left. */
export function markNotificationsRead(upToId: number | null): Promise<{ unread: number }> {
  return http.post<{ unread: number }>('/me/notifications/read', upToId === null ? {} : { up_to_id: upToId })
}
