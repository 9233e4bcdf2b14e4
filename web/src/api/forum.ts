/**
 * `/api/v1/forum/*`: 社区论坛 — boards, threads and their floors, replies, likes, 已解决, reports,
 * moderation (queue, report decisions, post and thread actions, sanctions), my standing, my credits
 * and posts, and the rules. Contract: docs/api-forum.md. People are shown by nickname only.
 */
import { http } from './client'
import type { Image } from './media'
import type { ArticleHit } from './news'

export type ThreadKind = 'discussion' | 'question'
export type PostStatus = 'visible' | 'held' | 'hidden' | 'deleted'

export interface OrgBadge {
  kind: 'org'
  org_id: number
  org_name: string
}

export interface Level {
  level: number
  name: string
}

export interface Author {
  nickname: string
  badge: OrgBadge | null
  level: Level
}

export interface Board {
  id: number
  name: string
  description: string
  org: { id: number; name: string } | null
  threads: number
  moderators: { nickname: string }[]
  /** The caller moderates this board. */
  moderate: boolean
}

export interface ThreadSummary {
  id: number
  board_id: number
  title: string
  kind: ThreadKind
  status: PostStatus
  sticky: boolean
  digest: boolean
  locked: boolean
  solved: boolean
  views: number
  replies: number
  author: Author
  created_at_ms: number
  last_post_at_ms: number
}

export interface ThreadPage {
  board: Board
  sticky: ThreadSummary[]
  threads: ThreadSummary[]
  page: number
  pages: number
}

export interface ThreadCan {
  reply: boolean
  moderate: boolean
  solve: boolean
  report: boolean
}

export interface Thread {
  id: number
  board: { id: number; name: string }
  title: string
  kind: ThreadKind
  status: PostStatus
  status_reason: string | null
  sticky: boolean
  digest: boolean
  locked: boolean
  views: number
  replies: number
  solved_post_id: number | null
  author: Author
  created_at_ms: number
  page: number
  pages: number
  can: ThreadCan
}

/** A topic as a moderator's or 已解决's answer gives it: without the page, pages and `can` of a read. */
export type ThreadState = Omit<Thread, 'page' | 'pages' | 'can'>

export interface Quote {
  post_id: number
  floor: number
  nickname: string
  excerpt: string
}

export interface Post {
  id: number
  floor: number
  author: Author
  /** Sanitised by the server; `""` for a hidden or deleted floor shown to others. */
  body_html: string
  quote: Quote | null
  likes: number
  liked: boolean
  status: PostStatus
  status_reason: string | null
  mine: boolean
  created_at_ms: number
  /** When its author last edited it (编辑); null if never. */
  edited_at_ms: number | null
  /** The author's own Markdown, only on their own floors (`mine`), to prefill 编辑. */
  body_md?: string
}

export interface NewThreadInput {
  title: string
  body_md: string
  kind?: ThreadKind
  as_org_id?: number
}

/** 编辑 a floor: its new Markdown and, on floor 1 only, the topic's new title. */
export interface EditInput {
  body_md: string
  title?: string
}

export interface ReplyInput {
  body_md: string
  quote_post_id?: number
  as_org_id?: number
}

export type ReportTarget = { kind: 'thread' | 'post'; id: number }

export interface Report {
  id: number
  status: string
}

export interface QueuePost {
  id: number
  floor: number
  thread_id: number
  thread_title: string
  board_id: number
  author: Author
  body_html: string
  status: PostStatus
}

export interface QueueReport {
  id: number
  reason: string
  status: string
  created_at_ms: number
  reporter: { nickname: string }
  /** How many reports the post has. */
  reports: number
  post: QueuePost
}

export interface HeldPost {
  post: QueuePost
  thread_id: number
  thread_title: string
}

export interface ModerationQueue {
  reports: QueueReport[]
  held: HeldPost[]
}

export type PostAction = 'hide' | 'unhide' | 'approve' | 'delete'
export type ThreadAction = 'sticky' | 'unsticky' | 'digest' | 'undigest' | 'lock' | 'unlock' | 'move'
export type SanctionKind = 'warn' | 'mute' | 'ban'

export interface SanctionInput {
  post_id: number
  kind: SanctionKind
  reason: string
  ends_at_ms?: number
}

export interface Sanction {
  kind: SanctionKind
  reason: string
  ends_at_ms: number | null
}

export interface Member {
  nickname: string
  credits: number
  level: Level & { next: { name: string; credits: number } | null }
  trust_level: number
  likes_received: number
  phone_verified: boolean
  sanction: Sanction | null
  progress: { account_age_days: number; days_visited: number; posts_read: number }
}

export interface CreditEntry {
  id: number
  delta: number
  reason: string
  /** The topic it is about (docs/api-forum.md); absent where the server answers `ref` instead. */
  thread_id?: number | null
  /** What it is about, as the server stores it: `thread:12` or `post:41`. */
  ref?: string
  created_at_ms: number
}

export interface MyPost {
  id: number
  thread_id: number
  thread_title: string
  floor: number
  excerpt: string
  status: PostStatus
  created_at_ms: number
}

export interface Rules {
  credits: Record<string, number>
  levels: { level: number; name: string; credits: number }[]
  trust: { account_age_days: number; days_visited: number; posts_read: number; likes_received: number }
}

const enc = (value: string | number) => encodeURIComponent(String(value))
const beforeQuery = (before: string | null) => (before === null ? '' : `?before=${enc(before)}`)

export function listBoards(): Promise<{ boards: Board[] }> {
  return http.get('/forum/boards')
}

/** 20 a page, newest reply first; `sticky` only on page 1; `digest` for 精华 only. */
export function listThreads(boardId: number, page: number, digest: boolean): Promise<ThreadPage> {
  const query = new URLSearchParams({ page: String(page) })
  if (digest) {
    query.set('filter', 'digest')
  }
  return http.get(`/forum/boards/${enc(boardId)}/threads?${query.toString()}`)
}

export function createThread(boardId: number, input: NewThreadInput): Promise<{ thread: { id: number; status: PostStatus } }> {
  return http.post(`/forum/boards/${enc(boardId)}/threads`, input)
}

/** 20 floors a page; `'last'` for the last page. Every read counts a view. */
export function getThread(id: number, page: number | 'last'): Promise<{ thread: Thread; posts: Post[] }> {
  return http.get(`/forum/threads/${enc(id)}?page=${enc(page)}`)
}

export function reply(threadId: number, input: ReplyInput): Promise<{ post: { id: number; floor: number; status: PostStatus } }> {
  return http.post(`/forum/threads/${enc(threadId)}/posts`, input)
}

/**
 * 编辑 one's own floor → `{post, thread}` (the floor as its author sees it, the topic with its title).
 * 403 `forum.not_author`, 409 `forum.thread_locked` / `forum.post_state`, and the posting refusals.
 */
export function editPost(postId: number, input: EditInput): Promise<{ post: Post; thread: ThreadState }> {
  return http.patch(`/forum/posts/${enc(postId)}`, input)
}

/**
 * A picture for a post (the raw file) → 201 `{image}`; the post then carries `![…](image.url)`. 403
 * `forum.phone_not_verified` / `forum.muted` / `forum.banned` / `forum.links_need_trust` (below trust
 * level 1), and the upload errors of `/media/images` (413, 415, 422, 429).
 */
export function uploadPicture(file: Blob): Promise<{ image: Image }> {
  return http.post<{ image: Image }>('/forum/images', {}, { file })
}

export function like(postId: number): Promise<{ post: { id: number; likes: number; liked: boolean } }> {
  return http.post(`/forum/posts/${enc(postId)}/like`)
}

export function unlike(postId: number): Promise<{ post: { id: number; likes: number; liked: boolean } }> {
  return http.delete(`/forum/posts/${enc(postId)}/like`)
}

export function solve(threadId: number, postId: number): Promise<{ thread: ThreadState }> {
  return http.post(`/forum/threads/${enc(threadId)}/solve`, { post_id: postId })
}

export function report(target: ReportTarget, reason: string): Promise<{ report: Report }> {
  return http.post('/forum/reports', { target, reason })
}

export function moderationQueue(): Promise<ModerationQueue> {
  return http.get('/forum/moderation/queue')
}

export function decideReport(id: number, decision: 'uphold' | 'dismiss', note?: string): Promise<{ report: Report }> {
  return http.post(`/forum/moderation/reports/${enc(id)}`, note === undefined ? { decision } : { decision, note })
}

export function moderatePost(id: number, action: PostAction, reason?: string): Promise<{ post: Post }> {
  return http.post(`/forum/posts/${enc(id)}/moderate`, reason === undefined ? { action } : { action, reason })
}

export function moderateThread(id: number, action: ThreadAction, options: { board_id?: number; reason?: string } = {}): Promise<{ thread: ThreadState }> {
  return http.post(`/forum/threads/${enc(id)}/moderate`, { action, ...options })
}

export function sanction(input: SanctionInput): Promise<{ sanction: Sanction }> {
  return http.post('/forum/sanctions', input)
}

export function getMember(): Promise<{ member: Member }> {
  return http.get('/forum/me')
}

export function myCredits(before: string | null): Promise<{ credits: CreditEntry[]; next_cursor: string | null }> {
  return http.get(`/forum/me/credits${beforeQuery(before)}`)
}

export function myPosts(before: string | null): Promise<{ posts: MyPost[]; next_cursor: string | null }> {
  return http.get(`/forum/me/posts${beforeQuery(before)}`)
}

export function getRules(): Promise<Rules> {
  return http.get('/forum/rules')
}

/** A topic in 最新 (the 社区 tab, 首页): its summary and its board's name. */
export type LatestThread = ThreadSummary & { board_name: string }

/** The visible topics of open boards, latest reply first (at most 50, 20 by default). */
export function latestThreads(limit?: number): Promise<{ threads: LatestThread[] }> {
  return http.get(`/forum/threads${limit === undefined ? '' : `?limit=${enc(limit)}`}`)
}

export interface SearchPost {
  id: number
  thread_id: number
  thread_title: string
  floor: number
  author: Author
  /** Escaped by the server, each term in `<mark>`. */
  snippet_html: string
  created_at_ms: number
}

export interface SearchResult {
  q: string
  /** `title_html`: escaped by the server, each term in `<mark>`. */
  threads: (ThreadSummary & { title_html: string })[]
  posts: SearchPost[]
  /** 资讯 matching the words (docs/api-news.md); absent from a server without news. */
  articles?: ArticleHit[]
}

/** 搜索: every space-separated term of `q` (at most 8 terms, 100 characters); 400 naming `q` otherwise. */
export function search(q: string): Promise<SearchResult> {
  return http.get(`/search?q=${enc(q)}`)
}
