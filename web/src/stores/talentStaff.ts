/**
 * 人才搜索 and 社工证审核, the staff side of 人才库: searching the pool (org staff, trainers, platform
 * admins), inviting a member onto one of my organisation's catalogue projects and my
 * organisation's invitations with their statuses, and the trainers' queue of pending
 * qualifications (认证 / 退回 with a reason). The server decides every scope again.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { listProjects, type Project } from '@/api/market'
import * as api from '@/api/talent'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { ok, type Result } from './result'

export const useTalentStaffStore = defineStore('talentStaff', () => {
  const auth = useAuthStore()
  const members = ref<api.PoolEntry[]>([])
  /** Whether a search has answered (so "none found" is not shown before one). */
  const searched = ref(false)
  const orgInvitations = ref<api.Invitation[]>([])
  /** The organisation's catalogue projects, by organisation id. */
  const orgProjects = ref<Record<number, Project[]>>({})
  const pending = ref<api.Qualification[]>([])

  watch(
    () => auth.user?.id ?? null,
    () => {
      members.value = []
      searched.value = false
      orgInvitations.value = []
      orgProjects.value = {}
      pending.value = []
    },
  )

  async function search(filter: api.TalentFilter): Promise<Result> {
    const result = await readInto(() => api.searchTalent(filter), (v) => (members.value = v.members))
    searched.value = searched.value || result.ok
    return result
  }

  const loadOrgInvitations = (orgId: number) => readInto(() => api.listInvitations(orgId), (v) => (orgInvitations.value = v.invitations))

  /** The organisation's projects in the catalogue (approved listings), once. */
  async function ensureOrgProjects(orgId: number): Promise<Result> {
    if (orgProjects.value[orgId] !== undefined) {
      return ok()
    }
    return readInto(
      () => listProjects({ org_id: orgId }),
      (v) => (orgProjects.value = { ...orgProjects.value, [orgId]: v.projects.filter((p) => p.org_id === orgId && p.status === 'approved') }),
    )
  }

  async function invite(input: api.InvitationInput): Promise<Result<api.Invitation>> {
    const result = await attemptSignedIn(() => api.invite(input))
    if (!result.ok) {
      return result
    }
    const next = result.value.invitation
    orgInvitations.value = [next, ...orgInvitations.value.filter((i) => i.id !== next.id)]
    return ok(next)
  }

  const loadPending = () => readInto(() => api.listQualifications('pending'), (v) => (pending.value = v.qualifications))

  /** Verifies or rejects one; it leaves the queue either way. */
  async function decide(id: string, decision: { verify: true } | { reason: string }): Promise<Result<api.Qualification>> {
    const result = await attemptSignedIn(() => ('verify' in decision ? api.verifyQualification(id) : api.rejectQualification(id, decision.reason)))
    if (!result.ok) {
      return result
    }
    pending.value = pending.value.filter((q) => q.id !== id)
    return ok(result.value.qualification)
  }

  return { members, searched, orgInvitations, orgProjects, pending, search, loadOrgInvitations, ensureOrgProjects, invite, loadPending, decide }
})
