/**
 * The vue-i18n instance. zh-CN is the default and the fallback, and the only language in the
 * startup bundle; English is second and fetched the first time it is needed (`loadLocaleMessages`),
 * so the Chinese reader on a slow phone never downloads it.
 */
import { createI18n } from 'vue-i18n'
import zhCN, { type MessageSchema } from './zh-CN'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof SUPPORTED_LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value)
}

/**
 * A vue-i18n instance showing `locale`, with zh-CN and whatever other `messages` are at hand
 * (tests pass English; the app loads it with `loadLocaleMessages` before switching to it).
 */
export function createAppI18n(locale: Locale = DEFAULT_LOCALE, messages: Partial<Record<Locale, MessageSchema>> = {}) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    // Typed as complete: a language not loaded yet falls back to zh-CN message by message.
    messages: { ...messages, 'zh-CN': zhCN } as Record<Locale, MessageSchema>,
    missingWarn: import.meta.env.DEV,
    fallbackWarn: import.meta.env.DEV,
  })
}

/** The part of a vue-i18n composer that `loadLocaleMessages` needs. */
export interface LocaleMessageTarget {
  readonly availableLocales: readonly string[]
  setLocaleMessage(locale: Locale, messages: MessageSchema): void
}

/** Whether `target` already has the messages of `locale`. */
export function hasLocaleMessages(target: LocaleMessageTarget, locale: Locale): boolean {
  return target.availableLocales.includes(locale)
}

/**
 * Makes sure `target` has the messages of `locale`, fetching English (its own chunk) the first
 * time. Rejects when the chunk cannot be fetched (offline); the caller stays in its language.
 */
export async function loadLocaleMessages(target: LocaleMessageTarget, locale: Locale): Promise<void> {
  if (hasLocaleMessages(target, locale)) {
    return
  }
  const { default: en } = await import('./en')
  target.setLocaleMessage(locale, en)
}

export const i18n = createAppI18n()
export type { MessageSchema }
