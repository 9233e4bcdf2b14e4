import { afterEach, describe, expect, it } from 'vitest'
import PrivacyPage from '@/pages/privacy/PrivacyPage.vue'
import { jsonResponse, stubFetch } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

afterEach(() => {
  document.body.innerHTML = ''
})

const meta = { name: 'CareCity', version: '0', consent_version: '2026-12', public_origin: '', features: [] }

describe('PrivacyPage', () => {
  it('says which rule keeps donation records after deletion, for how long, and who sees the name', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta) })
    const { wrapper } = await mountWithApp(PrivacyPage, { path: '/privacy' })
    await settle()
    const text = wrapper.text()
    expect(text).toContain('《会计档案管理办法》')
    expect(text).toContain('第79号')
    expect(text).toContain('30 年')
    expect(text).toContain('《中华人民共和国慈善法》')
    expect(text).toContain('“匿名”')
    expect(text).toContain('只有基金管理员')
    expect(wrapper.get('[data-test="consent-version"]').text()).toContain('2026-12')
  })

  it('says the same in English', async () => {
    stubFetch({ 'GET /api/v1/meta': jsonResponse(200, meta) })
    const { wrapper } = await mountWithApp(PrivacyPage, { path: '/privacy', locale: 'en' })
    await settle()
    const text = wrapper.text()
    expect(text).toContain('Order No. 79, 2015')
    expect(text).toContain('at least 30 years')
    expect(text).toContain('“Anonymous”')
    expect(text).toContain('only by fund administrators')
  })
})
