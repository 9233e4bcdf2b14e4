import { afterEach, describe, expect, it, vi } from 'vitest'
import DeleteAccountPage from '@/pages/me/DeleteAccountPage.vue'
import { useAuthStore } from '@/stores/auth'
import { useNoticeStore } from '@/stores/notice'
import { emptyResponse, errorResponse, jsonResponse, sampleUser, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
})

async function mountSignedIn(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const mounted = await mountWithApp(DeleteAccountPage, { path: '/me/delete', locale })
  stubFetch({ 'POST /api/v1/auth/login': jsonResponse(200, { user: sampleUser }) })
  await useAuthStore().login({ login: '13912345678', password: 'secret-password' })
  return mounted
}

describe('DeleteAccountPage', () => {
  it('asks for the password, and the button waits for one', async () => {
    const { wrapper } = await mountSignedIn()
    expect(wrapper.text()).toContain('请输入登录密码')
    expect(wrapper.get('[data-test="delete-password"] input').attributes('type')).toBe('password')
    expect(wrapper.get('[data-test="delete-password"] input').attributes('autocomplete')).toBe('current-password')
    expect(wrapper.get('[data-test="delete-submit"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-test="delete-password"] input').setValue('secret-password')
    expect(wrapper.get('[data-test="delete-submit"]').attributes('disabled')).toBeUndefined()
  })

  it('shows a wrong password under the field, keeps the user and clears the field', async () => {
    const { wrapper, router } = await mountSignedIn()
    const { requests } = stubFetch({
      'DELETE /api/v1/me': errorResponse(401, 'wrong_password', '密码不正确，请重新输入', 'password'),
    })
    await wrapper.get('[data-test="delete-password"] input').setValue('not-my-password')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(requests[0]?.body).toEqual({ password: 'not-my-password' })
    const field = wrapper.get('[data-test="delete-password"]')
    expect(field.classes()).toContain('van-field--error')
    expect(field.text()).toContain('密码不正确，请重新输入')
    expect((wrapper.get('[data-test="delete-password"] input').element as HTMLInputElement).value).toBe('')
    expect(useAuthStore().isLoggedIn).toBe(true)
    expect(router.currentRoute.value.name).toBe('delete-account')
  })

  it('deletes with the right password, signs out and goes home with a notice', async () => {
    const { wrapper, router } = await mountSignedIn('en')
    expect(wrapper.text()).toContain('enter your password')
    stubFetch({ 'DELETE /api/v1/me': emptyResponse(204) })
    await wrapper.get('[data-test="delete-password"] input').setValue('secret-password')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(useAuthStore().isLoggedIn).toBe(false)
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('home'))
    expect(useNoticeStore().current?.key).toBe('deleteAccount.done')
  })
})
