/**
 * 培训成效's tables and charts as plain data: the rows of one tab (practice minutes as hours with one
 * decimal, 发布需求 / 购买项目 only when a secretaries' class is listed, "—" for the other classes)
 * and a horizontal bar chart of enrolled / completed / valid certificates per row.
 */
import type { Dashboard, DashboardTable } from '@/api/talent'
import { minutesToHours } from '@/composables/useTalentText'

type Translate = (key: string) => string

export interface DashboardRows {
  headers: string[]
  rows: { key: string; name: string; cells: string[] }[]
}

const NONE = '—'
const count = (n: number | null) => (n === null ? NONE : String(n))

export function dashboardRows(d: Dashboard, tab: DashboardTable, t: Translate): DashboardRows {
  const h = (key: string) => t(`talent.dashboard.col.${key}`)
  const common = ['enrolled', 'completed', 'certificates_valid', 'practice_hours']
  if (tab === 'villages') {
    return {
      headers: ['village', 'members', ...common, 'reception_visits', 'referrals', 'talent_members', 'placed'].map(h),
      rows: d.villages.map((v) => ({
        key: `village-${v.village_id}`,
        name: v.village_name,
        cells: [v.members, v.enrolled, v.completed, v.certificates_valid].map(count).concat(minutesToHours(v.practice_minutes), ...[v.reception_visits, v.referrals, v.talent_members, v.placed].map(count)),
      })),
    }
  }
  if (tab === 'classes') {
    const secretaries = d.classes.some((c) => c.secretaries_only)
    return {
      headers: ['class', 'programme', ...common, ...(secretaries ? ['needs_posted', 'projects_bought'] : [])].map(h),
      rows: d.classes.map((c) => ({
        key: `class-${c.class_id}`,
        name: c.title,
        cells: [c.programme_title, ...[c.enrolled, c.completed, c.certificates_valid].map(count), minutesToHours(c.practice_minutes), ...(secretaries ? [count(c.needs_posted), count(c.projects_bought)] : [])],
      })),
    }
  }
  return {
    headers: ['programme', 'classes', ...common].map(h),
    rows: d.programmes.map((p) => ({
      key: `programme-${p.programme_id}`,
      name: p.title,
      cells: [...[p.classes, p.enrolled, p.completed, p.certificates_valid].map(count), minutesToHours(p.practice_minutes)],
    })),
  }
}

/** Horizontal bars (long Chinese names wrap on the axis), the same figures as the table. */
export function dashboardChart(d: Dashboard, tab: DashboardTable, t: Translate): Record<string, unknown> {
  const rows: { name: string; enrolled: number; completed: number; certificates_valid: number }[] =
    tab === 'villages' ? d.villages.map((v) => ({ ...v, name: v.village_name })) : tab === 'classes' ? d.classes.map((c) => ({ ...c, name: c.title })) : d.programmes.map((p) => ({ ...p, name: p.title }))
  const ordered = [...rows].reverse()
  const series = (key: 'enrolled' | 'completed' | 'certificates_valid', color: string) => ({
    name: t(`talent.dashboard.col.${key}`),
    type: 'bar',
    itemStyle: { color },
    data: ordered.map((r) => r[key]),
  })
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, textStyle: { color: '#323233', fontSize: 13 } },
    grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#323233' } },
    yAxis: { type: 'category', data: ordered.map((r) => r.name), axisLabel: { color: '#323233', width: 104, overflow: 'break', lineHeight: 16 } },
    series: [series('enrolled', '#1989fa'), series('completed', '#0b7a3b'), series('certificates_valid', '#c62828')],
  }
}
