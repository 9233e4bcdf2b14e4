/**
 * The routes of 资讯, behind the `news` feature: the list (`?category=&tag=`), an article
 * (`/news/:id`, a public id), and for writers (editors, platform admins, organisation staff; the
 * server decides every action again) the 编辑台 (`?status=`), 写资讯 and 编辑.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_NEWS, NEWS_WRITER_ROLES } from './gating'

/** An article's public id in a path: 20 characters of base32 (a–z, 2–7). */
const ARTICLE_ID = '[a-z2-7]{20}'

const newsPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_NEWS,
  featureSection: 'news',
  ...extra,
})

const writerPage = (titleKey: string): RouteMeta => newsPage(titleKey, { requiresAuth: true, requiresAnyRole: NEWS_WRITER_ROLES })

export const newsRoutes: RouteRecordRaw[] = [
  {
    path: '/news',
    name: 'news',
    component: () => import('@/pages/news/NewsListPage.vue'),
    meta: newsPage('news.title'),
  },
  {
    path: '/news/desk',
    name: 'news-desk',
    component: () => import('@/pages/news/DeskPage.vue'),
    meta: writerPage('news.desk.title'),
  },
  {
    path: '/news/new',
    name: 'news-new',
    component: () => import('@/pages/news/ArticleFormPage.vue'),
    meta: writerPage('news.form.newTitle'),
  },
  {
    path: `/news/:id(${ARTICLE_ID})`,
    name: 'news-article',
    component: () => import('@/pages/news/ArticlePage.vue'),
    meta: newsPage('news.article.title'),
  },
  {
    path: `/news/:id(${ARTICLE_ID})/edit`,
    name: 'news-edit',
    component: () => import('@/pages/news/ArticleFormPage.vue'),
    meta: writerPage('news.form.editTitle'),
  },
]
