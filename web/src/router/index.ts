/**
 * Routes (history mode: the server must answer unknown non-API paths with index.html).
 * `meta.titleKey` names the header title, `meta.tab` shows the tab bar, `meta.requiresAuth`,
 * `meta.guestOnly`, `meta.feature` and `meta.requiresRole` are enforced by the guard below (the
 * server enforces them again). A gated section's routes lead to its coming-soon page until the
 * server lists the feature in `GET /meta` (gating.ts).
 */
import { createRouter, createWebHistory, START_LOCATION, type RouteLocationRaw, type RouteMeta, type RouteRecordRaw, type Router, type RouterScrollBehavior } from 'vue-router'
import HomePage from '@/pages/home/HomePage.vue'
import type { RoleName } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { useMetaStore } from '@/stores/meta'
import { auctionRoutes } from './auction'
import { caseworkRoutes } from './casework'
import { grantsRoutes } from './grants'
import { grantsProjectsRoutes } from './grantsProjects'
import { talentRoutes } from './talent'
import { marketRoutes } from './market'
import { FEATURE_EVENTS, FEATURE_FUND, FEATURE_FUND_ADMIN, FEATURE_VOLUNTEERS, featureGate, roleGate } from './gating'
import { SECTION_KEYS, type SectionKey } from './sections'
import { shopRoutes } from './shop'
import { receptionRoutes } from './reception'
import { forumRoutes } from './forum'
import { newsRoutes } from './news'
import { trainingRoutes } from './training'

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
    /** The route opens only when `GET /meta` lists this feature; else its section's coming-soon page. */
    feature?: string
    /** The home section the feature belongs to (default `fund`). */
    featureSection?: SectionKey
    /** A signed-in user without this role goes to 我的. Implies `requiresAuth`. */
    requiresRole?: RoleName
    /** A signed-in user with none of these roles goes to 我的. Set `requiresAuth` with it. */
    requiresAnyRole?: readonly RoleName[]
  }
}

/**
 * A payment's or donation's public id in a path: 20 characters of base32 (a–z, 2–7). A guest's
 * access token travels in the query (`?token=`), not in the path.
 */
const PUBLIC_ID = '[a-z2-7]{20}'

const fundPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_FUND,
  ...extra,
})

const fundAdminPage = (titleKey: string): RouteMeta => ({
  titleKey,
  feature: FEATURE_FUND_ADMIN,
  requiresAuth: true,
  requiresRole: 'fund_admin' as const,
})

const eventsPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_EVENTS,
  featureSection: 'events',
  ...extra,
})

/** Organisation staff pages; the server checks that the event is their organisation's. */
const eventStaffPage = (titleKey: string): RouteMeta => eventsPage(titleKey, { requiresAuth: true, requiresRole: 'org_staff' })

/**
 * A session's attendance and check-in: its organisation's staff, or — a training class's session
 * (docs/api-training.md) — the class's trainers. The server decides which event is whose.
 */
const EVENT_RUNNER_ROLES: readonly RoleName[] = ['org_staff', 'trainer', 'platform_admin']
const eventRunnerPage = (titleKey: string): RouteMeta => eventsPage(titleKey, { requiresAuth: true, requiresAnyRole: EVENT_RUNNER_ROLES })

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage, meta: { titleKey: 'home.title', tab: true } },
  {
    path: '/events',
    name: 'events',
    component: () => import('@/pages/events/EventsPage.vue'),
    meta: eventsPage('events.title', { tab: true }),
  },
  {
    path: '/events/:id(\\d+)',
    name: 'event',
    component: () => import('@/pages/events/EventDetailPage.vue'),
    meta: eventsPage('event.title'),
  },
  {
    path: '/events/:id(\\d+)/signup',
    name: 'event-signup',
    component: () => import('@/pages/events/SignupPage.vue'),
    meta: eventsPage('signup.title', { requiresAuth: true }),
  },
  {
    path: '/me/events',
    name: 'my-events',
    component: () => import('@/pages/events/MyEventsPage.vue'),
    meta: eventsPage('myEvents.title', { requiresAuth: true }),
  },
  {
    path: '/me/tickets/:regId([a-z2-7]{20})',
    name: 'ticket',
    component: () => import('@/pages/events/TicketPage.vue'),
    meta: eventsPage('ticket.title', { requiresAuth: true }),
  },
  {
    path: '/me/village',
    name: 'my-village',
    component: () => import('@/pages/me/VillagePage.vue'),
    meta: eventsPage('village.title', { requiresAuth: true }),
  },
  {
    path: '/events/manage',
    name: 'events-manage',
    component: () => import('@/pages/events-admin/ManageEventsPage.vue'),
    meta: eventStaffPage('eventAdmin.title'),
  },
  {
    path: '/events/new',
    name: 'event-create',
    component: () => import('@/pages/events-admin/CreateEventPage.vue'),
    meta: eventStaffPage('eventAdmin.create.title'),
  },
  {
    path: '/events/:id(\\d+)/attendance',
    name: 'event-attendance',
    component: () => import('@/pages/events-admin/AttendancePage.vue'),
    meta: eventRunnerPage('eventAdmin.attendance.title'),
  },
  {
    path: '/events/:id(\\d+)/checkin',
    name: 'event-checkin',
    component: () => import('@/pages/events-admin/CheckinPage.vue'),
    meta: eventRunnerPage('eventAdmin.checkin.title'),
  },
  {
    path: '/volunteer',
    name: 'volunteer',
    component: () => import('@/pages/volunteer/VolunteerPage.vue'),
    meta: { titleKey: 'volunteer.title', feature: FEATURE_VOLUNTEERS, featureSection: 'volunteers', requiresAuth: true },
  },
  {
    path: '/me',
    name: 'me',
    component: () => import('@/pages/me/MePage.vue'),
    meta: { titleKey: 'me.title', tab: true },
  },
  {
    // 短信发送: what the outbox could not deliver (platform administrators; the server checks).
    path: '/operator/outbox',
    name: 'operator-outbox',
    component: () => import('@/pages/operator/OutboxPage.vue'),
    meta: { titleKey: 'operator.outbox.title', requiresAuth: true, requiresRole: 'platform_admin' },
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
    path: '/fund',
    name: 'fund',
    component: () => import('@/pages/fund/FundSummaryPage.vue'),
    meta: fundPage('fund.title'),
  },
  {
    path: '/fund/journal',
    name: 'fund-journal',
    component: () => import('@/pages/fund/FundJournalPage.vue'),
    meta: fundPage('journal.title'),
  },
  {
    path: '/fund/reports',
    name: 'fund-reports',
    component: () => import('@/pages/fund/FundReportsPage.vue'),
    meta: fundPage('reports.title'),
  },
  {
    path: '/fund/reports/:id(\\d+)',
    name: 'fund-report',
    component: () => import('@/pages/fund/FundReportPage.vue'),
    meta: fundPage('report.title'),
  },
  {
    path: '/fund/donate',
    name: 'fund-donate',
    component: () => import('@/pages/fund/DonatePage.vue'),
    meta: fundPage('donate.title'),
  },
  {
    path: `/fund/donations/:id(${PUBLIC_ID})`,
    name: 'donation',
    component: () => import('@/pages/fund/DonationPage.vue'),
    meta: fundPage('donation.title'),
  },
  {
    path: `/fund/donations/:id(${PUBLIC_ID})/trace`,
    name: 'donation-trace',
    component: () => import('@/pages/fund/DonationTracePage.vue'),
    meta: fundPage('trace.title'),
  },
  {
    path: '/r/:receiptNo',
    name: 'receipt-verify',
    component: () => import('@/pages/fund/ReceiptVerifyPage.vue'),
    meta: fundPage('verify.title'),
  },
  {
    path: `/pay/sandbox/:id(${PUBLIC_ID})`,
    name: 'pay-sandbox',
    component: () => import('@/pages/pay/PaySandboxPage.vue'),
    meta: fundPage('pay.title'),
  },
  {
    path: `/pay/:provider(wechatpay|alipay)/:id(${PUBLIC_ID})`,
    name: 'pay',
    component: () => import('@/pages/pay/PayPage.vue'),
    meta: fundPage('pay.title'),
  },
  {
    path: '/me/donations',
    name: 'my-donations',
    component: () => import('@/pages/fund/MyDonationsPage.vue'),
    meta: fundPage('myDonations.title', { requiresAuth: true }),
  },
  {
    path: '/fund/admin',
    name: 'fund-admin',
    component: () => import('@/pages/fund-admin/FundAdminPage.vue'),
    meta: fundAdminPage('fundAdmin.title'),
  },
  {
    path: '/fund/admin/allocation',
    name: 'fund-admin-allocation',
    component: () => import('@/pages/fund-admin/AllocationPage.vue'),
    meta: fundAdminPage('fundAdmin.allocation.title'),
  },
  {
    path: '/fund/admin/cofunding',
    name: 'fund-admin-cofunding',
    component: () => import('@/pages/fund-admin/CofundingPage.vue'),
    meta: fundAdminPage('fundAdmin.cofunding.title'),
  },
  {
    path: '/fund/admin/purpose',
    name: 'fund-admin-purpose',
    component: () => import('@/pages/fund-admin/PurposePage.vue'),
    meta: fundAdminPage('fundAdmin.purpose.title'),
  },
  {
    path: '/fund/admin/sponsorships',
    name: 'fund-admin-sponsorships',
    component: () => import('@/pages/fund-admin/SponsorshipsPage.vue'),
    meta: fundAdminPage('fundAdmin.sponsorship.title'),
  },
  {
    path: '/fund/admin/commitment',
    name: 'fund-admin-commitment',
    component: () => import('@/pages/fund-admin/CommitmentPage.vue'),
    meta: fundAdminPage('fundAdmin.commitment.title'),
  },
  {
    path: '/fund/admin/disbursements',
    name: 'fund-admin-disbursements',
    component: () => import('@/pages/fund-admin/DisbursementsPage.vue'),
    meta: fundAdminPage('fundAdmin.disbursement.title'),
  },
  {
    path: '/fund/admin/refund',
    name: 'fund-admin-refund',
    component: () => import('@/pages/fund-admin/RefundPage.vue'),
    meta: fundAdminPage('fundAdmin.refund.title'),
  },
  {
    path: '/fund/admin/disclosures',
    name: 'fund-admin-disclosures',
    component: () => import('@/pages/fund-admin/DisclosuresPage.vue'),
    meta: fundAdminPage('fundAdmin.disclosure.title'),
  },
  ...caseworkRoutes,
  ...shopRoutes,
  ...auctionRoutes,
  ...grantsRoutes,
  ...grantsProjectsRoutes,
  ...talentRoutes,
  ...marketRoutes,
  ...trainingRoutes,
  ...receptionRoutes,
  ...forumRoutes,
  ...newsRoutes,
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

/**
 * Starts fetching the code of the page at `path` (its lazily loaded route components) without
 * waiting for the navigation. The guard awaits `GET /meta` before vue-router loads a gated page's
 * chunk; called at startup, the chunk downloads alongside /meta instead of after it (the module
 * cache hands vue-router the same module later). Returns the loads started; a failed load is left
 * to the navigation itself, which reports it.
 */
export function preloadRoute(router: Router, path: string): Promise<unknown>[] {
  const loads: Promise<unknown>[] = []
  for (const record of router.resolve(path).matched) {
    for (const component of Object.values(record.components ?? {})) {
      // Same test as vue-router's: a component is an object (or carries component fields); a
      // plain function is a lazy loader `() => import(...)`.
      if (typeof component === 'function' && !('displayName' in component) && !('props' in component) && !('__vccOpts' in component)) {
        loads.push((component as () => Promise<unknown>)().catch(() => undefined))
      }
    }
  }
  return loads
}

/** Only same-app paths are accepted as a post-login destination (no open redirect). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/me'
}

/**
 * Back and forward return to where the reader was; any other navigation starts at the top. The
 * page the app opens on is left where the browser has it: scrolling there would read the layout
 * of a half-built page (a forced layout of the whole document while it loads).
 */
export const scrollBehavior: RouterScrollBehavior = (_to, from, saved) => saved ?? (from === START_LOCATION ? false : { top: 0 })

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    scrollBehavior,
  })
  installGuards(router)
  return router
}

/** The navigation guard: features (GET /meta), sign-in, guest-only pages, roles. */
export function installGuards(router: Router): void {
  router.beforeEach(async (to): Promise<true | RouteLocationRaw> => {
    if (to.meta.feature || to.name === 'section') {
      const metaStore = useMetaStore()
      // A failed /meta leaves features empty: the section stays "coming soon" (retried next time).
      await metaStore.load()
      const gate = featureGate(to.meta, to.params, metaStore.features)
      if (gate !== true) {
        return gate
      }
    }
    const requiresAuth = to.meta.requiresAuth || to.meta.requiresRole !== undefined
    if (!requiresAuth && !to.meta.guestOnly) {
      return true
    }
    const auth = useAuthStore()
    await auth.ensureLoaded()
    if (requiresAuth && !auth.isLoggedIn) {
      return { name: 'login', query: { redirect: to.fullPath } }
    }
    if (to.meta.guestOnly && auth.isLoggedIn) {
      return { name: 'me' }
    }
    const roles = auth.user?.roles.map((grant) => grant.role) ?? null
    return roleGate(to.meta, { features: useMetaStore().features, roles })
  })
}
