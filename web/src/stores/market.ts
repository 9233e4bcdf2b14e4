/**
 * 社工服务进村(居): the public catalogue and a project's page, an organisation's listings (create,
 * edit, withdraw, where they are wanted) and the admins' approval queue. Villages' needs and
 * surveys are in `marketVillage`.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/market'
import { attemptSignedIn, useAuthStore } from './auth'
import { newIdempotencyKey } from './donation'
import { attempt, ok, type Result } from './result'

export type { Project, ProjectFilter, ProjectInput, ProjectView, Reason, TeamMember, Wanted } from '@/api/market'

/**
 * The idempotency key of a create being retried: the same body keeps its key (a retry answers
 * the first listing), a changed body gets a new one.
 */
export function useRetryKey() {
  let last: { key: string; body: string } | null = null
  return (body: object): string => {
    const text = JSON.stringify(body)
    if (last === null || last.body !== text) {
      last = { key: newIdempotencyKey(), body: text }
    }
    return last.key
  }
}

export const useMarketStore = defineStore('market', () => {
  const projects = ref<api.Project[]>([])
  const project = ref<api.ProjectView | null>(null)
  const mine = ref<api.Project[]>([])
  const pending = ref<api.Project[]>([])
  const wanted = ref<api.Wanted[]>([])
  const createKey = useRetryKey()

  // A project seen with unmasked names, an organisation's own listings: not for the next account.
  const auth = useAuthStore()
  watch(
    () => auth.user?.id ?? null,
    () => {
      project.value = null
      mine.value = []
      pending.value = []
    },
  )

  async function loadProjects(filter: api.ProjectFilter): Promise<Result> {
    const result = await attempt(() => api.listProjects(filter))
    if (!result.ok) {
      return result
    }
    projects.value = result.value.projects
    return ok()
  }

  async function loadProject(id: string): Promise<Result> {
    const result = await attempt(() => api.getProject(id))
    if (!result.ok) {
      return result
    }
    project.value = result.value.project
    return ok()
  }

  async function loadMine(orgId: number): Promise<Result> {
    const result = await attemptSignedIn(() => api.listMyProjects(orgId))
    if (!result.ok) {
      return result
    }
    mine.value = result.value.projects
    return ok()
  }

  async function loadPending(): Promise<Result> {
    const result = await attemptSignedIn(api.listPendingProjects)
    if (!result.ok) {
      return result
    }
    pending.value = result.value.projects
    return ok()
  }

  async function loadWanted(id: string): Promise<Result> {
    wanted.value = []
    const result = await attempt(() => api.listWanted(id))
    if (!result.ok) {
      return result
    }
    wanted.value = result.value.wanted
    return ok()
  }

  /** A listing's new state replaces the copies in every list this store holds. */
  function replace(next: api.ProjectView): void {
    project.value = next
    mine.value = mine.value.map((p) => (p.id === next.id ? next : p))
    pending.value = pending.value.filter((p) => p.id !== next.id || next.status === 'pending_approval')
  }

  async function apply(call: () => Promise<{ project: api.ProjectView }>): Promise<Result<api.ProjectView>> {
    const result = await attemptSignedIn(call)
    if (!result.ok) {
      return result
    }
    replace(result.value.project)
    return ok(result.value.project)
  }

  function createProject(orgId: number, input: api.ProjectInput): Promise<Result<api.ProjectView>> {
    const key = createKey({ orgId, input })
    return apply(() => api.createProject(orgId, input, key))
  }

  const updateProject = (id: string, input: api.ProjectInput) => apply(() => api.updateProject(id, input))
  const withdraw = (id: string) => apply(() => api.withdrawProject(id))
  const approve = (id: string, note: string, revision?: number) => apply(() => api.approveProject(id, note, revision))
  const reject = (id: string, note: string, revision?: number) => apply(() => api.rejectProject(id, note, revision))

  return {
    projects,
    project,
    mine,
    pending,
    wanted,
    loadProjects,
    loadProject,
    loadMine,
    loadPending,
    loadWanted,
    createProject,
    updateProject,
    withdraw,
    approve,
    reject,
  }
})
