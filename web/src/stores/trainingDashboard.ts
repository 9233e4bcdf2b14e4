/**
 * 培训成效, the training outcomes dashboard (trainers, fund admins, platform admins): the counts by
 * village, class and programme, read in one snapshot by the server. The CSV of each table is a
 * plain same-origin download (`dashboardCsvUrl`).
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/talent'
import { readInto, useAuthStore } from './auth'

export type { Dashboard, DashboardClass, DashboardProgramme, DashboardTable, DashboardVillage } from '@/api/talent'
export { dashboardCsvUrl } from '@/api/talent'

export const useTrainingDashboardStore = defineStore('trainingDashboard', () => {
  const auth = useAuthStore()
  const dashboard = ref<api.Dashboard | null>(null)

  watch(
    () => auth.user?.id ?? null,
    () => (dashboard.value = null),
  )

  const load = () => readInto(api.getDashboard, (v) => (dashboard.value = v))

  return { dashboard, load }
})
