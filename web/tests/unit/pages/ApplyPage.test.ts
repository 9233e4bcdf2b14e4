import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import ApplyPage from '@/pages/casework/ApplyPage.vue'
import { usePrefsStore } from '@/stores/prefs'
import { application, meta, resident, services, villages } from '../support/casework'
import { errorResponse, jsonResponse, type RecordedRequest, type Responder, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

function stub(apply: Responder | Response = jsonResponse(201, { application: application({ id: 11 }) })) {
  return stubFetch({
    'GET /api/v1/casework/services/1': jsonResponse(200, { service: services[0] }),
    'GET /api/v1/villages': jsonResponse(200, { villages }),
    'GET /api/v1/me': jsonResponse(200, { user: resident }),
    'GET /api/v1/meta': jsonResponse(200, meta()),
    'POST /api/v1/casework/applications': apply,
  })
}

const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST')

async function open() {
  const mounted = await mountWithApp(ApplyPage, { path: '/services/1/apply' })
  await settle()
  return mounted
}

async function fillBasics(wrapper: VueWrapper): Promise<void> {
  await wrapper.get('[data-test="for-family"]').trigger('click')
  await wrapper.get('[data-test="beneficiary-name"] input').setValue('陈伯')
  await wrapper.get('[data-test="relationship"] input').setValue('父亲')
  await wrapper.get('[data-test="description"] textarea').setValue('独居，腿脚不便')
  await wrapper.get('[data-test="contact-phone"] input').setValue('13900001111')
}

async function openConsent(wrapper: VueWrapper): Promise<void> {
  await wrapper.get('[data-test="sensitive-open"]').trigger('click')
  await settle()
}

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

describe('ApplyPage', () => {
  it('shows the service and asks nothing sensitive on the form itself; the phone is not prefilled', async () => {
    stub()
    const { wrapper } = await open()
    expect(wrapper.get('[data-test="service-name"]').text()).toBe('长者探访')
    expect(wrapper.get('[data-test="service-response"]').text()).toBe('3 天内响应')
    expect((wrapper.get('[data-test="contact-phone"] input').element as HTMLInputElement).value).toBe('')
    expect(wrapper.find('[data-test="sensitive-health-input"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="sensitive-id-input"]').exists()).toBe(false)
    // A service for every village offers every village.
    expect(wrapper.findAll('[data-test^="village-"]').map((b) => b.text())).toEqual(['不指定', '叠滘村', '桂园社区'])
  })

  it('explains what, why, who and how before consent, and shows the fields only once the box is ticked', async () => {
    stub()
    const { wrapper } = await open()
    await openConsent(wrapper)
    expect(wrapper.find('[data-test="apply-form"]').exists()).toBe(false)
    const step = wrapper.get('[data-test="consent-step"]')
    expect(step.get('[data-test="consent-what"]').text()).toContain('健康状况和身份证号')
    expect(step.get('[data-test="consent-who"]').text()).toContain('只有你本人和负责这份申请的社工')
    expect(step.get('[data-test="consent-how"]').text()).toContain('加密保存')
    expect(step.get('[data-test="consent-how"]').text()).toContain('自动删除')
    expect(wrapper.find('[data-test="sensitive-fields"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="consent-done"]').exists()).toBe(false)
    await wrapper.get('[data-test="consent-checkbox"]').trigger('click')
    expect(wrapper.find('[data-test="sensitive-fields"]').exists()).toBe(true)
    // A step of the page, not a pop-up.
    expect(document.querySelector('.van-popup, .van-dialog, .van-overlay')).toBeNull()
  })

  it('applies for a family member with a consented health condition', async () => {
    const { requests } = stub()
    const { wrapper, router } = await open()
    await fillBasics(wrapper)
    await wrapper.get('[data-test="village-1"]').trigger('click')
    await openConsent(wrapper)
    await wrapper.get('[data-test="consent-checkbox"]').trigger('click')
    await wrapper.get('[data-test="sensitive-health-input"] textarea').setValue('高血压')
    await wrapper.get('[data-test="consent-done"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="sensitive-summary"]').text()).toContain('你已同意提供：健康状况')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({
      service_id: 1,
      for_whom: 'family',
      beneficiary_name: '陈伯',
      relationship: '父亲',
      description: '独居，腿脚不便',
      contact_phone: '13900001111',
      village_id: 1,
      sensitive: { health_condition: '高血压' },
      sensitive_consent: true,
    })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/casework/applications/11'))
  })

  it('sends nothing sensitive when the box is unticked again, or the resident withdraws', async () => {
    const { requests } = stub()
    const { wrapper } = await open()
    await fillBasics(wrapper)
    await openConsent(wrapper)
    await wrapper.get('[data-test="consent-checkbox"]').trigger('click')
    await wrapper.get('[data-test="sensitive-health-input"] textarea').setValue('高血压')
    await wrapper.get('[data-test="sensitive-id-input"] input').setValue('44060519500101123X')
    // Unticked: the fields disappear and leaving the step clears them.
    await wrapper.get('[data-test="consent-checkbox"]').trigger('click')
    expect(wrapper.find('[data-test="sensitive-fields"]').exists()).toBe(false)
    await wrapper.get('[data-test="consent-decline"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="sensitive-summary"]').attributes('data-given')).toBe('false')
    await wrapper.get('form').trigger('submit')
    await settle()
    const first = posts(requests)[0]?.body as Record<string, unknown>
    expect(first).not.toHaveProperty('sensitive')
    expect(first).not.toHaveProperty('sensitive_consent')
    expect(JSON.stringify(first)).not.toContain('高血压')

    // Consented and filled, then withdrawn from the form: again nothing sensitive.
    await openConsent(wrapper)
    expect(wrapper.find('[data-test="sensitive-fields"]').exists()).toBe(false)
    await wrapper.get('[data-test="consent-checkbox"]').trigger('click')
    await wrapper.get('[data-test="sensitive-id-input"] input').setValue('44060519500101123X')
    await wrapper.get('[data-test="consent-done"]').trigger('click')
    await settle()
    await wrapper.get('[data-test="sensitive-withdraw"]').trigger('click')
    await settle()
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[1]?.body).not.toHaveProperty('sensitive')
  })

  it('checks the family member’s name, the description and the phone before sending', async () => {
    const { requests } = stub()
    const { wrapper } = await open()
    await wrapper.get('[data-test="for-family"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="beneficiary-name"]').text()).toContain('请填写家人的姓名')
    expect(wrapper.get('[data-test="description"]').text()).toContain('请说说需要什么帮助')
    expect(wrapper.get('[data-test="contact-phone"]').text()).toContain('请填写联系电话')
  })

  it('shows the server’s invalid_phone next to the phone field', async () => {
    stub(errorResponse(400, 'invalid_phone', '手机号格式不正确', 'contact_phone'))
    const { wrapper } = await open()
    await fillBasics(wrapper)
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="contact-phone"]').text()).toContain('手机号格式不正确')
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false)
  })

  it('reopens the consent step to show invalid_id_number next to the ID field', async () => {
    stub(errorResponse(400, 'invalid_id_number', '身份证号校验位不正确', 'sensitive.id_number'))
    const { wrapper } = await open()
    await fillBasics(wrapper)
    await openConsent(wrapper)
    await wrapper.get('[data-test="consent-checkbox"]').trigger('click')
    await wrapper.get('[data-test="sensitive-id-input"] input').setValue('440605195001011230')
    await wrapper.get('[data-test="consent-done"]').trigger('click')
    await settle()
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.find('[data-test="consent-step"]').exists()).toBe(true)
    expect(wrapper.get('[data-test="sensitive-id-input"]').text()).toContain('身份证号校验位不正确')
  })

  it('shows service_not_in_village by the villages, and an error on a field the form lacks above the button', async () => {
    stub(errorResponse(422, 'service_not_in_village', '该服务不覆盖您所选的村居', 'village_id'))
    const { wrapper } = await open()
    await fillBasics(wrapper)
    await wrapper.get('[data-test="village-2"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[aria-labelledby="apply-village"]').text()).toContain('该服务不覆盖您所选的村居')
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false)

    stub(errorResponse(404, 'service_not_found', '服务不存在或已下线', 'service_id'))
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="form-error"]').text()).toBe('服务不存在或已下线')
  })

  it('works in 长辈模式 with the same in-page steps', async () => {
    stub()
    const { wrapper } = await open()
    usePrefsStore().setElderMode(true)
    await openConsent(wrapper)
    expect(wrapper.find('[data-test="consent-step"]').exists()).toBe(true)
    expect(document.querySelector('.van-popup, .van-dialog, .van-overlay')).toBeNull()
  })
})
