import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import AttachmentList from '@/components/grants/AttachmentList.vue'
import AttachmentsEditor from '@/components/grants/AttachmentsEditor.vue'
import ApplicationPage from '@/pages/grants/ApplicationPage.vue'
import type { Attachment } from '@/api/grants'
import { fileSize, precheckAttachment } from '@/stores/grantsAttachments'
import { APP_ID, application } from '../support/grants'
import { emptyResponse, errorResponse, jsonResponse, sampleUser, stubFetch, type RecordedRequest } from '../support/fetch'
import { mountWithApp, settle } from '../support/app'

const MB = 1024 * 1024

function attachment(n: number, overrides: Partial<Attachment> = {}): Attachment {
  const id = `file${n}`.padEnd(20, 'a')
  return {
    id,
    label: n === 1 ? '机构登记证书' : '',
    name: `材料${n}.pdf`,
    content_type: 'application/pdf',
    size_bytes: 1536 * n,
    sha256: 'ab'.repeat(32),
    created_at_ms: 0,
    url: `/api/v1/grants/applications/${APP_ID}/attachments/${id}`,
    ...overrides,
  }
}

const FILES = `/api/v1/grants/applications/${APP_ID}/attachments`

function editor(files: Attachment[], editable = true) {
  return defineComponent({ setup: () => () => h(AttachmentsEditor, { applicationId: APP_ID, files, editable }) })
}

/** Picks files in the uploader's (hidden) file input. */
async function pick(wrapper: Awaited<ReturnType<typeof mountWithApp>>['wrapper'], files: File[]): Promise<void> {
  const input = wrapper.get('[data-test="attachment-uploader"] input[type="file"]')
  Object.defineProperty(input.element, 'files', { value: files, configurable: true })
  await input.trigger('change')
  await settle()
}

const pdf = (name = '项目书.pdf', size = 2048) => new File([new Uint8Array(size)], name, { type: 'application/pdf' })

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('precheckAttachment', () => {
  it('takes PDFs and images up to 10 MB, by type or (with no type) by extension', () => {
    expect(precheckAttachment({ name: 'a.pdf', size: 10 * MB, type: 'application/pdf' }, 0)).toBeNull()
    expect(precheckAttachment({ name: 'a.heic', size: 100, type: '' }, 0)).toBe('wrong_type')
    expect(precheckAttachment({ name: 'scan.JPG', size: 100, type: '' }, 0)).toBeNull()
    expect(precheckAttachment({ name: 'a.docx', size: 100, type: 'application/msword' }, 0)).toBe('wrong_type')
    expect(precheckAttachment({ name: 'a.pdf', size: 10 * MB + 1, type: 'application/pdf' }, 0)).toBe('too_large')
    expect(precheckAttachment({ name: 'a.pdf', size: 0, type: 'application/pdf' }, 0)).toBe('wrong_type')
    expect(precheckAttachment({ name: 'a.pdf', size: 10, type: 'application/pdf' }, 10)).toBe('too_many')
    expect(fileSize(1536)).toBe('1.5 KB')
    expect(fileSize(2.5 * MB)).toBe('2.5 MB')
  })
})

describe('AttachmentsEditor', () => {
  it('uploads a picked file with its label, shows it uploading, then lists it', async () => {
    let answer: (r: Response) => void = () => {}
    const { requests } = stubFetch({
      [`POST ${FILES}`]: () => new Promise<Response>((resolve) => (answer = resolve)),
    })
    const { wrapper } = await mountWithApp(editor([attachment(1)]))
    expect(wrapper.get('[data-test="attachments-note"]').text()).toBe('可上传 PDF 或 JPEG、PNG、WebP 图片，每个不超过 10 MB，最多 10 个')
    await wrapper.get('[data-test="attachment-label"] input').setValue('预算明细')
    await pick(wrapper, [pdf('预算 表.pdf')])
    expect(wrapper.get('[data-test="attachment-add"]').text()).toContain('正在上传')
    const sent: RecordedRequest = requests[0]!
    const url = new URL(sent.url, 'http://localhost')
    expect(url.searchParams.get('label')).toBe('预算明细')
    expect(url.searchParams.get('name')).toBe('预算 表.pdf')
    expect(sent.headers['content-type']).toBe('application/pdf')
    answer(jsonResponse(201, { attachment: attachment(2, { name: '预算 表.pdf', label: '预算明细' }) }))
    await settle()
    const rows = wrapper.findAll('[data-test="attachment"]')
    expect(rows).toHaveLength(2)
    expect(rows[1]!.text()).toContain('预算 表.pdf')
    expect(rows[1]!.text()).toContain('预算明细 · 3.0 KB')
    expect(wrapper.get('[data-test="attachment-add"]').text()).toBe('上传附件')
    expect((wrapper.get('[data-test="attachment-label"] input').element as HTMLInputElement).value).toBe('')
    wrapper.unmount()
  })

  it('refuses a file that is too large or not a PDF or image before sending anything', async () => {
    const { fetchMock } = stubFetch({})
    const { wrapper } = await mountWithApp(editor([]))
    await pick(wrapper, [pdf('扫描件.pdf', 10 * MB + 1)])
    expect(wrapper.get('[data-test="attachment-refused"]').text()).toBe('“扫描件.pdf”超过 10 MB，未上传')
    await pick(wrapper, [new File(['x'], '预算.xlsx', { type: 'application/vnd.ms-excel' })])
    expect(wrapper.get('[data-test="attachment-refused"]').text()).toBe('“预算.xlsx”不是 PDF 或 JPEG、PNG、WebP 图片，未上传')
    expect(fetchMock).not.toHaveBeenCalled()
    expect(wrapper.get('[data-test="attachments-empty"]').text()).toBe('暂无附件')
    wrapper.unmount()
  })

  it('shows the server’s refusal (the bytes were not a PDF) and keeps the list', async () => {
    stubFetch({
      [`POST ${FILES}`]: errorResponse(422, 'grants.attachment_type', '附件只能是 PDF、JPEG、PNG 或 WebP 文件', 'file'),
    })
    const { wrapper } = await mountWithApp(editor([attachment(1)]))
    await pick(wrapper, [pdf('伪装.pdf')])
    expect(wrapper.get('[data-test="attachment-error"]').text()).toBe('附件只能是 PDF、JPEG、PNG 或 WebP 文件')
    expect(wrapper.findAll('[data-test="attachment"]')).toHaveLength(1)
    wrapper.unmount()
  })

  it('offers no upload at the tenth file, and removes a file', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => attachment(i + 1))
    const { requests } = stubFetch({ [`DELETE ${FILES}/${ten[0]!.id}`]: emptyResponse(204) })
    const { wrapper } = await mountWithApp(editor(ten))
    expect(wrapper.find('[data-test="attachment-uploader"]').exists()).toBe(false)
    await wrapper.findAll('[data-test="attachment-remove"]')[0]!.trigger('click')
    await settle()
    expect(requests.map((r) => r.method)).toEqual(['DELETE'])
    expect(wrapper.findAll('[data-test="attachment"]')).toHaveLength(9)
    expect(wrapper.find('[data-test="attachment-uploader"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('after the deadline lists the files without upload or remove', async () => {
    stubFetch({})
    const { wrapper } = await mountWithApp(editor([attachment(1)], false))
    expect(wrapper.findAll('[data-test="attachment"]')).toHaveLength(1)
    expect(wrapper.find('[data-test="attachment-uploader"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="attachment-remove"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

describe('attachments on the application page', () => {
  it('links each file for download when the answer lists them, and shows no section when it does not', async () => {
    stubFetch({
      'GET /api/v1/me': jsonResponse(200, { user: sampleUser }),
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application({ attachments: [attachment(1)] }) }),
    })
    const { wrapper } = await mountWithApp(ApplicationPage, { path: `/grants/applications/${APP_ID}` })
    await settle()
    const link = wrapper.get('[data-test="attachment-link"]')
    expect(link.attributes('href')).toBe(attachment(1).url)
    expect(link.attributes('download')).toBe('材料1.pdf')
    expect(wrapper.get('[data-test="attachment"]').text()).toContain('机构登记证书 · 1.5 KB')
    expect(wrapper.find('[data-test="attachment-remove"]').exists()).toBe(false)
    wrapper.unmount()

    stubFetch({
      'GET /api/v1/me': errorResponse(401, 'unauthenticated', ''),
      [`GET /api/v1/grants/applications/${APP_ID}`]: jsonResponse(200, { application: application({ status: 'eligible' }) }),
    })
    const guest = await mountWithApp(ApplicationPage, { path: `/grants/applications/${APP_ID}` })
    await settle()
    expect(guest.wrapper.find('[data-test="app-attachments"]').exists()).toBe(false)
  })

  it('lists files in the plain list component in English too', async () => {
    const { wrapper } = await mountWithApp(defineComponent({ setup: () => () => h(AttachmentList, { files: [] }) }), { locale: 'en' })
    expect(wrapper.text()).toBe('No attachments yet')
  })
})
