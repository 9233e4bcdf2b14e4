import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ELDER_STORAGE_KEY, LOCALE_STORAGE_KEY, usePrefsStore } from '@/stores/prefs'

beforeEach(() => {
  window.localStorage.clear()
  setActivePinia(createPinia())
})

describe('prefs store', () => {
  it('defaults to Chinese and normal mode', () => {
    const prefs = usePrefsStore()
    expect(prefs.locale).toBe('zh-CN')
    expect(prefs.elderMode).toBe(false)
  })

  it('persists the language and 长辈模式 as soon as they change', () => {
    const prefs = usePrefsStore()
    prefs.toggleLocale()
    prefs.toggleElderMode()
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en')
    expect(window.localStorage.getItem(ELDER_STORAGE_KEY)).toBe('1')
    prefs.setElderMode(false)
    prefs.setLocale('zh-CN')
    expect(window.localStorage.getItem(ELDER_STORAGE_KEY)).toBe('0')
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')
  })

  it('restores saved preferences in a new page load', () => {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, 'en')
    window.localStorage.setItem(ELDER_STORAGE_KEY, '1')
    const prefs = usePrefsStore()
    expect(prefs.locale).toBe('en')
    expect(prefs.elderMode).toBe(true)
  })

  it('ignores a saved locale it does not support', () => {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, 'fr')
    expect(usePrefsStore().locale).toBe('zh-CN')
  })

  it('still works when storage throws (disabled storage in some in-app browsers)', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new Error('SecurityError')
    })
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new Error('QuotaExceededError')
    })
    const prefs = usePrefsStore()
    expect(prefs.locale).toBe('zh-CN')
    prefs.toggleElderMode()
    expect(prefs.elderMode).toBe(true)
  })
})
