import { describe, expect, it } from 'vitest'
import { fenToYuanText, formatFen, formatFenCompact, parseYuanToFen } from '@/composables/useMoney'

describe('formatFen', () => {
  it('formats integer fen as yuan with thousands separators and two decimals', () => {
    expect(formatFen(1_000_000_000)).toBe('¥10,000,000.00')
    expect(formatFen(2000)).toBe('¥20.00')
    expect(formatFen(10)).toBe('¥0.10')
    expect(formatFen(1)).toBe('¥0.01')
    expect(formatFen(0)).toBe('¥0.00')
    expect(formatFen(123_456_789)).toBe('¥1,234,567.89')
  })

  it('puts the minus sign before the currency sign', () => {
    expect(formatFen(-2000)).toBe('-¥20.00')
    expect(formatFen(-5)).toBe('-¥0.05')
  })

  it('is exact up to the largest safe integer, where floats would round', () => {
    expect(formatFen(Number.MAX_SAFE_INTEGER)).toBe('¥90,071,992,547,409.91')
    // 0.1 + 0.2 style errors cannot occur: 30 fen stays 30 fen.
    expect(formatFen(10 + 20)).toBe('¥0.30')
  })

  it('refuses to show a non-integer as money', () => {
    expect(formatFen(20.5)).toBe('¥—')
    expect(formatFen(Number.NaN)).toBe('¥—')
  })
})

describe('fenToYuanText / formatFenCompact', () => {
  it('gives the plain figure a form shows', () => {
    expect(fenToYuanText(2000)).toBe('20')
    expect(fenToYuanText(2050)).toBe('20.50')
    expect(fenToYuanText(7)).toBe('0.07')
  })

  it('abbreviates axis labels per language', () => {
    expect(formatFenCompact(800_000_000, 'zh-CN')).toBe('¥800万')
    expect(formatFenCompact(1_250_000_000_00, 'zh-CN')).toBe('¥12.5亿')
    expect(formatFenCompact(123_400, 'zh-CN')).toBe('¥1234')
    expect(formatFenCompact(800_000_000, 'en')).toBe('¥8M')
    expect(formatFenCompact(150_000, 'en')).toBe('¥1.5K')
  })
})

describe('parseYuanToFen', () => {
  const fen = (text: string) => {
    const result = parseYuanToFen(text)
    return result.ok ? result.fen : result.error
  }

  it('converts yuan text to fen without floating point', () => {
    expect(fen('0.1')).toBe(10)
    expect(fen('20')).toBe(2000)
    expect(fen('20.5')).toBe(2050)
    expect(fen('20.05')).toBe(2005)
    expect(fen('0.01')).toBe(1)
    expect(fen('.5')).toBe(50)
    expect(fen('5.')).toBe(500)
    expect(fen('007')).toBe(700)
    // 1.15 * 100 is 114.99999999999999 in floating point; string arithmetic gives 115.
    expect(fen('1.15')).toBe(115)
    expect(fen('4.35')).toBe(435)
  })

  it('accepts a currency sign, spaces and thousands commas', () => {
    expect(fen(' ¥1,000.50 ')).toBe(100_050)
    expect(fen('￥20')).toBe(2000)
  })

  it('handles large amounts exactly and refuses those beyond exact integers', () => {
    expect(fen('10000000')).toBe(1_000_000_000)
    expect(fen('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER)
    expect(fen('90071992547409.92')).toBe('too_large')
    expect(fen('1' + '0'.repeat(30))).toBe('too_large')
  })

  it('rejects more than two decimals, zero, negatives and junk', () => {
    expect(fen('1.005')).toBe('too_many_decimals')
    expect(fen('0.001')).toBe('too_many_decimals')
    expect(fen('-1')).toBe('not_positive')
    expect(fen('-0.5')).toBe('not_positive')
    expect(fen('0')).toBe('not_positive')
    expect(fen('0.00')).toBe('not_positive')
    expect(fen('')).toBe('empty')
    expect(fen('   ')).toBe('empty')
    expect(fen('abc')).toBe('invalid')
    expect(fen('1e3')).toBe('invalid')
    expect(fen('1.2.3')).toBe('invalid')
    expect(fen('.')).toBe('invalid')
    expect(fen('--1')).toBe('invalid')
    expect(fen('0x10')).toBe('invalid')
    expect(fen('Infinity')).toBe('invalid')
  })
})
