/**
 * 附件 of a grant application: its organisation's staff upload files once the draft exists and
 * remove them until the deadline; whoever reads the application in full downloads them from each
 * file's `url`. `precheckAttachment` refuses here what the server would refuse anyway (the size,
 * the type, the count), so no upload is sent in vain; the server still decides (it reads the type
 * from the bytes) and its refusal is shown as it comes.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as grantsApi from '@/api/grants'
import { attemptSignedIn } from './auth'
import { ok, type Result } from './result'

export type { Attachment } from '@/api/grants'
export { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '@/api/grants'

/** What the file picker offers: the types, and their extensions for browsers that name no type. */
export const ATTACHMENT_ACCEPT = [...grantsApi.ATTACHMENT_TYPES, '.pdf', '.jpg', '.jpeg', '.png', '.webp'].join(',')

export type AttachmentProblem = 'too_large' | 'wrong_type' | 'too_many'

const EXTENSION = /\.(pdf|jpe?g|png|webp)$/i

/** Why `file` would be refused next to `count` files already there, or null if it may go. */
export function precheckAttachment(file: Pick<File, 'name' | 'size' | 'type'>, count: number): AttachmentProblem | null {
  if (count >= grantsApi.MAX_ATTACHMENTS) {
    return 'too_many'
  }
  const typed = (grantsApi.ATTACHMENT_TYPES as readonly string[]).includes(file.type)
  if (!typed && !(file.type === '' && EXTENSION.test(file.name))) {
    return 'wrong_type'
  }
  if (file.size === 0 || file.size > grantsApi.MAX_ATTACHMENT_BYTES) {
    return file.size === 0 ? 'wrong_type' : 'too_large'
  }
  return null
}

/** 1536 → "1.5 KB", 2_500_000 → "2.4 MB" (binary units, as the 10 MB limit is). */
export function fileSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KB`
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

export const useGrantsAttachmentsStore = defineStore('grantsAttachments', () => {
  /** The application whose files `files` are. */
  const applicationId = ref<string | null>(null)
  const files = ref<grantsApi.Attachment[]>([])

  /** Starts from the files an application answer listed. */
  function show(id: string, list: readonly grantsApi.Attachment[]): void {
    applicationId.value = id
    files.value = [...list]
  }

  async function upload(id: string, file: File, label: string): Promise<Result<grantsApi.Attachment>> {
    const result = await attemptSignedIn(() => grantsApi.uploadAttachment(id, file, label.trim()))
    if (!result.ok) {
      return result
    }
    if (applicationId.value === id) {
      files.value = [...files.value, result.value.attachment]
    }
    return ok(result.value.attachment)
  }

  async function remove(id: string, attachmentId: string): Promise<Result> {
    const result = await attemptSignedIn(() => grantsApi.deleteAttachment(id, attachmentId))
    if (!result.ok) {
      return result
    }
    if (applicationId.value === id) {
      files.value = files.value.filter((f) => f.id !== attachmentId)
    }
    return ok()
  }

  return { applicationId, files, show, upload, remove }
})
