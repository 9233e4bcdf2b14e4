import { describe, expect, it } from 'vitest'
import { minutesToHours } from '@/composables/useTalentText'
import { createAppI18n } from '@/locales'
import { dashboardChart, dashboardRows } from '@/pages/talent/dashboardTable'
import type { Dashboard } from '@/api/talent'

const zh = createAppI18n('zh-CN').global.t

describe('minutesToHours', () => {
  it('shows minutes as hours with exactly one decimal', () => {
    expect(minutesToHours(3510)).toBe('58.5')
    expect(minutesToHours(2490)).toBe('41.5')
    expect(minutesToHours(0)).toBe('0.0')
    expect(minutesToHours(60)).toBe('1.0')
    expect(minutesToHours(100)).toBe('1.7')
    expect(minutesToHours(1)).toBe('0.0')
    expect(minutesToHours(3)).toBe('0.1')
  })
})

const dashboard: Dashboard = {
  generated_at_ms: 1790000000000,
  programmes: [{ programme_id: 1, title: '党员社工基础班', classes: 4, enrolled: 9, completed: 4, certificates_valid: 2, practice_minutes: 3510 }],
  classes: [
    { class_id: 4, title: '2026 党总支书记培训班', programme_title: '党总支书记培训班', secretaries_only: true, starts_at_ms: 1, ends_at_ms: 2, enrolled: 3, completed: 0, certificates_valid: 0, practice_minutes: 0, needs_posted: 2, projects_bought: 1 },
    { class_id: 5, title: '2026 春季班', programme_title: '党员社工基础班', secretaries_only: false, starts_at_ms: 1, ends_at_ms: 2, enrolled: 6, completed: 4, certificates_valid: 2, practice_minutes: 750, needs_posted: null, projects_bought: null },
  ],
  villages: [{ village_id: 3, village_name: '叠滘村', members: 6, enrolled: 4, completed: 2, certificates_valid: 2, practice_minutes: 2490, reception_visits: 12, referrals: 2, talent_members: 2, placed: 1 }],
}

describe('dashboardRows', () => {
  it('lists the villages with practice in hours and the reception and pool figures', () => {
    const table = dashboardRows(dashboard, 'villages', zh)
    expect(table.headers[0]).toBe('村居')
    expect(table.rows).toEqual([{ key: 'village-3', name: '叠滘村', cells: ['6', '4', '2', '2', '41.5', '12', '2', '2', '1'] }])
    expect(table.headers).toHaveLength(table.rows[0]!.cells.length + 1)
  })

  it('adds 发布需求 and 购买项目 when a secretaries’ class is listed, a dash for the other classes', () => {
    const table = dashboardRows(dashboard, 'classes', zh)
    expect(table.headers.slice(-2)).toEqual(['发布需求', '购买项目'])
    expect(table.rows[0]!.cells.slice(-2)).toEqual(['2', '1'])
    expect(table.rows[1]!.cells.slice(-2)).toEqual(['—', '—'])
    expect(table.rows[1]!.cells[4]).toBe('12.5')
  })

  it('leaves those columns out without a secretaries’ class', () => {
    const table = dashboardRows({ ...dashboard, classes: dashboard.classes.slice(1) }, 'classes', zh)
    expect(table.headers).not.toContain('发布需求')
    expect(table.headers).toHaveLength(table.rows[0]!.cells.length + 1)
  })

  it('lists the programmes', () => {
    expect(dashboardRows(dashboard, 'programmes', zh).rows[0]).toEqual({ key: 'programme-1', name: '党员社工基础班', cells: ['4', '9', '4', '2', '58.5'] })
  })
})

describe('dashboardChart', () => {
  it('draws the same figures as the table, one bar series each', () => {
    const option = dashboardChart(dashboard, 'villages', zh) as { yAxis: { data: string[] }; series: { name: string; data: number[] }[] }
    expect(option.yAxis.data).toEqual(['叠滘村'])
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['报名', [4]],
      ['结业', [2]],
      ['有效证书', [2]],
    ])
  })
})
