import { describe, expect, it } from 'vitest'
import { formatHours, progressLine } from '@/composables/useTrainingText'
import { createAppI18n } from '@/locales'
import english from '@/locales/en'
import { progress } from '../support/training'

const zh = createAppI18n('zh-CN').global.t
const en = createAppI18n('en', { en: english }).global.t

describe('formatHours', () => {
  it('shows minutes as hours with no trailing zeros', () => {
    expect(formatHours(750)).toBe('12.5')
    expect(formatHours(960)).toBe('16')
    expect(formatHours(45)).toBe('0.75')
    expect(formatHours(0)).toBe('0')
    expect(formatHours(100)).toBe('1.67')
  })
})

describe('progressLine', () => {
  it('reads attendance, practice against the requirement (confirmed and volunteer time) and the assessment', () => {
    expect(progressLine(progress(), 16, zh)).toBe('出勤 3/4 · 实践 12.5/16\u00a0小时 · 考核 已通过')
    expect(progressLine(progress({ assessment: { status: 'pending', quiz_best: null, assignment_submitted: false, assignment_grade: null } }), 16, en)).toBe(
      'Attended 3/4 · practice 12.5/16\u00a0h · assessment not done',
    )
  })

  it('leaves the practice out when the programme asks for none, and shows the hours alone when the requirement is unknown', () => {
    expect(progressLine(progress(), 0, zh)).toBe('出勤 3/4 · 考核 已通过')
    expect(progressLine(progress(), null, zh)).toBe('出勤 3/4 · 实践 12.5\u00a0小时 · 考核 已通过')
  })
})
