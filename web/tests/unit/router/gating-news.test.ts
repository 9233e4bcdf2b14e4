import { describe, expect, it } from 'vitest'
import { routes } from '@/router'
import { canWriteNews, featureGate, roleGate, sectionTarget } from '@/router/gating'
import { SECTIONS } from '@/router/sections'

const newsSection = SECTIONS.find((s) => s.key === 'news')!
const route = (name: string) => routes.find((r) => r.name === name)!

describe('资讯 gating', () => {
  it('opens the home section and its routes once GET /meta lists "news", coming soon before', () => {
    expect(sectionTarget(newsSection, [])).toEqual({ name: 'section', params: { key: 'news' } })
    expect(sectionTarget(newsSection, ['news'])).toEqual({ name: 'news' })
    expect(featureGate(route('news-article').meta!, {}, [])).toEqual({ name: 'section', params: { key: 'news' } })
    expect(featureGate(route('news-article').meta!, {}, ['news'])).toBe(true)
  })

  it('lets anyone read; the 编辑台 and the form are for editors, platform admins and organisation staff', () => {
    expect(route('news').meta?.requiresAuth).toBeFalsy()
    expect(route('news-article').meta?.requiresAuth).toBeFalsy()
    for (const name of ['news-desk', 'news-new', 'news-edit']) {
      const meta = route(name).meta!
      expect(meta.requiresAuth).toBe(true)
      expect(roleGate(meta, { features: ['news'], roles: ['resident'] })).toEqual({ name: 'me' })
      expect(roleGate(meta, { features: ['news'], roles: ['editor'] })).toBe(true)
      expect(roleGate(meta, { features: ['news'], roles: ['org_staff'] })).toBe(true)
    }
    expect(canWriteNews({ features: ['news'], roles: ['platform_admin'] })).toBe(true)
    expect(canWriteNews({ features: [], roles: ['editor'] })).toBe(false)
    expect(canWriteNews({ features: ['news'], roles: null })).toBe(false)
  })
})
