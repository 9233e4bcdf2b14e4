import { afterEach, describe, expect, it, vi } from 'vitest'
import LoginPage from '@/pages/auth/LoginPage.vue'
import { useAuthStore } from '@/stores/auth'
import { useNoticeStore } from '@/stores/notice'
import { errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
})

async function fillAndSubmit(wrapper: Awaited<ReturnType<typeof mountWithApp>>['wrapper']) {
  await wrapper.get('[data-test="login-login"] input').setValue('13912345678')
  await wrapper.get('[data-test="login-password"] input').setValue('secret-password')
  await wrapper.get('form').trigger('submit')
  await settle()
}

describe('LoginPage', () => {
  it('checks for empty fields before calling the server', async () => {
    const { fetchMock } = stubFetch({})
    const { wrapper } = await mountWithApp(LoginPage, { path: '/login' })
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(wrapper.get('[data-test="login-login"]').text()).toContain('请输入手机号或邮箱')
    expect(wrapper.get('[data-test="login-password"]').text()).toContain('请输入密码')
  })

  it('shows the server message above the button when no field is named', async () => {
    stubFetch({ 'POST /api/v1/auth/login': errorResponse(401, 'invalid_credentials', '手机号/邮箱或密码不正确') })
    const { wrapper } = await mountWithApp(LoginPage, { path: '/login' })
    await fillAndSubmit(wrapper)
    expect(wrapper.get('[data-test="form-error"]').text()).toBe('手机号/邮箱或密码不正确')
    expect(wrapper.get('[data-test="form-error"]').attributes('role')).toBe('alert')
  })

  it('highlights the field the server names, with its message', async () => {
    stubFetch({ 'POST /api/v1/auth/login': errorResponse(400, 'invalid_login', '请输入正确的手机号或邮箱', 'login') })
    const { wrapper } = await mountWithApp(LoginPage, { path: '/login' })
    await fillAndSubmit(wrapper)
    const field = wrapper.get('[data-test="login-login"]')
    expect(field.classes()).toContain('van-field--error')
    expect(field.text()).toContain('请输入正确的手机号或邮箱')
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false)
  })

  it('shows the client text for a network failure, in the current language', async () => {
    stubFetch({ 'POST /api/v1/auth/login': () => Promise.reject(new TypeError('offline')) })
    const { wrapper } = await mountWithApp(LoginPage, { path: '/login', locale: 'en' })
    await fillAndSubmit(wrapper)
    expect(wrapper.get('[data-test="form-error"]').text()).toContain('Cannot reach the server')
  })

  it('signs in and goes to the redirect target', async () => {
    stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }) })
    const { wrapper, router } = await mountWithApp(LoginPage, { path: '/login?redirect=/me/sessions' })
    await fillAndSubmit(wrapper)
    expect(useAuthStore().isLoggedIn).toBe(true)
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/me/sessions'))
    expect(useNoticeStore().current?.key).toBe('login.success')
  })

  it('refuses an off-site redirect', async () => {
    stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }) })
    const { wrapper, router } = await mountWithApp(LoginPage, { path: '/login?redirect=//evil.example' })
    await fillAndSubmit(wrapper)
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/me'))
  })
})
