/**
 * 培训管理, for trainers (and platform admins; the server decides every action again): the classes
 * I teach, programmes and classes created, one class's admin page (roster and its import, the
 * progress of every trainee and certificates issued from it, assignments to grade, materials (Markdown, or a PDF or image uploaded),
 * the class's certificates and their revocation), the practice records waiting for a decision,
 * and the party-member register by village. The pure rules `parseRosterPhones`,
 * `buildProgrammeInput` and `buildClassInput` turn what was typed into requests, naming each
 * problem by the server's field (`sessions[1].starts_at_ms`, `quiz[0].answer`).
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/training'
import { fromZonedInput } from '@/time/zone'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { ok, type Result } from './result'

export type { Assignment, Certificate, Material, Member, Practice, Progress, RosterResult, Trainee, TrainingClass } from '@/api/training'

/** A mainland mobile number. */
const PHONE = /^1\d{10}$/

/** Phone numbers typed one a line (or separated by spaces, commas, 、 or ；): the valid ones once each, and the rest. */
export function parseRosterPhones(text: string): { phones: string[]; invalid: string[] } {
  const tokens = text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter((s) => s !== '')
  const phones: string[] = []
  const invalid: string[] = []
  for (const token of tokens) {
    if (!PHONE.test(token)) {
      invalid.push(token)
    } else if (!phones.includes(token)) {
      phones.push(token)
    }
  }
  return { phones, invalid }
}

/** What a form found wrong, keyed by the server's field name. */
export type Problems = Record<string, FormProblem>
export type FormProblem = 'required' | 'whole' | 'time' | 'order' | 'past' | 'options' | 'answer' | 'modules'

/** A whole number typed in a field, within `min…max`; null when it is not one. */
function whole(text: string, min: number, max: number): number | null {
  const value = text.trim()
  if (!/^\d{1,6}$/.test(value)) {
    return null
  }
  const n = Number(value)
  return n >= min && n <= max ? n : null
}

export interface ProgrammeForm {
  title: string
  description: string
  /** One module a line. */
  modules: string
  minAttendancePct: string
  practiceHours: string
  passMark: string
  level: string
  validYears: string
}

/** The modules typed one a line, trimmed, blanks and repeats dropped. */
export function modulesOf(text: string): string[] {
  return [...new Set(text.split('\n').map((s) => s.trim()).filter((s) => s !== ''))]
}

export function buildProgrammeInput(form: ProgrammeForm): { input: api.ProgrammeInput } | { problems: Problems } {
  const problems: Problems = {}
  if (form.title.trim() === '') problems.title = 'required'
  const modules = modulesOf(form.modules)
  if (modules.length === 0) problems.modules = 'modules'
  const minAttendance = whole(form.minAttendancePct, 0, 100)
  if (minAttendance === null) problems['rules.min_attendance_pct'] = 'whole'
  const practiceHours = whole(form.practiceHours, 0, 1000)
  if (practiceHours === null) problems['rules.practice_hours'] = 'whole'
  const passMark = whole(form.passMark, 0, 100)
  if (passMark === null) problems['rules.pass_mark'] = 'whole'
  if (form.level.trim() === '') problems['certificate.level'] = 'required'
  const validYears = whole(form.validYears, 1, 10)
  if (validYears === null) problems['certificate.valid_years'] = 'whole'
  if (Object.keys(problems).length > 0 || minAttendance === null || practiceHours === null || passMark === null || validYears === null) {
    return { problems }
  }
  return {
    input: {
      title: form.title.trim(),
      description: form.description.trim(),
      modules,
      rules: { min_attendance_pct: minAttendance, practice_hours: practiceHours, pass_mark: passMark },
      certificate: { level: form.level.trim(), valid_years: validYears },
    },
  }
}

export interface SessionForm {
  /** `datetime-local` values. */
  startsAt: string
  endsAt: string
  module: string
}

export interface QuestionForm {
  text: string
  options: string[]
  /** The right options' indexes (one unless `multiple`). */
  answer: number[]
  multiple: boolean
}

export interface ClassForm {
  programmeId: number | null
  title: string
  orgId: number | null
  venueId: number | null
  capacity: string
  villageIds: number[]
  secretariesOnly: boolean
  refresher: boolean
  sessions: SessionForm[]
  quiz: QuestionForm[]
  assignment: string
}

/** The bounds the server keeps (docs/api-training.md, routes.cc). */
export const CLASS_LIMITS = { capacity: 500, sessions: 40, questions: 30, options: 8 } as const

export function buildClassInput(form: ClassForm, nowMs: number): { input: api.ClassInput } | { problems: Problems } {
  const problems: Problems = {}
  if (form.programmeId === null) problems.programme_id = 'required'
  if (form.title.trim() === '') problems.title = 'required'
  if (form.venueId === null) problems.venue_id = 'required'
  const capacity = whole(form.capacity, 1, CLASS_LIMITS.capacity)
  if (capacity === null) problems.capacity = 'whole'
  if (form.villageIds.length === 0) problems['eligible.village_ids'] = 'required'
  if (form.sessions.length === 0) problems.sessions = 'required'
  const sessions: api.SessionInput[] = form.sessions.map((s, i) => {
    const starts = fromZonedInput(s.startsAt)
    const ends = fromZonedInput(s.endsAt)
    if (starts === null) {
      problems[`sessions[${i}].starts_at_ms`] = 'time'
    } else if (starts <= nowMs) {
      problems[`sessions[${i}].starts_at_ms`] = 'past'
    }
    if (ends === null) {
      problems[`sessions[${i}].ends_at_ms`] = 'time'
    } else if (starts !== null && ends <= starts) {
      problems[`sessions[${i}].ends_at_ms`] = 'order'
    }
    if (s.module.trim() === '') problems[`sessions[${i}].module`] = 'required'
    return { starts_at_ms: starts ?? 0, ends_at_ms: ends ?? 0, module: s.module.trim() }
  })
  const quiz: api.QuestionInput[] = form.quiz.map((q, i) => {
    if (q.text.trim() === '') problems[`quiz[${i}].text`] = 'required'
    const options = q.options.map((o) => o.trim())
    if (options.length < 2 || options.some((o) => o === '')) problems[`quiz[${i}].options`] = 'options'
    const answer = [...new Set(q.answer)].filter((n) => n >= 0 && n < options.length).sort((a, b) => a - b)
    if (answer.length === 0 || (!q.multiple && answer.length !== 1)) problems[`quiz[${i}].answer`] = 'answer'
    return { text: q.text.trim(), options, answer, multiple: q.multiple }
  })
  if (Object.keys(problems).length > 0 || form.programmeId === null || form.venueId === null || capacity === null) {
    return { problems }
  }
  const assignment = form.assignment.trim()
  return {
    input: {
      programme_id: form.programmeId,
      title: form.title.trim(),
      ...(form.orgId === null ? {} : { org_id: form.orgId }),
      venue_id: form.venueId,
      capacity,
      eligible: { village_ids: [...form.villageIds], secretaries_only: form.secretariesOnly },
      refresher: form.refresher,
      sessions,
      quiz,
      ...(assignment === '' ? {} : { assignment }),
    },
  }
}

export const useTrainingAdminStore = defineStore('trainingAdmin', () => {
  const auth = useAuthStore()
  const teaching = ref<api.TrainingClass[]>([])
  const programmes = ref<api.Programme[]>([])
  /** The admin page's class and what hangs from it. */
  const klass = ref<api.TrainingClass | null>(null)
  const roster = ref<api.Trainee[]>([])
  const progress = ref<api.Progress[]>([])
  const assignments = ref<api.Assignment[]>([])
  const certificates = ref<api.Certificate[]>([])
  const pending = ref<api.Practice[]>([])
  const members = ref<api.Member[]>([])
  /** The village whose register `members` holds. */
  const membersVillage = ref<number | null>(null)

  watch(
    () => auth.user?.id ?? null,
    () => {
      teaching.value = []
      klass.value = null
      roster.value = []
      progress.value = []
      assignments.value = []
      certificates.value = []
      pending.value = []
      members.value = []
      membersVillage.value = null
    },
  )

  const loadTeaching = () => readInto(() => api.listClasses('teaching'), (v) => (teaching.value = v.classes))
  const loadProgrammes = () => readInto(api.listProgrammes, (v) => (programmes.value = v.programmes))

  async function createProgramme(input: api.ProgrammeInput): Promise<Result<api.Programme>> {
    const result = await attemptSignedIn(() => api.createProgramme(input))
    if (!result.ok) {
      return result
    }
    programmes.value = [...programmes.value, result.value.programme]
    return ok(result.value.programme)
  }

  async function createClass(input: api.ClassInput): Promise<Result<api.TrainingClass>> {
    const result = await attemptSignedIn(() => api.createClass(input))
    if (!result.ok) {
      return result
    }
    teaching.value = [result.value.class, ...teaching.value]
    return ok(result.value.class)
  }

  const loadRoster = (id: number) => readInto(() => api.getRoster(id), (v) => (roster.value = v.trainees))
  const loadProgress = (id: number) => readInto(() => api.getProgress(id), (v) => (progress.value = v.progress))
  const loadAssignments = (id: number) => readInto(() => api.listAssignments(id), (v) => (assignments.value = v.assignments))
  const loadCertificates = (id: number) => readInto(() => api.listClassCertificates(id), (v) => (certificates.value = v.certificates))
  const loadClass = (id: number) => readInto(() => api.getClass(id), (v) => (klass.value = v.class))

  /** The admin page: the class first (a 404 or 403 stops there), then everything else at once. */
  async function loadClassAdmin(id: number): Promise<Result> {
    if (klass.value?.id !== id) {
      klass.value = null
      roster.value = []
      progress.value = []
      assignments.value = []
      certificates.value = []
    }
    const first = await loadClass(id)
    if (!first.ok) {
      return first
    }
    const results = await Promise.all([loadRoster(id), loadProgress(id), loadAssignments(id), loadCertificates(id)])
    return results.find((r) => !r.ok) ?? ok()
  }

  /** Imports a roster; the class, the roster and the progress are read again. */
  async function importRoster(id: number, entries: api.RosterEntry[]): Promise<Result<api.RosterResult>> {
    const result = await attemptSignedIn(() => api.importRoster(id, entries))
    if (!result.ok) {
      return result
    }
    await Promise.all([loadClass(id), loadRoster(id), loadProgress(id)])
    return ok(result.value)
  }

  /** Issues certificates to the ones ticked; the progress and the class's certificates are read again. */
  async function issue(id: number, userIds: number[]): Promise<Result<api.IssueResult>> {
    const result = await attemptSignedIn(() => api.issueCertificates(id, userIds))
    if (!result.ok) {
      return result
    }
    await Promise.all([loadProgress(id), loadCertificates(id)])
    return ok(result.value)
  }

  async function grade(id: number, userId: number, value: number, feedback: string): Promise<Result<api.Assignment>> {
    const result = await attemptSignedIn(() => api.gradeAssignment(id, userId, value, feedback))
    if (!result.ok) {
      return result
    }
    const next = result.value.assignment
    assignments.value = assignments.value.map((a) => (a.user_id === next.user_id ? next : a))
    void loadProgress(id)
    return ok(next)
  }

  async function addMaterial(id: number, input: api.MaterialInput): Promise<Result<api.Material>> {
    const result = await attemptSignedIn(() => api.addMaterial(id, input))
    if (!result.ok) {
      return result
    }
    if (klass.value?.id === id) {
      klass.value = { ...klass.value, materials: [...klass.value.materials, result.value.material] }
    }
    return ok(result.value.material)
  }

  /** A PDF or an image as a session's material (check it first with `precheckFile`); it joins the class's list. */
  async function uploadMaterial(id: number, eventId: number, title: string, file: File): Promise<Result<api.Material>> {
    const result = await attemptSignedIn(() => api.uploadMaterialFile(id, eventId, title, file))
    if (!result.ok) {
      return result
    }
    if (klass.value?.id === id) {
      klass.value = { ...klass.value, materials: [...klass.value.materials, result.value.material] }
    }
    return ok(result.value.material)
  }

  async function revoke(no: string, reason: string): Promise<Result<api.Certificate>> {
    const result = await attemptSignedIn(() => api.revokeCertificate(no, reason))
    if (!result.ok) {
      return result
    }
    const next = result.value.certificate
    certificates.value = certificates.value.map((c) => (c.no === next.no ? next : c))
    return ok(next)
  }

  const loadPending = () => readInto(api.listPendingPractice, (v) => (pending.value = v.practice))

  /** Confirms or rejects a pending record; decided, it leaves the list (also when someone else decided it first). */
  async function decide(id: string, confirm: boolean, reason = ''): Promise<Result<api.Practice>> {
    const result = await attemptSignedIn(() => (confirm ? api.confirmPractice(id) : api.rejectPractice(id, reason)))
    if (!result.ok) {
      if (result.error.code === 'training.practice_decided') {
        pending.value = pending.value.filter((p) => p.id !== id)
      }
      return result
    }
    pending.value = pending.value.filter((p) => p.id !== id)
    return ok(result.value.practice)
  }

  async function loadMembers(villageId: number): Promise<Result> {
    membersVillage.value = villageId
    return readInto(
      () => api.listMembers(villageId),
      (v) => {
        if (membersVillage.value === villageId) {
          members.value = v.members
        }
      },
    )
  }

  /** Adds or updates a person on the register; the village's list shows them. */
  async function addMember(input: api.MemberInput): Promise<Result<api.Member>> {
    const result = await attemptSignedIn(() => api.addMember(input))
    if (!result.ok) {
      return result
    }
    const member = result.value.member
    members.value = members.value.filter((m) => m.user_id !== member.user_id)
    if (membersVillage.value === member.village_id) {
      members.value = [...members.value, member]
    }
    return ok(member)
  }

  return {
    teaching,
    programmes,
    klass,
    roster,
    progress,
    assignments,
    certificates,
    pending,
    members,
    membersVillage,
    loadTeaching,
    loadProgrammes,
    createProgramme,
    createClass,
    loadClassAdmin,
    loadProgress,
    importRoster,
    issue,
    grade,
    addMaterial,
    uploadMaterial,
    revoke,
    loadPending,
    decide,
    loadMembers,
    addMember,
  }
})
