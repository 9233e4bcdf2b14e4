/**
 * Files sent as raw bytes (session materials, a qualification's scan): the types and the size the
 * server takes (contract: every upload route — PDF, JPEG, PNG, WebP; at most 10 MiB), and the
 * client's check before anything is sent. The server still decides: it reads the real type from
 * the bytes, and its refusal (`file_type`, `file_too_large`, `file_empty`) is shown as it comes.
 */
export { fileSize } from './grantsAttachments'

export const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const
export const IMAGE_FILE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp']
/** 10 MiB. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
export const MAX_FILE_MB = MAX_FILE_BYTES / (1024 * 1024)

/** What the file picker offers: the types, and their extensions for browsers that name no type. */
export const FILE_ACCEPT = [...FILE_TYPES, '.pdf', '.jpg', '.jpeg', '.png', '.webp'].join(',')

export type FileProblem = 'empty' | 'too_large' | 'wrong_type'

const EXTENSION = /\.(pdf|jpe?g|png|webp)$/i

/** Why `file` would be refused, or null if it may go (a file with no type passes on its extension). */
export function precheckFile(file: Pick<File, 'name' | 'size' | 'type'>): FileProblem | null {
  const typed = (FILE_TYPES as readonly string[]).includes(file.type)
  if (!typed && !((file.type === '' || file.type === 'application/octet-stream') && EXTENSION.test(file.name))) {
    return 'wrong_type'
  }
  if (file.size === 0) {
    return 'empty'
  }
  return file.size > MAX_FILE_BYTES ? 'too_large' : null
}

/** Whether a stored file (by the type the server read from its bytes) shows as an image rather than a file link. */
export function isImageType(contentType: string | null): boolean {
  return contentType !== null && IMAGE_FILE_TYPES.includes(contentType)
}

/** The Markdown that shows one of our uploaded pictures. */
export function pictureMarkdown(alt: string, url: string): string {
  return `![${alt}](${url})`
}

/** `text` with a picture's Markdown added as a paragraph of its own at the end. */
export function withPicture(text: string, markdown: string): string {
  const gap = text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n'
  return `${text}${gap}${markdown}\n`
}
