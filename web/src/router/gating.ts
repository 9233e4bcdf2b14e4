/**
 * Feature and role gating, as pure functions of what the server said (`GET /meta` features, the
 * signed-in user's roles) so they are unit-tested without a browser. The router guard and the
 * pages (home grid, 我的 menu) both use them, so a link is shown exactly when its route opens.
 */
import type { RouteLocationRaw, RouteMeta } from 'vue-router'
import type { RoleName } from '@/api/types'
import { isSectionKey, SECTIONS, type Section, type SectionKey } from './sections'

export const FEATURE_FUND = 'fund'
export const FEATURE_FUND_ADMIN = 'fund_admin'
export const FEATURE_EVENTS = 'events'
export const FEATURE_VOLUNTEERS = 'volunteers'
export const FEATURE_SHOP = 'shop'
export const FEATURE_AUCTION = 'auction'

export interface GateContext {
  features: readonly string[]
  /** Null when nobody is signed in. */
  roles: readonly RoleName[] | null
}

/** The coming-soon page of the section a gated route belongs to. */
export function comingSoon(section: SectionKey): RouteLocationRaw {
  return { name: 'section', params: { key: section } }
}

/** Where a home-grid section links: its own route once its feature is on, else coming soon. */
export function sectionTarget(section: Section, features: readonly string[]): RouteLocationRaw {
  if (section.feature && section.routeName && features.includes(section.feature)) {
    return { name: section.routeName }
  }
  return comingSoon(section.key)
}

export function hasRole(ctx: GateContext, role: RoleName): boolean {
  return ctx.roles?.includes(role) ?? false
}

/** Whether the 我的 page shows the fund admin menu: both the feature and the role. */
export function canAdministerFund(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_FUND_ADMIN) && hasRole(ctx, 'fund_admin')
}

/** Whether the 我的 page shows 活动管理: the events feature and an organisation staff role. */
export function canManageEvents(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_EVENTS) && hasRole(ctx, 'org_staff')
}

/**
 * The feature part of the guard: a route whose feature is off goes to its section's
 * coming-soon page; the coming-soon page of a section that has opened goes to the section.
 */
export function featureGate(
  meta: RouteMeta,
  params: Record<string, unknown>,
  features: readonly string[],
): true | RouteLocationRaw {
  if (meta.feature && !features.includes(meta.feature)) {
    return comingSoon(meta.featureSection ?? 'fund')
  }
  if (meta.titleKeyPrefix === 'sections' && isSectionKey(params.key)) {
    const section = SECTIONS.find((s) => s.key === params.key)
    if (section?.feature && section.routeName && features.includes(section.feature)) {
      return { name: section.routeName, replace: true }
    }
  }
  return true
}

/** The role part, run after sign-in is known: lacking the role, the user goes to 我的. */
export function roleGate(meta: RouteMeta, ctx: GateContext): true | RouteLocationRaw {
  if (meta.requiresRole && !hasRole(ctx, meta.requiresRole)) {
    return { name: 'me' }
  }
  if (meta.requiresAnyRole && !meta.requiresAnyRole.some((role) => hasRole(ctx, role))) {
    return { name: 'me' }
  }
  return true
}

/* 服务申请 (casework): the `services` home section, staff management and supervision. */
export const FEATURE_CASEWORK = 'casework'
/** Who may see the escalations and statistics of 服务申请. */
export const CASEWORK_SUPERVISOR_ROLES: readonly RoleName[] = ['fund_admin', 'platform_admin']

/** Whether the 我的 page links to 我的申请. */
export function canApplyCasework(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_CASEWORK) && ctx.roles !== null
}

/** Whether the 我的 page shows 服务申请管理: the feature and the `org_staff` role. */
export function canManageCasework(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_CASEWORK) && hasRole(ctx, 'org_staff')
}

/** Whether the 我的 page shows 服务申请督办: the feature and `fund_admin` or `platform_admin`. */
export function canSuperviseCasework(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_CASEWORK) && CASEWORK_SUPERVISOR_ROLES.some((role) => hasRole(ctx, role))
}

/* 公益商城 (shop): staff of a selling organisation, and the fund admins' review. */

/** Whether the 我的 page links to 我的订单 of the shop: the feature and someone signed in. */
export function canBuyInShop(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_SHOP) && ctx.roles !== null
}

/** Whether the 我的 page shows 商品管理 and the shop's staff pages: the feature and `org_staff`. */
export function canSellInShop(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_SHOP) && hasRole(ctx, 'org_staff')
}

/** Whether the 我的 page shows 商品审核: the feature and `fund_admin`. */
export function canReviewShop(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_SHOP) && hasRole(ctx, 'fund_admin')
}

/* 公益拍卖 (auction): 我的竞拍 for everyone signed in, 拍品管理 for fund admins. */

/** Whether the 我的 page links to 我的竞拍. */
export function canBid(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_AUCTION) && ctx.roles !== null
}

/** Whether the 我的 page shows 拍品管理: the feature and the `fund_admin` role. */
export function canManageLots(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_AUCTION) && hasRole(ctx, 'fund_admin')
}

/* 项目申报与评审 (grants): applications for staff, review for reviewers, management for fund admins. */
export const FEATURE_GRANTS = 'grants'

/** Whether the 我的 page shows the grants links at all: the feature and someone signed in. */
export function canSeeGrants(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_GRANTS) && ctx.roles !== null
}

/** Whether the 我的 page links to 我的项目申报: the feature and `org_staff`. */
export function canApplyGrants(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_GRANTS) && hasRole(ctx, 'org_staff')
}

/** Whether the 我的 page shows 项目申报管理: the feature and `fund_admin`. */
export function canManageGrants(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_GRANTS) && hasRole(ctx, 'fund_admin')
}

/* 社工服务进村(居) (market): the public catalogue, 村居工作台, the organisations' listings, approval. */
export const FEATURE_MARKET = 'market'
/** Who approves listings into the catalogue. */
export const MARKET_ADMIN_ROLES: readonly RoleName[] = ['fund_admin', 'platform_admin']

/** Whether the 我的 page links to 我的村需求调查: the feature and someone signed in. */
export function canAnswerMarketSurveys(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_MARKET) && ctx.roles !== null
}

/** Whether the 我的 page shows 村居工作台: the feature and `village_staff`. */
export function canRunVillageMarket(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_MARKET) && hasRole(ctx, 'village_staff')
}

/** Whether the 我的 page shows 我的服务项目: the feature and `org_staff`. */
export function canListInMarket(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_MARKET) && hasRole(ctx, 'org_staff')
}

/** Whether the 我的 page shows 服务项目审核: the feature and `fund_admin` or `platform_admin`. */
export function canReviewMarket(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_MARKET) && MARKET_ADMIN_ROLES.some((role) => hasRole(ctx, role))
}

/* 党员社工培育 (training): 我的培训 for everyone signed in, 培训管理 for trainers and platform admins. */
export const FEATURE_TRAINING = 'training'
/** Who runs classes: trainers, and platform admins (who may do everything a trainer may). */
export const TRAINING_ROLES: readonly RoleName[] = ['trainer', 'platform_admin']

/** Whether the 我的 page links to 我的培训: the feature and someone signed in. */
export function canTrain(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_TRAINING) && ctx.roles !== null
}

/** Whether the 我的 page and 我的培训 show 培训管理: the feature and `trainer` or `platform_admin`. */
export function canManageTraining(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_TRAINING) && TRAINING_ROLES.some((role) => hasRole(ctx, role))
}

/* 党员接待室 (reception): 接待室 for everyone signed in (the page says when it is not for them), 接待室管理 for a room's managers. */
export const FEATURE_RECEPTION = 'reception'
/** Who manages rooms: a village's staff (their village's), trainers and platform admins (every village's). */
export const RECEPTION_MANAGE_ROLES: readonly RoleName[] = ['village_staff', 'trainer', 'platform_admin']

/** Whether 接待室 and 培训管理 show 接待室管理: the feature and one of `RECEPTION_MANAGE_ROLES`. */
export function canManageReception(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_RECEPTION) && RECEPTION_MANAGE_ROLES.some((role) => hasRole(ctx, role))
}

/* 社区论坛 (forum): reading is open to everyone, writing to someone signed in; moderators are told by the server (`moderate`). */
export const FEATURE_FORUM = 'forum'

/* 资讯 (news): reading is open to everyone; editors (and platform admins) and organisation staff write, editors review. */
export const FEATURE_NEWS = 'news'
/** Who opens the 编辑台 and writes. */
export const NEWS_WRITER_ROLES: readonly RoleName[] = ['editor', 'platform_admin', 'org_staff']

/** Whether 资讯 links to the 编辑台 and 写资讯: the feature and one of `NEWS_WRITER_ROLES`. */
export function canWriteNews(ctx: GateContext): boolean {
  return ctx.features.includes(FEATURE_NEWS) && NEWS_WRITER_ROLES.some((role) => hasRole(ctx, role))
}
