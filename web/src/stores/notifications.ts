/**
 * 消息: my in-app messages, paged back by cursor, and the unread count behind the tab bar's badge.
 * `refreshUnread` asks the first page again (the server counts `unread` over all of them); the app
 * calls it on each route change and every `POLL_MS` while someone is signed in. Opening 消息
 * marks everything up to the newest message read.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/me'
import { attemptSignedIn, useAuthStore } from './auth'
import { cursorPages } from './cursorPages'
import { ok, type Result } from './result'

export type { Notification } from '@/api/me'

/** How often the unread count is asked for while the app is open. */
export const POLL_MS = 60_000

export const useNotificationsStore = defineStore('notifications', () => {
  const auth = useAuthStore()
  const unread = ref(0)
  const list = cursorPages(async (_q: object, cursor) => {
    const page = await api.listNotifications(cursor)
    if (cursor === null && typeof page.unread === 'number') {
      unread.value = page.unread
    }
    return { items: page.notifications, next_cursor: page.next_cursor }
  })
  const { items, finished } = list

  watch(
    () => auth.user?.id ?? null,
    () => {
      unread.value = 0
      list.setQuery({})
    },
  )

  async function refreshUnread(): Promise<Result> {
    if (!auth.isLoggedIn) {
      unread.value = 0
      return ok()
    }
    const result = await attemptSignedIn(() => api.listNotifications(null))
    if (!result.ok) {
      return result
    }
    unread.value = result.value.unread ?? result.value.notifications.filter((n) => n.read === false).length
    return ok()
  }

  /** Marks every message up to the newest shown read (all when none is shown yet). */
  async function markAllRead(): Promise<Result> {
    const newest = items.value.reduce<number | null>((max, n) => (max === null || n.id > max ? n.id : max), null)
    const result = await attemptSignedIn(() => api.markNotificationsRead(newest))
    if (!result.ok) {
      return result
    }
    unread.value = result.value.unread
    items.value = items.value.map((n) => (newest !== null && n.id <= newest ? { ...n, read: true } : n))
    return ok()
  }

  return { unread, items, finished, restart: () => list.setQuery({}), loadMore: list.loadMore, refreshUnread, markAllRead }
})
