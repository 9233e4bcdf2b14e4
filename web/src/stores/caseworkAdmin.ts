/**
 * Supervision of 服务申请 for `fund_admin` and `platform_admin`: applications past their response
 * time (escalations, oldest due first) and per-organisation statistics.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '@/api/casework'
import { attemptSignedIn } from './auth'
import { ok, type Result } from './result'

export const useCaseworkAdminStore = defineStore('caseworkAdmin', () => {
  const escalations = ref<api.Application[]>([])
  const stats = ref<api.OrgStats[]>([])

  const run = attemptSignedIn

  async function loadEscalations(): Promise<Result> {
    const result = await run(api.listEscalations)
    if (!result.ok) {
      return result
    }
    escalations.value = result.value.applications
    return ok()
  }

  async function loadStats(): Promise<Result> {
    const result = await run(api.getStats)
    if (!result.ok) {
      return result
    }
    stats.value = result.value.orgs
    return ok()
  }

  return { escalations, stats, loadEscalations, loadStats }
})
