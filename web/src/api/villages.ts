/**
 * `/api/v1/villages` (docs/api.md) and the signed-in resident's home village
 * `/api/v1/me/village` (docs/api-events.md): events open to some villages check it.
 */
import { http } from './client'
import type { Village, VillageRef } from './types'

export function listVillages(): Promise<{ villages: Village[] }> {
  return http.get<{ villages: Village[] }>('/villages')
}

/** Login required (401). `village` is null until the resident sets one. */
export function getMyVillage(): Promise<{ village: VillageRef | null }> {
  return http.get<{ village: VillageRef | null }>('/me/village')
}

/** 200; 404 `village_not_found`. */
export function setMyVillage(villageId: number): Promise<{ village: VillageRef }> {
  return http.put<{ village: VillageRef }>('/me/village', { village_id: villageId })
}
