/**
 * The routes of 党员接待室, behind the `reception` feature: 接待室 (my rooms with today's members on
 * duty and the recent visits), 登记来访 (`?room=` preselects the room), a visit's page (resolve,
 * refer in one step), and 接待室管理 for the rooms' managers (rooms, duty rosters, a village's
 * visits, 月度统计). The server checks every scope again.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_RECEPTION, RECEPTION_MANAGE_ROLES } from './gating'

const receptionPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_RECEPTION,
  featureSection: 'reception',
  requiresAuth: true,
  ...extra,
})

export const receptionRoutes: RouteRecordRaw[] = [
  {
    path: '/reception',
    name: 'reception',
    component: () => import('@/pages/reception/ReceptionPage.vue'),
    meta: receptionPage('reception.title'),
  },
  {
    path: '/reception/visits/new',
    name: 'reception-visit-new',
    component: () => import('@/pages/reception/VisitFormPage.vue'),
    meta: receptionPage('reception.form.title'),
  },
  {
    path: '/reception/visits/:id([A-Za-z0-9_-]{1,64})',
    name: 'reception-visit',
    component: () => import('@/pages/reception/VisitPage.vue'),
    meta: receptionPage('reception.visit.title'),
  },
  {
    path: '/reception/manage',
    name: 'reception-manage',
    component: () => import('@/pages/reception/ManagePage.vue'),
    meta: receptionPage('reception.manage.title', { requiresAnyRole: RECEPTION_MANAGE_ROLES }),
  },
]
