// Reads the Lighthouse reports DIR/PAGE.RUN.json of the pages listed in PAGES_FILE ("NAME PATH"
// lines), prints one Markdown table row per page with the median of each column over its runs,
// lists the failing audits of a page under its accessibility minimum, and exits 1 when a page's
// median is under LIGHTHOUSE_MIN_PERF / LIGHTHOUSE_MIN_A11Y (or a page has no report at all).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, pagesFile] = process.argv.slice(2)
const minPerf = Number(process.env.LIGHTHOUSE_MIN_PERF ?? '0.95')
const minA11y = Number(process.env.LIGHTHOUSE_MIN_A11Y ?? '1')
const pages = readFileSync(pagesFile, 'utf8').trim().split('\n').map((line) => line.split(' '))
const files = readdirSync(dir)

function median(values) {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b)
  if (sorted.length === 0) {
    return NaN
  }
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const rows = [
  '| page | path | runs | performance | accessibility | LCP | TBT | CLS | FCP |',
  '|---|---|---|---|---|---|---|---|---|',
]
const problems = []
for (const [name, path] of pages) {
  const reports = files
    .filter((f) => f.startsWith(`${name}.`) && f.endsWith('.json') && /^\d+$/.test(f.slice(name.length + 1, -5)))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((r) => r.categories?.performance)
  if (reports.length === 0) {
    problems.push(`${name}: no report`)
    rows.push(`| ${name} | ${path} | 0 | — | — | — | — | — | — |`)
    continue
  }
  const score = (key) => median(reports.map((r) => r.categories[key]?.score))
  const audit = (id) => median(reports.map((r) => r.audits[id]?.numericValue))
  const perf = score('performance')
  const a11y = score('accessibility')
  const lcp = audit('largest-contentful-paint')
  const tbt = audit('total-blocking-time')
  const cls = audit('cumulative-layout-shift')
  const fcp = audit('first-contentful-paint')
  rows.push(
    `| ${name} | ${path} | ${reports.length} | ${perf.toFixed(2)} | ${a11y.toFixed(2)} | ${(lcp / 1000).toFixed(1)} s | ` +
      `${Math.round(tbt)} ms | ${cls.toFixed(3)} | ${(fcp / 1000).toFixed(1)} s |`,
  )
  if (!(perf >= minPerf)) {
    problems.push(`${name}: performance ${perf.toFixed(2)} < ${minPerf}`)
  }
  if (!(a11y >= minA11y)) {
    // The audits that cost the score, from every run (a flaky one shows up in some runs only).
    const failing = new Set()
    for (const r of reports) {
      for (const ref of r.categories.accessibility.auditRefs) {
        const a = r.audits[ref.id]
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          failing.add(`${a.id} (${a.details?.items?.length ?? 0} elements)`)
        }
      }
    }
    problems.push(`${name}: accessibility ${a11y.toFixed(2)} < ${minA11y}: ${[...failing].join(', ')}`)
  }
}
console.log(rows.join('\n'))
// The machine's load while the runs ran (scripts/lighthouse.sh notes it per run): the scores,
// TBT above all, move with it on a shared 2-core machine.
const runsFile = join(dir, 'runs.txt')
if (files.includes('runs.txt')) {
  const loads = readFileSync(runsFile, 'utf8').trim().split('\n').map((line) => Number(line.split(' ')[3])).filter((n) => !Number.isNaN(n))
  if (loads.length > 0) {
    const mean = loads.reduce((a, b) => a + b, 0) / loads.length
    console.log(`\nLoad average (1 min) at the start of each run: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}, mean ${mean.toFixed(2)}.`)
  }
}
if (problems.length > 0) {
  console.log(`\nUnder the minimum (performance ${minPerf}, accessibility ${minA11y}):`)
  for (const p of problems) {
    console.log(`  ${p}`)
  }
  process.exit(1)
}
console.log(`\nEvery page meets performance ≥ ${minPerf} and accessibility ≥ ${minA11y}.`)
