import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { buildPracticeInput, buildQuizAnswers, parseHours, type PracticeForm, useTrainingStore } from '@/stores/training'
import { NOW } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { klass, member, practice, progress } from '../support/training'
import { shanghai } from '../support/time'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

const quiz = klass().quiz

describe('buildQuizAnswers', () => {
  it('sends one sorted entry of option indexes per question', () => {
    expect(buildQuizAnswers(quiz, [0, [2, 0, 1]])).toEqual({ answers: [[0], [0, 1, 2]] })
  })

  it('names the questions left unanswered, and a multiple pick on a single-choice question', () => {
    expect(buildQuizAnswers(quiz, [null, []])).toEqual({ missing: [0, 1] })
    expect(buildQuizAnswers(quiz, [[0, 1], [3]])).toEqual({ missing: [0] })
    expect(buildQuizAnswers(quiz, [0])).toEqual({ missing: [1] })
  })

  it('drops indexes that are not options and repeats', () => {
    expect(buildQuizAnswers(quiz, [7, [1, 1, 9]])).toEqual({ missing: [0] })
    expect(buildQuizAnswers(quiz, [3, [1, 1, 9]])).toEqual({ answers: [[3], [1]] })
  })
})

describe('parseHours', () => {
  it('takes hours in half-hour steps from 0.5 to 24', () => {
    expect(parseHours('2.5')).toEqual({ hours: 2.5 })
    expect(parseHours(' 24 ')).toEqual({ hours: 24 })
    expect(parseHours('0.5')).toEqual({ hours: 0.5 })
    expect(parseHours('1.50')).toEqual({ hours: 1.5 })
  })

  it('names what is wrong', () => {
    expect(parseHours('')).toEqual({ problem: 'required' })
    expect(parseHours('两小时')).toEqual({ problem: 'format' })
    expect(parseHours('-1')).toEqual({ problem: 'format' })
    expect(parseHours('0')).toEqual({ problem: 'range' })
    expect(parseHours('24.5')).toEqual({ problem: 'range' })
    expect(parseHours('1.25')).toEqual({ problem: 'step' })
  })
})

describe('buildPracticeInput', () => {
  const form = (overrides: Partial<PracticeForm> = {}): PracticeForm => ({
    kind: 'home_visit',
    date: '2026-11-27',
    hours: '2.5',
    place: ' 叠滘村三巷 ',
    method: 'casework',
    note: ' 探访独居长者 ',
    ...overrides,
  })

  it('builds the request: the day’s local start, hours as a number, trimmed text', () => {
    expect(buildPracticeInput(form(), NOW)).toEqual({
      input: { kind: 'home_visit', date_ms: shanghai(2026, 10, 27), hours: 2.5, place: '叠滘村三巷', method: 'casework', note: '探访独居长者' },
    })
  })

  it('refuses a date after today, and names each missing field by the server’s name', () => {
    const tomorrow = new Date(NOW + 2 * 86_400_000)
    const iso = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`
    expect(buildPracticeInput(form({ date: iso }), NOW)).toEqual({ problems: { date_ms: 'future' } })
    expect(buildPracticeInput(form({ kind: '', method: '', date: '', hours: '3.3', place: ' ' }), NOW)).toEqual({
      problems: { kind: 'required', method: 'required', date_ms: 'required', hours: 'step', place: 'required' },
    })
    expect(buildPracticeInput(form({ date: '2026-02-30' }), NOW)).toEqual({ problems: { date_ms: 'invalid_date' } })
  })
})

describe('useTrainingStore', () => {
  it('loads 我的班级 with my progress in each', async () => {
    stubFetch({
      'GET /api/v1/training/classes': jsonResponse(200, { classes: [klass({ my_enrolment: 'enrolled' })] }),
      'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [] }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
    })
    const store = useTrainingStore()
    expect((await store.loadMine()).ok).toBe(true)
    expect(store.progress[4]?.attendance.attended).toBe(3)
  })

  it('keeps only the open classes I have not joined and that have not ended', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/training/classes': jsonResponse(200, {
        classes: [klass(), klass({ id: 5, my_enrolment: 'enrolled' }), klass({ id: 6, ends_at_ms: NOW - 1 })],
      }),
    })
    const store = useTrainingStore()
    await store.loadOpen(NOW)
    expect(store.open.map((c) => c.id)).toEqual([4])
    expect(requests[0]?.url).toBe('/api/v1/training/classes?scope=open')
  })

  it('moves a class from the open list to mine on enrolment, and keeps a refusal as the server said it', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/training/classes/4/enrolments': jsonResponse(201, { class: klass({ my_enrolment: 'enrolled', enrolled: 1, can_enrol: false }) }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
    })
    const store = useTrainingStore()
    store.open = [klass()]
    const result = await store.enrol(4)
    expect(result.ok).toBe(true)
    expect(requests[0]?.body).toEqual({})
    expect(store.open).toEqual([])
    expect(store.mine.map((c) => c.my_enrolment)).toEqual(['enrolled'])

    stubFetch({ 'POST /api/v1/training/classes/5/enrolments': errorResponse(403, 'training.not_eligible', '你不在这个班的报名范围内') })
    store.open = [klass({ id: 5 })]
    const refused = await store.enrol(5)
    expect(!refused.ok && refused.error.message).toBe('你不在这个班的报名范围内')
    expect(store.open).toHaveLength(1)
  })

  it('puts a logged practice record on top of my list', async () => {
    stubFetch({ 'POST /api/v1/training/practice': jsonResponse(201, { practice: practice({ id: 'newaaaaaaaaaaaaaaaaa' }) }) })
    const store = useTrainingStore()
    store.practice = [practice()]
    await store.logPractice({ kind: 'home_visit', date_ms: NOW, hours: 4, place: '叠滘村西约', method: 'casework', note: '' })
    expect(store.practice.map((p) => p.id)).toEqual(['newaaaaaaaaaaaaaaaaa', 'pracaaaaaaaaaaaaaaaa'])
  })

  it('reads my own assignment with the class when I am enrolled', async () => {
    stubFetch({
      'GET /api/v1/training/classes/4': jsonResponse(200, { class: klass({ my_enrolment: 'enrolled', assignment: '完成一份需求评估' }) }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
      'GET /api/v1/training/classes/4/assignments': jsonResponse(200, { assignments: [{ user_id: 21, body: '评估', submitted_at_ms: NOW, grade: 88, feedback: '很好' }] }),
      'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [] }),
    })
    const auth = useAuthStore()
    auth.user = member.user as never
    const store = useTrainingStore()
    expect((await store.loadClass(4)).ok).toBe(true)
    expect(store.assignment?.feedback).toBe('很好')
  })

  it('forgets the member’s things when another account signs in', async () => {
    const auth = useAuthStore()
    auth.user = member.user as never
    const store = useTrainingStore()
    store.practice = [practice()]
    auth.user = { ...member.user, id: 99 } as never
    await vi.waitFor(() => expect(store.practice).toEqual([]))
  })
})
