/**
 * Who is signed in. The session itself is the HttpOnly `cc_session` cookie, invisible to
 * JavaScript; this store mirrors the account the server reports for it.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import { getMe } from '@/api/me'
import type { User } from '@/api/types'
import { attempt, ok, type Result } from './result'

/** `unknown` until the first `GET /me` answers; then `ready` whether signed in or not. */
export type AuthStatus = 'unknown' | 'ready'

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null)
  const status = ref<AuthStatus>('unknown')
  const isLoggedIn = computed(() => user.value !== null)

  /** The organisations the signed-in user is `org_staff` of, each once (id and name). */
  const staffOrgs = computed<{ id: number; name: string }[]>(() => {
    const seen = new Map<number, { id: number; name: string }>()
    for (const grant of user.value?.roles ?? []) {
      if (grant.role === 'org_staff' && grant.org_id !== null && !seen.has(grant.org_id)) {
        seen.set(grant.org_id, { id: grant.org_id, name: grant.org_name ?? String(grant.org_id) })
      }
    }
    return [...seen.values()]
  })
  let loading: Promise<void> | null = null

  function setUser(value: User | null): void {
    user.value = value
    status.value = 'ready'
  }

  /** Forgets the account locally (after logout, deletion, or a 401 elsewhere). */
  function clear(): void {
    setUser(null)
  }

  /**
   * Asks the server who is signed in. 401 means nobody; any other failure (offline) also
   * leaves the store signed out but `ready`, so guards never hang.
   */
  async function refresh(): Promise<Result> {
    const result = await attempt(getMe)
    setUser(result.ok ? result.value.user : null)
    return result.ok ? ok() : result
  }

  /** Runs `refresh` once per page load; later calls reuse the answer. */
  function ensureLoaded(): Promise<void> {
    if (status.value === 'ready') {
      return Promise.resolve()
    }
    if (loading === null) {
      loading = refresh().then(() => {
        loading = null
      })
    }
    return loading
  }

  async function login(body: authApi.LoginRequest): Promise<Result> {
    const result = await attempt(() => authApi.login(body))
    if (!result.ok) {
      return result
    }
    setUser(result.value.user)
    return ok()
  }

  async function register(body: authApi.RegisterRequest): Promise<Result> {
    const result = await attempt(() => authApi.register(body))
    if (!result.ok) {
      return result
    }
    setUser(result.value.user)
    return ok()
  }

  /**
   * Ends the session on the server. The local state is cleared even if the server call fails
   * with 401 (the session was already gone); other failures keep the user signed in.
   */
  async function logout(): Promise<Result> {
    const result = await attempt(authApi.logout)
    if (result.ok || result.error.status === 401) {
      clear()
      return ok()
    }
    return result
  }

  function requestRecovery(body: authApi.RecoverRequest): Promise<Result> {
    return attempt(() => authApi.requestRecovery(body))
  }

  function confirmRecovery(body: authApi.RecoverConfirmRequest): Promise<Result> {
    return attempt(() => authApi.confirmRecovery(body))
  }

  return {
    user,
    status,
    isLoggedIn,
    staffOrgs,
    ensureLoaded,
    refresh,
    login,
    register,
    logout,
    requestRecovery,
    confirmRecovery,
    clear,
  }
})

/** A 401 means the session ended elsewhere: sign out locally. The result goes on as it came. */
export function signedOutOn401<T>(result: Result<T>): Result<T> {
  if (!result.ok && result.error.status === 401) {
    useAuthStore().clear()
  }
  return result
}

/** `attempt(call)` for a signed-in user's request: a 401 signs out locally. */
export async function attemptSignedIn<T>(call: () => Promise<T>): Promise<Result<T>> {
  return signedOutOn401(await attempt(call))
}

/** Runs a call (signed in unless told) and hands its answer to `set`; a failure is returned as is. */
export async function readInto<T>(call: () => Promise<T>, set: (value: T) => void, signedIn = true): Promise<Result> {
  const result = await (signedIn ? attemptSignedIn(call) : attempt(call))
  if (!result.ok) {
    return result
  }
  set(result.value)
  return ok()
}
