/**
 * 我的人才库, the signed-in member's side of 社工证 and 人才库: my social-worker qualifications (record
 * one; a rejected one sent again; a pending one's scan uploaded), my pool entry (join or update with consent, withdraw) and the
 * invitations onto project teams I received (accept or decline). The pure rules `levelRank`,
 * `addSkill` and `buildJoinBody` turn what was typed into requests, naming each problem by the
 * server's field. Everything here is the member's own: a change of account empties it.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/talent'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { fail, isNotFound, ok, type Result } from './result'

export type { Invitation, PoolEntry, Qualification, QualificationLevel, QualificationScan } from '@/api/talent'

export const MAX_SKILLS = 10
export const MAX_SKILL_CHARS = 20
export const MAX_VILLAGES = 10
export const NUMBER_MIN = 4
export const NUMBER_MAX = 40

/** 1 for 助理社会工作师 up to 3 for 高级社会工作师; 0 for none. */
export function levelRank(level: api.QualificationLevel | null): number {
  return level === null ? 0 : api.QUALIFICATION_LEVELS.indexOf(level) + 1
}

export type SkillProblem = 'empty' | 'too_long' | 'too_many' | 'duplicate'

/** The skills with one typed tag added (trimmed), or why it cannot be. */
export function addSkill(skills: readonly string[], text: string): { skills: string[] } | { problem: SkillProblem } {
  const skill = text.trim()
  if (skill === '') {
    return { problem: 'empty' }
  }
  if ([...skill].length > MAX_SKILL_CHARS) {
    return { problem: 'too_long' }
  }
  if (skills.includes(skill)) {
    return { problem: 'duplicate' }
  }
  if (skills.length >= MAX_SKILLS) {
    return { problem: 'too_many' }
  }
  return { skills: [...skills, skill] }
}

export interface JoinForm {
  consent: boolean
  skills: string[]
  villageIds: number[]
  availability: string
  intro: string
}

export type JoinField = 'consent' | 'skills' | 'village_ids'
export type JoinProblem = 'required' | 'too_many' | 'too_long'

/** The `PUT /talent/me` body from the form, or each field's problem (named by the server's field). */
export function buildJoinBody(form: JoinForm): { input: api.JoinInput } | { problems: Partial<Record<JoinField, JoinProblem>> } {
  const problems: Partial<Record<JoinField, JoinProblem>> = {}
  const skills = [...new Set(form.skills.map((s) => s.trim()).filter((s) => s !== ''))]
  if (!form.consent) {
    problems.consent = 'required'
  }
  if (skills.length === 0) {
    problems.skills = 'required'
  } else if (skills.length > MAX_SKILLS) {
    problems.skills = 'too_many'
  } else if (skills.some((s) => [...s].length > MAX_SKILL_CHARS)) {
    problems.skills = 'too_long'
  }
  const villageIds = [...new Set(form.villageIds)]
  if (villageIds.length > MAX_VILLAGES) {
    problems.village_ids = 'too_many'
  }
  if (Object.keys(problems).length > 0) {
    return { problems }
  }
  return { input: { consent: true, skills, village_ids: villageIds, availability: form.availability.trim(), intro: form.intro.trim() } }
}

/** A certificate number as typed, or null when it is not 4–40 characters. */
export function qualificationNumber(text: string): string | null {
  const value = text.trim()
  const length = [...value].length
  return length >= NUMBER_MIN && length <= NUMBER_MAX ? value : null
}

export const useTalentStore = defineStore('talent', () => {
  const auth = useAuthStore()
  const qualifications = ref<api.Qualification[]>([])
  /** My entry; null when I never joined (404 `talent.not_in_pool`). Withdrawn entries have `in_pool: false`. */
  const entry = ref<api.PoolEntry | null>(null)
  const invitations = ref<api.Invitation[]>([])

  watch(
    () => auth.user?.id ?? null,
    () => {
      qualifications.value = []
      entry.value = null
      invitations.value = []
    },
  )

  const loadQualifications = () => readInto(() => api.listQualifications(), (v) => (qualifications.value = v.qualifications))
  const loadInvitations = () => readInto(() => api.listInvitations(), (v) => (invitations.value = v.invitations))

  async function loadEntry(): Promise<Result> {
    const result = await attemptSignedIn(api.getMyEntry)
    if (result.ok) {
      entry.value = result.value.entry
      return ok()
    }
    if (isNotFound(result.error, 'talent.not_in_pool')) {
      entry.value = null
      return ok()
    }
    return fail(result.error)
  }

  /** Everything 我的人才库 shows; the first failure, if any. */
  async function load(): Promise<Result> {
    const results = await Promise.all([loadQualifications(), loadEntry(), loadInvitations()])
    return results.find((r) => !r.ok) ?? ok()
  }

  /** Records one (or sends a rejected one again, same id): it replaces its line. */
  async function recordQualification(input: api.QualificationInput): Promise<Result<api.Qualification>> {
    const result = await attemptSignedIn(() => api.recordQualification(input))
    if (!result.ok) {
      return result
    }
    const next = result.value.qualification
    qualifications.value = [next, ...qualifications.value.filter((q) => q.id !== next.id)]
    return ok(next)
  }

  /** Uploads (or replaces) a pending qualification's scan (check it first with `precheckFile`): it replaces its line. */
  async function uploadScan(id: string, file: File): Promise<Result<api.Qualification>> {
    const result = await attemptSignedIn(() => api.uploadQualificationScan(id, file))
    if (!result.ok) {
      return result
    }
    const next = result.value.qualification
    qualifications.value = qualifications.value.map((q) => (q.id === next.id ? next : q))
    return ok(next)
  }

  async function join(input: api.JoinInput): Promise<Result<api.PoolEntry>> {
    const result = await attemptSignedIn(() => api.putMyEntry(input))
    if (!result.ok) {
      return result
    }
    entry.value = result.value.entry
    return ok(result.value.entry)
  }

  async function leave(): Promise<Result<api.PoolEntry>> {
    const result = await attemptSignedIn(api.leavePool)
    if (!result.ok) {
      return result
    }
    entry.value = result.value.entry
    return ok(result.value.entry)
  }

  async function answer(id: string, choice: 'accept' | 'decline'): Promise<Result<api.Invitation>> {
    const result = await attemptSignedIn(() => api.answerInvitation(id, choice))
    if (!result.ok) {
      return result
    }
    const next = result.value.invitation
    invitations.value = invitations.value.map((i) => (i.id === next.id ? next : i))
    return ok(next)
  }

  return { qualifications, entry, invitations, load, loadEntry, loadQualifications, loadInvitations, recordQualification, uploadScan, join, leave, answer }
})
