/**
 * The routes of 社工服务进村(居), behind the `market` feature: the public catalogue and a project's
 * page (with where it is wanted), a need's page with its matches; 村居工作台 (needs, surveys, quote
 * requests, contracts) for village staff; a quote request's and a contract's pages for both
 * parties; a village's public page (村务公开); the 供需见面会 (list, page with booths, shortlists
 * and report, the admins' form); 我的村需求调查 for residents; 我的服务项目 and the listing form for organisation
 * staff; the approval queue for fund and platform admins. The server checks every scope again.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_MARKET, MARKET_ADMIN_ROLES } from './gating'

/** Projects, needs and survey rounds are addressed by 20-character public ids. */
const ID = '[a-z2-7]{20}'
/** Quote requests and contracts: by the ids the server gives them. */
const PURCHASE_ID = '[A-Za-z0-9_-]{1,40}'

const marketPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_MARKET,
  featureSection: 'market',
  ...extra,
})

const villageStaff = { requiresAuth: true, requiresRole: 'village_staff' } as const
const orgStaff = { requiresAuth: true, requiresRole: 'org_staff' } as const

export const marketRoutes: RouteRecordRaw[] = [
  {
    path: '/market',
    name: 'market',
    component: () => import('@/pages/market/CataloguePage.vue'),
    meta: marketPage('market.title'),
  },
  {
    path: `/market/projects/:id(${ID})`,
    name: 'market-project',
    component: () => import('@/pages/market/ProjectPage.vue'),
    meta: marketPage('market.project.title'),
  },
  {
    path: `/market/projects/:id(${ID})/wanted`,
    name: 'market-wanted',
    component: () => import('@/pages/market/WantedPage.vue'),
    meta: marketPage('market.wanted.title'),
  },
  {
    path: `/market/needs/:id(${ID})`,
    name: 'market-need',
    component: () => import('@/pages/market/NeedPage.vue'),
    meta: marketPage('market.need.title'),
  },
  {
    path: '/market/village',
    name: 'market-village',
    component: () => import('@/pages/market/VillageWorkbenchPage.vue'),
    meta: marketPage('market.village.title', villageStaff),
  },
  {
    path: '/market/village/:villageId(\\d+)/needs/new',
    name: 'market-need-new',
    component: () => import('@/pages/market/NeedFormPage.vue'),
    meta: marketPage('market.needForm.title', villageStaff),
  },
  {
    path: '/market/village/:villageId(\\d+)/surveys/new',
    name: 'market-survey-new',
    component: () => import('@/pages/market/SurveyFormPage.vue'),
    meta: marketPage('market.surveyForm.title', villageStaff),
  },
  {
    path: `/market/surveys/:id(${ID})/results`,
    name: 'market-survey-results',
    component: () => import('@/pages/market/SurveyResultsPage.vue'),
    meta: marketPage('market.results.title', villageStaff),
  },
  {
    path: '/market/surveys',
    name: 'market-surveys',
    component: () => import('@/pages/market/MySurveysPage.vue'),
    meta: marketPage('market.surveys.title', { requiresAuth: true }),
  },
  {
    path: `/market/surveys/:id(${ID})`,
    name: 'market-survey',
    component: () => import('@/pages/market/SurveyAnswerPage.vue'),
    meta: marketPage('market.answer.title', { requiresAuth: true }),
  },
  {
    path: '/market/org',
    name: 'market-org',
    component: () => import('@/pages/market/OrgProjectsPage.vue'),
    meta: marketPage('market.org.title', orgStaff),
  },
  {
    path: '/market/org/projects/new',
    name: 'market-project-new',
    component: () => import('@/pages/market/ProjectFormPage.vue'),
    meta: marketPage('market.projectForm.newTitle', orgStaff),
  },
  {
    path: `/market/projects/:id(${ID})/edit`,
    name: 'market-project-edit',
    component: () => import('@/pages/market/ProjectFormPage.vue'),
    meta: marketPage('market.projectForm.editTitle', orgStaff),
  },
  {
    path: `/market/quote-requests/:id(${PURCHASE_ID})`,
    name: 'market-quote-request',
    component: () => import('@/pages/market/QuoteRequestPage.vue'),
    meta: marketPage('market.quote.title', { requiresAuth: true }),
  },
  {
    path: `/market/contracts/:id(${PURCHASE_ID})`,
    name: 'market-contract',
    component: () => import('@/pages/market/ContractPage.vue'),
    meta: marketPage('market.contract.title', { requiresAuth: true }),
  },
  {
    path: '/market/villages/:id(\\d+)',
    name: 'market-village-public',
    component: () => import('@/pages/market/VillagePublicPage.vue'),
    meta: marketPage('market.public.title'),
  },
  {
    path: '/market/meetings',
    name: 'market-meetings',
    component: () => import('@/pages/market/MeetingsPage.vue'),
    meta: marketPage('market.meeting.listTitle'),
  },
  {
    path: '/market/meetings/new',
    name: 'market-meeting-new',
    component: () => import('@/pages/market/MeetingFormPage.vue'),
    meta: marketPage('market.meeting.form.title', { requiresAuth: true, requiresAnyRole: MARKET_ADMIN_ROLES }),
  },
  {
    path: `/market/meetings/:id(${ID})`,
    name: 'market-meeting',
    component: () => import('@/pages/market/MeetingPage.vue'),
    meta: marketPage('market.meeting.title'),
  },
  {
    path: '/market/admin/pending',
    name: 'market-pending',
    component: () => import('@/pages/market/PendingPage.vue'),
    meta: marketPage('market.pending.title', { requiresAuth: true, requiresAnyRole: MARKET_ADMIN_ROLES }),
  },
]
