import { describe, expect, it } from 'vitest'
import en from '@/locales/en'
import zhCN from '@/locales/zh-CN'

type Tree = { [key: string]: unknown }

function leaves(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  if (typeof tree === 'string') {
    out.set(prefix, tree)
    return out
  }
  if (Array.isArray(tree)) {
    tree.forEach((item, i) => leaves(item, `${prefix}[${i}]`).forEach((v, k) => out.set(k, v)))
    return out
  }
  for (const [key, value] of Object.entries(tree as Tree)) {
    leaves(value, prefix ? `${prefix}.${key}` : key).forEach((v, k) => out.set(k, v))
  }
  return out
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('locales', () => {
  const zh = leaves(zhCN)
  const english = leaves(en)

  it('have the same keys, arrays included', () => {
    expect([...english.keys()].sort()).toEqual([...zh.keys()].sort())
  })

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of zh) {
      expect(placeholders(english.get(key) ?? ''), key).toEqual(placeholders(text))
    }
  })

  it('contain no raw vue-i18n syntax characters (@ and |) that would break a message', () => {
    for (const [key, text] of [...zh, ...english]) {
      expect(text.replace(/\{'[@|]'\}/g, ''), key).not.toMatch(/[@|]/)
    }
  })

  it('have no empty messages', () => {
    for (const [key, text] of [...zh, ...english]) {
      expect(text.trim(), key).not.toBe('')
    }
  })
})
