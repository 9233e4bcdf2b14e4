/**
 * 论坛管理 for a board's moderators: the queue (open reports with their floor, held posts) and its
 * decisions — uphold or dismiss a report, approve or hide a held post. A decided entry leaves the
 * queue at once; the server is the judge of whose boards they are.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '@/api/forum'
import { readInto } from './auth'
import type { Result } from './result'

export const useForumModerationStore = defineStore('forumModeration', () => {
  const reports = ref<api.QueueReport[]>([])
  const held = ref<api.HeldPost[]>([])
  const loaded = ref(false)

  const load = () =>
    readInto(
      () => api.moderationQueue(),
      (v) => {
        reports.value = v.reports
        held.value = v.held
        loaded.value = true
      },
    )

  /** 成立 (the post is hidden and its author loses credits) or 驳回. */
  const decide = (id: number, decision: 'uphold' | 'dismiss', note?: string): Promise<Result> =>
    readInto(() => api.decideReport(id, decision, note), () => (reports.value = reports.value.filter((r) => r.id !== id)))

  /** 通过 a held post, or 屏蔽 it (a reason required); it leaves the queue either way. */
  const settleHeld = (postId: number, action: 'approve' | 'hide', reason?: string): Promise<Result> =>
    readInto(() => api.moderatePost(postId, action, reason), () => (held.value = held.value.filter((h) => h.post.id !== postId)))

  return { reports, held, loaded, load, decide, settleHeld }
})
