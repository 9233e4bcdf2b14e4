/**
 * 结果公示 of one grant call: the decided applications in rank order with their amounts and
 * reasons, the budget against the awarded total, and the objections with their answers. Fund
 * admins publish it (once nothing is under review) and answer objections; a signed-in resident
 * files an objection on one result while the window (`objections_close_ms`) is open. The server
 * decides every rule (window, one answer); this store keeps the view in step with its answers.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as grantsApi from '@/api/grants'
import { attemptSignedIn } from './auth'
import { attempt, isNotFound, ok, type Result } from './result'

export type { Decision, Notice, NoticeResult, NoticeView, Objection, ObjectionStatus } from '@/api/grants'

/** An objection's text must have at least this many characters (the server's rule). */
export const OBJECTION_MIN_CHARS = 5

/** Whether objections may still be filed (the server's clock decides; this is the page's view). */
export function objectionsOpen(notice: Pick<grantsApi.Notice, 'objections_close_ms'>, nowMs: number): boolean {
  return nowMs < notice.objections_close_ms
}

export const useGrantsNoticeStore = defineStore('grantsNotice', () => {
  /** The notice of `callId`, or null (not loaded, or not published yet). */
  const view = ref<grantsApi.NoticeView | null>(null)
  const callId = ref<string | null>(null)

  function show(id: string, value: grantsApi.NoticeView | null): void {
    callId.value = id
    view.value = value
  }

  /** The call's notice; `ok(null)` while it is not published (404 `grants.notice_not_found`). */
  async function load(id: string): Promise<Result<grantsApi.NoticeView | null>> {
    if (callId.value !== id) {
      show(id, null)
    }
    const result = await attempt(() => grantsApi.getNotice(id))
    if (!result.ok) {
      if (isNotFound(result.error, 'grants.notice_not_found')) {
        show(id, null)
        return ok(null)
      }
      return result
    }
    show(id, result.value)
    return ok(result.value)
  }

  /** Fund admins: publishes the call's notice (`note` may be empty). */
  async function publish(id: string, note: string): Promise<Result<grantsApi.NoticeView>> {
    const result = await attemptSignedIn(() => grantsApi.publishNotice(id, note))
    if (!result.ok) {
      return result
    }
    show(id, result.value)
    return ok(result.value)
  }

  function replaceObjection(objection: grantsApi.Objection): void {
    const current = view.value
    if (current === null) {
      return
    }
    const known = current.objections.some((o) => o.id === objection.id)
    const objections = known ? current.objections.map((o) => (o.id === objection.id ? objection : o)) : [...current.objections, objection]
    view.value = { ...current, objections }
  }

  async function object(applicationId: string, body: string): Promise<Result<grantsApi.Objection>> {
    const noticeId = view.value?.notice.id
    if (noticeId === undefined) {
      throw new Error('grantsNotice.object before load')
    }
    const result = await attemptSignedIn(() => grantsApi.fileObjection(noticeId, applicationId, body))
    if (!result.ok) {
      return result
    }
    replaceObjection(result.value.objection)
    return ok(result.value.objection)
  }

  async function answer(objectionId: string, upheld: boolean, text: string): Promise<Result<grantsApi.Objection>> {
    const result = await attemptSignedIn(() => grantsApi.answerObjection(objectionId, upheld, text))
    if (!result.ok) {
      return result
    }
    replaceObjection(result.value.objection)
    return ok(result.value.objection)
  }

  return { view, callId, load, publish, object, answer }
})
