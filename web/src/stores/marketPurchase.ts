/**
 * Buying a project (rural villages only): quote requests and quotes (a village asks, the
 * organisation quotes a milestone schedule, the village accepts or declines), contracts (the
 * collective decision, the notice and its objections, milestone reports, acceptance and payment,
 * amendments, the village's evaluation), a resident's rating, and a village's public page
 * (村务公开). Every contract action answers the whole contract, which replaces the one shown and
 * its row in a loaded list. `buildSchedule` is the one place turning a typed milestone schedule
 * (yuan text, `YYYY-MM-DD`) into the request, with the sum check the server also makes.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/marketPurchase'
import { uploadImage } from '@/api/media'
import { parseYuanToFen, type YuanParseError } from '@/composables/useMoney'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { fromZonedDate } from '@/time/zone'
import { ok, type Result } from './result'

export type {
  Amendment,
  Contract,
  ContractMilestone,
  ContractStatus,
  Decision,
  DecisionInput,
  MilestoneInput,
  MilestoneStatus,
  Objection,
  PartyScope,
  PublicContract,
  Quote,
  QuoteMilestone,
  QuoteRequest,
  StarsInput,
  VillagePublic,
} from '@/api/marketPurchase'
export { MEETING_KINDS } from '@/api/marketPurchase'

/** The most milestones a schedule may have (docs: 1–12). */
export const MAX_MILESTONES = 12

/** One milestone row as typed: yuan text and a `YYYY-MM-DD` date. */
export interface MilestoneRow {
  title: string
  due: string
  amount: string
  deliverables: string
}

export type ScheduleProblem = 'required' | 'invalid_date' | 'order' | 'count' | 'sum' | YuanParseError

/** A typed schedule as the request wants it, or the problems by the server's field names. */
export type ScheduleBuild = { ok: true; amount_fen: number; milestones: api.MilestoneInput[] } | { ok: false; problems: Record<string, ScheduleProblem>; sum_fen: number }

export const emptyMilestone = (): MilestoneRow => ({ title: '', due: '', amount: '', deliverables: '' })

/** The sum of the rows' amounts that parse, in fen (the live total under the form). */
export function rowsTotalFen(rows: readonly MilestoneRow[]): number {
  return rows.reduce((sum, row) => {
    const parsed = parseYuanToFen(row.amount)
    return parsed.ok ? sum + parsed.fen : sum
  }, 0)
}

/**
 * Checks a schedule the way the server does — 1–12 milestones, each titled with a date and an
 * amount, dates ascending, amounts adding up to the total — naming each problem by the field the
 * server would name (`amount_fen`, `milestones[1].due_ms`, `milestones`).
 */
export function buildSchedule(amountText: string, rows: readonly MilestoneRow[]): ScheduleBuild {
  const problems: Record<string, ScheduleProblem> = {}
  const total = parseYuanToFen(amountText)
  if (!total.ok) {
    problems.amount_fen = total.error
  }
  if (rows.length < 1 || rows.length > MAX_MILESTONES) {
    problems.milestones = 'count'
  }
  const milestones: api.MilestoneInput[] = []
  let lastDue = -Infinity
  rows.forEach((row, i) => {
    const at = `milestones[${i}]`
    if (row.title.trim() === '') {
      problems[`${at}.title`] = 'required'
    }
    const due = fromZonedDate(row.due)
    if (due === null) {
      problems[`${at}.due_ms`] = 'invalid_date'
    } else if (due < lastDue) {
      problems[`${at}.due_ms`] = 'order'
    }
    lastDue = due ?? lastDue
    const amount = parseYuanToFen(row.amount)
    if (!amount.ok) {
      problems[`${at}.amount_fen`] = amount.error
    }
    milestones.push({
      title: row.title.trim(),
      due_ms: due ?? 0,
      amount_fen: amount.ok ? amount.fen : 0,
      ...(row.deliverables.trim() === '' ? {} : { deliverables: row.deliverables.trim() }),
    })
  })
  const sum = rowsTotalFen(rows)
  const amountsParse = rows.every((_, i) => problems[`milestones[${i}].amount_fen`] === undefined)
  if (total.ok && amountsParse && problems.milestones === undefined && sum !== total.fen) {
    problems.milestones = 'sum'
  }
  if (!total.ok || Object.keys(problems).length > 0) {
    return { ok: false, problems, sum_fen: sum }
  }
  return { ok: true, amount_fen: total.fen, milestones }
}

/** A schedule back as rows (an amendment starts from the contract's milestones). */
export function rowsFrom(milestones: readonly { title: string; due_ms: number; amount_fen: number; deliverables?: string }[], dayText: (ms: number) => string, yuanText: (fen: number) => string): MilestoneRow[] {
  return milestones.map((m) => ({ title: m.title, due: dayText(m.due_ms), amount: yuanText(m.amount_fen), deliverables: m.deliverables ?? '' }))
}

export const useMarketPurchaseStore = defineStore('marketPurchase', () => {
  const requests = ref<api.QuoteRequest[]>([])
  const request = ref<api.QuoteRequest | null>(null)
  const contracts = ref<api.Contract[]>([])
  const contract = ref<api.Contract | null>(null)
  const village = ref<api.VillagePublic | null>(null)

  // Requests and contracts are their parties' own: not for the next account.
  const auth = useAuthStore()
  watch(
    () => auth.user?.id ?? null,
    () => {
      requests.value = []
      request.value = null
      contracts.value = []
      contract.value = null
    },
  )

  /** Runs a call (signed in unless told); its answer goes where `set` puts it. */
  const read = readInto

  const loadRequests = (scope: api.PartyScope) => read(() => api.listQuoteRequests(scope), (v) => (requests.value = v.quote_requests))
  const loadRequest = (id: string) => read(() => api.getQuoteRequest(id), (v) => setRequest(v.quote_request))
  const loadContracts = (scope: api.PartyScope) => read(() => api.listContracts(scope), (v) => (contracts.value = v.contracts))
  const loadContract = (id: string) => read(() => api.getContract(id), (v) => setContract(v.contract))
  const loadVillage = (villageId: number) => read(() => api.getVillagePublic(villageId), (v) => (village.value = v), false)

  function setRequest(next: api.QuoteRequest): void {
    request.value = next
    requests.value = requests.value.map((r) => (r.id === next.id ? next : r))
  }

  async function requestQuote(input: api.QuoteRequestInput): Promise<Result<api.QuoteRequest>> {
    const result = await attemptSignedIn(() => api.createQuoteRequest(input))
    if (!result.ok) {
      return result
    }
    request.value = result.value.quote_request
    requests.value = [result.value.quote_request, ...requests.value]
    return ok(result.value.quote_request)
  }

  const withdrawRequest = (id: string) => read(() => api.withdrawQuoteRequest(id), (v) => setRequest(v.quote_request))

  /** A quote, then the request read again (its quotes, the one superseded). */
  async function submitQuote(input: api.QuoteInput): Promise<Result<api.Quote>> {
    const result = await attemptSignedIn(() => api.createQuote(input))
    if (!result.ok) {
      return result
    }
    await loadRequest(input.quote_request_id)
    return ok(result.value.quote)
  }

  async function acceptQuote(quoteId: string): Promise<Result<api.Contract>> {
    const result = await attemptSignedIn(() => api.acceptQuote(quoteId))
    if (!result.ok) {
      return result
    }
    setContract(result.value.contract)
    return ok(result.value.contract)
  }

  async function declineQuote(requestId: string, quoteId: string, reason: string): Promise<Result> {
    const result = await attemptSignedIn(() => api.declineQuote(quoteId, reason))
    if (!result.ok) {
      return result
    }
    await loadRequest(requestId)
    return ok()
  }

  function setContract(next: api.Contract): void {
    contract.value = next
    contracts.value = contracts.value.map((c) => (c.id === next.id ? next : c))
  }

  /** Runs a contract action; its answer replaces the contract shown. */
  const act = (call: () => Promise<{ contract: api.Contract }>) => read(call, (v) => setContract(v.contract))

  const recordDecision = (id: string, input: api.DecisionInput) => act(() => api.recordDecision(id, input))
  const answerObjection = (id: string, objectionId: api.ItemId, answer: string) => act(() => api.answerObjection(id, objectionId, answer))
  const reportMilestone = (id: string, n: number, input: api.ReportInput) => act(() => api.reportMilestone(id, n, input))
  const acceptMilestone = (id: string, n: number) => act(() => api.acceptMilestone(id, n))
  const returnMilestone = (id: string, n: number, reason: string) => act(() => api.returnMilestone(id, n, reason))
  const recordPayment = (id: string, input: api.PaymentInput) => act(() => api.recordPayment(id, input))
  const proposeAmendment = (id: string, input: api.AmendmentInput) => act(() => api.proposeAmendment(id, input))
  const decideAmendment = (id: string, amendmentId: api.ItemId, accept: boolean) => act(() => api.decideAmendment(id, amendmentId, accept))
  const evaluate = (id: string, input: api.StarsInput) => act(() => api.evaluateContract(id, input))

  /** An objection; the contract (or the village page) it was filed on is read again. */
  async function fileObjection(id: string, text: string): Promise<Result> {
    const result = await attemptSignedIn(() => api.fileObjection(id, text))
    if (!result.ok) {
      return result
    }
    if (contract.value?.id === id) {
      await loadContract(id)
    }
    if (village.value !== null) {
      await loadVillage(village.value.village.id)
    }
    return ok()
  }

  async function rate(id: string, input: api.StarsInput): Promise<Result> {
    const result = await attemptSignedIn(() => api.rateContract(id, input))
    return result.ok ? ok() : result
  }

  /** A minutes image (the decision form). */
  const uploadMinutes = (file: Blob) => attemptSignedIn(() => uploadImage(file))

  return {
    requests,
    request,
    contracts,
    contract,
    village,
    loadRequests,
    loadRequest,
    requestQuote,
    withdrawRequest,
    submitQuote,
    acceptQuote,
    declineQuote,
    loadContracts,
    loadContract,
    recordDecision,
    fileObjection,
    answerObjection,
    reportMilestone,
    acceptMilestone,
    returnMilestone,
    recordPayment,
    proposeAmendment,
    decideAmendment,
    evaluate,
    rate,
    loadVillage,
    uploadMinutes,
  }
})
