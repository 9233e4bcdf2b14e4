/** Display helpers: masking contact details, dates, countdowns, role names. Pure functions plus a hook. */
import { useI18n } from 'vue-i18n'
import type { RoleGrant } from '@/api/types'
import { DATE_STYLE, formatInZone } from '@/time/zone'

/** `13912345678` → `139****5678`. Already-masked or unusual values are masked conservatively. */
export function maskPhone(phone: string): string {
  if (phone.includes('*')) {
    return phone
  }
  const digits = phone.replace(/\s+/g, '')
  if (digits.length <= 7) {
    return digits.slice(0, 1) + '*'.repeat(Math.max(0, digits.length - 1))
  }
  return digits.slice(0, 3) + '****' + digits.slice(-4)
}

/** `alice@b.cn` → `a***@b.cn`. Already-masked values are kept. */
export function maskEmail(email: string): string {
  if (email.includes('*')) {
    return email
  }
  const at = email.lastIndexOf('@')
  if (at <= 0) {
    return '***'
  }
  return email.slice(0, 1) + '***' + email.slice(at)
}

export type OsKey = 'android' | 'harmony' | 'iphone' | 'ipad' | 'windows' | 'mac' | 'linux'
export type BrowserKey = 'wechat' | 'edge' | 'chrome' | 'firefox' | 'safari'

/** A rough, display-only reading of a User-Agent string. Order matters: most specific first. */
export function parseUserAgent(ua: string): { os: OsKey | null; browser: BrowserKey | null } {
  const os: OsKey | null = /HarmonyOS|OpenHarmony/.test(ua)
    ? 'harmony'
    : /Android/.test(ua)
      ? 'android'
      : /iPhone/.test(ua)
        ? 'iphone'
        : /iPad/.test(ua)
          ? 'ipad'
          : /Windows/.test(ua)
            ? 'windows'
            : /Macintosh|Mac OS X/.test(ua)
              ? 'mac'
              : /Linux|X11/.test(ua)
                ? 'linux'
                : null
  const browser: BrowserKey | null = /MicroMessenger/.test(ua)
    ? 'wechat'
    : /Edg(e|A|iOS)?\//.test(ua)
      ? 'edge'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'firefox'
        : /Chrome\/|CriOS|Chromium/.test(ua)
          ? 'chrome'
          : /Safari\//.test(ua)
            ? 'safari'
            : null
  return { os, browser }
}

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const pad2 = (n: number) => String(n).padStart(2, '0')

/** `ms` clamped at 0 in whole seconds, rounded up: a countdown shows 0 only once the time is over. */
function wholeSeconds(ms: number): number {
  return Math.ceil(Math.max(0, ms) / SECOND)
}

/** `ms` (clamped at 0) as whole days and "HH:MM:SS" of the rest, rounded up to the second. */
export function splitDuration(ms: number): { days: number; clock: string } {
  const total = wholeSeconds(ms) * SECOND
  const days = Math.floor(total / DAY)
  const rest = total - days * DAY
  const h = Math.floor(rest / HOUR)
  const m = Math.floor((rest % HOUR) / MINUTE)
  const s = Math.floor((rest % MINUTE) / SECOND)
  return { days, clock: `${pad2(h)}:${pad2(m)}:${pad2(s)}` }
}

/** A short countdown (an unpaid order's) as "M:SS", minutes not wrapped into hours, rounded as `splitDuration`. */
export function minutesClock(ms: number): string {
  const total = wholeSeconds(ms)
  return `${Math.floor(total / 60)}:${pad2(total % 60)}`
}

export function useFormat() {
  const { t, te, locale } = useI18n()

  function formatTime(ms: number): string {
    return formatInZone(ms, locale.value, DATE_STYLE.dateTime)
  }

  /** "社工机构工作人员（博睿社工）": translated role, with its org or village scope. */
  function roleLabel(grant: RoleGrant): string {
    const key = `roles.${grant.role}`
    const role = te(key) ? t(key) : grant.role
    const scope = grant.org_name ?? grant.village_name
    return scope ? t('roles.withScope', { role, scope }) : role
  }

  /** "安卓手机 · 微信" from a User-Agent; "未知设备" when nothing is recognisable. */
  function deviceLabel(userAgent: string): string {
    const { os, browser } = parseUserAgent(userAgent)
    const osText = os ? t(`sessions.os.${os}`) : null
    const browserText = browser ? t(`sessions.browser.${browser}`) : null
    if (osText && browserText) {
      return t('sessions.device', { os: osText, browser: browserText })
    }
    return osText ?? browserText ?? t('sessions.unknownDevice')
  }

  return { formatTime, roleLabel, deviceLabel, maskPhone, maskEmail }
}
