import { describe, expect, it } from 'vitest'
import { buildArticleInput, emptyForm, type ArticleForm } from '@/stores/newsDesk'
import { setTimeZone } from '@/time/zone'

const filled = (overrides: Partial<ArticleForm> = {}): ArticleForm => ({ ...emptyForm(), title: ' 重阳节 ', category: 'story', body_md: '正文', ...overrides })

describe('buildArticleInput', () => {
  it('sends what was typed: trimmed title and tags, related refs without titles, no org or time unless given', () => {
    const built = buildArticleInput(filled({ tags: [' 敬老 ', ''], related: [{ kind: 'lot', id: 'abc', title: '书法' }] }))
    expect(built).toEqual({
      ok: true,
      value: { title: '重阳节', body_md: '正文', category: 'story', cover_file_id: null, related: [{ kind: 'lot', id: 'abc' }], summary: '', tags: ['敬老'] },
    })
  })

  it('reads the publish time in the subdistrict’s zone', () => {
    setTimeZone('Asia/Shanghai')
    const built = buildArticleInput(filled({ publish_at: '2026-12-08T09:00' }))
    expect(built.ok && built.value.publish_at_ms).toBe(Date.UTC(2026, 11, 8, 1, 0))
  })

  it('names each problem by the server’s field', () => {
    const built = buildArticleInput(
      { ...emptyForm(), title: '字'.repeat(81), tags: ['一', '二', '三', '四', '五', '六'], related: Array.from({ length: 7 }, (_, i) => ({ kind: 'event' as const, id: i, title: '' })) },
      true,
    )
    expect(built).toEqual({ ok: false, problems: { title: 'too_long', category: 'required', body_md: 'required', tags: 'too_many', related: 'too_many', org_id: 'required' } })
  })

  it('refuses a tag holding a character the server keeps for its lists', () => {
    expect(buildArticleInput(filled({ tags: ['敬老,助残'] }))).toEqual({ ok: false, problems: { tags: 'invalid' } })
  })
})
