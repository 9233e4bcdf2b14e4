/**
 * Money on screen and in forms. Amounts are integer fen everywhere; these helpers never pass an
 * amount through floating point: formatting uses integer division and modulo, and parsing a
 * typed yuan amount is string arithmetic.
 */

/** `1000000000` → `"¥10,000,000.00"`; negative amounts get a leading minus: `"-¥20.00"`. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) {
    // A fen amount is an integer by contract; show something honest rather than a wrong figure.
    return '¥—'
  }
  const negative = fen < 0
  const abs = negative ? -fen : fen
  const yuan = Math.trunc(abs / 100)
  const cents = abs % 100
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}¥${grouped}.${String(cents).padStart(2, '0')}`
}

/** `2000` → `"20"`, `2050` → `"20.50"`: the plain figure a form field shows. */
export function fenToYuanText(fen: number): string {
  const abs = Math.abs(fen)
  const yuan = String(Math.trunc(abs / 100))
  const cents = abs % 100
  return `${fen < 0 ? '-' : ''}${yuan}${cents === 0 ? '' : '.' + String(cents).padStart(2, '0')}`
}

/** Whole-yuan figure for chart axes, in 万 (zh) or thousands/millions (en). Display only. */
export function formatFenCompact(fen: number, locale: string): string {
  const yuan = Math.round(fen / 100)
  const abs = Math.abs(yuan)
  const sign = yuan < 0 ? '-' : ''
  if (locale.startsWith('zh')) {
    if (abs >= 100_000_000) {
      return `${sign}¥${trimDecimal(abs, 100_000_000)}亿`
    }
    if (abs >= 10_000) {
      return `${sign}¥${trimDecimal(abs, 10_000)}万`
    }
    return `${sign}¥${abs}`
  }
  if (abs >= 1_000_000) {
    return `${sign}¥${trimDecimal(abs, 1_000_000)}M`
  }
  if (abs >= 1_000) {
    return `${sign}¥${trimDecimal(abs, 1_000)}K`
  }
  return `${sign}¥${abs}`
}

/** `abs / unit` with at most one decimal, integer arithmetic: (1_250_000, 1_000_000) → "1.2". */
function trimDecimal(abs: number, unit: number): string {
  const whole = Math.trunc(abs / unit)
  const tenth = Math.trunc((abs % unit) / (unit / 10))
  return tenth === 0 ? String(whole) : `${whole}.${tenth}`
}

export type YuanParseError = 'empty' | 'invalid' | 'too_many_decimals' | 'not_positive' | 'too_large'

export type YuanParse = { ok: true; fen: number } | { ok: false; error: YuanParseError }

/** Largest amount the client can represent exactly; the server applies its own range. */
const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * Parses what a person typed as yuan ("20", "0.1", "¥1,000.5") into fen, without floats.
 * Accepts an optional ¥/￥ sign, thousands commas, and up to two decimals; rejects zero,
 * negatives, more than two decimals, and anything that is not a plain decimal number.
 */
export function parseYuanToFen(input: string): YuanParse {
  const text = input.trim().replace(/^[¥￥]\s*/, '').replace(/,/g, '')
  if (text === '') {
    return { ok: false, error: 'empty' }
  }
  if (/^-/.test(text)) {
    return /^-\d*(\.\d*)?$/.test(text) ? { ok: false, error: 'not_positive' } : { ok: false, error: 'invalid' }
  }
  const match = /^\+?(\d*)(?:\.(\d*))?$/.exec(text)
  if (match === null) {
    return { ok: false, error: 'invalid' }
  }
  const whole = match[1] ?? ''
  const fraction = match[2] ?? ''
  if (whole === '' && fraction === '') {
    return { ok: false, error: 'invalid' }
  }
  if (fraction.length > 2) {
    return { ok: false, error: 'too_many_decimals' }
  }
  const digits = ((whole === '' ? '0' : whole) + fraction.padEnd(2, '0')).replace(/^0+(?=\d)/, '')
  const fen = BigInt(digits)
  if (fen === 0n) {
    return { ok: false, error: 'not_positive' }
  }
  if (fen > MAX_FEN) {
    return { ok: false, error: 'too_large' }
  }
  return { ok: true, fen: Number(fen) }
}
