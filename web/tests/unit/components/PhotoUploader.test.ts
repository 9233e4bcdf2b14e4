import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import type { Image } from '@/api/media'
import PhotoUploader from '@/components/PhotoUploader.vue'
import { fail, ok, type Result } from '@/stores/result'
import { mountWithApp, settle } from '../support/app'

const image = (n: number): Image => ({ id: `img${n}`.padEnd(20, 'a'), url: `/full${n}.webp`, thumb_url: `/thumb${n}.webp`, width: 10, height: 10 })

/** The uploader bound to a parent's list, as the forms use it; `upload` answers image n+1, n+2 … */
function host(start: Image[], upload: (file: Blob) => Promise<Result<{ image: Image }>>) {
  const photos = ref<Image[]>(start)
  const Host = defineComponent({
    setup: () => () => h(PhotoUploader, { modelValue: photos.value, 'onUpdate:modelValue': (v: Image[]) => (photos.value = v), upload }),
  })
  return { photos, Host }
}

function counting(from: number) {
  let n = from
  return vi.fn(async (_file: Blob) => ok({ image: image(++n) }))
}

/** Picks files in the (hidden) file input. */
async function pick(wrapper: Awaited<ReturnType<typeof mountWithApp>>['wrapper'], count: number): Promise<void> {
  const input = wrapper.get('[data-test="form-photo-input"]')
  const files = Array.from({ length: count }, (_, i) => new File([`x${i}`], `p${i}.png`, { type: 'image/png' }))
  Object.defineProperty(input.element, 'files', { value: files, configurable: true })
  await input.trigger('change')
  await settle()
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('PhotoUploader', () => {
  it('uploads the picked files through the given action and appends them in order', async () => {
    const upload = counting(1)
    const { photos, Host } = host([image(1)], upload)
    const { wrapper } = await mountWithApp(Host)
    await pick(wrapper, 2)
    expect(upload).toHaveBeenCalledTimes(2)
    expect(photos.value.map((p) => p.id)).toEqual([image(1).id, image(2).id, image(3).id])
    expect(wrapper.findAll('[data-test="form-photo"] img').map((i) => i.attributes('src'))).toEqual(['/thumb1.webp', '/thumb2.webp', '/thumb3.webp'])
    wrapper.unmount()
  })

  it('removes one photo and keeps the others in order', async () => {
    const { photos, Host } = host([image(1), image(2), image(3)], counting(3))
    const { wrapper } = await mountWithApp(Host)
    await wrapper.get('[data-test="form-photo-remove-1"]').trigger('click')
    expect(photos.value.map((p) => p.id)).toEqual([image(1).id, image(3).id])
    expect(wrapper.findAll('[data-test="form-photo"]')).toHaveLength(2)
    wrapper.unmount()
  })

  it('refuses a 10th photo before uploading it', async () => {
    const upload = counting(8)
    const { photos, Host } = host(Array.from({ length: 8 }, (_, i) => image(i + 1)), upload)
    const { wrapper } = await mountWithApp(Host)
    await pick(wrapper, 2)
    expect(upload).toHaveBeenCalledTimes(1)
    expect(photos.value).toHaveLength(9)
    expect(wrapper.get('[data-test="form-photos-refused"]').text()).toBe('最多 9 张图片，多出的没有上传')
    expect(wrapper.find('[data-test="form-photo-input"]').exists()).toBe(false)
    // Even when asked directly, nothing more is uploaded.
    await (wrapper.findComponent(PhotoUploader).vm as unknown as { add(files: Blob[]): Promise<void> }).add([new Blob(['y'])])
    expect(upload).toHaveBeenCalledTimes(1)
    expect(photos.value).toHaveLength(9)
    wrapper.unmount()
  })

  it('shows the server’s message when an upload is refused, keeping what was uploaded', async () => {
    const upload = vi
      .fn()
      .mockResolvedValueOnce(ok({ image: image(1) }))
      .mockResolvedValueOnce(fail({ code: 'image_type_unsupported', message: '只支持 JPG、PNG、WebP 图片', field: null, retryAfterSeconds: null, status: 415 }))
    const { photos, Host } = host([], upload)
    const { wrapper } = await mountWithApp(Host)
    await pick(wrapper, 3)
    expect(upload).toHaveBeenCalledTimes(2)
    expect(photos.value.map((p) => p.id)).toEqual([image(1).id])
    expect(wrapper.get('[data-test="form-upload-error"]').text()).toBe('只支持 JPG、PNG、WebP 图片')
    wrapper.unmount()
  })
})
