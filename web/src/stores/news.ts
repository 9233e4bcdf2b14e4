/**
 * 资讯 for a reader: published articles by category or tag, loaded page by page through
 * `next_cursor`, and one article with its corrections and related cards. An editor reviewing an
 * article from its own page decides here too (the answer's status replaces the one shown). The
 * 编辑台 and the writing form are `newsDesk`.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '@/api/news'
import { attemptSignedIn, useAuthStore } from './auth'
import { cursorPages } from './cursorPages'
import { attempt, ok, type Result } from './result'

export type { Article, ArticleHit, ArticleQuery, ArticleStatus, ArticleSummary, Correction, NewsCategory, RelatedAction, RelatedCard, RelatedKind } from '@/api/news'
export { ARTICLE_STATUSES, NEWS_CATEGORIES, RELATED_KINDS, posterUrl } from '@/api/news'

export const NEWS_PAGE_SIZE = 20

/** Whether a route parameter is an article's public id (20 characters of `[a-z2-7]`). */
export function isArticleId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z2-7]{20}$/.test(value)
}

/** The address to share: the article's page on this site (`origin` is the page's own). */
export function articleLink(origin: string, article: Pick<api.Article, 'id' | 'url'>): string {
  return `${origin}${article.url || `/news/${article.id}`}`
}

export const useNewsStore = defineStore('news', () => {
  const auth = useAuthStore()
  const list = cursorPages(async (query: api.ArticleQuery, cursor) => {
    const page = await api.listArticles(query, cursor, NEWS_PAGE_SIZE)
    return { items: page.articles, next_cursor: page.next_cursor }
  })
  const article = ref<api.Article | null>(null)

  // Another account may see another article (a draft, `can_edit`, `can_review`).
  watch(
    () => auth.user?.id ?? null,
    () => {
      article.value = null
    },
  )

  /** Reads one article (the server counts a view). */
  async function load(id: string): Promise<Result> {
    if (article.value?.id !== id) {
      article.value = null
    }
    const result = await attempt(() => api.getArticle(id))
    if (!result.ok) {
      return result
    }
    article.value = result.value.article
    return ok()
  }

  /** An editor's decision on a pending article; the article is read again so its page shows what it became. */
  async function review(id: string, decision: 'approve' | 'return', note?: string): Promise<Result<api.ArticleState>> {
    const result = await attemptSignedIn(() => api.reviewArticle(id, decision, note))
    if (!result.ok) {
      return result
    }
    if (article.value?.id === id) {
      await load(id)
    }
    return ok(result.value.article)
  }

  return {
    articles: list.items,
    query: list.query,
    finished: list.finished,
    setQuery: list.setQuery,
    loadMore: list.loadMore,
    article,
    load,
    review,
  }
})
