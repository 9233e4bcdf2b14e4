/**
 * 项目评审 for reviewers: my reviewer record with its conflicts and seats (accept or decline a
 * proposed seat), the scoring sheet of one application (0..10 per rubric criterion, a comment;
 * saved as a draft, submitted, or an abstention), and a resident's application to join the pool
 * as a citizen reviewer.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as grantsApi from '@/api/grants'
import { attemptSignedIn } from './auth'
import { ok, type Result } from './result'

/** The seat statuses in the order the reviewer's page groups them. */
export const SEAT_GROUPS: readonly grantsApi.SeatStatus[] = ['proposed', 'accepted', 'declined', 'removed']

/** Seats grouped by status, in `SEAT_GROUPS` order, empty groups left out. */
export function groupSeats(seats: readonly grantsApi.Seat[]): { status: grantsApi.SeatStatus; seats: grantsApi.Seat[] }[] {
  return SEAT_GROUPS.map((status) => ({ status, seats: seats.filter((s) => s.status === status) })).filter((g) => g.seats.length > 0)
}

export const useGrantsReviewStore = defineStore('grantsReview', () => {
  const reviewer = ref<grantsApi.Reviewer | null>(null)
  const conflicts = ref<grantsApi.Conflict[]>([])
  const seats = ref<grantsApi.Seat[]>([])
  /** True once the server said the caller is not a reviewer (404). */
  const notReviewer = ref(false)
  const sheet = ref<grantsApi.ReviewSheet | null>(null)

  const seatGroups = computed(() => groupSeats(seats.value))

  async function loadMe(): Promise<Result> {
    const result = await attemptSignedIn(grantsApi.getMyReviewer)
    if (!result.ok) {
      if (result.error.status === 404) {
        notReviewer.value = true
        reviewer.value = null
        seats.value = []
        conflicts.value = []
        return ok()
      }
      return result
    }
    notReviewer.value = false
    reviewer.value = result.value.reviewer
    conflicts.value = result.value.conflicts
    seats.value = result.value.seats
    return ok()
  }

  async function answerSeat(id: string, accept: boolean): Promise<Result<grantsApi.Seat>> {
    const result = await attemptSignedIn(() => (accept ? grantsApi.acceptSeat(id) : grantsApi.declineSeat(id)))
    if (!result.ok) {
      return result
    }
    const seat = result.value.seat
    seats.value = seats.value.map((s) => (s.id === seat.id ? seat : s))
    return ok(seat)
  }

  const acceptSeat = (id: string) => answerSeat(id, true)
  const declineSeat = (id: string) => answerSeat(id, false)

  async function loadSheet(applicationId: string): Promise<Result<grantsApi.ReviewSheet>> {
    if (sheet.value?.application.id !== applicationId) {
      sheet.value = null
    }
    const result = await attemptSignedIn(() => grantsApi.getReview(applicationId))
    if (!result.ok) {
      return result
    }
    sheet.value = result.value
    return ok(result.value)
  }

  /** Saves the sheet as `status` (draft, submitted, abstained); the answer replaces the review shown. */
  async function saveReview(applicationId: string, body: grantsApi.ReviewRequest): Promise<Result<grantsApi.Review>> {
    const result = await attemptSignedIn(() => grantsApi.saveReview(applicationId, body))
    if (!result.ok) {
      return result
    }
    if (sheet.value?.application.id === applicationId) {
      sheet.value = { ...sheet.value, review: result.value.review }
    }
    return ok(result.value.review)
  }

  async function applyAsCitizen(body: grantsApi.ApplyReviewerRequest): Promise<Result<grantsApi.Reviewer>> {
    const result = await attemptSignedIn(() => grantsApi.applyReviewer(body))
    if (!result.ok) {
      return result
    }
    reviewer.value = result.value.reviewer
    notReviewer.value = false
    return ok(result.value.reviewer)
  }

  return { reviewer, conflicts, seats, seatGroups, notReviewer, sheet, loadMe, acceptSeat, declineSeat, loadSheet, saveReview, applyAsCitizen }
})
