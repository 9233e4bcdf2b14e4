/** Files sent as raw bytes: the client's check, materials, the qualification scan, and a secretary's assessment posted as a need. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Material } from '@/api/training'
import { useAuthStore } from '@/stores/auth'
import { useTalentStore } from '@/stores/talent'
import { assignmentNeedBody, buildNeedPrefill, useTrainingStore } from '@/stores/training'
import { useTrainingAdminStore } from '@/stores/trainingAdmin'
import { isImageType, MAX_FILE_BYTES, precheckFile } from '@/stores/upload'
import { NOW } from '../support/events'
import { errorResponse, jsonResponse, stubFetch } from '../support/fetch'
import { qualification } from '../support/talent'
import { klass, member } from '../support/training'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

const file = (name: string, type: string, size: number) => ({ name, type, size })

describe('precheckFile', () => {
  it('lets a PDF or a JPEG, PNG or WebP image of at most 10 MiB go', () => {
    expect(precheckFile(file('讲义.pdf', 'application/pdf', 1234))).toBeNull()
    expect(precheckFile(file('a.jpg', 'image/jpeg', MAX_FILE_BYTES))).toBeNull()
    expect(precheckFile(file('a.png', 'image/png', 10))).toBeNull()
    expect(precheckFile(file('a.webp', 'image/webp', 10))).toBeNull()
  })

  it('takes a file the browser named no type for by its extension', () => {
    expect(precheckFile(file('scan.PDF', '', 10))).toBeNull()
    expect(precheckFile(file('scan.jpeg', 'application/octet-stream', 10))).toBeNull()
    expect(precheckFile(file('scan.doc', '', 10))).toBe('wrong_type')
  })

  it('refuses other types, empty files and files over 10 MiB', () => {
    expect(precheckFile(file('a.gif', 'image/gif', 10))).toBe('wrong_type')
    expect(precheckFile(file('a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 10))).toBe('wrong_type')
    expect(precheckFile(file('a.pdf', 'application/pdf', 0))).toBe('empty')
    expect(precheckFile(file('a.pdf', 'application/pdf', MAX_FILE_BYTES + 1))).toBe('too_large')
  })

  it('shows images as images and everything else as a file', () => {
    expect(isImageType('image/png')).toBe(true)
    expect(isImageType('application/pdf')).toBe(false)
    expect(isImageType(null)).toBe(false)
  })
})

describe('buildNeedPrefill', () => {
  const heading = (subject: string) => `叠滘村居民需求：${subject}`
  // Noon on 7 December 2026 in Shanghai.
  const today = Date.UTC(2026, 11, 7, 4)

  it('takes the title from the first line without its Markdown marks, the story from the whole text, heard on visits, for six months', () => {
    expect(buildNeedPrefill('\n## 独居长者缺少日常探访\n\n西约有 40 位独居长者。\n', heading, today)).toEqual({
      title: '叠滘村居民需求：独居长者缺少日常探访',
      story: '## 独居长者缺少日常探访\n\n西约有 40 位独居长者。',
      source: 'visits',
      from: '2026-12-07',
      to: '2027-06-07',
    })
    expect(buildNeedPrefill('1. 长者助餐', heading, today).title).toBe('叠滘村居民需求：长者助餐')
  })

  it('keeps the title within 100 characters and the story within 5000', () => {
    const prefill = buildNeedPrefill(`${'需'.repeat(200)}\n${'事'.repeat(6000)}`, heading, today)
    expect([...(prefill.title ?? '')]).toHaveLength(100)
    expect(prefill.title?.endsWith('…')).toBe(true)
    expect([...(prefill.story ?? '')]).toHaveLength(5000)
  })

  it('sends no survey round with an assessment', () => {
    const body = {
      title: 't',
      project_type: '长者服务',
      target_group: '独居长者',
      beneficiaries: 40,
      budget_min_fen: 1,
      budget_max_fen: 2,
      period: { from_ms: 1, to_ms: 2 },
      source: 'survey' as const,
      survey_round_id: 'R1',
    }
    const { survey_round_id: _r, ...rest } = body
    expect(assignmentNeedBody(body)).toEqual(rest)
  })
})

const material = (overrides: Partial<Material> = {}): Material => ({
  id: 'mat1',
  event_id: 100,
  title: '个案工作方法',
  kind: 'pdf',
  body: '',
  body_html: '',
  file_name: '个案工作方法.pdf',
  content_type: 'application/pdf',
  size_bytes: 9,
  url: '/api/v1/training/materials/mat1/file',
  created_at_ms: NOW,
  ...overrides,
})

describe('uploadMaterial', () => {
  it('sends the raw bytes with their type, the session, title and name in the query, and lists the material', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/training/classes/4/materials/files': jsonResponse(201, { material: material() }) })
    const store = useTrainingAdminStore()
    store.klass = klass({ materials: [] })
    const pdf = new File(['%PDF-1.4\n'], '个案工作方法.pdf', { type: 'application/pdf' })
    const result = await store.uploadMaterial(4, 100, '个案 工作方法', pdf)
    expect(result.ok).toBe(true)
    const url = new URL(requests[0]!.url, 'http://localhost')
    expect(url.searchParams.get('event_id')).toBe('100')
    expect(url.searchParams.get('title')).toBe('个案 工作方法')
    expect(url.searchParams.get('name')).toBe('个案工作方法.pdf')
    expect(requests[0]!.headers['content-type']).toBe('application/pdf')
    expect(requests[0]!.body).toBe(pdf)
    expect(store.klass?.materials.map((m) => m.id)).toEqual(['mat1'])
  })

  it('sends a file of no type as application/octet-stream and passes the server’s refusal on', async () => {
    const { requests } = stubFetch({ 'POST /api/v1/training/classes/4/materials/files': errorResponse(422, 'file_type', '只能上传 PDF 或图片', 'file') })
    const store = useTrainingAdminStore()
    const result = await store.uploadMaterial(4, 100, 'x', new File(['GIF89a'], 'x.png', { type: '' }))
    expect(requests[0]!.headers['content-type']).toBe('application/octet-stream')
    expect(result.ok ? null : result.error).toMatchObject({ code: 'file_type', field: 'file', message: '只能上传 PDF 或图片' })
  })
})

describe('uploadScan', () => {
  it('PUTs the bytes and replaces the qualification’s line', async () => {
    const scanned = qualification({ scan: { content_type: 'image/png', size_bytes: 70, url: '/api/v1/training/qualifications/Qk1/scan' } })
    const { requests } = stubFetch({ 'PUT /api/v1/training/qualifications/Qk1/scan': jsonResponse(200, { qualification: scanned }) })
    const store = useTalentStore()
    store.qualifications = [qualification(), qualification({ id: 'Qk2', level: 'senior' })]
    const png = new File([new Uint8Array([0x89, 0x50])], 'scan.png', { type: 'image/png' })
    expect((await store.uploadScan('Qk1', png)).ok).toBe(true)
    expect(requests[0]!.method).toBe('PUT')
    expect(requests[0]!.headers['content-type']).toBe('image/png')
    expect(store.qualifications.map((q) => q.scan?.url ?? null)).toEqual(['/api/v1/training/qualifications/Qk1/scan', null])
  })

  it('passes a decided qualification’s refusal on', async () => {
    stubFetch({ 'PUT /api/v1/training/qualifications/Qk1/scan': errorResponse(409, 'talent.qualification_decided', '该社工证已审核') })
    const result = await useTalentStore().uploadScan('Qk1', new File(['%PDF'], 's.pdf', { type: 'application/pdf' }))
    expect(result.ok ? null : result.error.code).toBe('talent.qualification_decided')
  })
})

describe('postAssignmentNeed', () => {
  const body = {
    title: '叠滘村居民需求：独居长者缺少日常探访',
    project_type: '长者服务',
    target_group: '独居长者',
    beneficiaries: 40,
    budget_min_fen: 2_000_000,
    budget_max_fen: 5_000_000,
    period: { from_ms: NOW, to_ms: NOW + 1 },
    source: 'visits' as const,
    story: '西约有 40 位独居长者。',
  }

  it('posts the need without a village and keeps the assignment the server answers (with its need)', async () => {
    const assignment = { user_id: 21, body: '评估', submitted_at_ms: NOW, grade: 85, feedback: '', passed: true, need_id: 'needaaaaaaaaaaaaaaaa' }
    const { requests } = stubFetch({
      'POST /api/v1/training/classes/4/assignment/need': jsonResponse(201, { need: { id: 'needaaaaaaaaaaaaaaaa', title: body.title }, assignment }),
    })
    useAuthStore().user = member.user as never
    const store = useTrainingStore()
    store.assignment = { ...assignment, need_id: null }
    const result = await store.postAssignmentNeed(4, body)
    expect(result.ok ? result.value : null).toEqual({ id: 'needaaaaaaaaaaaaaaaa', title: body.title })
    expect(requests[0]!.body).toEqual(body)
    expect(store.assignment?.need_id).toBe('needaaaaaaaaaaaaaaaa')
  })

  it('passes the refusal of someone who is not the village’s staff on', async () => {
    stubFetch({ 'POST /api/v1/training/classes/4/assignment/need': errorResponse(403, 'forbidden', '只有本村（居）工作人员可以发布需求') })
    const result = await useTrainingStore().postAssignmentNeed(4, body)
    expect(result.ok ? null : result.error).toMatchObject({ status: 403, message: '只有本村（居）工作人员可以发布需求' })
  })
})
