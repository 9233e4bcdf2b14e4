/**
 * The routes of 社区论坛, behind the `forum` feature: 社区 (a tab: boards), a board's topics by page
 * (`?page=&filter=digest`), a topic by page of floors (`?page=`, `#floor-N`), 发帖, 我的帖子, 我的积分,
 * 本版积分规则 and 论坛管理 (moderators; the server decides whose boards). Reading needs no account.
 * 消息 (`/me/notifications`) is not the forum's: every section's messages land there.
 */
import type { RouteLocationRaw, RouteMeta, RouteRecordRaw } from 'vue-router'
import { pageOfFloor } from '@/stores/forum'
import { FEATURE_FORUM } from './gating'

const forumPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_FORUM,
  featureSection: 'forum',
  ...extra,
})

export const forumRoutes: RouteRecordRaw[] = [
  {
    path: '/forum',
    name: 'forum',
    component: () => import('@/pages/forum/ForumPage.vue'),
    meta: forumPage('forum.title', { tab: true }),
  },
  {
    path: '/forum/boards/:id(\\d+)',
    name: 'forum-board',
    component: () => import('@/pages/forum/BoardPage.vue'),
    meta: forumPage('forum.board.title'),
  },
  {
    path: '/forum/boards/:id(\\d+)/new',
    name: 'forum-new-thread',
    component: () => import('@/pages/forum/NewThreadPage.vue'),
    meta: forumPage('forum.compose.title', { requiresAuth: true }),
  },
  {
    path: '/forum/threads/:id(\\d+)',
    name: 'forum-thread',
    component: () => import('@/pages/forum/ThreadPage.vue'),
    meta: forumPage('forum.thread.title'),
  },
  {
    path: '/forum/me/posts',
    name: 'forum-my-posts',
    component: () => import('@/pages/forum/MyPostsPage.vue'),
    meta: forumPage('forum.mine.postsTitle', { requiresAuth: true }),
  },
  {
    path: '/forum/me/credits',
    name: 'forum-my-credits',
    component: () => import('@/pages/forum/MyCreditsPage.vue'),
    meta: forumPage('forum.mine.creditsTitle', { requiresAuth: true }),
  },
  {
    path: '/forum/search',
    name: 'forum-search',
    component: () => import('@/pages/forum/SearchPage.vue'),
    meta: forumPage('forum.search.title'),
  },
  {
    path: '/forum/rules',
    name: 'forum-rules',
    component: () => import('@/pages/forum/RulesPage.vue'),
    meta: forumPage('forum.rules.title'),
  },
  {
    path: '/forum/moderation',
    name: 'forum-moderation',
    component: () => import('@/pages/forum/ModerationPage.vue'),
    meta: forumPage('forum.moderation.title', { requiresAuth: true }),
  },
  {
    path: '/me/notifications',
    name: 'notifications',
    component: () => import('@/pages/me/NotificationsPage.vue'),
    meta: { titleKey: 'forum.notifications.title', requiresAuth: true },
  },
]

/** Where a floor is read: its topic on the page the floor is on, scrolled to it (`#floor-N`). */
export function floorLocation(threadId: number, floor: number): RouteLocationRaw {
  const page = pageOfFloor(floor)
  return { name: 'forum-thread', params: { id: threadId }, query: page > 1 ? { page: String(page) } : {}, hash: `#floor-${floor}` }
}
