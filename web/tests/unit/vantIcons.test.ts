/**
 * The build ships only a subset of Vant's icon font (scripts/subset-vant-icons.py). This test
 * fails when a page uses an icon that the subset lacks, which would otherwise render blank.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SECTIONS } from '@/router/sections'

// Vitest runs from the web/ folder (package.json scripts).
const SRC = resolve(process.cwd(), 'src')

function vueFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? vueFiles(path) : path.endsWith('.vue') ? [path] : []
  })
}

function iconsInTemplates(): Set<string> {
  const names = new Set<string>()
  for (const file of vueFiles(SRC)) {
    const source = readFileSync(file, 'utf8')
    for (const match of source.matchAll(/<van-[a-z-]+[^>]*?\sicon="([a-z0-9-]+)"/g)) {
      names.add(match[1]!)
    }
    for (const match of source.matchAll(/<van-icon[^>]*?\sname="([a-z0-9-]+)"/g)) {
      names.add(match[1]!)
    }
    // EmptyState draws its `icon` with <van-icon :name>.
    for (const match of source.matchAll(/<EmptyState[^>]*?\sicon="([a-z0-9-]+)"/g)) {
      names.add(match[1]!)
    }
  }
  return names
}

describe('Vant icon subset', () => {
  const css = readFileSync(join(SRC, 'styles/vant-icons.css'), 'utf8')
  const available = new Set([...css.matchAll(/\.van-icon-([a-z0-9-]+):before/g)].map((m) => m[1]))

  it('holds every icon the templates and home sections use', () => {
    const used = new Set([...iconsInTemplates(), ...SECTIONS.map((s) => s.icon), 'info-o'])
    expect(used.size).toBeGreaterThan(10)
    expect([...used].filter((name) => !available.has(name))).toEqual([])
  })

  it('embeds the font instead of fetching it from a CDN', () => {
    expect(css).toContain('data:font/woff2;base64,')
    expect(css).not.toMatch(/url\((https?:)?\/\//)
  })
})
