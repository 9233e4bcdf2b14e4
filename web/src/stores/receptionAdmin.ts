/**
 * 接待室管理 for the rooms' managers (a village's staff, trainers, platform admins): rooms (of a
 * village, or all), a new room, each room's duty roster from the party-member register of its
 * village, a village's visits by month, and the monthly statistics. The server decides who may do
 * what; a refusal comes back as the `FormError` it sent. Pure rules: `WEEKDAY_ORDER` (一 … 日),
 * `rosterByWeekday` (the roster as ticked user ids per weekday) and `buildDutySlots` (the way back).
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/reception'
import { listMembers, type Member } from '@/api/training'
import type { Village } from '@/api/types'
import { listVillages } from '@/api/villages'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { ok, type Result } from './result'

export type { Member } from '@/api/training'
export type { RoomStats, Stats, VillageStats } from '@/api/reception'

/** Monday first, Sunday last (weekday 1…6 then 0), as a Chinese week is read. */
export const WEEKDAY_ORDER: readonly number[] = [1, 2, 3, 4, 5, 6, 0]

export type Roster = Record<number, number[]>

/** The roster as the user ids on duty each weekday (every weekday present). */
export function rosterByWeekday(duty: readonly Pick<api.DutyEntry, 'user_id' | 'weekday'>[]): Roster {
  const roster: Roster = Object.fromEntries(WEEKDAY_ORDER.map((d) => [d, [] as number[]]))
  for (const entry of duty) {
    const day = roster[entry.weekday]
    if (day !== undefined && !day.includes(entry.user_id)) {
      day.push(entry.user_id)
    }
  }
  return roster
}

/** The `PUT …/duty` body from a roster, in week order, each person once a day. */
export function buildDutySlots(roster: Roster): api.DutySlot[] {
  return WEEKDAY_ORDER.flatMap((weekday) => [...new Set(roster[weekday] ?? [])].map((user_id) => ({ user_id, weekday })))
}

export const useReceptionAdminStore = defineStore('receptionAdmin', () => {
  const auth = useAuthStore()
  const rooms = ref<api.Room[]>([])
  const villages = ref<Village[]>([])
  /** The party-member register, by village id. */
  const members = ref<Record<number, Member[]>>({})
  const visits = ref<api.Visit[]>([])
  const stats = ref<api.Stats | null>(null)

  watch(
    () => auth.user?.id ?? null,
    () => {
      rooms.value = []
      members.value = {}
      visits.value = []
      stats.value = null
    },
  )

  const loadRooms = (villageId?: number) => readInto(() => api.listRooms(villageId), (v) => (rooms.value = v.rooms.filter((r) => r.manage)))

  /** Every village (trainers and platform admins pick one to filter or to open a room in). */
  async function loadVillages(): Promise<Result> {
    if (villages.value.length > 0) {
      return ok()
    }
    return readInto(listVillages, (v) => (villages.value = v.villages), false)
  }

  async function createRoom(input: api.RoomInput): Promise<Result<api.Room>> {
    const result = await attemptSignedIn(() => api.createRoom(input))
    if (!result.ok) {
      return result
    }
    rooms.value = [...rooms.value, result.value.room]
    return ok(result.value.room)
  }

  const loadMembers = (villageId: number) => readInto(() => listMembers(villageId), (v) => (members.value = { ...members.value, [villageId]: v.members }))

  async function saveDuty(roomId: number, slots: api.DutySlot[]): Promise<Result<api.Room>> {
    const result = await attemptSignedIn(() => api.saveDuty(roomId, slots))
    if (!result.ok) {
      return result
    }
    const room = result.value.room
    rooms.value = rooms.value.map((r) => (r.id === room.id ? room : r))
    return ok(room)
  }

  const loadVisits = (villageId: number, month: string) => readInto(() => api.listVisits({ village_id: villageId, month }), (v) => (visits.value = v.visits))

  async function loadStats(month: string, villageId?: number): Promise<Result> {
    stats.value = null
    return readInto(() => api.getStats(month, villageId), (v) => (stats.value = v))
  }

  return { rooms, villages, members, visits, stats, loadRooms, loadVillages, createRoom, loadMembers, saveDuty, loadVisits, loadStats }
})
