/**
 * The routes of 社工证 and 人才库, behind the `talent` feature: 我的人才库 for everyone signed in (my
 * qualifications, my pool entry, my invitations), 人才搜索 for org staff, trainers and platform
 * admins, and 社工证审核 for trainers; and 培训成效, the training outcomes dashboard, behind
 * `training` (trainers, fund admins, platform admins). The server checks every scope again.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import type { RoleName } from '@/api/types'
import { FEATURE_TRAINING, type GateContext, hasRole, TRAINING_ROLES } from './gating'

export const FEATURE_TALENT = 'talent'
/** Who searches the pool: the server refuses residents. */
export const TALENT_SEARCH_ROLES: readonly RoleName[] = ['org_staff', 'trainer', 'platform_admin']
/** Who reads the outcomes dashboard. */
export const DASHBOARD_ROLES: readonly RoleName[] = ['trainer', 'fund_admin', 'platform_admin']

const anyOf = (ctx: GateContext, roles: readonly RoleName[]) => roles.some((role) => hasRole(ctx, role))

/** Whether 我的人才库 is offered: the feature and someone signed in. */
export function canUseTalent(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_TALENT) && ctx.roles !== null
}

/** Whether 人才搜索 is offered: the feature and org staff, a trainer or a platform admin. */
export function canSearchTalent(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_TALENT) && anyOf(ctx, TALENT_SEARCH_ROLES)
}

/** Whether 社工证审核 is offered: the feature and a trainer or platform admin. */
export function canReviewQualifications(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_TALENT) && anyOf(ctx, TRAINING_ROLES)
}

/** Whether 培训成效 is offered: the training feature and a trainer, fund admin or platform admin. */
export function canSeeDashboard(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_TRAINING) && anyOf(ctx, DASHBOARD_ROLES)
}

const page = (titleKey: string, feature: string, extra: Partial<RouteMeta>): RouteMeta => ({
  titleKey,
  feature,
  featureSection: 'training',
  requiresAuth: true,
  ...extra,
})

export const talentRoutes: RouteRecordRaw[] = [
  {
    path: '/talent',
    name: 'talent',
    component: () => import('@/pages/talent/MyTalentPage.vue'),
    meta: page('talent.title', FEATURE_TALENT, {}),
  },
  {
    path: '/talent/search',
    name: 'talent-search',
    component: () => import('@/pages/talent/SearchPage.vue'),
    meta: page('talent.search.title', FEATURE_TALENT, { requiresAnyRole: TALENT_SEARCH_ROLES }),
  },
  {
    path: '/talent/qualifications',
    name: 'talent-qualifications',
    component: () => import('@/pages/talent/QualificationReviewPage.vue'),
    meta: page('talent.review.title', FEATURE_TALENT, { requiresAnyRole: TRAINING_ROLES }),
  },
  {
    path: '/training/dashboard',
    name: 'training-dashboard',
    component: () => import('@/pages/talent/DashboardPage.vue'),
    meta: page('talent.dashboard.title', FEATURE_TRAINING, { requiresAnyRole: DASHBOARD_ROLES }),
  },
]
