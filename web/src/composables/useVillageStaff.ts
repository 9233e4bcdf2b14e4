/**
 * The villages (村/居) the signed-in user is `village_staff` of, each once, and the one a
 * workbench page works on (`?village=` when given and theirs, else the first).
 */
import { computed } from 'vue'
import { useRoute } from 'vue-router'
import { useAuthStore } from '@/stores/auth'

export function useVillageStaff() {
  const auth = useAuthStore()
  const route = useRoute()

  const villages = computed<{ id: number; name: string }[]>(() => {
    const seen = new Map<number, { id: number; name: string }>()
    for (const grant of auth.user?.roles ?? []) {
      if (grant.role === 'village_staff' && grant.village_id !== null && !seen.has(grant.village_id)) {
        seen.set(grant.village_id, { id: grant.village_id, name: grant.village_name ?? String(grant.village_id) })
      }
    }
    return [...seen.values()]
  })

  const current = computed(() => {
    const wanted = Number(route.query.village ?? route.params.villageId)
    return villages.value.find((v) => v.id === wanted) ?? villages.value[0] ?? null
  })

  /** Whether the user is staff of `villageId`. */
  const isStaffOf = (villageId: number) => villages.value.some((v) => v.id === villageId)

  return { villages, current, isStaffOf }
}
