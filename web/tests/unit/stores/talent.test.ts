import { describe, expect, it } from 'vitest'
import { createAppI18n } from '@/locales'
import english from '@/locales/en'
import { addSkill, buildJoinBody, type JoinForm, levelRank, qualificationNumber } from '@/stores/talent'

const zh = createAppI18n('zh-CN').global.t
const en = createAppI18n('en', { en: english }).global.t

describe('levelRank', () => {
  it('orders the levels from 助理社会工作师 up, none lowest', () => {
    expect(levelRank(null)).toBe(0)
    expect(levelRank('assistant')).toBe(1)
    expect(levelRank('social_worker')).toBe(2)
    expect(levelRank('senior')).toBe(3)
  })

  it('has a name for each level in both languages', () => {
    expect(zh('talent.levels.assistant')).toBe('助理社会工作师')
    expect(zh('talent.levels.social_worker')).toBe('社会工作师')
    expect(zh('talent.levels.senior')).toBe('高级社会工作师')
    expect(en('talent.levels.senior')).toBe('Senior social worker')
  })
})

describe('addSkill', () => {
  it('adds a trimmed tag', () => {
    expect(addSkill(['长者探访'], ' 个案工作 ')).toEqual({ skills: ['长者探访', '个案工作'] })
  })

  it('refuses an empty, a duplicate, a long and an eleventh tag', () => {
    expect(addSkill([], '  ')).toEqual({ problem: 'empty' })
    expect(addSkill(['长者探访'], '长者探访')).toEqual({ problem: 'duplicate' })
    expect(addSkill([], '长'.repeat(21))).toEqual({ problem: 'too_long' })
    expect(addSkill([], '长'.repeat(20))).toEqual({ skills: ['长'.repeat(20)] })
    expect(addSkill(Array.from({ length: 10 }, (_, i) => `技能${i}`), '再一项')).toEqual({ problem: 'too_many' })
  })
})

describe('buildJoinBody', () => {
  const form = (over: Partial<JoinForm> = {}): JoinForm => ({ consent: true, skills: ['长者探访', ' 个案工作 '], villageIds: [3, 3, 5], availability: ' 周一上午 ', intro: ' 退休教师 ', ...over })

  it('sends consent true, the skills trimmed once each and the villages once each', () => {
    expect(buildJoinBody(form())).toEqual({ input: { consent: true, skills: ['长者探访', '个案工作'], village_ids: [3, 5], availability: '周一上午', intro: '退休教师' } })
  })

  it('refuses without consent, named by the server’s field', () => {
    expect(buildJoinBody(form({ consent: false }))).toEqual({ problems: { consent: 'required' } })
  })

  it('needs one to ten skills of at most 20 characters, and at most 10 villages', () => {
    expect(buildJoinBody(form({ skills: [' '] }))).toEqual({ problems: { skills: 'required' } })
    expect(buildJoinBody(form({ skills: Array.from({ length: 11 }, (_, i) => `技能${i}`) }))).toEqual({ problems: { skills: 'too_many' } })
    expect(buildJoinBody(form({ skills: ['长'.repeat(21)] }))).toEqual({ problems: { skills: 'too_long' } })
    expect(buildJoinBody(form({ villageIds: Array.from({ length: 11 }, (_, i) => i + 1) }))).toEqual({ problems: { village_ids: 'too_many' } })
  })
})

describe('qualificationNumber', () => {
  it('takes 4 to 40 characters, trimmed', () => {
    expect(qualificationNumber(' ZS2026 ')).toBe('ZS2026')
    expect(qualificationNumber('123')).toBeNull()
    expect(qualificationNumber('1'.repeat(41))).toBeNull()
  })
})
