/**
 * 服务申请管理 for organisation staff (`org_staff` of an organisation): the organisations the
 * signed-in user works for, their inbox (filtered by status and overdue), and publishing a
 * service. Actions on one application live in the caseworkApplication store.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '@/api/casework'
import { attemptSignedIn, useAuthStore } from './auth'
import { ok, type Result } from './result'

export type { CreateServiceRequest, InboxFilter } from '@/api/casework'

export interface StaffOrg {
  id: number
  name: string
}

export const useCaseworkStaffStore = defineStore('caseworkStaff', () => {
  const auth = useAuthStore()
  const inbox = ref<api.Application[]>([])
  /** The filter `inbox` answers. */
  const inboxFilter = ref<api.InboxFilter | null>(null)
  let inboxRequest = 0

  /** Organisations where the signed-in user is `org_staff`, each once. */
  const orgs = computed<StaffOrg[]>(() => {
    const out: StaffOrg[] = []
    for (const grant of auth.user?.roles ?? []) {
      if (grant.role === 'org_staff' && grant.org_id !== null && !out.some((o) => o.id === grant.org_id)) {
        out.push({ id: grant.org_id, name: grant.org_name ?? String(grant.org_id) })
      }
    }
    return out
  })

  /** Whether the signed-in user is staff of organisation `orgId`. */
  function isStaffOf(orgId: number): boolean {
    return orgs.value.some((o) => o.id === orgId)
  }

  const run = attemptSignedIn

  /** Loads the inbox for a filter; an answer for a filter no longer wanted is dropped. */
  async function loadInbox(filter: api.InboxFilter): Promise<Result> {
    const request = ++inboxRequest
    const result = await run(() => api.listInbox(filter))
    if (request !== inboxRequest) {
      return ok()
    }
    if (!result.ok) {
      return result
    }
    inboxFilter.value = { ...filter }
    inbox.value = result.value.applications
    return ok()
  }

  const publishService = (body: api.CreateServiceRequest) => run(() => api.createService(body))

  /** Services an application of organisation `fromOrgId` can be referred to: other organisations' active ones. */
  const referServices = ref<api.CaseworkService[]>([])

  async function loadReferServices(fromOrgId: number): Promise<Result> {
    const result = await run(() => api.listServices())
    if (!result.ok) {
      return result
    }
    referServices.value = result.value.services.filter((s) => s.org_id !== fromOrgId && s.active !== false)
    return ok()
  }

  return { orgs, isStaffOf, inbox, inboxFilter, loadInbox, publishService, referServices, loadReferServices }
})
