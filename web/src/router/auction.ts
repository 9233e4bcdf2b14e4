/**
 * The routes of 公益拍卖 (charity auction), behind the `auction` feature (home section `auction`).
 */
import type { RouteRecordRaw } from 'vue-router'

export const auctionRoutes: RouteRecordRaw[] = []
