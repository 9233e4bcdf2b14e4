/**
 * The routes of 公益商城 (charity shop), behind the `shop` feature (home section `shop`): the
 * catalogue, a product, the cart and checkout, 我的订单 and one order (buyer and seller staff
 * alike: the page shows what the viewer may do); staff pages for the selling organisations'
 * `org_staff` (products, orders, pickup check) and the fund admins' review of listings.
 */
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { FEATURE_SHOP } from './gating'

/** A product's or order's public id: 20 characters of base32 (a–z, 2–7). */
const PUBLIC_ID = '[a-z2-7]{20}'

const shopPage = (titleKey: string, extra: Partial<RouteMeta> = {}): RouteMeta => ({
  titleKey,
  feature: FEATURE_SHOP,
  featureSection: 'shop',
  ...extra,
})

export const shopRoutes: RouteRecordRaw[] = [
  { path: '/shop', name: 'shop', component: () => import('@/pages/shop/ShopPage.vue'), meta: shopPage('shop.title') },
  {
    path: `/shop/products/:id(${PUBLIC_ID})`,
    name: 'shop-product',
    component: () => import('@/pages/shop/ProductPage.vue'),
    meta: shopPage('shop.product.title'),
  },
  { path: '/shop/cart', name: 'shop-cart', component: () => import('@/pages/shop/CartPage.vue'), meta: shopPage('shop.cart.title') },
  {
    path: '/shop/checkout',
    name: 'shop-checkout',
    component: () => import('@/pages/shop/CheckoutPage.vue'),
    meta: shopPage('shop.checkout.title', { requiresAuth: true }),
  },
  {
    // The payment's return_url: the sandbox pay page comes back here.
    path: `/shop/orders/:id(${PUBLIC_ID})`,
    name: 'shop-order',
    component: () => import('@/pages/shop/OrderPage.vue'),
    meta: shopPage('shop.order.title', { requiresAuth: true }),
  },
  {
    path: '/me/shop-orders',
    name: 'my-shop-orders',
    component: () => import('@/pages/shop/MyOrdersPage.vue'),
    meta: shopPage('shop.orders.title', { requiresAuth: true }),
  },
  {
    path: '/shop/manage',
    name: 'shop-manage',
    component: () => import('@/pages/shop-admin/ManageProductsPage.vue'),
    meta: shopPage('shop.manage.title', { requiresRole: 'org_staff' }),
  },
  {
    path: '/shop/manage/new',
    name: 'shop-product-new',
    component: () => import('@/pages/shop-admin/ProductFormPage.vue'),
    meta: shopPage('shop.form.newTitle', { requiresRole: 'org_staff' }),
  },
  {
    path: `/shop/manage/:id(${PUBLIC_ID})/edit`,
    name: 'shop-product-edit',
    component: () => import('@/pages/shop-admin/ProductFormPage.vue'),
    meta: shopPage('shop.form.editTitle', { requiresRole: 'org_staff' }),
  },
  {
    path: '/shop/manage/orders',
    name: 'shop-staff-orders',
    component: () => import('@/pages/shop-admin/StaffOrdersPage.vue'),
    meta: shopPage('shop.staffOrders.title', { requiresRole: 'org_staff' }),
  },
  {
    path: '/shop/manage/pickup',
    name: 'shop-pickup',
    component: () => import('@/pages/shop-admin/PickupPage.vue'),
    meta: shopPage('shop.pickup.title', { requiresRole: 'org_staff' }),
  },
  {
    path: '/shop/review',
    name: 'shop-review',
    component: () => import('@/pages/shop-admin/ReviewPage.vue'),
    meta: shopPage('shop.review.title', { requiresRole: 'fund_admin' }),
  },
]
