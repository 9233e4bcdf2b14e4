import { afterEach, describe, expect, it, vi } from 'vitest'
import DonatePage from '@/pages/fund/DonatePage.vue'
import { errorResponse, jsonResponse, type RecordedRequest, sampleUser, stubFetch, type Responder } from '../support/fetch'
import { DONATION_ID, donation, PAYMENT_ID, payment, purposes, summary, TOKEN } from '../support/fund'
import { mountWithApp, settle } from '../support/app'

const created = { donation: donation(), payment: payment() }

function stub(donate: Responder | Response, signedIn = false) {
  return stubFetch({
    'GET /api/v1/fund/purposes': jsonResponse(200, { purposes }),
    'GET /api/v1/fund/summary': jsonResponse(200, summary),
    'GET /api/v1/me': signedIn ? jsonResponse(200, { user: sampleUser }) : errorResponse(401, 'unauthenticated', ''),
    'GET /api/v1/meta': jsonResponse(200, { name: 'x', version: '1', consent_version: '1', public_origin: '', features: ['fund'] }),
    'POST /api/v1/fund/donations': donate,
  })
}

const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST')

afterEach(() => {
  document.body.innerHTML = ''
})

describe('DonatePage', () => {
  it('shows the fundraiser of record and the default purpose’s filing number; only active purposes', async () => {
    stub(jsonResponse(201, created))
    const { wrapper } = await mountWithApp(DonatePage, { path: '/fund/donate' })
    await settle()
    expect(wrapper.get('[data-test="fundraiser-name"]').text()).toBe(summary.fundraiser.name)
    expect(wrapper.get('[data-test="fundraiser-credit-code"]').text()).toBe(summary.fundraiser.credit_code)
    // The unrestricted purpose is the default, so no extra "general" option.
    expect(wrapper.get('[data-test="filing-no"]').text()).toBe('5344060500001')
    expect(wrapper.find('[data-test="purpose-general"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="purpose-3"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="purpose-2"]').text()).toContain('XX集团·关爱长者计划')
    await wrapper.get('[data-test="purpose-2"]').trigger('click')
    expect(wrapper.get('[data-test="filing-no"]').text()).toBe('5344060500002')
  })

  it('preselects the purpose named by ?purpose= (a news article’s 捐赠 card)', async () => {
    stub(jsonResponse(201, created))
    const { wrapper } = await mountWithApp(DonatePage, { path: '/fund/donate?purpose=2' })
    await settle()
    expect(wrapper.get('[data-test="filing-no"]').text()).toBe('5344060500002')
  })

  it('donates ¥20 anonymously as a guest and goes to the pay page with the guest’s token', async () => {
    const { requests } = stub(jsonResponse(201, created))
    const { wrapper, router } = await mountWithApp(DonatePage, { path: '/fund/donate' })
    await settle()
    await wrapper.get('[data-test="preset-2000"]').trigger('click')
    await wrapper.get('[data-test="donate-anonymous"]').trigger('click')
    expect(wrapper.get('[data-test="donate-submit"]').text()).toContain('¥20.00')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toEqual({ amount_fen: 2000, purpose_id: 1, anonymous: true, message: null, donor_name: null })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/pay/sandbox/${PAYMENT_ID}?token=${TOKEN}`))
    expect(router.currentRoute.value.name).toBe('pay-sandbox')
    expect(created.payment.return_url).toBe(`/fund/donations/${DONATION_ID}?token=${TOKEN}`)
  })

  it('converts a typed amount with string arithmetic and rejects three decimals before sending', async () => {
    const { requests } = stub(jsonResponse(201, created), true)
    const { wrapper } = await mountWithApp(DonatePage, { path: '/fund/donate' })
    await settle()
    // Signed in: no donor name field.
    expect(wrapper.find('[data-test="donate-name"]').exists()).toBe(false)
    await wrapper.get('[data-test="donate-custom"] input').setValue('1.005')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="donate-custom"]').text()).toContain('两位小数')
    await wrapper.get('[data-test="donate-custom"] input').setValue('1.15')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toMatchObject({ amount_fen: 115, donor_name: null })
  })

  it('asks a guest who is not anonymous for a name', async () => {
    const { requests } = stub(jsonResponse(201, created))
    const { wrapper } = await mountWithApp(DonatePage, { path: '/fund/donate' })
    await settle()
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)).toHaveLength(0)
    expect(wrapper.get('[data-test="donate-name"]').text()).toContain('请填写捐赠人姓名')
    await wrapper.get('[data-test="donate-name"] input').setValue('陈阿姨')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(posts(requests)[0]?.body).toMatchObject({ donor_name: '陈阿姨', anonymous: false })
  })

  it('retries with the same Idempotency-Key after a lost response, and shows the server’s field error', async () => {
    let attempt = 0
    const { requests } = stub(() =>
      ++attempt === 1
        ? Promise.reject(new TypeError('connection reset'))
        : errorResponse(400, 'amount_out_of_range', '单笔捐款不能超过 5 万元', 'amount_fen'),
    )
    const { wrapper } = await mountWithApp(DonatePage, { path: '/fund/donate' })
    await settle()
    await wrapper.get('[data-test="donate-anonymous"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="form-error"]').text()).toContain('网络')
    await wrapper.get('form').trigger('submit')
    await settle()
    const [first, second] = posts(requests)
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key'])
    expect(wrapper.get('[data-test="donate-custom"]').text()).toContain('单笔捐款不能超过 5 万元')
  })

  it('says online giving is unavailable when the server has no payment provider (503 payments_unavailable)', async () => {
    stub(errorResponse(503, 'payments_unavailable', ''))
    const { wrapper, router } = await mountWithApp(DonatePage, { path: '/fund/donate' })
    await settle()
    await wrapper.get('[data-test="donate-anonymous"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="form-error"]').text()).toContain('在线捐赠暂不可用')
    expect(router.currentRoute.value.fullPath).toBe('/fund/donate')
  })
})
