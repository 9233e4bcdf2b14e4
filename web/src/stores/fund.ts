/**
 * The public face of the Care Fund: summary figures, donation purposes, the journal (loaded page
 * by page through `next_cursor`) and the signed checkpoints that anchor it.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as fundApi from '@/api/fund'
import * as transparencyApi from '@/api/transparency'
import { attempt, ok, type Result } from './result'

export const JOURNAL_PAGE_SIZE = 20

/** Re-exported for pages, which never import `api/`. */
export const ENTRIES_CSV_URL = fundApi.ENTRIES_CSV_URL

export type { FundSummary, JournalEntry, Purpose, FundSource, EntryKind, Fundraiser } from '@/api/fund'
export { FUND_SOURCES } from '@/api/fund'
export type { Checkpoint, CheckpointList, ChainName } from '@/api/transparency'

export const useFundStore = defineStore('fund', () => {
  const summary = ref<fundApi.FundSummary | null>(null)
  const purposes = ref<fundApi.Purpose[]>([])
  const purposesLoaded = ref(false)
  const entries = ref<fundApi.JournalEntry[]>([])
  const nextCursor = ref<string | null>(null)
  const journalFinished = ref(false)
  let journalRequest: Promise<Result> | null = null
  /** The latest signed checkpoint of each hash chain (防篡改校验点), with the public key. */
  const checkpoints = ref<transparencyApi.CheckpointList | null>(null)

  /** Active purposes a donor may pick. */
  const activePurposes = computed(() => purposes.value.filter((p) => p.active))

  async function loadSummary(): Promise<Result> {
    const result = await attempt(fundApi.getSummary)
    if (!result.ok) {
      return result
    }
    summary.value = result.value
    return ok()
  }

  /** The fundraiser of record, loading the summary if needed. */
  async function ensureSummary(): Promise<Result> {
    return summary.value !== null ? ok() : loadSummary()
  }

  async function loadPurposes(): Promise<Result> {
    const result = await attempt(fundApi.listPurposes)
    if (!result.ok) {
      return result
    }
    purposes.value = result.value.purposes
    purposesLoaded.value = true
    return ok()
  }

  /** Forgets loaded journal pages (e.g. before reloading from the newest entry). */
  function resetJournal(): void {
    entries.value = []
    nextCursor.value = null
    journalFinished.value = false
    journalRequest = null
  }

  /**
   * Appends the next journal page. Concurrent calls share one request, so an infinite-scroll
   * list firing twice never loads (or appends) a page twice. Once `next_cursor` is null the
   * journal is finished and further calls do nothing.
   */
  function loadMoreEntries(): Promise<Result> {
    if (journalFinished.value) {
      return Promise.resolve(ok())
    }
    if (journalRequest === null) {
      const cursor = nextCursor.value
      const request = attempt(() => fundApi.listEntries(cursor, JOURNAL_PAGE_SIZE)).then((result): Result => {
        if (journalRequest !== request) {
          return ok() // reset while in flight: drop the stale page
        }
        journalRequest = null
        if (!result.ok) {
          return result
        }
        const known = new Set(entries.value.map((e) => e.id))
        entries.value = [...entries.value, ...result.value.entries.filter((e) => !known.has(e.id))]
        nextCursor.value = result.value.next_cursor
        journalFinished.value = result.value.next_cursor === null
        return ok()
      })
      journalRequest = request
    }
    return journalRequest
  }

  async function loadCheckpoints(): Promise<Result> {
    const result = await attempt(() => transparencyApi.listCheckpoints(1))
    if (!result.ok) {
      return result
    }
    checkpoints.value = result.value
    return ok()
  }

  return {
    summary,
    purposes,
    purposesLoaded,
    activePurposes,
    entries,
    nextCursor,
    journalFinished,
    loadSummary,
    ensureSummary,
    loadPurposes,
    resetJournal,
    loadMoreEntries,
    checkpoints,
    loadCheckpoints,
  }
})
