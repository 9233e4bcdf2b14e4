/**
 * Makes the page follow the preferences store: `<html class="elder">` and `lang`, the vue-i18n
 * locale (fetching English's messages first, the first time), Vant's built-in texts, and the API
 * client's Accept-Language. Call once, in App setup.
 */
import { Locale as VantLocale } from 'vant'
import vantEn from 'vant/es/locale/lang/en-US'
import vantZh from 'vant/es/locale/lang/zh-CN'
import { watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { setAcceptLanguage } from '@/api/client'
import { hasLocaleMessages, loadLocaleMessages, type Locale } from '@/locales'
import { usePrefsStore } from '@/stores/prefs'

export const ELDER_CLASS = 'elder'

export function applyLocale(locale: Locale): void {
  document.documentElement.lang = locale
  setAcceptLanguage(locale)
  if (locale === 'en') {
    VantLocale.use('en-US', vantEn)
  } else {
    VantLocale.use('zh-CN', vantZh)
  }
}

export function applyElderMode(on: boolean): void {
  document.documentElement.classList.toggle(ELDER_CLASS, on)
}

export function usePrefsEffects(): void {
  const prefs = usePrefsStore()
  const composer = useI18n()
  const use = (value: Locale): void => {
    composer.locale.value = value
    applyLocale(value)
  }
  watch(
    () => prefs.locale,
    (value) => {
      if (hasLocaleMessages(composer, value)) {
        use(value)
        return
      }
      // English arrives in its own chunk; meanwhile (and if it cannot be fetched) the page stays
      // in its language. A switch back before it arrived wins.
      loadLocaleMessages(composer, value).then(
        () => {
          if (prefs.locale === value) {
            use(value)
          }
        },
        (error: unknown) => console.warn('could not load the messages of', value, error),
      )
    },
    { immediate: true },
  )
  watch(() => prefs.elderMode, applyElderMode, { immediate: true })
}
