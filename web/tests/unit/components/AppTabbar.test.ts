import { afterEach, describe, expect, it } from 'vitest'
import AppTabbar from '@/components/AppTabbar.vue'
import { useNotificationsStore } from '@/stores/notifications'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('AppTabbar', () => {
  it('links the four sections and marks the one showing as the current page', async () => {
    const { wrapper } = await mountWithApp(AppTabbar, { path: '/events' })
    expect(wrapper.get('nav').attributes('aria-label')).toBe('主导航')
    const links = wrapper.findAll('a.van-tabbar-item')
    expect(links.map((a) => [a.attributes('href'), a.text()])).toEqual([
      ['/', '首页'],
      ['/events', '活动'],
      ['/forum', '社区'],
      ['/me', '我的'],
    ])
    const current = links.filter((a) => a.attributes('aria-current') === 'page')
    expect(current.map((a) => a.attributes('href'))).toEqual(['/events'])
    expect(current[0].classes()).toContain('van-tabbar-item--active')
    expect(links[0].classes()).not.toContain('van-tabbar-item--active')
    wrapper.unmount()
  })

  it('follows navigation and shows the unread count on 我的', async () => {
    const { wrapper, router } = await mountWithApp(AppTabbar, { path: '/' })
    expect(wrapper.get('[data-test="tab-me"]').find('.van-badge').exists()).toBe(false)
    useNotificationsStore().unread = 3
    await router.push('/me')
    await settle()
    const me = wrapper.get('[data-test="tab-me"]')
    expect(me.attributes('aria-current')).toBe('page')
    expect(me.get('.van-badge').text()).toBe('3')
    expect(wrapper.get('a[href="/"]').attributes('aria-current')).toBeUndefined()
    wrapper.unmount()
  })
})
