/**
 * One-line success/info notices ("已退出登录"). Stored as an i18n key, shown by `NoticeHost`:
 * a toast in normal mode, an inline banner in 长辈模式 (no pop-ups for seniors).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type NoticeType = 'success' | 'info'

export interface Notice {
  id: number
  key: string
  params: Record<string, string | number>
  type: NoticeType
  /** True while the notice waits for the navigation it was raised before. */
  carry: boolean
}

export interface ShowOptions {
  type?: NoticeType
  params?: Record<string, string | number>
  /** Set when the caller navigates right after: the notice is shown on the next page. */
  carry?: boolean
}

export const useNoticeStore = defineStore('notice', () => {
  const current = ref<Notice | null>(null)
  let nextId = 1

  function show(key: string, options: ShowOptions = {}): void {
    current.value = {
      id: nextId++,
      key,
      params: options.params ?? {},
      type: options.type ?? 'success',
      carry: options.carry ?? false,
    }
  }

  function dismiss(): void {
    current.value = null
  }

  /** Called on every route change: a carried notice arrives, any other one is dropped. */
  function onNavigate(): void {
    if (current.value === null) {
      return
    }
    if (current.value.carry) {
      current.value = { ...current.value, carry: false }
    } else {
      current.value = null
    }
  }

  return { current, show, dismiss, onNavigate }
})
