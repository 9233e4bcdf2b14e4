import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { createAppI18n, type Locale } from '@/locales'
import en from '@/locales/en'
import { APPLICATION_STATUSES, TIMELINE_KINDS } from '@/api/casework'
import { durationParts, useCaseworkText } from '@/composables/useCaseworkText'

function withText(locale: Locale = 'zh-CN') {
  let text!: ReturnType<typeof useCaseworkText>
  mount(
    defineComponent({
      setup() {
        text = useCaseworkText()
        return () => h('div')
      },
    }),
    { global: { plugins: [createAppI18n(locale, { en })] } },
  )
  return text
}

const HOUR = 3_600_000

describe('casework text', () => {
  it('names every status and timeline kind of the contract in Chinese', () => {
    const { statusLabel, timelineLabel } = withText()
    expect(APPLICATION_STATUSES.map(statusLabel)).toEqual(['已提交', '已接受', '已转介', '已婉拒', '已结案'])
    expect(TIMELINE_KINDS.map(timelineLabel)).toEqual([
      '提交申请',
      '接受申请，分配社工',
      '转介到其他机构',
      '婉拒申请',
      '留言',
      '结案',
      '评价服务',
      '重新打开申请',
      '敏感信息已按保存期限删除',
    ])
    expect(statusLabel('something_new')).toBe('something_new')
  })

  it('names them in English too', () => {
    const { statusLabel, timelineLabel } = withText('en')
    expect(statusLabel('accepted')).toBe('Accepted')
    expect(timelineLabel('sensitive_purged')).toBe('Sensitive data deleted after the retention period')
  })

  it('says whom an application is for', () => {
    const { forWhomText } = withText()
    expect(forWhomText({ for_whom: 'self', beneficiary_name: null, relationship: null })).toBe('本人')
    expect(forWhomText({ for_whom: 'family', beneficiary_name: '陈伯', relationship: '父亲' })).toBe('家人：陈伯（父亲）')
    expect(forWhomText({ for_whom: 'family', beneficiary_name: '陈伯', relationship: null })).toBe('家人：陈伯')
  })

  it('shows durations in hours under two days, in days from then', () => {
    expect(durationParts(20 * 60_000)).toEqual({ unit: 'underHour' })
    expect(durationParts(5.5 * HOUR)).toEqual({ unit: 'hours', n: '5.5' })
    expect(durationParts(30 * HOUR)).toEqual({ unit: 'hours', n: '30' })
    expect(durationParts(60 * HOUR)).toEqual({ unit: 'days', n: '2.5' })
    const { formatDuration } = withText()
    expect(formatDuration(5.5 * HOUR)).toBe('5.5 小时')
    expect(formatDuration(72 * HOUR)).toBe('3 天')
    expect(formatDuration(1000)).toBe('不到 1 小时')
  })

  it('prefers the server’s message, then its own text for casework codes', () => {
    const { errorText } = withText()
    const base = { field: null, retryAfterSeconds: null, status: 409 }
    expect(errorText({ ...base, code: 'already_rated', message: '服务器说：已评价' })).toBe('服务器说：已评价')
    expect(errorText({ ...base, code: 'already_rated', message: null })).toBe('你已经评价过了')
    expect(errorText({ ...base, code: 'network_error', message: null })).toContain('网络')
  })
})
