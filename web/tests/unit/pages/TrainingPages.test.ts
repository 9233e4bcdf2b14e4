import { afterEach, describe, expect, it, vi } from 'vitest'
import FilePick from '@/components/files/FilePick.vue'
import MeTrainingLinks from '@/components/training/MeTrainingLinks.vue'
import CertificateCheckPage from '@/pages/training/CertificateCheckPage.vue'
import ClassAdminPage from '@/pages/training/ClassAdminPage.vue'
import ClassFormPage from '@/pages/training/ClassFormPage.vue'
import ClassPage from '@/pages/training/ClassPage.vue'
import ManagePage from '@/pages/training/ManagePage.vue'
import MyTrainingPage from '@/pages/training/MyTrainingPage.vue'
import { routes } from '@/router'
import { featureGate, roleGate, sectionTarget } from '@/router/gating'
import { SECTIONS } from '@/router/sections'
import { useAuthStore } from '@/stores/auth'
import { useMetaStore } from '@/stores/meta'
import { mountWithApp, settle } from '../support/app'
import { errorResponse, jsonResponse, type RecordedRequest, stubFetch } from '../support/fetch'
import { NOW } from '../support/events'
import { CERT_NO, certificate, klass, member, practice, programme, progress, publicCheck, trainer } from '../support/training'

const guest = errorResponse(401, 'unauthenticated', '')
const META = { 'GET /api/v1/meta': jsonResponse(200, { features: ['training', 'events'], consent_version: '1' }) }
const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET')

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('gating and links', () => {
  it('opens the 党员社工 section with the training feature and keeps 培训管理 to trainers', () => {
    const meta = (name: string) => routes.find((r) => r.name === name)!.meta!
    const section = SECTIONS.find((s) => s.key === 'training')!
    expect(sectionTarget(section, ['training'])).toEqual({ name: 'training' })
    expect(sectionTarget(section, [])).toEqual({ name: 'section', params: { key: 'training' } })
    expect(featureGate(meta('training-certificate-check'), {}, [])).toEqual({ name: 'section', params: { key: 'training' } })
    expect(roleGate(meta('training-manage'), { features: ['training'], roles: ['resident'] })).toEqual({ name: 'me' })
    expect(roleGate(meta('training-manage'), { features: ['training'], roles: ['trainer'] })).toBe(true)
    expect(roleGate(meta('training-class-admin'), { features: ['training'], roles: ['platform_admin'] })).toBe(true)
    expect(meta('training').requiresAuth).toBe(true)
    expect(meta('training-certificate-check').requiresAuth).toBeUndefined()
  })

  it('lets a class’s trainer open a session’s attendance and check-in pages (the events pages)', () => {
    const meta = (name: string) => routes.find((r) => r.name === name)!.meta!
    for (const name of ['event-attendance', 'event-checkin']) {
      expect(roleGate(meta(name), { features: ['events'], roles: ['trainer'] })).toBe(true)
      expect(roleGate(meta(name), { features: ['events'], roles: ['org_staff'] })).toBe(true)
      expect(roleGate(meta(name), { features: ['events'], roles: ['resident'] })).toEqual({ name: 'me' })
    }
  })

  it('links 我的 to 我的培训, and to 培训管理 for trainers', async () => {
    stubFetch({ 'GET /api/v1/me': jsonResponse(200, member) })
    const { wrapper } = await mountWithApp(MeTrainingLinks, { path: '/me' })
    useMetaStore().meta = { features: ['training'] } as unknown as NonNullable<ReturnType<typeof useMetaStore>['meta']>
    await useAuthStore().ensureLoaded()
    await settle()
    expect(wrapper.find('[data-test="me-training"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="me-training-manage"]').exists()).toBe(false)
    useAuthStore().user = trainer.user as never
    await settle()
    expect(wrapper.find('[data-test="me-training-manage"]').exists()).toBe(true)
  })
})

describe('MyTrainingPage', () => {
  it('shows each of my classes with its progress line', async () => {
    stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/classes': jsonResponse(200, { classes: [klass({ my_enrolment: 'enrolled' })] }),
      'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [programme()] }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
    })
    const { wrapper } = await mountWithApp(MyTrainingPage, { path: '/training' })
    await settle()
    expect(wrapper.get('[data-test="class-progress-4"]').text()).toBe('出勤 3/4 · 实践 12.5/16\u00a0小时 · 考核 已通过')
    expect(wrapper.get('[data-test="class-link-4"]').attributes('href')).toBe('/training/classes/4')
    expect(wrapper.find('[data-test="training-manage-link"]').exists()).toBe(false)
  })

  it('enrols in an open class, and shows a refusal in the server’s words under the class', async () => {
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/classes': jsonResponse(200, { classes: [klass(), klass({ id: 5, title: '满员班' })] }),
      'POST /api/v1/training/classes/4/enrolments': jsonResponse(201, { class: klass({ my_enrolment: 'enrolled', can_enrol: false, enrolled: 1 }) }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
      'POST /api/v1/training/classes/5/enrolments': errorResponse(409, 'training.class_full', '这个班名额已满'),
    })
    const { wrapper } = await mountWithApp(MyTrainingPage, { path: '/training?tab=open' })
    await settle()
    await wrapper.get('[data-test="enrol-5"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="enrol-error-5"]').text()).toBe('这个班名额已满')
    await wrapper.get('[data-test="enrol-4"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="class-4"]').exists()).toBe(false)
    expect(writes(requests).map((r) => r.url)).toEqual(['/api/v1/training/classes/5/enrolments', '/api/v1/training/classes/4/enrolments'])
  })

  it('logs practice from the form after checking the hours, and lists my records with their status', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW)
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/practice': jsonResponse(200, { practice: [practice({ status: 'rejected', reason: '地点与记录不符', user_id: 21 })] }),
      'POST /api/v1/training/practice': jsonResponse(201, { practice: practice({ id: 'newaaaaaaaaaaaaaaaaa', user_id: 21, minutes: 150, hours: 2.5 }) }),
    })
    const { wrapper } = await mountWithApp(MyTrainingPage, { path: '/training?tab=practice' })
    await settle()
    expect(wrapper.get('[data-test="practice-reason-pracaaaaaaaaaaaaaaaa"]').text()).toContain('地点与记录不符')
    await wrapper.get('[data-test="practice-kind-home_visit"]').trigger('click')
    await wrapper.get('[data-test="practice-method-casework"]').trigger('click')
    await wrapper.get('[data-test="practice-place"] input').setValue('叠滘村三巷')
    await wrapper.get('[data-test="practice-hours"] input').setValue('2.25')
    await wrapper.get('[data-test="practice-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="practice-hours"]').text()).toContain('请按半小时填写')
    expect(writes(requests)).toHaveLength(0)
    await wrapper.get('[data-test="practice-hours-more"]').trigger('click')
    expect((wrapper.get('[data-test="practice-hours"] input').element as HTMLInputElement).value).toBe('2.5')
    await wrapper.get('[data-test="practice-form"]').trigger('submit')
    await settle()
    expect(writes(requests)[0]?.body).toMatchObject({ kind: 'home_visit', method: 'casework', hours: 2.5, place: '叠滘村三巷' })
    expect(wrapper.get('[data-test="practice-status-newaaaaaaaaaaaaaaaaa"]').text()).toBe('待确认')
  })

  it('shows my certificates with their QR code and the way to print them', async () => {
    stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/certificates': jsonResponse(200, { certificates: [certificate(), certificate({ no: 'GC2022-OLDOLDOLD1', state: 'expired' })] }),
    })
    const { wrapper } = await mountWithApp(MyTrainingPage, { path: '/training?tab=certificates' })
    await settle()
    expect(wrapper.get(`[data-test="cert-state-${CERT_NO}"]`).text()).toBe('有效')
    expect(wrapper.get('[data-test="cert-state-GC2022-OLDOLDOLD1"]').text()).toBe('已过期')
    expect(wrapper.get(`[data-test="cert-qr-${CERT_NO}"]`).attributes('src')).toBe(`/api/v1/training/certificates/${CERT_NO}/qr`)
    expect(wrapper.find(`[data-test="cert-print-${CERT_NO}"]`).exists()).toBe(true)
  })
})

describe('ClassPage', () => {
  const enrolled = klass({ my_enrolment: 'enrolled', can_enrol: false, materials: [{ id: 'm1', event_id: 100, title: '讲义', kind: 'markdown', body: '## 要点', body_html: '<h2>要点</h2>', file_name: null, content_type: null, size_bytes: 0, url: null, created_at_ms: NOW }] })

  it('shows the sessions with my tickets, the materials, my progress, and sends the quiz', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW)
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/classes/4': jsonResponse(200, { class: enrolled }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress({ assessment: { status: 'pending', quiz_best: 50, assignment_submitted: false, assignment_grade: null } })] }),
      'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [programme()] }),
      'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [{ id: 'regaaaaaaaaaaaaaaaaa', event_id: 101, status: 'confirmed', event: {} }] }),
      'POST /api/v1/training/classes/4/quiz': jsonResponse(201, { result: { score: 100, best: 100, passed: true } }),
    })
    const { wrapper, router } = await mountWithApp(ClassPage, { path: '/training/classes/4' })
    await settle()
    expect(wrapper.get('[data-test="progress-line"]').text()).toBe('出勤 3/4 · 实践 12.5/16\u00a0小时 · 考核 未完成')
    expect(wrapper.find('[data-test="session-ticket-1"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="material-body-m1"]').html()).toContain('<h2>要点</h2>')
    await wrapper.get('[data-test="quiz-form"]').trigger('submit')
    await settle()
    expect(wrapper.find('[data-test="quiz-missing-0"]').exists()).toBe(true)
    await wrapper.get('[data-test="quiz-0-0"]').trigger('click')
    for (const j of [0, 1, 2]) {
      await wrapper.get(`[data-test="quiz-1-${j}"]`).trigger('click')
    }
    await wrapper.get('[data-test="quiz-form"]').trigger('submit')
    await settle()
    expect(writes(requests)[0]?.body).toEqual({ answers: [[0], [0, 1, 2]] })
    expect(wrapper.get('[data-test="quiz-result"]').text()).toContain('本次 100 分，最高 100 分。')
    await wrapper.get('[data-test="session-ticket-2"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/me/tickets/regaaaaaaaaaaaaaaaaa'))
  })

  it('withdraws on the page, without a pop-up', async () => {
    stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/classes/4': jsonResponse(200, { class: enrolled }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
      'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [programme()] }),
      'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [] }),
      'DELETE /api/v1/training/classes/4/enrolments/me': jsonResponse(200, { class: klass() }),
    })
    const { wrapper } = await mountWithApp(ClassPage, { path: '/training/classes/4' })
    await settle()
    await wrapper.get('[data-test="class-withdraw"]').trigger('click')
    await wrapper.get('[data-test="class-withdraw-confirm"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="class-enrolled"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="class-enrol"]').exists()).toBe(true)
  })
})

describe('ClassPage files and the assessment as a village need', () => {
  const file = { body: '', body_html: '', created_at_ms: NOW }
  const withFiles = klass({
    my_enrolment: 'enrolled',
    can_enrol: false,
    materials: [
      { ...file, id: 'm2', event_id: 100, title: '个案工作讲义', kind: 'pdf', file_name: '个案工作.pdf', content_type: 'application/pdf', size_bytes: 1536, url: '/api/v1/training/materials/m2/file' },
      { ...file, id: 'm3', event_id: 100, title: '社区地图', kind: 'image', file_name: 'map.png', content_type: 'image/png', size_bytes: 70, url: '/api/v1/training/materials/m3/file' },
    ],
  })

  it('shows a PDF as a file row with its link and an image as itself', async () => {
    stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, member),
      'GET /api/v1/training/classes/4': jsonResponse(200, { class: withFiles }),
      'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
      'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [programme()] }),
      'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [] }),
    })
    const { wrapper } = await mountWithApp(ClassPage, { path: '/training/classes/4' })
    await settle()
    expect(wrapper.get('[data-test="material-pdf-m2-pdf"]').text()).toContain('个案工作.pdf')
    expect(wrapper.get('[data-test="material-pdf-m2-pdf"]').text()).toContain('1.5 KB')
    const link = wrapper.get('[data-test="material-pdf-m2-link"]')
    expect(link.text()).toBe('下载/打开')
    expect(link.attributes('href')).toBe('/api/v1/training/materials/m2/file')
    expect(link.attributes('download')).toBe('个案工作.pdf')
    const img = wrapper.get('[data-test="material-image-m3-image"] img')
    expect(img.attributes('src')).toBe('/api/v1/training/materials/m3/file')
    expect(img.attributes('loading')).toBe('lazy')
  })

  const secretaries = klass({ my_enrolment: 'enrolled', can_enrol: false, assignment: '本村居民需求评估', eligible: { village_ids: [3], secretaries_only: true } })
  const passed = { user_id: 21, body: '## 独居长者缺少日常探访\n西约有 40 位独居长者。', submitted_at_ms: NOW, grade: 85, feedback: '', passed: true, need_id: null }
  const routesFor = (post: Response) => ({
    ...META,
    'GET /api/v1/me': jsonResponse(200, member),
    'GET /api/v1/training/classes/4': jsonResponse(200, { class: secretaries }),
    'GET /api/v1/training/classes/4/progress': jsonResponse(200, { progress: [progress()] }),
    'GET /api/v1/training/classes/4/assignments': jsonResponse(200, { assignments: [passed] }),
    'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [programme()] }),
    'GET /api/v1/me/registrations': jsonResponse(200, { registrations: [] }),
    'POST /api/v1/training/classes/4/assignment/need': post,
  })

  async function openAndFill() {
    const mounted = await mountWithApp(ClassPage, { path: '/training/classes/4' })
    const { wrapper } = mounted
    await settle()
    expect(wrapper.find('[data-test="need-form"]').exists()).toBe(false)
    await wrapper.get('[data-test="assignment-need-open"]').trigger('click')
    expect((wrapper.get('[data-test="need-title"] input').element as HTMLInputElement).value).toBe('叠滘村居民需求：独居长者缺少日常探访')
    expect((wrapper.get('[data-test="need-story"] textarea').element as HTMLTextAreaElement).value).toBe(passed.body)
    expect(wrapper.find('[data-test="need-round"]').exists()).toBe(false)
    await wrapper.get('[data-test="need-type-0"]').trigger('click')
    await wrapper.get('[data-test="need-target"] input').setValue('独居长者')
    await wrapper.get('[data-test="need-people"] input').setValue('40')
    await wrapper.get('[data-test="need-budget-min"] input').setValue('20000')
    await wrapper.get('[data-test="need-budget-max"] input').setValue('50000')
    return mounted
  }

  it('posts a passed assessment as a village need from the prefilled form, then links to it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW)
    const need = { id: 'needaaaaaaaaaaaaaaaa', title: '叠滘村居民需求：独居长者缺少日常探访' }
    const { requests } = stubFetch(routesFor(jsonResponse(201, { need, assignment: { ...passed, need_id: need.id } })))
    const { wrapper } = await openAndFill()
    await wrapper.get('[data-test="need-form"]').trigger('submit')
    await settle()
    const body = writes(requests)[0]?.body as Record<string, unknown>
    expect(body).toMatchObject({ title: need.title, project_type: '长者服务', target_group: '独居长者', beneficiaries: 40, budget_min_fen: 2_000_000, budget_max_fen: 5_000_000, source: 'visits', story: passed.body })
    expect(body).not.toHaveProperty('village_id')
    expect(wrapper.find('[data-test="need-form"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="assignment-need-done"]').text()).toBe('已发布为村级需求')
    expect(wrapper.get('[data-test="assignment-need-link"]').attributes('href')).toBe(`/market/needs/${need.id}`)
  })

  it('shows the server’s refusal of someone who is not the village’s staff', async () => {
    stubFetch(routesFor(errorResponse(403, 'forbidden', '只有本村（居）工作人员可以发布需求')))
    const { wrapper } = await openAndFill()
    await wrapper.get('[data-test="need-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="need-form-error"]').text()).toBe('只有本村（居）工作人员可以发布需求')
    expect(wrapper.find('[data-test="assignment-need-link"]').exists()).toBe(false)
  })
})

describe('CertificateCheckPage', () => {
  it('shows the state large, whether the code matched and the masked holder, for a guest', async () => {
    const { requests } = stubFetch({ ...META, 'GET /api/v1/me': guest, [`GET /api/v1/training/certificates/${CERT_NO}`]: jsonResponse(200, { certificate: publicCheck() }) })
    const { wrapper } = await mountWithApp(CertificateCheckPage, { path: `/c/${CERT_NO}?code=123456` })
    await settle()
    expect(requests.find((r) => r.url.includes('/certificates/'))?.url).toBe(`/api/v1/training/certificates/${CERT_NO}?code=123456`)
    expect(wrapper.get('[data-test="check-state-label"]').text()).toBe('有效')
    expect(wrapper.get('[data-test="check-code"]').text()).toBe('校验码一致')
    expect(wrapper.get('[data-test="check-holder"]').text()).toBe('陈*姨')
  })

  it('says 已撤销 and 未提供或不一致 without a code, and 查无此证书 for a 404', async () => {
    stubFetch({ ...META, 'GET /api/v1/me': guest, [`GET /api/v1/training/certificates/${CERT_NO}`]: jsonResponse(200, { certificate: publicCheck({ state: 'revoked', code_checked: false, revoked_at_ms: NOW }) }) })
    const { wrapper } = await mountWithApp(CertificateCheckPage, { path: `/c/${CERT_NO}` })
    await settle()
    expect(wrapper.get('[data-test="check-state"]').attributes('data-state')).toBe('revoked')
    expect(wrapper.get('[data-test="check-state-label"]').text()).toBe('已撤销')
    expect(wrapper.get('[data-test="check-code"]').text()).toBe('校验码未提供或不一致')
    wrapper.unmount()
    stubFetch({ ...META, 'GET /api/v1/me': guest, 'GET /api/v1/training/certificates/GC2026-NOSUCHCERT': errorResponse(404, 'training.certificate_not_found', '查无此证书') })
    const other = await mountWithApp(CertificateCheckPage, { path: '/c/GC2026-NOSUCHCERT' })
    await settle()
    expect(other.wrapper.get('[data-test="check-not-found"]').text()).toContain('查无此证书')
  })
})

describe('ManagePage', () => {
  it('confirms a pending practice record, and rejects one only with a reason', async () => {
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, trainer),
      'GET /api/v1/training/practice/pending': jsonResponse(200, { practice: [practice(), practice({ id: 'otheraaaaaaaaaaaaaaa' })] }),
      'POST /api/v1/training/practice/pracaaaaaaaaaaaaaaaa/confirm': jsonResponse(200, { practice: practice({ status: 'confirmed' }) }),
      'POST /api/v1/training/practice/otheraaaaaaaaaaaaaaa/reject': jsonResponse(200, { practice: practice({ status: 'rejected' }) }),
    })
    const { wrapper } = await mountWithApp(ManagePage, { path: '/training/manage?tab=practice' })
    await settle()
    await wrapper.get('[data-test="pending-confirm-pracaaaaaaaaaaaaaaaa"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="practice-pracaaaaaaaaaaaaaaaa"]').exists()).toBe(false)
    await wrapper.get('[data-test="pending-reject-otheraaaaaaaaaaaaaaa"]').trigger('click')
    await wrapper.get('[data-test="pending-reject-confirm-otheraaaaaaaaaaaaaaa"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test="pending-reason-otheraaaaaaaaaaaaaaa"]').text()).toContain('请填写原因')
    await wrapper.get('[data-test="pending-reason-otheraaaaaaaaaaaaaaa"] textarea').setValue('重复登记')
    await wrapper.get('[data-test="pending-reject-confirm-otheraaaaaaaaaaaaaaa"]').trigger('click')
    await settle()
    expect(writes(requests).map((r) => [r.url, r.body])).toEqual([
      ['/api/v1/training/practice/pracaaaaaaaaaaaaaaaa/confirm', {}],
      ['/api/v1/training/practice/otheraaaaaaaaaaaaaaa/reject', { reason: '重复登记' }],
    ])
    expect(wrapper.find('[data-test="pending-none"]').exists()).toBe(true)
  })
})

describe('ClassAdminPage', () => {
  const admin = klass({ is_trainer: true, enrolled: 2 })
  const base = {
    ...META,
    'GET /api/v1/me': jsonResponse(200, trainer),
    'GET /api/v1/training/classes/4': jsonResponse(200, { class: admin }),
    'GET /api/v1/training/classes/4/roster': jsonResponse(200, { trainees: [{ user_id: 21, name: '陈阿姨', phone: '138****0001', village_id: 3, village_name: '叠滘村', enrolled_at_ms: NOW }] }),
    'GET /api/v1/training/classes/4/progress': jsonResponse(200, {
      progress: [progress({ complete: true }), progress({ user_id: 22, name: '何伯', complete: false })],
    }),
    'GET /api/v1/training/classes/4/assignments': jsonResponse(200, { assignments: [] }),
    'GET /api/v1/training/classes/4/certificates': jsonResponse(200, { certificates: [] }),
    'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [programme()] }),
  }

  it('imports a roster by phone numbers and shows each refusal with its message', async () => {
    const { requests } = stubFetch({
      ...base,
      'POST /api/v1/training/classes/4/enrolments': jsonResponse(201, { enrolled: [21], refused: [{ member: '13800000099', code: 'training.person_not_found', message: '没有找到使用这个手机号的账号' }] }),
    })
    const { wrapper } = await mountWithApp(ClassAdminPage, { path: '/training/manage/classes/4' })
    await settle()
    expect(wrapper.get('[data-test="roster-21"]').text()).toContain('陈阿姨')
    await wrapper.get('[data-test="roster-phones"] textarea').setValue('13800000001\n1380000')
    await wrapper.get('[data-test="roster-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="roster-phones"]').text()).toContain('这些不是手机号：1380000')
    await wrapper.get('[data-test="roster-phones"] textarea').setValue('13800000001\n13800000099')
    await wrapper.get('[data-test="roster-secretary"]').trigger('click')
    await wrapper.get('[data-test="roster-form"]').trigger('submit')
    await settle()
    expect(writes(requests)[0]?.body).toEqual({
      members: [
        { phone: '13800000001', village_id: 3, secretary: true },
        { phone: '13800000099', village_id: 3, secretary: true },
      ],
    })
    expect(wrapper.get('[data-test="roster-refused-13800000099"]').text()).toBe('13800000099：没有找到使用这个手机号的账号')
    expect(wrapper.get('[data-test="roster-enrolled"]').text()).toBe('已报名 1 人：陈阿姨')
  })

  it('issues certificates to the complete trainees ticked and names the refusals', async () => {
    const { requests } = stubFetch({
      ...base,
      'POST /api/v1/training/classes/4/certificates': jsonResponse(201, { issued: [], refused: [{ user_id: 21, code: 'training.already_issued', message: '已经颁发过证书' }] }),
    })
    const { wrapper } = await mountWithApp(ClassAdminPage, { path: '/training/manage/classes/4?tab=progress' })
    await settle()
    expect(wrapper.find('[data-test="progress-pick-22"]').exists()).toBe(false)
    await wrapper.get('[data-test="progress-pick-all"]').trigger('click')
    await wrapper.get('[data-test="progress-issue"]').trigger('click')
    await settle()
    expect(writes(requests)[0]?.body).toEqual({ user_ids: [21] })
    expect(wrapper.get('[data-test="progress-refused-21"]').text()).toBe('陈阿姨：已经颁发过证书')
  })

  it('uploads a PDF or an image as a session’s material, refusing a wrong file before sending it', async () => {
    const uploaded = { id: 'm9', event_id: 101, title: '小组工作', kind: 'pdf', body: '', body_html: '', file_name: '小组工作.pdf', content_type: 'application/pdf', size_bytes: 9, url: '/api/v1/training/materials/m9/file', created_at_ms: NOW }
    const { requests } = stubFetch({ ...base, 'POST /api/v1/training/classes/4/materials/files': jsonResponse(201, { material: uploaded }) })
    const { wrapper } = await mountWithApp(ClassAdminPage, { path: '/training/manage/classes/4?tab=materials' })
    await settle()
    expect(wrapper.findAll('form').filter((f) => f.attributes('data-test')?.startsWith('material-'))).toHaveLength(1)
    expect(wrapper.find('[data-test="material-body"]').exists()).toBe(false)
    await wrapper.get('[data-test="material-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="material-file-error"]').text()).toBe('请选择要上传的文件')
    const pick = wrapper.getComponent(FilePick)
    pick.vm.beforeRead(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.pdf', { type: 'application/pdf' }))
    await settle()
    expect(wrapper.get('[data-test="material-file-refused"]').text()).toBe('“big.pdf”超过 10 MB，请压缩后再上传')
    await wrapper.get('[data-test="material-session-2"]').trigger('click')
    pick.vm.beforeRead(new File(['%PDF-1.4\n'], '小组工作.pdf', { type: 'application/pdf' }))
    await settle()
    expect(wrapper.get('[data-test="material-file-chosen"]').text()).toBe('已选：小组工作.pdf（9 B）')
    expect((wrapper.get('[data-test="material-title"] input').element as HTMLInputElement).value).toBe('小组工作')
    expect(wrapper.get('[data-test="material-submit"]').text()).toBe('上传讲义')
    await wrapper.get('[data-test="material-form"]').trigger('submit')
    await settle()
    expect(writes(requests).map((r) => r.url)).toEqual([`/api/v1/training/classes/4/materials/files?event_id=101&title=${encodeURIComponent('小组工作')}&name=${encodeURIComponent('小组工作.pdf')}`])
    expect(wrapper.get('[data-test="material-pdf-m9-link"]').attributes('href')).toBe('/api/v1/training/materials/m9/file')
    expect(wrapper.find('[data-test="material-file-chosen"]').exists()).toBe(false)
  })

  it('switches the same form to Markdown text, with its own checks, the server’s refusal under its field, and the JSON request', async () => {
    const added = { id: 'm8', event_id: 100, title: '接案要点', kind: 'markdown', body: '## 接案', body_html: '<h2>接案</h2>', file_name: null, content_type: null, size_bytes: 0, url: null, created_at_ms: NOW }
    let answer = errorResponse(422, 'validation', '内容太长', 'body')
    const { requests } = stubFetch({ ...base, 'POST /api/v1/training/classes/4/materials': () => answer })
    const { wrapper } = await mountWithApp(ClassAdminPage, { path: '/training/manage/classes/4?tab=materials' })
    await settle()
    await wrapper.get('[data-test="material-kind-markdown"]').trigger('click')
    await settle()
    expect(wrapper.find('[data-test="material-file-uploader"]').exists()).toBe(false)
    expect(wrapper.get('[data-test="material-submit"]').text()).toBe('发布讲义')
    await wrapper.get('[data-test="material-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="material-title"]').text()).toContain('必填')
    expect(wrapper.get('[data-test="material-body"]').text()).toContain('必填')
    expect(wrapper.find('[data-test="material-file-error"]').exists()).toBe(false)
    await wrapper.get('[data-test="material-title"] input').setValue('接案要点')
    await wrapper.get('[data-test="material-body"] textarea').setValue('## 接案')
    await wrapper.get('[data-test="material-form"]').trigger('submit')
    await settle()
    expect(wrapper.get('[data-test="material-body"]').text()).toContain('内容太长')
    expect(wrapper.find('[data-test="material-error"]').exists()).toBe(false)
    answer = jsonResponse(201, { material: added })
    await wrapper.get('[data-test="material-form"]').trigger('submit')
    await settle()
    expect(writes(requests).map((r) => [r.url, r.body])).toEqual([
      ['/api/v1/training/classes/4/materials', { event_id: 100, title: '接案要点', body: '## 接案' }],
      ['/api/v1/training/classes/4/materials', { event_id: 100, title: '接案要点', body: '## 接案' }],
    ])
    expect(wrapper.get('[data-test="material-body-m8"]').html()).toContain('<h2>接案</h2>')
    expect((wrapper.get('[data-test="material-body"] textarea').element as HTMLTextAreaElement).value).toBe('')
  })

  it('links each session to its attendance and QR check-in pages', async () => {
    stubFetch(base)
    const { wrapper, router } = await mountWithApp(ClassAdminPage, { path: '/training/manage/classes/4?tab=sessions' })
    await settle()
    await wrapper.get('[data-test="session-checkin-4"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/events/103/checkin'))
    await router.back()
    await settle()
    await wrapper.get('[data-test="session-attendance-1"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/events/100/attendance'))
  })
})

describe('ClassFormPage', () => {
  it('puts one session per module when a programme is picked, and shows the server’s refusal under its session', async () => {
    const { requests } = stubFetch({
      ...META,
      'GET /api/v1/me': jsonResponse(200, trainer),
      'GET /api/v1/training/programmes': jsonResponse(200, { programmes: [programme()] }),
      'GET /api/v1/orgs': jsonResponse(200, { orgs: [{ id: 2, name: '启创社工', credit_code: 'x', rating: null }] }),
      'GET /api/v1/venues': jsonResponse(200, { venues: [{ id: 1, name: '关爱桂城企业创享家', address: '', map_url: '' }] }),
      'GET /api/v1/villages': jsonResponse(200, { villages: [{ id: 3, name: '叠滘村', kind: 'village', rural: true, created_at_ms: 0 }] }),
      'POST /api/v1/training/classes': errorResponse(400, 'in_the_past', '开始时间已过', 'sessions[1].starts_at_ms'),
    })
    const { wrapper } = await mountWithApp(ClassFormPage, { path: '/training/manage/classes/new' })
    await settle()
    await wrapper.get('[data-test="class-form-programme-1"]').trigger('click')
    await settle()
    expect(wrapper.findAll('[data-test^="class-form-session-"][data-test$="-starts"]')).toHaveLength(4)
    await wrapper.get('[data-test="class-form-title"] input').setValue('2026 秋季班（叠滘村）')
    await wrapper.get('[data-test="class-form-village-3"]').trigger('click')
    await wrapper.get('[data-test="class-form"]').trigger('submit')
    await settle()
    const body = writes(requests)[0]?.body as { sessions: { module: string }[]; venue_id: number; quiz: unknown[] }
    expect(body.sessions.map((s) => s.module)).toEqual(programme().modules)
    expect(body.venue_id).toBe(1)
    expect(body.quiz).toEqual([])
    expect(wrapper.get('[data-test="class-form-session-1-starts"]').text()).toContain('开始时间已过')
  })
})
