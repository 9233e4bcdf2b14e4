/**
 * The routes of 公益商城 (charity shop), behind the `shop` feature (home section `shop`).
 */
import type { RouteRecordRaw } from 'vue-router'

export const shopRoutes: RouteRecordRaw[] = []
