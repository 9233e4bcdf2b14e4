import { afterEach, describe, expect, it } from 'vitest'
import CofundingPage from '@/pages/fund-admin/CofundingPage.vue'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { purposes } from '../support/fund'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
  window.localStorage.clear()
})

const orgs = [
  { id: 1, name: '博睿社工', credit_code: '52440605MJL1001X2A', rating: '5A' },
  { id: 2, name: '启智社工', credit_code: '52440605MJL1002X2B', rating: null },
]

function stub(post: Response) {
  return stubFetch({
    'GET /api/v1/orgs': jsonResponse(200, { orgs }),
    'GET /api/v1/fund/purposes': jsonResponse(200, { purposes }),
    'POST /api/v1/fund/cofundings': post,
  })
}

describe('CofundingPage', () => {
  it('records an organisation’s co-funding in fen with its slip number and purpose', async () => {
    const { requests } = stub(jsonResponse(201, { cofunding: { entry_id: 41 } }))
    const { wrapper } = await mountWithApp(CofundingPage, { path: '/fund/admin/cofunding' })
    await settle()
    const options = wrapper.findAll('[data-test="org-option"]')
    expect(options.map((o) => o.text())).toEqual(['博睿社工', '启智社工'])
    await options[1]!.trigger('click')
    await wrapper.get('input[name="amount_fen"]').setValue('50000.5')
    await wrapper.get('input[name="reference"]').setValue('回单 2012-0315')
    await wrapper.get('input[name="memo"]').setValue('长者探访配套')
    await wrapper.get('[data-test="admin-purpose-2"]').trigger('click')
    await wrapper.get('[data-test="cofunding-form"]').trigger('submit')
    await settle()
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      { org_id: 2, amount_fen: 5_000_050, reference: '回单 2012-0315', purpose_id: 2, memo: '长者探访配套' },
    ])
    expect((wrapper.get('input[name="reference"]').element as HTMLInputElement).value).toBe('')
  })

  it('asks for the organisation, amount and slip number before sending anything, and shows the server’s refusal', async () => {
    const { requests } = stub(errorResponse(404, 'org_not_found', '没有这个社会组织', 'org_id'))
    const { wrapper } = await mountWithApp(CofundingPage, { path: '/fund/admin/cofunding' })
    await settle()
    await wrapper.get('[data-test="cofunding-form"]').trigger('submit')
    await settle()
    expect(requests.some((r) => r.method === 'POST')).toBe(false)
    expect(wrapper.text()).toContain('请选择社会组织')
    expect(wrapper.text()).toContain('此项必填')

    await wrapper.findAll('[data-test="org-option"]')[0]!.trigger('click')
    await wrapper.get('input[name="amount_fen"]').setValue('100')
    await wrapper.get('input[name="reference"]').setValue('回单 1')
    await wrapper.get('[data-test="cofunding-form"]').trigger('submit')
    await settle()
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    // The refusal is shown at the organisation list, and the form keeps what was typed.
    expect(wrapper.get('.admin-error').text()).not.toBe('')
    expect((wrapper.get('input[name="reference"]').element as HTMLInputElement).value).toBe('回单 1')
  })
})
