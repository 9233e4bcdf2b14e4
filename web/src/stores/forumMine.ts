/**
 * 我的帖子 and 我的积分: my posts and my credit history, each paged back by the server's cursor
 * (`restart…` starts a list again from its newest page, then the page's `PagedList` loads on).
 */
import { defineStore } from 'pinia'
import * as api from '@/api/forum'
import { cursorPages } from './cursorPages'

/** The topic a credit entry is about: `thread_id`, else a `thread:N` ref; null when only a post is named. */
export function creditThreadId(entry: Pick<api.CreditEntry, 'thread_id' | 'ref'>): number | null {
  if (typeof entry.thread_id === 'number') {
    return entry.thread_id
  }
  const match = /^thread:(\d+)$/.exec(entry.ref ?? '')
  return match ? Number(match[1]) : null
}

export const useForumMineStore = defineStore('forumMine', () => {
  const postList = cursorPages(async (_q: object, cursor) => {
    const page = await api.myPosts(cursor)
    return { items: page.posts, next_cursor: page.next_cursor }
  })
  const creditList = cursorPages(async (_q: object, cursor) => {
    const page = await api.myCredits(cursor)
    return { items: page.credits, next_cursor: page.next_cursor }
  })
  const { items: posts, finished: postsFinished } = postList
  const { items: credits, finished: creditsFinished } = creditList

  return {
    posts,
    postsFinished,
    restartPosts: () => postList.setQuery({}),
    loadMorePosts: postList.loadMore,
    credits,
    creditsFinished,
    restartCredits: () => creditList.setQuery({}),
    loadMoreCredits: creditList.loadMore,
  }
})
