/**
 * One application as its page shows it: the application, its message thread, and every action
 * on it — the applicant's (rate once closed, reopen within the window) and the staff's (accept
 * with a worker, refer, decline, close). Each action is one server call returning a `Result`;
 * afterwards `current` holds the application as the server now reports it (from the response, or
 * reloaded when the response does not carry it — a failed reload does not undo a done action).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '@/api/casework'
import { attemptSignedIn } from './auth'
import { ok, type Result } from './result'

export const useCaseworkApplicationStore = defineStore('caseworkApplication', () => {
  const current = ref<api.Application | null>(null)
  const messages = ref<api.Message[]>([])
  /** The application whose messages `messages` holds. */
  const messagesFor = ref<number | null>(null)

  const run = attemptSignedIn

  async function load(id: number): Promise<Result<api.Application>> {
    const result = await run(() => api.getApplication(id))
    if (!result.ok) {
      if (current.value?.id === id) {
        current.value = null
      }
      return result
    }
    current.value = result.value.application
    return ok(result.value.application)
  }

  async function loadMessages(id: number): Promise<Result> {
    if (messagesFor.value !== id) {
      messages.value = []
    }
    const result = await run(() => api.listMessages(id))
    if (!result.ok) {
      return result
    }
    messagesFor.value = id
    messages.value = [...result.value.messages].sort((a, b) => a.created_at_ms - b.created_at_ms || a.id - b.id)
    return ok()
  }

  /** Adds a message to the thread; the application is reloaded for its timeline and status. */
  async function sendMessage(id: number, body: string): Promise<Result<api.Message>> {
    const result = await run(() => api.postMessage(id, body.trim()))
    if (!result.ok) {
      return result
    }
    const message = result.value.message
    if (messagesFor.value === id && !messages.value.some((m) => m.id === message.id)) {
      messages.value = [...messages.value, message]
    }
    await load(id)
    return ok(message)
  }

  /** Runs an action on application `id` and keeps `current` in step with the server. */
  async function act(id: number, call: () => Promise<api.ApplicationEnvelope>, reload = true): Promise<Result<api.Application | null>> {
    const result = await run(call)
    if (!result.ok) {
      return result
    }
    const application = result.value?.application
    if (application) {
      current.value = application
      return ok(application)
    }
    if (!reload) {
      return ok(null)
    }
    const reloaded = await load(id)
    return ok(reloaded.ok ? reloaded.value : null)
  }

  const accept = (id: number, workerUserId: number) => act(id, () => api.acceptApplication(id, workerUserId))
  /** After a referral the application belongs to another organisation: no reload. */
  const refer = (id: number, body: api.ReferRequest) => act(id, () => api.referApplication(id, body), false)
  const decline = (id: number, reason: string) => act(id, () => api.declineApplication(id, reason.trim()))
  const close = (id: number, outcome: string) => act(id, () => api.closeApplication(id, outcome.trim()))

  function rate(id: number, score: number, comment: string): Promise<Result<api.Application | null>> {
    const text = comment.trim()
    return act(id, () => api.rateApplication(id, text === '' ? { score } : { score, comment: text }))
  }

  const reopen = (id: number, reason: string) => act(id, () => api.reopenApplication(id, reason.trim()))

  return { current, messages, messagesFor, load, loadMessages, sendMessage, accept, refer, decline, close, rate, reopen }
})
