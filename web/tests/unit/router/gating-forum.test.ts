import { describe, expect, it } from 'vitest'
import { routes } from '@/router'
import { featureGate, sectionTarget } from '@/router/gating'
import { SECTIONS } from '@/router/sections'

const forumSection = SECTIONS.find((s) => s.key === 'forum')!
const route = (name: string) => routes.find((r) => r.name === name)!

describe('社区论坛 gating', () => {
  it('opens the home section and the 社区 tab once GET /meta lists "forum", coming soon before', () => {
    expect(sectionTarget(forumSection, [])).toEqual({ name: 'section', params: { key: 'forum' } })
    expect(sectionTarget(forumSection, ['forum'])).toEqual({ name: 'forum' })
    expect(featureGate(route('forum').meta!, {}, [])).toEqual({ name: 'section', params: { key: 'forum' } })
    expect(featureGate(route('forum-thread').meta!, {}, ['forum'])).toBe(true)
    expect(route('forum').meta?.tab).toBe(true)
  })

  it('lets anyone read, asks a sign-in to write, and keeps 消息 outside the forum’s gate', () => {
    expect(route('forum-board').meta?.requiresAuth).toBeFalsy()
    expect(route('forum-thread').meta?.requiresAuth).toBeFalsy()
    expect(route('forum-new-thread').meta?.requiresAuth).toBe(true)
    expect(route('forum-moderation').meta?.requiresAuth).toBe(true)
    expect(route('notifications').meta?.feature).toBeUndefined()
  })
})
