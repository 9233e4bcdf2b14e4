/**
 * Routes (history mode: the server must answer unknown non-API paths with index.html).
 * `meta.titleKey` names the header title, `meta.tab` shows the tab bar, `meta.requiresAuth`
 * and `meta.guestOnly` are enforced by the guard below (the server enforces them again).
 */
import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router'
import HomePage from '@/pages/home/HomePage.vue'
import { useAuthStore } from '@/stores/auth'
import { SECTION_KEYS } from './sections'

declare module 'vue-router' {
  interface RouteMeta {
    titleKey: string
    /** When set, the title key is `${titleKeyPrefix}.${params.key}` (e.g. a section's name). */
    titleKeyPrefix?: string
    /** Top-level tab page: shows the tab bar, no back button. */
    tab?: boolean
    requiresAuth?: boolean
    /** Login/register/recover: a signed-in user goes to 我的 instead. */
    guestOnly?: boolean
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage, meta: { titleKey: 'home.title', tab: true } },
  {
    path: '/events',
    name: 'events',
    component: () => import('@/pages/events/EventsPage.vue'),
    meta: { titleKey: 'events.title', tab: true },
  },
  {
    path: '/me',
    name: 'me',
    component: () => import('@/pages/me/MePage.vue'),
    meta: { titleKey: 'me.title', tab: true },
  },
  {
    path: '/me/sessions',
    name: 'sessions',
    component: () => import('@/pages/me/SessionsPage.vue'),
    meta: { titleKey: 'sessions.title', requiresAuth: true },
  },
  {
    path: '/me/delete',
    name: 'delete-account',
    component: () => import('@/pages/me/DeleteAccountPage.vue'),
    meta: { titleKey: 'deleteAccount.title', requiresAuth: true },
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('@/pages/auth/LoginPage.vue'),
    meta: { titleKey: 'login.title', guestOnly: true },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('@/pages/auth/RegisterPage.vue'),
    meta: { titleKey: 'register.title', guestOnly: true },
  },
  {
    path: '/recover',
    name: 'recover',
    component: () => import('@/pages/auth/RecoverPage.vue'),
    meta: { titleKey: 'recover.title', guestOnly: true },
  },
  {
    path: '/privacy',
    name: 'privacy',
    component: () => import('@/pages/privacy/PrivacyPage.vue'),
    meta: { titleKey: 'privacy.title' },
  },
  {
    path: `/section/:key(${SECTION_KEYS.join('|')})`,
    name: 'section',
    component: () => import('@/pages/coming-soon/ComingSoonPage.vue'),
    meta: { titleKey: 'app.name', titleKeyPrefix: 'sections' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/pages/not-found/NotFoundPage.vue'),
    meta: { titleKey: 'notFound.title' },
  },
]

/** Only same-app paths are accepted as a post-login destination (no open redirect). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/me'
}

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })

  router.beforeEach(async (to): Promise<true | RouteLocationRaw> => {
    if (!to.meta.requiresAuth && !to.meta.guestOnly) {
      return true
    }
    const auth = useAuthStore()
    await auth.ensureLoaded()
    if (to.meta.requiresAuth && !auth.isLoggedIn) {
      return { name: 'login', query: { redirect: to.fullPath } }
    }
    if (to.meta.guestOnly && auth.isLoggedIn) {
      return { name: 'me' }
    }
    return true
  })

  return router
}
