/**
 * The routes of 资助项目 (funded projects), behind the `grants` feature like the calls: the public
 * projects list and a project's page; 我的资助项目 and the report form for organisation staff;
 * 我观察的项目 for observers; the agreement form (签订协议) for fund admins.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_GRANTS } from './gating'

/** Projects and applications are addressed by 20-character public ids. */
const ID = '[a-z2-7]{20}'

const projectsPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_GRANTS,
  featureSection: 'grants',
  ...extra,
})

export const grantsProjectsRoutes: RouteRecordRaw[] = [
  {
    path: '/grants/projects',
    name: 'grants-projects',
    component: () => import('@/pages/grants-projects/ProjectsPage.vue'),
    meta: projectsPage('grantsProjects.title'),
  },
  {
    path: `/grants/projects/:id(${ID})`,
    name: 'grants-project',
    component: () => import('@/pages/grants-projects/ProjectPage.vue'),
    meta: projectsPage('grantsProjects.project.title'),
  },
  {
    path: `/grants/projects/:id(${ID})/report`,
    name: 'grants-project-report',
    component: () => import('@/pages/grants-projects/ReportFormPage.vue'),
    meta: projectsPage('grantsProjects.report.title', { requiresAuth: true, requiresRole: 'org_staff' }),
  },
  {
    path: '/grants/my/projects',
    name: 'grants-my-projects',
    component: () => import('@/pages/grants-projects/MyProjectsPage.vue'),
    props: { list: 'mine' },
    meta: projectsPage('grantsProjects.mine.title', { requiresAuth: true, requiresRole: 'org_staff' }),
  },
  {
    path: '/grants/me/observing',
    name: 'grants-observing',
    component: () => import('@/pages/grants-projects/MyProjectsPage.vue'),
    props: { list: 'observing' },
    meta: projectsPage('grantsProjects.observing.title', { requiresAuth: true }),
  },
  {
    path: `/grants/admin/applications/:id(${ID})/agreement`,
    name: 'grants-agreement',
    component: () => import('@/pages/grants-projects/AgreementFormPage.vue'),
    meta: projectsPage('grantsProjects.agreement.title', { requiresAuth: true, requiresRole: 'fund_admin' }),
  },
]
