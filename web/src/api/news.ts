/**
 * `/api/v1/news/*`: 资讯 (公益宣传) — published articles by category, tag and words, one article with
 * its corrections and related cards, writing (editors publish, organisation staff submit for
 * review), review, withdrawal, revisions and the 编辑台. Contract: docs/api-news.md. Article ids are
 * public ids (20 characters of `[a-z2-7]`); times are UTC epoch ms.
 */
import { http } from './client'

export const NEWS_CATEGORIES = ['notice', 'event_review', 'story', 'policy', 'fund'] as const
export type NewsCategory = (typeof NEWS_CATEGORIES)[number]

export const ARTICLE_STATUSES = ['pending_review', 'draft', 'scheduled', 'published', 'withdrawn'] as const
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number]

export const RELATED_KINDS = ['event', 'service', 'fund_purpose', 'fund_report', 'product', 'lot', 'grant_call', 'village'] as const
export type RelatedKind = (typeof RELATED_KINDS)[number]

export type RelatedAction = 'signup' | 'apply' | 'donate' | 'buy' | 'bid' | 'view'

export interface ArticleCover {
  id: string
  thumb_url: string
  full_url: string
}

/** An article as the lists show it. */
export interface ArticleSummary {
  id: string
  title: string
  /** The writer's, or the body's first 120 characters. */
  summary: string
  category: NewsCategory
  tags: string[]
  status: ArticleStatus
  cover: ArticleCover | null
  /** Null for the subdistrict's own articles (桂城街道). */
  org: { id: number; name: string } | null
  author: { nickname: string }
  /** Null for a draft that was never given a time. */
  publish_at_ms: number | null
  updated_at_ms: number
  views: number
  corrected: boolean
}

export interface Correction {
  revision: number
  note: string | null
  at_ms: number
}

/** A related item as a card: the section's own title and line, where it opens and its button. */
export interface RelatedCard {
  kind: RelatedKind
  id: number | string
  title: string
  summary: string
  href: string
  action: RelatedAction
  /** Exactly what the section's own route answers for it. */
  item: Record<string, unknown>
}

export interface RelatedRef {
  kind: RelatedKind
  id: number | string
}

export interface Article extends ArticleSummary {
  /** Sanitised by the server (Markdown rendered): shown with `v-html`. */
  body_html: string
  revision: number
  correction_note: string | null
  corrections: Correction[]
  related: RelatedCard[]
  url: string
  can_edit: boolean
  can_review: boolean
  /** Why an editor returned it (its writers and editors only). */
  review_note: string | null
  /** Editors and its organisation's staff only. */
  body_md?: string
  related_refs?: RelatedRef[]
}

export interface ArticleQuery {
  category?: NewsCategory
  tag?: string
  q?: string
}

export interface ArticleInput {
  title: string
  body_md: string
  category: NewsCategory
  cover_file_id?: string | null
  related: RelatedRef[]
  publish_at_ms?: number
  summary?: string
  tags?: string[]
  org_id?: number
}

export type NewArticleInput = ArticleInput & { draft?: boolean }
export type ArticleUpdate = ArticleInput & { correction_note?: string }

/** What a write answers: at least the id and the status. */
export type ArticleState = Pick<Article, 'id' | 'status'> & Partial<Article>

export interface Revision {
  revision: number
  title: string
  body_md: string
  editor: { nickname: string }
  edited_at_ms: number
  is_correction: boolean
  note: string | null
}

/** A search hit: a summary with the words marked (escaped by the server, terms in `<mark>`). */
export type ArticleHit = ArticleSummary & { title_html: string; snippet_html: string }

const enc = (value: string | number) => encodeURIComponent(String(value))

/** Published articles, newest first; `limit` 1–50 (20 by default); `cursor` is the last page's `next_cursor`. */
export function listArticles(query: ArticleQuery, cursor: string | null, limit?: number): Promise<{ articles: ArticleSummary[]; next_cursor: string | null }> {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' && value !== '') {
      params.set(key, value)
    }
  }
  if (cursor !== null) {
    params.set('cursor', cursor)
  }
  if (limit !== undefined) {
    params.set('limit', String(limit))
  }
  const search = params.toString()
  return http.get(`/news/articles${search === '' ? '' : `?${search}`}`)
}

/** One article (counts a view). 404 for a draft, pending, returned, withdrawn or not-yet-due one to anyone but its writers and editors. */
export function getArticle(id: string): Promise<{ article: Article }> {
  return http.get(`/news/articles/${enc(id)}`)
}

/** Editors publish (or schedule); organisation staff submit for review; `draft: true` keeps a draft. */
export function createArticle(input: NewArticleInput): Promise<{ article: ArticleState }> {
  return http.post('/news/articles', input)
}

export function updateArticle(id: string, input: ArticleUpdate): Promise<{ article: ArticleState }> {
  return http.put(`/news/articles/${enc(id)}`, input)
}

/** A draft goes to review (organisations) or out (editors). */
export function submitArticle(id: string): Promise<{ article: ArticleState }> {
  return http.post(`/news/articles/${enc(id)}/submit`)
}

/** Editors, a `pending_review` article only; `return` needs a note. 409 `news.state` when another editor decided first. */
export function reviewArticle(id: string, decision: 'approve' | 'return', note?: string): Promise<{ article: ArticleState }> {
  return http.post(`/news/articles/${enc(id)}/review`, note === undefined ? { decision } : { decision, note })
}

export function withdrawArticle(id: string, reason: string): Promise<{ article: ArticleState }> {
  return http.post(`/news/articles/${enc(id)}/withdraw`, { reason })
}

/** Newest first; editors and its organisation's staff. */
export function listRevisions(id: string): Promise<{ revisions: Revision[] }> {
  return http.get(`/news/articles/${enc(id)}/revisions`)
}

/** The 编辑台: editors see every article, organisation staff their organisations'; 100 at most. */
export function listDesk(status?: ArticleStatus): Promise<{ articles: ArticleSummary[] }> {
  return http.get(`/news/desk${status === undefined ? '' : `?status=${enc(status)}`}`)
}

/** The share poster of an article (a PNG made by the server), for an `<img>`. */
export function posterUrl(id: string): string {
  return `/share/article/${enc(id)}.png`
}

/** The RSS 2.0 and Atom feeds of the 20 latest articles. */
export const FEED_URLS = { rss: '/news/rss.xml', atom: '/news/atom.xml' } as const
