/**
 * 项目申报管理 for fund admins: calls (create; cancelled ones listed too), one call's submitted
 * applications with eligibility, its review meetings, the reviewer pool (citizen applications to
 * approve or reject, experts to add, conflicts to declare), and one meeting: its panels, the
 * assignment (a dry run to preview, or written), the ranking with the budget-fill proposal and
 * each application's scores, and the decisions on it (approve an amount or reject, within the
 * budget: the server's conditional UPDATE decides; this store only previews the total).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as grantsApi from '@/api/grants'
import { fromZonedInput } from '@/time/zone'
import { parseYuanToFen, type YuanParseError } from '@/composables/useMoney'
import { attemptSignedIn } from './auth'
import { ok, type Result } from './result'

/** What the new-call form holds, as typed (money in yuan, times as datetime-local text). */
export interface CallForm {
  title: string
  description: string
  project_types: string[]
  budget: string
  cap: string
  opens: string
  closes: string
  support_closes: string
  funding_modes: grantsApi.FundingMode[]
  min_cofunding_pct: string
  experts: string
  citizens: string
  rubric: { criterion: string; weight: string }[]
}

export type CallProblem = {
  field: string
  problem: YuanParseError | 'required' | 'invalid_time' | 'closes_before_opens' | 'support_before_closes' | 'types_required' | 'modes_required' | 'out_of_range'
  min?: number
  max?: number
}

function wholeIn(text: string, min: number, max: number): number | null {
  const value = text.trim()
  if (!/^\d{1,3}$/.test(value)) {
    return null
  }
  const n = Number(value)
  return n >= min && n <= max ? n : null
}

/**
 * The request for a new call, or every problem found, by the server's field names
 * (`budget_fen`, `panel.experts`, `rubric[1].weight`). The server checks the same rules again.
 */
export function buildCallInput(form: CallForm): { ok: true; body: grantsApi.CallInput } | { ok: false; problems: CallProblem[] } {
  const problems: CallProblem[] = []
  const money = (field: string, text: string): number => {
    const parsed = parseYuanToFen(text)
    if (!parsed.ok) {
      problems.push({ field, problem: parsed.error })
      return 0
    }
    return parsed.fen
  }
  const time = (field: string, text: string, optional = false): number | null => {
    if (optional && text.trim() === '') {
      return null
    }
    const ms = fromZonedInput(text)
    if (ms === null) {
      problems.push({ field, problem: 'invalid_time' })
    }
    return ms
  }
  const int = (field: string, text: string, min: number, max: number): number => {
    const n = wholeIn(text, min, max)
    if (n === null) {
      problems.push({ field, problem: 'out_of_range', min, max })
      return 0
    }
    return n
  }
  const title = form.title.trim()
  if (title === '') {
    problems.push({ field: 'title', problem: 'required' })
  }
  if (form.project_types.length === 0) {
    problems.push({ field: 'project_types', problem: 'types_required' })
  }
  if (form.funding_modes.length === 0) {
    problems.push({ field: 'funding_modes', problem: 'modes_required' })
  }
  const budget = money('budget_fen', form.budget)
  const cap = money('cap_fen', form.cap)
  const opens = time('opens_at_ms', form.opens)
  const closes = time('closes_at_ms', form.closes)
  const supportCloses = time('support_closes_at_ms', form.support_closes, true)
  if (opens !== null && closes !== null && closes <= opens) {
    problems.push({ field: 'closes_at_ms', problem: 'closes_before_opens' })
  }
  if (closes !== null && supportCloses !== null && supportCloses < closes) {
    problems.push({ field: 'support_closes_at_ms', problem: 'support_before_closes' })
  }
  const joint = form.funding_modes.includes('joint')
  const minCofunding = joint ? int('min_cofunding_pct', form.min_cofunding_pct, 0, 100) : 0
  const experts = int('panel.experts', form.experts, 0, 9)
  const citizens = int('panel.citizens', form.citizens, 0, 9)
  const rubric: grantsApi.RubricLine[] = []
  form.rubric.forEach((line, i) => {
    if (line.criterion.trim() === '' && line.weight.trim() === '') {
      return
    }
    if (line.criterion.trim() === '') {
      problems.push({ field: `rubric[${i}].criterion`, problem: 'required' })
    }
    rubric.push({ criterion: line.criterion.trim(), weight: int(`rubric[${i}].weight`, line.weight, 1, 100) })
  })
  if (rubric.length === 0) {
    problems.push({ field: 'rubric[0].criterion', problem: 'required' })
  }
  if (problems.length > 0 || opens === null || closes === null) {
    return { ok: false, problems }
  }
  return {
    ok: true,
    body: {
      title,
      ...(form.description.trim() === '' ? {} : { description: form.description.trim() }),
      project_types: [...form.project_types],
      budget_fen: budget,
      cap_fen: cap,
      opens_at_ms: opens,
      closes_at_ms: closes,
      ...(supportCloses === null ? {} : { support_closes_at_ms: supportCloses }),
      funding_modes: [...form.funding_modes],
      ...(joint ? { min_cofunding_pct: minCofunding } : {}),
      panel: { experts, citizens },
      rubric,
    },
  }
}

export interface Panel {
  application_id: string
  title: string
  project_type: string
  seats: grantsApi.Seat[]
}

/** Seats grouped into one panel per application, in the order the seats come (the server's). */
export function panelsOf(seats: readonly grantsApi.Seat[]): Panel[] {
  const panels = new Map<string, Panel>()
  for (const seat of seats) {
    let panel = panels.get(seat.application_id)
    if (panel === undefined) {
      panel = { application_id: seat.application_id, title: seat.application_title, project_type: seat.project_type, seats: [] }
      panels.set(seat.application_id, panel)
    }
    panel.seats.push(seat)
  }
  for (const panel of panels.values()) {
    panel.seats.sort((a, b) => (a.kind === b.kind ? a.seat_no - b.seat_no : a.kind === 'expert' ? -1 : 1))
  }
  return [...panels.values()]
}

/** Whether the eligibility of a call's applications may be decided now (after the close). */
export function eligibilityOpen(call: Pick<grantsApi.Call, 'closes_at_ms'>, nowMs: number): boolean {
  return nowMs >= call.closes_at_ms
}

/** The most an approval may award: the request, at most the call's cap (the server's rule). */
export function awardLimitFen(requestedFen: number, capFen: number): number {
  return capFen > 0 ? Math.min(requestedFen, capFen) : requestedFen
}

/**
 * The call's total awarded once this decision replaces the application's current award
 * (`currentFen`, 0 when undecided or rejected): what the budget line previews while typing.
 */
export function awardedAfterFen(callAwardedFen: number, currentFen: number, newFen: number): number {
  return callAwardedFen - currentFen + newFen
}

/** Ranking rows still waiting for a decision (the notice is refused while any is left). */
export function undecidedCount(rows: readonly Pick<grantsApi.RankingRow, 'status'>[]): number {
  return rows.filter((r) => r.status === 'under_review').length
}

export const useGrantsAdminStore = defineStore('grantsAdmin', () => {
  const calls = ref<grantsApi.Call[]>([])
  /** The server's clock at the last call answer (decides eligibility's availability). */
  const nowMs = ref(Date.now())
  const call = ref<grantsApi.Call | null>(null)
  const applications = ref<grantsApi.ApplicationSummary[]>([])
  const meetings = ref<grantsApi.Meeting[]>([])
  const reviewers = ref<grantsApi.Reviewer[]>([])
  const meeting = ref<grantsApi.Meeting | null>(null)
  const meetingCall = ref<grantsApi.Call | null>(null)
  /** The meeting's call's applications, by id (titles for the shortfalls, which name only ids). */
  const meetingApps = ref<Record<string, grantsApi.ApplicationSummary>>({})
  const assignments = ref<grantsApi.Seat[]>([])
  /** The last assignment run's answer (a dry run's panels are shown from it, not from `assignments`). */
  const outcome = ref<grantsApi.AssignOutcome | null>(null)
  const ranking = ref<grantsApi.Ranking | null>(null)
  const scores = ref<Record<string, { scores: grantsApi.ApplicationScores; reviews: grantsApi.ReviewRow[] }>>({})

  const pendingReviewers = computed(() => reviewers.value.filter((r) => r.status === 'applied'))
  const approvedReviewers = computed(() => reviewers.value.filter((r) => r.status === 'approved'))
  const panels = computed(() => panelsOf(outcome.value?.dry_run ? outcome.value.assignments : assignments.value))

  const run = attemptSignedIn

  async function loadCalls(): Promise<Result> {
    const result = await run(grantsApi.listCalls)
    if (!result.ok) {
      return result
    }
    calls.value = result.value.calls
    nowMs.value = result.value.now_ms
    return ok()
  }

  async function createCall(body: grantsApi.CallInput): Promise<Result<grantsApi.Call>> {
    const result = await run(() => grantsApi.createCall(body))
    if (!result.ok) {
      return result
    }
    calls.value = [result.value.call, ...calls.value]
    return ok(result.value.call)
  }

  /** The call, every submitted application of it, and its meetings. */
  async function loadCall(id: string): Promise<Result> {
    if (call.value?.id !== id) {
      call.value = null
      applications.value = []
      meetings.value = []
    }
    const [got, apps, meets] = await Promise.all([
      run(() => grantsApi.getCall(id)),
      run(() => grantsApi.listCallApplications(id)),
      run(() => grantsApi.listMeetings(id)),
    ])
    if (!got.ok) {
      return got
    }
    call.value = got.value.call
    nowMs.value = got.value.now_ms
    if (apps.ok) {
      applications.value = apps.value.applications
    }
    if (meets.ok) {
      meetings.value = meets.value.meetings
    }
    return !apps.ok ? apps : !meets.ok ? meets : ok()
  }

  async function setEligibility(id: string, eligible: boolean, note: string): Promise<Result<grantsApi.Application>> {
    const result = await run(() => grantsApi.setEligibility(id, eligible, note))
    if (!result.ok) {
      return result
    }
    const app = result.value.application
    applications.value = applications.value.map((a) => (a.id === app.id ? { ...a, status: app.status } : a))
    return ok(app)
  }

  async function createMeeting(body: grantsApi.MeetingInput): Promise<Result<grantsApi.Meeting>> {
    const result = await run(() => grantsApi.createMeeting(body))
    if (!result.ok) {
      return result
    }
    meetings.value = [...meetings.value, result.value.meeting]
    return ok(result.value.meeting)
  }

  async function loadPool(): Promise<Result> {
    const result = await run(() => grantsApi.listReviewers())
    if (!result.ok) {
      return result
    }
    reviewers.value = result.value.reviewers
    return ok()
  }

  function replaceReviewer(reviewer: grantsApi.Reviewer): void {
    reviewers.value = reviewers.value.some((r) => r.id === reviewer.id)
      ? reviewers.value.map((r) => (r.id === reviewer.id ? reviewer : r))
      : [...reviewers.value, reviewer]
  }

  async function decideReviewer(id: string, approve: boolean): Promise<Result<grantsApi.Reviewer>> {
    const result = await run(() => (approve ? grantsApi.approveReviewer(id) : grantsApi.rejectReviewer(id)))
    if (!result.ok) {
      return result
    }
    replaceReviewer(result.value.reviewer)
    return ok(result.value.reviewer)
  }

  async function addExpert(body: grantsApi.AddExpertRequest): Promise<Result<grantsApi.Reviewer>> {
    const result = await run(() => grantsApi.addExpert(body))
    if (!result.ok) {
      return result
    }
    replaceReviewer(result.value.reviewer)
    return ok(result.value.reviewer)
  }

  const declareConflict = (reviewerId: string, body: grantsApi.ConflictRequest) => run(() => grantsApi.declareConflict(reviewerId, body))

  async function loadMeeting(id: string): Promise<Result> {
    if (meeting.value?.id !== id) {
      meeting.value = null
      meetingCall.value = null
      meetingApps.value = {}
      assignments.value = []
      outcome.value = null
      ranking.value = null
      scores.value = {}
    }
    const result = await run(() => grantsApi.getMeeting(id))
    if (!result.ok) {
      return result
    }
    meeting.value = result.value.meeting
    meetingCall.value = result.value.call
    assignments.value = result.value.assignments
    await loadMeetingApps(result.value.call.id)
    return ok()
  }

  async function loadMeetingApps(callId: string): Promise<void> {
    const apps = await run(() => grantsApi.listCallApplications(callId))
    if (apps.ok) {
      meetingApps.value = Object.fromEntries(apps.value.applications.map((a) => [a.id, a]))
    }
  }

  /** Runs the assignment; written (not a dry run), its seats become the meeting's. */
  async function assign(dryRun: boolean): Promise<Result<grantsApi.AssignOutcome>> {
    const id = meeting.value?.id
    if (id === undefined) {
      throw new Error('grantsAdmin.assign before loadMeeting')
    }
    const result = await run(() => grantsApi.assignMeeting(id, dryRun))
    if (!result.ok) {
      return result
    }
    outcome.value = result.value
    if (!dryRun) {
      meeting.value = result.value.meeting
      const written = await run(() => grantsApi.getMeeting(id))
      assignments.value = written.ok ? written.value.assignments : result.value.assignments
    }
    return ok(result.value)
  }

  async function loadRanking(): Promise<Result> {
    const id = meeting.value?.id
    if (id === undefined) {
      throw new Error('grantsAdmin.loadRanking before loadMeeting')
    }
    const result = await run(() => grantsApi.getRanking(id))
    if (!result.ok) {
      return result
    }
    ranking.value = result.value
    return ok()
  }

  async function loadScores(applicationId: string): Promise<Result> {
    const result = await run(() => grantsApi.getApplicationScores(applicationId))
    if (!result.ok) {
      return result
    }
    scores.value = { ...scores.value, [applicationId]: result.value }
    return ok()
  }

  /**
   * Approves (with an amount) or rejects one application of the meeting's call; then the
   * ranking is read again, so the call's awarded total is the server's. When someone else
   * decided it meanwhile (`grants.decision_changed`) the decisions are read again too.
   */
  async function decide(applicationId: string, body: grantsApi.DecisionRequest): Promise<Result<grantsApi.Application>> {
    const result = await run(() => grantsApi.decideApplication(applicationId, body))
    if (!result.ok) {
      if (result.error.code === 'grants.decision_changed' && meetingCall.value !== null) {
        await Promise.all([loadMeetingApps(meetingCall.value.id), loadRanking()])
      }
      return result
    }
    const app = result.value.application
    // Read the ranking first, so the decision line and the awarded total change together.
    await loadRanking()
    meetingApps.value = { ...meetingApps.value, [app.id]: app }
    return ok(app)
  }

  return {
    calls,
    nowMs,
    call,
    applications,
    meetings,
    reviewers,
    pendingReviewers,
    approvedReviewers,
    meeting,
    meetingCall,
    meetingApps,
    assignments,
    outcome,
    panels,
    ranking,
    scores,
    loadCalls,
    createCall,
    loadCall,
    setEligibility,
    createMeeting,
    loadPool,
    decideReviewer,
    addExpert,
    declareConflict,
    loadMeeting,
    assign,
    loadRanking,
    loadScores,
    decide,
  }
})
