/**
 * 社区论坛 for a reader and a writer: boards, a board's threads by page (置顶 on page 1, 精华 filter),
 * a thread by page of floors (like/unlike, 已解决, reports, a moderator's actions on the thread, a
 * floor and its author), new threads and replies, my standing (`member`), the rules. Pure helpers
 * for the pages and tests: `byteSpanToIndexes` (the server's UTF-8 byte span of a refused word →
 * string indexes), `refusalSpan`, `mutedUntil`, `pageOfFloor`. Moderation queue: `forumModeration`;
 * 我的帖子/我的积分: `forumMine`.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/forum'
import { attemptSignedIn, readInto, useAuthStore } from './auth'
import { fail, ok, type FormError, type Result } from './result'
import { pictureMarkdown } from './upload'

export type {
  Author,
  Board,
  CreditEntry,
  EditInput,
  HeldPost,
  LatestThread,
  Member,
  MyPost,
  NewThreadInput,
  Post,
  PostAction,
  PostStatus,
  QueuePost,
  QueueReport,
  ReplyInput,
  ReportTarget,
  SearchPost,
  SearchResult,
  Rules,
  SanctionInput,
  SanctionKind,
  Thread,
  ThreadAction,
  ThreadKind,
  ThreadSummary,
} from '@/api/forum'

/** Floors a page, as the server pages them. */
export const FLOORS_PER_PAGE = 20

/** The page a floor is on: floor numbers never change, so neither does this. */
export function pageOfFloor(floor: number): number {
  return Math.max(1, Math.ceil(floor / FLOORS_PER_PAGE))
}

/** How many UTF-8 bytes a code point takes. */
function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4
}

/**
 * The JavaScript string indexes (UTF-16 code units, `[start, end)`) of a UTF-8 byte span of `text`.
 * A byte offset inside a character counts as that character (the span grows to whole characters);
 * offsets past the end stop at the end.
 */
export function byteSpanToIndexes(text: string, begin: number, end: number): { start: number; end: number } {
  let bytes = 0
  let start = text.length
  let stop = text.length
  let index = 0
  for (const char of text) {
    const next = bytes + utf8Length(char.codePointAt(0) ?? 0)
    if (start === text.length && begin < next) {
      start = index
    }
    if (end <= bytes) {
      stop = index
      break
    }
    bytes = next
    index += char.length
  }
  return { start: Math.min(start, stop), end: stop }
}

/** The refused span of a `forum.sensitive_word` error, as string indexes into the field's text; null otherwise. */
export function refusalSpan(error: FormError, text: string): { start: number; end: number } | null {
  const span = error.details?.span
  if (error.code !== 'forum.sensitive_word' || typeof span !== 'object' || span === null) {
    return null
  }
  const { begin, end } = span as { begin?: unknown; end?: unknown }
  if (typeof begin !== 'number' || typeof end !== 'number' || end <= begin) {
    return null
  }
  const indexes = byteSpanToIndexes(text, begin, end)
  return indexes.end > indexes.start ? indexes : null
}

/**
 * The end of a `forum.muted` sanction from the error: `detail` carries it (docs/api-forum.md) —
 * read as a number, a string of digits, or `{ends_at_ms}`; `ends_at_ms` beside it is taken too
 * (the store adds it from `GET /forum/me` when the error has none). Null when absent.
 */
export function mutedUntil(error: FormError): number | null {
  const detail = error.details?.detail
  const nested = typeof detail === 'object' && detail !== null ? (detail as { ends_at_ms?: unknown }).ends_at_ms : null
  const asNumber = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value)
  const found = [detail, nested, error.details?.ends_at_ms].map(asNumber).find((value): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0)
  return found ?? null
}

export const useForumStore = defineStore('forum', () => {
  const auth = useAuthStore()
  const boards = ref<api.Board[]>([])
  const board = ref<api.ThreadPage | null>(null)
  const thread = ref<api.Thread | null>(null)
  const posts = ref<api.Post[]>([])
  const member = ref<api.Member | null>(null)
  const rules = ref<api.Rules | null>(null)
  const latest = ref<api.LatestThread[]>([])
  const results = ref<api.SearchResult | null>(null)

  // Another account sees other things (held posts, `can`, `liked`).
  watch(
    () => auth.user?.id ?? null,
    () => {
      boards.value = []
      board.value = null
      thread.value = null
      posts.value = []
      member.value = null
    },
  )

  const loadBoards = () => readInto(() => api.listBoards(), (v) => (boards.value = v.boards))
  const loadLatest = () => readInto(() => api.latestThreads(), (v) => (latest.value = v.threads), false)

  /** 搜索; an answer for an older query than the last one asked is dropped. */
  let lastQuery = ''
  function search(q: string): Promise<Result> {
    lastQuery = q
    return readInto(
      () => api.search(q),
      (v) => {
        if (lastQuery === q) {
          // Kept under the words asked, whatever normalising the server does to its echo.
          results.value = { ...v, q }
        }
      },
      false,
    )
  }

  /** Whether the caller moderates any board (platform admins moderate them all). */
  const moderatesAny = () => boards.value.some((b) => b.moderate)

  function loadThreads(boardId: number, page: number, digest: boolean): Promise<Result> {
    if (board.value?.board.id !== boardId) {
      board.value = null
    }
    return readInto(() => api.listThreads(boardId, page, digest), (v) => (board.value = v))
  }

  function loadThread(id: number, page: number | 'last'): Promise<Result> {
    if (thread.value?.id !== id) {
      thread.value = null
      posts.value = []
    }
    return readInto(
      () => api.getThread(id, page),
      (v) => {
        thread.value = v.thread
        posts.value = v.posts
      },
    )
  }

  /**
   * A write refused with `forum.muted` whose error does not say until when: the end is read from
   * my standing (`GET /forum/me` `sanction.ends_at_ms`) and added to the error as `ends_at_ms`.
   */
  async function withMuteEnd<T>(result: Result<T>): Promise<Result<T>> {
    if (result.ok || result.error.code !== 'forum.muted' || mutedUntil(result.error) !== null) {
      return result
    }
    const standing = await attemptSignedIn(() => api.getMember())
    const end = standing.ok ? standing.value.member.sanction?.ends_at_ms : null
    if (typeof end !== 'number') {
      return result
    }
    member.value = standing.ok ? standing.value.member : member.value
    return fail({ ...result.error, details: { ...result.error.details, ends_at_ms: end } })
  }

  async function createThread(boardId: number, input: api.NewThreadInput): Promise<Result<{ id: number; status: api.PostStatus }>> {
    const result = await withMuteEnd(await attemptSignedIn(() => api.createThread(boardId, input)))
    return result.ok ? ok(result.value.thread) : result
  }

  async function reply(threadId: number, input: api.ReplyInput): Promise<Result<{ id: number; floor: number; status: api.PostStatus }>> {
    const result = await withMuteEnd(await attemptSignedIn(() => api.reply(threadId, input)))
    return result.ok ? ok(result.value.post) : result
  }

  /** 编辑 my floor; the floor shown (and, on floor 1, the topic's title) become the server's answer. */
  async function editPost(postId: number, input: api.EditInput): Promise<Result<{ id: number; floor: number; status: api.PostStatus }>> {
    const result = await withMuteEnd(await attemptSignedIn(() => api.editPost(postId, input)))
    if (!result.ok) {
      return result
    }
    const { post, thread: state } = result.value
    posts.value = posts.value.map((p) => (p.id === postId ? { ...p, ...post } : p))
    if (thread.value !== null && thread.value.id === state.id) {
      thread.value = { ...thread.value, title: state.title, status: state.status }  // the views shown stay
    }
    return ok({ id: post.id, floor: post.floor, status: post.status })
  }

  /** Uploads a picture for a post; the Markdown that shows it, or the refusal. */
  async function uploadPicture(file: Blob, alt: string): Promise<Result<string>> {
    const result = await withMuteEnd(await attemptSignedIn(() => api.uploadPicture(file)))
    return result.ok ? ok(pictureMarkdown(alt, result.value.image.url)) : result
  }

  /** Likes or unlikes a floor (the opposite of what it is), then shows the server's count. */
  async function toggleLike(postId: number): Promise<Result> {
    const post = posts.value.find((p) => p.id === postId)
    if (post === undefined) {
      return ok()
    }
    return readInto(
      () => (post.liked ? api.unlike(postId) : api.like(postId)),
      (v) => (posts.value = posts.value.map((p) => (p.id === postId ? { ...p, likes: v.post.likes, liked: v.post.liked } : p))),
    )
  }

  /** A topic's new state over the one shown, keeping the read's page and `can`. */
  function mergeThread(next: api.ThreadState): void {
    if (thread.value !== null && thread.value.id === next.id) {
      thread.value = { ...thread.value, ...next }
    }
  }

  const solve = (postId: number) => readInto(() => api.solve(thread.value?.id ?? 0, postId), (v) => mergeThread(v.thread))

  async function report(target: api.ReportTarget, reason: string): Promise<Result> {
    const result = await attemptSignedIn(() => api.report(target, reason))
    return result.ok ? ok() : result
  }

  /** A thread action (置顶/精华/锁帖/移动); the thread's answer replaces the one shown. */
  const moderateThread = (action: api.ThreadAction, options: { board_id?: number; reason?: string } = {}) =>
    readInto(() => api.moderateThread(thread.value?.id ?? 0, action, options), (v) => mergeThread(v.thread))

  /** A floor's action (屏蔽/取消屏蔽/删除); the floor's answer replaces the one shown. */
  const moderatePost = (postId: number, action: api.PostAction, reason?: string) =>
    readInto(() => api.moderatePost(postId, action, reason), (v) => (posts.value = posts.value.map((p) => (p.id === postId ? { ...p, ...v.post } : p))))

  async function sanction(input: api.SanctionInput): Promise<Result> {
    const result = await attemptSignedIn(() => api.sanction(input))
    return result.ok ? ok() : result
  }

  const loadMember = () => readInto(() => api.getMember(), (v) => (member.value = v.member))
  const loadRules = () => readInto(() => api.getRules(), (v) => (rules.value = v), false)

  return {
    boards,
    board,
    thread,
    posts,
    member,
    rules,
    latest,
    results,
    loadBoards,
    loadLatest,
    search,
    moderatesAny,
    loadThreads,
    loadThread,
    createThread,
    reply,
    editPost,
    uploadPicture,
    toggleLike,
    solve,
    report,
    moderateThread,
    moderatePost,
    sanction,
    loadMember,
    loadRules,
  }
})
