import { describe, expect, it } from 'vitest'
import { maskEmail, maskPhone, minutesClock, parseUserAgent, splitDuration } from '@/composables/useFormat'

describe('masking', () => {
  it('masks a mainland mobile number to 3+4 digits', () => {
    expect(maskPhone('13912345678')).toBe('139****5678')
  })

  it('leaves an already masked value alone', () => {
    expect(maskPhone('139****5678')).toBe('139****5678')
    expect(maskEmail('a***@b.cn')).toBe('a***@b.cn')
  })

  it('masks the local part of an email', () => {
    expect(maskEmail('alice@example.cn')).toBe('a***@example.cn')
  })

  it('never shows a short or odd value in full', () => {
    expect(maskPhone('12345')).toBe('1****')
    expect(maskEmail('nobody')).toBe('***')
  })
})

describe('parseUserAgent', () => {
  it('recognises WeChat on Android before Chrome', () => {
    const ua =
      'Mozilla/5.0 (Linux; Android 12; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 MMWEBID/1234 MicroMessenger/8.0.28.2240(0x28001C57) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64'
    expect(parseUserAgent(ua)).toEqual({ os: 'android', browser: 'wechat' })
  })

  it('recognises Safari on iPhone and Chrome on Windows', () => {
    expect(
      parseUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ os: 'iphone', browser: 'safari' })
    expect(
      parseUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      ),
    ).toEqual({ os: 'windows', browser: 'chrome' })
  })

  it('returns nulls for something unknown', () => {
    expect(parseUserAgent('curl/8.0')).toEqual({ os: null, browser: null })
  })
})

describe('countdowns', () => {
  it('splits a duration into days and HH:MM:SS, rounded up to the second', () => {
    expect(splitDuration(-1)).toEqual({ days: 0, clock: '00:00:00' })
    expect(splitDuration(86_400_000 + 1)).toEqual({ days: 1, clock: '00:00:01' })
  })

  it('shows a short countdown as M:SS, rounded as splitDuration', () => {
    expect(minutesClock(600_000)).toBe('10:00')
    expect(minutesClock(599_001)).toBe('10:00')
    expect(minutesClock(599_000)).toBe('9:59')
    expect(minutesClock(-5)).toBe('0:00')
    expect(minutesClock(2 * 3_600_000)).toBe('120:00')
  })
})
