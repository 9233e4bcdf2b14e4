/**
 * ECharts options for the fund summary, built as plain objects (no ECharts import here, so this
 * stays out of the charts chunk and is unit-testable). Values are integer fen; labels and
 * tooltips format them with `formatFen`, never through floating-point yuan.
 */
import type { FundSource, FundSummary } from '@/api/fund'
import { formatFen, formatFenCompact } from './useMoney'

/** One colour per source, distinguishable and dark enough for white text and thin bars. */
export const SOURCE_COLORS: Record<FundSource, string> = {
  government: '#c62828',
  sponsor: '#1a56b8',
  public: '#0b7a3b',
  shop: '#8a4b00',
  auction: '#6a1b9a',
  cofunding: '#00695c',
}

export interface ChartText {
  locale: string
  sourceLabel: (source: FundSource) => string
  granted: string
  disbursed: string
}

interface TooltipParam {
  seriesName?: string
  name?: string
  value?: unknown
  marker?: string
}

const fenOf = (value: unknown): number => (typeof value === 'number' ? value : 0)

function tooltipLines(params: TooltipParam | TooltipParam[]): string {
  const list = Array.isArray(params) ? params : [params]
  const head = list[0]?.name ?? ''
  const rows = list
    .filter((p) => fenOf(p.value) !== 0)
    .map((p) => `${p.marker ?? ''}${p.seriesName ?? ''} ${formatFen(fenOf(p.value))}`)
  return [head, ...rows].join('<br/>')
}

/** Donut of `by_source`. */
export function sourcesOption(summary: FundSummary, text: ChartText): Record<string, unknown> {
  const data = summary.by_source
    .filter((s) => s.amount_fen > 0)
    .map((s) => ({ name: text.sourceLabel(s.source), value: s.amount_fen, itemStyle: { color: SOURCE_COLORS[s.source] } }))
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p: TooltipParam & { percent?: number }) => `${p.name ?? ''}<br/>${formatFen(fenOf(p.value))}（${p.percent ?? 0}%）`,
    },
    legend: { bottom: 0, left: 'center', textStyle: { color: '#323233', fontSize: 13 } },
    series: [
      {
        type: 'pie',
        radius: ['42%', '68%'],
        center: ['50%', '42%'],
        avoidLabelOverlap: true,
        label: { formatter: '{d}%', color: '#323233', fontSize: 13 },
        data,
      },
    ],
  }
}

/** Months in order, and every source that appears, for the stacked monthly bars and its table. */
export function monthlyMatrix(summary: FundSummary): { months: string[]; sources: FundSource[]; cell: (m: string, s: FundSource) => number } {
  const months = [...new Set(summary.monthly.map((m) => m.month))].sort()
  const sources = [...new Set(summary.monthly.map((m) => m.source))]
  const sums = new Map<string, number>()
  for (const row of summary.monthly) {
    const key = `${row.month}|${row.source}`
    sums.set(key, (sums.get(key) ?? 0) + row.amount_fen)
  }
  return { months, sources, cell: (m, s) => sums.get(`${m}|${s}`) ?? 0 }
}

/** Stacked bars of `monthly`, one series per source. */
export function monthlyOption(summary: FundSummary, text: ChartText): Record<string, unknown> {
  const { months, sources, cell } = monthlyMatrix(summary)
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltipLines },
    legend: { bottom: 0, textStyle: { color: '#323233', fontSize: 13 } },
    grid: { left: 8, right: 8, top: 16, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: months, axisLabel: { color: '#323233' } },
    yAxis: {
      type: 'value',
      axisLabel: { color: '#323233', formatter: (v: number) => formatFenCompact(v, text.locale) },
    },
    series: sources.map((source) => ({
      name: text.sourceLabel(source),
      type: 'bar',
      stack: 'inflow',
      itemStyle: { color: SOURCE_COLORS[source] },
      data: months.map((m) => cell(m, source)),
    })),
  }
}

/** Horizontal bars of `granted_to`: granted and disbursed per organisation. */
export function grantedOption(summary: FundSummary, text: ChartText): Record<string, unknown> {
  const rows = [...summary.granted_to].sort((a, b) => a.amount_fen - b.amount_fen)
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltipLines },
    legend: { bottom: 0, textStyle: { color: '#323233', fontSize: 13 } },
    grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
    xAxis: {
      type: 'value',
      axisLabel: { color: '#323233', formatter: (v: number) => formatFenCompact(v, text.locale) },
    },
    // Organisation names are long ("佛山市南海区博睿社会工作服务中心"): wrap them, never cut them.
    yAxis: { type: 'category', data: rows.map((r) => r.org_name), axisLabel: { color: '#323233', width: 104, overflow: 'break', lineHeight: 16 } },
    series: [
      { name: text.granted, type: 'bar', itemStyle: { color: '#c62828' }, data: rows.map((r) => r.amount_fen) },
      { name: text.disbursed, type: 'bar', itemStyle: { color: '#0b7a3b' }, data: rows.map((r) => r.disbursed_fen) },
    ],
  }
}
