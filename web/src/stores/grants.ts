/**
 * 项目申报 for everyone: the grant calls, one call with its public applications (those that
 * passed eligibility), one application's public page, and the 点赞 support vote (one per account,
 * during the call's support phase). Also the pure rules the grant pages share: the budget lines'
 * total and the weighted score of a rubric.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as grantsApi from '@/api/grants'
import { attemptSignedIn } from './auth'
import { attempt, ok, type Result } from './result'

export type {
  Application,
  ApplicationDraft,
  ApplicationScores,
  ApplicationStatus,
  ApplicationSummary,
  AssignOutcome,
  BudgetLine,
  Call,
  CallInput,
  CallPhase,
  CoFunder,
  Conflict,
  FundingMode,
  Meeting,
  RankingRow,
  Review,
  ReviewRow,
  ReviewSheet,
  ReviewStatus,
  Reviewer,
  ReviewerKind,
  RubricLine,
  Seat,
  SeatStatus,
  Shortfall,
  ShortfallReason,
} from '@/api/grants'
export { FUNDING_MODES, PROJECT_TYPES } from '@/api/grants'

/** The call phases in the order a call goes through them. */
export const CALL_PHASES: readonly grantsApi.CallPhase[] = ['upcoming', 'open', 'support', 'review']

/** Sum of the budget lines in fen (integers only). */
export function budgetTotalFen(lines: readonly Pick<grantsApi.BudgetLine, 'amount_fen'>[]): number {
  return lines.reduce((sum, line) => sum + line.amount_fen, 0)
}

/** A score is a whole number 0..10. */
export const SCORE_MIN = 0
export const SCORE_MAX = 10

/**
 * The rubric's weighted score, 0..10 (Σ weight × score ÷ Σ weight), rounded to two decimals; null
 * until every criterion has a score. The server computes the score it keeps; this is the preview.
 */
export function weightedScore(rubric: readonly grantsApi.RubricLine[], scores: Readonly<Record<string, number | null | undefined>>): number | null {
  let weights = 0
  let sum = 0
  for (const line of rubric) {
    const score = scores[line.criterion]
    if (score === null || score === undefined || !Number.isInteger(score) || score < SCORE_MIN || score > SCORE_MAX) {
      return null
    }
    weights += line.weight
    sum += line.weight * score
  }
  return weights === 0 ? null : Math.round((sum * 100) / weights) / 100
}

/** The rubric's weights as percentages of their sum (whole numbers; display only). */
export function weightShares(rubric: readonly grantsApi.RubricLine[]): number[] {
  const total = rubric.reduce((sum, line) => sum + line.weight, 0)
  return rubric.map((line) => (total === 0 ? 0 : Math.round((line.weight * 100) / total)))
}

export const useGrantsStore = defineStore('grants', () => {
  const calls = ref<grantsApi.Call[]>([])
  const callsLoaded = ref(false)
  const call = ref<grantsApi.Call | null>(null)
  /** The current call's public applications. */
  const callApplications = ref<grantsApi.ApplicationSummary[]>([])
  const application = ref<grantsApi.Application | null>(null)
  /** Applications this account voted for in this page load (the list has no `voted` field). */
  const voted = ref<Set<string>>(new Set())

  async function loadCalls(): Promise<Result> {
    const result = await attempt(grantsApi.listCalls)
    if (!result.ok) {
      return result
    }
    calls.value = result.value.calls
    callsLoaded.value = true
    return ok()
  }

  /** The call and its public applications (an empty list if the server refuses to list them). */
  async function loadCall(id: string): Promise<Result> {
    if (call.value?.id !== id) {
      call.value = null
      callApplications.value = []
    }
    const [got, apps] = await Promise.all([attempt(() => grantsApi.getCall(id)), attempt(() => grantsApi.listCallApplications(id))])
    if (!got.ok) {
      return got
    }
    call.value = got.value.call
    callApplications.value = apps.ok ? apps.value.applications : []
    return apps.ok ? ok() : apps
  }

  /** A signed-in caller's view includes `viewer` (what they may do, whether they voted). */
  async function loadApplication(id: string): Promise<Result> {
    if (application.value?.id !== id) {
      application.value = null
    }
    const result = await attempt(() => grantsApi.getApplication(id))
    if (!result.ok) {
      return result
    }
    application.value = result.value.application
    if (result.value.application.viewer.voted) {
      voted.value = new Set([...voted.value, id])
    }
    return ok()
  }

  /** Votes for an application: its count updates wherever it is shown; a repeat is no error. */
  async function support(id: string): Promise<Result<grantsApi.SupportResponse>> {
    const result = await attemptSignedIn(() => grantsApi.supportApplication(id))
    if (!result.ok) {
      return result
    }
    const count = result.value.support_count
    voted.value = new Set([...voted.value, id])
    callApplications.value = callApplications.value.map((a) => (a.id === id ? { ...a, support_count: count } : a))
    if (application.value?.id === id) {
      application.value = { ...application.value, support_count: count, viewer: { ...application.value.viewer, voted: true } }
    }
    return ok(result.value)
  }

  const hasVoted = (id: string) => voted.value.has(id)

  return { calls, callsLoaded, call, callApplications, application, loadCalls, loadCall, loadApplication, support, hasVoted }
})
