/**
 * 服务申请 for residents: the villages and the service catalogue (filtered by village), applying
 * for a service, and the signed-in resident's own applications. `buildApplicationRequest` is the
 * one place that decides what an application sends: sensitive data (health condition, ID number)
 * goes out only with the resident's explicit consent.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '@/api/casework'
import { attemptSignedIn } from './auth'
import { ok, type Result } from './result'

export type {
  Application,
  ApplicationStatus,
  CaseworkService,
  CreateApplicationRequest,
  ForWhom,
  Message,
  OrgStats,
  TimelineEntry,
  TimelineKind,
  Village,
  VillageRef,
} from '@/api/casework'
export { APPLICATION_STATUSES, TIMELINE_KINDS } from '@/api/casework'

/** What the apply form holds, as typed. */
export interface ApplicationForm {
  service_id: number
  for_whom: api.ForWhom
  beneficiary_name: string
  relationship: string
  description: string
  preferred_times: string
  contact_phone: string
  village_id: number | null
  /** The consent checkbox of the sensitive-data step. */
  sensitive_consent: boolean
  health_condition: string
  id_number: string
}

/** An ID number as typed: spaces dropped, a final check letter upper-cased. */
export function normaliseIdNumber(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase()
}

/**
 * The request body for an apply form. Empty optional fields are left out (the server rejects
 * unknown fields, not missing optional ones); the beneficiary is sent only for a family member.
 * Without `sensitive_consent` nothing sensitive is sent, whatever the form still holds; with it,
 * only the sensitive fields actually filled in (and the consent flag only alongside them).
 */
export function buildApplicationRequest(form: ApplicationForm): api.CreateApplicationRequest {
  const body: api.CreateApplicationRequest = {
    service_id: form.service_id,
    for_whom: form.for_whom,
    description: form.description.trim(),
    contact_phone: form.contact_phone.replace(/[\s-]+/g, ''),
  }
  if (form.for_whom === 'family') {
    const name = form.beneficiary_name.trim()
    const relationship = form.relationship.trim()
    if (name !== '') {
      body.beneficiary_name = name
    }
    if (relationship !== '') {
      body.relationship = relationship
    }
  }
  const times = form.preferred_times.trim()
  if (times !== '') {
    body.preferred_times = times
  }
  if (form.village_id !== null) {
    body.village_id = form.village_id
  }
  if (form.sensitive_consent) {
    const sensitive: api.SensitiveInput = {}
    const health = form.health_condition.trim()
    const idNumber = normaliseIdNumber(form.id_number)
    if (health !== '') {
      sensitive.health_condition = health
    }
    if (idNumber !== '') {
      sensitive.id_number = idNumber
    }
    if (Object.keys(sensitive).length > 0) {
      body.sensitive = sensitive
      body.sensitive_consent = true
    }
  }
  return body
}

/** Whether a service covers a village (`villages` empty: every village). */
export function coversVillage(service: api.CaseworkService, villageId: number): boolean {
  return service.villages.length === 0 || service.villages.some((v) => v.id === villageId)
}

export const useCaseworkStore = defineStore('casework', () => {
  const villages = ref<api.Village[]>([])
  const villagesLoaded = ref(false)
  const services = ref<api.CaseworkService[]>([])
  /** The village the catalogue was last loaded for; null = every village. */
  const servicesVillageId = ref<number | null>(null)
  const mine = ref<api.Application[]>([])

  /** Runs one call; a 401 signs out locally. */
  const run = attemptSignedIn

  /** The villages (loaded once per page load). */
  async function loadVillages(): Promise<Result> {
    if (villagesLoaded.value) {
      return ok()
    }
    const result = await run(api.listVillages)
    if (!result.ok) {
      return result
    }
    villages.value = result.value.villages
    villagesLoaded.value = true
    return ok()
  }

  /** The active services, for one village or all. A stale answer (filter changed) is dropped. */
  async function loadServices(villageId: number | null = null): Promise<Result> {
    servicesVillageId.value = villageId
    const result = await run(() => api.listServices(villageId === null ? {} : { village_id: villageId }))
    if (servicesVillageId.value !== villageId) {
      return ok()
    }
    if (!result.ok) {
      return result
    }
    services.value = result.value.services
    return ok()
  }

  /** One service, from the loaded catalogue when it is there. */
  async function getService(id: number): Promise<Result<api.CaseworkService>> {
    const known = services.value.find((s) => s.id === id)
    if (known) {
      return ok(known)
    }
    const result = await run(() => api.getService(id))
    return result.ok ? ok(result.value.service) : result
  }

  /** Submits an application built from the form (see `buildApplicationRequest`). */
  async function apply(form: ApplicationForm): Promise<Result<api.Application>> {
    const result = await run(() => api.createApplication(buildApplicationRequest(form)))
    if (!result.ok) {
      return result
    }
    const application = result.value.application
    mine.value = [application, ...mine.value.filter((a) => a.id !== application.id)]
    return ok(application)
  }

  async function loadMine(): Promise<Result> {
    const result = await run(api.listMyApplications)
    if (!result.ok) {
      return result
    }
    mine.value = [...result.value.applications].sort((a, b) => b.submitted_at_ms - a.submitted_at_ms)
    return ok()
  }

  return {
    villages,
    villagesLoaded,
    services,
    servicesVillageId,
    mine,
    loadVillages,
    loadServices,
    getService,
    apply,
    loadMine,
  }
})
