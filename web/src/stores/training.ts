/**
 * 党员社工培育 for a member: 我的培训 (my classes with my progress, classes open to me, my practice
 * records, my certificates), one class (enrol, withdraw, the quiz, the assignment — a secretary's
 * passed one posted as a village need, prefilled by `buildNeedPrefill`) and the public
 * certificate check. The pure rules `buildQuizAnswers` (the request from what was ticked) and
 * `buildPracticeInput` (a practice record from the form: hours in half-hour steps, a date not in
 * the future) are exported for the pages and the tests. The trainers' side is `trainingAdmin`.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/training'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { fromZonedDate, toZonedDate, zonedDateAfterMonths } from '@/time/zone'
import type { NeedBody, NeedFormValues } from './marketVillage'
import { attempt, ok, type Result } from './result'

export type {
  Assignment,
  AssignmentNeedInput,
  Certificate,
  CertificateCheck,
  Material,
  Practice,
  PracticeInput,
  PracticeKind,
  PracticeMethod,
  Programme,
  Progress,
  Question,
  QuizResult,
  TrainingClass,
} from '@/api/training'

/** What a question's control holds: a radio's option index, a checkbox group's indexes, or nothing yet. */
export type Picked = number | number[] | null | undefined

/**
 * The quiz request from what was ticked, one entry per question (sorted option indexes), or the
 * indexes of the questions still unanswered.
 */
export function buildQuizAnswers(quiz: readonly api.Question[], picked: readonly Picked[]): { answers: number[][] } | { missing: number[] } {
  const answers: number[][] = []
  const missing: number[] = []
  quiz.forEach((question, i) => {
    const value = picked[i]
    const chosen = Array.isArray(value) ? value : typeof value === 'number' ? [value] : []
    const valid = [...new Set(chosen)].filter((n) => Number.isInteger(n) && n >= 0 && n < question.options.length).sort((a, b) => a - b)
    if (valid.length === 0 || (!question.multiple && valid.length !== 1)) {
      missing.push(i)
    }
    answers.push(valid)
  })
  return missing.length > 0 ? { missing } : { answers }
}

/** The need form's limits the prefill keeps to (the server's: title ≤ 100, story ≤ 5000). */
export const NEED_TITLE_MAX = 100
export const NEED_STORY_MAX = 5000
/** How long a need posted from an assessment runs by default, from today. */
const NEED_PERIOD_MONTHS = 6

/**
 * The need form prefilled from a secretary's passed needs assessment: the title from `heading`
 * (the page's words for "<village> 居民需求：<subject>", the subject being the text's first line
 * without Markdown marks, shortened to keep the title within 100 characters), the story the
 * whole text (within 5000), heard on visits (走访), running six months from the day `nowMs` falls
 * on in the subdistrict's time zone.
 */
export function buildNeedPrefill(
  text: string,
  heading: (subject: string) => string,
  nowMs: number,
): Partial<NeedFormValues> {
  const body = text.trim()
  const firstLine = body.split('\n').map((line) => line.replace(/^\s*(#+|[-*>]|\d+[.、)])\s*/, '').trim()).find((line) => line !== '') ?? ''
  const room = Math.max(0, NEED_TITLE_MAX - [...heading('')].length)
  const chars = [...firstLine]
  const subject = chars.length > room ? `${chars.slice(0, Math.max(0, room - 1)).join('')}…` : firstLine
  return {
    title: heading(subject),
    story: [...body].slice(0, NEED_STORY_MAX).join(''),
    source: 'visits',
    from: toZonedDate(nowMs),
    to: zonedDateAfterMonths(nowMs, NEED_PERIOD_MONTHS),
  }
}

/** The need form's body as the assessment route takes it: no survey round (an assessment is not one). */
export function assignmentNeedBody(body: NeedBody): api.AssignmentNeedInput {
  const { survey_round_id: _round, ...rest } = body
  return rest
}

/** The longest practice a record may carry, and the step the form takes hours in. */
export const MAX_PRACTICE_HOURS = 24
export const HOURS_STEP = 0.5

export type HoursProblem = 'required' | 'format' | 'range' | 'step'

/** Hours typed in the form ("2.5"): a number of half hours from 0.5 to 24, or what is wrong with it. */
export function parseHours(text: string): { hours: number } | { problem: HoursProblem } {
  const value = text.trim()
  if (value === '') {
    return { problem: 'required' }
  }
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(value)) {
    return { problem: 'format' }
  }
  const hours = Number(value)
  if (hours <= 0 || hours > MAX_PRACTICE_HOURS) {
    return { problem: 'range' }
  }
  if (Math.round(hours / HOURS_STEP) * HOURS_STEP !== hours) {
    return { problem: 'step' }
  }
  return { hours }
}

export interface PracticeForm {
  kind: api.PracticeKind | ''
  /** `YYYY-MM-DD` from a date input. */
  date: string
  hours: string
  place: string
  method: api.PracticeMethod | ''
  note: string
}

export type PracticeField = 'kind' | 'date_ms' | 'hours' | 'place' | 'method'
export type PracticeProblem = 'required' | 'invalid_date' | 'future' | HoursProblem

/**
 * The practice request from the form, or each field's problem (named by the server's field). The
 * date is the day's start in the subdistrict's time zone, so today is never "in the future" for
 * the server.
 */
export function buildPracticeInput(
  form: PracticeForm,
  nowMs: number,
): { input: api.PracticeInput } | { problems: Partial<Record<PracticeField, PracticeProblem>> } {
  const problems: Partial<Record<PracticeField, PracticeProblem>> = {}
  if (form.kind === '') {
    problems.kind = 'required'
  }
  if (form.method === '') {
    problems.method = 'required'
  }
  const dateMs = form.date.trim() === '' ? null : fromZonedDate(form.date)
  if (form.date.trim() === '') {
    problems.date_ms = 'required'
  } else if (dateMs === null) {
    problems.date_ms = 'invalid_date'
  } else if (dateMs > nowMs) {
    problems.date_ms = 'future'
  }
  const hours = parseHours(form.hours)
  if ('problem' in hours) {
    problems.hours = hours.problem
  }
  if (form.place.trim() === '') {
    problems.place = 'required'
  }
  if (Object.keys(problems).length > 0 || form.kind === '' || form.method === '' || dateMs === null || 'problem' in hours) {
    return { problems }
  }
  return { input: { kind: form.kind, date_ms: dateMs, hours: hours.hours, place: form.place.trim(), method: form.method, note: form.note.trim() } }
}

export const useTrainingStore = defineStore('training', () => {
  const auth = useAuthStore()
  /** 我的班级 (`scope=mine`) and the classes of my village (`scope=open`). */
  const mine = ref<api.TrainingClass[]>([])
  const open = ref<api.TrainingClass[]>([])
  const programmes = ref<api.Programme[]>([])
  /** My progress in each class, by class id (a member sees only their own line). */
  const progress = ref<Record<number, api.Progress>>({})
  const practice = ref<api.Practice[]>([])
  const certificates = ref<api.Certificate[]>([])
  /** The class page's class. */
  const klass = ref<api.TrainingClass | null>(null)
  /** My assignment in the open class, with its grade and feedback once graded; null when none. */
  const assignment = ref<api.Assignment | null>(null)
  /** The last quiz result in the open class. */
  const quizResult = ref<api.QuizResult | null>(null)
  /** The public check's answer. */
  const checked = ref<api.CertificateCheck | null>(null)
  let programmesLoaded = false

  // Everything here is the signed-in member's own: not for the next account.
  watch(
    () => auth.user?.id ?? null,
    () => {
      mine.value = []
      open.value = []
      progress.value = {}
      practice.value = []
      certificates.value = []
      klass.value = null
      assignment.value = null
      quizResult.value = null
    },
  )

  /** The programmes once (for the practice hours their rules require). */
  async function ensureProgrammes(): Promise<Result> {
    if (programmesLoaded) {
      return ok()
    }
    const result = await readInto(api.listProgrammes, (v) => (programmes.value = v.programmes))
    programmesLoaded = result.ok
    return result
  }

  function programmeOf(c: Pick<api.TrainingClass, 'programme_id'>): api.Programme | null {
    return programmes.value.find((p) => p.id === c.programme_id) ?? null
  }

  async function loadProgress(classId: number): Promise<Result> {
    return readInto(
      () => api.getProgress(classId),
      (v) => {
        const own = v.progress.find((p) => p.user_id === auth.user?.id) ?? v.progress[0]
        if (own !== undefined) {
          progress.value = { ...progress.value, [classId]: own }
        }
      },
    )
  }

  /** 我的班级, each with my progress. */
  async function loadMine(): Promise<Result> {
    const [classes, programmesResult] = await Promise.all([readInto(() => api.listClasses('mine'), (v) => (mine.value = v.classes)), ensureProgrammes()])
    if (!classes.ok) {
      return classes
    }
    const results = await Promise.all(mine.value.map((c) => loadProgress(c.id)))
    return results.find((r) => !r.ok) ?? programmesResult
  }

  /** The classes of my village I have not joined and that have not ended (full ones included: the page says so). */
  async function loadOpen(nowMs: number): Promise<Result> {
    return readInto(
      () => api.listClasses('open'),
      (v) => (open.value = v.classes.filter((c) => c.my_enrolment !== 'enrolled' && c.ends_at_ms > nowMs)),
    )
  }

  const loadPractice = () => readInto(api.listMyPractice, (v) => (practice.value = v.practice))
  const loadCertificates = () => readInto(api.listMyCertificates, (v) => (certificates.value = v.certificates))

  /** Replaces the class wherever this store holds it. */
  function replaceClass(next: api.TrainingClass): void {
    if (klass.value?.id === next.id) {
      klass.value = next
    }
    mine.value = mine.value.map((c) => (c.id === next.id ? next : c))
  }

  /** One class for its page; with my progress and my assignment when I am enrolled. */
  async function loadClass(id: number): Promise<Result> {
    if (klass.value?.id !== id) {
      klass.value = null
      assignment.value = null
      quizResult.value = null
    }
    const result = await readInto(() => api.getClass(id), (v) => (klass.value = v.class))
    if (!result.ok || klass.value?.my_enrolment !== 'enrolled') {
      return result
    }
    const [progressResult, assignmentResult, programmesResult] = await Promise.all([
      loadProgress(id),
      klass.value.assignment === null ? Promise.resolve(ok()) : readInto(() => api.listAssignments(id), (v) => (assignment.value = v.assignments.find((a) => a.user_id === auth.user?.id) ?? null)),
      ensureProgrammes(),
    ])
    return [progressResult, assignmentResult, programmesResult].find((r) => !r.ok) ?? ok()
  }

  /** Enrols me; the class joins 我的班级 and leaves the open list. */
  async function enrol(id: number): Promise<Result<api.TrainingClass>> {
    const result = await attemptSignedIn(() => api.enrol(id))
    if (!result.ok) {
      return result
    }
    const next = result.value.class
    replaceClass(next)
    open.value = open.value.filter((c) => c.id !== id)
    if (!mine.value.some((c) => c.id === id)) {
      mine.value = [next, ...mine.value]
    }
    void loadProgress(id)
    return ok(next)
  }

  async function withdraw(id: number): Promise<Result<api.TrainingClass>> {
    const result = await attemptSignedIn(() => api.withdraw(id, 'me'))
    if (!result.ok) {
      return result
    }
    replaceClass(result.value.class)
    mine.value = mine.value.filter((c) => c.id !== id)
    return ok(result.value.class)
  }

  /** Sends the quiz; the result stays for the page and my progress is read again (the best attempt counts). */
  async function submitQuiz(id: number, answers: number[][]): Promise<Result<api.QuizResult>> {
    const result = await attemptSignedIn(() => api.submitQuiz(id, answers))
    if (!result.ok) {
      return result
    }
    quizResult.value = result.value.result
    void loadProgress(id)
    return ok(result.value.result)
  }

  async function submitAssignment(id: number, body: string): Promise<Result<api.Assignment>> {
    const result = await attemptSignedIn(() => api.submitAssignment(id, body))
    if (!result.ok) {
      return result
    }
    assignment.value = result.value.assignment
    void loadProgress(id)
    return ok(result.value.assignment)
  }

  /**
   * Posts my passed needs assessment (a secretaries' class) as a need of my village; my assignment
   * then carries the need's id.
   */
  async function postAssignmentNeed(id: number, body: NeedBody): Promise<Result<{ id: string; title: string }>> {
    const result = await attemptSignedIn(() => api.postAssignmentNeed(id, assignmentNeedBody(body)))
    if (!result.ok) {
      return result
    }
    assignment.value = result.value.assignment
    return ok({ id: result.value.need.id, title: result.value.need.title })
  }

  /** Logs a practice record (pending until a trainer confirms it); it joins the top of my list. */
  async function logPractice(input: api.PracticeInput): Promise<Result<api.Practice>> {
    const result = await attemptSignedIn(() => api.logPractice(input))
    if (!result.ok) {
      return result
    }
    practice.value = [result.value.practice, ...practice.value.filter((p) => p.id !== result.value.practice.id)]
    return ok(result.value.practice)
  }

  /** The public check (no sign-in). */
  async function check(no: string, code: string | null): Promise<Result> {
    checked.value = null
    const result = await attempt(() => api.checkCertificate(no, code))
    if (!result.ok) {
      return result
    }
    checked.value = result.value.certificate
    return ok()
  }

  return {
    mine,
    open,
    programmes,
    progress,
    practice,
    certificates,
    klass,
    assignment,
    quizResult,
    checked,
    ensureProgrammes,
    programmeOf,
    loadProgress,
    loadMine,
    loadOpen,
    loadPractice,
    loadCertificates,
    loadClass,
    enrol,
    withdraw,
    submitQuiz,
    submitAssignment,
    postAssignmentNeed,
    logPractice,
    check,
  }
})
