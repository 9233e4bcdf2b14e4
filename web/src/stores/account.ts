/** The signed-in account's own data: sessions (devices), export, deletion. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as meApi from '@/api/me'
import { useAuthStore } from './auth'
import { attempt, ok, type Result } from './result'

export const useAccountStore = defineStore('account', () => {
  const auth = useAuthStore()
  const sessions = ref<meApi.Session[]>([])

  /**
   * A 401 on any account call means the session ended elsewhere: sign out locally — except a
   * wrong password given again (`wrong_password`), where the session is fine.
   */
  function handleFailure<T>(result: Result<T>): Result<T> {
    if (!result.ok && result.error.status === 401 && result.error.code !== 'wrong_password') {
      reset()
      auth.clear()
    }
    return result
  }

  function reset(): void {
    sessions.value = []
  }

  async function loadSessions(): Promise<Result> {
    const result = handleFailure(await attempt(meApi.listSessions))
    if (!result.ok) {
      return result
    }
    // Current device first, then most recently used.
    sessions.value = [...result.value.sessions].sort(
      (a, b) => Number(b.current) - Number(a.current) || b.last_seen_at_ms - a.last_seen_at_ms,
    )
    return ok()
  }

  /** Revokes a session; revoking the current one is a logout. */
  async function revokeSession(id: number): Promise<Result> {
    const wasCurrent = sessions.value.some((s) => s.id === id && s.current)
    const result = handleFailure(await attempt(() => meApi.revokeSession(id)))
    if (!result.ok) {
      return result
    }
    sessions.value = sessions.value.filter((s) => s.id !== id)
    if (wasCurrent) {
      reset()
      auth.clear()
    }
    return ok()
  }

  function exportData(): Promise<Result<meApi.ExportDocument>> {
    return attempt(meApi.exportMyData).then(handleFailure)
  }

  /** Deletes the account; `password` is the current password, given again. */
  async function deleteAccount(password: string): Promise<Result> {
    const result = handleFailure(await attempt(() => meApi.deleteAccount(password)))
    if (!result.ok) {
      return result
    }
    reset()
    auth.clear()
    return ok()
  }

  return { sessions, loadSessions, revokeSession, exportData, deleteAccount, reset }
})
