/**
 * User display preferences: UI language and 长辈模式 (senior mode). Persisted in localStorage
 * so they survive reloads; the DOM, vue-i18n, Vant and the API client follow them through
 * `usePrefsEffects` (this store only holds and persists the values).
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { DEFAULT_LOCALE, isLocale, type Locale } from '@/locales'

export const LOCALE_STORAGE_KEY = 'carecity.locale'
export const ELDER_STORAGE_KEY = 'carecity.elderMode'

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    // Storage can be disabled (private mode, some in-app browsers): fall back to defaults.
    return null
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value)
  } catch {
    // Not persisting is acceptable; the preference still applies for this visit.
  }
}

export const usePrefsStore = defineStore('prefs', () => {
  const storedLocale = readStorage(LOCALE_STORAGE_KEY)
  const locale = ref<Locale>(isLocale(storedLocale) ? storedLocale : DEFAULT_LOCALE)
  const elderMode = ref<boolean>(readStorage(ELDER_STORAGE_KEY) === '1')

  watch(locale, (value) => writeStorage(LOCALE_STORAGE_KEY, value), { flush: 'sync' })
  watch(elderMode, (value) => writeStorage(ELDER_STORAGE_KEY, value ? '1' : '0'), { flush: 'sync' })

  function setLocale(value: Locale): void {
    locale.value = value
  }

  function toggleLocale(): void {
    locale.value = locale.value === 'zh-CN' ? 'en' : 'zh-CN'
  }

  function setElderMode(on: boolean): void {
    elderMode.value = on
  }

  function toggleElderMode(): void {
    elderMode.value = !elderMode.value
  }

  return { locale, elderMode, setLocale, toggleLocale, setElderMode, toggleElderMode }
})
