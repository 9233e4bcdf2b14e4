import { afterEach, describe, expect, it } from 'vitest'
import type { OutboxMessage } from '@/api/operator'
import OutboxPage from '@/pages/operator/OutboxPage.vue'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

const API = '/api/v1/admin/notify/messages'

function message(extra: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: 41,
    channel: 'sms',
    recipient: '139****0000',
    user_id: null,
    template: 'event_reminder',
    status: 'failed',
    attempts: 1,
    last_error: 'InvalidParameterValue.IncorrectPhoneNumber: 手机号格式错误',
    created_at_ms: 1_800_000_000_000,
    sent_at_ms: null,
    next_attempt_at_ms: null,
    provider_ref: '',
    retryable: true,
    not_retryable_because: null,
    ...extra,
  }
}

const code = () => message({ id: 42, template: 'recover_code', recipient: '139****5678', retryable: false, not_retryable_because: 'notify.code_not_sent' })

afterEach(() => {
  document.body.innerHTML = ''
})

describe('OutboxPage', () => {
  it('lists the failed texts with why, masks nothing more than the server did, and says why a code is not sent again', async () => {
    const { requests } = stubFetch({
      [`GET ${API}`]: jsonResponse(200, { messages: [code(), message()], next_cursor: null, counts: { queued: 3, failed: 2 } }),
    })
    const { wrapper } = await mountWithApp(OutboxPage, { path: '/operator/outbox' })
    await settle()
    expect(requests[0]?.url).toBe(`${API}?status=failed`)
    expect(wrapper.get('[data-test="outbox-counts"]').text()).toBe('待发送 3 条 · 发送失败 2 条')
    const reminder = wrapper.get('[data-test="outbox-message-41"]')
    expect(reminder.text()).toContain('event_reminder')
    expect(reminder.text()).toContain('发给 139****0000')
    expect(reminder.text()).toContain('已尝试 1 次')
    expect(wrapper.get('[data-test="outbox-error-41"]').text()).toBe('原因：InvalidParameterValue.IncorrectPhoneNumber: 手机号格式错误')
    expect(wrapper.find('[data-test="outbox-retry-41"]').exists()).toBe(true)
    const recovery = wrapper.get('[data-test="outbox-message-42"]')
    expect(recovery.text()).toContain('找回密码验证码')
    expect(wrapper.find('[data-test="outbox-retry-42"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="outbox-because-42"]').text()).toBe('验证码不重发，请居民重新获取')
  })

  it('sends one again: it shows as queued and the counts move; a refusal is shown and changes nothing', async () => {
    let refuse = false
    const { requests } = stubFetch({
      [`GET ${API}`]: jsonResponse(200, { messages: [message()], next_cursor: null, counts: { queued: 0, failed: 1 } }),
      [`POST ${API}/41/retry`]: () =>
        refuse
          ? errorResponse(409, 'notify.not_failed', '该消息未发送失败，无需重发')
          : jsonResponse(200, { message: message({ status: 'queued', next_attempt_at_ms: 1_800_000_100_000, retryable: false, not_retryable_because: 'notify.not_failed' }) }),
    })
    const { wrapper } = await mountWithApp(OutboxPage, { path: '/operator/outbox' })
    await settle()
    refuse = true
    await wrapper.get('[data-test="outbox-retry-41"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="outbox-error"]').text()).toBe('该消息未发送失败，无需重发')
    expect(wrapper.get('[data-test="outbox-state-41"]').text()).toBe('发送失败')
    refuse = false
    await wrapper.get('[data-test="outbox-retry-41"]').trigger('click')
    await settle()
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(2)
    expect(wrapper.find('[data-test="outbox-error"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="outbox-state-41"]').text()).toBe('待发送')
    expect(wrapper.find('[data-test="outbox-retry-41"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="outbox-counts"]').text()).toBe('待发送 1 条 · 发送失败 0 条')
  })

  it('shows the sent ones when asked, and says so when there are none', async () => {
    const { requests } = stubFetch({
      [`GET ${API}`]: (request) =>
        request.url.includes('status=sent')
          ? jsonResponse(200, { messages: [], next_cursor: null, counts: { queued: 0, failed: 0 } })
          : jsonResponse(200, { messages: [message()], next_cursor: null, counts: { queued: 0, failed: 1 } }),
    })
    const { wrapper } = await mountWithApp(OutboxPage, { path: '/operator/outbox' })
    await settle()
    await wrapper.get('[data-test="outbox-status-sent"]').trigger('click')
    await settle()
    expect(requests.at(-1)?.url).toBe(`${API}?status=sent`)
    expect(wrapper.find('[data-test="outbox-message-41"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="outbox-empty"]').text()).toContain('还没有已发送的短信')
    expect(wrapper.get('[data-test="outbox-status-sent"]').attributes('aria-pressed')).toBe('true')
  })
})
