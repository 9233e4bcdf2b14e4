/**
 * The routes of 党员社工培育, behind the `training` feature: 我的培训 (my classes with my progress,
 * classes open to me, 服务实践, 证书) and a certificate's printable view for the member; a class's
 * page (enrolled members, and anyone signed in for its programme and sessions); 培训管理 for
 * trainers (classes I teach, 待确认实践, 党员名册), the programme and class forms and a class's admin
 * page; and the public certificate check `/c/:no` (no sign-in; the QR code's link). A session's
 * attendance and QR check-in are the events pages (`/events/:id/attendance`, `/events/:id/checkin`),
 * open to a class's trainers. The server checks every scope again.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_TRAINING, TRAINING_ROLES } from './gating'

/** A certificate number: `GC2026-` and ten base32 characters (kept loose: the server decides). */
const CERT_NO = '[A-Za-z0-9-]{1,40}'

const trainingPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_TRAINING,
  featureSection: 'training',
  ...extra,
})

const signedIn = { requiresAuth: true } as const
const trainers = { requiresAuth: true, requiresAnyRole: TRAINING_ROLES } as const

export const trainingRoutes: RouteRecordRaw[] = [
  {
    path: '/training',
    name: 'training',
    component: () => import('@/pages/training/MyTrainingPage.vue'),
    meta: trainingPage('training.title', signedIn),
  },
  {
    path: '/training/classes/:id(\\d+)',
    name: 'training-class',
    component: () => import('@/pages/training/ClassPage.vue'),
    meta: trainingPage('training.class.title', signedIn),
  },
  {
    path: `/training/certificates/:no(${CERT_NO})/print`,
    name: 'training-certificate-print',
    component: () => import('@/pages/training/CertificatePrintPage.vue'),
    meta: trainingPage('training.print.title', signedIn),
  },
  {
    path: '/training/manage',
    name: 'training-manage',
    component: () => import('@/pages/training/ManagePage.vue'),
    meta: trainingPage('training.manage.title', trainers),
  },
  {
    path: '/training/manage/programmes/new',
    name: 'training-programme-new',
    component: () => import('@/pages/training/ProgrammeFormPage.vue'),
    meta: trainingPage('training.programmeForm.title', trainers),
  },
  {
    path: '/training/manage/classes/new',
    name: 'training-class-new',
    component: () => import('@/pages/training/ClassFormPage.vue'),
    meta: trainingPage('training.classForm.title', trainers),
  },
  {
    path: '/training/manage/classes/:id(\\d+)',
    name: 'training-class-admin',
    component: () => import('@/pages/training/ClassAdminPage.vue'),
    meta: trainingPage('training.admin.title', trainers),
  },
  {
    path: `/c/:no(${CERT_NO})`,
    name: 'training-certificate-check',
    component: () => import('@/pages/training/CertificateCheckPage.vue'),
    meta: trainingPage('training.check.title'),
  },
]
