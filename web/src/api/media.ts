/** `/api/v1/media/*`: image uploads (contract: docs/api-media.md). */
import { http } from './client'

/** An uploaded image as every domain embeds it. */
export interface Image {
  id: string
  url: string
  thumb_url: string
  width: number
  height: number
}

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const

/**
 * Uploads one image (the raw file, its own `Content-Type`) → 201 `{image}`. 403
 * `media_upload_forbidden` without a staff role, 413 `body_too_large`, 415 `image_type_unsupported`
 * / `image_content_type`, 422 `image_dimensions_too_large` / `image_corrupt`, 429 `rate_limited`.
 */
export function uploadImage(file: Blob): Promise<{ image: Image }> {
  return http.post<{ image: Image }>('/media/images', {}, { file })
}
