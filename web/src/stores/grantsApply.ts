/**
 * 项目申报 for organisation staff (`org_staff`): their organisations' applications, and the
 * application form — saved as a draft (POST once, with one `Idempotency-Key` per create attempt,
 * then PUT), submitted (the server's automatic checks answer 422 naming the field at fault), or
 * withdrawn. `buildDraft` is the one place turning what the form holds (yuan as typed) into the
 * request body (integer fen), and `formFromApplication` the way back for editing.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as grantsApi from '@/api/grants'
import { parseYuanToFen, type YuanParseError } from '@/composables/useMoney'
import { fromZonedDate, toZonedDate } from '@/time/zone'
import { attemptSignedIn } from './auth'
import { newIdempotencyKey } from './donation'
import { attempt, ok, type Result } from './result'

/** A budget line as typed: the amount in yuan text. */
export interface BudgetLineForm {
  item: string
  amount: string
}

export interface CoFunderForm {
  name: string
  share: string
}

/** What the application form holds, as typed. */
export interface ApplicationForm {
  org_id: number | null
  title: string
  project_type: string
  villages: number[]
  beneficiaries: string
  beneficiary_count: string
  summary: string
  goals: string
  indicators: string
  activities: string
  /** `YYYY-MM-DD` (a date input), or ''. */
  starts: string
  ends: string
  budget_lines: BudgetLineForm[]
  requested: string
  funding_mode: grantsApi.FundingMode
  co_funders: CoFunderForm[]
  partner_name: string
  in_kind_note: string
  in_kind: string
}

export function emptyForm(): ApplicationForm {
  return {
    org_id: null,
    title: '',
    project_type: '',
    villages: [],
    beneficiaries: '',
    beneficiary_count: '',
    summary: '',
    goals: '',
    indicators: '',
    activities: '',
    starts: '',
    ends: '',
    budget_lines: [{ item: '', amount: '' }],
    requested: '',
    funding_mode: 'full',
    co_funders: [],
    partner_name: '',
    in_kind_note: '',
    in_kind: '',
  }
}

/** Why a typed value was refused, by the server's field name (`budget_lines[1].amount_fen`). */
export type FormProblem = { field: string; problem: YuanParseError | 'required' | 'invalid_count' | 'invalid_date' | 'ends_before_start' }

const isBlank = (text: string) => text.trim() === ''

/**
 * The budget lines' total in fen as typed; blank lines count for nothing and `invalid` lists the
 * lines whose amount cannot be read (their amounts are left out of the total).
 */
export function linesTotal(lines: readonly BudgetLineForm[]): { total_fen: number; invalid: number[] } {
  let total = 0
  const invalid: number[] = []
  lines.forEach((line, index) => {
    if (isBlank(line.amount)) {
      return
    }
    const parsed = parseYuanToFen(line.amount)
    if (parsed.ok) {
      total += parsed.fen
    } else {
      invalid.push(index)
    }
  })
  return { total_fen: total, invalid }
}

const fenText = (fen: number) => {
  const yuan = String(Math.trunc(fen / 100))
  const cents = fen % 100
  return cents === 0 ? yuan : `${yuan}.${String(cents).padStart(2, '0')}`
}

/**
 * The draft to send, or every problem found. Blank budget and co-funder rows are dropped (a row
 * half filled is a problem); co-funders go only with `joint`, the partner and in-kind help only
 * with `cooperative` (the server would keep them otherwise).
 */
export function buildDraft(form: ApplicationForm): { ok: true; body: grantsApi.ApplicationDraft } | { ok: false; problems: FormProblem[] } {
  const problems: FormProblem[] = []
  const money = (field: string, text: string, optional = false): number => {
    if (optional && isBlank(text)) {
      return 0
    }
    const parsed = parseYuanToFen(text)
    if (!parsed.ok) {
      problems.push({ field, problem: parsed.error })
      return 0
    }
    return parsed.fen
  }
  const required = (field: string, text: string): string => {
    if (isBlank(text)) {
      problems.push({ field, problem: 'required' })
    }
    return text.trim()
  }

  const title = required('title', form.title)
  const projectType = required('project_type', form.project_type)
  let count = 0
  if (!isBlank(form.beneficiary_count)) {
    if (/^\d{1,8}$/.test(form.beneficiary_count.trim())) {
      count = Number(form.beneficiary_count.trim())
    } else {
      problems.push({ field: 'beneficiary_count', problem: 'invalid_count' })
    }
  }
  const startsMs = isBlank(form.starts) ? null : fromZonedDate(form.starts)
  const endsMs = isBlank(form.ends) ? null : fromZonedDate(form.ends)
  if (!isBlank(form.starts) && startsMs === null) {
    problems.push({ field: 'starts_at_ms', problem: 'invalid_date' })
  }
  if (!isBlank(form.ends) && endsMs === null) {
    problems.push({ field: 'ends_at_ms', problem: 'invalid_date' })
  }
  if (startsMs !== null && endsMs !== null && endsMs < startsMs) {
    problems.push({ field: 'ends_at_ms', problem: 'ends_before_start' })
  }
  const lines: grantsApi.BudgetLine[] = []
  form.budget_lines.forEach((line, i) => {
    if (isBlank(line.item) && isBlank(line.amount)) {
      return
    }
    const item = required(`budget_lines[${i}].item`, line.item)
    const amount = money(`budget_lines[${i}].amount_fen`, line.amount)
    lines.push({ item, amount_fen: amount })
  })
  const requested = money('requested_fen', form.requested)
  const coFunders: grantsApi.CoFunder[] = []
  if (form.funding_mode === 'joint') {
    form.co_funders.forEach((c, i) => {
      if (isBlank(c.name) && isBlank(c.share)) {
        return
      }
      const name = required(`co_funders[${i}].name`, c.name)
      const share = money(`co_funders[${i}].share_fen`, c.share)
      coFunders.push({ name, org_id: null, share_fen: share })
    })
  }
  const cooperative = form.funding_mode === 'cooperative'
  const inKind = cooperative ? money('in_kind_fen', form.in_kind, true) : 0
  if (problems.length > 0) {
    return { ok: false, problems }
  }
  return {
    ok: true,
    body: {
      title,
      project_type: projectType,
      villages: [...form.villages],
      beneficiaries: form.beneficiaries.trim(),
      beneficiary_count: count,
      summary: form.summary.trim(),
      goals: form.goals.trim(),
      indicators: form.indicators.trim(),
      activities: form.activities.trim(),
      ...(startsMs === null ? {} : { starts_at_ms: startsMs }),
      ...(endsMs === null ? {} : { ends_at_ms: endsMs }),
      budget_lines: lines,
      requested_fen: requested,
      funding_mode: form.funding_mode,
      co_funders: coFunders,
      partner_name: cooperative ? form.partner_name.trim() : '',
      in_kind_note: cooperative ? form.in_kind_note.trim() : '',
      in_kind_fen: inKind,
    },
  }
}

/** The form for editing a saved application. */
export function formFromApplication(app: grantsApi.Application): ApplicationForm {
  return {
    org_id: app.org.id,
    title: app.title,
    project_type: app.project_type,
    villages: [...app.villages],
    beneficiaries: app.beneficiaries,
    beneficiary_count: app.beneficiary_count === 0 ? '' : String(app.beneficiary_count),
    summary: app.summary,
    goals: app.goals,
    indicators: app.indicators,
    activities: app.activities,
    starts: app.starts_at_ms === null ? '' : toZonedDate(app.starts_at_ms),
    ends: app.ends_at_ms === null ? '' : toZonedDate(app.ends_at_ms),
    budget_lines: app.budget_lines.length === 0 ? [{ item: '', amount: '' }] : app.budget_lines.map((l) => ({ item: l.item, amount: fenText(l.amount_fen) })),
    requested: app.requested_fen === 0 ? '' : fenText(app.requested_fen),
    funding_mode: app.funding_mode,
    co_funders: app.co_funders.map((c) => ({ name: c.name, share: fenText(c.share_fen) })),
    partner_name: app.partner_name,
    in_kind_note: app.in_kind_note,
    in_kind: app.in_kind_fen === 0 ? '' : fenText(app.in_kind_fen),
  }
}

export const useGrantsApplyStore = defineStore('grantsApply', () => {
  const mine = ref<grantsApi.ApplicationSummary[]>([])
  const mineLoaded = ref(false)
  /** The call the form applies to. */
  const call = ref<grantsApi.Call | null>(null)
  /** The application being edited (null for a new one until its first save). */
  const current = ref<grantsApi.Application | null>(null)

  /**
   * One create attempt = one key, kept until the draft exists: a double tap or a retry after a
   * lost answer creates one draft. The server answers a replay with the first draft, so when the
   * form changed in between, the current content follows as an amendment.
   */
  let createAttempt: { key: string; body: string } | null = null

  async function loadMine(): Promise<Result> {
    const result = await attemptSignedIn(grantsApi.listMyApplications)
    if (!result.ok) {
      return result
    }
    mine.value = result.value.applications
    mineLoaded.value = true
    return ok()
  }

  /** A new form for `callId`: its call, no application yet. */
  async function startNew(callId: string): Promise<Result<grantsApi.Call>> {
    current.value = null
    createAttempt = null
    const result = await attempt(() => grantsApi.getCall(callId))
    if (!result.ok) {
      return result
    }
    call.value = result.value.call
    return ok(result.value.call)
  }

  /** An existing application (its call too, for the types and modes it allows). */
  async function loadForEdit(id: string): Promise<Result<grantsApi.Application>> {
    createAttempt = null
    const got = await attemptSignedIn(() => grantsApi.getApplication(id))
    if (!got.ok) {
      return got
    }
    current.value = got.value.application
    const callResult = await attempt(() => grantsApi.getCall(got.value.application.call_id))
    if (!callResult.ok) {
      return callResult
    }
    call.value = callResult.value.call
    return ok(got.value.application)
  }

  function remember(app: grantsApi.Application): grantsApi.Application {
    current.value = app
    const summary: grantsApi.ApplicationSummary = app
    mine.value = mine.value.some((a) => a.id === app.id) ? mine.value.map((a) => (a.id === app.id ? summary : a)) : [summary, ...mine.value]
    return app
  }

  /** Saves the draft: created the first time (for `orgId` in the current call), amended after. */
  async function save(body: grantsApi.ApplicationDraft, orgId: number): Promise<Result<grantsApi.Application>> {
    if (current.value !== null) {
      const id = current.value.id
      const amended = await attemptSignedIn(() => grantsApi.amendApplication(id, body))
      return amended.ok ? ok(remember(amended.value.application)) : amended
    }
    if (call.value === null) {
      throw new Error('grantsApply.save before startNew')
    }
    const request: grantsApi.CreateApplicationRequest = { call_id: call.value.id, org_id: orgId, ...body }
    const fingerprint = JSON.stringify(request)
    if (createAttempt === null) {
      createAttempt = { key: newIdempotencyKey(), body: fingerprint }
    }
    const { key, body: firstBody } = createAttempt
    const created = await attemptSignedIn(() => grantsApi.createApplication(request, key))
    if (!created.ok) {
      return created
    }
    createAttempt = null
    remember(created.value.application)
    if (firstBody === fingerprint) {
      return ok(created.value.application)
    }
    const id = created.value.application.id
    const amended = await attemptSignedIn(() => grantsApi.amendApplication(id, body))
    return amended.ok ? ok(remember(amended.value.application)) : amended
  }

  /** Saves, then submits (422 names the field the automatic checks refused; the draft stays). */
  async function submit(body: grantsApi.ApplicationDraft, orgId: number): Promise<Result<grantsApi.Application>> {
    const saved = await save(body, orgId)
    if (!saved.ok) {
      return saved
    }
    const id = saved.value.id
    const submitted = await attemptSignedIn(() => grantsApi.submitApplication(id))
    return submitted.ok ? ok(remember(submitted.value.application)) : submitted
  }

  async function withdraw(id: string): Promise<Result<grantsApi.Application>> {
    const result = await attemptSignedIn(() => grantsApi.withdrawApplication(id))
    return result.ok ? ok(remember(result.value.application)) : result
  }

  return { mine, mineLoaded, call, current, loadMine, startNew, loadForEdit, save, submit, withdraw }
})
