/**
 * 村居工作台 and 我的村需求调查: a village's needs (post, close, ranked matches) and its needs
 * surveys (open a round, its aggregated results; a resident's answer).
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/market'
import { attemptSignedIn, useAuthStore } from './auth'
import { useRetryKey } from './market'
import { attempt, ok, type Result } from './result'

export type { AgeBand, AnswerInput, Match, Need, NeedInput, NeedSource, Round, RoundInput, RoundResults } from '@/api/market'

/** A need as the need form holds it: text as typed, the budget in yuan, the period as `YYYY-MM-DD`. */
export interface NeedFormValues {
  title: string
  projectType: string
  targetGroup: string
  beneficiaries: string
  budgetMin: string
  budgetMax: string
  from: string
  to: string
  source: api.NeedSource
  roundId: string
  story: string
}

/** What the need form sends: `POST /market/needs` without the village, which the caller adds (or the server knows). */
export type NeedBody = Omit<api.NeedInput, 'village_id'>

/** A blank need form (heard in a survey, as a village's staff mostly post them), with `initial` over it. */
export function needFormValues(initial: Partial<NeedFormValues> = {}): NeedFormValues {
  return {
    title: '',
    projectType: '',
    targetGroup: '',
    beneficiaries: '',
    budgetMin: '',
    budgetMax: '',
    from: '',
    to: '',
    source: 'survey',
    roundId: '',
    story: '',
    ...initial,
  }
}

export const useMarketVillageStore = defineStore('marketVillage', () => {
  const needs = ref<api.Need[]>([])
  const need = ref<api.Need | null>(null)
  const matches = ref<api.Match[]>([])
  const rounds = ref<api.Round[]>([])
  const round = ref<api.Round | null>(null)
  const results = ref<api.RoundResults | null>(null)
  const needKey = useRetryKey()

  const auth = useAuthStore()
  watch(
    () => auth.user?.id ?? null,
    () => {
      rounds.value = []
      round.value = null
      results.value = null
    },
  )

  async function loadNeeds(villageId: number): Promise<Result> {
    const result = await attempt(() => api.listNeeds(villageId))
    if (!result.ok) {
      return result
    }
    needs.value = result.value.needs
    return ok()
  }

  async function loadNeed(id: string): Promise<Result> {
    matches.value = []
    const result = await attempt(() => Promise.all([api.getNeed(id), api.listMatches(id)]))
    if (!result.ok) {
      return result
    }
    need.value = result.value[0].need
    matches.value = result.value[1].matches
    return ok()
  }

  async function createNeed(input: api.NeedInput): Promise<Result<api.Need>> {
    const key = needKey(input)
    const result = await attemptSignedIn(() => api.createNeed(input, key))
    if (!result.ok) {
      return result
    }
    need.value = result.value.need
    needs.value = [result.value.need, ...needs.value]
    return ok(result.value.need)
  }

  async function closeNeed(id: string, status: 'met' | 'closed'): Promise<Result> {
    const result = await attemptSignedIn(() => api.closeNeed(id, status))
    if (!result.ok) {
      return result
    }
    need.value = result.value.need
    needs.value = needs.value.map((n) => (n.id === id ? result.value.need : n))
    return ok()
  }

  /** `villageId` given: all that village's rounds (its staff); else the open rounds of my village. */
  async function loadRounds(villageId?: number): Promise<Result> {
    const result = await attemptSignedIn(() => api.listRounds(villageId))
    if (!result.ok) {
      return result
    }
    rounds.value = result.value.rounds
    return ok()
  }

  async function loadRound(id: string): Promise<Result> {
    const result = await attemptSignedIn(() => api.getRound(id))
    if (!result.ok) {
      return result
    }
    round.value = result.value.round
    return ok()
  }

  async function openRound(input: api.RoundInput): Promise<Result<api.Round>> {
    const result = await attemptSignedIn(() => api.openRound(input))
    if (!result.ok) {
      return result
    }
    rounds.value = [result.value.round, ...rounds.value]
    return ok(result.value.round)
  }

  async function answer(id: string, input: api.AnswerInput): Promise<Result> {
    const result = await attemptSignedIn(() => api.answerRound(id, input))
    if (!result.ok) {
      if (result.error.code === 'market.already_answered' && round.value?.id === id) {
        round.value = { ...round.value, answered: true }
      }
      return result
    }
    round.value = result.value.round
    rounds.value = rounds.value.map((r) => (r.id === id ? result.value.round : r))
    return ok()
  }

  async function loadResults(id: string): Promise<Result> {
    results.value = null
    const result = await attemptSignedIn(() => api.getResults(id))
    if (!result.ok) {
      return result
    }
    results.value = result.value.results
    return ok()
  }

  return { needs, need, matches, rounds, round, results, loadNeeds, loadNeed, createNeed, closeNeed, loadRounds, loadRound, openRound, answer, loadResults }
})
