/**
 * 资助项目: the public projects list and a project's page, 我的资助项目 (organisation staff),
 * 我观察的项目 (observers), and the actions on a project — the agreement (fund admin), reports,
 * their review, closing, observers and visit notes.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/grantsProjects'
import { useAuthStore } from './auth'
import { newIdempotencyKey } from './donation'
import { attempt, ok, type Result } from './result'

export type {
  AgreementInput,
  Milestone,
  MilestoneInput,
  MilestoneStatus,
  Observer,
  Project,
  ProjectStatus,
  ProjectSummary,
  Report,
  ReportInput,
  ReportKind,
  ReportStatus,
  Reporting,
  UseOfFundsLine,
  Visit,
} from '@/api/grantsProjects'

export const useGrantsProjectsStore = defineStore('grantsProjects', () => {
  const projects = ref<api.ProjectSummary[]>([])
  const projectsCallId = ref<string | null>(null)
  const project = ref<api.Project | null>(null)
  const mine = ref<api.ProjectSummary[]>([])
  const observing = ref<api.ProjectSummary[]>([])
  /** The agreement attempt being retried: same body, same key. */
  let agreementAttempt: { key: string; body: string } | null = null

  // What one account sees (its projects, the projects it observes — which is how a project page
  // knows to offer the visit form —, a project with unmasked names) is not for the next one.
  const auth = useAuthStore()
  watch(
    () => auth.user?.id ?? null,
    () => {
      mine.value = []
      observing.value = []
      project.value = null
    },
  )

  async function loadProjects(callId: string | null = null): Promise<Result> {
    const result = await attempt(() => api.listProjects(callId))
    if (!result.ok) {
      return result
    }
    projects.value = result.value.projects
    projectsCallId.value = callId
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

  async function loadMine(): Promise<Result> {
    const result = await attempt(api.listMyProjects)
    if (result.ok) {
      mine.value = result.value.projects
    }
    return result.ok ? ok() : result
  }

  async function loadObserving(): Promise<Result> {
    const result = await attempt(api.listObserving)
    if (result.ok) {
      observing.value = result.value.projects
    }
    return result.ok ? ok() : result
  }

  /** Signs the agreement; a retry of the same body reuses its Idempotency-Key. */
  async function createProject(applicationId: string, body: api.AgreementInput): Promise<Result<api.Project>> {
    const fingerprint = JSON.stringify([applicationId, body])
    if (agreementAttempt === null || agreementAttempt.body !== fingerprint) {
      agreementAttempt = { key: newIdempotencyKey(), body: fingerprint }
    }
    const key = agreementAttempt.key
    const result = await attempt(() => api.createProject(applicationId, body, key))
    if (!result.ok) {
      return result
    }
    agreementAttempt = null
    project.value = result.value.project
    return ok(result.value.project)
  }

  /** Reloads the project after an action changed it (statuses of milestones, money bar). */
  async function after<T>(projectId: string, action: () => Promise<T>): Promise<Result<T>> {
    const result = await attempt(action)
    if (result.ok && project.value?.id === projectId) {
      await loadProject(projectId)
    }
    return result
  }

  const fileReport = (projectId: string, body: api.ReportInput) => after(projectId, () => api.fileReport(projectId, body))
  const approveReport = (projectId: string, reportId: string, note: string) => after(projectId, () => api.approveReport(reportId, note))
  const returnReport = (projectId: string, reportId: string, note: string) => after(projectId, () => api.returnReport(reportId, note))
  const closeProject = (projectId: string, note: string) => after(projectId, () => api.closeProject(projectId, note))
  const addObserver = (projectId: string, userId: number) => after(projectId, () => api.addObserver(projectId, userId))
  const removeObserver = (projectId: string, userId: number) => after(projectId, () => api.removeObserver(projectId, userId))
  const addVisit = (projectId: string, body: { visited_at_ms: number; body: string }) => after(projectId, () => api.addVisit(projectId, body))

  return {
    projects,
    projectsCallId,
    project,
    mine,
    observing,
    loadProjects,
    loadProject,
    loadMine,
    loadObserving,
    createProject,
    fileReport,
    approveReport,
    returnReport,
    closeProject,
    addObserver,
    removeObserver,
    addVisit,
  }
})
