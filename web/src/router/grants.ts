/**
 * The routes of 项目申报与评审 (grant calls and review), behind the `grants` feature (home section
 * `grants`): the public calls, a call with its applications, its published results (公示) and an
 * application's public page;
 * organisation staff's applications and the application form; the reviewer's seats and scoring
 * sheet, and a resident's application to review; fund admins' calls, pool and meetings.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_GRANTS } from './gating'

/** Calls, applications and meetings are addressed by 20-character public ids. */
const ID = '[a-z2-7]{20}'

const grantsPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_GRANTS,
  featureSection: 'grants',
  ...extra,
})

const staffPage = (titleKey: string) => grantsPage(titleKey, { requiresAuth: true, requiresRole: 'org_staff' })
const adminPage = (titleKey: string) => grantsPage(titleKey, { requiresAuth: true, requiresRole: 'fund_admin' })

export const grantsRoutes: RouteRecordRaw[] = [
  {
    path: '/grants',
    name: 'grants',
    component: () => import('@/pages/grants/CallsPage.vue'),
    meta: grantsPage('grants.title'),
  },
  {
    path: `/grants/calls/:id(${ID})`,
    name: 'grants-call',
    component: () => import('@/pages/grants/CallPage.vue'),
    meta: grantsPage('grants.call.title'),
  },
  {
    path: `/grants/calls/:id(${ID})/notice`,
    name: 'grants-notice',
    component: () => import('@/pages/grants/NoticePage.vue'),
    meta: grantsPage('grants.notice.title'),
  },
  {
    path: `/grants/applications/:id(${ID})`,
    name: 'grants-application',
    component: () => import('@/pages/grants/ApplicationPage.vue'),
    meta: grantsPage('grants.application.title'),
  },
  {
    path: '/grants/mine',
    name: 'grants-mine',
    component: () => import('@/pages/grants/MyApplicationsPage.vue'),
    meta: staffPage('grants.mine.title'),
  },
  {
    path: `/grants/apply/:callId(${ID})`,
    name: 'grants-apply',
    component: () => import('@/pages/grants/ApplicationFormPage.vue'),
    meta: staffPage('grants.form.title'),
  },
  {
    path: `/grants/applications/:id(${ID})/edit`,
    name: 'grants-edit',
    component: () => import('@/pages/grants/ApplicationFormPage.vue'),
    meta: staffPage('grants.form.editTitle'),
  },
  {
    path: '/grants/review',
    name: 'grants-review',
    component: () => import('@/pages/grants-review/SeatsPage.vue'),
    meta: grantsPage('grants.review.title', { requiresAuth: true }),
  },
  {
    path: `/grants/review/:applicationId(${ID})`,
    name: 'grants-score',
    component: () => import('@/pages/grants-review/ScoreSheetPage.vue'),
    meta: grantsPage('grants.sheet.title', { requiresAuth: true }),
  },
  {
    path: '/grants/reviewer/apply',
    name: 'grants-reviewer-apply',
    component: () => import('@/pages/grants-review/ReviewerApplyPage.vue'),
    meta: grantsPage('grants.reviewerApply.title', { requiresAuth: true }),
  },
  {
    path: '/grants/admin',
    name: 'grants-admin',
    component: () => import('@/pages/grants-admin/AdminCallsPage.vue'),
    meta: adminPage('grants.admin.title'),
  },
  {
    path: `/grants/admin/calls/:id(${ID})`,
    name: 'grants-admin-call',
    component: () => import('@/pages/grants-admin/AdminCallPage.vue'),
    meta: adminPage('grants.adminCall.title'),
  },
  {
    path: '/grants/admin/pool',
    name: 'grants-admin-pool',
    component: () => import('@/pages/grants-admin/PoolPage.vue'),
    meta: adminPage('grants.pool.title'),
  },
  {
    path: `/grants/admin/meetings/:id(${ID})`,
    name: 'grants-admin-meeting',
    component: () => import('@/pages/grants-admin/MeetingPage.vue'),
    meta: adminPage('grants.meeting.title'),
  },
]
