/**
 * The routes of 公益拍卖 (charity auction), behind the `auction` feature (home section `auction`):
 * the lot list, one lot (live; also where the sandbox pay page returns after paying a lot), 我的竞拍,
 * and 拍品管理 for fund admins.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_AUCTION } from './gating'

/** Lots are addressed by 20-character public ids. */
const LOT_ID = '[a-z2-7]{20}'

const auctionPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_AUCTION,
  featureSection: 'auction',
  ...extra,
})

export const auctionRoutes: RouteRecordRaw[] = [
  {
    path: '/auction',
    name: 'auction',
    component: () => import('@/pages/auction/LotsPage.vue'),
    meta: auctionPage('auction.title'),
  },
  {
    path: `/auction/lots/:id(${LOT_ID})`,
    name: 'auction-lot',
    component: () => import('@/pages/auction/LotPage.vue'),
    meta: auctionPage('auction.lot.title'),
  },
  {
    path: '/me/auction',
    name: 'my-auction',
    component: () => import('@/pages/auction/MyBidsPage.vue'),
    meta: auctionPage('auction.mine.title', { requiresAuth: true }),
  },
  {
    path: '/auction/manage',
    name: 'auction-manage',
    component: () => import('@/pages/auction/ManageLotsPage.vue'),
    meta: auctionPage('auction.admin.title', { requiresRole: 'fund_admin' }),
  },
  {
    path: '/auction/manage/new',
    name: 'auction-new',
    component: () => import('@/pages/auction/CreateLotPage.vue'),
    meta: auctionPage('auction.form.title', { requiresRole: 'fund_admin' }),
  },
]
