/**
 * The routes of 服务申请 (casework), all behind the `casework` feature (its home section is
 * `services`): the catalogue and applying (residents), 我的申请 and one application (applicant
 * and staff alike: the page shows what the viewer may do), the staff inbox and service form,
 * and the supervisors' page (fund_admin or platform_admin).
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { CASEWORK_SUPERVISOR_ROLES, FEATURE_CASEWORK } from './gating'

const caseworkPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_CASEWORK,
  featureSection: 'services',
  ...extra,
})

export const caseworkRoutes: RouteRecordRaw[] = [
  {
    path: '/services',
    name: 'services',
    component: () => import('@/pages/casework/CataloguePage.vue'),
    meta: caseworkPage('casework.catalogue.title'),
  },
  {
    path: '/services/:id(\\d+)/apply',
    name: 'casework-apply',
    component: () => import('@/pages/casework/ApplyPage.vue'),
    meta: caseworkPage('casework.apply.title', { requiresAuth: true }),
  },
  {
    path: '/me/casework',
    name: 'my-casework',
    component: () => import('@/pages/casework/MyApplicationsPage.vue'),
    meta: caseworkPage('casework.mine.title', { requiresAuth: true }),
  },
  {
    path: '/casework/applications/:id(\\d+)',
    name: 'casework-application',
    component: () => import('@/pages/casework/ApplicationPage.vue'),
    meta: caseworkPage('casework.detail.title', { requiresAuth: true }),
  },
  {
    path: '/casework/staff',
    name: 'casework-staff',
    component: () => import('@/pages/casework/InboxPage.vue'),
    meta: caseworkPage('casework.inbox.title', { requiresRole: 'org_staff' }),
  },
  {
    path: '/casework/staff/services/new',
    name: 'casework-publish',
    component: () => import('@/pages/casework/PublishServicePage.vue'),
    meta: caseworkPage('casework.publish.title', { requiresRole: 'org_staff' }),
  },
  {
    path: '/casework/admin',
    name: 'casework-admin',
    component: () => import('@/pages/casework/SupervisionPage.vue'),
    meta: caseworkPage('casework.supervision.title', { requiresAuth: true, requiresAnyRole: CASEWORK_SUPERVISOR_ROLES }),
  },
]
