import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Invitation, PoolEntry } from '@/api/talent'
import FilePick from '@/components/files/FilePick.vue'
import DashboardPage from '@/pages/talent/DashboardPage.vue'
import MyTalentPage from '@/pages/talent/MyTalentPage.vue'
import QualificationReviewPage from '@/pages/talent/QualificationReviewPage.vue'
import SearchPage from '@/pages/talent/SearchPage.vue'
import { routes } from '@/router'
import { roleGate } from '@/router/gating'
import { mountWithApp, settle } from '../support/app'
import { errorResponse, jsonResponse, type RecordedRequest, sampleUser, stubFetch } from '../support/fetch'
import { qualification } from '../support/talent'
import { member, trainer } from '../support/training'

const META = { 'GET /api/v1/meta': jsonResponse(200, { features: ['training', 'talent'], consent_version: '1' }) }
const VILLAGES = { 'GET /api/v1/villages': jsonResponse(200, { villages: [{ id: 3, name: '叠滘村', kind: 'village', rural: true, created_at_ms: 1 }] }) }
const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET')

function entry(overrides: Partial<PoolEntry> = {}): PoolEntry {
  return {
    user_id: 21,
    name: '陈阿姨',
    phone: '138****0001',
    in_pool: true,
    consent_at_ms: 1,
    withdrawn_at_ms: null,
    skills: ['长者探访', '个案工作'],
    villages: [{ id: 3, name: '叠滘村' }],
    availability: '周一上午',
    intro: '退休教师',
    qualification: null,
    professional: false,
    certificates: [{ level: '党员社工（初级）', programme_title: '党员社工基础班', expires_at_ms: 1880000000000, state: 'valid' }],
    placed: 0,
    updated_at_ms: 1,
    ...overrides,
  }
}

const invitation: Invitation = {
  id: 'Iv1',
  user_id: 21,
  member_name: '陈阿姨',
  org_id: 3,
  org_name: '博睿社工',
  project_id: 'Pj1',
  project_title: '长者探访计划',
  role: '探访志愿者',
  message: '欢迎加入',
  status: 'invited',
  created_at_ms: 1,
  decided_at_ms: null,
}

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('talent routes', () => {
  it('keeps 人才搜索 from residents, 社工证审核 to trainers and 培训成效 to trainers and fund admins', () => {
    const meta = (name: string) => routes.find((r) => r.name === name)!.meta!
    expect(roleGate(meta('talent-search'), { features: ['talent'], roles: ['resident'] })).toEqual({ name: 'me' })
    expect(roleGate(meta('talent-search'), { features: ['talent'], roles: ['org_staff'] })).toBe(true)
    expect(roleGate(meta('talent-qualifications'), { features: ['talent'], roles: ['org_staff'] })).toEqual({ name: 'me' })
    expect(roleGate(meta('training-dashboard'), { features: ['training'], roles: ['fund_admin'] })).toBe(true)
    expect(meta('talent').feature).toBe('talent')
    expect(meta('training-dashboard').feature).toBe('training')
  })
})

describe('MyTalentPage', () => {
  it('shows my entry, a returned qualification with its reason, and accepts an invitation', async () => {
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/qualifications': jsonResponse(200, { qualifications: [qualification({ status: 'rejected', reason: '编号看不清' })] }),
      'GET /api/v1/talent/me': jsonResponse(200, { entry: entry() }),
      'GET /api/v1/talent/invitations': jsonResponse(200, { invitations: [invitation] }),
      'POST /api/v1/talent/invitations/Iv1/accept': jsonResponse(200, { invitation: { ...invitation, status: 'accepted' } }),
    })
    const { wrapper } = await mountWithApp(MyTalentPage, { path: '/talent' })
    await settle()
    expect(wrapper.get('[data-test="pool-section"]').text()).toContain('长者探访')
    expect(wrapper.get('[data-test="qual-status-assistant"]').text()).toBe('已退回')
    expect(wrapper.get('[data-test="qual-reason-assistant"]').text()).toBe('退回原因：编号看不清')
    expect(wrapper.get('[data-test="invitation-status-Iv1"]').text()).toBe('待回复')
    expect(wrapper.find('[data-test="talent-search-link"]').exists()).toBe(false)
    await wrapper.get('[data-test="invitation-accept-Iv1"]').trigger('click')
    await settle()
    expect(writes(requests).map((r) => r.url)).toEqual(['/api/v1/talent/invitations/Iv1/accept'])
    expect(wrapper.get('[data-test="invitation-status-Iv1"]').text()).toBe('已接受')
    expect(wrapper.find('[data-test="invitation-accept-Iv1"]').exists()).toBe(false)
  })

  it('joins only with consent, sends consent true, and shows the server’s refusal', async () => {
    const { requests } = stubFetch({
      ...META,
      ...VILLAGES,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/qualifications': jsonResponse(200, { qualifications: [] }),
      'GET /api/v1/talent/me': errorResponse(404, 'talent.not_in_pool', '不在人才库中'),
      'GET /api/v1/talent/invitations': jsonResponse(200, { invitations: [] }),
      'PUT /api/v1/talent/me': errorResponse(422, 'talent.certificate_required', '需要有效的培训证书才能加入人才库'),
    })
    const { wrapper } = await mountWithApp(MyTalentPage, { path: '/talent' })
    await settle()
    expect(wrapper.find('[data-test="pool-not-joined"]').exists()).toBe(true)
    expect(wrapper.get('[data-test="join-consent-text"]').text()).toContain('手机号只显示部分数字')
    await wrapper.get('[data-test="join-skill-input"] input').setValue('长者探访')
    await wrapper.get('[data-test="join-skill-add"]').trigger('click')
    await wrapper.get('[data-test="join-village-3"]').trigger('click')
    await wrapper.get('[data-test="join-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="join-consent-error"]').text()).toBe('请阅读并勾选同意')
    expect(writes(requests)).toEqual([])
    await wrapper.get('[data-test="join-consent"]').trigger('click')
    await wrapper.get('[data-test="join-form"]').trigger('submit')
    await settle()
    expect(writes(requests).map((r) => r.body)).toEqual([{ consent: true, skills: ['长者探访'], village_ids: [3], availability: '', intro: '' }])
    expect(wrapper.get('[data-test="join-error"]').text()).toBe('需要有效的培训证书才能加入人才库')
  })
})

describe('QualificationScan', () => {
  it('checks a picked file first, uploads a pending qualification’s scan and shows it, with 重新上传', async () => {
    const scanned = qualification({ scan: { content_type: 'image/png', size_bytes: 70, url: '/api/v1/training/qualifications/Qk1/scan' } })
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/qualifications': jsonResponse(200, { qualifications: [qualification()] }),
      'GET /api/v1/talent/me': errorResponse(404, 'talent.not_in_pool', '不在人才库中'),
      'GET /api/v1/talent/invitations': jsonResponse(200, { invitations: [] }),
      'PUT /api/v1/training/qualifications/Qk1/scan': jsonResponse(200, { qualification: scanned }),
    })
    const { wrapper } = await mountWithApp(MyTalentPage, { path: '/talent' })
    await settle()
    expect(wrapper.get('[data-test="qual-scan-assistant-pick"]').text()).toBe('上传证书扫描件')
    const pick = wrapper.findComponent(FilePick)
    expect(pick.vm.beforeRead(new File(['GIF89a'], 'scan.gif', { type: 'image/gif' }))).toBe(false)
    await settle()
    expect(wrapper.get('[data-test="qual-scan-assistant-refused"]').text()).toBe('“scan.gif”不是 PDF 或 JPG、PNG、WebP 图片')
    expect(writes(requests)).toEqual([])
    pick.vm.beforeRead(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'scan.png', { type: 'image/png' }))
    await settle()
    expect(writes(requests).map((r) => `${r.method} ${r.url}`)).toEqual(['PUT /api/v1/training/qualifications/Qk1/scan'])
    expect(wrapper.get('[data-test="qual-scan-assistant-image"] img').attributes('src')).toBe('/api/v1/training/qualifications/Qk1/scan?v=1')
    expect(wrapper.get('[data-test="qual-scan-assistant-pick"]').text()).toBe('重新上传')
  })

  it('shows a decided qualification’s scan without an upload', async () => {
    stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/qualifications': jsonResponse(200, {
        qualifications: [qualification({ status: 'verified', scan: { content_type: 'application/pdf', size_bytes: 2048, url: '/api/v1/training/qualifications/Qk1/scan' } })],
      }),
      'GET /api/v1/talent/me': errorResponse(404, 'talent.not_in_pool', '不在人才库中'),
      'GET /api/v1/talent/invitations': jsonResponse(200, { invitations: [] }),
    })
    const { wrapper } = await mountWithApp(MyTalentPage, { path: '/talent' })
    await settle()
    expect(wrapper.get('[data-test="qual-scan-assistant-link"]').attributes('href')).toBe('/api/v1/training/qualifications/Qk1/scan')
    expect(wrapper.get('[data-test="qual-scan-assistant-pdf"]').text()).toContain('2.0 KB')
    expect(wrapper.find('[data-test="qual-scan-assistant-pick"]').exists()).toBe(false)
  })
})

describe('SearchPage', () => {
  it('shows the members found with their badges, and my organisation’s invitations', async () => {
    const { requests } = stubFetch({
      ...META,
      ...VILLAGES,
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      'GET /api/v1/talent': jsonResponse(200, { members: [entry({ user_id: 27, name: '叠滘村·冯姑娘', qualification: 'social_worker', professional: true, placed: 1 })] }),
      'GET /api/v1/talent/invitations': jsonResponse(200, { invitations: [{ ...invitation, status: 'accepted' }] }),
    })
    const { wrapper } = await mountWithApp(SearchPage, { path: '/talent/search' })
    await settle()
    expect(wrapper.get('[data-test="talent-qual-27"]').text()).toBe('社会工作师')
    expect(wrapper.get('[data-test="talent-professional-27"]').text()).toBe('可参与专业项目')
    expect(wrapper.get('[data-test="org-invitations"]').text()).toContain('已接受')
    expect(requests.some((r) => r.url === '/api/v1/talent/invitations?org_id=3')).toBe(true)
    await wrapper.get('[data-test="search-skill"] input').setValue('长者探访')
    await wrapper.get('[data-test="search-qual-social_worker"]').trigger('click')
    await wrapper.get('[data-test="search-form"]').trigger('submit')
    await settle()
    expect(requests.filter((r) => r.url.startsWith('/api/v1/talent?')).map((r) => r.url).pop()).toBe(
      `/api/v1/talent?skill=${encodeURIComponent('长者探访')}&qualification=social_worker`,
    )
  })
})

describe('QualificationReviewPage', () => {
  it('shows each scan next to its qualification, or that none was uploaded', async () => {
    stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, trainer),
      'GET /api/v1/training/qualifications': jsonResponse(200, {
        qualifications: [qualification({ scan: { content_type: 'image/jpeg', size_bytes: 500, url: '/api/v1/training/qualifications/Qk1/scan' } }), qualification({ id: 'Qk2', name: '梁书记' })],
      }),
    })
    const { wrapper } = await mountWithApp(QualificationReviewPage, { path: '/talent/qualifications' })
    await settle()
    const img = wrapper.get('[data-test="review-scan-Qk1-image"] img')
    expect(img.attributes('src')).toBe('/api/v1/training/qualifications/Qk1/scan')
    expect(img.attributes('loading')).toBe('lazy')
    expect(wrapper.find('[data-test="review-noscan-Qk1"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="review-noscan-Qk2"]').text()).toBe('未上传扫描件')
  })

  it('returns a qualification only with a reason', async () => {
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, trainer),
      'GET /api/v1/training/qualifications': jsonResponse(200, { qualifications: [qualification()] }),
      'POST /api/v1/training/qualifications/Qk1/reject': jsonResponse(200, { qualification: qualification({ status: 'rejected', reason: '编号不符' }) }),
    })
    const { wrapper } = await mountWithApp(QualificationReviewPage, { path: '/talent/qualifications' })
    await settle()
    await wrapper.get('[data-test="review-reject-Qk1"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="review-Qk1"]').text()).toContain('退回请填写原因')
    expect(writes(requests)).toEqual([])
    await wrapper.get('[data-test="review-reason-Qk1"] input').setValue('编号不符')
    await wrapper.get('[data-test="review-reject-Qk1"]').trigger('click')
    await settle()
    expect(writes(requests).map((r) => r.body)).toEqual([{ reason: '编号不符' }])
    expect(wrapper.find('[data-test="review-Qk1"]').exists()).toBe(false)
  })
})

describe('DashboardPage', () => {
  it('shows the village table with practice in hours and the CSV link', async () => {
    stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, trainer),
      'GET /api/v1/training/dashboard': jsonResponse(200, {
        generated_at_ms: 1790000000000,
        programmes: [],
        classes: [],
        villages: [{ village_id: 3, village_name: '叠滘村', members: 6, enrolled: 4, completed: 2, certificates_valid: 2, practice_minutes: 2490, reception_visits: 12, referrals: 2, talent_members: 2, placed: 1 }],
      }),
    })
    const { wrapper } = await mountWithApp(DashboardPage, { path: '/training/dashboard' })
    await settle()
    expect(wrapper.get('[data-test="dash-row-village-3"]').text()).toContain('41.5')
    expect(wrapper.get('[data-test="dash-csv-villages"]').attributes('href')).toBe('/api/v1/training/dashboard?format=csv&table=villages')
    expect(wrapper.get('[data-test="dash-csv-villages"]').attributes('download')).toBe('villages.csv')
  })
})
