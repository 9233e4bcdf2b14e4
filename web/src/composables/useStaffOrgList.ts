/**
 * The organisation a 公益商城 staff page lists (the last one listed, else the user's first), for
 * the page's `PagedList` (`list`, its template ref): `start(org)` begins the store's list at the
 * first page of that organisation when the page opens, and again whenever another one is picked.
 */
import { type Ref, ref, watch } from 'vue'
import type PagedList from '@/components/PagedList.vue'
import { useShopStaffStore } from '@/stores/shopStaff'

export function useStaffOrgList(start: (org: number) => void, list: Ref<InstanceType<typeof PagedList> | null>): Ref<number | null> {
  const staff = useShopStaffStore()
  const orgId = ref<number | null>(staff.orgId ?? staff.orgs[0]?.id ?? null)

  /** The list asks for the first page itself once shown; one already shown is told to. */
  function show(): void {
    if (orgId.value !== null) {
      start(orgId.value)
      void list.value?.reload()
    }
  }

  watch(orgId, show)
  show()
  return orgId
}
