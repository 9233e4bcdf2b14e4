import { describe, expect, it } from 'vitest'
import { categoryBarOption, categoryLabel, categoryTotals, monthName, referralStatusLabel, visitBadges } from '@/composables/useReceptionText'
import zh from '@/locales/zh-CN'

/** A translate function over the zh-CN messages, enough for these labels. */
function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), zh)
}
const te = (key: string) => typeof lookup(key) === 'string'
const t = (key: string, named: Record<string, unknown> = {}) => String(lookup(key) ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(named[name]))

describe('reception words', () => {
  it('names the categories and the application statuses', () => {
    expect(['elderly', 'medical', 'housing', 'employment', 'dispute', 'environment', 'policy', 'other'].map((c) => categoryLabel(c, t, te))).toEqual(['养老', '医疗', '住房', '就业', '邻里纠纷', '环境卫生', '政策咨询', '其他'])
    expect(['submitted', 'accepted', 'declined', 'closed'].map((s) => referralStatusLabel(s, t, te))).toEqual(['已提交', '已受理', '已婉拒', '已结案'])
    expect(categoryLabel('unknown_code', t, te)).toBe('unknown_code')
  })

  it('gives a visit’s badges: 已解决, 已转介 · status, 待回访', () => {
    const referral = { application_id: 1, referred_at_ms: 0, status: 'accepted' as const, outcome: null, org_name: '博睿社工' }
    expect(visitBadges({ resolved: false, referral, follow_up_ms: 1 }, t, te).map((b) => b.text)).toEqual(['已转介 · 已受理', '待回访'])
    expect(visitBadges({ resolved: true, referral: null, follow_up_ms: 1 }, t, te).map((b) => b.text)).toEqual(['已解决'])
  })

  it('names a month and sums the categories for the chart', () => {
    expect(monthName('2026-11', 'zh-CN')).toBe('2026年11月')
    const totals = categoryTotals({
      villages: [
        { village_id: 1, village_name: 'a', visits: 3, referred: 0, resolved: 0, by_category: { elderly: 2, dispute: 1 } },
        { village_id: 2, village_name: 'b', visits: 1, referred: 0, resolved: 0, by_category: { elderly: 1 } },
      ],
    })
    expect(totals.find((r) => r.category === 'elderly')?.count).toBe(3)
    expect(totals).toHaveLength(8)
    const option = categoryBarOption(totals, (c) => categoryLabel(c, t, te)) as { series: { data: number[] }[]; yAxis: { data: string[] } }
    expect(option.yAxis.data[0]).toBe('养老')
    expect(option.series[0]!.data[0]).toBe(3)
  })
})
